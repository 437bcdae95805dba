/*
 * coupons_decode.c - the COUPON* response decoders (part 2 §1).
 *
 * Each decoder requires the one thing that proves the body is what its
 * endpoint documents and treats everything else as optional:
 *   COUPONS, COUPON_SERIES  an `entity` list (object-or-array; null = empty)
 *   COUPON_DETAILS          a `data` list
 *   COUPON_LOOKUP, RESEND   response.coupons.coupon (v1.1)
 *   COUPON_SERIES_V11       response.series (items.item may be absent: none)
 *   COUPON_ISSUE            a non-empty string `code` (the body has no envelope)
 *   COUPON_REDEEM           a `redemption` list or a `redemptionStatus`
 *   COUPON_REDEEMABLE       a `redemption` list
 *   COUPON_REVOKE           an `entity` object
 *   COUPON_REACTIVATE       a `success` flag (false decodes to API_REMOTE)
 * Business failures that arrive with HTTP 200 become API_REMOTE with the
 * server's code and message: redemptionStatus.status false (redeem), a
 * resend item whose item_status says failure. Revoke's per-code failures
 * are data (failedToRevoke), not errors: the caller reports them.
 * Element shapes that part 2 marks UNCONFIRMED (redemptionInfo entries,
 * per-code is_redeemable failures) are read as the sandbox writes them and
 * as the basic dialect documents, field by field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/coupons_priv.h"
#include "api/internal.h"
#include "api/json.h"

/* A list under key: object-or-array; null or absent as allowed. */
static bool list_at(const json_t *root, const char *key, bool absent_ok, const json_t **list)
{
    const json_t *v = api_json_get(root, key);
    if (!v && absent_ok) {
        *list = NULL;
        return true;
    }
    if (v && (json_is_array(v) || json_is_object(v) || json_is_null(v))) {
        *list = json_is_null(v) ? NULL : v;
        return true;
    }
    return false;
}

static enum api_err missing(struct api_error *err, const char *what)
{
    api_error_set(err, API_DECODE, err->http_status, 0, "%s", what);
    return API_DECODE;
}

static char *first_str(const json_t *o, const char *a, const char *b)
{
    char *s = api_json_str(o, a);
    return s ? s : b ? api_json_str(o, b) : NULL;
}

/* Redemptions */

static void fill_redemptions(const json_t *list, struct mc_redemption **out, size_t *n)
{
    size_t count = api_json_count(list);
    *out = NULL;
    *n = 0;
    if (count == 0)
        return;
    *out = api_xcalloc(count, sizeof **out);
    for (size_t i = 0; i < count; i++) {
        const json_t *e = api_json_at(list, i);
        if (!json_is_object(e))
            continue;
        struct mc_redemption *r = &(*out)[(*n)++];
        api_json_int64(e, "id", &r->id);
        r->date = first_str(e, "date", "redemptionDate");
        r->bill = first_str(e, "transactionNumber", "billNumber");
        const json_t *at = api_json_first(e, "redeemedAt");
        r->store_code = api_json_str(at, "code");
        r->store_name = api_json_str(at, "name");
        r->reversed_on = api_json_str(e, "reversedOn");
    }
}

/* Series */

void api_coupon_series_fill(const json_t *o, struct mc_coupon_series *s)
{
    api_json_int64(o, "id", &s->id);
    s->code = first_str(o, "discountCode", "discount_code");
    if (!s->code)
        s->code = first_str(o, "seriesCode", "series_code");
    s->description = api_json_str(o, "description");
    s->discount_type = first_str(o, "discountType", "discount_type");
    s->discount_value = api_json_double(o, "discountValue", api_json_double(o, "discount_value", 0));
    s->discount_upto = api_json_double(o, "discountUpto", api_json_double(o, "discount_upto", 0));
    s->discount_on = first_str(o, "discountOn", "discount_on");
    s->valid_till = first_str(o, "validTillDate", "valid_till_date");
    s->expiry_strategy = first_str(o, "expiryStrategyType", "expiry_strategy_type");
    s->expiry_value = api_json_long(o, "expiryStrategyValue", api_json_long(o, "expiry_strategy_value", 0));
    s->max_create = api_json_long(o, "maxCreate", api_json_long(o, "max_create", -1));
    s->max_redeem = api_json_long(o, "maxRedeem", api_json_long(o, "max_redeem", -1));
    s->per_coupon_redeem = api_json_long(o, "redemptionPerCouponMaxLimit",
                                         api_json_long(o, "redemption_per_coupon_max_limit", -1));
    const json_t *counts = api_json_first(o, "coupons");
    s->issued = api_json_long(o, "numIssued", api_json_long(counts, "issued", -1));
    s->redeemed = api_json_long(o, "numRedeemed", api_json_long(counts, "redeemed", -1));
    s->terms = api_json_str(api_json_get(o, "customPropertyMap"), "standard_terms_and_conditions");
}

/* Coupons */

void api_coupon_fill(const json_t *o, struct mc_coupon *c)
{
    api_json_int64(o, "id", &c->id);
    c->code = api_json_str(o, "code");
    api_json_int64(o, "seriesId", &c->series_id);
    const json_t *series = api_json_first(o, "series");
    if (series) {
        c->series = api_xcalloc(1, sizeof *c->series);
        api_coupon_series_fill(series, c->series);
        if (!c->series_id)
            c->series_id = c->series->id;
    }
    c->series_name = api_json_str(o, "seriesName");
    if (!c->series_name && c->series && c->series->description)
        c->series_name = api_xstrdup(c->series->description);
    c->description = api_json_str(o, "description");
    /* discountType is the ABS/PERC word in the basic dialect but a
     * deprecated boolean in the detailed one: only a string counts. */
    c->discount_type = api_json_str(o, "couponDiscountType");
    if (!c->discount_type && json_is_string(api_json_get(o, "discountType")))
        c->discount_type = api_json_str(o, "discountType");
    c->discount_value = api_json_double(o, "discountValueAsDouble",
                                        api_json_double(o, "discountValue", 0));
    c->discount_upto = api_json_double(o, "discountUpto", 0);
    c->discount_code = api_json_str(o, "discountCode");
    c->discount_on = api_json_str(o, "discountOn");
    c->detailed_info = api_json_str(o, "detailedInfo");
    c->valid_till = first_str(o, "validTillDateTime", "validTill");
    c->created = api_json_str(o, "createdDate");
    c->issued_on = api_json_str(o, "issuedOn");
    c->active_from = api_json_str(o, "activeFrom");
    const json_t *at = api_json_first(o, "issuedAt");
    c->issued_store_code = api_json_str(at, "code");
    c->issued_store_name = api_json_str(at, "name");
    api_json_int64(o, "issuedBy", &c->issued_by);
    if (!api_json_int64(o, "issuedTo", &c->issued_to))
        api_json_int64(api_json_first(o, "customer"), "id", &c->issued_to);
    api_json_int64(o, "refId", &c->ref_id);
    c->redeemed = api_json_bool(o, "redeemed", api_json_bool(o, "isRedeemed", false));
    int64_t left;
    if (api_json_int64(o, "redemptionsLeft", &left)) {
        c->has_left = true;
        c->redemptions_left = left < -1 ? -1 : left > 1000000 ? 1000000 : (long)left;
    }
    const json_t *st = api_json_first(o, "couponStatus");
    c->status_code = api_json_long(st, "code", 0);
    c->status_message = api_json_str(st, "message");
    fill_redemptions(api_json_get(o, "redemptionInfo") ? api_json_get(o, "redemptionInfo")
                                                       : api_json_get(o, "redemptions"),
                     &c->redemptions, &c->n_redemptions);
    fill_redemptions(api_json_get(o, "reversedRedemptionInfo")
                         ? api_json_get(o, "reversedRedemptionInfo")
                         : api_json_get(o, "reversedRedemptions"),
                     &c->reversed, &c->n_reversed);
}

static enum api_err coupon_list(const json_t *list, void **out)
{
    struct mc_coupon_list *l = api_xcalloc(1, sizeof *l);
    size_t n = api_json_count(list);
    l->items = api_xcalloc(n ? n : 1, sizeof *l->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *o = api_json_at(list, i);
        char *code = api_json_str(o, "code");
        /* A coupon without a code can be neither shown nor acted on. */
        bool usable = code && code[0];
        free(code);
        if (usable)
            api_coupon_fill(o, &l->items[l->n++]);
    }
    *out = l;
    return API_OK;
}

enum api_err api_decode_body_COUPONS(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list;
    if (!list_at(root, "entity", false, &list))
        return missing(err, "customer coupons response has no entity list");
    return coupon_list(list, out);
}

enum api_err api_decode_body_COUPON_DETAILS(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list;
    if (!list_at(root, "data", false, &list))
        return missing(err, "coupon details response has no data list");
    return coupon_list(list, out);
}

enum api_err api_decode_body_COUPON_ISSUE(const json_t *root, void **out, struct api_error *err)
{
    /* Some gateways wrap the bare object in `entity`; accept both. */
    const json_t *o = api_json_first(root, "entity") ? api_json_first(root, "entity") : root;
    /* Only a string: a number in its place is a garbled answer, and taking
     * it for the code would report a coupon that does not exist. */
    const json_t *code = json_is_object(o) ? json_object_get(o, "code") : NULL;
    if (!json_is_string(code) || json_string_length(code) == 0)
        return missing(err, "issue response has no coupon code");
    struct mc_coupon *c = api_xcalloc(1, sizeof *c);
    api_coupon_fill(o, c);
    *out = c;
    return API_OK;
}

/* Series */

static enum api_err series_list(const json_t *list, void **out)
{
    struct mc_series_list *l = api_xcalloc(1, sizeof *l);
    size_t n = api_json_count(list);
    l->items = api_xcalloc(n ? n : 1, sizeof *l->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *o = api_json_at(list, i);
        int64_t id;
        /* v1.1 lists failed ids as items with only an item_status. */
        const json_t *st = api_json_get(o, "item_status");
        bool failed = st && !api_json_bool(st, "success", api_json_bool(st, "status", true));
        if (!json_is_object(o) || failed || !api_json_int64(o, "id", &id))
            continue;
        api_coupon_series_fill(o, &l->items[l->n++]);
    }
    *out = l;
    return API_OK;
}

enum api_err api_decode_body_COUPON_SERIES(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list;
    if (!list_at(root, "entity", false, &list))
        return missing(err, "coupon series response has no entity");
    return series_list(list, out);
}

enum api_err api_decode_body_COUPON_SERIES_V11(const json_t *root, void **out,
                                               struct api_error *err)
{
    const json_t *series = api_json_path(root, "response", "series", NULL);
    if (series && json_is_array(series))
        series = json_array_get(series, 0);
    if (!series || !json_is_object(series))
        return missing(err, "coupon series response has no response.series");
    const json_t *items = api_json_first(series, "items");
    return series_list(items ? api_json_get(items, "item") : NULL, out);
}

/* Lookup (v1.1 coupon/get) */

static bool item_ok(const json_t *item)
{
    const json_t *st = api_json_first(item, "item_status");
    if (!st)
        return true;
    return api_json_bool(st, "success", api_json_bool(st, "status", true));
}

static const json_t *v11_coupons(const json_t *root)
{
    const json_t *coupons = api_json_path(root, "response", "coupons", NULL);
    if (coupons && json_is_array(coupons))
        coupons = json_array_get(coupons, 0);
    return json_is_object(coupons) ? api_json_get(coupons, "coupon") : NULL;
}

enum api_err api_decode_body_COUPON_LOOKUP(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list = v11_coupons(root);
    if (!list || !(json_is_object(list) || json_is_array(list)))
        return missing(err, "coupon lookup response has no response.coupons.coupon");
    struct mc_coupon_owner_list *l = api_xcalloc(1, sizeof *l);
    size_t n = api_json_count(list);
    l->items = api_xcalloc(n ? n : 1, sizeof *l->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *o = api_json_at(list, i);
        if (!json_is_object(o))
            continue;
        struct mc_coupon_owner *w = &l->items[l->n++];
        w->code = api_json_str(o, "code");
        api_json_int64(o, "id", &w->coupon_id);
        const json_t *cust = api_json_first(o, "customer");
        api_json_int64(cust, "user_id", &w->customer_id);
        w->name = api_json_str(cust, "name");
        w->mobile = api_json_str(cust, "mobile");
        w->email = api_json_str(cust, "email");
        const json_t *st = api_json_first(o, "item_status");
        w->found = item_ok(o) && w->code && w->code[0];
        w->item_code = api_json_long(st, "code", 0);
        w->message = api_json_str(st, "message");
    }
    *out = l;
    return API_OK;
}

/* Writes */

enum api_err api_decode_body_COUPON_REDEEM(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list;
    const json_t *status = api_json_first(root, "redemptionStatus");
    if (!list_at(root, "redemption", status != NULL, &list))
        return missing(err, "redeem response has neither redemption nor redemptionStatus");
    if (status && !api_json_bool(status, "status", api_json_bool(status, "success", true))) {
        long code = api_json_long(status, "code", 0);
        char *msg = api_json_str(status, "message");
        api_error_set(err, API_REMOTE, err->http_status, code, "%s",
                      msg && msg[0] ? msg : "the coupon was not redeemed");
        free(msg);
        return API_REMOTE;
    }
    struct mc_redeem_result *r = api_xcalloc(1, sizeof *r);
    size_t n = api_json_count(list);
    r->items = api_xcalloc(n ? n : 1, sizeof *r->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *o = api_json_at(list, i);
        if (!json_is_object(o))
            continue;
        struct mc_redeem_item *it = &r->items[r->n++];
        api_json_int64(o, "id", &it->redemption_id);
        it->code = api_json_str(o, "code");
        it->value = api_json_double(o, "couponValue", 0);
        it->absolute = api_json_bool(o, "isAbsolute", false);
    }
    r->status_code = api_json_long(status, "code", 0);
    r->message = api_json_str(status, "message");
    *out = r;
    return API_OK;
}

/* "711: Coupon already redeemed" -> 711 and the text after ": ". */
static void split_appended(const char *s, long *code, char **msg)
{
    char *end;
    long c = s ? strtol(s, &end, 10) : 0;
    if (s && end != s && c > 0 && *end == ':') {
        *code = c;
        end++;
        while (*end == ' ')
            end++;
        *msg = *end ? api_xstrdup(end) : NULL;
    } else if (s && *s) {
        *msg = api_xstrdup(s);
    }
}

enum api_err api_decode_body_COUPON_REDEEMABLE(const json_t *root, void **out,
                                               struct api_error *err)
{
    const json_t *list;
    if (!list_at(root, "redemption", false, &list))
        return missing(err, "is_redeemable response has no redemption list");
    struct mc_redeemable_list *l = api_xcalloc(1, sizeof *l);
    size_t n = api_json_count(list);
    l->items = api_xcalloc(n ? n : 1, sizeof *l->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *o = api_json_at(list, i);
        if (!json_is_object(o))
            continue;
        struct mc_redeemable *r = &l->items[l->n++];
        r->code = api_json_str(o, "code");
        r->redeemable = api_json_bool(o, "isRedeemable", false);
        r->left = api_json_long(o, "redemptionsLeft", -1);
        r->by_user = api_json_long(o, "numberOfRedemptionsByUser", 0);
        if (r->redeemable)
            continue;
        const json_t *w = api_json_first(o, "warnings");
        if (w) {
            r->reason_code = api_json_long(w, "code", 0);
            r->reason = api_json_str(w, "message");
        }
        if (!r->reason) {
            char *appended = api_json_str(o, "appendedErrorMessage");
            split_appended(appended, &r->reason_code, &r->reason);
            free(appended);
        }
    }
    *out = l;
    return API_OK;
}

static char **str_list(const json_t *list, const char *key, size_t *n)
{
    size_t count = api_json_count(list);
    char **out = api_xcalloc(count ? count : 1, sizeof *out);
    *n = 0;
    for (size_t i = 0; i < count; i++) {
        const json_t *e = api_json_at(list, i);
        char *s = key ? api_json_str(e, key) : api_json_str_value(e);
        if (s)
            out[(*n)++] = s;
    }
    return out;
}

enum api_err api_decode_body_COUPON_REVOKE(const json_t *root, void **out, struct api_error *err)
{
    const json_t *e = api_json_get(root, "entity");
    if (!json_is_object(e))
        return missing(err, "revoke response has no entity");
    struct mc_revoke_result *r = api_xcalloc(1, sizeof *r);
    r->revoked = str_list(api_json_get(e, "revokedCoupons"), "couponCode", &r->n_revoked);
    const json_t *failed = api_json_get(e, "failedToRevoke");
    size_t nf = api_json_count(failed);
    r->failures = api_xcalloc(nf ? nf : 1, sizeof *r->failures);
    long failed_codes = 0;
    for (size_t i = 0; i < nf; i++) {
        const json_t *f = api_json_at(failed, i);
        if (!json_is_object(f))
            continue;
        struct mc_revoke_failure *x = &r->failures[r->n_failures++];
        x->code = api_json_long(f, "errorCode", 0);
        x->message = api_json_str(f, "errorMessage");
        x->codes = str_list(api_json_get(f, "couponCodes"), NULL, &x->n_codes);
        failed_codes += (long)(x->n_codes ? x->n_codes : 1);
    }
    r->failed = api_json_long(e, "failedCount", failed_codes);
    r->total = api_json_long(e, "totalCount", (long)r->n_revoked + r->failed);
    *out = r;
    return API_OK;
}

enum api_err api_decode_body_COUPON_REACTIVATE(const json_t *root, void **out,
                                               struct api_error *err)
{
    const json_t *s = api_json_get(root, "success");
    if (!s)
        return missing(err, "reactivate response has no success flag");
    if (!api_json_bool(root, "success", false)) {
        api_error_set(err, API_REMOTE, err->http_status, 0, "the server did not reactivate the coupon");
        return API_REMOTE;
    }
    struct mc_ack *a = api_xcalloc(1, sizeof *a);
    a->success = true;
    *out = a;
    return API_OK;
}

enum api_err api_decode_body_COUPON_RESEND(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list = v11_coupons(root);
    const json_t *item = list ? api_json_at(list, 0) : NULL;
    if (!json_is_object(item))
        return missing(err, "resend response has no response.coupons.coupon");
    if (!item_ok(item)) {
        const json_t *st = api_json_first(item, "item_status");
        char *msg = api_json_str(st, "message");
        api_error_set(err, API_REMOTE, err->http_status, api_json_long(st, "code", 0), "%s",
                      msg && msg[0] ? msg : "the coupon was not resent");
        free(msg);
        return API_REMOTE;
    }
    struct mc_resend *r = api_xcalloc(1, sizeof *r);
    api_json_int64(item, "id", &r->id);
    r->code = api_json_str(item, "code");
    r->message = api_json_str(api_json_first(item, "item_status"), "message");
    *out = r;
    return API_OK;
}
