/*
 * requests_audit.c - reads the local audit log (audit.jsonl, written by
 * tui/audit.c) into records for the :audit screen.
 *
 * Each write is a "sent" line {id, phase, time, till, action, member, ref,
 * detail} followed, once its answer came, by a "done" line {id, phase,
 * time, ok, response_id, message}. A sent record without its done record
 * is a write whose outcome was never recorded (the console stopped while
 * it was in flight). Lines that are not such records (a torn last line, a
 * hand edit) are counted and skipped, never fatal. The done line is looked
 * for from the newest record backwards, where it almost always is.
 */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "api/json.h"
#include "api/requests_priv.h"

static void add_sent(struct mc_audit_log *l, size_t *cap, const json_t *o, long id)
{
    if (l->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        l->items = api_xrealloc(l->items, *cap * sizeof *l->items);
    }
    struct mc_audit_entry *e = &l->items[l->n++];
    memset(e, 0, sizeof *e);
    e->id = id;
    e->time = api_json_str(o, "time");
    e->till = api_json_str(o, "till");
    e->action = api_json_str(o, "action");
    e->ref = api_json_str(o, "ref");
    e->detail = api_json_str(o, "detail");
    api_json_int64(o, "member", &e->member);
    e->state = MC_AUDIT_SENT;
}

static bool add_done(struct mc_audit_log *l, const json_t *o, long id)
{
    for (size_t i = l->n; i-- > 0;) {
        struct mc_audit_entry *e = &l->items[i];
        if (e->id != id || e->state != MC_AUDIT_SENT)
            continue;
        char *outcome = api_json_str(o, "outcome");
        if (outcome && strcmp(outcome, "unknown") == 0)
            e->state = MC_AUDIT_UNKNOWN;
        else
            e->state = api_json_bool(o, "ok", false) ? MC_AUDIT_OK : MC_AUDIT_FAILED;
        free(outcome);
        e->done_time = api_json_str(o, "time");
        e->response_id = api_json_str(o, "response_id");
        e->message = api_json_str(o, "message");
        return true;
    }
    return false;
}

struct mc_audit_log *api_audit_parse(const char *text, size_t len)
{
    struct mc_audit_log *l = api_xcalloc(1, sizeof *l);
    size_t cap = 0;
    const char *p = text, *end = text ? text + len : NULL;
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        size_t n = (size_t)(e - p);
        while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
            n--;
        if (n > 0) {
            json_error_t jerr;
            json_t *o = json_loadb(p, n, 0, &jerr);
            int64_t id = 0;
            char *phase = o ? api_json_str(o, "phase") : NULL;
            bool ok = o && json_is_object(o) && api_json_int64(o, "id", &id) && phase;
            if (ok && strcmp(phase, "sent") == 0)
                add_sent(l, &cap, o, (long)id);
            else if (!(ok && strcmp(phase, "done") == 0 && add_done(l, o, (long)id)))
                l->bad_lines++;
            free(phase);
            json_decref(o);
        }
        p = nl ? nl + 1 : end;
    }
    return l;
}

void mc_audit_log_free(struct mc_audit_log **l)
{
    if (!l || !*l)
        return;
    for (size_t i = 0; i < (*l)->n; i++) {
        struct mc_audit_entry *e = &(*l)->items[i];
        free(e->time);
        free(e->till);
        free(e->action);
        free(e->ref);
        free(e->detail);
        free(e->done_time);
        free(e->response_id);
        free(e->message);
    }
    free((*l)->items);
    free(*l);
    *l = NULL;
}
