/*
 * batch_priv.h - what the batch runner (batch.c) and its verbs
 * (batch_verbs.c, batch_writes.c) share.
 */
#ifndef MC_TUI_BATCH_PRIV_H
#define MC_TUI_BATCH_PRIV_H

#include <stdint.h>

#include "api/api.h"
#include "tui/batch.h"
#include "tui/batch_out.h"

struct app;

struct batch {
    const struct batch_config *cfg;
    struct bout out;
    struct app *app;          /* only for the audit log (owned) */
    int64_t member_id;        /* the context member `customer X` sets; 0 = none */
    /* the failure of the current command */
    char err[512];
    long err_code, err_http;
    bool quit;
    unsigned seq;             /* goodwill reference ids made so far */
};

typedef bool (*batch_verb_fn)(struct batch *b, int argc, char **argv);

struct batch_verb {
    const char *name;
    batch_verb_fn fn;
    const char *usage, *description;
};

/* The verb table, NULL-terminated. */
extern const struct batch_verb batch_verbs[];

/* Records why the current command failed; returns false for `return
 * batch_fail(...)`. */
bool batch_fail(struct batch *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records an api error as the failure (with code and HTTP status). */
bool batch_fail_api(struct batch *b, const char *what, const struct api_error *err);

/* Submits req and waits for its result (owned by the caller). Never NULL. */
struct api_result *batch_call(struct batch *b, struct api_request *req);

/* Resolves an identifier (mobile, email, external id, card, id:NNN or a
 * name matching one member) to a member id, or the context member when
 * ident is NULL. false with the failure recorded. */
bool batch_member(struct batch *b, const char *ident, int64_t *id);

/* Writes: refuses in read-only mode or without the right, and without
 * --yes or --dry-run. right is 'm' (maker), 'c' (checker) or 0. */
bool batch_write_allowed(struct batch *b, char right);
/* --dry-run: prints what req would send and frees it. */
void batch_show_request(struct batch *b, struct api_request *req);

/* Write verbs (batch_writes.c) */
bool batch_goodwill(struct batch *b, int argc, char **argv);
bool batch_approve(struct batch *b, int argc, char **argv);
bool batch_reject(struct batch *b, int argc, char **argv);
bool batch_issue_coupon(struct batch *b, int argc, char **argv);
bool batch_redeem(struct batch *b, int argc, char **argv);

#endif
