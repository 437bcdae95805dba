/*
 * requests.c - request builders of the requests resource (see requests.h).
 *
 * Choices where the reference is loose:
 *   - Writes carry one item per call. The v1.1 calls take up to 10 items
 *     (1060 beyond), but one item per HTTP exchange keeps every outcome
 *     separate: a timeout or a 5xx leaves exactly one request's fate
 *     unknown instead of up to ten, the audit log pairs each write with its
 *     own answer, and the worker still runs them concurrently over
 *     kept-alive connections (the bulk approval screen relies on that).
 *   - The customer is named by customer.id when the console knows it (it
 *     always does after a lookup), else by mobile.
 *   - Numbers go as strings ("250"), as every v1.1 sample sends them.
 *   - GET /v1.1/request/goodwill_config is UNCONFIRMED: the reference
 *     documents no lookup of an org's goodwill reasons or goodwill-enabled
 *     series; the sandbox serves this one and the goodwill form falls back
 *     to the reason codes the reference samples use when it fails.
 *   - The raised-by filter sends `added_by` (the older request/logs
 *     revision's name), which request/get may not honour on every cluster.
 */
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"

/* Appends "&key=value" (encoded) to *q when value is non-empty. */
static void add_arg(char **q, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    char *enc = api_url_encode(value);
    char *next = api_xasprintf("%s&%s=%s", *q, key, enc);
    free(enc);
    free(*q);
    *q = next;
}

struct api_request *api_request_list(const struct mc_request_filter *f, long offset, long limit)
{
    if (limit <= 0 || limit > API_REQUEST_PAGE_MAX)
        limit = API_REQUEST_PAGE_MAX;
    char *q = api_xstrdup("/v1.1/request/get?format=json");
    if (f) {
        add_arg(&q, "type", f->type);
        add_arg(&q, "base_type", f->base_type);
        add_arg(&q, "status", f->status);
        add_arg(&q, "start_date", f->start_date);
        add_arg(&q, "end_date", f->end_date);
        add_arg(&q, "added_by", f->added_by);
        const char *m = f->member;
        if (m && *m) {
            if (strncmp(m, "id:", 3) == 0) {
                add_arg(&q, "user_id", m + 3);
            } else {
                const char *kind = api_guess_identifier(m);
                add_arg(&q, kind && strcmp(kind, "email") == 0        ? "email"
                            : kind && strcmp(kind, "mobile") == 0     ? "mobile"
                                                                      : "external_id",
                        m);
            }
        }
    }
    char *path = api_xasprintf("%s&start_limit=%ld&limit=%ld", q, offset < 0 ? 0 : offset, limit);
    free(q);
    return api_request_new(API_REQUEST_LIST, API_GET, path, NULL);
}

struct api_request *api_request_trail(int64_t id, const char *type, const char *base_type,
                                      const char *start_date, const char *end_date)
{
    char *q = api_xasprintf("/v1.1/request/logs?format=json&request_id=%" PRId64, id);
    add_arg(&q, "type", type);
    add_arg(&q, "base_type", base_type);
    add_arg(&q, "start_date", start_date);
    add_arg(&q, "end_date", end_date);
    return api_request_new(API_REQUEST_TRAIL, API_GET, q, NULL);
}

static json_t *num_text(double v)
{
    char buf[48];
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, sizeof buf, "%.0f", v);
    else
        snprintf(buf, sizeof buf, "%.3f", v);
    return json_string(buf);
}

static json_t *id_text(int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    return json_string(buf);
}

/* A JSON string, with bytes that are not UTF-8 replaced so the body stays valid. */
static json_t *text(const char *s)
{
    json_t *j = json_string(s ? s : "");
    if (j)
        return j;
    char *copy = api_xstrdup(s);
    for (unsigned char *p = (unsigned char *)copy; *p; p++)
        if (*p >= 0x80)
            *p = '?';
    j = json_string(copy);
    free(copy);
    return j ? j : json_string("");
}

/* {"root":{"request":[item]}} as text; takes item. */
static char *wrap(json_t *item)
{
    json_t *doc = json_pack("{s:{s:[o]}}", "root", "request", item);
    char *s = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
    json_decref(doc);
    if (!s)
        abort();
    char *out = api_xstrdup(s);
    free(s);
    return out;
}

struct api_request *api_request_add_goodwill(const struct mc_goodwill_new *g)
{
    json_t *cust = json_object();
    if (g->customer_id > 0)
        json_object_set_new(cust, "id", id_text(g->customer_id));
    else
        json_object_set_new(cust, "mobile", text(g->mobile));
    json_t *item = json_pack("{s:o,s:o,s:s,s:s,s:o,s:o}", "customer", cust, "reference_id",
                             text(g->reference_id), "type", "GOODWILL", "base_type",
                             g->coupon ? "COUPON" : "POINTS", "reason", text(g->reason), "comments",
                             text(g->comments));
    if (!item)
        abort();
    if (g->coupon)
        json_object_set_new(item, "series_id", id_text(g->series_id));
    else
        json_object_set_new(item, "points", num_text(g->points));
    return api_request_new(API_REQUEST_ADD, API_POST, api_xstrdup("/v1.1/request/add?format=json"),
                           wrap(item));
}

static char *decision_body(const struct mc_request_decision *d, bool approve)
{
    json_t *item = json_pack("{s:o,s:o,s:o,s:o}", "id", id_text(d->id), "type", text(d->type),
                             "base_type", text(d->base_type), "updated_comments", text(d->comments));
    if (!item)
        abort();
    if (approve && d->points > 0)
        json_object_set_new(item, "points", num_text(d->points));
    if (approve && d->series_id > 0)
        json_object_set_new(item, "series_id", id_text(d->series_id));
    return wrap(item);
}

struct api_request *api_request_approve(const struct mc_request_decision *d)
{
    return api_request_new(API_REQUEST_APPROVE, API_POST,
                           api_xstrdup("/v1.1/request/approve?format=json"), decision_body(d, true));
}

struct api_request *api_request_reject(const struct mc_request_decision *d)
{
    return api_request_new(API_REQUEST_REJECT, API_POST,
                           api_xstrdup("/v1.1/request/reject?format=json"), decision_body(d, false));
}

struct api_request *api_goodwill_history(int64_t customer_id, long offset, long limit)
{
    if (limit <= 0 || limit > 100)
        limit = 100;
    char *path = api_xasprintf("/v2/customers/%" PRId64 "/goodwillRequest?offset=%ld&limit=%ld",
                               customer_id, offset < 0 ? 0 : offset, limit);
    return api_request_new(API_GOODWILL_HISTORY, API_GET, path, NULL);
}

struct api_request *api_goodwill_config(void)
{
    return api_request_new(API_GOODWILL_CONFIG, API_GET,
                           api_xstrdup("/v1.1/request/goodwill_config?format=json"), NULL);
}
