/*
 * goodwill.c - a member's goodwill: raising a request (tab "Raise") and
 * the goodwill they have asked for and received (tab "History": status,
 * amount, who raised it, when, who decided and the checker's comment).
 *
 * Endpoints:
 *   GET  /v2/customers/{id}/points/balance       the balance for the preview
 *   GET  /v1.1/request/goodwill_config           reasons, series, cap (UNCONFIRMED;
 *                                                 fallback: the reference's sample reasons)
 *   GET  /v2/customers/{id}/goodwillRequest      the history tab
 *   POST /v1.1/request/add                       raising the request
 *
 * Raising (g, agents with CanMakeRequest): a form with the kind (points or
 * a coupon series), the points, the series, the reason (the org's reasons)
 * and a comment; submitting shows a preview with the balance before and
 * after approval and asks to confirm. The request carries a reference_id
 * made when the form opens and kept while it stays open, so submitting
 * again after a network failure cannot create a second request: the server
 * refuses a duplicate reference (9055) and the screen then says the request
 * was already raised. Every submission is in the audit log.
 *
 * Keys: Left/Right or Tab switch tabs, g raise (hidden without the right
 * or in --readonly), Up/Down scroll the history, F5 reload, q back.
 * `:goodwill POINTS REASON "comment"` opens the form filled in and submits
 * it to the confirmation dialog when all three are given.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "tui/cmdargs.h"
#include "tui/text.h"
#include "views/request_decide.h"

enum { TAG_BALANCE = 1, TAG_CONFIG, TAG_HISTORY, TAG_ADD };
enum { F_KIND, F_POINTS, F_SERIES, F_REASON, F_COMMENT };
enum { TAB_RAISE, TAB_HISTORY };

#define HISTORY_LIMIT 100
#define MAX_CHOICES 64

/* The reason codes of the reference's samples, when the org's list cannot be had. */
static const char *const fallback_reasons[] = {"POINTS_ISSUE", "BILL_ISSUE"};

struct goodwill {
    int64_t id;
    char name[160];
    int tab;
    bool raise_on_open;           /* open the form once the settings are in */
    struct mc_balance *balance;
    struct mc_goodwill_config *config;
    bool config_done;             /* answered, well or not */
    bool balance_done;            /* the same for the balance */
    struct mc_goodwill_page *history;
    bool loading_history;
    char err_history[160], err_balance[160];
    struct list_pos pos;
    /* the open form */
    char ref[64];                 /* reference_id of the form on screen */
    bool busy;
    bool coupon;
    double points;
    int64_t series;
    char reason[128], comment[520], series_text[160];
    long audit;
    char last[200];               /* what the last submission did */
    enum role last_role;
    unsigned seq;                 /* makes references unique within the run */
    /* choices offered by the form (owned strings) */
    char *reason_choice[MAX_CHOICES];
    size_t n_reasons;
    char *series_choice[MAX_CHOICES];
    size_t n_series;
    /* `:goodwill POINTS REASON "comment"`: what the next form opens with */
    bool pre_set, pre_submit;
    char pre_points[16], pre_reason[128], pre_comment[520];
};

static struct goodwill *G(struct view *v) { return v->priv; }

static void load_history(struct view *v)
{
    struct goodwill *g = G(v);
    g->loading_history = true;
    view_submit(v, api_goodwill_history(g->id, 0, HISTORY_LIMIT), TAG_HISTORY);
}

static void free_choices(struct goodwill *g)
{
    for (size_t i = 0; i < g->n_reasons; i++)
        free(g->reason_choice[i]);
    for (size_t i = 0; i < g->n_series; i++)
        free(g->series_choice[i]);
    g->n_reasons = g->n_series = 0;
}

static char *xasprintf_choice(const char *a, const char *b)
{
    char buf[200];
    snprintf(buf, sizeof buf, "%s%s%s", a, b && *b ? " - " : "", b && *b ? b : "");
    char *s = strdup(buf);
    if (!s)
        abort();
    return s;
}

/* The reason code of choice i (the text before " - "). */
static void reason_code(const char *choice, char *out, size_t n)
{
    snprintf(out, n, "%s", choice);
    char *dash = strstr(out, " - ");
    if (dash)
        *dash = '\0';
}

static void new_reference(struct view *v)
{
    struct goodwill *g = G(v);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    g->seq++;
    snprintf(g->ref, sizeof g->ref, "mc-%lld%03ld-%d-%u", (long long)ts.tv_sec, ts.tv_nsec / 1000000L,
             (int)getpid() % 100000, g->seq);
}

static void on_confirm(struct view *v, bool yes);

static void on_submit(struct view *v, struct form *f)
{
    struct goodwill *g = G(v);
    g->coupon = form_choice(f, F_KIND) == 1;
    g->points = 0;
    g->series = 0;
    if (g->coupon) {
        int s = form_choice(f, F_SERIES);
        if (s < 0 || (size_t)s >= g->n_series || !g->config || (size_t)s >= g->config->n_series) {
            form_set_error(f, "Choose a coupon series (this org offers none for goodwill)");
            return;
        }
        g->series = g->config->series[s].id;
        snprintf(g->series_text, sizeof g->series_text, "%s", g->series_choice[s]);
    } else {
        const char *p = form_value(f, F_POINTS);
        char *end;
        g->points = strtod(p, &end);
        if (!*p || g->points <= 0) {
            form_set_error(f, "Points: type how many points (a number above 0)");
            return;
        }
        double cap = g->config ? g->config->points_cap : 0;
        if (cap > 0 && g->points > cap) {
            char num[32];
            text_format_number(cap, num, sizeof num);
            form_set_error(f, "At most %s points per request in this org", num);
            return;
        }
    }
    reason_code(form_value(f, F_REASON), g->reason, sizeof g->reason);
    snprintf(g->comment, sizeof g->comment, "%s", form_value(f, F_COMMENT));
    char text[512], before[32], after[32], pts[32];
    if (!g->coupon) {
        text_format_number(g->points, pts, sizeof pts);
        if (g->balance) {
            text_format_number(g->balance->main, before, sizeof before);
            text_format_number(g->balance->main + g->points, after, sizeof after);
            snprintf(text, sizeof text,
                     "Raise %s goodwill points for %.80s?\nBalance %s -> %s points once a checker approves it.\n"
                     "Reason: %.60s",
                     pts, g->name, before, after, g->reason);
        } else {
            snprintf(text, sizeof text,
                     "Raise %s goodwill points for %.80s?\n(balance not known: %.100s)\nReason: %.60s", pts, g->name,
                     g->err_balance[0] ? g->err_balance : "still loading", g->reason);
        }
    } else {
        if (g->balance)
            text_format_number(g->balance->main, before, sizeof before);
        snprintf(text, sizeof text, "Raise a goodwill coupon (%.100s) for %.80s?\nBalance stays %s points.\nReason: %.60s",
                 g->series_text, g->name, g->balance ? before : "(not known)", g->reason);
    }
    app_confirm(v, text, on_confirm);
}

static void on_confirm(struct view *v, bool yes)
{
    struct goodwill *g = G(v);
    struct form *f = app_form_of(v);
    if (!yes || g->busy || !f)
        return;
    char detail[300], num[32];
    if (g->coupon)
        snprintf(detail, sizeof detail, "goodwill coupon series %lld, %s", (long long)g->series, g->reason);
    else {
        text_format_number(g->points, num, sizeof num);
        snprintf(detail, sizeof detail, "goodwill %s points, %s", num, g->reason);
    }
    g->audit = audit_begin(v->app, "goodwill-raise", g->id, g->ref, detail);
    struct mc_goodwill_new req = {
        .customer_id = g->id,
        .reference_id = g->ref,
        .coupon = g->coupon,
        .points = g->points,
        .series_id = g->series,
        .reason = g->reason,
        .comments = g->comment,
    };
    view_submit(v, api_request_add_goodwill(&req), TAG_ADD);
    g->busy = true;
    form_set_busy(f, true);
}

static void on_cancel(struct view *v)
{
    struct goodwill *g = G(v);
    g->ref[0] = '\0';
}

static void open_form(struct view *v)
{
    struct goodwill *g = G(v);
    if (!app_action_allowed(v->app, ACTION_GOODWILL)) {
        app_status(v->app, STATUS_WARN, "Raising goodwill needs a till with CanMakeRequest%s",
                   app_readonly(v->app) ? " and no --readonly" : "");
        return;
    }
    if (g->busy) {
        app_status(v->app, STATUS_WARN, "Still waiting for the last request's answer");
        return;
    }
    /* Opened now: the settings arriving later must not open it again over
     * what is being typed. */
    g->raise_on_open = false;
    free_choices(g);
    if (g->config && g->config->n_reasons) {
        for (size_t i = 0; i < g->config->n_reasons && g->n_reasons < MAX_CHOICES; i++)
            g->reason_choice[g->n_reasons++] =
                xasprintf_choice(g->config->reasons[i].code, g->config->reasons[i].description);
    } else {
        for (size_t i = 0; i < sizeof fallback_reasons / sizeof fallback_reasons[0]; i++)
            g->reason_choice[g->n_reasons++] = xasprintf_choice(fallback_reasons[i], NULL);
    }
    if (g->config)
        for (size_t i = 0; i < g->config->n_series && g->n_series < MAX_CHOICES; i++) {
            char id[32];
            snprintf(id, sizeof id, "#%lld %s", (long long)g->config->series[i].id,
                     g->config->series[i].code ? g->config->series[i].code : "");
            g->series_choice[g->n_series++] = xasprintf_choice(id, g->config->series[i].description);
        }
    static const char *const kinds[] = {"Points", "Coupon"};
    struct form_field_spec fields[] = {
        {.label = "Goodwill", .kind = FIELD_CHOICE, .choices = kinds, .n_choices = g->n_series ? 2 : 1},
        {.label = "Points", .kind = FIELD_NUMBER, .max_chars = 9},
        {.label = "Coupon series", .kind = FIELD_CHOICE, .choices = (const char *const *)g->series_choice,
         .n_choices = g->n_series},
        {.label = "Reason", .kind = FIELD_CHOICE, .choices = (const char *const *)g->reason_choice,
         .n_choices = g->n_reasons, .required = true},
        {.label = "Comment", .kind = FIELD_MULTILINE, .max_chars = 500, .required = true, .counter = true},
    };
    char title[240], bal[32] = "?", cap[48] = "";
    if (g->balance)
        text_format_number(g->balance->main, bal, sizeof bal);
    if (g->config && g->config->points_cap > 0) {
        char num[32];
        text_format_number(g->config->points_cap, num, sizeof num);
        snprintf(cap, sizeof cap, ", at most %s", num);
    }
    snprintf(title, sizeof title, "Goodwill for %.60s (balance %s points%s)", g->name, bal, cap);
    if (!g->ref[0])
        new_reference(v);
    const char *unknown_reason = NULL;
    bool submit = false;
    if (g->pre_set) {
        g->pre_set = false;
        fields[F_POINTS].initial = g->pre_points;
        fields[F_COMMENT].initial = g->pre_comment;
        submit = g->pre_submit;
        if (g->pre_reason[0]) {
            unknown_reason = g->pre_reason;
            for (size_t i = 0; i < g->n_reasons; i++) {
                char code[128];
                reason_code(g->reason_choice[i], code, sizeof code);
                if (strcasecmp(code, g->pre_reason) == 0) {
                    fields[F_REASON].initial = g->reason_choice[i];
                    unknown_reason = NULL;
                }
            }
        }
    }
    struct form *f = app_form_open(v, title, fields, 5, on_submit, on_cancel);
    g->tab = TAB_RAISE;
    if (unknown_reason)
        form_set_error(f, "No reason '%.60s' in this org: choose one", unknown_reason);
    else if (submit)
        on_submit(v, f); /* through the same checks and confirmation as Ctrl-S */
}

/* The org's reason codes (or the fallback) for `:goodwill` completion. */
static size_t goodwill_names(struct view *v, const char *what, const char **out, size_t max)
{
    struct goodwill *g = G(v);
    size_t n = 0;
    if (strcmp(what, "reasons") != 0)
        return 0;
    if (g->config && g->config->n_reasons) {
        for (size_t i = 0; i < g->config->n_reasons && n < max; i++)
            if (g->config->reasons[i].code)
                out[n++] = g->config->reasons[i].code;
    } else {
        for (size_t i = 0; i < sizeof fallback_reasons / sizeof fallback_reasons[0] && n < max; i++)
            out[n++] = fallback_reasons[i];
    }
    return n;
}

/* `:goodwill [POINTS [REASON ["comment"]]]`: the raise form with what was
 * given filled in; with all three it is submitted, which still asks. */
static bool goodwill_command(struct view *v, const char *verb, const char *arg)
{
    struct goodwill *g = G(v);
    if (strcmp(verb, "goodwill") != 0)
        return false;
    struct cmd_words w;
    char err[160];
    if (cmd_split(arg, &w, err, sizeof err) == (size_t)-1) {
        app_status(v->app, STATUS_ERROR, "goodwill: %s", err);
        return true;
    }
    snprintf(g->pre_points, sizeof g->pre_points, "%s", w.argc > 0 ? w.argv[0] : "");
    snprintf(g->pre_reason, sizeof g->pre_reason, "%s", w.argc > 1 ? w.argv[1] : "");
    snprintf(g->pre_comment, sizeof g->pre_comment, "%s", w.argc > 2 ? w.argv[2] : "");
    g->pre_submit = w.argc >= 3;
    g->pre_set = true;
    cmd_words_free(&w);
    if (g->config_done && g->balance_done)
        open_form(v);
    else
        g->raise_on_open = true; /* maybe_raise opens it with the settings in */
    return true;
}

struct view *open_goodwill_view(struct app *app, int64_t id, const char *name, bool raise)
{
    struct view_args args = {.customer_id = id, .name = name, .query = raise ? "raise" : "history"};
    return app_push(app, &goodwill_view_ops, &args);
}

static int goodwill_open(struct view *v, const struct view_args *args)
{
    struct goodwill *g = G(v);
    g->id = args->customer_id;
    if (g->id <= 0) {
        app_status(v->app, STATUS_ERROR, "No member to raise goodwill for");
        return -1;
    }
    snprintf(g->name, sizeof g->name, "%s", args->name && *args->name ? args->name : "this member");
    char crumb[200];
    snprintf(crumb, sizeof crumb, "Goodwill");
    view_set_crumb(v, crumb);
    g->raise_on_open = args->query && strcmp(args->query, "raise") == 0;
    g->tab = g->raise_on_open ? TAB_RAISE : TAB_HISTORY;
    g->pos.cursor = -1;
    view_submit(v, api_points_balance(g->id), TAG_BALANCE);
    view_submit(v, api_goodwill_config(), TAG_CONFIG);
    load_history(v);
    return 0;
}

static void goodwill_close(struct view *v)
{
    struct goodwill *g = G(v);
    mc_balance_free(&g->balance);
    mc_goodwill_config_free(&g->config);
    mc_goodwill_page_free(&g->history);
    free_choices(g);
}

static void set_last(struct goodwill *g, enum role role, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void set_last(struct goodwill *g, enum role role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->last, sizeof g->last, fmt, ap);
    va_end(ap);
    g->last_role = role;
}

static void on_added(struct view *v, struct api_result *res)
{
    struct goodwill *g = G(v);
    struct form *f = app_form_of(v);
    g->busy = false;
    const struct mc_request_outcomes *o = API_DATA(res, REQUEST_ADD, struct mc_request_outcomes);
    const struct mc_request_outcome *x = o && o->n ? &o->items[0] : NULL;
    if (x && x->ok) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)x->id);
        audit_end(v->app, g->audit, true, id, NULL);
        if (f)
            form_close(f);
        g->ref[0] = '\0';
        char what[64];
        if (g->coupon)
            snprintf(what, sizeof what, "a coupon");
        else {
            text_format_number(g->points, what, sizeof what);
            snprintf(what + strlen(what), sizeof what - strlen(what), " points");
        }
        set_last(g, ROLE_OK, "Raised request #%lld: %s, %s; waiting for a checker", (long long)x->id, what,
                 x->status ? x->status : "PENDING");
        app_status(v->app, STATUS_OK, "Raised goodwill request #%lld (%s) for %s: pending approval", (long long)x->id,
                   what, g->name);
        load_history(v);
        return;
    }
    struct api_error err;
    mc_request_outcome_error(res, x, &err);
    char msg[320];
    api_error_format(&err, msg, sizeof msg);
    if (err.kind == API_REMOTE && err.code == API_REQ_DUPLICATE) {
        /* our own reference: the earlier submission did reach the server */
        char rid[32] = "";
        if (x && x->id > 0)
            snprintf(rid, sizeof rid, "%lld", (long long)x->id);
        audit_end(v->app, g->audit, true, rid[0] ? rid : NULL, "already raised (duplicate reference)");
        if (f)
            form_close(f);
        set_last(g, ROLE_WARN, "Already raised: the earlier submission (reference %s) went through", g->ref);
        app_status(v->app, STATUS_WARN, "Already raised: the request with reference %s exists; nothing new was created",
                   g->ref);
        g->ref[0] = '\0';
        g->tab = TAB_HISTORY;
        load_history(v);
        return;
    }
    audit_end_error(v->app, g->audit, &err, msg);
    if (err.http_status == 403) {
        app_revoke_right(v->app, ACT_NEEDS_MAKER);
        if (f)
            form_close(f);
        app_status_error(v->app, "Raising goodwill", &err);
        set_last(g, ROLE_ERROR, "Not allowed for this till: raising goodwill is hidden now");
        return;
    }
    bool unknown = err.unknown_outcome;
    if (f) {
        form_set_busy(f, false);
        if (unknown)
            form_set_error(f, "No answer (%s). Submit again: the same reference cannot create a second request", msg);
        else
            form_set_error(f, "%s", msg);
    }
    app_status_error(v->app, "Raising goodwill", &err);
}

/* Opens the form asked for with the screen once it can show the balance and the reasons. */
static void maybe_raise(struct view *v)
{
    struct goodwill *g = G(v);
    if (g->raise_on_open && g->config_done && g->balance_done) {
        g->raise_on_open = false;
        open_form(v);
    }
}

static void goodwill_result(struct view *v, struct api_result *res)
{
    struct goodwill *g = G(v);
    switch (res->tag) {
    case TAG_BALANCE: {
        struct mc_balance *b = API_DATA(res, BALANCE, struct mc_balance);
        if (b) {
            res->data = NULL;
            mc_balance_free(&g->balance);
            g->balance = b;
            g->err_balance[0] = '\0';
        } else {
            api_error_format(&res->err, g->err_balance, sizeof g->err_balance);
        }
        g->balance_done = true;
        maybe_raise(v);
        break;
    }
    case TAG_CONFIG: {
        struct mc_goodwill_config *c = API_DATA(res, GOODWILL_CONFIG, struct mc_goodwill_config);
        if (c) {
            res->data = NULL;
            mc_goodwill_config_free(&g->config);
            g->config = c;
        }
        g->config_done = true;
        maybe_raise(v);
        break;
    }
    case TAG_HISTORY: {
        g->loading_history = false;
        struct mc_goodwill_page *p = API_DATA(res, GOODWILL_HISTORY, struct mc_goodwill_page);
        if (p) {
            res->data = NULL;
            mc_goodwill_page_free(&g->history);
            g->history = p;
            g->err_history[0] = '\0';
        } else {
            api_error_format(&res->err, g->err_history, sizeof g->err_history);
            app_status_error(v->app, "Loading the goodwill history failed", &res->err);
        }
        break;
    }
    case TAG_ADD:
        on_added(v, res);
        break;
    default:
        break;
    }
    api_result_free(&res);
}

static bool goodwill_action(struct view *v, enum action a)
{
    view_dirty(v); /* whatever the key did shows at once */
    struct goodwill *g = G(v);
    long n = g->history ? (long)g->history->n : 0;
    switch (a) {
    case ACTION_GOODWILL:
        open_form(v);
        return true;
    case ACTION_LEFT:
    case ACTION_RIGHT:
        g->tab = g->tab == TAB_RAISE ? TAB_HISTORY : TAB_RAISE;
        return true;
    case ACTION_BACK:
        if (g->busy) {
            app_status(v->app, STATUS_WARN, "Waiting for the answer about the goodwill request");
            return true;
        }
        return false;
    default:
        break;
    }
    if (g->tab == TAB_HISTORY && list_nav(&g->pos, a, n, v->rows - 6))
        return true;
    return false;
}

static void goodwill_refresh(struct view *v)
{
    struct goodwill *g = G(v);
    if (g->busy) {
        app_status(v->app, STATUS_WARN, "Waiting for the answer about the goodwill request");
        return;
    }
    view_submit(v, api_points_balance(g->id), TAG_BALANCE);
    load_history(v);
    app_status(v->app, STATUS_INFO, "Reloading...");
}

static const char *nz(const char *s) { return s && *s ? s : "-"; }

static void draw_raise(struct view *v, WINDOW *w, int y)
{
    struct goodwill *g = G(v);
    const struct app *app = v->app;
    int x = 2, width = v->cols - 4;
    if (g->last[0])
        tui_put(app, w, y++, x, width, g->last, g->last_role);
    if (app_action_allowed(app, ACTION_GOODWILL)) {
        char k[32];
        tui_putf(app, w, y++, x, width, ROLE_NORMAL, "%s opens the form: points or a coupon series, a reason and a comment.",
                 keymap_keys_for(app_keymap(app), CTX_GOODWILL, ACTION_GOODWILL, k, sizeof k));
        tui_put(app, w, y++, x, width, "A checker approves or rejects it in the approval queue (F9).", ROLE_DIM);
    } else {
        tui_put(app, w, y++, x, width, "This till cannot raise goodwill (no CanMakeRequest, or read-only).", ROLE_DIM);
    }
    y++;
    if (!g->config_done) {
        tui_put(app, w, y, x, width, "Loading the org's goodwill settings...", ROLE_DIM);
        return;
    }
    if (!g->config) {
        tui_put(app, w, y, x, width, "The org's goodwill settings are not available: the form offers the standard reasons.",
                ROLE_WARN);
        return;
    }
    char num[32];
    if (g->config->points_cap > 0) {
        text_format_number(g->config->points_cap, num, sizeof num);
        tui_putf(app, w, y++, x, width, ROLE_NORMAL, "Upper cap: %s points per request", num);
    }
    tui_putf(app, w, y++, x, width, ROLE_NORMAL, "Reasons: %zu, coupon series for goodwill: %zu", g->config->n_reasons,
             g->config->n_series);
    for (size_t i = 0; i < g->config->n_reasons && y < v->rows - 2; i++)
        tui_putf(app, w, y++, x + 2, width - 2, ROLE_DIM, "%s  %s", g->config->reasons[i].code,
                 g->config->reasons[i].description ? g->config->reasons[i].description : "");
}

static void draw_history(struct view *v, WINDOW *w, int y)
{
    struct goodwill *g = G(v);
    const struct app *app = v->app;
    if (!g->history) {
        tui_put(app, w, y, 2, v->cols - 4, g->err_history[0] ? g->err_history : "Loading the goodwill history...",
                g->err_history[0] ? ROLE_ERROR : ROLE_DIM);
        return;
    }
    if (g->history->n == 0) {
        tui_put(app, w, y, 2, v->cols - 4, "No goodwill requested for this member yet", ROLE_DIM);
        return;
    }
    int wdate = 10, wstat = 8, wamt = 9, wby = 15;
    int rest = v->cols - 2 - wdate - wstat - wamt - wby - 5;
    int wreason = rest / 3, wcomment = rest - wreason;
    int x = 1;
    tui_put(app, w, y, x, wdate, "Raised", ROLE_LABEL);
    x += wdate + 1;
    tui_put(app, w, y, x, wstat, "Status", ROLE_LABEL);
    x += wstat + 1;
    tui_put_right(app, w, y, x, wamt, "Amount", ROLE_LABEL);
    x += wamt + 1;
    tui_put(app, w, y, x, wreason, "Reason", ROLE_LABEL);
    x += wreason + 1;
    tui_put(app, w, y, x, wby, "By / decided by", ROLE_LABEL);
    x += wby + 1;
    tui_put(app, w, y, x, wcomment, "Checker's comment", ROLE_LABEL);
    y++;
    int height = v->rows - 1 - y;
    list_clamp(&g->pos, (long)g->history->n, height);
    for (int i = 0; i < height && g->pos.top + i < (long)g->history->n; i++) {
        long k = g->pos.top + i;
        const struct mc_goodwill *h = &g->history->items[k];
        bool sel = k == g->pos.cursor;
        enum role r = sel ? ROLE_SELECTED : ROLE_NORMAL;
        if (sel)
            tui_fill(app, w, y + i, 0, v->cols, r);
        char buf[200];
        x = 1;
        tui_putf(app, w, y + i, x, wdate, r, "%.10s", nz(h->added_on));
        x += wdate + 1;
        bool ok = h->status && strcmp(h->status, "APPROVED") == 0;
        bool no = h->status && strcmp(h->status, "REJECTED") == 0;
        tui_put(app, w, y + i, x, wstat, nz(h->status), sel ? r : ok ? ROLE_OK : no ? ROLE_ERROR : ROLE_WARN);
        x += wstat + 1;
        if (h->type && strcmp(h->type, "COUPON") == 0)
            snprintf(buf, sizeof buf, "%s", ok && h->approved_value ? h->approved_value : "coupon");
        else if (ok && h->approved_value)
            snprintf(buf, sizeof buf, "%s", h->approved_value);
        else if (h->has_points)
            text_format_number(h->points, buf, sizeof buf);
        else
            snprintf(buf, sizeof buf, "-");
        tui_put_right(app, w, y + i, x, wamt, buf, r);
        x += wamt + 1;
        tui_put(app, w, y + i, x, wreason, nz(h->reason), r);
        x += wreason + 1;
        snprintf(buf, sizeof buf, "%s%s%s", nz(h->added_by.code), h->updated_by.code ? "/" : "",
                 h->updated_by.code ? h->updated_by.code : "");
        tui_put(app, w, y + i, x, wby, buf, r);
        x += wby + 1;
        tui_put(app, w, y + i, x, wcomment, h->updated_comments && *h->updated_comments ? h->updated_comments : nz(h->comments),
                sel ? r : h->updated_comments && *h->updated_comments ? ROLE_NORMAL : ROLE_DIM);
    }
}

static void goodwill_draw(struct view *v, WINDOW *w)
{
    struct goodwill *g = G(v);
    const struct app *app = v->app;
    tui_putf(app, w, 0, 1, v->cols / 2, ROLE_TITLE, "Goodwill: %s", g->name);
    char bal[64];
    if (g->balance) {
        char num[32];
        text_format_number(g->balance->main, num, sizeof num);
        snprintf(bal, sizeof bal, "balance %s points", num);
    } else {
        snprintf(bal, sizeof bal, "%s", g->err_balance[0] ? "balance not available" : "balance loading...");
    }
    tui_put_right(app, w, 0, v->cols / 2, v->cols / 2 - 1, bal, g->balance ? ROLE_OK : ROLE_DIM);
    char tabs[160];
    size_t n = g->history ? g->history->n : 0;
    snprintf(tabs, sizeof tabs, "%sRaise%s   %sHistory (%zu%s)%s", g->tab == TAB_RAISE ? "[ " : "  ",
             g->tab == TAB_RAISE ? " ]" : "  ", g->tab == TAB_HISTORY ? "[ " : "  ", n,
             g->history && g->history->total > (long)n ? "+" : "", g->tab == TAB_HISTORY ? " ]" : "  ");
    tui_put(app, w, 1, 1, v->cols - 2, tabs, ROLE_ACCENT);
    tui_hline(app, w, 2, 0, v->cols);
    if (g->tab == TAB_RAISE)
        draw_raise(v, w, 3);
    else
        draw_history(v, w, 3);
    char hint[200], k[32];
    if (app_action_allowed(app, ACTION_GOODWILL))
        snprintf(hint, sizeof hint, "%s raise  Left/Right tabs  F5 reload  q back  ? help",
                 keymap_keys_for(app_keymap(app), CTX_GOODWILL, ACTION_GOODWILL, k, sizeof k));
    else
        snprintf(hint, sizeof hint, "Left/Right tabs  F5 reload  q back  ? help");
    tui_put(app, w, v->rows - 1, 1, v->cols - 2, hint, ROLE_DIM);
}

const struct view_ops goodwill_view_ops = {
    .name = "goodwill",
    .ctx = CTX_GOODWILL,
    .priv_size = sizeof(struct goodwill),
    .flags = VIEW_MUTATES,
    .open = goodwill_open,
    .close = goodwill_close,
    .draw = goodwill_draw,
    .on_action = goodwill_action,
    .on_result = goodwill_result,
    .reload = goodwill_refresh,
    .command = goodwill_command,
    .names = goodwill_names,
};
