/*
 * request_detail.c - one request in full, for the checker deciding it:
 * what is asked (member, amount or change, reason, comment, reference),
 * the member's summary (tier, balance, the goodwill they already got) and
 * the request's log (raised, approved or rejected, by whom, when, with
 * which comment).
 *
 * Endpoints, in parallel when the screen opens:
 *   GET /v1.1/request/logs?request_id=..  the request as it is now, and its log
 *   GET /v2/customers/{id}                tier and points
 *   GET /v2/customers/{id}/goodwillRequest?limit=10  recent goodwill
 * (a request that names its member by mobile only is looked up first).
 *
 * Keys: a approve (with another amount if needed), r reject (comment
 * required): both confirm with the key facts, and approval is refused
 * before sending when the signed-in till raised the request. Up/Down
 * scroll, F5 reload, q back. The queue below learns of a decision made
 * here. Children: none.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/text.h"
#include "views/request_decide.h"

#define MAX_LINES 96
#define GOODWILL_SHOWN 10

enum { TAG_TRAIL = 1, TAG_MEMBER, TAG_LOOKUP, TAG_GOODWILL, TAG_DECIDE };

struct line {
    char label[16];
    char text[300];
    enum role role;
    bool title;
};

struct detail {
    struct decide decide;          /* first: the decision flow's state */
    struct mc_request r;           /* owned copy; refreshed from the log */
    struct mc_request_trail *trail;
    struct mc_customer *member;
    struct mc_goodwill_page *goodwill;
    bool loading_trail, loading_member, loading_goodwill;
    char err_trail[160], err_member[160], err_goodwill[160];
    struct line lines[MAX_LINES];  /* built by draw from the state */
    int n_lines, scroll;
};

static struct detail *DT(struct view *v) { return v->priv; }

static void load_member(struct view *v)
{
    struct detail *d = DT(v);
    if (d->r.customer_id > 0) {
        d->loading_member = d->loading_goodwill = true;
        view_submit(v, api_customer_get(d->r.customer_id), TAG_MEMBER);
        view_submit(v, api_goodwill_history(d->r.customer_id, 0, GOODWILL_SHOWN), TAG_GOODWILL);
    } else if (d->r.mobile && *d->r.mobile) {
        d->loading_member = d->loading_goodwill = true;
        view_submit(v, api_customer_lookup("mobile", d->r.mobile), TAG_LOOKUP);
    }
}

static void load(struct view *v)
{
    struct detail *d = DT(v);
    long long t = request_parse_time(d->r.added_on);
    if (t < 0)
        t = app_wall_time(v->app);
    char from[16], to[16];
    time_t a = (time_t)(t - 86400), b = (time_t)(t + 86400);
    struct tm tm;
    gmtime_r(&a, &tm);
    strftime(from, sizeof from, "%Y-%m-%d", &tm);
    gmtime_r(&b, &tm);
    strftime(to, sizeof to, "%Y-%m-%d", &tm);
    d->loading_trail = true;
    view_submit(v, api_request_trail(d->r.id, d->r.type, d->r.base_type, from, to), TAG_TRAIL);
    load_member(v);
}

struct view *open_request_detail_view(struct app *app, const struct mc_request *r)
{
    char crumb[32];
    snprintf(crumb, sizeof crumb, "Request #%lld", (long long)r->id);
    struct view_args args = {.customer_id = r->customer_id, .name = crumb};
    struct view *v = app_push(app, &request_detail_view_ops, &args);
    if (!v)
        return NULL;
    request_copy(&DT(v)->r, r);
    load(v);
    return v;
}

static int detail_open(struct view *v, const struct view_args *args)
{
    view_set_crumb(v, args->name ? args->name : "Request");
    return 0;
}

static void detail_close(struct view *v)
{
    struct detail *d = DT(v);
    mc_request_clear(&d->r);
    mc_request_trail_free(&d->trail);
    mc_customer_free(&d->member);
    mc_goodwill_page_free(&d->goodwill);
}

static void after_decision(struct view *v, const char *status)
{
    struct detail *d = DT(v);
    free(d->r.status);
    d->r.status = strdup(status);
    if (!d->r.status)
        abort();
    struct view *below = app_view_below(v->app, v);
    if (below && below->ops == &requests_view_ops)
        requests_view_decided(below, d->r.id, status);
    load(v);
}

static void detail_result(struct view *v, struct api_result *res)
{
    struct detail *d = DT(v);
    switch (res->tag) {
    case TAG_TRAIL: {
        d->loading_trail = false;
        struct mc_request_trail *t = API_DATA(res, REQUEST_TRAIL, struct mc_request_trail);
        if (!t) {
            api_error_format(&res->err, d->err_trail, sizeof d->err_trail);
            break;
        }
        res->data = NULL;
        mc_request_trail_free(&d->trail);
        d->trail = t;
        d->err_trail[0] = '\0';
        if (t->found && t->req.id == d->r.id) {
            /* the log's view of the request is the current one (another checker may have decided) */
            int64_t cid = d->r.customer_id;
            mc_request_clear(&d->r);
            request_copy(&d->r, &t->req);
            if (d->r.customer_id <= 0)
                d->r.customer_id = cid;
        }
        break;
    }
    case TAG_LOOKUP: {
        struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
        if (!c) {
            d->loading_member = d->loading_goodwill = false;
            api_error_format(&res->err, d->err_member, sizeof d->err_member);
            break;
        }
        d->r.customer_id = c->id;
        load_member(v);
        break;
    }
    case TAG_MEMBER: {
        d->loading_member = false;
        struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
        if (!c) {
            api_error_format(&res->err, d->err_member, sizeof d->err_member);
            break;
        }
        res->data = NULL;
        mc_customer_free(&d->member);
        d->member = c;
        d->err_member[0] = '\0';
        break;
    }
    case TAG_GOODWILL: {
        d->loading_goodwill = false;
        struct mc_goodwill_page *p = API_DATA(res, GOODWILL_HISTORY, struct mc_goodwill_page);
        if (!p) {
            api_error_format(&res->err, d->err_goodwill, sizeof d->err_goodwill);
            break;
        }
        res->data = NULL;
        mc_goodwill_page_free(&d->goodwill);
        d->goodwill = p;
        d->err_goodwill[0] = '\0';
        break;
    }
    case TAG_DECIDE: {
        enum decide_outcome o = decide_result(v, res);
        if (o == DECIDE_DONE)
            after_decision(v, d->decide.approve ? "APPROVED" : "REJECTED");
        else if (o == DECIDE_STALE || o == DECIDE_UNKNOWN)
            load(v);
        break;
    }
    default:
        break;
    }
    api_result_free(&res);
}

static bool detail_action(struct view *v, enum action a)
{
    view_dirty(v); /* whatever the key did shows at once */
    struct detail *d = DT(v);
    switch (a) {
    case ACTION_REQ_APPROVE:
    case ACTION_REQ_REJECT:
        decide_start(v, &d->r, a == ACTION_REQ_APPROVE, TAG_DECIDE);
        return true;
    case ACTION_BACK:
        if (d->decide.busy) {
            app_status(v->app, STATUS_WARN, "Waiting for the answer about request #%lld", (long long)d->r.id);
            return true;
        }
        return false;
    case ACTION_UP:
    case ACTION_PAGE_UP:
        d->scroll -= a == ACTION_UP ? 1 : v->rows - 2;
        if (d->scroll < 0)
            d->scroll = 0;
        return true;
    case ACTION_DOWN:
    case ACTION_PAGE_DOWN:
        d->scroll += a == ACTION_DOWN ? 1 : v->rows - 2;
        return true;
    case ACTION_FIRST:
        d->scroll = 0;
        return true;
    default:
        return false;
    }
}

static void detail_refresh(struct view *v)
{
    struct detail *d = DT(v);
    if (d->decide.busy) {
        app_status(v->app, STATUS_WARN, "Waiting for the answer about request #%lld", (long long)d->r.id);
        return;
    }
    load(v);
    app_status(v->app, STATUS_INFO, "Reloading request #%lld...", (long long)d->r.id);
}

/* Layout */

static void add(struct detail *d, const char *label, enum role role, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(struct detail *d, const char *label, enum role role, const char *fmt, ...)
{
    if (d->n_lines >= MAX_LINES)
        return;
    struct line *l = &d->lines[d->n_lines++];
    snprintf(l->label, sizeof l->label, "%s", label ? label : "");
    l->title = label == NULL;
    l->role = role;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->text, sizeof l->text, fmt, ap);
    va_end(ap);
}

static const char *nz(const char *s) { return s && *s ? s : "-"; }

static void when(const char *s, char *buf, size_t n)
{
    snprintf(buf, n, "%.16s", nz(s));
    for (char *p = buf; *p; p++)
        if (*p == 'T')
            *p = ' ';
}

static void build_request(struct view *v, struct detail *d)
{
    const struct mc_request *r = &d->r;
    char buf[200], t[32], age[16];
    add(d, NULL, ROLE_TITLE, "Request");
    request_member_text(r, buf, sizeof buf);
    add(d, "Member", ROLE_NORMAL, "%s", buf);
    request_amount_text(r, buf, sizeof buf);
    double flag = app_flag_points(v->app);
    bool big = r->base_type && strcmp(r->base_type, "POINTS") == 0 && r->has_points && flag > 0 && r->points > flag;
    add(d, "Asks for", big ? ROLE_WARN : ROLE_ACCENT, "%s %s%s", nz(r->type), buf, big ? "  ($ above the flag)" : "");
    add(d, "Reason", ROLE_NORMAL, "%s", nz(r->reason));
    add(d, "Comment", ROLE_NORMAL, "%s", nz(r->comments));
    when(r->added_on, t, sizeof t);
    request_age_text(r->added_on, app_wall_time(v->app), age, sizeof age);
    bool mine = request_is_mine(v->app, r);
    add(d, "Raised", mine ? ROLE_WARN : ROLE_NORMAL, "%s (%s ago) by %s%s", t, age, nz(r->added_by.code),
        mine ? "  (you: another checker must approve)" : "");
    bool pending = r->status && strcmp(r->status, "PENDING") == 0;
    add(d, "Status", pending ? ROLE_WARN : strcmp(nz(r->status), "APPROVED") == 0 ? ROLE_OK : ROLE_ERROR, "%s%s%s",
        nz(r->status), r->approved_value && *r->approved_value ? ": " : "",
        r->approved_value && *r->approved_value ? r->approved_value : "");
    if (!pending && r->updated_by.code) {
        when(r->last_action_on, t, sizeof t);
        add(d, "Decided", ROLE_NORMAL, "%s by %s%s%s", t, r->updated_by.code, r->updated_comments && *r->updated_comments ? ": " : "",
            r->updated_comments ? r->updated_comments : "");
    }
    if (r->reference_id && *r->reference_id)
        add(d, "Reference", ROLE_DIM, "%s", r->reference_id);
}

static void build_member(struct view *v, struct detail *d)
{
    char num[32], life[32];
    add(d, NULL, ROLE_TITLE, "Member");
    if (!d->member) {
        add(d, "", d->err_member[0] ? ROLE_ERROR : ROLE_DIM, "%s",
            d->err_member[0] ? d->err_member : d->loading_member ? "loading..." : "not known");
    } else {
        const struct mc_customer *c = d->member;
        text_format_number(c->points_current, num, sizeof num);
        text_format_number(c->points_lifetime, life, sizeof life);
        add(d, "Tier", ROLE_ACCENT, "%s", c->tier ? c->tier : "not in a loyalty program");
        add(d, "Balance", ROLE_OK, "%s points (lifetime %s)", num, life);
        if (c->fraud_status && strcmp(c->fraud_status, "NOT_FRAUD") != 0)
            add(d, "Fraud status", ROLE_WARN, "%s", c->fraud_status);
    }
    add(d, NULL, ROLE_TITLE, "Goodwill already received (latest %d)", GOODWILL_SHOWN);
    if (!d->goodwill) {
        add(d, "", d->err_goodwill[0] ? ROLE_ERROR : ROLE_DIM, "%s",
            d->err_goodwill[0] ? d->err_goodwill : d->loading_goodwill ? "loading..." : "not known");
        return;
    }
    long long cutoff = app_wall_time(v->app) - 30LL * 86400;
    size_t shown = 0;
    for (size_t i = 0; i < d->goodwill->n; i++) {
        const struct mc_goodwill *g = &d->goodwill->items[i];
        if (g->request_id == d->r.id)
            continue;
        char t[32];
        when(g->updated_on ? g->updated_on : g->added_on, t, sizeof t);
        bool approved = g->status && strcmp(g->status, "APPROVED") == 0;
        bool recent = approved && request_parse_time(g->updated_on ? g->updated_on : g->added_on) >= cutoff;
        if (g->has_points)
            text_format_number(g->points, num, sizeof num);
        add(d, "", recent ? ROLE_WARN : ROLE_NORMAL, "%.10s  %-8s %-6s %8s  %s%s", t, nz(g->status), nz(g->type),
            approved && g->approved_value ? g->approved_value : g->has_points ? num : "", nz(g->reason),
            recent ? "  (R: last 30 days)" : "");
        shown++;
    }
    if (!shown)
        add(d, "", ROLE_DIM, "none");
}

static void build_log(struct detail *d)
{
    add(d, NULL, ROLE_TITLE, "Log");
    if (!d->trail) {
        add(d, "", d->err_trail[0] ? ROLE_ERROR : ROLE_DIM, "%s",
            d->err_trail[0] ? d->err_trail : d->loading_trail ? "loading..." : "-");
        return;
    }
    if (!d->trail->found || d->trail->n_steps == 0) {
        add(d, "", ROLE_DIM, "The server lists no log for this request");
        return;
    }
    for (size_t i = 0; i < d->trail->n_steps; i++) {
        const struct mc_request_step *s = &d->trail->steps[i];
        char t[32];
        when(s->time, t, sizeof t);
        add(d, "", ROLE_NORMAL, "%s  %-9s %s%s%s", t, nz(s->action), nz(s->who), s->comments && *s->comments ? ": " : "",
            s->comments ? s->comments : "");
    }
}

static void detail_draw(struct view *v, WINDOW *w)
{
    struct detail *d = DT(v);
    const struct app *app = v->app;
    d->n_lines = 0;
    build_request(v, d);
    build_member(v, d);
    build_log(d);
    int body = v->rows - 1;
    if (d->scroll > d->n_lines - body)
        d->scroll = d->n_lines - body > 0 ? d->n_lines - body : 0;
    for (int i = 0; i < body && d->scroll + i < d->n_lines; i++) {
        const struct line *l = &d->lines[d->scroll + i];
        if (l->title) {
            tui_put(app, w, i, 1, v->cols - 2, l->text, ROLE_TITLE);
            continue;
        }
        tui_put(app, w, i, 2, 12, l->label, ROLE_LABEL);
        tui_put(app, w, i, 15, v->cols - 16, l->text, l->role);
    }
    char hint[200], k1[32], k2[32];
    if (app_action_allowed(app, ACTION_REQ_APPROVE))
        snprintf(hint, sizeof hint, "%s approve  %s reject  Up/Down scroll  F5 reload  q back",
                 keymap_keys_for(app_keymap(app), CTX_REQUEST, ACTION_REQ_APPROVE, k1, sizeof k1),
                 keymap_keys_for(app_keymap(app), CTX_REQUEST, ACTION_REQ_REJECT, k2, sizeof k2));
    else
        snprintf(hint, sizeof hint, "Up/Down scroll  F5 reload  q back  ? help");
    tui_put(app, w, v->rows - 1, 1, v->cols - 2, hint, ROLE_DIM);
}

const struct view_ops request_detail_view_ops = {
    .name = "request",
    .ctx = CTX_REQUEST,
    .priv_size = sizeof(struct detail),
    .flags = VIEW_MUTATES,
    .open = detail_open,
    .close = detail_close,
    .draw = detail_draw,
    .on_action = detail_action,
    .on_result = detail_result,
    .reload = detail_refresh,
};
