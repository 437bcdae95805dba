/*
 * audit.c - the `:audit` screen: the local audit log of every write this
 * console (and earlier runs on this account) sent, newest first: when,
 * which till, what, for which member, the reference, and the outcome (ok
 * with the server's id, failed with its message, unknown when the answer
 * was lost or unreadable so the write may have been done, or "no outcome"
 * when the console stopped while the call was in flight).
 *
 * Reads the file named by app_audit_path() (tui/audit.c writes it; at most
 * its last 4 MiB, so a long history opens at once); no endpoint. Lines that
 * are not audit records are counted, not shown.
 *
 * Keys: Up/Down/PgUp/PgDn/g/G move, Enter shows the selected entry's full
 * text in the status line, / filters, F5 rereads the file, q back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "views/views.h"

#define MAX_READ (4L * 1024 * 1024)

struct audit {
    struct mc_audit_log *log;
    char path[1024];
    char error[1400];
    bool cut;                     /* only the end of a larger file was read */
    char filter[128];
    size_t *visible;              /* indexes into log, newest first (owned) */
    size_t n_visible;
    struct list_pos pos;
};

static struct audit *A(struct view *v) { return v->priv; }

static bool contains_ci(const char *hay, const char *needle)
{
    if (!hay)
        return false;
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

static bool matches(const struct mc_audit_entry *e, const char *f)
{
    if (!*f)
        return true;
    char member[32];
    snprintf(member, sizeof member, "%lld", (long long)e->member);
    return contains_ci(e->action, f) || contains_ci(e->till, f) || contains_ci(e->ref, f) ||
           contains_ci(e->detail, f) || contains_ci(e->message, f) || contains_ci(member, f) ||
           contains_ci(e->response_id, f);
}

static void rebuild(struct view *v)
{
    struct audit *a = A(v);
    free(a->visible);
    a->visible = NULL;
    a->n_visible = 0;
    if (!a->log || a->log->n == 0)
        return;
    a->visible = malloc(a->log->n * sizeof *a->visible);
    if (!a->visible)
        abort();
    for (size_t i = a->log->n; i-- > 0;)
        if (matches(&a->log->items[i], a->filter))
            a->visible[a->n_visible++] = i;
    list_clamp(&a->pos, (long)a->n_visible, v->rows - 3);
}

static void read_log(struct view *v)
{
    struct audit *a = A(v);
    mc_audit_log_free(&a->log);
    a->error[0] = '\0';
    a->cut = false;
    snprintf(a->path, sizeof a->path, "%s", app_audit_path(v->app));
    FILE *f = fopen(a->path, "rb");
    if (!f) {
        if (errno != ENOENT)
            snprintf(a->error, sizeof a->error, "Cannot read %s: %s", a->path, strerror(errno));
        a->log = api_audit_parse("", 0);
        rebuild(v);
        return;
    }
    long size = 0;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    long start = size > MAX_READ ? size - MAX_READ : 0;
    a->cut = start > 0;
    char *buf = NULL;
    size_t n = 0;
    if (size >= 0 && fseek(f, start, SEEK_SET) == 0) {
        buf = malloc((size_t)(size - start) + 1);
        if (!buf)
            abort();
        n = fread(buf, 1, (size_t)(size - start), f);
    }
    if (ferror(f))
        snprintf(a->error, sizeof a->error, "Cannot read %s: %s", a->path, strerror(errno));
    fclose(f);
    /* after a cut, the first line is a fragment: start at the next one */
    size_t skip = 0;
    if (a->cut && buf) {
        char *nl = memchr(buf, '\n', n);
        skip = nl ? (size_t)(nl - buf) + 1 : n;
    }
    a->log = api_audit_parse(buf ? buf + skip : "", buf ? n - skip : 0);
    free(buf);
    rebuild(v);
}

static int audit_open(struct view *v, const struct view_args *args)
{
    (void)args;
    A(v)->pos.cursor = -1;
    view_set_crumb(v, "Audit log");
    read_log(v);
    return 0;
}

static void audit_close(struct view *v)
{
    struct audit *a = A(v);
    mc_audit_log_free(&a->log);
    free(a->visible);
}

static void audit_result(struct view *v, struct api_result *res)
{
    (void)v;
    api_result_free(&res);
}

static const char *outcome(const struct mc_audit_entry *e)
{
    switch (e->state) {
    case MC_AUDIT_OK: return "ok";
    case MC_AUDIT_FAILED: return "failed";
    case MC_AUDIT_UNKNOWN: return "unknown";
    case MC_AUDIT_SENT: break;
    }
    return "no outcome";
}

static bool audit_action(struct view *v, enum action a)
{
    view_dirty(v); /* whatever the key did shows at once */
    struct audit *s = A(v);
    if (a == ACTION_OPEN) {
        if (s->pos.cursor >= 0 && (size_t)s->pos.cursor < s->n_visible) {
            const struct mc_audit_entry *e = &s->log->items[s->visible[s->pos.cursor]];
            app_status(v->app, e->state == MC_AUDIT_FAILED ? STATUS_WARN : STATUS_INFO,
                       "#%ld %s %s member %lld ref %s: %s; %s%s%s", e->id, e->time ? e->time : "?",
                       e->action ? e->action : "?", (long long)e->member, e->ref ? e->ref : "-",
                       e->detail ? e->detail : "", outcome(e), e->response_id ? " " : "",
                       e->response_id ? e->response_id : "");
        }
        return true;
    }
    return list_nav(&s->pos, a, (long)s->n_visible, v->rows - 3);
}

static void audit_refresh(struct view *v)
{
    read_log(v);
    app_status(v->app, STATUS_INFO, "Reread %s", A(v)->path);
}

static void audit_filter(struct view *v, const char *text)
{
    struct audit *a = A(v);
    snprintf(a->filter, sizeof a->filter, "%s", text);
    rebuild(v);
    view_dirty(v);
}

static void audit_draw(struct view *v, WINDOW *w)
{
    struct audit *a = A(v);
    const struct app *app = v->app;
    size_t total = a->log ? a->log->n : 0, bad = a->log ? a->log->bad_lines : 0;
    char head[1400];
    snprintf(head, sizeof head, "%zu write%s%s in %s%s", total, total == 1 ? "" : "s", a->cut ? " (latest 4 MiB)" : "",
             a->path, a->filter[0] ? " (filtered)" : "");
    tui_put(app, w, 0, 1, v->cols - 2, head, ROLE_TITLE);
    int wt = 19, wact = 16, wmem = 10, wout = 10;
    int rest = v->cols - 2 - wt - wact - wmem - wout - 4;
    int x = 1;
    tui_put(app, w, 1, x, wt, "Sent (UTC)", ROLE_LABEL);
    x += wt + 1;
    tui_put(app, w, 1, x, wact, "Action", ROLE_LABEL);
    x += wact + 1;
    tui_put(app, w, 1, x, wmem, "Member", ROLE_LABEL);
    x += wmem + 1;
    tui_put(app, w, 1, x, wout, "Outcome", ROLE_LABEL);
    x += wout + 1;
    tui_put(app, w, 1, x, rest, "What / answer", ROLE_LABEL);
    int height = v->rows - 3;
    if (a->error[0])
        tui_put(app, w, 2, 2, v->cols - 4, a->error, ROLE_ERROR);
    else if (a->n_visible == 0)
        tui_put(app, w, 2, 2, v->cols - 4,
                total ? "No entry matches the filter" : "No writes recorded yet: approvals, goodwill and other writes appear here",
                ROLE_DIM);
    list_clamp(&a->pos, (long)a->n_visible, height);
    for (int i = 0; i < height && a->pos.top + i < (long)a->n_visible && !a->error[0]; i++) {
        long k = a->pos.top + i;
        const struct mc_audit_entry *e = &a->log->items[a->visible[k]];
        int y = 2 + i;
        bool sel = k == a->pos.cursor;
        enum role r = sel ? ROLE_SELECTED : ROLE_NORMAL;
        if (sel)
            tui_fill(app, w, y, 0, v->cols, r);
        char t[24];
        snprintf(t, sizeof t, "%.19s", e->time ? e->time : "?");
        for (char *p = t; *p; p++)
            if (*p == 'T')
                *p = ' ';
        x = 1;
        tui_put(app, w, y, x, wt, t, sel ? r : ROLE_DIM);
        x += wt + 1;
        tui_put(app, w, y, x, wact, e->action ? e->action : "?", r);
        x += wact + 1;
        if (e->member)
            tui_putf(app, w, y, x, wmem, r, "%lld", (long long)e->member);
        x += wmem + 1;
        tui_put(app, w, y, x, wout, outcome(e),
                sel ? r : e->state == MC_AUDIT_OK ? ROLE_OK : e->state == MC_AUDIT_FAILED ? ROLE_ERROR : ROLE_WARN);
        x += wout + 1;
        tui_putf(app, w, y, x, rest, r, "%s%s%s", e->detail ? e->detail : "",
                 e->message ? ": " : e->response_id ? " -> " : "",
                 e->message ? e->message : e->response_id ? e->response_id : "");
    }
    char hint[160];
    snprintf(hint, sizeof hint, "Enter details  / filter  F5 reread%s  q back", bad ? "  (unreadable lines skipped)" : "");
    tui_put(app, w, v->rows - 1, 1, v->cols - 2, hint, ROLE_DIM);
}

const struct view_ops audit_view_ops = {
    .name = "audit",
    .ctx = CTX_GENERIC,
    .priv_size = sizeof(struct audit),
    .flags = VIEW_FILTERABLE,
    .open = audit_open,
    .close = audit_close,
    .draw = audit_draw,
    .on_action = audit_action,
    .on_result = audit_result,
    .reload = audit_refresh,
    .filter = audit_filter,
};
