/*
 * requests.c - the approval queue: requests waiting for a checker, oldest
 * first, with member, type, amount, reason, who raised it and its age.
 *
 * Endpoints: GET /v1.1/request/get (50 a page; every page is loaded, up to
 * 1,000 rows), GET /v2/customers/{id}/goodwillRequest per member shown
 * (the "goodwill in the last 30 days" flag), GET lookup/customerDetails when
 * a row names its member only by mobile; the decisions are in
 * request_decide.c and requests_bulk.c.
 *
 * Risk flags per row: $ above goodwill_flag_points points (config, default
 * 1,000), R the member got goodwill approved in the last 30 days, M raised
 * by the signed-in till (who may not approve it: refused before sending).
 * The queue reloads itself every refresh_interval seconds (config, default
 * 30) through the view timer, which the framework holds while a dialog or
 * form is open; it also holds while a decision is in flight or the bulk
 * preview or results are shown. A reload keeps the cursor on the same
 * request (by id) and keeps the marks of requests still listed.
 *
 * Keys: Up/Down/PgUp/PgDn/g/G move, Enter opens the request, a approve,
 * r reject, Space or m mark, * mark all, A / R decide the marked ones (preview
 * first), f filters (type, status, dates, raised-by, member; also
 * `:requests status=pending member=... from=... by=...`), / finds
 * text in the loaded rows, F5 reloads. Write keys appear only for tills
 * with CanCheckRequest and never in --readonly; any till may look.
 * Children: the request screen (request_detail.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tui/cmdargs.h"
#include "tui/text.h"
#include "views/requests_priv.h"

#define MAX_ROWS 1000
#define HISTORY_LIMIT 25
#define RECENT_DAYS 30

enum { F_TYPE, F_STATUS, F_FROM, F_TO, F_BY, F_MEMBER };

static const char *const type_choices[] = {"Any", "Goodwill points", "Goodwill coupon", "Change mobile",
                                           "Change email", "Change external id"};
static const char *const type_values[][2] = {{"", ""},
                                             {"GOODWILL", "POINTS"},
                                             {"GOODWILL", "COUPON"},
                                             {"CHANGE_IDENTIFIER", "MOBILE"},
                                             {"CHANGE_IDENTIFIER", "EMAIL"},
                                             {"CHANGE_IDENTIFIER", "EXTERNAL_ID"}};
static const char *const status_choices[] = {"Pending", "Approved", "Rejected", "Any"};
static const char *const status_values[] = {"PENDING", "APPROVED", "REJECTED", ""};

static struct rq_row *find_in(struct rq_row *rows, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].r.id == id)
            return &rows[i];
    return NULL;
}

struct rq_row *rq_find(struct queue *q, int64_t id)
{
    return find_in(q->rows, q->n, id);
}

int rq_list_height(const struct view *v)
{
    int h = v->rows - 4;
    return h > 0 ? h : 1;
}

static struct rq_row *cursor_row(struct queue *q)
{
    if (q->pos.cursor < 0 || (size_t)q->pos.cursor >= q->n_visible)
        return NULL;
    return &q->rows[q->visible[q->pos.cursor]];
}

static void free_rows(struct rq_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mc_request_clear(&rows[i].r);
    free(rows);
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

static bool row_matches(const struct rq_row *row, const char *f)
{
    if (!*f)
        return true;
    const struct mc_request *r = &row->r;
    char id[32], name[200];
    snprintf(id, sizeof id, "%lld", (long long)r->id);
    snprintf(name, sizeof name, "%s %s", r->first_name ? r->first_name : "", r->last_name ? r->last_name : "");
    return contains_ci(id, f) || contains_ci(name, f) || contains_ci(r->mobile, f) || contains_ci(r->email, f) ||
           contains_ci(r->reason, f) || contains_ci(r->added_by.code, f) || contains_ci(r->base_type, f) ||
           contains_ci(r->comments, f);
}

/* Rebuilds the visible list and puts the cursor back on keep_id (or near where it was). */
void rq_rebuild_visible(struct view *v)
{
    struct queue *q = Q(v);
    long old = q->pos.cursor;
    free(q->visible);
    q->visible = q->n ? malloc(q->n * sizeof *q->visible) : NULL;
    if (q->n && !q->visible)
        abort();
    q->n_visible = 0;
    long found = -1;
    for (size_t i = 0; i < q->n; i++) {
        if (!row_matches(&q->rows[i], q->text_filter))
            continue;
        if (q->rows[i].r.id == q->keep_id)
            found = (long)q->n_visible;
        q->visible[q->n_visible++] = i;
    }
    q->pos.cursor = found >= 0 ? found : old;
    list_clamp(&q->pos, (long)q->n_visible, rq_list_height(v));
    struct rq_row *row = cursor_row(q);
    if (row && found < 0)
        q->keep_id = row->r.id;
}

/* Members */

static struct rq_member *member_of(struct queue *q, const struct mc_request *r)
{
    for (size_t i = 0; i < q->n_members; i++) {
        struct rq_member *m = &q->members[i];
        if ((r->customer_id > 0 && m->id == r->customer_id) ||
            (r->customer_id <= 0 && r->mobile && m->id == 0 && strcmp(m->mobile, r->mobile) == 0))
            return m;
    }
    return NULL;
}

static void fetch_member(struct view *v, size_t i)
{
    struct rq_member *m = &Q(v)->members[i];
    m->loading = true;
    if (m->id > 0)
        view_submit(v, api_goodwill_history(m->id, 0, HISTORY_LIMIT), RQ_TAG(RQ_K_HISTORY, (int)i));
    else
        view_submit(v, api_customer_lookup("mobile", m->mobile), RQ_TAG(RQ_K_LOOKUP, (int)i));
}

/* Asks for the goodwill history of every listed member not known yet. */
static void fetch_members(struct view *v)
{
    struct queue *q = Q(v);
    for (size_t i = 0; i < q->n; i++) {
        const struct mc_request *r = &q->rows[i].r;
        if (r->customer_id <= 0 && !(r->mobile && *r->mobile))
            continue;
        struct rq_member *m = member_of(q, r);
        if (!m) {
            if (q->n_members == q->cap_members) {
                q->cap_members = q->cap_members ? q->cap_members * 2 : 32;
                q->members = realloc(q->members, q->cap_members * sizeof *q->members);
                if (!q->members)
                    abort();
            }
            m = &q->members[q->n_members++];
            memset(m, 0, sizeof *m);
            m->id = r->customer_id > 0 ? r->customer_id : 0;
            snprintf(m->mobile, sizeof m->mobile, "%s", r->mobile ? r->mobile : "");
        }
        if (!m->known && !m->loading)
            fetch_member(v, (size_t)(m - q->members));
    }
}

static void compute_flags(struct view *v)
{
    struct queue *q = Q(v);
    double limit = app_flag_points(v->app);
    for (size_t i = 0; i < q->n; i++) {
        struct rq_row *row = &q->rows[i];
        const struct mc_request *r = &row->r;
        row->flags = 0;
        if (r->base_type && strcmp(r->base_type, "POINTS") == 0 && r->has_points && limit > 0 && r->points > limit)
            row->flags |= RQ_FLAG_BIG;
        if (request_is_mine(v->app, r))
            row->flags |= RQ_FLAG_MINE;
        const struct rq_member *m = member_of(q, r);
        if (m && m->known && m->recent)
            row->flags |= RQ_FLAG_RECENT;
    }
}

/* The member got goodwill approved within RECENT_DAYS. */
static bool recent_goodwill(const struct view *v, const struct mc_goodwill_page *p)
{
    long long cutoff = app_wall_time(v->app) - RECENT_DAYS * 86400LL;
    for (size_t i = 0; i < p->n; i++) {
        const struct mc_goodwill *g = &p->items[i];
        if (!g->status || strcmp(g->status, "APPROVED") != 0)
            continue;
        long long t = request_parse_time(g->updated_on ? g->updated_on : g->added_on);
        if (t >= cutoff)
            return true;
    }
    return false;
}

void requests_view_decided(struct view *v, int64_t id, const char *status)
{
    struct queue *q = Q(v);
    struct rq_row *row = rq_find(q, id);
    if (!row)
        return;
    snprintf(row->decided, sizeof row->decided, "%s", status);
    row->marked = false;
    struct rq_member *m = member_of(q, &row->r);
    if (m && strcmp(status, "APPROVED") == 0 && row->r.type && strcmp(row->r.type, "GOODWILL") == 0) {
        m->known = true;
        m->recent = true;
        compute_flags(v);
    }
    view_dirty(v);
}

/* Loading */

static void submit_page(struct view *v, long offset)
{
    struct queue *q = Q(v);
    char from[16] = "";
    const char *start = q->f_from;
    bool any = q->f_type[0] || q->f_status[0] || q->f_from[0] || q->f_to[0] || q->f_by[0] || q->f_member[0];
    if (!any) {
        /* request/get needs one filter: "everything" means the last 90 days */
        time_t t = (time_t)(app_wall_time(v->app) - 90LL * 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(from, sizeof from, "%Y-%m-%d", &tm);
        start = from;
    }
    struct mc_request_filter f = {
        .type = q->f_type, .base_type = q->f_base, .status = q->f_status, .start_date = start,
        .end_date = q->f_to, .added_by = q->f_by, .member = q->f_member,
    };
    view_submit(v, api_request_list(&f, offset, API_REQUEST_PAGE_MAX), RQ_TAG(RQ_K_PAGE, (int)q->load_seq));
}

/* The server-side filters, as one string: rows loaded under another key
 * are not what the header describes. */
static void filter_key(const struct queue *q, char *buf, size_t n)
{
    snprintf(buf, n, "%s|%s|%s|%s|%s|%s|%s", q->f_type, q->f_base, q->f_status, q->f_from, q->f_to, q->f_by,
             q->f_member);
}

void rq_reload(struct view *v)
{
    struct queue *q = Q(v);
    q->load_seq = (q->load_seq + 1) & 0xfffff;
    free_rows(q->incoming, q->n_in);
    q->incoming = NULL;
    q->n_in = q->cap_in = 0;
    q->loading = true;
    submit_page(v, 0);
    view_dirty(v);
}

static void arm_timer(struct view *v)
{
    int s = app_refresh_interval(v->app);
    view_set_timer(v, s > 0 ? s * 1000 : 0);
}

static int row_cmp(const void *a, const void *b)
{
    const struct rq_row *x = a, *y = b;
    long long tx = request_parse_time(x->r.added_on), ty = request_parse_time(y->r.added_on);
    if (tx != ty)
        return tx < ty ? -1 : 1;
    return (x->r.id > y->r.id) - (x->r.id < y->r.id);
}

static void finish_load(struct view *v)
{
    struct queue *q = Q(v);
    if (q->n_in > 1) /* qsort wants a non-NULL array even for nothing */
        qsort(q->incoming, q->n_in, sizeof *q->incoming, row_cmp);
    for (size_t i = 0; i < q->n_in; i++) {
        struct rq_row *old = rq_find(q, q->incoming[i].r.id);
        /* a mark on a request that is no longer pending would act on nothing */
        bool pending = q->incoming[i].r.status && strcmp(q->incoming[i].r.status, "PENDING") == 0;
        q->incoming[i].marked = old && old->marked && pending;
    }
    free_rows(q->rows, q->n);
    q->rows = q->incoming;
    q->n = q->n_in;
    q->incoming = NULL;
    q->n_in = q->cap_in = 0;
    q->loading = false;
    q->error[0] = '\0';
    filter_key(q, q->rows_key, sizeof q->rows_key);
    q->loaded_at = app_wall_time(v->app);
    rq_rebuild_visible(v);
    compute_flags(v);
    fetch_members(v);
    arm_timer(v);
}

static void on_page(struct view *v, struct api_result *res)
{
    struct queue *q = Q(v);
    if ((unsigned)RQ_TAG_IDX(res->tag) != q->load_seq)
        return;
    struct mc_request_page *p = API_DATA(res, REQUEST_LIST, struct mc_request_page);
    if (!p) {
        q->loading = false;
        api_error_format(&res->err, q->error, sizeof q->error);
        app_status_error(v->app, "Loading the queue failed", &res->err);
        free_rows(q->incoming, q->n_in);
        q->incoming = NULL;
        q->n_in = q->cap_in = 0;
        char key[sizeof q->rows_key];
        filter_key(q, key, sizeof key);
        if (q->n > 0 && strcmp(key, q->rows_key) != 0) {
            /* the rows are of the filters before: under the new heading they
             * would be taken for its matches, and could be marked and decided */
            free_rows(q->rows, q->n);
            q->rows = NULL;
            q->n = 0;
            q->total = -1;
            rq_rebuild_visible(v);
        }
        arm_timer(v);
        return;
    }
    if (q->n_in + p->n > q->cap_in) {
        q->cap_in = q->n_in + p->n + 64;
        q->incoming = realloc(q->incoming, q->cap_in * sizeof *q->incoming);
        if (!q->incoming)
            abort();
    }
    for (size_t i = 0; i < p->n; i++) {
        if (find_in(q->incoming, q->n_in, p->items[i].id)) {
            mc_request_clear(&p->items[i]); /* a row that moved between pages */
            continue;
        }
        struct rq_row *row = &q->incoming[q->n_in++];
        memset(row, 0, sizeof *row);
        row->r = p->items[i];
    }
    size_t got = p->n;
    p->n = 0; /* the rows own the strings now */
    q->total = p->count;
    if (got > 0 && q->total >= 0 && (long)q->n_in < q->total && q->n_in < MAX_ROWS)
        submit_page(v, (long)q->n_in);
    else
        finish_load(v);
}

static void on_member(struct view *v, struct api_result *res)
{
    struct queue *q = Q(v);
    size_t i = (size_t)RQ_TAG_IDX(res->tag);
    if (i >= q->n_members)
        return;
    struct rq_member *m = &q->members[i];
    m->loading = false;
    if (RQ_TAG_KIND(res->tag) == RQ_K_LOOKUP) {
        struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
        if (c && c->id > 0) {
            m->id = c->id;
            fetch_member(v, i);
        }
        return;
    }
    struct mc_goodwill_page *p = API_DATA(res, GOODWILL_HISTORY, struct mc_goodwill_page);
    if (!p)
        return; /* the flag stays unknown; the row just shows no R */
    m->known = true;
    m->recent = recent_goodwill(v, p);
    compute_flags(v);
}

static void queue_result(struct view *v, struct api_result *res)
{
    struct queue *q = Q(v);
    switch (RQ_TAG_KIND(res->tag)) {
    case RQ_K_PAGE:
        on_page(v, res);
        break;
    case RQ_K_HISTORY:
    case RQ_K_LOOKUP:
        on_member(v, res);
        break;
    case RQ_K_DECIDE: {
        enum decide_outcome o = decide_result(v, res);
        struct rq_row *row = rq_find(q, q->decide.id);
        if (row && o == DECIDE_DONE)
            requests_view_decided(v, row->r.id, q->decide.approve ? "APPROVED" : "REJECTED");
        if (o == DECIDE_STALE)
            rq_reload(v);
        break;
    }
    case RQ_K_BULK:
        rq_bulk_result(v, res);
        break;
    default:
        break;
    }
    api_result_free(&res);
}

/* Open, close */

static int queue_open(struct view *v, const struct view_args *args)
{
    (void)args;
    struct queue *q = Q(v);
    snprintf(q->f_status, sizeof q->f_status, "PENDING");
    q->pos.cursor = -1;
    q->total = -1;
    view_set_crumb(v, "Requests");
    rq_reload(v);
    return 0;
}

static void queue_close(struct view *v)
{
    struct queue *q = Q(v);
    free_rows(q->rows, q->n);
    free_rows(q->incoming, q->n_in);
    free(q->visible);
    free(q->members);
    rq_bulk_free(q);
}

/* Filters */

static void filters_submit(struct view *v, struct form *f)
{
    struct queue *q = Q(v);
    const char *dates[2] = {form_value(f, F_FROM), form_value(f, F_TO)};
    for (int k = 0; k < 2; k++) {
        int y, mo, d;
        char extra;
        if (*dates[k] && (sscanf(dates[k], "%4d-%2d-%2d%c", &y, &mo, &d, &extra) != 3 || strlen(dates[k]) != 10 ||
                          mo < 1 || mo > 12 || d < 1 || d > 31)) {
            form_set_error(f, "%s must be a date like 2026-11-25", k ? "To" : "From");
            return;
        }
    }
    int t = form_choice(f, F_TYPE), s = form_choice(f, F_STATUS);
    snprintf(q->f_type, sizeof q->f_type, "%s", type_values[t < 0 ? 0 : t][0]);
    snprintf(q->f_base, sizeof q->f_base, "%s", type_values[t < 0 ? 0 : t][1]);
    snprintf(q->f_status, sizeof q->f_status, "%s", status_values[s < 0 ? 0 : s]);
    snprintf(q->f_from, sizeof q->f_from, "%s", dates[0]);
    snprintf(q->f_to, sizeof q->f_to, "%s", dates[1]);
    snprintf(q->f_by, sizeof q->f_by, "%s", form_value(f, F_BY));
    snprintf(q->f_member, sizeof q->f_member, "%s", form_value(f, F_MEMBER));
    form_close(f);
    rq_reload(v);
    app_status(v->app, STATUS_INFO, "Loading the requests that match...");
}

static void open_filters(struct view *v)
{
    struct queue *q = Q(v);
    const char *type = type_choices[0], *status = status_choices[3];
    for (size_t i = 0; i < sizeof type_choices / sizeof type_choices[0]; i++)
        if (strcmp(type_values[i][0], q->f_type) == 0 && strcmp(type_values[i][1], q->f_base) == 0)
            type = type_choices[i];
    for (size_t i = 0; i < 4; i++)
        if (strcmp(status_values[i], q->f_status) == 0)
            status = status_choices[i];
    struct form_field_spec fields[] = {
        {.label = "Type", .kind = FIELD_CHOICE, .choices = type_choices, .n_choices = 6, .initial = type},
        {.label = "Status", .kind = FIELD_CHOICE, .choices = status_choices, .n_choices = 4, .initial = status},
        {.label = "From", .kind = FIELD_TEXT, .max_chars = 10, .initial = q->f_from},
        {.label = "To", .kind = FIELD_TEXT, .max_chars = 10, .initial = q->f_to},
        {.label = "Raised by", .kind = FIELD_TEXT, .max_chars = 60, .initial = q->f_by},
        {.label = "Member", .kind = FIELD_TEXT, .max_chars = 120, .initial = q->f_member},
    };
    app_form_open(v, "Filter requests (dates YYYY-MM-DD; member: mobile, email, external id or id:NNN)",
                  fields, 6, filters_submit, NULL);
}

/* Keys */

static void remember_cursor(struct queue *q)
{
    struct rq_row *row = cursor_row(q);
    if (row)
        q->keep_id = row->r.id;
}

static bool queue_action(struct view *v, enum action a);

static bool queue_key(struct view *v, int key)
{
    view_dirty(v); /* whatever the key did shows at once */
    if (Q(v)->mode != RQ_LIST)
        return rq_bulk_key(v, key);
    /* Space marks, as in every list (it is left unbound in the keymap for that) */
    if (key == ' ' && app_action_allowed(v->app, ACTION_REQ_MARK))
        return queue_action(v, ACTION_REQ_MARK);
    return false;
}

static bool queue_action(struct view *v, enum action a)
{
    view_dirty(v); /* whatever the key did shows at once */
    struct queue *q = Q(v);
    if (q->mode != RQ_LIST)
        return rq_bulk_action(v, a);
    struct rq_row *row = cursor_row(q);
    switch (a) {
    case ACTION_BACK:
        if (q->decide.busy) {
            /* going back would cancel the answer and leave the audit record open */
            app_status(v->app, STATUS_WARN, "Waiting for the answer about request #%lld", (long long)q->decide.id);
            return true;
        }
        return false;
    case ACTION_OPEN:
        if (row)
            open_request_detail_view(v->app, &row->r);
        return true;
    case ACTION_REQ_APPROVE:
    case ACTION_REQ_REJECT:
        if (!row) {
            app_status(v->app, STATUS_INFO, "No request selected");
            return true;
        }
        if (row->decided[0]) {
            app_status(v->app, STATUS_WARN, "Request #%lld was just %s here", (long long)row->r.id,
                       strcmp(row->decided, "APPROVED") == 0 ? "approved" : "rejected");
            return true;
        }
        decide_start(v, &row->r, a == ACTION_REQ_APPROVE, RQ_TAG(RQ_K_DECIDE, 0));
        return true;
    case ACTION_REQ_MARK:
        if (row) {
            if (!row->r.status || strcmp(row->r.status, "PENDING") != 0 || row->decided[0])
                app_status(v->app, STATUS_WARN, "Only pending requests can be marked");
            else
                row->marked = !row->marked;
            list_nav(&q->pos, ACTION_DOWN, (long)q->n_visible, rq_list_height(v));
            remember_cursor(q);
        }
        return true;
    case ACTION_REQ_MARK_ALL: {
        bool all = true;
        for (size_t i = 0; i < q->n_visible; i++) {
            struct rq_row *r = &q->rows[q->visible[i]];
            if (!r->marked && !r->decided[0] && r->r.status && strcmp(r->r.status, "PENDING") == 0)
                all = false;
        }
        for (size_t i = 0; i < q->n_visible; i++) {
            struct rq_row *r = &q->rows[q->visible[i]];
            r->marked = !all && !r->decided[0] && r->r.status && strcmp(r->r.status, "PENDING") == 0;
        }
        return true;
    }
    case ACTION_REQ_APPROVE_MARKED:
    case ACTION_REQ_REJECT_MARKED:
        rq_bulk_start(v, a == ACTION_REQ_APPROVE_MARKED);
        return true;
    case ACTION_REQ_FILTERS:
        open_filters(v);
        return true;
    default:
        break;
    }
    if (list_nav(&q->pos, a, (long)q->n_visible, rq_list_height(v))) {
        remember_cursor(q);
        return true;
    }
    return false;
}

static void queue_refresh(struct view *v)
{
    struct queue *q = Q(v);
    if (q->mode != RQ_LIST) {
        app_status(v->app, STATUS_INFO, "Leave the %s first (Esc)", q->mode == RQ_PREVIEW ? "preview" : "results");
        return;
    }
    for (size_t i = 0; i < q->n_members; i++)
        if (!q->members[i].loading)
            q->members[i].known = false;
    rq_reload(v);
    app_status(v->app, STATUS_INFO, "Reloading the queue...");
}

static void queue_timer(struct view *v)
{
    struct queue *q = Q(v);
    if (q->mode != RQ_LIST || q->decide.busy || q->loading)
        arm_timer(v);
    else
        rq_reload(v);
}

static void queue_filter(struct view *v, const char *text)
{
    struct queue *q = Q(v);
    snprintf(q->text_filter, sizeof q->text_filter, "%s", text);
    rq_rebuild_visible(v);
    view_dirty(v);
}

/* `:requests key=value ...`: the filters of the f form as words (status=,
 * type=, member= or mobile=, from=, to=, by=); the filters not named go
 * back to their defaults (pending, any type, the last 90 days). sort= is
 * the command line's: it moves the cursor once the queue is loaded. */
static const char *const cmd_types[] = {"any", "goodwill-points", "goodwill-coupon", "change-mobile",
                                        "change-email", "change-external-id"};
static const char *const cmd_statuses[] = {"pending", "approved", "rejected", "any"};

static int word_index(const char *const *words, size_t n, const char *w)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(words[i], w) == 0)
            return (int)i;
    return -1;
}

static bool queue_command(struct view *v, const char *verb, const char *arg)
{
    struct queue *q = Q(v);
    if (strcmp(verb, "requests") != 0)
        return false;
    if (q->mode != RQ_LIST || v->writes_pending > 0) {
        app_status(v->app, STATUS_WARN, "Decisions are being sent or shown: filters can change once they are done");
        return true;
    }
    struct cmd_words w;
    char err[160];
    if (cmd_split(arg, &w, err, sizeof err) == (size_t)-1) {
        app_status(v->app, STATUS_ERROR, "requests: %s", err);
        return true;
    }
    int type = 0, status = 0;
    char from[16] = "", to[16] = "", by[64] = "", member[128] = "";
    const char *bad = NULL;
    for (int i = 0; i < w.argc && !bad; i++) {
        char *eq = strchr(w.argv[i], '=');
        if (!eq) {
            bad = "filters are key=value: status=, type=, member=, from=, to=, by=, sort=";
            break;
        }
        *eq = '\0';
        const char *k = w.argv[i], *val = eq + 1;
        int y, mo, d;
        char extra;
        if (strcmp(k, "status") == 0) {
            status = word_index(cmd_statuses, 4, val);
            bad = status < 0 ? "status= pending, approved, rejected or any" : NULL;
        } else if (strcmp(k, "type") == 0) {
            type = word_index(cmd_types, 6, val);
            bad = type < 0 ? "type= goodwill-points, goodwill-coupon, change-mobile, change-email, "
                             "change-external-id or any"
                           : NULL;
        } else if (strcmp(k, "member") == 0 || strcmp(k, "mobile") == 0) {
            snprintf(member, sizeof member, "%s", val);
        } else if (strcmp(k, "by") == 0) {
            snprintf(by, sizeof by, "%s", val);
        } else if (strcmp(k, "from") == 0 || strcmp(k, "to") == 0) {
            if (strlen(val) != 10 || sscanf(val, "%4d-%2d-%2d%c", &y, &mo, &d, &extra) != 3 || mo < 1 || mo > 12 ||
                d < 1 || d > 31)
                bad = "from= and to= take dates like 2026-11-25";
            else
                snprintf(strcmp(k, "from") == 0 ? from : to, 16, "%s", val);
        } else if (strcmp(k, "sort") == 0) {
            bad = strcmp(val, "oldest") == 0 || strcmp(val, "newest") == 0 ? NULL : "sort= oldest or newest";
        } else {
            bad = "filters: status=, type=, member=, from=, to=, by=, sort=";
        }
    }
    if (bad) {
        app_status(v->app, STATUS_ERROR, "requests: %s", bad);
        cmd_words_free(&w);
        return true;
    }
    cmd_words_free(&w);
    snprintf(q->f_type, sizeof q->f_type, "%s", type_values[type][0]);
    snprintf(q->f_base, sizeof q->f_base, "%s", type_values[type][1]);
    snprintf(q->f_status, sizeof q->f_status, "%s", status_values[status]);
    snprintf(q->f_from, sizeof q->f_from, "%s", from);
    snprintf(q->f_to, sizeof q->f_to, "%s", to);
    snprintf(q->f_by, sizeof q->f_by, "%s", by);
    snprintf(q->f_member, sizeof q->f_member, "%s", member);
    rq_reload(v);
    app_status(v->app, STATUS_INFO, "Loading the requests that match...");
    return true;
}

/* Drawing */

struct cols {
    int mark, age, member, type, amount, reason, by, flags;
};

static struct cols layout(int width)
{
    struct cols c = {.mark = 1, .age = 4, .type = 6, .amount = 7, .by = 15, .flags = 4};
    int rest = width - 2 - c.mark - c.age - c.type - c.amount - c.by - c.flags - 7;
    if (rest < 12)
        rest = 12;
    c.member = rest * 55 / 100;
    c.reason = rest - c.member;
    return c;
}

static const char *type_short(const struct mc_request *r)
{
    const char *b = r->base_type ? r->base_type : "";
    if (strcmp(b, "POINTS") == 0)
        return "points";
    if (strcmp(b, "COUPON") == 0 || strcmp(b, "COUPONS") == 0)
        return "coupon";
    if (strcmp(b, "MOBILE") == 0)
        return "mobile";
    if (strcmp(b, "EMAIL") == 0)
        return "email";
    if (strcmp(b, "EXTERNAL_ID") == 0)
        return "ext.id";
    return b;
}

static void draw_row(struct view *v, WINDOW *w, int y, const struct rq_row *row, bool selected)
{
    const struct app *app = v->app;
    const struct mc_request *r = &row->r;
    struct cols c = layout(v->cols);
    bool dim = row->decided[0] != '\0';
    enum role base = selected ? ROLE_SELECTED : row->marked ? ROLE_MARKED : dim ? ROLE_DIM : ROLE_NORMAL;
    if (selected || row->marked)
        tui_fill(app, w, y, 0, v->cols, base);
    int x = 1;
    tui_put(app, w, y, x, c.mark, row->marked ? "*" : "", base);
    x += c.mark + 1;
    char buf[256];
    request_age_text(r->added_on, app_wall_time(app), buf, sizeof buf);
    tui_put_right(app, w, y, x, c.age, buf, base);
    x += c.age + 1;
    snprintf(buf, sizeof buf, "%s %s", r->first_name ? r->first_name : "", r->last_name ? r->last_name : "");
    tui_put(app, w, y, x, c.member, buf, base);
    x += c.member + 1;
    tui_put(app, w, y, x, c.type, type_short(r), base);
    x += c.type + 1;
    if (r->base_type && strcmp(r->base_type, "POINTS") == 0 && r->has_points)
        text_format_number(r->points, buf, sizeof buf);
    else if (r->series_id > 0)
        snprintf(buf, sizeof buf, "#%lld", (long long)r->series_id);
    else
        snprintf(buf, sizeof buf, "%s", r->new_value ? r->new_value : "");
    if (r->base_type && (strcmp(r->base_type, "POINTS") == 0 || strcmp(r->base_type, "COUPON") == 0))
        tui_put_right(app, w, y, x, c.amount, buf, base);
    else
        tui_put(app, w, y, x, c.amount, buf, base);
    x += c.amount + 1;
    tui_put(app, w, y, x, c.reason, r->reason ? r->reason : "", base);
    x += c.reason + 1;
    tui_put(app, w, y, x, c.by, r->added_by.code ? r->added_by.code : "", base);
    x += c.by + 1;
    if (dim || (r->status && strcmp(r->status, "PENDING") != 0)) {
        const char *st = dim ? row->decided : r->status;
        tui_put(app, w, y, x, c.flags, strncmp(st, "APPROVED", 8) == 0 ? "appr" : strncmp(st, "REJECTED", 8) == 0 ? "rej" : st,
                selected ? base : ROLE_DIM);
        return;
    }
    snprintf(buf, sizeof buf, "%s%s%s", row->flags & RQ_FLAG_BIG ? "$" : "", row->flags & RQ_FLAG_RECENT ? "R" : "",
             row->flags & RQ_FLAG_MINE ? "M" : "");
    tui_put(app, w, y, x, c.flags, buf, selected ? base : ROLE_WARN);
}

static void describe_filters(const struct queue *q, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
#define ADD(...) len += (size_t)snprintf(buf + len, len < n ? n - len : 0, __VA_ARGS__)
    ADD("%s", q->f_status[0] ? q->f_status : "any status");
    if (q->f_type[0])
        ADD(", %s %s", q->f_type, q->f_base);
    if (q->f_from[0] || q->f_to[0])
        ADD(", %s..%s", q->f_from[0] ? q->f_from : "", q->f_to[0] ? q->f_to : "");
    if (q->f_by[0])
        ADD(", by %s", q->f_by);
    if (q->f_member[0])
        ADD(", member %s", q->f_member);
    if (q->text_filter[0])
        ADD(", text '%s'", q->text_filter);
#undef ADD
}

static void draw_footer(struct view *v, WINDOW *w)
{
    struct queue *q = Q(v);
    const struct app *app = v->app;
    size_t marked = 0, coupons = 0, others = 0;
    double points = 0;
    for (size_t i = 0; i < q->n; i++) {
        if (!q->rows[i].marked)
            continue;
        marked++;
        const struct mc_request *r = &q->rows[i].r;
        if (r->base_type && strcmp(r->base_type, "POINTS") == 0)
            points += r->points;
        else if (r->base_type && strcmp(r->base_type, "COUPON") == 0)
            coupons++;
        else
            others++;
    }
    char line[300], num[32];
    if (marked) {
        text_format_number(points, num, sizeof num);
        size_t len = (size_t)snprintf(line, sizeof line, "%zu marked: %s points", marked, num);
        if (coupons)
            len += (size_t)snprintf(line + len, sizeof line - len, ", %zu coupon%s", coupons, coupons == 1 ? "" : "s");
        if (others)
            snprintf(line + len, sizeof line - len, ", %zu other", others);
        tui_put(app, w, v->rows - 2, 1, v->cols - 2, line, ROLE_ACCENT);
    } else {
        text_format_number(app_flag_points(app), num, sizeof num);
        snprintf(line, sizeof line, "Flags: $ above %s points  R goodwill in the last 30 days  M raised by you", num);
        tui_put(app, w, v->rows - 2, 1, v->cols - 2, line, ROLE_DIM);
    }
    char hint[300], k[32];
    size_t len = 0;
    const struct keymap *km = app_keymap(app);
#define HINT(act, word)                                                                                        \
    if (app_action_allowed(app, act))                                                                          \
    len += (size_t)snprintf(hint + len, len < sizeof hint ? sizeof hint - len : 0, "%s %s  ",                   \
                            keymap_keys_for(km, CTX_REQUESTS, act, k, sizeof k), word)
    hint[0] = '\0';
    HINT(ACTION_OPEN, "open");
    HINT(ACTION_REQ_APPROVE, "approve");
    HINT(ACTION_REQ_REJECT, "reject");
    if (app_action_allowed(app, ACTION_REQ_MARK) && len < sizeof hint)
        len += (size_t)snprintf(hint + len, sizeof hint - len, "Space mark  ");
    if (app_action_allowed(app, ACTION_REQ_APPROVE_MARKED) && len < sizeof hint) {
        char k2[32];
        len += (size_t)snprintf(hint + len, sizeof hint - len, "%s/%s marked  ",
                                keymap_keys_for(km, CTX_REQUESTS, ACTION_REQ_APPROVE_MARKED, k, sizeof k),
                                keymap_keys_for(km, CTX_REQUESTS, ACTION_REQ_REJECT_MARKED, k2, sizeof k2));
    }
    HINT(ACTION_REQ_FILTERS, "filters");
    HINT(ACTION_FILTER, "find");
#undef HINT
    tui_put(app, w, v->rows - 1, 1, v->cols - 2, hint, ROLE_DIM);
}

static void queue_draw(struct view *v, WINDOW *w)
{
    struct queue *q = Q(v);
    const struct app *app = v->app;
    if (q->mode != RQ_LIST) {
        rq_bulk_draw(v, w);
        return;
    }
    char head[400], filters[300];
    describe_filters(q, filters, sizeof filters);
    if (q->total >= 0 && q->n_visible != q->n)
        snprintf(head, sizeof head, "%zu of %zu requests, oldest first (%s)", q->n_visible, q->n, filters);
    else if (q->total > (long)q->n)
        snprintf(head, sizeof head, "%zu of %ld requests, oldest first (%s)", q->n, q->total, filters);
    else
        snprintf(head, sizeof head, "%zu request%s, oldest first (%s)", q->n, q->n == 1 ? "" : "s", filters);
    char right[64] = "";
    if (q->loading)
        snprintf(right, sizeof right, "loading...");
    else if (q->loaded_at) {
        time_t t = (time_t)q->loaded_at;
        struct tm tm;
        gmtime_r(&t, &tm);
        char hm[16];
        strftime(hm, sizeof hm, "%H:%M:%S", &tm);
        if (app_refresh_interval(app) > 0)
            snprintf(right, sizeof right, "as of %s, every %ds", hm, app_refresh_interval(app));
        else
            snprintf(right, sizeof right, "as of %s", hm);
    }
    int rw = (int)strlen(right);
    tui_put(app, w, 0, 1, v->cols - rw - 3, head, ROLE_TITLE);
    tui_put_right(app, w, 0, v->cols - rw - 1, rw, right, ROLE_DIM);

    struct cols c = layout(v->cols);
    int x = 1 + c.mark + 1;
    tui_put_right(app, w, 1, x, c.age, "Age", ROLE_LABEL);
    x += c.age + 1;
    tui_put(app, w, 1, x, c.member, "Member", ROLE_LABEL);
    x += c.member + 1;
    tui_put(app, w, 1, x, c.type, "Type", ROLE_LABEL);
    x += c.type + 1;
    tui_put_right(app, w, 1, x, c.amount, "Amount", ROLE_LABEL);
    x += c.amount + 1;
    tui_put(app, w, 1, x, c.reason, "Reason", ROLE_LABEL);
    x += c.reason + 1;
    tui_put(app, w, 1, x, c.by, "Raised by", ROLE_LABEL);
    x += c.by + 1;
    tui_put(app, w, 1, x, c.flags, strcmp(q->f_status, "PENDING") == 0 ? "Risk" : "State", ROLE_LABEL);

    int height = rq_list_height(v);
    list_clamp(&q->pos, (long)q->n_visible, height);
    if (q->n_visible == 0) {
        const char *msg = q->loading && !q->n ? "Loading requests..."
                          : q->error[0]       ? q->error
                          : q->n              ? "No loaded request matches the text filter (/ to change it)"
                                              : "No request matches: nothing waits for a decision (f changes the filters)";
        tui_put(app, w, 3, 2, v->cols - 4, msg, q->error[0] ? ROLE_ERROR : ROLE_DIM);
    }
    for (int i = 0; i < height && q->pos.top + i < (long)q->n_visible; i++) {
        long vi = q->pos.top + i;
        draw_row(v, w, 2 + i, &q->rows[q->visible[vi]], vi == q->pos.cursor);
    }
    if (q->error[0] && q->n_visible > 0)
        tui_put(app, w, v->rows - 2, 1, v->cols - 2, q->error, ROLE_ERROR);
    else
        draw_footer(v, w);
    if (q->error[0] && q->n_visible > 0) {
        char hint[64];
        snprintf(hint, sizeof hint, "F5 reload  q back  ? help");
        tui_put(app, w, v->rows - 1, 1, v->cols - 2, hint, ROLE_DIM);
    }
}

/* y: the focused request's id; Y: the request in one line. */
static bool queue_copy(struct view *v, bool whole_row, char *label, size_t labellen, char *text,
                       size_t textlen)
{
    struct queue *q = Q(v);
    const struct rq_row *row = q->mode == RQ_LIST ? cursor_row(q) : NULL;
    if (!row)
        return false;
    const struct mc_request *r = &row->r;
    if (!whole_row) {
        snprintf(label, labellen, "request id");
        snprintf(text, textlen, "%lld", (long long)r->id);
        return true;
    }
    char amount[64];
    if (r->has_points)
        text_format_number(r->points, amount, sizeof amount);
    else
        snprintf(amount, sizeof amount, "%s", r->new_value ? r->new_value : "");
    snprintf(label, labellen, "request");
    snprintf(text, textlen, "%lld  %s %s  %s %s  %s  %s  %s  %s", (long long)r->id,
             r->first_name ? r->first_name : "", r->last_name ? r->last_name : "", r->type ? r->type : "",
             r->base_type ? r->base_type : "", amount, r->reason ? r->reason : "",
             r->added_by.code ? r->added_by.code : "", r->status ? r->status : "");
    return true;
}

const struct view_ops requests_view_ops = {
    .name = "requests",
    .ctx = CTX_REQUESTS,
    .priv_size = sizeof(struct queue),
    .flags = VIEW_MUTATES | VIEW_FILTERABLE | VIEW_AUTOREFRESH,
    .open = queue_open,
    .close = queue_close,
    .draw = queue_draw,
    .on_key = queue_key,
    .on_action = queue_action,
    .on_result = queue_result,
    .reload = queue_refresh,
    .filter = queue_filter,
    .on_timer = queue_timer,
    .command = queue_command,
    .copy = queue_copy,
};
