/*
 * coupons.c - the coupon resource: request builders, freeing and copying
 * the models, and the pure helpers views use (time parsing, a coupon's
 * state). The body decoders are in coupons_decode.c.
 *
 * Choices where part 2 leaves room:
 *   - Picking a series to issue lists the running series with the v1.1
 *     call (GET /v1.1/coupon/series?expired=false): it is the documented
 *     way to list them all; the v2 call is documented for given ids only
 *     and serves the detail of one series.
 *   - Redeem uses the v2 call with the member's id and one code; the store
 *     is the till's own, the redemption time the server's.
 *   - Revoke names exactly one code, which the reference allows without a
 *     couponSeriesId. The reason the agent types has no field in the API:
 *     it is kept in the local audit log.
 *   - Reactivate uses POST (§1.14: the index lists POST; PATCH is only seen
 *     in a third-party client).
 *   - Resend identifies the member by mobile, email or external_id, never
 *     by id: on that v1.1 call `id` is the coupon's id. It is a GET, so the
 *     worker may retry it after a 5xx: the member may then get the message
 *     twice, which is harmless next to losing it.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/coupons_priv.h"
#include "api/internal.h"
#include "api/json.h"

/* Builders */

struct api_request *api_customer_coupons(int64_t customer_id)
{
    return api_request_new(API_COUPONS, API_GET,
                           api_xasprintf("/v2/customers/%" PRId64 "/coupons", customer_id), NULL);
}

struct api_request *api_coupon_details(const char *code)
{
    char *c = api_url_encode(code ? code : "");
    char *path = api_xasprintf("/v2/coupon?couponCodes=%s", c);
    free(c);
    return api_request_new(API_COUPON_DETAILS, API_GET, path, NULL);
}

struct api_request *api_coupon_lookup(const char *code)
{
    char *c = api_url_encode(code ? code : "");
    char *path = api_xasprintf("/v1.1/coupon/get?code=%s&user_id=true&format=json", c);
    free(c);
    return api_request_new(API_COUPON_LOOKUP, API_GET, path, NULL);
}

struct api_request *api_coupon_series_active(void)
{
    return api_request_new(API_COUPON_SERIES_V11, API_GET,
                           api_xstrdup("/v1.1/coupon/series?expired=false&format=json"), NULL);
}

struct api_request *api_coupon_series_get(int64_t series_id)
{
    return api_request_new(API_COUPON_SERIES, API_GET,
                           api_xasprintf("/v2/coupon/series?ids=%" PRId64, series_id), NULL);
}

/* Serialises a body built here (never fails short of out of memory). */
static char *dump(json_t *body)
{
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if (!text) {
        fprintf(stderr, "membercare: out of memory\n");
        abort();
    }
    char *copy = api_xstrdup(text);
    free(text);
    return copy;
}

/* A string for a request body: JSON needs UTF-8, so invalid bytes become '?'. */
static json_t *body_str(const char *s)
{
    json_t *j = json_string(s ? s : "");
    if (j)
        return j;
    char *clean = api_xstrdup(s);
    for (unsigned char *p = (unsigned char *)clean; *p; p++)
        if (*p >= 0x80)
            *p = '?';
    j = json_string(clean);
    free(clean);
    return j;
}

struct api_request *api_coupon_issue(int64_t series_id, int64_t customer_id)
{
    json_t *b = json_pack("{s:I,s:{s:I}}", "seriesId", (json_int_t)series_id, "customer", "id",
                          (json_int_t)customer_id);
    return api_request_new(API_COUPON_ISSUE, API_POST, api_xstrdup("/v2/coupon/issue"), dump(b));
}

struct api_request *api_coupon_redeem(int64_t customer_id, const char *code, const char *bill,
                                      double amount)
{
    json_t *b = json_pack("{s:f,s:o,s:{s:I},s:[{s:o}]}", "billAmount", amount,
                          "transactionNumber", body_str(bill), "user", "id",
                          (json_int_t)customer_id, "redemptionRequestList", "code",
                          body_str(code));
    return api_request_new(API_COUPON_REDEEM, API_POST, api_xstrdup("/v2/coupon/redeem"), dump(b));
}

struct api_request *api_coupon_is_redeemable(int64_t customer_id, const char *code)
{
    char *c = api_url_encode(code ? code : "");
    char *path = api_xasprintf("/v2/coupon/is_redeemable?id=%" PRId64 "&code=%s&details=true",
                               customer_id, c);
    free(c);
    return api_request_new(API_COUPON_REDEEMABLE, API_GET, path, NULL);
}

struct api_request *api_coupon_revoke(const char *code)
{
    json_t *b = json_pack("{s:[o]}", "couponCodes", body_str(code));
    return api_request_new(API_COUPON_REVOKE, API_POST, api_xstrdup("/v2/coupon/revoke"), dump(b));
}

struct api_request *api_coupon_reactivate(int64_t redemption_id)
{
    json_t *b = json_pack("{s:[I]}", "redemptionIds", (json_int_t)redemption_id);
    return api_request_new(API_COUPON_REACTIVATE, API_POST, api_xstrdup("/v2/coupon/reactivate"),
                           dump(b));
}

struct api_request *api_coupon_resend(const char *idname, const char *value, const char *code)
{
    char *n = api_url_encode(idname ? idname : "mobile");
    char *v = api_url_encode(value ? value : "");
    char *c = api_url_encode(code ? code : "");
    char *path = api_xasprintf("/v1.1/coupon/resend?%s=%s&code=%s&format=json", n, v, c);
    free(n);
    free(v);
    free(c);
    return api_request_new(API_COUPON_RESEND, API_GET, path, NULL);
}

/* Freeing and copying */

static void redemption_clear(struct mc_redemption *r)
{
    free(r->date);
    free(r->bill);
    free(r->store_code);
    free(r->store_name);
    free(r->reversed_on);
}

void mc_coupon_series_clear(struct mc_coupon_series *s)
{
    if (!s)
        return;
    free(s->code);
    free(s->description);
    free(s->discount_type);
    free(s->discount_on);
    free(s->valid_till);
    free(s->expiry_strategy);
    free(s->terms);
    memset(s, 0, sizeof *s);
}

void mc_coupon_clear(struct mc_coupon *c)
{
    if (!c)
        return;
    free(c->code);
    free(c->series_name);
    free(c->description);
    free(c->discount_type);
    free(c->discount_code);
    free(c->discount_on);
    free(c->detailed_info);
    free(c->valid_till);
    free(c->created);
    free(c->issued_on);
    free(c->active_from);
    free(c->issued_store_code);
    free(c->issued_store_name);
    free(c->status_message);
    for (size_t i = 0; i < c->n_redemptions; i++)
        redemption_clear(&c->redemptions[i]);
    for (size_t i = 0; i < c->n_reversed; i++)
        redemption_clear(&c->reversed[i]);
    free(c->redemptions);
    free(c->reversed);
    if (c->series) {
        mc_coupon_series_clear(c->series);
        free(c->series);
    }
    memset(c, 0, sizeof *c);
}

void mc_coupon_free(struct mc_coupon **c)
{
    if (!c || !*c)
        return;
    mc_coupon_clear(*c);
    free(*c);
    *c = NULL;
}

void mc_coupon_list_free(struct mc_coupon_list **l)
{
    if (!l || !*l)
        return;
    for (size_t i = 0; i < (*l)->n; i++)
        mc_coupon_clear(&(*l)->items[i]);
    free((*l)->items);
    free(*l);
    *l = NULL;
}

void mc_series_list_free(struct mc_series_list **l)
{
    if (!l || !*l)
        return;
    for (size_t i = 0; i < (*l)->n; i++)
        mc_coupon_series_clear(&(*l)->items[i]);
    free((*l)->items);
    free(*l);
    *l = NULL;
}

void mc_coupon_owner_list_free(struct mc_coupon_owner_list **l)
{
    if (!l || !*l)
        return;
    for (size_t i = 0; i < (*l)->n; i++) {
        struct mc_coupon_owner *o = &(*l)->items[i];
        free(o->code);
        free(o->name);
        free(o->mobile);
        free(o->email);
        free(o->message);
    }
    free((*l)->items);
    free(*l);
    *l = NULL;
}

void mc_redeem_result_free(struct mc_redeem_result **r)
{
    if (!r || !*r)
        return;
    for (size_t i = 0; i < (*r)->n; i++)
        free((*r)->items[i].code);
    free((*r)->items);
    free((*r)->message);
    free(*r);
    *r = NULL;
}

void mc_redeemable_list_free(struct mc_redeemable_list **l)
{
    if (!l || !*l)
        return;
    for (size_t i = 0; i < (*l)->n; i++) {
        free((*l)->items[i].code);
        free((*l)->items[i].reason);
    }
    free((*l)->items);
    free(*l);
    *l = NULL;
}

void mc_revoke_result_free(struct mc_revoke_result **r)
{
    if (!r || !*r)
        return;
    struct mc_revoke_result *x = *r;
    for (size_t i = 0; i < x->n_revoked; i++)
        free(x->revoked[i]);
    free(x->revoked);
    for (size_t i = 0; i < x->n_failures; i++) {
        free(x->failures[i].message);
        for (size_t k = 0; k < x->failures[i].n_codes; k++)
            free(x->failures[i].codes[k]);
        free(x->failures[i].codes);
    }
    free(x->failures);
    free(x);
    *r = NULL;
}

void mc_ack_free(struct mc_ack **a)
{
    if (!a || !*a)
        return;
    free(*a);
    *a = NULL;
}

void mc_resend_free(struct mc_resend **r)
{
    if (!r || !*r)
        return;
    free((*r)->code);
    free((*r)->message);
    free(*r);
    *r = NULL;
}

static char *dup_or_null(const char *s)
{
    return s ? api_xstrdup(s) : NULL;
}

static struct mc_redemption *dup_redemptions(const struct mc_redemption *r, size_t n)
{
    if (n == 0)
        return NULL;
    struct mc_redemption *d = api_xcalloc(n, sizeof *d);
    for (size_t i = 0; i < n; i++) {
        d[i].id = r[i].id;
        d[i].date = dup_or_null(r[i].date);
        d[i].bill = dup_or_null(r[i].bill);
        d[i].store_code = dup_or_null(r[i].store_code);
        d[i].store_name = dup_or_null(r[i].store_name);
        d[i].reversed_on = dup_or_null(r[i].reversed_on);
    }
    return d;
}

struct mc_coupon *mc_coupon_dup(const struct mc_coupon *c)
{
    struct mc_coupon *d = api_xcalloc(1, sizeof *d);
    *d = *c;
    d->code = dup_or_null(c->code);
    d->series_name = dup_or_null(c->series_name);
    d->description = dup_or_null(c->description);
    d->discount_type = dup_or_null(c->discount_type);
    d->discount_code = dup_or_null(c->discount_code);
    d->discount_on = dup_or_null(c->discount_on);
    d->detailed_info = dup_or_null(c->detailed_info);
    d->valid_till = dup_or_null(c->valid_till);
    d->created = dup_or_null(c->created);
    d->issued_on = dup_or_null(c->issued_on);
    d->active_from = dup_or_null(c->active_from);
    d->issued_store_code = dup_or_null(c->issued_store_code);
    d->issued_store_name = dup_or_null(c->issued_store_name);
    d->status_message = dup_or_null(c->status_message);
    d->redemptions = dup_redemptions(c->redemptions, c->n_redemptions);
    d->reversed = dup_redemptions(c->reversed, c->n_reversed);
    d->series = NULL;
    if (c->series) {
        const struct mc_coupon_series *s = c->series;
        struct mc_coupon_series *t = api_xcalloc(1, sizeof *t);
        *t = *s;
        t->code = dup_or_null(s->code);
        t->description = dup_or_null(s->description);
        t->discount_type = dup_or_null(s->discount_type);
        t->discount_on = dup_or_null(s->discount_on);
        t->valid_till = dup_or_null(s->valid_till);
        t->expiry_strategy = dup_or_null(s->expiry_strategy);
        t->terms = dup_or_null(s->terms);
        d->series = t;
    }
    return d;
}

/* Pure helpers */

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool mc_time_parse(const char *s, long long *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0;
    if (!s || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
        return false;
    const char *p = s + 10;
    long long offset = 0;
    if (*p == 'T' || *p == ' ') {
        if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi) || h > 23 || mi > 59)
            return false;
        p += 6;
        if (*p == ':') {
            if (!digits(p + 1, 2, &se) || se > 60)
                return false;
            p += 3;
            if (*p == '.')
                for (p++; isdigit((unsigned char)*p); p++)
                    ;
        }
        if (*p == 'Z') {
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om = 0;
            int sign = *p == '-' ? -1 : 1;
            if (!digits(p + 1, 2, &oh))
                return false;
            p += 3;
            if (*p == ':')
                p++;
            if (isdigit((unsigned char)*p)) {
                if (!digits(p, 2, &om))
                    return false;
                p += 2;
            }
            offset = sign * (oh * 3600LL + om * 60LL);
        }
    }
    if (*p)
        return false;
    *out = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + se - offset;
    return true;
}

static bool mentions(const char *s, const char *word)
{
    if (!s)
        return false;
    size_t n = strlen(word);
    for (; *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return true;
    return false;
}

enum mc_coupon_state mc_coupon_state(const struct mc_coupon *c, long long now)
{
    if (c->status_code == 660 || mentions(c->status_message, "revoke"))
        return MC_COUPON_REVOKED;
    if (c->redeemed || c->status_code == 711 ||
        (c->has_left && c->redemptions_left == 0 && c->n_redemptions > 0))
        return MC_COUPON_REDEEMED;
    long long till;
    if (c->status_code == 713 || c->status_code == 712 ||
        (mc_time_parse(c->valid_till, &till) && till < now))
        return MC_COUPON_EXPIRED;
    return MC_COUPON_ACTIVE;
}

const struct mc_redemption *mc_coupon_last_redemption(const struct mc_coupon *c)
{
    const struct mc_redemption *best = NULL;
    long long best_t = 0;
    for (size_t i = 0; i < c->n_redemptions; i++) {
        const struct mc_redemption *r = &c->redemptions[i];
        long long t = 0;
        bool has_t = mc_time_parse(r->date, &t);
        if (!best || (has_t && t >= best_t)) {
            best = r;
            best_t = has_t ? t : best_t;
        }
    }
    return best;
}
