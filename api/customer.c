/*
 * customer.c - the customer resource: request builders, identifier
 * guessing, and the decoders for CUSTOMER, SEARCH, BALANCE and EVENTS.
 *
 * Endpoints (part1): §5.1 lookup/customerDetails, §5.2 customers/{id},
 * §5.4 customers/search, §5.9 points/balance, §5.11 loyaltyEvents.
 *
 * Shapes and the choices made where the reference is loose:
 *   - Each decoder requires one field that proves the body is the documented
 *     resource (customer: `id`, or profiles[0].userId; search and events:
 *     a `data` array, null meaning empty; balance: totalPoints or
 *     mainPoints). Everything else is optional: a missing string is NULL, a
 *     missing number 0, unless model.h says otherwise.
 *   - Tier and points come from loyaltyProgramDetails[0] (embed=mlp); when
 *     that block is absent the older `pointsSummary` block (embed=points,
 *     same field names) is used, and has_program records whether either was
 *     there at all.
 *   - Identifier types are matched case-insensitively, and cardNumber /
 *     cardnumber / card_number, externalId / external_id are the same type
 *     (the reference spells them several ways).
 *   - Expiry entries use `expiryDate`, else the date part of `expiryDateISO`,
 *     and are sorted by date whatever order the server sent.
 *   - loyaltyEvents paging (§5.11) is UNCONFIRMED: limit/offset are sent and
 *     no pagination block is expected.
 */
#include <ctype.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "api/json.h"

#define EMBED "embed=points,mlp,expirySchedules&includedFraudDetails=true"

/* Builders */

struct api_request *api_customer_lookup(const char *idname, const char *value)
{
    char *n = api_url_encode(idname);
    char *v = api_url_encode(value);
    char *path = api_xasprintf("/v2/customers/lookup/customerDetails?source=INSTORE"
                               "&identifierName=%s&identifierValue=%s&" EMBED,
                               n, v);
    free(n);
    free(v);
    return api_request_new(API_CUSTOMER, API_GET, path, NULL);
}

struct api_request *api_customer_get(int64_t id)
{
    char *path = api_xasprintf("/v2/customers/%" PRId64 "?source=INSTORE&" EMBED, id);
    return api_request_new(API_CUSTOMER, API_GET, path, NULL);
}

/* The reference gives no maximum page size; 100 is what the sandbox allows
 * and more than a screen ever shows. */
static long clamp_limit(long limit)
{
    return limit <= 0 ? 10 : limit > 100 ? 100 : limit;
}

struct api_request *api_customer_search(const char *q, long offset, long limit)
{
    char *enc = api_url_encode(q);
    char *path = api_xasprintf("/v2/customers/search?q=%s&offset=%ld&limit=%ld", enc,
                               offset < 0 ? 0 : offset, clamp_limit(limit));
    free(enc);
    return api_request_new(API_SEARCH, API_GET, path, NULL);
}

struct api_request *api_points_balance(int64_t id)
{
    char *path = api_xasprintf("/v2/customers/%" PRId64 "/points/balance", id);
    return api_request_new(API_BALANCE, API_GET, path, NULL);
}

struct api_request *api_loyalty_events(int64_t id, long offset, long limit)
{
    char *path = api_xasprintf("/v2/customers/%" PRId64 "/loyaltyEvents?offset=%ld&limit=%ld",
                               id, offset < 0 ? 0 : offset, clamp_limit(limit));
    return api_request_new(API_EVENTS, API_GET, path, NULL);
}

/* Identifier guessing */

static bool all_digits(const char *b, const char *e)
{
    if (b == e)
        return false;
    for (; b < e; b++)
        if (!isdigit((unsigned char)*b))
            return false;
    return true;
}

/* Letters, then one or more "-" groups of letters/digits, with a digit
 * somewhere after the first dash: MC-000123, EXT-2024-77, but not a
 * hyphenated name such as Jean-Luc. */
static bool looks_external(const char *b, const char *e)
{
    const char *p = b;
    while (p < e && isalpha((unsigned char)*p))
        p++;
    if (p == b || p - b > 16 || p == e || *p != '-')
        return false;
    bool digit = false;
    while (p < e) {
        if (*p != '-')
            return false;
        const char *g = ++p;
        while (p < e && isalnum((unsigned char)*p)) {
            digit |= isdigit((unsigned char)*p) != 0;
            p++;
        }
        if (p == g)
            return false;
    }
    return digit;
}

const char *api_guess_identifier(const char *query)
{
    if (!query)
        return NULL;
    const char *b = query, *e = query + strlen(query);
    while (b < e && isspace((unsigned char)*b))
        b++;
    while (e > b && isspace((unsigned char)e[-1]))
        e--;
    if (b == e)
        return NULL;
    if (memchr(b, '@', (size_t)(e - b)))
        return "email";
    if (e - b >= 4 && strncasecmp(b, "CARD", 4) == 0)
        return "cardnumber";
    bool plus = *b == '+';
    const char *d = b + plus;
    if (all_digits(d, e)) {
        size_t n = (size_t)(e - d);
        if (n >= 8 && n <= 15)
            return "mobile";
        if (!plus && n >= 16)
            return "cardnumber";
        return NULL;
    }
    if (looks_external(b, e))
        return "externalId";
    return NULL;
}

/* Shared decoding helpers */

enum id_type { ID_OTHER, ID_MOBILE, ID_EMAIL, ID_EXTERNAL, ID_CARD };

static enum id_type id_type(const char *t)
{
    if (!t)
        return ID_OTHER;
    if (strcasecmp(t, "mobile") == 0)
        return ID_MOBILE;
    if (strcasecmp(t, "email") == 0)
        return ID_EMAIL;
    if (strcasecmp(t, "externalId") == 0 || strcasecmp(t, "external_id") == 0)
        return ID_EXTERNAL;
    if (strcasecmp(t, "cardnumber") == 0 || strcasecmp(t, "card_number") == 0)
        return ID_CARD;
    return ID_OTHER;
}

/* Fills the first non-empty value of each known type from an identifiers
 * list; slots that are already set are kept. */
static void take_identifiers(const json_t *ids, char **mobile, char **email, char **ext,
                             char **card)
{
    size_t n = api_json_count(ids);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(ids, i);
        char *type = api_json_str(it, "type");
        enum id_type t = id_type(type);
        free(type);
        char **slot = t == ID_MOBILE ? mobile : t == ID_EMAIL ? email
                    : t == ID_EXTERNAL ? ext : t == ID_CARD ? card : NULL;
        if (!slot || *slot)
            continue;
        char *v = api_json_str(it, "value");
        if (v && v[0])
            *slot = v;
        else
            free(v);
    }
}

/* Customer */

static int expiry_cmp(const void *a, const void *b)
{
    const struct mc_expiry *x = a, *y = b;
    if (!x->date || !y->date)
        return (x->date == NULL) - (y->date == NULL);
    int c = strcmp(x->date, y->date);
    if (c)
        return c;
    return (x->points > y->points) - (x->points < y->points);
}

static void decode_expiry(const json_t *list, struct mc_customer *c)
{
    size_t n = api_json_count(list);
    if (n == 0)
        return;
    c->expiry = api_xcalloc(n, sizeof *c->expiry);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(list, i);
        if (!it || !json_is_object(it))
            continue;
        struct mc_expiry *x = &c->expiry[c->n_expiry];
        x->points = api_json_double(it, "points", 0);
        x->date = api_json_str(it, "expiryDate");
        if (!x->date) {
            char *iso = api_json_str(it, "expiryDateISO");
            if (iso && strlen(iso) > 10)
                iso[10] = '\0';
            x->date = iso;
        }
        c->n_expiry++;
    }
    qsort(c->expiry, c->n_expiry, sizeof *c->expiry, expiry_cmp);
}

static int clamp_int(long v)
{
    return v > INT_MAX ? INT_MAX : v < INT_MIN ? INT_MIN : (int)v;
}

static void decode_program(const json_t *p, struct mc_customer *c)
{
    c->has_program = true;
    c->program_name = api_json_str(p, "programTitle");
    if (!c->program_name)
        c->program_name = api_json_str(p, "programName");
    c->tier = api_json_str(p, "currentSlab");
    c->next_tier = api_json_str(p, "nextSlab");
    c->tier_expiry = api_json_str(p, "slabExpiryDate");
    c->tier_serial = clamp_int(api_json_long(p, "slabSNo", 0));
    c->next_tier_serial = clamp_int(api_json_long(p, "nextSlabSerialNumber", -1));
    c->points_current = api_json_double(p, "loyaltyPoints", 0);
    c->points_lifetime = api_json_double(p, "lifetimePoints", 0);
    c->points_redeemed = api_json_double(p, "redeemed", 0);
    c->points_expired = api_json_double(p, "expired", 0);
    c->points_adjusted = api_json_double(p, "adjusted", 0);
    c->points_returned = api_json_double(p, "returned", 0);
    c->points_delayed = api_json_double(p, "delayedPoints", 0);
    c->points_available = api_json_double(p, "totalAvailablePoints", c->points_current);
    if (c->lifetime_purchases == 0)
        c->lifetime_purchases = api_json_double(p, "cumulativePurchases", 0);
}

enum api_err api_decode_body_CUSTOMER(const json_t *root, void **out, struct api_error *err)
{
    const json_t *prof = api_json_first(root, "profiles");
    int64_t id;
    if (!api_json_int64(root, "id", &id) && !api_json_int64(prof, "userId", &id)) {
        api_error_set(err, API_DECODE, err->http_status, 0, "customer response has no id");
        return API_DECODE;
    }
    struct mc_customer *c = api_xcalloc(1, sizeof *c);
    c->id = id;
    c->next_tier_serial = -1;

    c->first_name = api_json_str(prof, "firstName");
    c->last_name = api_json_str(prof, "lastName");
    c->source = api_json_str(prof, "source");
    take_identifiers(api_json_get(prof, "identifiers"), &c->mobile, &c->email, &c->external_id,
                     &c->card_number);

    const json_t *attr = api_json_first(prof, "attribution");
    const json_t *linfo = api_json_first(root, "loyaltyInfo");
    const json_t *attr2 = api_json_first(linfo, "attributionV2");
    c->created_on = api_json_str(attr, "createDate");
    if (!c->created_on)
        c->created_on = api_json_str(attr2, "createDate");
    c->created_by = api_json_str(api_json_first(attr, "createdBy"), "code");
    if (!c->created_by)
        c->created_by = api_json_str(api_json_first(attr2, "createdBy"), "code");

    c->loyalty_type = api_json_str(linfo, "loyaltyType");
    c->lifetime_purchases = api_json_double(linfo, "lifetimePurchases", 0);
    c->fraud_status = api_json_str(api_json_first(root, "fraudDetails"), "status");

    const json_t *prog = api_json_first(root, "loyaltyProgramDetails");
    if (!prog)
        prog = api_json_first(root, "pointsSummary");
    if (prog)
        decode_program(prog, c);

    decode_expiry(api_json_get(root, "expirySchedules"), c);
    *out = c;
    return API_OK;
}

void mc_customer_free(struct mc_customer **cp)
{
    if (!cp || !*cp)
        return;
    struct mc_customer *c = *cp;
    free(c->first_name);
    free(c->last_name);
    free(c->mobile);
    free(c->email);
    free(c->external_id);
    free(c->card_number);
    free(c->source);
    free(c->created_on);
    free(c->created_by);
    free(c->loyalty_type);
    free(c->fraud_status);
    free(c->program_name);
    free(c->tier);
    free(c->next_tier);
    free(c->tier_expiry);
    for (size_t i = 0; i < c->n_expiry; i++)
        free(c->expiry[i].date);
    free(c->expiry);
    free(c);
    *cp = NULL;
}

/* Search */

/* The `data` list of a paged response: NULL + API_DECODE when it is missing
 * or not a list; a null `data` is an empty page. */
static bool data_list(const json_t *root, const json_t **list, const char *what,
                      struct api_error *err)
{
    const json_t *d = api_json_get(root, "data");
    if (d && (json_is_array(d) || json_is_object(d) || json_is_null(d))) {
        *list = d;
        return true;
    }
    api_error_set(err, API_DECODE, err->http_status, 0, "%s response has no data list", what);
    return false;
}

enum api_err api_decode_body_SEARCH(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list;
    if (!data_list(root, &list, "search", err))
        return API_DECODE;
    struct mc_search_page *p = api_xcalloc(1, sizeof *p);
    size_t n = api_json_count(list);
    p->hits = api_xcalloc(n ? n : 1, sizeof *p->hits);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(list, i);
        int64_t id;
        /* A row without an id could not be opened; it is left out. */
        if (!api_json_int64(it, "userId", &id) && !api_json_int64(it, "id", &id))
            continue;
        struct mc_search_hit *h = &p->hits[p->n++];
        h->id = id;
        const json_t *prof = api_json_first(it, "profiles");
        h->first_name = api_json_str(prof, "firstName");
        h->last_name = api_json_str(prof, "lastName");
        char *card = NULL;
        take_identifiers(api_json_get(prof, "identifiers"), &h->mobile, &h->email,
                         &h->external_id, &card);
        free(card);
        const json_t *m = api_json_first(it, "matchedIdentifiers");
        h->matched_type = api_json_str(m, "idType");
        h->matched_value = api_json_str(m, "idValue");
    }
    const json_t *pg = api_json_first(root, "pagination");
    p->offset = api_json_long(pg, "offset", 0);
    p->limit = api_json_long(pg, "limit", (long)p->n);
    p->total = api_json_long(pg, "total", p->offset + (long)p->n);
    *out = p;
    return API_OK;
}

void mc_search_page_free(struct mc_search_page **pp)
{
    if (!pp || !*pp)
        return;
    struct mc_search_page *p = *pp;
    for (size_t i = 0; i < p->n; i++) {
        struct mc_search_hit *h = &p->hits[i];
        free(h->first_name);
        free(h->last_name);
        free(h->mobile);
        free(h->email);
        free(h->external_id);
        free(h->matched_type);
        free(h->matched_value);
    }
    free(p->hits);
    free(p);
    *pp = NULL;
}

/* Balance */

enum api_err api_decode_body_BALANCE(const json_t *root, void **out, struct api_error *err)
{
    /* NAN marks "absent" so the two required fields can be told apart from 0. */
    double total = api_json_double(root, "totalPoints", NAN);
    double main_pts = api_json_double(root, "mainPoints", NAN);
    if (isnan(total) && isnan(main_pts)) {
        api_error_set(err, API_DECODE, err->http_status, 0,
                      "points balance response has no totalPoints or mainPoints");
        return API_DECODE;
    }
    struct mc_balance *b = api_xcalloc(1, sizeof *b);
    if (!api_json_int64(root, "entityId", &b->id))
        api_json_int64(root, "id", &b->id);
    b->promised = api_json_double(root, "promisedPoints", 0);
    b->main = isnan(main_pts) ? total - b->promised : main_pts;
    b->total = isnan(total) ? b->main + b->promised : total;
    *out = b;
    return API_OK;
}

void mc_balance_free(struct mc_balance **b)
{
    if (!b || !*b)
        return;
    free(*b);
    *b = NULL;
}

/* Events */

enum api_err api_decode_body_EVENTS(const json_t *root, void **out, struct api_error *err)
{
    const json_t *list;
    if (!data_list(root, &list, "loyalty events", err))
        return API_DECODE;
    struct mc_event_page *p = api_xcalloc(1, sizeof *p);
    size_t n = api_json_count(list);
    p->items = api_xcalloc(n ? n : 1, sizeof *p->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(list, i);
        if (!it || !json_is_object(it))
            continue;
        struct mc_event *ev = &p->items[p->n++];
        api_json_int64(it, "id", &ev->id);
        ev->date = api_json_str(it, "date");
        ev->name = api_json_str(it, "eventName");
        ev->status = api_json_str(it, "status");
    }
    *out = p;
    return API_OK;
}

void mc_event_page_free(struct mc_event_page **pp)
{
    if (!pp || !*pp)
        return;
    struct mc_event_page *p = *pp;
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].date);
        free(p->items[i].name);
        free(p->items[i].status);
    }
    free(p->items);
    free(p);
    *pp = NULL;
}
