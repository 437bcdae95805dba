/*
 * coupons.c - a member's coupons, grouped active / redeemed / expired /
 * revoked, with code, series, discount, valid till (date and time), issued
 * on and where, redeemed on and where. A strip under the list shows all of
 * that for the selected coupon; Enter opens everything the API knows.
 *
 * Endpoints: GET /v2/customers/{id}/coupons (the list), GET
 * /v2/customers/{id} (name and identifiers). The actions (coupon_actions.c)
 * add GET /v1.1/coupon/series, POST /v2/coupon/issue, GET
 * /v2/coupon/is_redeemable, POST /v2/coupon/redeem, POST /v2/coupon/revoke,
 * POST /v2/coupon/reactivate and GET /v1.1/coupon/resend.
 *
 * Actions (keys in default.keys, context "coupons"): i issue from a series
 * (a filterable picker), c check redeemable, r redeem (bill number and
 * amount), x revoke (a reason), a reactivate a redemption, s resend; / filters
 * by code or series; Ctrl-R / F5 reloads; `:coupon CODE` selects a code or
 * looks up its owner. Writes are confirmed with a sentence saying what
 * will happen, recorded in the audit log before they are sent and after the
 * answer, reported in the status line, and the list reloads by itself.
 * In --readonly the writes are hidden (keys, hint, help) and refused.
 * Children: coupon_detail (Enter); another member's coupons (:coupon).
 *
 * Never two coupons for one intent. The issue API takes no client
 * reference, so the console cannot ask the server to drop a repeat; it
 * makes sure it never sends one:
 *   - one write at a time: the form is busy from submit until the answer
 *     (a second Enter or Ctrl-S does nothing), the confirmation dialog is
 *     modal, and Esc on the screen waits for the answer instead of
 *     dropping it;
 *   - before sending, the codes the member already holds are noted;
 *   - when the answer is lost (no connection, timeout, 5xx, garbled body)
 *     the server may or may not have issued. The attempt is kept open (its
 *     audit record too) and the list reloads at once: a coupon of that
 *     series with a code not noted before is the one the attempt created,
 *     and the screen says so and closes the form;
 *   - submitting again while an attempt is open first fetches the member's
 *     coupons afresh and issues only when that shows no such coupon; if the
 *     fetch fails nothing is sent.
 * So a retry after a failure that happened before the write (the sandbox's
 * --fail-next-writes) issues exactly one coupon, and a retry after a write
 * whose answer was lost issues none. Redeem needs no such care: a coupon
 * has a fixed number of redemptions and the server refuses one more (711).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/text.h"
#include "views/coupon_text.h"
#include "views/coupons_priv.h"

#define DETAIL_ROWS 3

static const enum mc_coupon_state group_order[] = {MC_COUPON_ACTIVE, MC_COUPON_REDEEMED,
                                                   MC_COUPON_EXPIRED, MC_COUPON_REVOKED};

static long long now_of(struct view *v)
{
    return app_wall_time(v->app);
}

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

static bool matches(const struct mc_coupon *c, const char *f)
{
    if (!*f)
        return true;
    return contains_ci(c->code, f) || contains_ci(c->series_name, f) ||
           contains_ci(c->description, f) || (c->series && contains_ci(c->series->code, f));
}

const struct mc_coupon *coupons_selected(struct view *v)
{
    struct coupons *s = coupons_of(v);
    if (!s->list || s->pos.cursor < 0 || (size_t)s->pos.cursor >= s->n_lines)
        return NULL;
    const struct coupon_line *l = &s->lines[s->pos.cursor];
    return l->title ? NULL : &s->list->items[l->idx];
}

const struct mc_coupon *coupons_find(struct view *v, const char *code)
{
    struct coupons *s = coupons_of(v);
    for (size_t i = 0; s->list && code && i < s->list->n; i++)
        if (s->list->items[i].code && strcasecmp(s->list->items[i].code, code) == 0)
            return &s->list->items[i];
    return NULL;
}

/* Moves the cursor off a title line, in direction dir first. */
static void settle(struct coupons *s, int dir)
{
    if (s->n_lines == 0 || s->coupons_shown == 0) {
        s->pos.cursor = -1;
        s->pos.top = 0;
        return;
    }
    long c = s->pos.cursor < 0 ? 0 : s->pos.cursor;
    if (c >= (long)s->n_lines)
        c = (long)s->n_lines - 1;
    for (long k = c; k >= 0 && k < (long)s->n_lines; k += dir)
        if (!s->lines[k].title) {
            s->pos.cursor = k;
            return;
        }
    for (long k = c; k >= 0 && k < (long)s->n_lines; k -= dir)
        if (!s->lines[k].title) {
            s->pos.cursor = k;
            return;
        }
}

static void select_code(struct coupons *s, const char *code)
{
    for (size_t i = 0; i < s->n_lines; i++)
        if (!s->lines[i].title && s->list->items[s->lines[i].idx].code &&
            strcasecmp(s->list->items[s->lines[i].idx].code, code) == 0) {
            s->pos.cursor = (long)i;
            return;
        }
}

static void rebuild(struct view *v, const char *keep)
{
    struct coupons *s = coupons_of(v);
    free(s->lines);
    s->lines = NULL;
    s->n_lines = 0;
    s->coupons_shown = 0;
    if (!s->list) {
        s->pos.cursor = -1;
        return;
    }
    s->lines = calloc(s->list->n + 4, sizeof *s->lines);
    if (!s->lines)
        abort();
    long long now = now_of(v);
    for (size_t g = 0; g < sizeof group_order / sizeof group_order[0]; g++) {
        size_t title = s->n_lines;
        int count = 0;
        for (size_t i = 0; i < s->list->n; i++) {
            const struct mc_coupon *c = &s->list->items[i];
            if (mc_coupon_state(c, now) != group_order[g] || !matches(c, s->filter))
                continue;
            if (count++ == 0)
                s->lines[s->n_lines++] = (struct coupon_line){.title = true, .group = group_order[g]};
            s->lines[s->n_lines++] = (struct coupon_line){.group = group_order[g], .idx = i};
            s->coupons_shown++;
        }
        if (count)
            s->lines[title].count = count;
    }
    s->pos.cursor = 0;
    if (keep && *keep)
        select_code(s, keep);
    settle(s, 1);
}

void coupons_select(struct view *v, const char *code)
{
    struct coupons *s = coupons_of(v);
    if (!code || !coupons_find(v, code))
        return;
    if (s->filter[0] && !matches(coupons_find(v, code), s->filter)) {
        s->filter[0] = '\0';
        rebuild(v, code);
        return;
    }
    select_code(s, code);
    settle(s, 1);
}

void coupons_set_list(struct view *v, struct mc_coupon_list *list)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *sel = coupons_selected(v);
    char keep[64] = "";
    snprintf(keep, sizeof keep, "%s", s->want[0] ? s->want : sel && sel->code ? sel->code : "");
    mc_coupon_list_free(&s->list);
    s->list = list;
    s->want[0] = '\0';
    rebuild(v, keep);
}

void coupons_reload_list(struct view *v, const char *code)
{
    struct coupons *s = coupons_of(v);
    if (code)
        snprintf(s->want, sizeof s->want, "%s", code);
    s->loading = true;
    view_submit(v, api_customer_coupons(s->id), CTAG_LIST);
}

/* Life */

/* "Coupons" under the member's screen, whose crumb names them already;
 * "Asha Rao's coupons" when opened from elsewhere (a coupon lookup). */
static void set_crumb(struct view *v)
{
    struct coupons *s = coupons_of(v);
    struct view *below = app_view_below(v->app, v);
    if (below && below->ops == &customer_view_ops) {
        view_set_crumb(v, "Coupons");
        return;
    }
    char crumb[200];
    snprintf(crumb, sizeof crumb, "%s's coupons", s->name);
    view_set_crumb(v, crumb);
}

static int coupons_open(struct view *v, const struct view_args *args)
{
    struct coupons *s = coupons_of(v);
    s->id = args->customer_id;
    if (s->id <= 0) {
        app_status(v->app, STATUS_ERROR, "No member to show coupons for");
        return -1;
    }
    s->pos.cursor = -1;
    if (args->name && *args->name && strspn(args->name, " ") != strlen(args->name))
        snprintf(s->name, sizeof s->name, "%s", args->name);
    else
        snprintf(s->name, sizeof s->name, "member #%lld", (long long)s->id);
    if (args->query)
        snprintf(s->want, sizeof s->want, "%s", args->query);
    set_crumb(v);
    s->loading = true;
    view_submit(v, api_customer_coupons(s->id), CTAG_LIST);
    view_submit(v, api_customer_get(s->id), CTAG_MEMBER);
    return 0;
}

struct view *open_coupons_view(struct app *app, int64_t customer_id, const char *name,
                               const char *select_code)
{
    struct view_args args = {.customer_id = customer_id, .name = name, .query = select_code};
    return app_push(app, &coupons_view_ops, &args);
}

static void coupons_close(struct view *v)
{
    struct coupons *s = coupons_of(v);
    coupon_actions_close(v);
    mc_customer_free(&s->member);
    mc_coupon_list_free(&s->list);
    mc_series_list_free(&s->series);
    free(s->lines);
    free(s->form_series);
}

static void on_member(struct view *v, struct api_result *res)
{
    struct coupons *s = coupons_of(v);
    struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
    if (!c)
        return; /* the name from the caller stays; resend says what is missing */
    res->data = NULL;
    mc_customer_free(&s->member);
    s->member = c;
    char name[160];
    snprintf(name, sizeof name, "%s %s", c->first_name ? c->first_name : "",
             c->last_name ? c->last_name : "");
    if (strspn(name, " ") != strlen(name))
        snprintf(s->name, sizeof s->name, "%s", name);
    set_crumb(v);
}

static void coupons_result(struct view *v, struct api_result *res)
{
    struct coupons *s = coupons_of(v);
    coupon_actions_settle_dropped(v);
    switch (res->tag) {
    case CTAG_LIST: {
        s->loading = false;
        struct mc_coupon_list *l = API_DATA(res, COUPONS, struct mc_coupon_list);
        if (l) {
            res->data = NULL;
            s->failed = false;
            coupons_set_list(v, l);
            coupon_actions_list_arrived(v);
        } else {
            s->failed = true;
            api_error_format(&res->err, s->error, sizeof s->error);
            app_status_error(v->app, "Loading the coupons failed", &res->err);
        }
        break;
    }
    case CTAG_MEMBER:
        on_member(v, res);
        break;
    default:
        coupon_actions_result(v, res);
        return;
    }
    api_result_free(&res);
}

static void coupons_reload(struct view *v)
{
    struct coupons *s = coupons_of(v);
    if (coupon_actions_dropped(v)) {
        coupon_actions_settle_dropped(v); /* says what happened and reloads */
        return;
    }
    if (s->busy != CW_NONE) {
        app_status(v->app, STATUS_WARN, "Reloading after the answer to the write in flight");
        return;
    }
    view_cancel(v);
    coupons_reload_list(v, NULL);
    view_submit(v, api_customer_get(s->id), CTAG_MEMBER);
    mc_series_list_free(&s->series);
    s->series_loading = false;
    app_status(v->app, STATUS_INFO, "Reloading %s's coupons...", s->name);
}

static void open_detail(struct view *v)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *c = coupons_selected(v);
    if (!c) {
        app_status(v->app, STATUS_INFO, "No coupon selected");
        return;
    }
    struct view_args args = {.customer_id = s->id, .name = s->name, .query = c->code};
    app_push(v->app, &coupon_detail_view_ops, &args);
}

static bool coupons_action(struct view *v, enum action a)
{
    struct coupons *s = coupons_of(v);
    if (coupon_actions_dropped(v)) {
        /* The first key after a cancelled write settles it, and only that. */
        coupon_actions_settle_dropped(v);
        return true;
    }
    switch (a) {
    case ACTION_OPEN:
        open_detail(v);
        return true;
    case ACTION_BACK:
    case ACTION_SEARCH:
        if (s->busy != CW_NONE) {
            /* Leaving would drop the answer and the audit record with it. */
            app_status(v->app, STATUS_WARN,
                       "Waiting for the server's answer to the write just sent; then Esc leaves");
            return true;
        }
        return false;
    default:
        break;
    }
    if (coupon_actions_run(v, a))
        return true;
    int dir = a == ACTION_UP || a == ACTION_PAGE_UP || a == ACTION_FIRST ? -1 : 1;
    if (s->n_lines > 0 && list_nav(&s->pos, a, (long)s->n_lines, s->list_height > 0 ? s->list_height : 1)) {
        settle(s, dir);
        return true;
    }
    return false;
}

static void coupons_filter(struct view *v, const char *text)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *sel = coupons_selected(v);
    char keep[64];
    snprintf(keep, sizeof keep, "%s", sel && sel->code ? sel->code : "");
    snprintf(s->filter, sizeof s->filter, "%s", text);
    rebuild(v, keep);
}

static bool coupons_command(struct view *v, const char *verb, const char *arg)
{
    struct coupons *s = coupons_of(v);
    if (strcmp(verb, "coupon") != 0)
        return false;
    coupon_actions_settle_dropped(v);
    if (!*arg) {
        app_status(v->app, STATUS_WARN, "Usage: :coupon CODE");
        return true;
    }
    if (coupons_find(v, arg)) {
        coupons_select(v, arg);
        return true;
    }
    snprintf(s->lookup_code, sizeof s->lookup_code, "%s", arg);
    coupon_lookup_start(v, arg, CTAG_LOOKUP);
    return true;
}

/* Drawing */

struct columns {
    int code, series, discount, valid, last;
    bool wide;
};

static struct columns layout(int cols)
{
    struct columns c = {.code = 11, .discount = 10, .valid = 17, .last = 11};
    c.wide = cols >= 110;
    if (c.wide)
        c.last = 30 + (cols - 110) / 2;
    c.series = cols - 2 - c.code - c.discount - c.valid - c.last - 4;
    if (c.series < 8)
        c.series = 8;
    return c;
}

static void where_text(const char *date_iso, const char *store, bool with_store, char *buf, size_t n)
{
    char d[32];
    coupon_fmt_date(date_iso, d, sizeof d);
    if (with_store && store && *store)
        snprintf(buf, n, "%s %s", d, store);
    else
        snprintf(buf, n, "%s", d);
}

static void draw_coupon(struct view *v, WINDOW *w, int y, const struct mc_coupon *c,
                        enum mc_coupon_state state, bool selected, const struct columns *k)
{
    const struct app *app = v->app;
    enum role r = selected ? ROLE_SELECTED : ROLE_NORMAL;
    if (selected)
        tui_fill(app, w, y, 0, v->cols, ROLE_SELECTED);
    int x = 1;
    tui_put(app, w, y, x, k->code, c->code, selected ? r : ROLE_ACCENT);
    x += k->code + 1;
    tui_put(app, w, y, x, k->series, c->series_name ? c->series_name : c->description, r);
    x += k->series + 1;
    char buf[160];
    coupon_fmt_discount(c->discount_type, c->discount_value, c->discount_upto, false, buf, sizeof buf);
    tui_put(app, w, y, x, k->discount, buf, r);
    x += k->discount + 1;
    coupon_fmt_time(c->valid_till, buf, sizeof buf);
    tui_put(app, w, y, x, k->valid, buf, selected ? r : state == MC_COUPON_EXPIRED ? ROLE_WARN : r);
    x += k->valid + 1;
    const struct mc_redemption *red = mc_coupon_last_redemption(c);
    if (state == MC_COUPON_REDEEMED && red)
        where_text(red->date, red->store_name, k->wide, buf, sizeof buf);
    else
        where_text(c->issued_on ? c->issued_on : c->created, c->issued_store_name, k->wide, buf,
                   sizeof buf);
    tui_put(app, w, y, x, k->last, buf, selected ? r : ROLE_DIM);
}

static void draw_title_line(struct view *v, WINDOW *w, int y, const struct coupon_line *l,
                            const struct columns *k)
{
    char t[64];
    snprintf(t, sizeof t, "%s (%d)", coupon_state_name(l->group), l->count);
    tui_put(v->app, w, y, 1, v->cols / 2, t, ROLE_TITLE);
    tui_put(v->app, w, y, v->cols - 1 - k->last, k->last,
            l->group == MC_COUPON_REDEEMED ? "Redeemed" : "Issued", ROLE_LABEL);
}

/* The strip under the list: the selected coupon in full sentences. */
static void draw_detail(struct view *v, WINDOW *w, int y)
{
    const struct app *app = v->app;
    const struct mc_coupon *c = coupons_selected(v);
    int width = v->cols - 2;
    if (!c)
        return;
    enum mc_coupon_state st = mc_coupon_state(c, now_of(v));
    char disc[96], line[512], when[48], till[48];
    coupon_fmt_discount(c->discount_type, c->discount_value, c->discount_upto, true, disc, sizeof disc);
    coupon_fmt_time(c->valid_till, till, sizeof till);
    snprintf(line, sizeof line, "%s  %s%s%s%s  %s", c->code, c->series_name ? c->series_name : "",
             c->series && c->series->code ? " (" : "",
             c->series && c->series->code ? c->series->code : "",
             c->series && c->series->code ? ")" : "", disc);
    int used = tui_put(app, w, y, 1, width - 10, line, ROLE_NORMAL);
    tui_put_right(app, w, y, 1 + used, width - used, coupon_state_name(st),
                  st == MC_COUPON_ACTIVE ? ROLE_OK : ROLE_WARN);
    coupon_fmt_time(c->issued_on ? c->issued_on : c->created, when, sizeof when);
    char by[32] = "";
    if (c->issued_by)
        snprintf(by, sizeof by, " by till %lld", (long long)c->issued_by);
    snprintf(line, sizeof line, "Issued %s at %s%s", when,
             c->issued_store_name ? c->issued_store_name : "an unnamed store", by);
    tui_put(app, w, y + 1, 1, width, line, ROLE_DIM);
    const struct mc_redemption *r = mc_coupon_last_redemption(c);
    enum role role = ROLE_DIM;
    if (r) {
        coupon_fmt_time(r->date, when, sizeof when);
        snprintf(line, sizeof line, "Redeemed %s at %s, bill %s (#%lld)%s", when,
                 r->store_name ? r->store_name : "-", r->bill && *r->bill ? r->bill : "-",
                 (long long)r->id, c->n_reversed ? "; earlier redemptions reversed" : "");
        role = ROLE_OK;
    } else if (st == MC_COUPON_REVOKED) {
        snprintf(line, sizeof line, "Revoked: %s", c->status_message ? c->status_message : "cannot be used");
        role = ROLE_WARN;
    } else if (st == MC_COUPON_EXPIRED) {
        snprintf(line, sizeof line, "Expired on %s, never redeemed", till);
        role = ROLE_WARN;
    } else if (c->has_left && c->redemptions_left >= 0) {
        snprintf(line, sizeof line, "Not redeemed yet; %ld redemption%s left%s", c->redemptions_left,
                 c->redemptions_left == 1 ? "" : "s",
                 c->n_reversed ? " (an earlier redemption was reversed)" : "");
    } else {
        snprintf(line, sizeof line, "Not redeemed yet");
    }
    tui_put(app, w, y + 2, 1, width, line, role);
}

/* Appends "KEY word  " when it fits in width columns. */
static void add_hint(struct view *v, char *hint, size_t n, int width, enum action a, const char *key,
                     const char *word)
{
    char k[32];
    if (a != ACTION_NONE) {
        if (!app_action_allowed(v->app, a))
            return;
        keymap_keys_for(app_keymap(v->app), CTX_COUPONS, a, k, sizeof k);
        char *comma = strchr(k, ',');
        if (comma)
            *comma = '\0';
        key = k;
    }
    if (!*key)
        return;
    size_t len = strlen(hint);
    if ((int)(len + strlen(key) + strlen(word) + 1) > width)
        return;
    snprintf(hint + len, n - len, "%s %s  ", key, word);
}

static void draw_hint(struct view *v, WINDOW *w)
{
    char hint[256] = "";
    int width = v->cols - 2;
    if (coupon_actions_dropped(v)) {
        /* Drawing sends nothing: the next action settles it (coupon_actions.c). */
        tui_put(v->app, w, v->rows - 1, 1, width,
                "The write's answer was cancelled: Ctrl-R shows what happened", ROLE_WARN);
        return;
    }
    add_hint(v, hint, sizeof hint, width, ACTION_COUPON_ISSUE, NULL, "issue");
    add_hint(v, hint, sizeof hint, width, ACTION_COUPON_CHECK, NULL, "check");
    add_hint(v, hint, sizeof hint, width, ACTION_COUPON_REDEEM, NULL, "redeem");
    add_hint(v, hint, sizeof hint, width, ACTION_COUPON_REVOKE, NULL, "revoke");
    add_hint(v, hint, sizeof hint, width, ACTION_COUPON_REACTIVATE, NULL, "reactivate");
    add_hint(v, hint, sizeof hint, width, ACTION_COUPON_RESEND, NULL, "resend");
    add_hint(v, hint, sizeof hint, width, ACTION_NONE, "Enter", "details");
    add_hint(v, hint, sizeof hint, width, ACTION_NONE, "/", "filter");
    add_hint(v, hint, sizeof hint, width, ACTION_NONE, "q", "back");
    add_hint(v, hint, sizeof hint, width, ACTION_NONE, "?", "help");
    tui_put(v->app, w, v->rows - 1, 1, width, hint, ROLE_DIM);
}

static void draw_summary(struct view *v, WINDOW *w)
{
    struct coupons *s = coupons_of(v);
    const struct app *app = v->app;
    char left[256];
    size_t n = s->list ? s->list->n : 0;
    if (s->list && s->filter[0])
        snprintf(left, sizeof left, "%.120s: %ld of %zu coupons match '%.60s'", s->name,
                 s->coupons_shown, n, s->filter);
    else if (s->list)
        snprintf(left, sizeof left, "%s: %zu coupon%s", s->name, n, n == 1 ? "" : "s");
    else
        snprintf(left, sizeof left, "%s's coupons", s->name);
    int used = tui_put(app, w, 0, 1, v->cols - 2, left, ROLE_TITLE);
    if (!s->list)
        return;
    int counts[4] = {0};
    long long now = now_of(v);
    for (size_t i = 0; i < s->list->n; i++)
        counts[mc_coupon_state(&s->list->items[i], now)]++;
    char right[160];
    snprintf(right, sizeof right, "%d active  %d redeemed  %d expired  %d revoked",
             counts[MC_COUPON_ACTIVE], counts[MC_COUPON_REDEEMED], counts[MC_COUPON_EXPIRED],
             counts[MC_COUPON_REVOKED]);
    int room = v->cols - 2 - used - 2;
    if (room > 10)
        tui_put_right(app, w, 0, v->cols - 1 - room, room, right, ROLE_DIM);
}

static void coupons_draw(struct view *v, WINDOW *w)
{
    struct coupons *s = coupons_of(v);
    const struct app *app = v->app;
    int cols = v->cols;
    struct columns k = layout(cols);
    draw_summary(v, w);
    tui_hline(app, w, 1, 0, cols);
    bool strip = v->rows >= 16;
    int first = 3, last = v->rows - 2 - (strip ? DETAIL_ROWS + 1 : 0);
    s->list_height = last - first + 1 > 1 ? last - first + 1 : 1;
    int x = 1;
    tui_put(app, w, 2, x, k.code, "Code", ROLE_LABEL);
    x += k.code + 1;
    tui_put(app, w, 2, x, k.series, "Series", ROLE_LABEL);
    x += k.series + 1;
    tui_put(app, w, 2, x, k.discount, "Discount", ROLE_LABEL);
    x += k.discount + 1;
    tui_put(app, w, 2, x, k.valid, "Valid till", ROLE_LABEL);

    if (!s->list) {
        const char *msg = s->failed ? s->error : "Loading coupons...";
        tui_put(app, w, first, 1, cols - 2, msg, s->failed ? ROLE_ERROR : ROLE_DIM);
        if (s->failed)
            tui_put(app, w, first + 1, 1, cols - 2, "Ctrl-R or F5 tries again", ROLE_DIM);
        draw_hint(v, w);
        return;
    }
    if (s->coupons_shown == 0) {
        char msg[300];
        if (s->filter[0])
            snprintf(msg, sizeof msg, "No coupon matches '%s' (Esc on / clears the filter)", s->filter);
        else
            snprintf(msg, sizeof msg, "%s has no coupons yet.", s->name);
        tui_put(app, w, first, 1, cols - 2, msg, ROLE_DIM);
        if (!s->filter[0] && app_action_allowed(app, ACTION_COUPON_ISSUE))
            tui_put(app, w, first + 1, 1, cols - 2, "Press i to issue one from a series.", ROLE_DIM);
        draw_hint(v, w);
        return;
    }
    list_clamp(&s->pos, (long)s->n_lines, s->list_height);
    /* Keep the group title above the first coupon in view when it fits. */
    if (s->pos.top > 0 && s->pos.top == s->pos.cursor && s->lines[s->pos.top - 1].title)
        s->pos.top--;
    long long now = now_of(v);
    for (int i = 0; i < s->list_height; i++) {
        long li = s->pos.top + i;
        if (li >= (long)s->n_lines)
            break;
        const struct coupon_line *l = &s->lines[li];
        if (l->title)
            draw_title_line(v, w, first + i, l, &k);
        else
            draw_coupon(v, w, first + i, &s->list->items[l->idx],
                        mc_coupon_state(&s->list->items[l->idx], now), li == s->pos.cursor, &k);
    }
    if (strip) {
        tui_hline(app, w, v->rows - 2 - DETAIL_ROWS, 0, cols);
        draw_detail(v, w, v->rows - 1 - DETAIL_ROWS);
    }
    draw_hint(v, w);
}

/* y: the selected coupon's code; Y: its row as shown. */
static bool coupons_copy(struct view *v, bool whole_row, char *label, size_t labellen, char *text,
                         size_t textlen)
{
    const struct mc_coupon *c = coupons_selected(v);
    if (!c || !c->code)
        return false;
    if (!whole_row) {
        snprintf(label, labellen, "coupon code");
        snprintf(text, textlen, "%s", c->code);
        return true;
    }
    char disc[160], till[64];
    coupon_fmt_discount(c->discount_type, c->discount_value, c->discount_upto, false, disc, sizeof disc);
    coupon_fmt_time(c->valid_till, till, sizeof till);
    snprintf(label, labellen, "row");
    snprintf(text, textlen, "%s  %s  %s  %s", c->code,
             c->series_name ? c->series_name : c->description ? c->description : "", disc, till);
    return true;
}

const struct view_ops coupons_view_ops = {
    .name = "coupons",
    .ctx = CTX_COUPONS,
    .priv_size = sizeof(struct coupons),
    .flags = VIEW_MUTATES | VIEW_FILTERABLE,
    .open = coupons_open,
    .close = coupons_close,
    .draw = coupons_draw,
    .on_action = coupons_action,
    .on_result = coupons_result,
    .reload = coupons_reload,
    .filter = coupons_filter,
    .command = coupons_command,
    .copy = coupons_copy,
};
