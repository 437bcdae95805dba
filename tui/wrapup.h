/*
 * wrapup.h - this run's writes, kept as the audit log records them, and
 * the draft of the wrap-up note `:wrapup` makes from those of one member.
 *
 * Curses-free: the draft is plain text, tested on its own.
 */
#ifndef MC_TUI_WRAPUP_H
#define MC_TUI_WRAPUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum session_outcome { SESSION_SENT, SESSION_OK, SESSION_FAILED, SESSION_UNKNOWN };

struct session_write {
    long id;                    /* the audit record's id */
    char action[32];            /* "coupon-issue", "goodwill-raise", ... */
    int64_t member;
    char ref[64];               /* coupon code, request id ... or "" */
    char detail[160];
    enum session_outcome outcome;
    char message[120];          /* the error of a failed write, or "" */
    char response_id[64];       /* what the server made (request id ...), or "" */
};

struct session_log {
    struct session_write *items; /* owned, in the order sent */
    size_t n, cap;
};

/* Mirrors an audit "sent" record. */
void session_log_sent(struct session_log *log, long id, const char *action, int64_t member, const char *ref,
                      const char *detail);
/* Mirrors the "done" record of id: outcome "ok", "failed" or "unknown". */
void session_log_done(struct session_log *log, long id, const char *outcome, const char *response_id,
                      const char *message);
void session_log_free(struct session_log *log);

/* How many writes of member the log holds. */
size_t session_log_count(const struct session_log *log, int64_t member);

/*
 * Drafts the note of what was done for member: a first line with the till
 * and date, then one line per write with its outcome, at most max_chars
 * characters in all (the note's limit: writes that do not fit are counted
 * in a last "+N more" line). Returns the number of writes described.
 */
size_t wrapup_draft(const struct session_log *log, int64_t member, const char *till, const char *date, char *out,
                    size_t outlen, size_t max_chars);

#endif
