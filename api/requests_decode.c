/*
 * requests_decode.c - decoders of the requests resource: REQUEST_LIST,
 * REQUEST_TRAIL, REQUEST_ADD / APPROVE / REJECT, GOODWILL_HISTORY and
 * GOODWILL_CONFIG, and the models' free functions.
 *
 * What each decoder requires to call a body its resource (everything else
 * is optional and tolerant: string-or-number, object-or-array, bool-or-
 * string, per part 2 §0.3):
 *   REQUEST_LIST     response.requests (an object); goodwill and
 *                    change_identifier lists may be absent, an object or an
 *                    array. count and rows are strings or numbers.
 *   REQUEST_TRAIL    response.requests; the first item of goodwill,
 *                    change_identifier or transaction_update is the
 *                    request. Its history comes from `history` when sent
 *                    (UNCONFIRMED), else from logs.added_by / logs.updated_by.
 *   outcomes         response.requests with a `request` list (or the older
 *                    `goodwill` block of the approve sample); an item
 *                    without item_status counts as a success when it has a
 *                    status. item_status may say `status` instead of
 *                    `success`.
 *   GOODWILL_HISTORY a `data` array (null = none); the actor may be
 *                    `addedBy` or `enteredBy`.
 *   GOODWILL_CONFIG  response.goodwill_config.
 * Lists are capped at 1000 items so a hostile body cannot grow a screen
 * without bound.
 */
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "api/json.h"
#include "api/requests_priv.h"

#define MAX_ITEMS 1000

static size_t capped(size_t n)
{
    return n > MAX_ITEMS ? MAX_ITEMS : n;
}

static enum api_err bad(struct api_error *err, const char *what)
{
    api_error_set(err, API_DECODE, err->http_status, 0, "%s", what);
    return API_DECODE;
}

void api_requests_actor(const json_t *o, struct mc_actor *a)
{
    if (!o || !json_is_object(o))
        return;
    a->code = api_json_str(o, "code");
    a->name = api_json_str(o, "name");
    if (a->code && !a->code[0]) {
        free(a->code);
        a->code = NULL;
    }
    if (a->name && !a->name[0]) {
        free(a->name);
        a->name = NULL;
    }
}

void api_requests_actor_clear(struct mc_actor *a)
{
    free(a->code);
    free(a->name);
    a->code = a->name = NULL;
}

void mc_request_clear(struct mc_request *r)
{
    char **s[] = {&r->reference_id, &r->type, &r->base_type, &r->status, &r->reason,
                  &r->comments, &r->old_value, &r->new_value, &r->approved_value,
                  &r->updated_comments, &r->added_on, &r->last_action_on, &r->first_name,
                  &r->last_name, &r->mobile, &r->email, &r->external_id, &r->fraud_status};
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++) {
        free(*s[i]);
        *s[i] = NULL;
    }
    api_requests_actor_clear(&r->added_by);
    api_requests_actor_clear(&r->updated_by);
}

/* An optional number that may arrive as "" (meaning absent). */
static bool opt_number(const json_t *o, const char *key, double *out)
{
    const json_t *v = api_json_get(o, key);
    if (!v || (json_is_string(v) && json_string_length(v) == 0))
        return false;
    double d = api_json_double(o, key, -1e300);
    if (d == -1e300)
        return false;
    *out = d;
    return true;
}

static void read_request(const json_t *it, struct mc_request *r)
{
    memset(r, 0, sizeof *r);
    api_json_int64(it, "id", &r->id);
    r->reference_id = api_json_str(it, "reference_id");
    r->type = api_json_str(it, "type");
    r->base_type = api_json_str(it, "base_type");
    r->status = api_json_str(it, "status");
    r->has_points = opt_number(it, "points", &r->points);
    api_json_int64(it, "series_id", &r->series_id);
    r->reason = api_json_str(it, "reason");
    r->comments = api_json_str(it, "comments");
    r->old_value = api_json_str(it, "old_value");
    r->new_value = api_json_str(it, "new_value");
    r->approved_value = api_json_str(it, "approved_value");
    r->updated_comments = api_json_str(it, "updated_comments");
    r->added_on = api_json_str(it, "added_on");
    r->last_action_on = api_json_str(it, "last_action_on");
    api_requests_actor(api_json_first(it, "added_by"), &r->added_by);
    api_requests_actor(api_json_first(it, "updated_by"), &r->updated_by);
    const json_t *c = api_json_first(it, "customer");
    if (!api_json_int64(c, "id", &r->customer_id))
        api_json_int64(c, "user_id", &r->customer_id);
    r->first_name = api_json_str(c, "firstname");
    r->last_name = api_json_str(c, "lastname");
    r->mobile = api_json_str(c, "mobile");
    r->email = api_json_str(c, "email");
    r->external_id = api_json_str(c, "external_id");
    r->fraud_status = api_json_str(c, "fraud_status");
}

/* response.requests, or NULL. */
static json_t *requests_block(const json_t *root)
{
    json_t *b = api_json_path(root, "response", "requests", NULL);
    return b && json_is_object(b) ? b : NULL;
}

/* Request list */

enum api_err api_decode_body_REQUEST_LIST(const json_t *root, void **out, struct api_error *err)
{
    const json_t *b = requests_block(root);
    if (!b)
        return bad(err, "request list response has no response.requests");
    const json_t *lists[] = {api_json_get(b, "goodwill"), api_json_get(b, "change_identifier")};
    size_t n = 0;
    for (int k = 0; k < 2; k++)
        n += capped(api_json_count(lists[k]));
    struct mc_request_page *p = api_xcalloc(1, sizeof *p);
    p->items = api_xcalloc(n ? n : 1, sizeof *p->items);
    for (int k = 0; k < 2; k++) {
        size_t m = capped(api_json_count(lists[k]));
        for (size_t i = 0; i < m && p->n < n; i++) {
            const json_t *it = api_json_at(lists[k], i);
            if (!it || !json_is_object(it))
                continue;
            read_request(it, &p->items[p->n]);
            if (p->items[p->n].id <= 0) {
                mc_request_clear(&p->items[p->n]);
                continue;
            }
            p->n++;
        }
    }
    p->count = api_json_long(b, "count", -1);
    *out = p;
    return API_OK;
}

void mc_request_page_free(struct mc_request_page **p)
{
    if (!p || !*p)
        return;
    for (size_t i = 0; i < (*p)->n; i++)
        mc_request_clear(&(*p)->items[i]);
    free((*p)->items);
    free(*p);
    *p = NULL;
}

/* Request trail */

static void add_step(struct mc_request_trail *t, const char *action, char *who, char *time,
                     char *comments)
{
    struct mc_request_step *s = &t->steps[t->n_steps++];
    s->action = api_xstrdup(action);
    s->who = who;
    s->time = time;
    s->comments = comments;
}

enum api_err api_decode_body_REQUEST_TRAIL(const json_t *root, void **out, struct api_error *err)
{
    const json_t *b = requests_block(root);
    if (!b)
        return bad(err, "request log response has no response.requests");
    struct mc_request_trail *t = api_xcalloc(1, sizeof *t);
    const char *keys[] = {"goodwill", "change_identifier", "transaction_update"};
    const json_t *it = NULL;
    for (int k = 0; k < 3 && !it; k++) {
        it = api_json_at(api_json_get(b, keys[k]), 0);
        if (it && !json_is_object(it))
            it = NULL;
    }
    if (!it) {
        *out = t;
        return API_OK;
    }
    t->found = true;
    read_request(it, &t->req);
    const json_t *hist = api_json_get(it, "history");
    size_t n = capped(api_json_count(hist));
    t->steps = api_xcalloc(n + 2, sizeof *t->steps);
    for (size_t i = 0; i < n; i++) {
        const json_t *h = api_json_at(hist, i);
        char *action = api_json_str(h, "action");
        if (!action)
            continue;
        const json_t *till = api_json_first(h, "till");
        char *who = api_json_str(till, "code");
        if (!who)
            who = api_json_str(till, "name");
        add_step(t, action, who, api_json_str(h, "time"), api_json_str(h, "comments"));
        free(action);
    }
    if (t->n_steps == 0) {
        const json_t *logs = api_json_first(it, "logs");
        const json_t *added = api_json_first(logs, "added_by");
        const json_t *updated = api_json_first(logs, "updated_by");
        if (added) {
            const json_t *till = api_json_first(added, "till");
            char *who = api_json_str(till, "code");
            if (!who)
                who = api_json_str(till, "name");
            add_step(t, "RAISED", who, api_json_str(added, "time"),
                     t->req.comments ? api_xstrdup(t->req.comments) : NULL);
        }
        char *utime = api_json_str(updated, "time");
        if (utime && utime[0] && t->req.status && strcmp(t->req.status, "PENDING") != 0)
            add_step(t, t->req.status, api_json_str(api_json_first(updated, "user"), "name"), utime,
                     t->req.updated_comments ? api_xstrdup(t->req.updated_comments) : NULL);
        else
            free(utime);
    }
    *out = t;
    return API_OK;
}

void mc_request_trail_free(struct mc_request_trail **t)
{
    if (!t || !*t)
        return;
    mc_request_clear(&(*t)->req);
    for (size_t i = 0; i < (*t)->n_steps; i++) {
        struct mc_request_step *s = &(*t)->steps[i];
        free(s->action);
        free(s->who);
        free(s->time);
        free(s->comments);
    }
    free((*t)->steps);
    free(*t);
    *t = NULL;
}

/* Outcomes of add / approve / reject */

static enum api_err decode_outcomes(const json_t *root, void **out, struct api_error *err)
{
    const json_t *b = requests_block(root);
    const json_t *list = api_json_get(b, "request");
    if (!list)
        list = api_json_get(b, "goodwill");
    if (!b || !list)
        return bad(err, "request response has no response.requests.request");
    size_t n = capped(api_json_count(list));
    struct mc_request_outcomes *o = api_xcalloc(1, sizeof *o);
    o->items = api_xcalloc(n ? n : 1, sizeof *o->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(list, i);
        if (!it || !json_is_object(it))
            continue;
        struct mc_request_outcome *x = &o->items[o->n++];
        api_json_int64(it, "id", &x->id);
        x->reference_id = api_json_str(it, "reference_id");
        x->status = api_json_str(it, "status");
        x->approved_value = api_json_str(it, "approved_value");
        x->assoc_id = api_json_str(it, "assoc_id");
        const json_t *is = api_json_first(it, "item_status");
        if (is) {
            x->ok = api_json_bool(is, "success", api_json_bool(is, "status", false));
            x->code = api_json_long(is, "code", 0);
            x->message = api_json_str(is, "message");
        } else {
            x->ok = x->status != NULL;
        }
    }
    const json_t *st = api_json_path(root, "response", "status", NULL);
    o->code = api_json_long(st, "code", 0);
    o->message = api_json_str(st, "message");
    *out = o;
    return API_OK;
}

enum api_err api_decode_body_REQUEST_ADD(const json_t *root, void **out, struct api_error *err)
{
    return decode_outcomes(root, out, err);
}

enum api_err api_decode_body_REQUEST_APPROVE(const json_t *root, void **out, struct api_error *err)
{
    return decode_outcomes(root, out, err);
}

enum api_err api_decode_body_REQUEST_REJECT(const json_t *root, void **out, struct api_error *err)
{
    return decode_outcomes(root, out, err);
}

void mc_request_outcomes_free(struct mc_request_outcomes **o)
{
    if (!o || !*o)
        return;
    for (size_t i = 0; i < (*o)->n; i++) {
        struct mc_request_outcome *x = &(*o)->items[i];
        free(x->message);
        free(x->reference_id);
        free(x->status);
        free(x->approved_value);
        free(x->assoc_id);
    }
    free((*o)->items);
    free((*o)->message);
    free(*o);
    *o = NULL;
}

/* Goodwill history */

enum api_err api_decode_body_GOODWILL_HISTORY(const json_t *root, void **out, struct api_error *err)
{
    const json_t *data = api_json_get(root, "data");
    if (!data || !(json_is_array(data) || json_is_null(data)))
        return bad(err, "goodwill response has no data array");
    size_t n = capped(api_json_count(data));
    struct mc_goodwill_page *p = api_xcalloc(1, sizeof *p);
    p->items = api_xcalloc(n ? n : 1, sizeof *p->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(data, i);
        if (!it || !json_is_object(it))
            continue;
        struct mc_goodwill *g = &p->items[p->n++];
        api_json_int64(it, "id", &g->id);
        if (!api_json_int64(it, "requestId", &g->request_id))
            g->request_id = g->id;
        g->type = api_json_str(it, "goodwillType");
        g->status = api_json_str(it, "goodwillStatus");
        g->reason = api_json_str(it, "reason");
        g->comments = api_json_str(it, "comments");
        g->updated_comments = api_json_str(it, "updatedComments");
        g->approved_value = api_json_str(it, "approvedValue");
        g->added_on = api_json_str(it, "addedOn");
        g->updated_on = api_json_str(it, "updatedOn");
        const json_t *by = api_json_first(it, "addedBy");
        api_requests_actor(by ? by : api_json_first(it, "enteredBy"), &g->added_by);
        api_requests_actor(api_json_first(it, "updatedBy"), &g->updated_by);
        g->has_points = opt_number(it, "points", &g->points);
        api_json_int64(it, "seriesId", &g->series_id);
    }
    const json_t *pg = api_json_first(root, "pagination");
    p->offset = api_json_long(pg, "offset", 0);
    p->limit = api_json_long(pg, "limit", (long)n);
    p->total = api_json_long(pg, "total", -1);
    *out = p;
    return API_OK;
}

void mc_goodwill_page_free(struct mc_goodwill_page **p)
{
    if (!p || !*p)
        return;
    for (size_t i = 0; i < (*p)->n; i++) {
        struct mc_goodwill *g = &(*p)->items[i];
        free(g->type);
        free(g->status);
        free(g->reason);
        free(g->comments);
        free(g->updated_comments);
        free(g->approved_value);
        free(g->added_on);
        free(g->updated_on);
        api_requests_actor_clear(&g->added_by);
        api_requests_actor_clear(&g->updated_by);
    }
    free((*p)->items);
    free(*p);
    *p = NULL;
}

/* Goodwill settings */

enum api_err api_decode_body_GOODWILL_CONFIG(const json_t *root, void **out, struct api_error *err)
{
    const json_t *c = api_json_path(root, "response", "goodwill_config", NULL);
    if (!c || !json_is_object(c))
        return bad(err, "goodwill settings response has no response.goodwill_config");
    struct mc_goodwill_config *g = api_xcalloc(1, sizeof *g);
    const json_t *reasons = api_json_get(api_json_first(c, "reasons"), "reason");
    size_t n = capped(api_json_count(reasons));
    g->reasons = api_xcalloc(n ? n : 1, sizeof *g->reasons);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(reasons, i);
        char *code = api_json_str(it, "code");
        if (!code || !code[0]) {
            free(code);
            continue;
        }
        g->reasons[g->n_reasons].code = code;
        g->reasons[g->n_reasons++].description = api_json_str(it, "description");
    }
    const json_t *series = api_json_get(api_json_first(c, "coupon_series"), "series");
    n = capped(api_json_count(series));
    g->series = api_xcalloc(n ? n : 1, sizeof *g->series);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(series, i);
        int64_t id;
        if (!api_json_int64(it, "id", &id) || id <= 0)
            continue;
        struct mc_series_choice *s = &g->series[g->n_series++];
        s->id = id;
        s->code = api_json_str(it, "code");
        s->description = api_json_str(it, "description");
    }
    g->points_cap = api_json_double(c, "points_upper_cap", 0);
    if (g->points_cap < 0)
        g->points_cap = 0;
    *out = g;
    return API_OK;
}

void mc_goodwill_config_free(struct mc_goodwill_config **c)
{
    if (!c || !*c)
        return;
    for (size_t i = 0; i < (*c)->n_reasons; i++) {
        free((*c)->reasons[i].code);
        free((*c)->reasons[i].description);
    }
    for (size_t i = 0; i < (*c)->n_series; i++) {
        free((*c)->series[i].code);
        free((*c)->series[i].description);
    }
    free((*c)->reasons);
    free((*c)->series);
    free(*c);
    *c = NULL;
}

void mc_request_outcome_error(const struct api_result *res, const struct mc_request_outcome *x,
                              struct api_error *err)
{
    *err = res->err;
    if (x) {
        err->kind = API_REMOTE;
        err->code = x->code;
        snprintf(err->message, sizeof err->message, "%s", x->message ? x->message : "refused");
    } else if (res->err.kind == API_OK) {
        err->kind = API_DECODE;
        err->unknown_outcome = true;
        snprintf(err->message, sizeof err->message, "the answer listed no request");
    }
}
