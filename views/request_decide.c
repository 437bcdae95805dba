/*
 * request_decide.c - one approval or rejection, from the key to the
 * answer (see request_decide.h).
 *
 * Endpoints: POST /v1.1/request/approve, POST /v1.1/request/reject, one
 * request per call. The flow: checks that need no server (pending, not
 * raised by this till) -> form (approve: points, prefilled with the
 * requested amount, and an optional comment; reject: a required comment)
 * -> a yes/no dialog that repeats the key facts -> audit "sent" record ->
 * POST -> audit "done" record and the outcome. A failed or refused call
 * keeps the form and what was typed; a 403 also takes the checker actions
 * away for the rest of the session; 9052 means someone else was first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tui/text.h"
#include "views/request_decide.h"

enum { F_POINTS, F_COMMENT }; /* field order of the approve-points form */

static struct decide *D(struct view *v) { return v->priv; }

long long request_parse_time(const char *s)
{
    if (!s)
        return -1;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    char sep = 0;
    int n = 0;
    if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &sep,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) < 7 || (sep != 'T' && sep != ' '))
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    long long t = (long long)timegm(&tm);
    const char *z = s + n;
    if (*z == '.')
        while (*++z >= '0' && *z <= '9')
            ;
    int hh = 0, mm = 0;
    if ((*z == '+' || *z == '-') && sscanf(z + 1, "%2d:%2d", &hh, &mm) == 2)
        t -= (*z == '+' ? 1 : -1) * (hh * 3600LL + mm * 60LL);
    return t;
}

void request_age_text(const char *s, long long now, char *buf, size_t n)
{
    long long t = request_parse_time(s);
    if (t < 0) {
        snprintf(buf, n, "?");
        return;
    }
    long long d = now - t;
    if (d < 0)
        d = 0;
    if (d < 3600)
        snprintf(buf, n, "%lldm", d / 60);
    else if (d < 86400)
        snprintf(buf, n, "%lldh", d / 3600);
    else
        snprintf(buf, n, "%lldd", d / 86400);
}

void request_member_text(const struct mc_request *r, char *buf, size_t n)
{
    const char *id = r->mobile && *r->mobile ? r->mobile : r->email && *r->email ? r->email : r->external_id;
    snprintf(buf, n, "%s%s%s%s%s%s", r->first_name ? r->first_name : "",
             r->first_name && r->last_name ? " " : "", r->last_name ? r->last_name : "",
             id && *id ? " (" : "", id && *id ? id : "", id && *id ? ")" : "");
    if (!buf[0])
        snprintf(buf, n, "member #%lld", (long long)r->customer_id);
}

void request_amount_text(const struct mc_request *r, char *buf, size_t n)
{
    const char *base = r->base_type ? r->base_type : "";
    char num[32];
    if (strcmp(base, "POINTS") == 0) {
        if (r->has_points) {
            text_format_number(r->points, num, sizeof num);
            snprintf(buf, n, "%s points", num);
        } else {
            snprintf(buf, n, "points");
        }
    } else if (strcmp(base, "COUPON") == 0 || strcmp(base, "COUPONS") == 0) {
        if (r->series_id > 0)
            snprintf(buf, n, "coupon series %lld", (long long)r->series_id);
        else
            snprintf(buf, n, "coupon");
    } else {
        char lower[24];
        size_t i = 0;
        for (; base[i] && i + 1 < sizeof lower; i++)
            lower[i] = (char)(base[i] >= 'A' && base[i] <= 'Z' ? base[i] + 32 : base[i]);
        lower[i] = '\0';
        snprintf(buf, n, "%s -> %s", lower[0] ? lower : "change", r->new_value ? r->new_value : "?");
    }
}

static char *dup(const char *s)
{
    if (!s)
        return NULL;
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

void request_copy(struct mc_request *dst, const struct mc_request *src)
{
    *dst = *src;
    char **s[] = {&dst->reference_id, &dst->type, &dst->base_type, &dst->status, &dst->reason,
                  &dst->comments, &dst->old_value, &dst->new_value, &dst->approved_value,
                  &dst->updated_comments, &dst->added_on, &dst->last_action_on, &dst->first_name,
                  &dst->last_name, &dst->mobile, &dst->email, &dst->external_id, &dst->fraud_status,
                  &dst->added_by.code, &dst->added_by.name, &dst->updated_by.code, &dst->updated_by.name};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        *s[i] = dup(*s[i]);
}

bool request_is_mine(const struct app *app, const struct mc_request *r)
{
    const char *till = app_till(app);
    return r->added_by.code && *till && strcasecmp(r->added_by.code, till) == 0;
}

static void on_confirm(struct view *v, bool yes)
{
    struct decide *d = D(v);
    struct form *f = app_form_of(v);
    if (!yes || d->busy)
        return;
    char detail[300];
    if (d->approve && strcmp(d->base, "POINTS") == 0) {
        char num[32];
        text_format_number(d->points > 0 ? d->points : d->requested, num, sizeof num);
        snprintf(detail, sizeof detail, "request #%lld: %s points", (long long)d->id, num);
    } else {
        snprintf(detail, sizeof detail, "request #%lld: %s", (long long)d->id, d->amount);
    }
    char ref[32];
    snprintf(ref, sizeof ref, "%lld", (long long)d->id);
    d->audit = audit_begin(v->app, d->approve ? "request-approve" : "request-reject", d->customer, ref,
                           detail);
    struct mc_request_decision dec = {
        .id = d->id,
        .type = d->type,
        .base_type = d->base,
        .comments = d->comment,
        .points = d->approve ? d->points : 0,
        .series_id = d->approve && strcmp(d->base, "COUPON") == 0 ? d->series : 0,
    };
    view_submit(v, d->approve ? api_request_approve(&dec) : api_request_reject(&dec), d->tag);
    d->busy = true;
    if (f)
        form_set_busy(f, true);
    app_status(v->app, STATUS_INFO, "%s request #%lld...", d->approve ? "Approving" : "Rejecting",
               (long long)d->id);
}

static void on_submit(struct view *v, struct form *f)
{
    struct decide *d = D(v);
    bool points_form = d->approve && strcmp(d->base, "POINTS") == 0;
    d->points = 0;
    if (points_form) {
        double p = strtod(form_value(f, F_POINTS), NULL);
        if (p <= 0) {
            form_set_error(f, "Points must be a number above 0");
            return;
        }
        if (!d->has_points || p != d->requested)
            d->points = p;
    }
    snprintf(d->comment, sizeof d->comment, "%s", form_value(f, points_form ? F_COMMENT : 0));
    char text[512], num[32], req[32];
    if (points_form) {
        text_format_number(d->points > 0 ? d->points : d->requested, num, sizeof num);
        text_format_number(d->requested, req, sizeof req);
        if (d->points > 0 && d->has_points)
            snprintf(text, sizeof text, "Approve request #%lld?\n%s goodwill points (requested %s) for %s.",
                     (long long)d->id, num, req, d->who);
        else
            snprintf(text, sizeof text, "Approve request #%lld?\n%s goodwill points for %s.",
                     (long long)d->id, num, d->who);
    } else {
        snprintf(text, sizeof text, "%s request #%lld?\n%s for %s.", d->approve ? "Approve" : "Reject",
                 (long long)d->id, d->amount, d->who);
    }
    size_t len = strlen(text);
    if (d->comment[0])
        snprintf(text + len, sizeof text - len, "\nComment: %.200s", d->comment);
    app_confirm(v, text, on_confirm);
}

void decide_start(struct view *v, const struct mc_request *r, bool approve, int tag)
{
    struct decide *d = D(v);
    struct app *app = v->app;
    if (!app_action_allowed(app, approve ? ACTION_REQ_APPROVE : ACTION_REQ_REJECT)) {
        app_status(app, STATUS_WARN, "%s needs a till with CanCheckRequest%s", approve ? "Approving" : "Rejecting",
                   app_readonly(app) ? " and no --readonly" : "");
        return;
    }
    if (d->busy) {
        app_status(app, STATUS_WARN, "Still waiting for the answer about request #%lld", (long long)d->id);
        return;
    }
    if (!r->status || strcmp(r->status, "PENDING") != 0) {
        app_status(app, STATUS_WARN, "Request #%lld is %s: only pending requests can be decided",
                   (long long)r->id, r->status ? r->status : "not pending");
        return;
    }
    if (approve && request_is_mine(app, r)) {
        app_status(app, STATUS_WARN,
                   "You raised request #%lld: another checker must approve it (maker and checker differ)",
                   (long long)r->id);
        return;
    }
    memset(d, 0, sizeof *d);
    d->approve = approve;
    d->tag = tag;
    d->id = r->id;
    d->customer = r->customer_id;
    snprintf(d->type, sizeof d->type, "%s", r->type ? r->type : "GOODWILL");
    snprintf(d->base, sizeof d->base, "%s", r->base_type ? r->base_type : "");
    d->has_points = r->has_points;
    d->requested = r->points;
    d->series = r->series_id;
    request_member_text(r, d->who, sizeof d->who);
    request_amount_text(r, d->amount, sizeof d->amount);

    char title[200], initial[32] = "";
    snprintf(title, sizeof title, "%s #%lld: %.60s, %s", approve ? "Approve" : "Reject", (long long)r->id,
             d->who, d->amount);
    if (approve && strcmp(d->base, "POINTS") == 0) {
        if (r->has_points)
            snprintf(initial, sizeof initial, "%g", r->points);
        struct form_field_spec fields[] = {
            {.label = "Points", .kind = FIELD_NUMBER, .max_chars = 12, .initial = initial, .required = true},
            {.label = "Comment", .kind = FIELD_MULTILINE, .max_chars = 500, .counter = true},
        };
        app_form_open(v, title, fields, 2, on_submit, NULL);
    } else {
        struct form_field_spec fields[] = {
            {.label = "Comment", .kind = FIELD_MULTILINE, .max_chars = 500, .required = !approve,
             .counter = true},
        };
        app_form_open(v, title, fields, 1, on_submit, NULL);
    }
}

enum decide_outcome decide_result(struct view *v, const struct api_result *res)
{
    struct decide *d = D(v);
    struct app *app = v->app;
    struct form *f = app_form_of(v);
    d->busy = false;
    const char *verb = d->approve ? "Approving" : "Rejecting";
    char what[64];
    snprintf(what, sizeof what, "%s request #%lld", verb, (long long)d->id);
    const struct mc_request_outcomes *o =
        res->err.kind == API_OK ? (const struct mc_request_outcomes *)res->data : NULL;
    const struct mc_request_outcome *x = o && o->n > 0 ? &o->items[0] : NULL;
    if (x && x->ok) {
        char rid[40];
        snprintf(rid, sizeof rid, "%lld", (long long)d->id);
        audit_end(app, d->audit, true, x->approved_value && *x->approved_value ? x->approved_value : rid, NULL);
        if (f)
            form_close(f);
        if (d->approve && x->approved_value && *x->approved_value && strcmp(d->base, "POINTS") == 0)
            app_status(app, STATUS_OK, "Approved request #%lld: %s points for %s", (long long)d->id,
                       x->approved_value, d->who);
        else if (d->approve && x->approved_value && *x->approved_value && strcmp(d->base, "COUPON") == 0)
            app_status(app, STATUS_OK, "Approved request #%lld: coupon %s issued to %s", (long long)d->id,
                       x->approved_value, d->who);
        else
            app_status(app, STATUS_OK, "%s request #%lld for %s", d->approve ? "Approved" : "Rejected",
                       (long long)d->id, d->who);
        return DECIDE_DONE;
    }
    struct api_error err;
    mc_request_outcome_error(res, x, &err);
    char msg[320];
    api_error_format(&err, msg, sizeof msg);
    audit_end_error(app, d->audit, &err, msg);
    if (err.unknown_outcome) {
        if (f) {
            form_set_busy(f, false);
            form_set_error(f, "No clear answer (%s): refresh to see whether it happened", msg);
        }
        app_status(app, STATUS_WARN, "%s: no clear answer (%s); refresh before trying again", what, msg);
        return DECIDE_UNKNOWN;
    }
    if (err.http_status == 403) {
        app_revoke_right(app, ACT_NEEDS_CHECKER);
        if (f)
            form_close(f);
        app_status_error(app, what, &err);
        return DECIDE_FAILED;
    }
    if (err.kind == API_REMOTE && err.code == API_REQ_NOT_PENDING) {
        if (f)
            form_close(f);
        app_status(app, STATUS_WARN, "Request #%lld was already decided elsewhere: %s", (long long)d->id, msg);
        return DECIDE_STALE;
    }
    if (f) {
        form_set_busy(f, false);
        form_set_error(f, "%s", msg);
    }
    app_status_error(app, what, &err);
    return DECIDE_FAILED;
}
