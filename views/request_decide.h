/*
 * request_decide.h - approving or rejecting one request, shared by the
 * approval queue (views/requests.c) and the request screen
 * (views/request_detail.c): the checks made before anything is sent, the
 * form (a changed amount, the comment), the confirmation with the request's
 * key facts, the audit record, the POST and the reading of its answer.
 *
 * Convention: struct decide is the FIRST member of the calling view's
 * private state, so the form and dialog callbacks find it from the view.
 */
#ifndef MC_VIEWS_REQUEST_DECIDE_H
#define MC_VIEWS_REQUEST_DECIDE_H

#include "views/views.h"

struct decide {
    bool busy;               /* a decision is in flight */
    bool approve;
    int tag;                 /* result tag of the POST */
    int64_t id, customer;
    char type[24], base[24];
    bool has_points;
    double requested;        /* requested points */
    double points;           /* points to grant: 0 = as requested */
    int64_t series;
    char who[160];           /* member name and identifier, for messages */
    char amount[64];         /* "250 points", "coupon series 3", "email to x" */
    char comment[1001];
    long audit;
};

enum decide_outcome {
    DECIDE_DONE,             /* decided as asked */
    DECIDE_FAILED,           /* refused or failed; nothing changed */
    DECIDE_STALE,            /* someone else decided it first */
    DECIDE_UNKNOWN,          /* no answer: it may or may not have happened */
};

/* Starts approving (or rejecting) r for v. Refuses with a status line,
 * before sending anything, when the request is not pending, when the
 * signed-in till raised it (approval only), or when another decision is
 * in flight; else opens the form. */
void decide_start(struct view *v, const struct mc_request *r, bool approve, int tag);
/* Reads the answer of the POST (takes nothing: res stays the caller's).
 * Writes the audit outcome, closes or updates the form and says what
 * happened in the status line. */
enum decide_outcome decide_result(struct view *v, const struct api_result *res);

/* Shared words for a request: "Ravi Kumar (919845000002)", "250 points",
 * "coupon series 3", "email -> new@example.com". */
void request_member_text(const struct mc_request *r, char *buf, size_t n);
void request_amount_text(const struct mc_request *r, char *buf, size_t n);
/* "5m", "3h", "2d" since the ISO / v1.1 time s, relative to now (UTC seconds). */
void request_age_text(const char *s, long long now, char *buf, size_t n);
/* Parses "YYYY-MM-DD[T ]HH:MM:SS[Z|+hh:mm]" as UTC seconds; -1 when malformed. */
long long request_parse_time(const char *s);
/* A deep copy of src into dst (free with mc_request_clear). */
void request_copy(struct mc_request *dst, const struct mc_request *src);
/* Whether the signed-in till raised r (maker is checker). */
bool request_is_mine(const struct app *app, const struct mc_request *r);

#endif
