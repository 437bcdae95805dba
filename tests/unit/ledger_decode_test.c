/*
 * ledger_decode_test.c - the ledger resource's decoders on fixture bodies
 * (tests/fixtures/ledger_*.json, found through $MC_FIXTURES) with the
 * reference's quirks: points as decimal strings, page-number paging,
 * "YYYY-MM-DD HH:MM:SS.s" dates, object-or-array containers, equal
 * timestamps and out-of-order entries; hostile types; the request
 * builders; and the date and points parsers underneath.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "api/internal.h"
#include "api/ledger_priv.h"

static char *load(const char *name, size_t *len)
{
    const char *dir = getenv("MC_FIXTURES");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void *decode_fixture(enum api_kind kind, long status, const char *name,
                            enum api_err want, struct api_error *err)
{
    size_t len;
    char *body = load(name, &len);
    void *out = (void *)1;
    enum api_err rc = api_decode(kind, status, body, len, &out, err);
    free(body);
    if (rc != want)
        fail_msg("%s: got %s (%s), want %s", name, api_err_name(rc), err->message,
                 api_err_name(want));
    if (want == API_OK)
        assert_non_null(out);
    else
        assert_null(out);
    return out;
}

static int64_t day(int y, int m, int d) { return mc_days_from_civil(y, m, d); }

static int64_t tenths(int y, int mo, int d, int h, int mi, int s, int f)
{
    return (day(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 10 + f;
}

#define TEXT(p, e, t) mc_ledger_text((p)->strings, (e), (t))

/* Ledger page */

static void ledger_page_quirks(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_ledger_page *p =
        decode_fixture(API_LEDGER_PAGE, 200, "ledger_info.json", API_OK, &err);
    assert_true(p->customer_id == 565000111);
    assert_string_equal(p->first_name, "Tom");
    assert_int_equal(p->page_number, 0);
    assert_int_equal(p->page_size, 10);
    assert_int_equal(p->total, 23);
    assert_int_equal(p->page_count, 3);
    assert_int_equal(p->n, 6); /* the string in the list is skipped */

    /* Sorted newest first; equal timestamps by eventLogId, descending. */
    int64_t ids[] = {508308381, 508308380, 508308379, 508308300, 508308200, 508308100};
    for (size_t i = 0; i < 6; i++)
        assert_true(p->entries[i].event_id == ids[i]);

    const struct mc_ledger_entry *g = &p->entries[0];
    assert_int_equal(g->kind, MC_LEDGER_GOODWILL);
    assert_true(g->main == 50000); /* a JSON number, not a string */
    assert_true(g->at == tenths(2025, 6, 22, 9, 0, 0, 5));
    assert_int_equal(g->expiry, day(2026, 6, 22)); /* expiresOn */
    assert_string_equal(TEXT(p, g, MC_LT_DETAIL), "SERVICE_DELAY");
    assert_string_equal(TEXT(p, g, MC_LT_REF), "4242"); /* requestId without a bill */
    assert_string_equal(TEXT(p, g, MC_LT_STORE), "store02"); /* storeCode without store */

    const struct mc_ledger_entry *r = &p->entries[1];
    assert_int_equal(r->kind, MC_LEDGER_POINTS_REDEMPTION);
    assert_true(r->main == -120500);
    assert_int_equal(r->expiry, 0); /* debits have no expiry */
    assert_string_equal(TEXT(p, r, MC_LT_DETAIL), "POINTS_ISSUE");
    assert_string_equal(TEXT(p, r, MC_LT_REF), "");

    const struct mc_ledger_entry *t = &p->entries[2];
    assert_int_equal(t->kind, MC_LEDGER_TRANSACTION_ADD);
    assert_true(t->main == 300000 && t->other == 0);
    assert_true(t->at == tenths(2025, 6, 21, 13, 34, 16, 0));
    assert_int_equal(t->expiry, day(2026, 6, 30));
    assert_true(t->txn_id == 189948436);
    assert_string_equal(TEXT(p, t, MC_LT_REF), "BILL-0001");
    assert_string_equal(TEXT(p, t, MC_LT_STORE), "Store 01");
    assert_string_equal(TEXT(p, t, MC_LT_TILL), "demo.till");
    assert_string_equal(TEXT(p, t, MC_LT_PROGRAM), "Default Program");
    assert_string_equal(TEXT(p, t, MC_LT_EVENT), "TransactionAdd");
    /* Repeated strings are stored once per page. */
    assert_int_equal(t->text[MC_LT_STORE], r->text[MC_LT_STORE]);
    assert_int_equal(t->text[MC_LT_PROGRAM], g->text[MC_LT_PROGRAM]);

    const struct mc_ledger_entry *d = &p->entries[3];
    assert_true(d->main == 0 && d->other == 80000); /* promised points stay apart */
    assert_true(d->txn_id == 189948400);            /* id as a string */

    const struct mc_ledger_entry *o = &p->entries[4];
    assert_int_equal(o->kind, MC_LEDGER_OTHER);
    assert_string_equal(TEXT(p, o, MC_LT_EVENT), "SomethingNew");
    assert_true(o->main == -5250); /* netPointsOnEvent without entryDetails */
    assert_true(o->at == tenths(2025, 6, 19, 8, 0, 0, 0)); /* zone dropped: wall clock */
    assert_string_equal(TEXT(p, o, MC_LT_PROGRAM), "Partner Program");

    const struct mc_ledger_entry *u = &p->entries[5];
    assert_int_equal(u->kind, MC_LEDGER_REGISTRATION);
    assert_true(u->at == 0); /* "yesterday": unknown, sorted last */
    api_model_free(API_LEDGER_PAGE, (void **)&p);
}

static void ledger_page_empty_with_warning(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_ledger_page *p =
        decode_fixture(API_LEDGER_PAGE, 200, "ledger_info_empty.json", API_OK, &err);
    assert_int_equal(p->n, 0);
    assert_int_equal(p->total, 0);
    assert_int_equal(p->page_count, 0);
    assert_int_equal(p->strings_len, 1);
    assert_string_equal(p->strings, "");
    api_model_free(API_LEDGER_PAGE, (void **)&p);
}

static void ledger_page_hostile(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_ledger_page *p =
        decode_fixture(API_LEDGER_PAGE, 200, "ledger_info_hostile.json", API_OK, &err);
    assert_int_equal(p->page_number, 2);
    assert_int_equal(p->page_size, 100);
    assert_int_equal(p->page_count, -1); /* a boolean is no count */
    assert_int_equal(p->n, 1);           /* a single object counts as a list of one */
    const struct mc_ledger_entry *e = &p->entries[0];
    assert_true(e->event_id == 7);
    assert_true(e->at == 0); /* 30 February */
    /* "lots", 1e400 and [1] are skipped; a signed amount without a type is a
     * debit; 2.0005 rounds to 2.001; a non-string category is Main. */
    assert_true(e->main == -7500 + 2001);
    assert_true(e->txn_id == 0);
    assert_string_equal(TEXT(p, e, MC_LT_REF), "");
    assert_string_equal(TEXT(p, e, MC_LT_EVENT), "12");
    assert_int_equal(e->kind, MC_LEDGER_OTHER);
    assert_string_equal(TEXT(p, e, MC_LT_TILL), "77");
    /* Raw text is kept (sanitised when drawn) but stops at an embedded NUL. */
    assert_string_equal(TEXT(p, e, MC_LT_STORE), "Caf\xc3\xa9 \x1b[31mRed");
    api_model_free(API_LEDGER_PAGE, (void **)&p);
}

static void ledger_page_rejects(void **state)
{
    (void)state;
    struct api_error err;
    void *out;
    static const char *const bodies[] = {
        "{}", "{\"ledgerEntries\": 5}", "{\"data\": []}", "[]", "{\"ledgerEntries\": \"x\"}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        enum api_err rc = api_decode(API_LEDGER_PAGE, 200, bodies[i], strlen(bodies[i]), &out, &err);
        if (rc != API_DECODE)
            fail_msg("%s: got %s", bodies[i], api_err_name(rc));
        assert_null(out);
    }
    /* The 11006 limit error arrives as an errors array. */
    decode_fixture(API_LEDGER_PAGE, 400, "ledger_limit_error.json", API_REMOTE, &err);
    assert_int_equal(err.code, 11006);
}

/* A 1,000-entry page decodes whole, with its strings shared. */
static void ledger_page_large(void **state)
{
    (void)state;
    size_t cap = 1000 * 700 + 256, len = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    len += (size_t)snprintf(body, cap,
                            "{\"ledgerDetails\":{\"pageNumber\":3,\"pageSize\":1000,"
                            "\"totalEntries\":100000,\"pageCount\":100},\"ledgerEntries\":[");
    for (int i = 0; i < 1000; i++)
        len += (size_t)snprintf(body + len, cap - len,
                                "%s{\"eventLogId\":%d,\"eventName\":\"TransactionAdd\","
                                "\"ledgerCreatedDate\":\"2024-01-01 10:%02d:%02d.0\","
                                "\"entryDetails\":[{\"ledgerEntryType\":\"CREDIT\",\"points\":"
                                "\"%d.000\",\"pointsCategory\":\"Main\",\"programName\":"
                                "\"Default Program\"}],\"transactionDetails\":{\"transactionId\":"
                                "%d,\"transactionNumber\":\"BILL-%d\"},\"store\":\"Store %02d\","
                                "\"tillCode\":\"till.%d\"}",
                                i ? "," : "", 5000 + i, (999 - i) / 60, (999 - i) % 60, i,
                                9000 + i, 9000 + i, i % 12, i % 5);
    len += (size_t)snprintf(body + len, cap - len, "]}");
    void *out;
    struct api_error err;
    assert_int_equal(api_decode(API_LEDGER_PAGE, 200, body, len, &out, &err), API_OK);
    struct mc_ledger_page *p = out;
    assert_int_equal(p->n, 1000);
    assert_true(p->entries[0].event_id == 5000 && p->entries[999].event_id == 5999);
    assert_true(p->entries[999].main == 999000);
    /* 1,000 bills, 12 stores, 5 tills, one program: far less than 1,000 copies of each. */
    assert_true(p->strings_len < 1000 * 12 + 200);
    free(body);
    api_model_free(API_LEDGER_PAGE, &out);
}

/* Balance */

static void ledger_balance(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_ledger_balance *b =
        decode_fixture(API_LEDGER_BALANCE, 200, "ledger_balance.json", API_OK, &err);
    assert_true(b->customer_id == 565000111);
    assert_true(b->has_main);
    assert_true(b->main == 420000);
    assert_true(b->promised == 100000);
    api_model_free(API_LEDGER_BALANCE, (void **)&b);

    void *out;
    const char *no_main = "{\"ledgerDetails\":{\"ledgerClosingBalance\":{\"pointsCategory\":"
                          "\"DelayedAccrualPointCategory\",\"closingBalance\":\"5.5\"}}}";
    assert_int_equal(api_decode(API_LEDGER_BALANCE, 200, no_main, strlen(no_main), &out, &err),
                     API_OK);
    b = out;
    assert_false(b->has_main);
    assert_true(b->promised == 5500);
    api_model_free(API_LEDGER_BALANCE, &out);
    assert_int_equal(api_decode(API_LEDGER_BALANCE, 200, "{\"x\":1}", 7, &out, &err), API_DECODE);
}

/* Expiry schedule */

static void expiry_schedule(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_expiry_schedule *s =
        decode_fixture(API_POINTS_EXPIRY, 200, "ledger_expiry.json", API_OK, &err);
    assert_true(s->customer_id == 565000111);
    assert_int_equal(s->n, 4);
    assert_string_equal(s->items[0].date, "2026-02-24");
    assert_true(s->items[0].points == 150.0);
    assert_string_equal(s->items[1].date, "2026-02-25"); /* from expiryDateISO */
    assert_true(s->items[1].points == 20.0);             /* a string */
    assert_string_equal(s->items[1].expiry_type, "rolling");
    assert_string_equal(s->items[2].date, "2026-03-01");
    assert_null(s->items[3].date); /* undated last */
    api_model_free(API_POINTS_EXPIRY, (void **)&s);
    void *out;
    assert_int_equal(api_decode(API_POINTS_EXPIRY, 200, "{\"x\":1}", 7, &out, &err), API_DECODE);
}

/* Transactions */

static void transactions_page(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_txn_page *p =
        decode_fixture(API_TXN_PAGE, 200, "ledger_transactions.json", API_OK, &err);
    assert_int_equal(p->offset, 40);
    assert_int_equal(p->limit, 20);
    assert_int_equal(p->total, 61);
    assert_int_equal(p->n, 3);
    const struct mc_txn *a = &p->items[0];
    assert_true(a->id == 884653716);
    assert_true(a->at == day(2025, 4, 2) * 86400 + 12 * 3600 + 47 * 60 + 5);
    assert_true(a->amount == 3000.0 && a->gross == 3200.0 && a->discount == 200.0);
    assert_true(a->points == 300.0);
    assert_string_equal(mc_txn_text(p->strings, a, MC_TT_BILL), "BILL-0001");
    assert_string_equal(mc_txn_text(p->strings, a, MC_TT_STORE), "Bengaluru Indiranagar");
    assert_string_equal(mc_txn_text(p->strings, a, MC_TT_STORE_CODE), "store01");
    const struct mc_txn *b = &p->items[1];
    assert_true(b->id == 884653700);
    /* 09:00 at +05:30 is 03:30 UTC */
    assert_true(b->at == day(2025, 4, 1) * 86400 + 3 * 3600 + 30 * 60);
    assert_true(b->amount == -500.5);
    assert_true(b->points == -25.0); /* summed over pointsBreakup */
    assert_string_equal(mc_txn_text(p->strings, b, MC_TT_STORE), "store02");
    assert_string_equal(mc_txn_text(p->strings, b, MC_TT_TYPE), "RETURN");
    const struct mc_txn *c = &p->items[2];
    assert_true(c->at == 0);
    assert_true(isnan(c->points));
    assert_string_equal(mc_txn_text(p->strings, c, MC_TT_BILL), "12345");
    api_model_free(API_TXN_PAGE, (void **)&p);
}

static void transaction_detail(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_txn_detail *d =
        decode_fixture(API_TXN_DETAIL, 200, "ledger_transaction_v11.json", API_OK, &err);
    assert_true(d->found);
    assert_true(d->id == 884653716);
    assert_string_equal(d->number, "BILL-0001");
    assert_string_equal(d->billing_time, "2025-04-02 12:47:05");
    assert_true(d->amount == 3000 && d->gross == 3200 && d->discount == 200);
    assert_true(d->points_issued == 300);
    assert_string_equal(d->points_expiry, "2026-04-30 23:59:59");
    assert_int_equal(d->n_lines, 2);
    assert_int_equal(d->lines[0].serial, 1);
    assert_string_equal(d->lines[0].description, "Basmati rice 5 kg");
    assert_true(d->lines[0].qty == 2 && d->lines[0].amount == 1850);
    assert_true(d->lines[1].rate == 1200);
    api_model_free(API_TXN_DETAIL, (void **)&d);

    /* item_status failure inside a 200 (customer as an array) */
    decode_fixture(API_TXN_DETAIL, 200, "ledger_transaction_v11_none.json", API_REMOTE, &err);
    assert_int_equal(err.code, 1051);

    void *out;
    const char *empty = "{\"response\":{\"customer\":{\"transactions\":{\"transaction\":[]}}}}";
    assert_int_equal(api_decode(API_TXN_DETAIL, 200, empty, strlen(empty), &out, &err), API_OK);
    assert_false(((struct mc_txn_detail *)out)->found);
    api_model_free(API_TXN_DETAIL, &out);
    assert_int_equal(api_decode(API_TXN_DETAIL, 200, "{\"response\":{}}", 15, &out, &err),
                     API_DECODE);
}

/* Builders */

static void builders(void **state)
{
    (void)state;
    struct api_request *r = api_ledger_page(565000001, 7, 100);
    assert_int_equal(r->kind, API_LEDGER_PAGE);
    assert_string_equal(r->path, "/v2/pointsLedger/getCustomerLedgerInfo?source=INSTORE"
                                 "&identifierName=id&identifierValue=565000001"
                                 "&isFilterBasedOnDate=false&offset=7&limit=100");
    api_request_free(&r);
    r = api_ledger_balance("mobile", "+91 98450", 0);
    assert_string_equal(r->path, "/v2/pointsLedger/getCustomerLedgerBalance?source=INSTORE"
                                 "&identifierName=mobile&identifierValue=%2B91%2098450");
    api_request_free(&r);
    r = api_ledger_balance("mobile", "919845000001", tenths(2025, 6, 21, 13, 4, 5, 7));
    assert_string_equal(r->path, "/v2/pointsLedger/getCustomerLedgerBalance?source=INSTORE"
                                 "&identifierName=mobile&identifierValue=919845000001"
                                 "&endDate=2025-06-21T13%3A04%3A05");
    api_request_free(&r);
    r = api_points_expiry(42);
    assert_string_equal(r->path, "/v2/customers/42/pointsExpirySchedule");
    api_request_free(&r);
    r = api_transactions(42, 200, 5000);
    assert_string_equal(r->path, "/v2/customers/42/transactions?limit=1000&offset=200"
                                 "&sortOrder=DESC&embed=BILL_STORE_DETAILS,BILL_POINTS");
    api_request_free(&r);
    r = api_transaction_detail(42, 884653716);
    assert_string_equal(r->path,
                        "/v1.1/customer/transactions?format=json&id=42&transaction_id=884653716");
    assert_int_equal(r->kind, API_TXN_DETAIL);
    api_request_free(&r);
}

/* Parsers */

static void parse_time(void **state)
{
    (void)state;
    int64_t t;
    assert_true(mc_parse_time("1970-01-01", false, &t) && t == 0);
    assert_true(mc_parse_time("2024-02-29 23:59:59.9", false, &t));
    assert_true(t == tenths(2024, 2, 29, 23, 59, 59, 9));
    assert_true(mc_parse_time("2024-02-29T23:59:59.95Z", true, &t));
    assert_true(t == tenths(2024, 2, 29, 23, 59, 59, 9));
    assert_true(mc_parse_time("2024-03-01T01:00:00+0530", true, &t));
    assert_true(t == tenths(2024, 2, 29, 19, 30, 0, 0));
    assert_true(mc_parse_time("2024-03-01 10:15", false, &t));
    assert_true(t == tenths(2024, 3, 1, 10, 15, 0, 0));
    static const char *const bad[] = {"", "2023-02-29", "2024-13-01", "2024-1-01",
                                      "2024-01-01 25:00", "2024-01-01x", "2024-01-01 10:00:00.",
                                      "2024-01-01T10:00:00+5", "20240101"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mc_parse_time(bad[i], true, &t))
            fail_msg("accepted '%s'", bad[i]);
    int y, m, d;
    mc_civil_from_days(day(2000, 2, 29), &y, &m, &d);
    assert_true(y == 2000 && m == 2 && d == 29);
    mc_civil_from_days(day(1969, 12, 31), &y, &m, &d);
    assert_true(y == 1969 && m == 12 && d == 31);
}

static void parse_milli(void **state)
{
    (void)state;
    int64_t v;
    struct { const char *s; int64_t want; } ok[] = {
        {"300.000", 300000}, {"-120.5", -120500}, {"42", 42000}, {" 7 ", 7000},
        {".5", 500},         {"+1.0004", 1000},   {"1.0005", 1001}, {"-0.0005", -1},
        {"1e3", 1000000},    {"8999999999999.999", 8999999999999999LL},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        if (!mc_parse_milli(ok[i].s, strlen(ok[i].s), &v) || v != ok[i].want)
            fail_msg("'%s' -> %lld", ok[i].s, (long long)v);
    }
    static const char *const bad[] = {"", "-", ".", "abc", "1.2.3", "9000000000000", "1e400",
                                      "12 34"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mc_parse_milli(bad[i], strlen(bad[i]), &v))
            fail_msg("accepted '%s'", bad[i]);
}

static void string_block(void **state)
{
    (void)state;
    struct strblock b;
    strblock_init(&b);
    assert_int_equal(strblock_add(&b, "", 0), 0);
    uint32_t a = strblock_add(&b, "Store 01", 8);
    uint32_t c = strblock_add(&b, "Store 01xx", 8); /* only the first 8 bytes */
    assert_int_equal(a, c);
    uint32_t n = strblock_add(&b, "ab\0cd", 5);
    assert_string_equal(b.buf + n, "ab");
    /* Many distinct strings: the table stops interning but adding goes on. */
    char buf[16];
    for (int i = 0; i < 2000; i++) {
        int len = snprintf(buf, sizeof buf, "s%d", i);
        uint32_t off = strblock_add(&b, buf, (size_t)len);
        assert_string_equal(b.buf + off, buf);
    }
    assert_string_equal(b.buf + a, "Store 01");
    size_t len;
    char *taken = strblock_take(&b, &len);
    assert_true(len > 2000 * 3);
    free(taken);
    strblock_done(&b);
    assert_true(mc_ledger_kind_of("pointsexpiry") == MC_LEDGER_POINTS_EXPIRY);
    assert_string_equal(mc_ledger_kind_name(MC_LEDGER_GOODWILL), "AllocateGoodwillPoints");
    assert_true(mc_ledger_kind_of("Nope") == MC_LEDGER_OTHER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ledger_page_quirks),
        cmocka_unit_test(ledger_page_empty_with_warning),
        cmocka_unit_test(ledger_page_hostile),
        cmocka_unit_test(ledger_page_rejects),
        cmocka_unit_test(ledger_page_large),
        cmocka_unit_test(ledger_balance),
        cmocka_unit_test(expiry_schedule),
        cmocka_unit_test(transactions_page),
        cmocka_unit_test(transaction_detail),
        cmocka_unit_test(builders),
        cmocka_unit_test(parse_time),
        cmocka_unit_test(parse_milli),
        cmocka_unit_test(string_block),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
