/*
 * customer.c - the member at a glance.
 *
 * Identity (name, identifiers, status, enrolled on and where), tier
 * (current, next, expiry), points (current, lifetime, redeemed, expired,
 * adjusted, expiring in the next 30 days) and recent activity. Three
 * requests run in parallel and each part fills in as its answer arrives:
 *   GET /v2/customers/{id}?embed=points,mlp,expirySchedules (skipped when
 *       the search screen already looked the member up),
 *   GET /v2/customers/{id}/points/balance,
 *   GET /v2/customers/{id}/loyaltyEvents?limit=10.
 *
 * Keys: l ledger, c coupons, t tickets, n notes, i messages sent, g goodwill
 * request (children: those screens), Ctrl-R / F5 reload, Up/Down scroll
 * when the screen is too short.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/text.h"
#include "views/views.h"

#define EVENTS_SHOWN 10

enum { TAG_CUSTOMER = 1, TAG_BALANCE, TAG_EVENTS };

struct part_state {
    bool loading;
    bool failed;
    char error[160];
};

struct customer {
    int64_t id;
    struct mc_customer *c;
    struct mc_balance *bal;
    struct mc_event_page *events;
    struct part_state pc, pb, pe;
    int scroll;                 /* first body line shown when it does not fit */
    int content_rows;           /* lines the last draw needed */
};

static struct customer *C(struct view *v) { return v->priv; }

static void load(struct view *v, bool with_customer)
{
    struct customer *s = C(v);
    if (with_customer) {
        s->pc.loading = true;
        view_submit(v, api_customer_get(s->id), TAG_CUSTOMER);
    }
    s->pb.loading = s->pe.loading = true;
    view_submit(v, api_points_balance(s->id), TAG_BALANCE);
    view_submit(v, api_loyalty_events(s->id, 0, EVENTS_SHOWN), TAG_EVENTS);
}

static void set_crumb_from(struct view *v)
{
    struct customer *s = C(v);
    if (!s->c)
        return;
    char name[160];
    snprintf(name, sizeof name, "%s %s", s->c->first_name ? s->c->first_name : "",
             s->c->last_name ? s->c->last_name : "");
    view_set_crumb(v, name);
}

static int customer_open(struct view *v, const struct view_args *args)
{
    struct customer *s = C(v);
    s->id = args->customer_id ? args->customer_id : (args->customer ? args->customer->id : 0);
    if (s->id <= 0) {
        app_status(v->app, STATUS_ERROR, "No member to open");
        if (args->customer) {
            struct mc_customer *c = args->customer;
            mc_customer_free(&c);
        }
        return -1;
    }
    s->c = args->customer;
    if (args->name && *args->name)
        view_set_crumb(v, args->name);
    else {
        char crumb[32];
        snprintf(crumb, sizeof crumb, "#%lld", (long long)s->id);
        view_set_crumb(v, crumb);
    }
    set_crumb_from(v);
    load(v, s->c == NULL);
    return 0;
}

struct view *open_customer_view(struct app *app, int64_t id, const char *name)
{
    struct view_args args = {.customer_id = id, .name = name};
    return app_push(app, &customer_view_ops, &args);
}

static void customer_close(struct view *v)
{
    struct customer *s = C(v);
    mc_customer_free(&s->c);
    mc_balance_free(&s->bal);
    mc_event_page_free(&s->events);
}

static void part_fail(struct view *v, struct part_state *p, const char *what, const struct api_error *err)
{
    p->failed = true;
    api_error_format(err, p->error, sizeof p->error);
    app_status_error(v->app, what, err);
}

static void customer_result(struct view *v, struct api_result *res)
{
    struct customer *s = C(v);
    switch (res->tag) {
    case TAG_CUSTOMER:
        s->pc.loading = false;
        if (res->err.kind == API_OK) {
            mc_customer_free(&s->c);
            s->c = res->data;
            res->data = NULL;
            s->pc.failed = false;
            set_crumb_from(v);
        } else {
            part_fail(v, &s->pc, "Loading the member failed", &res->err);
        }
        break;
    case TAG_BALANCE:
        s->pb.loading = false;
        if (res->err.kind == API_OK) {
            mc_balance_free(&s->bal);
            s->bal = res->data;
            res->data = NULL;
            s->pb.failed = false;
        } else {
            part_fail(v, &s->pb, "Loading the points balance failed", &res->err);
        }
        break;
    case TAG_EVENTS:
        s->pe.loading = false;
        if (res->err.kind == API_OK) {
            mc_event_page_free(&s->events);
            s->events = res->data;
            res->data = NULL;
            s->pe.failed = false;
        } else {
            part_fail(v, &s->pe, "Loading recent activity failed", &res->err);
        }
        break;
    default:
        break;
    }
    api_result_free(&res);
}

static void customer_refresh(struct view *v)
{
    view_cancel(v);
    load(v, true);
    app_status(v->app, STATUS_INFO, "Reloading...");
}

static bool customer_action(struct view *v, enum action a)
{
    struct customer *s = C(v);
    switch (a) {
    case ACTION_COUPONS: {
        char name[160] = "";
        if (s->c)
            snprintf(name, sizeof name, "%s %s", s->c->first_name ? s->c->first_name : "",
                     s->c->last_name ? s->c->last_name : "");
        open_coupons_view(v->app, s->id, name, NULL);
        return true;
    }
    case ACTION_LEDGER:
        open_ledger_view(v->app, s->id, s->c);
        return true;
    case ACTION_GOODWILL:
    case ACTION_GOODWILL_HISTORY:
        open_goodwill_view(v->app, s->id, v->crumb, a == ACTION_GOODWILL);
        return true;
    case ACTION_TICKETS:
        open_tickets_view(v->app, s->id);
        return true;
    case ACTION_NOTES:
        open_notes_view(v->app, s->id);
        return true;
    case ACTION_INTERACTIONS:
        open_interactions_view(v->app, s->id, s->c ? s->c->mobile : NULL);
        return true;
    case ACTION_UP:
        if (s->scroll > 0)
            s->scroll--;
        return true;
    case ACTION_DOWN:
        if (s->scroll + v->rows - 1 < s->content_rows)
            s->scroll++;
        return true;
    case ACTION_FIRST:
        s->scroll = 0;
        return true;
    default:
        return false;
    }
}

/* Layout: a list of label/value lines per column, drawn side by side when
 * the terminal is wide enough and one under the other otherwise. */
struct line {
    const char *label;  /* NULL: a section title in value */
    char value[160];
    enum role role;
};

#define MAX_LINES 24

struct column {
    struct line l[MAX_LINES];
    int n;
};

static void add(struct column *c, const char *label, enum role role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(struct column *c, const char *label, enum role role, const char *fmt, ...)
{
    if (c->n >= MAX_LINES)
        return;
    struct line *l = &c->l[c->n++];
    l->label = label;
    l->role = role;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->value, sizeof l->value, fmt, ap);
    va_end(ap);
}

static const char *nz(const char *s) { return s && *s ? s : "-"; }

static void num(double v, char *buf, size_t n) { text_format_number(v, buf, n); }

/* Points in expiry schedules dated within 30 days of now. */
static double expiring_soon(const struct view *v, const struct mc_customer *c, char *first, size_t n)
{
    long long now = app_wall_time(v->app);
    time_t t0 = (time_t)now, t1 = (time_t)(now + 30LL * 86400);
    struct tm a, b;
    gmtime_r(&t0, &a);
    gmtime_r(&t1, &b);
    char today[16], limit[16];
    strftime(today, sizeof today, "%Y-%m-%d", &a);
    strftime(limit, sizeof limit, "%Y-%m-%d", &b);
    double sum = 0;
    first[0] = '\0';
    for (size_t i = 0; i < c->n_expiry; i++) {
        const char *d = c->expiry[i].date;
        if (!d || strncmp(d, today, 10) < 0 || strncmp(d, limit, 10) > 0)
            continue;
        sum += c->expiry[i].points;
        if (!first[0])
            snprintf(first, n, "%.10s", d);
    }
    return sum;
}

static void build_identity(struct view *v, struct column *col)
{
    struct customer *s = C(v);
    add(col, NULL, ROLE_TITLE, "Identity");
    if (!s->c) {
        add(col, "", s->pc.failed ? ROLE_ERROR : ROLE_DIM, "%s", s->pc.failed ? s->pc.error : "loading...");
        return;
    }
    const struct mc_customer *c = s->c;
    add(col, "Customer id", ROLE_NORMAL, "%lld", (long long)c->id);
    add(col, "Mobile", ROLE_NORMAL, "%s", nz(c->mobile));
    add(col, "Email", ROLE_NORMAL, "%s", nz(c->email));
    add(col, "External id", ROLE_NORMAL, "%s", nz(c->external_id));
    if (c->card_number)
        add(col, "Card", ROLE_NORMAL, "%s", c->card_number);
    add(col, "Status", c->fraud_status && strcmp(c->fraud_status, "NOT_FRAUD") != 0 ? ROLE_WARN : ROLE_NORMAL,
        "%s%s%s", nz(c->loyalty_type), c->fraud_status ? ", " : "", c->fraud_status ? c->fraud_status : "");
    add(col, "Enrolled", ROLE_NORMAL, "%.10s at %s", nz(c->created_on), nz(c->source));
    if (c->created_by)
        add(col, "", ROLE_DIM, "by %s", c->created_by);
    char buf[32];
    num(c->lifetime_purchases, buf, sizeof buf);
    add(col, "Purchases", ROLE_NORMAL, "%s lifetime", buf);
}

static void build_loyalty(struct view *v, struct column *col)
{
    struct customer *s = C(v);
    add(col, NULL, ROLE_TITLE, "Tier");
    if (!s->c) {
        add(col, "", s->pc.failed ? ROLE_ERROR : ROLE_DIM, "%s", s->pc.failed ? "unavailable" : "loading...");
    } else {
        const struct mc_customer *c = s->c;
        if (c->tier)
            add(col, "Current", ROLE_ACCENT, "%s", c->tier);
        else
            add(col, "Current", ROLE_DIM, "not in a loyalty program");
        if (c->next_tier && c->next_tier_serial != -1)
            add(col, "Next", ROLE_NORMAL, "%s", c->next_tier);
        else if (c->tier)
            add(col, "Next", ROLE_DIM, "top tier");
        if (c->tier_expiry)
            add(col, "Valid till", ROLE_NORMAL, "%.10s", c->tier_expiry);
    }
    add(col, NULL, ROLE_TITLE, "Points");
    char buf[32];
    if (s->bal) {
        num(s->bal->main, buf, sizeof buf);
        add(col, "Current", ROLE_OK, "%s", buf);
        if (s->bal->promised != 0) {
            num(s->bal->promised, buf, sizeof buf);
            add(col, "Promised", ROLE_NORMAL, "%s", buf);
        }
    } else if (s->c) {
        num(s->c->points_current, buf, sizeof buf);
        add(col, "Current", ROLE_OK, "%s", buf);
    } else {
        add(col, "Current", s->pb.failed ? ROLE_ERROR : ROLE_DIM, "%s",
            s->pb.failed ? "unavailable" : "loading...");
    }
    if (!s->c)
        return;
    const struct mc_customer *c = s->c;
    num(c->points_lifetime, buf, sizeof buf);
    add(col, "Lifetime", ROLE_NORMAL, "%s", buf);
    num(c->points_redeemed, buf, sizeof buf);
    add(col, "Redeemed", ROLE_NORMAL, "%s", buf);
    num(c->points_expired, buf, sizeof buf);
    add(col, "Expired", ROLE_NORMAL, "%s", buf);
    num(c->points_adjusted, buf, sizeof buf);
    add(col, "Adjusted", ROLE_NORMAL, "%s", buf);
    char first[16];
    double soon = expiring_soon(v, c, first, sizeof first);
    num(soon, buf, sizeof buf);
    if (soon > 0)
        add(col, "Expiring 30d", ROLE_WARN, "%s (first on %s)", buf, first);
    else
        add(col, "Expiring 30d", ROLE_DIM, "none");
}

/* Draws line i of col at (y, x) in w columns. */
static void draw_line(struct view *v, WINDOW *w, int y, int x, int width, const struct line *l)
{
    const struct app *app = v->app;
    if (!l->label) {
        tui_put(app, w, y, x, width, l->value, ROLE_TITLE);
        return;
    }
    int lw = 13;
    tui_put(app, w, y, x + 1, lw, l->label, ROLE_LABEL);
    tui_put(app, w, y, x + 1 + lw, width - lw - 1, l->value, l->role);
}

static void customer_draw(struct view *v, WINDOW *w)
{
    struct customer *s = C(v);
    const struct app *app = v->app;
    int cols = v->cols;
    struct column left = {0}, right = {0};
    build_identity(v, &left);
    build_loyalty(v, &right);

    /* Lines: name bar, rule, columns, blank, activity title + rows, hint. */
    int body = v->rows - 1; /* last row is the hint */
    bool two = cols >= 76;
    int colrows = two ? (left.n > right.n ? left.n : right.n) : left.n + right.n;
    int nev = s->events ? (int)s->events->n : 1;
    s->content_rows = 2 + colrows + 1 + 1 + nev;
    if (s->scroll > s->content_rows - body)
        s->scroll = s->content_rows - body > 0 ? s->content_rows - body : 0;

    int y = -s->scroll;
#define ROW_VISIBLE(yy) ((yy) >= 0 && (yy) < body)
    if (ROW_VISIBLE(y)) {
        char name[256] = "";
        if (s->c)
            snprintf(name, sizeof name, "%s %s", s->c->first_name ? s->c->first_name : "",
                     s->c->last_name ? s->c->last_name : "");
        else
            snprintf(name, sizeof name, "Member #%lld", (long long)s->id);
        tui_put(app, w, y, 1, cols / 2, name, ROLE_TITLE);
        if (s->c && s->c->tier) {
            char pts[32], right_text[96];
            num(s->bal ? s->bal->main : s->c->points_current, pts, sizeof pts);
            snprintf(right_text, sizeof right_text, "%s, %s points", s->c->tier, pts);
            tui_put_right(app, w, y, cols / 2, cols / 2 - 1, right_text, ROLE_ACCENT);
        }
    }
    y++;
    if (ROW_VISIBLE(y))
        tui_hline(app, w, y, 0, cols);
    y++;
    if (two) {
        int half = cols / 2;
        for (int i = 0; i < colrows; i++, y++) {
            if (!ROW_VISIBLE(y))
                continue;
            if (i < left.n)
                draw_line(v, w, y, 0, half - 1, &left.l[i]);
            if (i < right.n)
                draw_line(v, w, y, half, cols - half - 1, &right.l[i]);
        }
    } else {
        for (int i = 0; i < left.n; i++, y++)
            if (ROW_VISIBLE(y))
                draw_line(v, w, y, 0, cols - 1, &left.l[i]);
        for (int i = 0; i < right.n; i++, y++)
            if (ROW_VISIBLE(y))
                draw_line(v, w, y, 0, cols - 1, &right.l[i]);
    }
    y++;
    if (ROW_VISIBLE(y))
        tui_put(app, w, y, 0, cols, "Recent activity", ROLE_TITLE);
    y++;
    if (!s->events) {
        if (ROW_VISIBLE(y))
            tui_put(app, w, y, 1, cols - 2, s->pe.failed ? s->pe.error : "loading...",
                    s->pe.failed ? ROLE_ERROR : ROLE_DIM);
    } else if (s->events->n == 0) {
        if (ROW_VISIBLE(y))
            tui_put(app, w, y, 1, cols - 2, "No activity yet", ROLE_DIM);
    } else {
        for (size_t i = 0; i < s->events->n; i++, y++) {
            if (!ROW_VISIBLE(y))
                continue;
            const struct mc_event *e = &s->events->items[i];
            char date[20];
            snprintf(date, sizeof date, "%.16s", nz(e->date));
            for (char *p = date; *p; p++)
                if (*p == 'T')
                    *p = ' ';
            tui_put(app, w, y, 1, 17, date, ROLE_DIM);
            tui_put(app, w, y, 19, cols - 31, nz(e->name), ROLE_NORMAL);
            bool ok = e->status && strcmp(e->status, "SUCCESS") == 0;
            tui_put(app, w, y, cols - 11, 10, nz(e->status), ok ? ROLE_OK : ROLE_WARN);
        }
    }
#undef ROW_VISIBLE
    char hint[160], k[32];
    snprintf(hint, sizeof hint, "%s ledger  ", keymap_keys_for(app_keymap(app), CTX_CUSTOMER, ACTION_LEDGER, k, sizeof k));
    size_t len = strlen(hint);
    snprintf(hint + len, sizeof hint - len, "%s coupons  ", keymap_keys_for(app_keymap(app), CTX_CUSTOMER, ACTION_COUPONS, k, sizeof k));
    len = strlen(hint);
    snprintf(hint + len, sizeof hint - len, "%s tickets  ", keymap_keys_for(app_keymap(app), CTX_CUSTOMER, ACTION_TICKETS, k, sizeof k));
    len = strlen(hint);
    if (app_action_allowed(app, ACTION_GOODWILL)) {
        snprintf(hint + len, sizeof hint - len, "%s goodwill  ", keymap_keys_for(app_keymap(app), CTX_CUSTOMER, ACTION_GOODWILL, k, sizeof k));
        len = strlen(hint);
    }
    snprintf(hint + len, sizeof hint - len, "q back  ? help");
    tui_put(app, w, v->rows - 1, 1, cols - 2, hint, ROLE_DIM);
}

/* y: the member id; Y: who the member is, in one line. */
static bool customer_copy(struct view *v, bool whole_row, char *label, size_t labellen, char *text,
                          size_t textlen)
{
    struct customer *s = C(v);
    if (!whole_row || !s->c) {
        snprintf(label, labellen, "member id");
        snprintf(text, textlen, "%lld", (long long)s->id);
        return s->id > 0;
    }
    char pts[32];
    num(s->bal ? s->bal->main : s->c->points_current, pts, sizeof pts);
    snprintf(label, labellen, "member");
    snprintf(text, textlen, "%s %s  %lld  %s  %s  %s  %s points", nz(s->c->first_name),
             nz(s->c->last_name), (long long)s->id, nz(s->c->mobile), nz(s->c->email), nz(s->c->tier),
             pts);
    return true;
}

const struct view_ops customer_view_ops = {
    .name = "customer",
    .ctx = CTX_CUSTOMER,
    .priv_size = sizeof(struct customer),
    .flags = VIEW_MUTATES,
    .open = customer_open,
    .close = customer_close,
    .draw = customer_draw,
    .on_action = customer_action,
    .on_result = customer_result,
    .reload = customer_refresh,
    .copy = customer_copy,
};
