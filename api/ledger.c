/*
 * ledger.c - the points ledger: request builders and the decoders for
 * LEDGER_PAGE (§5.12.2) and LEDGER_BALANCE (§5.12.1).
 *
 * Choices where the reference is loose (the decoders accept every shape
 * listed here):
 *   - Paging: `offset` is a page number and `limit` a page size; the
 *     current docs allow 100 per page, the older ones 10 (status 11006).
 *     The builder sends what the caller asks; the ledger screen asks for
 *     100 and falls back to 10 when the server answers 11006.
 *   - isFilterBasedOnDate=false is always sent: with the default (true) the
 *     server answers only a window of at most 90 days, and a console that
 *     pages through a member's whole history needs no window.
 *   - Order: the reference documents no sort for a customer's ledger. Each
 *     page is sorted newest first (ledgerCreatedDate, then eventLogId, both
 *     descending), whatever order it arrived in; across pages the server's
 *     paging order is trusted (the sandbox pages newest first).
 *   - Points: `points`, `netPointsOnEvent` and `closingBalance` are decimal
 *     strings with three places; numbers are accepted too. An entry's Main
 *     points are the sum of its Main entryDetails (CREDIT +, DEBIT -;
 *     OPENING_BALANCE counts as a credit); an entry without entryDetails
 *     takes netPointsOnEvent as Main. Other categories (delayed accrual,
 *     external trigger) are promised points, kept apart.
 *   - Expiry of earned points: UNCONFIRMED in the reference. entryDetails
 *     items may carry `expiryDate` (YYYY-MM-DD, what the sandbox sends),
 *     `expiresOn` (as in the explode API) or `expiryDateISO`; the earliest
 *     among the credits is kept.
 *   - Reference column: transactionDetails.transactionNumber, else
 *     eventDetails.requestId (UNCONFIRMED: the sandbox sends it on goodwill
 *     events, naming the approved request).
 *   - Dates: `ledgerCreatedDate` is "YYYY-MM-DD HH:MM:SS.s" without a zone;
 *     it is kept as that wall-clock time (read as UTC). ISO 8601 with a zone
 *     is accepted and its zone dropped, so mixed shapes still sort.
 *   - A page needs `ledgerDetails` or `ledgerEntries` to count as a ledger
 *     page; a balance needs `ledgerDetails` or `ledgerClosingBalance`.
 *     Entries that are not objects are skipped.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "api/json.h"
#include "api/ledger_priv.h"

/* Builders */

struct api_request *api_ledger_page(int64_t customer_id, long page, long limit)
{
    char *path = api_xasprintf("/v2/pointsLedger/getCustomerLedgerInfo?source=INSTORE"
                               "&identifierName=id&identifierValue=%" PRId64
                               "&isFilterBasedOnDate=false&offset=%ld&limit=%ld",
                               customer_id, page < 0 ? 0 : page, limit <= 0 ? 10 : limit);
    return api_request_new(API_LEDGER_PAGE, API_GET, path, NULL);
}

struct api_request *api_ledger_balance(const char *idname, const char *value, int64_t end_at)
{
    char *n = api_url_encode(idname ? idname : "");
    char *v = api_url_encode(value ? value : "");
    char end[64] = "";
    if (end_at > 0) {
        int64_t s = end_at / 10;
        int y, m, d;
        mc_civil_from_days(s / 86400, &y, &m, &d);
        int64_t r = s % 86400;
        snprintf(end, sizeof end, "&endDate=%04d-%02d-%02dT%02d%%3A%02d%%3A%02d", y, m, d,
                 (int)(r / 3600), (int)(r / 60 % 60), (int)(r % 60));
    }
    char *path = api_xasprintf("/v2/pointsLedger/getCustomerLedgerBalance?source=INSTORE"
                               "&identifierName=%s&identifierValue=%s%s",
                               n, v, end);
    free(n);
    free(v);
    return api_request_new(API_LEDGER_BALANCE, API_GET, path, NULL);
}

/* Ledger page */

static bool is_category_main(const json_t *item)
{
    const json_t *c = api_json_get(item, "pointsCategory");
    if (!c || !json_is_string(c))
        return true; /* the reference's rows without a category are Main */
    return strcasecmp(json_string_value(c), "Main") == 0;
}

static int32_t expiry_day(const json_t *item)
{
    static const char *const keys[] = {"expiryDate", "expiresOn", "expiryDateISO"};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const json_t *v = api_json_get(item, keys[k]);
        if (!v || !json_is_string(v))
            continue;
        char date[11];
        const char *s = json_string_value(v);
        if (strlen(s) < 10)
            continue;
        memcpy(date, s, 10);
        date[10] = '\0';
        int64_t t;
        if (mc_parse_time(date, false, &t))
            return (int32_t)(t / 10 / 86400);
    }
    return 0;
}

static void fold_details(const json_t *details, struct mc_ledger_entry *e, struct strblock *sb)
{
    size_t n = api_json_count(details);
    for (size_t i = 0; i < n; i++) {
        const json_t *d = api_json_at(details, i);
        if (!d || !json_is_object(d))
            continue;
        int64_t pts;
        if (!ledger_json_milli(api_json_get(d, "points"), &pts))
            continue;
        const json_t *type = api_json_get(d, "ledgerEntryType");
        const char *t = type && json_is_string(type) ? json_string_value(type) : "";
        bool debit = strcasecmp(t, "DEBIT") == 0;
        if (pts < 0 && !debit && strcasecmp(t, "CREDIT") != 0)
            debit = true; /* a signed amount without a type says which way it went */
        int64_t mag = pts < 0 ? -pts : pts;
        int64_t signed_pts = debit ? -mag : mag;
        if (is_category_main(d))
            e->main += signed_pts;
        else
            e->other += signed_pts;
        if (!debit) {
            int32_t x = expiry_day(d);
            if (x && (!e->expiry || x < e->expiry))
                e->expiry = x;
        }
        if (!e->text[MC_LT_PROGRAM])
            e->text[MC_LT_PROGRAM] = strblock_add_json(sb, api_json_get(d, "programName"));
    }
}

static void decode_entry(const json_t *it, struct mc_ledger_entry *e, struct strblock *sb)
{
    memset(e, 0, sizeof *e);
    api_json_int64(it, "eventLogId", &e->event_id);
    const json_t *name = api_json_get(it, "eventName");
    e->text[MC_LT_EVENT] = strblock_add_json(sb, name);
    e->kind = (uint8_t)mc_ledger_kind_of(sb->buf + e->text[MC_LT_EVENT]);

    const json_t *date = api_json_get(it, "ledgerCreatedDate");
    int64_t at;
    if (date && json_is_string(date) && mc_parse_time(json_string_value(date), false, &at) &&
        at > 0)
        e->at = at;

    const json_t *details = api_json_get(it, "entryDetails");
    if (api_json_count(details) > 0) {
        fold_details(details, e, sb);
    } else {
        int64_t net;
        if (ledger_json_milli(api_json_get(it, "netPointsOnEvent"), &net))
            e->main = net;
    }

    const json_t *txn = api_json_first(it, "transactionDetails");
    api_json_int64(txn, "transactionId", &e->txn_id);
    e->text[MC_LT_REF] = strblock_add_json(sb, api_json_get(txn, "transactionNumber"));

    e->text[MC_LT_STORE] = strblock_add_json(sb, api_json_get(it, "store"));
    if (!e->text[MC_LT_STORE])
        e->text[MC_LT_STORE] = strblock_add_json(sb, api_json_get(it, "storeCode"));
    e->text[MC_LT_TILL] = strblock_add_json(sb, api_json_get(it, "tillCode"));
    if (!e->text[MC_LT_PROGRAM])
        e->text[MC_LT_PROGRAM] = strblock_add_json(sb, api_json_get(it, "sourceProgramName"));

    const json_t *ev = api_json_first(it, "eventDetails");
    static const char *const detail_keys[] = {"reason", "promotionName", "eventDisplayName"};
    for (size_t k = 0; k < 3 && !e->text[MC_LT_DETAIL]; k++)
        e->text[MC_LT_DETAIL] = strblock_add_json(sb, api_json_get(ev, detail_keys[k]));
    if (!e->text[MC_LT_REF])
        e->text[MC_LT_REF] = strblock_add_json(sb, api_json_get(ev, "requestId"));
}

/* Newest first; entries without a date go last, in the order they came. */
static int entry_cmp(const void *a, const void *b)
{
    const struct mc_ledger_entry *x = a, *y = b;
    if ((x->at == 0) != (y->at == 0))
        return x->at == 0 ? 1 : -1;
    if (x->at != y->at)
        return x->at < y->at ? 1 : -1;
    if (x->event_id != y->event_id)
        return x->event_id < y->event_id ? 1 : -1;
    return 0;
}

/* Insertion sort: a page arrives sorted or nearly so, and it must be
 * stable (entries with equal keys keep the server's order). */
static void sort_entries(struct mc_ledger_entry *e, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        if (entry_cmp(&e[i - 1], &e[i]) <= 0)
            continue;
        struct mc_ledger_entry t = e[i];
        size_t j = i;
        while (j > 0 && entry_cmp(&e[j - 1], &t) > 0) {
            e[j] = e[j - 1];
            j--;
        }
        e[j] = t;
    }
}

enum api_err api_decode_body_LEDGER_PAGE(const json_t *root, void **out, struct api_error *err)
{
    const json_t *det = api_json_first(root, "ledgerDetails");
    const json_t *list = api_json_get(root, "ledgerEntries");
    bool list_ok = list && (json_is_array(list) || json_is_object(list) || json_is_null(list));
    if (!det && !list_ok) {
        api_error_set(err, API_DECODE, err->http_status, 0,
                      "ledger response has no ledgerDetails or ledgerEntries");
        return API_DECODE;
    }
    if (list && !list_ok) {
        api_error_set(err, API_DECODE, err->http_status, 0, "ledgerEntries is not a list");
        return API_DECODE;
    }
    struct mc_ledger_page *p = api_xcalloc(1, sizeof *p);
    const json_t *cust = api_json_first(root, "customerDetails");
    api_json_int64(cust, "userId", &p->customer_id);
    p->first_name = api_json_str(cust, "firstName");
    p->last_name = api_json_str(cust, "lastName");
    p->page_number = api_json_long(det, "pageNumber", -1);
    p->page_size = api_json_long(det, "pageSize", -1);
    p->total = api_json_long(det, "totalEntries", -1);
    p->page_count = api_json_long(det, "pageCount", -1);

    size_t n = api_json_count(list);
    p->entries = api_xcalloc(n ? n : 1, sizeof *p->entries);
    struct strblock sb;
    strblock_init(&sb);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(list, i);
        if (!it || !json_is_object(it))
            continue;
        decode_entry(it, &p->entries[p->n++], &sb);
    }
    sort_entries(p->entries, p->n);
    p->strings = strblock_take(&sb, &p->strings_len);
    *out = p;
    return API_OK;
}

void mc_ledger_page_free(struct mc_ledger_page **pp)
{
    if (!pp || !*pp)
        return;
    struct mc_ledger_page *p = *pp;
    free(p->first_name);
    free(p->last_name);
    free(p->entries);
    free(p->strings);
    free(p);
    *pp = NULL;
}

/* Balance */

enum api_err api_decode_body_LEDGER_BALANCE(const json_t *root, void **out,
                                            struct api_error *err)
{
    const json_t *det = api_json_first(root, "ledgerDetails");
    const json_t *rows = api_json_get(det, "ledgerClosingBalance");
    if (!rows)
        rows = api_json_get(root, "ledgerClosingBalance");
    if (!det && !rows) {
        api_error_set(err, API_DECODE, err->http_status, 0,
                      "ledger balance response has no ledgerDetails");
        return API_DECODE;
    }
    struct mc_ledger_balance *b = api_xcalloc(1, sizeof *b);
    api_json_int64(api_json_first(root, "customerDetails"), "userId", &b->customer_id);
    size_t n = api_json_count(rows);
    for (size_t i = 0; i < n; i++) {
        const json_t *r = api_json_at(rows, i);
        int64_t v;
        if (!r || !json_is_object(r) || !ledger_json_milli(api_json_get(r, "closingBalance"), &v))
            continue;
        if (is_category_main(r)) {
            b->main += v;
            b->has_main = true;
        } else {
            b->promised += v;
        }
    }
    *out = b;
    return API_OK;
}

void mc_ledger_balance_free(struct mc_ledger_balance **b)
{
    if (!b || !*b)
        return;
    free(*b);
    *b = NULL;
}
