/*
 * wrapup.c - the session's writes and the wrap-up draft (see wrapup.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/wrapup.h"

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

void session_log_sent(struct session_log *log, long id, const char *action, int64_t member, const char *ref,
                      const char *detail)
{
    if (log->n == log->cap) {
        size_t cap = log->cap ? log->cap * 2 : 16;
        struct session_write *items = realloc(log->items, cap * sizeof *items);
        if (!items)
            abort();
        log->items = items;
        log->cap = cap;
    }
    struct session_write *w = &log->items[log->n++];
    memset(w, 0, sizeof *w);
    w->id = id;
    copy(w->action, sizeof w->action, action);
    w->member = member;
    copy(w->ref, sizeof w->ref, ref);
    copy(w->detail, sizeof w->detail, detail);
    w->outcome = SESSION_SENT;
}

void session_log_done(struct session_log *log, long id, const char *outcome, const char *response_id,
                      const char *message)
{
    for (size_t i = log->n; i-- > 0;) {
        struct session_write *w = &log->items[i];
        if (w->id != id)
            continue;
        w->outcome = strcmp(outcome, "ok") == 0       ? SESSION_OK
                     : strcmp(outcome, "unknown") == 0 ? SESSION_UNKNOWN
                                                        : SESSION_FAILED;
        copy(w->message, sizeof w->message, message);
        copy(w->response_id, sizeof w->response_id, response_id);
        return;
    }
}

void session_log_free(struct session_log *log)
{
    free(log->items);
    log->items = NULL;
    log->n = log->cap = 0;
}

size_t session_log_count(const struct session_log *log, int64_t member)
{
    size_t n = 0;
    for (size_t i = 0; i < log->n; i++)
        if (log->items[i].member == member)
            n++;
    return n;
}

/* How the note names each kind of write: done, and tried. */
static const struct {
    const char *action, *done, *tried;
} labels[] = {
    {"coupon-issue", "Issued coupon", "coupon issue"},
    {"coupon-redeem", "Redeemed coupon", "coupon redemption"},
    {"coupon-revoke", "Revoked coupon", "coupon revocation"},
    {"coupon-reactivate", "Reactivated coupon", "coupon reactivation"},
    {"coupon-resend", "Resent coupon", "coupon resend"},
    {"ticket-add", "Added ticket", "ticket"},
    {"note-add", "Added note", "note"},
    {"note-edit", "Edited note", "note edit"},
    {"goodwill-raise", "Raised", "goodwill request"},
    {"request-approve", "Approved request", "approval"},
    {"request-reject", "Rejected request", "rejection"},
};

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static void describe(const struct session_write *w, char *out, size_t n)
{
    const char *done = w->action, *tried = w->action;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].action, w->action) == 0) {
            done = labels[i].done;
            tried = labels[i].tried;
        }
    /* the detail says most (points, code, text); the ref when there is none */
    const char *what = w->detail[0] ? w->detail : w->ref;
    char ref[80] = "";
    if (w->detail[0] && w->ref[0] && strstr(w->detail, w->ref) == NULL && strncmp(w->ref, "mc-", 3) != 0)
        snprintf(ref, sizeof ref, " [%.60s]", w->ref);
    switch (w->outcome) {
    case SESSION_OK:
        if (!ref[0] && w->response_id[0] && strstr(what, w->response_id) == NULL)
            snprintf(ref, sizeof ref, " (#%.40s)", w->response_id);
        snprintf(out, n, "- %s: %.100s%s", done, what, ref);
        break;
    case SESSION_FAILED:
        snprintf(out, n, "- Failed %s: %.80s%s (%.60s)", tried, what, ref, w->message[0] ? w->message : "refused");
        break;
    case SESSION_UNKNOWN:
        snprintf(out, n, "- %s, outcome unknown: %.80s%s", tried, what, ref);
        break;
    case SESSION_SENT:
        snprintf(out, n, "- %s, no answer yet: %.80s%s", tried, what, ref);
        break;
    }
}

size_t wrapup_draft(const struct session_log *log, int64_t member, const char *till, const char *date, char *out,
                    size_t outlen, size_t max_chars)
{
    if (outlen == 0)
        return 0;
    snprintf(out, outlen, "Wrap-up %s by %s:", date && *date ? date : "", till && *till ? till : "agent");
    size_t total = session_log_count(log, member), shown = 0;
    if (total == 0) {
        size_t len = strlen(out);
        snprintf(out + len, outlen - len, "\n- Looked at the account; no changes made.");
        return 0;
    }
    for (size_t i = 0; i < log->n; i++) {
        const struct session_write *w = &log->items[i];
        if (w->member != member)
            continue;
        char line[300], more[40];
        describe(w, line, sizeof line);
        size_t left = total - shown - 1;
        snprintf(more, sizeof more, "\n+%zu more", left);
        size_t need = chars(out) + 1 + chars(line) + (left ? chars(more) : 0);
        size_t len = strlen(out);
        if (need > max_chars || len + strlen(line) + 2 >= outlen) {
            snprintf(out + len, outlen - len, "\n+%zu more", total - shown);
            break;
        }
        snprintf(out + len, outlen - len, "\n%s", line);
        shown++;
    }
    return shown;
}
