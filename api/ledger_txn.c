/*
 * ledger_txn.c - the member's bills and points expiry: builders and the
 * decoders for TXN_PAGE (§5.13), TXN_DETAIL (§5.14) and POINTS_EXPIRY
 * (§5.10).
 *
 * Choices where the reference is loose:
 *   - v2 transactions page by record offset; a page needs a `data` list
 *     (null = empty). `billingTime` is ISO 8601 (a space instead of T and a
 *     missing zone are accepted; a missing zone means UTC).
 *   - billPoints (embed=BILL_POINTS) is documented only by its block names
 *     (UNCONFIRMED). The points a bill earned are read from
 *     billPoints.aggregatedBillPoints.{issuedPoints|pointsIssued|points|
 *     issued}, else summed over billPoints.pointsBreakup[] with the same
 *     keys; NAN when none is there.
 *   - The store is billingStore (embed=BILL_STORE_DETAILS): name, else
 *     description, else code.
 *   - Line items come only from v1.1 customer/transactions (the v2 list has
 *     none). Its body is response.customer (object, or an array's first
 *     element) .transactions.transaction (object-or-array) with
 *     line_items.line_item (object-or-array); every number may be a string.
 *     A failed item_status is the server's error (API_REMOTE); an empty list
 *     is found == false.
 *   - Expiry schedule entries use expiryDate, else the date part of
 *     expiryDateISO, and are sorted by date (undated last); a schedule needs
 *     `expirySchedules` (null = none) or `id`.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "api/json.h"
#include "api/ledger_priv.h"

/* Builders */

struct api_request *api_points_expiry(int64_t customer_id)
{
    char *path = api_xasprintf("/v2/customers/%" PRId64 "/pointsExpirySchedule", customer_id);
    return api_request_new(API_POINTS_EXPIRY, API_GET, path, NULL);
}

struct api_request *api_transactions(int64_t customer_id, long offset, long limit)
{
    char *path = api_xasprintf("/v2/customers/%" PRId64 "/transactions?limit=%ld&offset=%ld"
                               "&sortOrder=DESC&embed=BILL_STORE_DETAILS,BILL_POINTS",
                               customer_id, limit <= 0 ? 20 : limit > 1000 ? 1000 : limit,
                               offset < 0 ? 0 : offset);
    return api_request_new(API_TXN_PAGE, API_GET, path, NULL);
}

struct api_request *api_transaction_detail(int64_t customer_id, int64_t txn_id)
{
    char *path = api_xasprintf("/v1.1/customer/transactions?format=json&id=%" PRId64
                               "&transaction_id=%" PRId64,
                               customer_id, txn_id);
    return api_request_new(API_TXN_DETAIL, API_GET, path, NULL);
}

/* Transactions page */

static double points_of(const json_t *o)
{
    static const char *const keys[] = {"issuedPoints", "pointsIssued", "points", "issued"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        double v = api_json_double(o, keys[k], NAN);
        if (!isnan(v))
            return v;
    }
    return NAN;
}

static double bill_points(const json_t *bp)
{
    if (!bp)
        return NAN;
    double v = points_of(api_json_first(bp, "aggregatedBillPoints"));
    if (!isnan(v))
        return v;
    const json_t *list = api_json_get(bp, "pointsBreakup");
    size_t n = api_json_count(list);
    double sum = NAN;
    for (size_t i = 0; i < n; i++) {
        double p = points_of(api_json_at(list, i));
        if (!isnan(p))
            sum = isnan(sum) ? p : sum + p;
    }
    return sum;
}

enum api_err api_decode_body_TXN_PAGE(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list = api_json_get(root, "data");
    if (!list || !(json_is_array(list) || json_is_object(list) || json_is_null(list))) {
        api_error_set(err, API_DECODE, err->http_status, 0,
                      "transactions response has no data list");
        return API_DECODE;
    }
    struct mc_txn_page *p = api_xcalloc(1, sizeof *p);
    size_t n = api_json_count(list);
    p->items = api_xcalloc(n ? n : 1, sizeof *p->items);
    struct strblock sb;
    strblock_init(&sb);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(list, i);
        if (!it || !json_is_object(it))
            continue;
        struct mc_txn *t = &p->items[p->n++];
        api_json_int64(it, "id", &t->id);
        const json_t *when = api_json_get(it, "billingTime");
        int64_t at;
        if (when && json_is_string(when) && mc_parse_time(json_string_value(when), true, &at))
            t->at = at / 10;
        t->amount = api_json_double(it, "amount", 0);
        t->gross = api_json_double(it, "grossAmount", t->amount);
        t->discount = api_json_double(it, "discount", 0);
        t->points = bill_points(api_json_first(it, "billPoints"));
        t->text[MC_TT_BILL] = strblock_add_json(&sb, api_json_get(it, "billNumber"));
        t->text[MC_TT_TYPE] = strblock_add_json(&sb, api_json_get(it, "type"));
        t->text[MC_TT_NOTES] = strblock_add_json(&sb, api_json_get(it, "notes"));
        const json_t *store = api_json_first(it, "billingStore");
        static const char *const store_keys[] = {"name", "description", "code"};
        for (size_t k = 0; k < 3 && !t->text[MC_TT_STORE]; k++)
            t->text[MC_TT_STORE] = strblock_add_json(&sb, api_json_get(store, store_keys[k]));
        t->text[MC_TT_STORE_CODE] = strblock_add_json(&sb, api_json_get(store, "code"));
    }
    p->strings = strblock_take(&sb, &p->strings_len);
    const json_t *pg = api_json_first(root, "pagination");
    p->offset = api_json_long(pg, "offset", 0);
    p->limit = api_json_long(pg, "limit", (long)p->n);
    p->total = api_json_long(pg, "total", p->offset + (long)p->n);
    *out = p;
    return API_OK;
}

void mc_txn_page_free(struct mc_txn_page **pp)
{
    if (!pp || !*pp)
        return;
    free((*pp)->items);
    free((*pp)->strings);
    free(*pp);
    *pp = NULL;
}

/* Transaction detail (v1.1) */

static void decode_lines(const json_t *txn, struct mc_txn_detail *d)
{
    const json_t *li = api_json_get(api_json_first(txn, "line_items"), "line_item");
    size_t n = api_json_count(li);
    if (n == 0)
        return;
    d->lines = api_xcalloc(n, sizeof *d->lines);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(li, i);
        if (!it || !json_is_object(it))
            continue;
        struct mc_txn_line *l = &d->lines[d->n_lines++];
        l->serial = api_json_long(it, "serial", (long)d->n_lines);
        l->item_code = api_json_str(it, "item_code");
        l->description = api_json_str(it, "description");
        l->qty = api_json_double(it, "qty", 0);
        l->rate = api_json_double(it, "rate", 0);
        l->value = api_json_double(it, "value", l->qty * l->rate);
        l->discount = api_json_double(it, "discount", 0);
        l->amount = api_json_double(it, "amount", l->value - l->discount);
    }
}

enum api_err api_decode_body_TXN_DETAIL(const json_t *root, void **out, struct api_error *err)
{
    const json_t *cust = api_json_first(api_json_first(root, "response"), "customer");
    if (!cust) {
        api_error_set(err, API_DECODE, err->http_status, 0,
                      "transaction response has no response.customer");
        return API_DECODE;
    }
    const json_t *st = api_json_first(cust, "item_status");
    if (st && !api_json_bool(st, "success", true)) {
        long code = api_json_long(st, "code", 0);
        char *msg = api_json_str(st, "message");
        api_error_set(err, API_REMOTE, err->http_status, code, "%s",
                      msg && *msg ? msg : "the server reported an error");
        free(msg);
        return API_REMOTE;
    }
    struct mc_txn_detail *d = api_xcalloc(1, sizeof *d);
    const json_t *txn = api_json_path(cust, "transactions", "transaction", NULL);
    if (txn && json_is_array(txn))
        txn = json_array_get(txn, 0);
    if (txn && json_is_object(txn)) {
        d->found = true;
        api_json_int64(txn, "id", &d->id);
        d->number = api_json_str(txn, "number");
        d->type = api_json_str(txn, "type");
        d->billing_time = api_json_str(txn, "billing_time");
        d->store = api_json_str(txn, "store");
        d->store_code = api_json_str(txn, "store_code");
        d->notes = api_json_str(txn, "notes");
        d->amount = api_json_double(txn, "amount", 0);
        d->gross = api_json_double(txn, "gross_amount", d->amount);
        d->discount = api_json_double(txn, "discount", 0);
        const json_t *pts = api_json_first(txn, "points");
        d->points_issued = api_json_double(pts, "issued", 0);
        d->points_redeemed = api_json_double(pts, "redeemed", 0);
        d->points_returned = api_json_double(pts, "returned", 0);
        d->points_expired = api_json_double(pts, "expired", 0);
        d->points_expiry = api_json_str(pts, "expiry_date");
        decode_lines(txn, d);
    }
    *out = d;
    return API_OK;
}

void mc_txn_detail_free(struct mc_txn_detail **dp)
{
    if (!dp || !*dp)
        return;
    struct mc_txn_detail *d = *dp;
    free(d->number);
    free(d->type);
    free(d->billing_time);
    free(d->store);
    free(d->store_code);
    free(d->notes);
    free(d->points_expiry);
    for (size_t i = 0; i < d->n_lines; i++) {
        free(d->lines[i].item_code);
        free(d->lines[i].description);
    }
    free(d->lines);
    free(d);
    *dp = NULL;
}

/* Expiry schedule */

static int expiry_cmp(const void *a, const void *b)
{
    const struct mc_expiry_entry *x = a, *y = b;
    if (!x->date || !y->date)
        return (x->date == NULL) - (y->date == NULL);
    return strcmp(x->date, y->date);
}

enum api_err api_decode_body_POINTS_EXPIRY(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list = api_json_get(root, "expirySchedules");
    int64_t id = 0;
    bool has_id = api_json_int64(root, "id", &id);
    if (!list && !has_id) {
        api_error_set(err, API_DECODE, err->http_status, 0,
                      "expiry schedule response has no expirySchedules");
        return API_DECODE;
    }
    struct mc_expiry_schedule *s = api_xcalloc(1, sizeof *s);
    s->customer_id = id;
    size_t n = api_json_count(list);
    s->items = api_xcalloc(n ? n : 1, sizeof *s->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(list, i);
        if (!it || !json_is_object(it))
            continue;
        struct mc_expiry_entry *e = &s->items[s->n++];
        e->points = api_json_double(it, "points", 0);
        e->date = api_json_str(it, "expiryDate");
        if (!e->date) {
            char *iso = api_json_str(it, "expiryDateISO");
            if (iso && strlen(iso) > 10)
                iso[10] = '\0';
            e->date = iso;
        }
        e->points_type = api_json_str(it, "pointsType");
        e->expiry_type = api_json_str(it, "expiryType");
        e->program_id = api_json_long(it, "programId", 0);
    }
    /* qsort is not stable, but equal dates only differ in type and the
     * screen groups by date anyway. */
    qsort(s->items, s->n, sizeof *s->items, expiry_cmp);
    *out = s;
    return API_OK;
}

void mc_expiry_schedule_free(struct mc_expiry_schedule **sp)
{
    if (!sp || !*sp)
        return;
    struct mc_expiry_schedule *s = *sp;
    for (size_t i = 0; i < s->n; i++) {
        free(s->items[i].date);
        free(s->items[i].points_type);
        free(s->items[i].expiry_type);
    }
    free(s->items);
    free(s);
    *sp = NULL;
}
