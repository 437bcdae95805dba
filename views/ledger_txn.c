/*
 * ledger_txn.c - one bill: its amounts, the points it earned and its line
 * items, opened with Enter on a bill or on a purchase or return in the
 * ledger.
 *
 * Endpoint: GET /v1.1/customer/transactions?format=json&id=..&transaction_id=..
 * (the v2 list carries no line items; part1 §5.13).
 * Keys: Up/Down/PgUp/PgDn scroll when the bill is longer than the screen,
 * F5 reloads, q/Esc back. No children.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/text.h"
#include "views/ledger_view.h"

struct bill {
    int64_t customer, txn;
    char number[64];              /* the bill number the opener knew, for the title */
    struct mc_txn_detail *d;      /* (owned) */
    bool failed;
    char error[200];
    int scroll;                   /* first body line shown */
    int lines;                    /* body lines of the last draw */
};

static struct bill *B(struct view *v) { return v->priv; }

static void bill_load(struct view *v)
{
    struct bill *b = B(v);
    b->failed = false;
    view_submit(v, api_transaction_detail(b->customer, b->txn), 0);
}

static int bill_open(struct view *v, const struct view_args *args)
{
    struct bill *b = B(v);
    char *end = NULL;
    long long txn = args->query ? strtoll(args->query, &end, 10) : 0;
    if (args->customer_id <= 0 || txn <= 0 || (end && *end)) {
        app_status(v->app, STATUS_ERROR, "No bill to show");
        return -1;
    }
    b->customer = args->customer_id;
    b->txn = (int64_t)txn;
    snprintf(b->number, sizeof b->number, "%s", args->name && *args->name ? args->name : "");
    char crumb[80];
    snprintf(crumb, sizeof crumb, "%s", b->number[0] ? b->number : "Bill");
    view_set_crumb(v, crumb);
    bill_load(v);
    return 0;
}

void ledger_open_bill(struct view *v, int64_t txn_id, const char *bill)
{
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, txn_id);
    struct view_args args = {.customer_id = LV(v)->id, .query = id, .name = bill};
    app_push(v->app, &ledger_bill_view_ops, &args);
}

static void bill_close(struct view *v)
{
    mc_txn_detail_free(&B(v)->d);
}

static void bill_result(struct view *v, struct api_result *res)
{
    struct bill *b = B(v);
    struct mc_txn_detail *d = API_DATA(res, TXN_DETAIL, struct mc_txn_detail);
    if (d) {
        mc_txn_detail_free(&b->d);
        b->d = d;
        res->data = NULL;
        if (!d->found)
            app_status(v->app, STATUS_WARN, "The server lists no bill with id %" PRId64, b->txn);
    } else {
        b->failed = true;
        api_error_format(&res->err, b->error, sizeof b->error);
        app_status_error(v->app, "Loading the bill failed", &res->err);
    }
    api_result_free(&res);
}

static bool bill_action(struct view *v, enum action a)
{
    struct bill *b = B(v);
    int page = v->rows - 3;
    switch (a) {
    case ACTION_UP: b->scroll--; break;
    case ACTION_DOWN: b->scroll++; break;
    case ACTION_PAGE_UP: b->scroll -= page; break;
    case ACTION_PAGE_DOWN: b->scroll += page; break;
    case ACTION_FIRST: b->scroll = 0; break;
    case ACTION_LAST: b->scroll = b->lines; break;
    default: return false;
    }
    view_dirty(v);
    return true;
}

static void bill_reload(struct view *v)
{
    view_cancel(v);
    bill_load(v);
}

static void num(double x, char *buf, size_t n) { text_format_number(x, buf, n); }

/* A body line: label + value, or a table row; y counts body lines. */
struct pen {
    struct view *v;
    WINDOW *w;
    int y, top, bottom;
};

static bool visible(struct pen *p) { return p->y >= p->top && p->y < p->bottom; }

static void field(struct pen *p, const char *label, const char *value, enum role r)
{
    if (visible(p)) {
        int row = 2 + p->y - p->top;
        tui_put(p->v->app, p->w, row, 1, 14, label, ROLE_LABEL);
        tui_put(p->v->app, p->w, row, 16, p->v->cols - 17, value, r);
    }
    p->y++;
}

static void bill_draw(struct view *v, WINDOW *w)
{
    struct bill *b = B(v);
    const struct app *app = v->app;
    const struct mc_txn_detail *d = b->d;
    char title[160];
    snprintf(title, sizeof title, "Bill %s", d && d->number ? d->number : b->number);
    tui_put(app, w, 0, 1, v->cols / 2, title, ROLE_TITLE);
    if (d && d->billing_time)
        tui_put_right(app, w, 0, v->cols / 2, v->cols / 2 - 1, d->billing_time, ROLE_DIM);
    tui_hline(app, w, 1, 0, v->cols);
    tui_put(app, w, v->rows - 1, 1, v->cols - 2, "Up/Down scroll  F5 reload  q back", ROLE_DIM);
    if (!d) {
        tui_put(app, w, 2, 1, v->cols - 2, b->failed ? b->error : "Loading the bill...",
                b->failed ? ROLE_ERROR : ROLE_DIM);
        return;
    }
    if (!d->found) {
        tui_put(app, w, 2, 1, v->cols - 2, "The server lists no such bill for this member.",
                ROLE_WARN);
        return;
    }
    int body = v->rows - 3;
    int total_lines = 8 + (d->notes && *d->notes) + (d->n_lines ? (int)d->n_lines + 1 : 1);
    b->lines = total_lines;
    if (b->scroll > total_lines - body)
        b->scroll = total_lines - body;
    if (b->scroll < 0)
        b->scroll = 0;
    struct pen p = {.v = v, .w = w, .y = 0, .top = b->scroll, .bottom = b->scroll + body};
    char line[200], a[32], g[32], c[32];
    field(&p, "Type", d->type ? d->type : "-", ROLE_NORMAL);
    snprintf(line, sizeof line, "%s%s%s%s", d->store ? d->store : "-",
             d->store_code ? " (" : "", d->store_code ? d->store_code : "", d->store_code ? ")" : "");
    field(&p, "Store", line, ROLE_NORMAL);
    num(d->amount, a, sizeof a);
    num(d->gross, g, sizeof g);
    num(d->discount, c, sizeof c);
    snprintf(line, sizeof line, "%s (gross %s, discount %s)", a, g, c);
    field(&p, "Amount", line, ROLE_NORMAL);
    num(d->points_issued, a, sizeof a);
    field(&p, "Points earned", a, ROLE_OK);
    num(d->points_returned, a, sizeof a);
    num(d->points_redeemed, g, sizeof g);
    num(d->points_expired, c, sizeof c);
    snprintf(line, sizeof line, "returned %s, redeemed %s, expired %s", a, g, c);
    field(&p, "", line, ROLE_DIM);
    field(&p, "Points expire", d->points_expiry && *d->points_expiry ? d->points_expiry : "-",
          ROLE_NORMAL);
    if (d->notes && *d->notes)
        field(&p, "Notes", d->notes, ROLE_NORMAL);
    p.y++;
    if (visible(&p))
        tui_put(app, w, 2 + p.y - p.top, 1, v->cols - 2, "Line items", ROLE_TITLE);
    p.y++;
    if (d->n_lines == 0) {
        if (visible(&p))
            tui_put(app, w, 2 + p.y - p.top, 1, v->cols - 2, "The server sent no line items.",
                    ROLE_DIM);
        return;
    }
    int wdesc = v->cols - (1 + 3 + 1 + 10 + 1 + 5 + 1 + 10 + 1 + 9 + 1 + 11 + 1);
    if (wdesc < 8)
        wdesc = 8;
    if (visible(&p)) {
        int y = 2 + p.y - p.top, x = 1;
        tui_put_right(app, w, y, x, 3, "#", ROLE_TITLE);
        x += 4;
        tui_put(app, w, y, x, 10, "Item", ROLE_TITLE);
        x += 11;
        tui_put(app, w, y, x, wdesc, "Description", ROLE_TITLE);
        x += wdesc + 1;
        tui_put_right(app, w, y, x, 5, "Qty", ROLE_TITLE);
        x += 6;
        tui_put_right(app, w, y, x, 10, "Rate", ROLE_TITLE);
        x += 11;
        tui_put_right(app, w, y, x, 9, "Discount", ROLE_TITLE);
        x += 10;
        tui_put_right(app, w, y, x, 11, "Amount", ROLE_TITLE);
    }
    p.y++;
    for (size_t i = 0; i < d->n_lines; i++, p.y++) {
        if (!visible(&p))
            continue;
        const struct mc_txn_line *l = &d->lines[i];
        int y = 2 + p.y - p.top, x = 1;
        snprintf(a, sizeof a, "%ld", l->serial);
        tui_put_right(app, w, y, x, 3, a, ROLE_DIM);
        x += 4;
        tui_put(app, w, y, x, 10, l->item_code ? l->item_code : "", ROLE_NORMAL);
        x += 11;
        tui_put(app, w, y, x, wdesc, l->description ? l->description : "", ROLE_NORMAL);
        x += wdesc + 1;
        num(l->qty, a, sizeof a);
        tui_put_right(app, w, y, x, 5, a, ROLE_NORMAL);
        x += 6;
        num(l->rate, a, sizeof a);
        tui_put_right(app, w, y, x, 10, a, ROLE_NORMAL);
        x += 11;
        num(l->discount, a, sizeof a);
        tui_put_right(app, w, y, x, 9, a, ROLE_DIM);
        x += 10;
        num(l->amount, a, sizeof a);
        tui_put_right(app, w, y, x, 11, a, ROLE_NORMAL);
    }
}

const struct view_ops ledger_bill_view_ops = {
    .name = "bill",
    .ctx = CTX_LEDGER,
    .priv_size = sizeof(struct bill),
    .open = bill_open,
    .close = bill_close,
    .draw = bill_draw,
    .on_action = bill_action,
    .on_result = bill_result,
    .reload = bill_reload,
};
