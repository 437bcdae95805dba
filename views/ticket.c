/*
 * ticket.c - one ticket in full: subject, status, priority, department,
 * who reported it and when, the whole message, the custom fields and the
 * comments, in a pane that scrolls.
 *
 * Endpoint: GET /v1.1/customer/tickets?id=..&ticket_code=.. (the ticket is
 * fetched by its code, so the pane always shows what the server has now).
 *
 * Keys: Up/Down, PgUp/PgDn, g/G (Home/End) scroll; Ctrl-R / F5 reloads;
 * q / Esc back. No children.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/views.h"
#include "views/wrap.h"

struct ticket {
    int64_t id;
    char code[64];
    struct mc_ticket_list *list;   /* owned; the ticket is items[0] */
    bool loading;
    char error[200];
    int scroll;                    /* first content line shown */
    int content;                   /* lines the last draw laid out */
};

static struct ticket *K(struct view *v) { return v->priv; }

static void load(struct view *v)
{
    struct ticket *s = K(v);
    struct mc_ticket_filter f = {.ticket_code = s->code};
    s->loading = true;
    view_submit(v, api_tickets_get(s->id, &f), 1);
}

static int ticket_open(struct view *v, const struct view_args *args)
{
    struct ticket *s = K(v);
    if (args->customer_id <= 0 || !args->query || !*args->query) {
        app_status(v->app, STATUS_ERROR, "No ticket to open");
        return -1;
    }
    s->id = args->customer_id;
    snprintf(s->code, sizeof s->code, "%s", args->query);
    view_set_crumb(v, s->code);
    load(v);
    return 0;
}

struct view *open_ticket_view(struct app *app, int64_t id, const char *code)
{
    struct view_args args = {.customer_id = id, .query = code};
    return app_push(app, &ticket_view_ops, &args);
}

static void ticket_close(struct view *v)
{
    mc_ticket_list_free(&K(v)->list);
}

static void ticket_result(struct view *v, struct api_result *res)
{
    struct ticket *s = K(v);
    s->loading = false;
    struct mc_ticket_list *l = API_DATA(res, TICKETS, struct mc_ticket_list);
    if (!l) {
        api_error_format(&res->err, s->error, sizeof s->error);
        app_status_error(v->app, "Loading the ticket failed", &res->err);
    } else {
        res->data = NULL;
        mc_ticket_list_free(&s->list);
        s->list = l;
        s->error[0] = '\0';
        if (l->n == 0)
            snprintf(s->error, sizeof s->error, "Ticket %s was not found for this member", s->code);
    }
    api_result_free(&res);
}

static void ticket_reload(struct view *v)
{
    view_cancel(v);
    load(v);
}

static bool ticket_action(struct view *v, enum action a)
{
    struct ticket *s = K(v);
    view_dirty(v);
    int page = v->rows - 2 > 1 ? v->rows - 2 : 1;
    int max = s->content - (v->rows - 1);
    if (max < 0)
        max = 0;
    switch (a) {
    case ACTION_UP: s->scroll--; break;
    case ACTION_DOWN: s->scroll++; break;
    case ACTION_PAGE_UP: s->scroll -= page; break;
    case ACTION_PAGE_DOWN: s->scroll += page; break;
    case ACTION_FIRST: s->scroll = 0; break;
    case ACTION_LAST: s->scroll = max; break;
    default: return false;
    }
    if (s->scroll > max)
        s->scroll = max;
    if (s->scroll < 0)
        s->scroll = 0;
    return true;
}

/* Lays out lines one by one; only those inside the window are drawn. */
struct pane {
    struct view *v;
    WINDOW *w;
    int y;        /* content line number of the next line */
    int height;   /* rows available for content */
};

static bool visible(const struct pane *p, int *row)
{
    *row = p->y - K(p->v)->scroll;
    return *row >= 0 && *row < p->height;
}

static void line(struct pane *p, int x, const char *text, enum role r)
{
    int row;
    if (visible(p, &row))
        tui_put(p->v->app, p->w, row, x, p->v->cols - x - 1, text, r);
    p->y++;
}

static void wrapped(struct pane *p, int x, const char *text, enum role r)
{
    if (!text || !*text) {
        line(p, x, "-", ROLE_DIM);
        return;
    }
    size_t len = strlen(text), at = 0;
    int width = p->v->cols - x - 1;
    bool ascii = app_ascii(p->v->app);
    while (at < len) {
        size_t next, n = wrap_line(text + at, len - at, width, ascii, &next);
        char buf[1024];
        snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf - 1 ? n : sizeof buf - 1), text + at);
        line(p, x, buf, r);
        at += next;
    }
}

/* "Label  value" in the left or right half of one line. */
static void pair(struct pane *p, const char *l1, const char *v1, enum role r1, const char *l2,
                 const char *v2, enum role r2)
{
    int row;
    const struct app *app = p->v->app;
    int cols = p->v->cols;
    if (cols < 70) {
        /* narrow: each pair on a line of its own */
        if (visible(p, &row)) {
            tui_put(app, p->w, row, 1, 11, l1, ROLE_LABEL);
            tui_put(app, p->w, row, 13, cols - 14, v1 && *v1 ? v1 : "-", r1);
        }
        p->y++;
        if (l2) {
            if (visible(p, &row)) {
                tui_put(app, p->w, row, 1, 11, l2, ROLE_LABEL);
                tui_put(app, p->w, row, 13, cols - 14, v2 && *v2 ? v2 : "-", r2);
            }
            p->y++;
        }
        return;
    }
    int half = cols / 2;
    if (visible(p, &row)) {
        tui_put(app, p->w, row, 1, 11, l1, ROLE_LABEL);
        tui_put(app, p->w, row, 13, half - 14, v1 && *v1 ? v1 : "-", r1);
        if (l2) {
            tui_put(app, p->w, row, half, 11, l2, ROLE_LABEL);
            tui_put(app, p->w, row, half + 12, cols - half - 13, v2 && *v2 ? v2 : "-", r2);
        }
    }
    p->y++;
}

static void rule(struct pane *p, const char *title)
{
    int row;
    if (visible(p, &row)) {
        tui_hline(p->v->app, p->w, row, 0, p->v->cols);
        tui_put(p->v->app, p->w, row, 2, p->v->cols - 4, title, ROLE_TITLE);
    }
    p->y++;
}

static void ticket_draw(struct view *v, WINDOW *w)
{
    struct ticket *s = K(v);
    const struct app *app = v->app;
    struct pane p = {.v = v, .w = w, .height = v->rows - 1};
    if (!s->list || s->list->n == 0) {
        tui_put(app, w, 0, 1, v->cols - 2, s->error[0] ? s->error : "loading...",
                s->error[0] ? ROLE_ERROR : ROLE_DIM);
    } else {
        const struct mc_ticket *t = &s->list->items[0];
        bool open = api_ticket_is_open(t->status);
        wrapped(&p, 1, t->subject, ROLE_TITLE);
        pair(&p, "Code", t->code, ROLE_NORMAL, "Status", t->status, open ? ROLE_WARN : ROLE_OK);
        pair(&p, "Priority", t->priority, ROLE_NORMAL, "Department", t->department, ROLE_NORMAL);
        pair(&p, "Reported", t->reported_from, ROLE_NORMAL, "Type", t->type, ROLE_NORMAL);
        pair(&p, "Created", t->created_on, ROLE_NORMAL, "Updated", t->updated_on, ROLE_NORMAL);
        if (t->created_by || t->assigned_to)
            pair(&p, "Raised by", t->created_by, ROLE_NORMAL, t->assigned_to ? "Assigned" : NULL,
                 t->assigned_to, ROLE_NORMAL);
        rule(&p, "Message");
        wrapped(&p, 1, t->message, ROLE_NORMAL);
        rule(&p, "Custom fields");
        if (t->n_fields == 0)
            line(&p, 1, "none", ROLE_DIM);
        for (size_t i = 0; i < t->n_fields; i++)
            pair(&p, t->fields[i].name, t->fields[i].value, ROLE_NORMAL, NULL, NULL, ROLE_NORMAL);
        char title[64];
        snprintf(title, sizeof title, "Comments (%zu)", t->n_comments);
        rule(&p, title);
        if (t->n_comments == 0)
            line(&p, 1, "none", ROLE_DIM);
        for (size_t i = 0; i < t->n_comments; i++) {
            const struct mc_ticket_comment *c = &t->comments[i];
            char head[200];
            snprintf(head, sizeof head, "%s  %s%s%s", c->date ? c->date : "-",
                     c->author ? c->author : "-", c->status ? "  -> " : "",
                     c->status ? c->status : "");
            line(&p, 1, head, ROLE_DIM);
            wrapped(&p, 3, c->text, ROLE_NORMAL);
        }
    }
    s->content = p.y;
    char hint[120];
    int more = s->content - s->scroll - p.height;
    snprintf(hint, sizeof hint, "Up/Down PgUp/PgDn scroll%s  q back  ? help%s",
             more > 0 ? "  (more below)" : "", s->loading && s->list ? "  reloading..." : "");
    tui_put(app, w, v->rows - 1, 1, v->cols - 2, hint, ROLE_DIM);
}

const struct view_ops ticket_view_ops = {
    .name = "ticket",
    .ctx = CTX_GENERIC,
    .priv_size = sizeof(struct ticket),
    .open = ticket_open,
    .close = ticket_close,
    .draw = ticket_draw,
    .on_action = ticket_action,
    .on_result = ticket_result,
    .reload = ticket_reload,
};
