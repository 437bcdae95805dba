/*
 * coupon_detail.c - everything the API knows about one coupon: the
 * detailed coupon (state, dates, stores, tills, redemptions and reversed
 * ones), the coupon details (discount code, discount on, detailed info) and
 * its series (limits, counts, expiry rule, terms).
 *
 * Endpoints: GET /v2/customers/{id}/coupons (the coupon, picked by code),
 * GET /v2/coupon?couponCodes=CODE, GET /v2/coupon/series?ids=N.
 * Keys: Up/Down/PgUp/PgDn/g/G scroll; Ctrl-R reloads; the coupon actions
 * (issue, check, redeem, revoke, reactivate, resend) go back to the list
 * and run there on this coupon, so there is one place that writes.
 * Children: none.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/text.h"
#include "views/coupon_text.h"
#include "views/coupons_priv.h"

enum { DTAG_LIST = 1, DTAG_DETAILS, DTAG_SERIES };

#define MAX_LINES 96

struct detail {
    int64_t id;
    char name[160];
    char code[64];
    struct mc_coupon *coupon;          /* owned copy from the member's list */
    struct mc_coupon_list *details;    /* owned: GET /v2/coupon */
    struct mc_series_list *series;     /* owned: GET /v2/coupon/series */
    bool loading, missing;
    char error[256];
    int scroll, content;
};

struct dline {
    char label[24];
    char value[320];
    enum role role;
    bool title;
};

struct dlines {
    struct dline l[MAX_LINES];
    int n;
};

static struct detail *D(struct view *v) { return v->priv; }

static void load(struct view *v)
{
    struct detail *d = D(v);
    d->loading = true;
    view_submit(v, api_customer_coupons(d->id), DTAG_LIST);
    view_submit(v, api_coupon_details(d->code), DTAG_DETAILS);
}

static int detail_open(struct view *v, const struct view_args *args)
{
    struct detail *d = D(v);
    if (args->customer_id <= 0 || !args->query || !*args->query)
        return -1;
    d->id = args->customer_id;
    snprintf(d->code, sizeof d->code, "%s", args->query);
    snprintf(d->name, sizeof d->name, "%s", args->name ? args->name : "");
    view_set_crumb(v, d->code);
    load(v);
    return 0;
}

static void detail_close(struct view *v)
{
    struct detail *d = D(v);
    mc_coupon_free(&d->coupon);
    mc_coupon_list_free(&d->details);
    mc_series_list_free(&d->series);
}

static void detail_result(struct view *v, struct api_result *res)
{
    struct detail *d = D(v);
    if (res->tag == DTAG_LIST) {
        d->loading = false;
        struct mc_coupon_list *l = API_DATA(res, COUPONS, struct mc_coupon_list);
        if (!l) {
            api_error_format(&res->err, d->error, sizeof d->error);
            app_status_error(v->app, "Loading the coupon failed", &res->err);
        } else {
            d->error[0] = '\0';
            const struct mc_coupon *found = NULL;
            for (size_t i = 0; i < l->n && !found; i++)
                if (l->items[i].code && strcasecmp(l->items[i].code, d->code) == 0)
                    found = &l->items[i];
            mc_coupon_free(&d->coupon);
            d->missing = !found;
            if (found) {
                d->coupon = mc_coupon_dup(found);
                if (d->coupon->series_id > 0)
                    view_submit(v, api_coupon_series_get(d->coupon->series_id), DTAG_SERIES);
            }
        }
    } else if (res->tag == DTAG_DETAILS) {
        struct mc_coupon_list *l = API_DATA(res, COUPON_DETAILS, struct mc_coupon_list);
        if (l) {
            mc_coupon_list_free(&d->details);
            d->details = l;
            res->data = NULL;
        }
    } else if (res->tag == DTAG_SERIES) {
        struct mc_series_list *l = API_DATA(res, COUPON_SERIES, struct mc_series_list);
        if (l) {
            mc_series_list_free(&d->series);
            d->series = l;
            res->data = NULL;
        }
    }
    api_result_free(&res);
}

static void detail_reload(struct view *v)
{
    view_cancel(v);
    load(v);
}

static bool detail_action(struct view *v, enum action a)
{
    struct detail *d = D(v);
    switch (a) {
    case ACTION_COUPON_ISSUE:
    case ACTION_COUPON_CHECK:
    case ACTION_COUPON_REDEEM:
    case ACTION_COUPON_REVOKE:
    case ACTION_COUPON_REACTIVATE:
    case ACTION_COUPON_RESEND: {
        struct app *app = v->app;
        struct view *below = app_view_below(app, v);
        char code[64];
        snprintf(code, sizeof code, "%s", d->code);
        if (!below || below->ops != &coupons_view_ops)
            return false;
        app_pop(app); /* v is gone from here on */
        coupons_select(below, code);
        coupon_actions_run(below, a);
        return true;
    }
    case ACTION_UP:
        if (d->scroll > 0)
            d->scroll--;
        return true;
    case ACTION_DOWN:
        if (d->scroll + v->rows - 1 < d->content)
            d->scroll++;
        return true;
    case ACTION_PAGE_UP:
        d->scroll = d->scroll > v->rows - 2 ? d->scroll - (v->rows - 2) : 0;
        return true;
    case ACTION_PAGE_DOWN:
    case ACTION_LAST:
        d->scroll += a == ACTION_LAST ? d->content : v->rows - 2;
        return true;
    case ACTION_FIRST:
        d->scroll = 0;
        return true;
    default:
        return false;
    }
}

/* Building the lines */

static void add(struct dlines *L, const char *label, enum role role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(struct dlines *L, const char *label, enum role role, const char *fmt, ...)
{
    if (L->n >= MAX_LINES)
        return;
    struct dline *l = &L->l[L->n++];
    memset(l, 0, sizeof *l);
    snprintf(l->label, sizeof l->label, "%s", label ? label : "");
    l->role = role;
    l->title = label == NULL;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->value, sizeof l->value, fmt, ap);
    va_end(ap);
}

static const char *or_dash(const char *s) { return s && *s ? s : "-"; }

static void limit_text(long v, char *buf, size_t n)
{
    if (v < 0)
        snprintf(buf, n, "no limit");
    else
        text_format_number((double)v, buf, n);
}

static void add_redemptions(struct dlines *L, const struct mc_redemption *r, size_t n, bool reversed)
{
    for (size_t i = 0; i < n; i++) {
        char when[48], rev[48];
        coupon_fmt_time(r[i].date, when, sizeof when);
        coupon_fmt_time(r[i].reversed_on, rev, sizeof rev);
        add(L, reversed ? "Reversed" : "Redeemed", reversed ? ROLE_DIM : ROLE_OK,
            "%s, bill %s, redemption %lld", when, or_dash(r[i].bill), (long long)r[i].id);
        add(L, "", reversed ? ROLE_DIM : ROLE_NORMAL, "at %s%s%s%s%s%s", or_dash(r[i].store_name),
            r[i].store_code ? " (" : "", r[i].store_code ? r[i].store_code : "",
            r[i].store_code ? ")" : "", reversed && r[i].reversed_on ? "; reversed on " : "",
            reversed && r[i].reversed_on ? rev : "");
    }
}

static void build_series(struct view *v, struct dlines *L)
{
    struct detail *d = D(v);
    const struct mc_coupon_series *s = d->series && d->series->n ? &d->series->items[0]
                                                                 : d->coupon->series;
    add(L, NULL, ROLE_TITLE, "Series");
    if (!s) {
        add(L, "", ROLE_DIM, "series %lld: loading...", (long long)d->coupon->series_id);
        return;
    }
    char buf[160], a[32], b[32];
    add(L, "Series", ROLE_NORMAL, "%s, id %lld", or_dash(s->code), (long long)s->id);
    add(L, "Description", ROLE_NORMAL, "%s", or_dash(s->description));
    coupon_fmt_discount(s->discount_type, s->discount_value, s->discount_upto, true, buf, sizeof buf);
    add(L, "Discount", ROLE_NORMAL, "%s on the %s", buf, s->discount_on ? s->discount_on : "bill");
    coupon_fmt_time(s->valid_till, buf, sizeof buf);
    add(L, "Series ends", coupon_series_ended(s, app_wall_time(v->app)) ? ROLE_WARN : ROLE_NORMAL,
        "%s", buf);
    if (s->expiry_strategy && s->expiry_value > 0)
        add(L, "Coupons last", ROLE_NORMAL, "%ld %s from issue (%s)", s->expiry_value,
            strcmp(s->expiry_strategy, "MONTHS_END") == 0 ? "months, to the month's end" : "days",
            s->expiry_strategy);
    limit_text(s->max_create, a, sizeof a);
    if (s->issued >= 0) {
        text_format_number((double)s->issued, b, sizeof b);
        if (s->max_create >= 0) {
            char left[32];
            text_format_number((double)(s->max_create > s->issued ? s->max_create - s->issued : 0),
                               left, sizeof left);
            add(L, "Issue limit", s->max_create - s->issued <= 1 ? ROLE_WARN : ROLE_NORMAL,
                "%s (%s issued, %s left)", a, b, left);
        } else {
            add(L, "Issue limit", ROLE_NORMAL, "%s (%s issued)", a, b);
        }
    } else {
        add(L, "Issue limit", ROLE_NORMAL, "%s", a);
    }
    if (s->redeemed >= 0) {
        text_format_number((double)s->redeemed, b, sizeof b);
        add(L, "Redeemed", ROLE_NORMAL, "%s coupons of the series", b);
    }
    if (s->per_coupon_redeem >= 0 || s->max_redeem >= 0) {
        limit_text(s->per_coupon_redeem, a, sizeof a);
        limit_text(s->max_redeem, b, sizeof b);
        add(L, "Redemptions", ROLE_NORMAL, "%s per coupon, %s in the series", a, b);
    }
    if (s->terms)
        add(L, "Terms", ROLE_DIM, "%s", s->terms);
}

static void build(struct view *v, struct dlines *L)
{
    struct detail *d = D(v);
    const struct mc_coupon *c = d->coupon;
    const struct mc_coupon *x = d->details && d->details->n ? &d->details->items[0] : NULL;
    char buf[160], when[48];
    add(L, NULL, ROLE_TITLE, "Coupon");
    enum mc_coupon_state st = mc_coupon_state(c, app_wall_time(v->app));
    add(L, "Code", ROLE_ACCENT, "%s", c->code);
    add(L, "State", st == MC_COUPON_ACTIVE ? ROLE_OK : ROLE_WARN, "%s%s%s%s", coupon_state_name(st),
        c->status_message ? " (server: " : "", c->status_message ? c->status_message : "",
        c->status_message ? ")" : "");
    add(L, "Coupon id", ROLE_NORMAL, "%lld", (long long)c->id);
    add(L, "Series", ROLE_NORMAL, "%s (id %lld)", or_dash(c->series_name), (long long)c->series_id);
    add(L, "Description", ROLE_NORMAL, "%s", or_dash(c->description));
    if (x && x->detailed_info)
        add(L, "Details", ROLE_NORMAL, "%s", x->detailed_info);
    coupon_fmt_discount(c->discount_type, c->discount_value, c->discount_upto, true, buf, sizeof buf);
    add(L, "Discount", ROLE_NORMAL, "%s%s%s", buf, x && x->discount_on ? " on the " : "",
        x && x->discount_on ? x->discount_on : "");
    if (x && x->discount_code)
        add(L, "Discount code", ROLE_NORMAL, "%s", x->discount_code);
    coupon_fmt_time(c->valid_till, when, sizeof when);
    add(L, "Valid till", st == MC_COUPON_EXPIRED ? ROLE_WARN : ROLE_NORMAL, "%s", when);
    coupon_fmt_time(c->active_from, when, sizeof when);
    add(L, "Active from", ROLE_NORMAL, "%s", when);
    coupon_fmt_time(c->issued_on ? c->issued_on : c->created, when, sizeof when);
    add(L, "Issued on", ROLE_NORMAL, "%s", when);
    add(L, "Issued at", ROLE_NORMAL, "%s%s%s%s", or_dash(c->issued_store_name),
        c->issued_store_code ? " (" : "", c->issued_store_code ? c->issued_store_code : "",
        c->issued_store_code ? ")" : "");
    add(L, "Issued by", ROLE_NORMAL, "till %lld", (long long)c->issued_by);
    add(L, "Issued to", ROLE_NORMAL, "%s (customer %lld)", d->name[0] ? d->name : "-",
        (long long)(c->issued_to ? c->issued_to : d->id));
    if (c->ref_id)
        add(L, "Reference", ROLE_NORMAL, "%lld", (long long)c->ref_id);
    if (c->has_left) {
        if (c->redemptions_left < 0)
            snprintf(buf, sizeof buf, "no limit on redemptions");
        else
            snprintf(buf, sizeof buf, "%ld redemption%s", c->redemptions_left,
                     c->redemptions_left == 1 ? "" : "s");
        add(L, "Left", ROLE_NORMAL, "%s", buf);
    }
    add(L, NULL, ROLE_TITLE, "Redemptions");
    if (c->n_redemptions == 0 && c->n_reversed == 0)
        add(L, "", ROLE_DIM, "never redeemed");
    add_redemptions(L, c->redemptions, c->n_redemptions, false);
    add_redemptions(L, c->reversed, c->n_reversed, true);
    build_series(v, L);
}

static void detail_draw(struct view *v, WINDOW *w)
{
    struct detail *d = D(v);
    const struct app *app = v->app;
    int cols = v->cols, body = v->rows - 1;
    char head[256];
    snprintf(head, sizeof head, "Coupon %s of %s", d->code, d->name[0] ? d->name : "the member");
    tui_put(app, w, 0, 1, cols - 2, head, ROLE_TITLE);
    tui_hline(app, w, 1, 0, cols);
    if (!d->coupon) {
        const char *msg = d->error[0] ? d->error
                          : d->missing ? "This coupon is no longer among the member's coupons"
                                       : "Loading the coupon...";
        tui_put(app, w, 2, 1, cols - 2, msg, d->error[0] || d->missing ? ROLE_ERROR : ROLE_DIM);
    } else {
        struct dlines *L = calloc(1, sizeof *L);
        if (!L)
            abort();
        build(v, L);
        d->content = L->n + 2;
        if (d->scroll > d->content - body)
            d->scroll = d->content - body > 0 ? d->content - body : 0;
        for (int i = 0; i < L->n; i++) {
            int y = 2 + i - d->scroll;
            if (y < 2 || y >= body)
                continue;
            const struct dline *l = &L->l[i];
            if (l->title) {
                tui_put(app, w, y, 1, cols - 2, l->value, ROLE_TITLE);
                continue;
            }
            tui_put(app, w, y, 2, 14, l->label, ROLE_LABEL);
            tui_put(app, w, y, 17, cols - 18, l->value, l->role);
        }
        free(L);
    }
    char hint[256] = "";
    static const struct {
        enum action a;
        const char *word;
    } keys[] = {
        {ACTION_COUPON_CHECK, "check"},   {ACTION_COUPON_REDEEM, "redeem"},
        {ACTION_COUPON_REVOKE, "revoke"}, {ACTION_COUPON_REACTIVATE, "reactivate"},
        {ACTION_COUPON_RESEND, "resend"},
    };
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        char k[32];
        if (!app_action_allowed(app, keys[i].a))
            continue;
        keymap_keys_for(app_keymap(app), CTX_COUPONS, keys[i].a, k, sizeof k);
        char *comma = strchr(k, ',');
        if (comma)
            *comma = '\0';
        size_t len = strlen(hint);
        if (*k)
            snprintf(hint + len, sizeof hint - len, "%s %s  ", k, keys[i].word);
    }
    size_t len = strlen(hint);
    snprintf(hint + len, sizeof hint - len, "Up/Down scroll  q back");
    tui_put(app, w, v->rows - 1, 1, cols - 2, hint, ROLE_DIM);
}

const struct view_ops coupon_detail_view_ops = {
    .name = "coupon",
    .ctx = CTX_COUPONS,
    .priv_size = sizeof(struct detail),
    .flags = VIEW_MUTATES,
    .open = detail_open,
    .close = detail_close,
    .draw = detail_draw,
    .on_action = detail_action,
    .on_result = detail_result,
    .reload = detail_reload,
};
