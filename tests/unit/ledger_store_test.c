/*
 * ledger_store_test.c - the ledger screen's row store: sparse pages, string
 * rebasing, fetch planning (prefetch ahead, G to the last page without the
 * pages between), and the running balance: carried between pages in either
 * direction, anchored mid-history, with out-of-order and equal-timestamp
 * entries decoded from a page body.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "views/ledger_store.h"

/* A page of n entries for rows first..first+n-1: entry i has Main points
 * pts(i), event id 1000000 - i, one second apart going back in time, and a
 * store name that repeats. */
static int64_t pts(long i) { return (i % 7 - 3) * 1000 + (i % 3) * 250; }

static struct mc_ledger_page *make_page(long first, long n, long total)
{
    struct mc_ledger_page *p = calloc(1, sizeof *p);
    assert_non_null(p);
    p->entries = calloc((size_t)(n ? n : 1), sizeof *p->entries);
    p->strings = malloc(64);
    assert_true(p->entries && p->strings);
    memcpy(p->strings, "\0Store A\0BILL-x\0", 16);
    p->strings_len = 16;
    p->total = total;
    p->n = (size_t)n;
    for (long k = 0; k < n; k++) {
        long i = first + k;
        struct mc_ledger_entry *e = &p->entries[k];
        e->event_id = 1000000 - i;
        e->at = (2000000000LL - i) * 10;
        e->main = pts(i);
        e->kind = MC_LEDGER_TRANSACTION_ADD;
        e->text[MC_LT_STORE] = 1;
        e->text[MC_LT_REF] = i % 2 ? 9 : 0;
    }
    return p;
}

static void put(struct sparse *s, long page, long total)
{
    long first = page * s->page_size;
    long n = sparse_page_rows(s, page);
    struct mc_ledger_page *p = make_page(first, n, total);
    assert_true(ledger_put_page(s, page, p));
    mc_ledger_page_free(&p);
}

/* The balance after row i when the closing balance (after row 0) is c. */
static int64_t expect(int64_t c, long i)
{
    for (long k = 0; k < i; k++)
        c -= pts(k);
    return c;
}

static void sparse_basics(void **state)
{
    (void)state;
    struct sparse s;
    sparse_init(&s, sizeof(struct ledger_row));
    sparse_reset(&s, 250, 100);
    assert_int_equal(s.n_pages, 3);
    assert_int_equal(sparse_page_rows(&s, 2), 50);
    assert_int_equal(sparse_page_rows(&s, 3), 0);
    assert_null(sparse_row(&s, 0));
    put(&s, 2, 250);
    assert_int_equal(s.loaded, 50);
    assert_null(sparse_row(&s, 199));
    const struct ledger_row *r = sparse_row(&s, 249);
    assert_non_null(r);
    assert_true(r->e.event_id == 1000000 - 249);
    assert_string_equal(mc_ledger_text(s.strings, &r->e, MC_LT_STORE), "Store A");
    put(&s, 0, 250);
    r = sparse_row(&s, 1);
    /* the second page's strings were appended: offsets moved, text the same */
    assert_string_equal(mc_ledger_text(s.strings, &r->e, MC_LT_STORE), "Store A");
    assert_string_equal(mc_ledger_text(s.strings, &r->e, MC_LT_REF), "BILL-x");
    assert_string_equal(mc_ledger_text(s.strings, &((struct ledger_row *)sparse_row(&s, 0))->e,
                                       MC_LT_REF), "");
    /* a page of the wrong size is refused (the list changed on the server) */
    struct mc_ledger_page *bad = make_page(100, 99, 250);
    assert_false(ledger_put_page(&s, 1, bad));
    mc_ledger_page_free(&bad);
    assert_false(sparse_has(&s, 1));
    sparse_free(&s);
}

static void planning(void **state)
{
    (void)state;
    struct sparse s;
    sparse_init(&s, sizeof(struct ledger_row));
    sparse_reset(&s, 100000, 100);
    long out[8];
    /* the screen first, then ahead */
    long n = sparse_plan(&s, 0, 20, 1, 400, out, 8);
    assert_int_equal(n, 5);
    for (long i = 0; i < 5; i++)
        assert_int_equal(out[i], i);
    for (long i = 0; i < 5; i++)
        sparse_mark_requested(&s, out[i]);
    assert_int_equal(s.in_flight, 5);
    /* in flight: not asked again */
    assert_int_equal(sparse_plan(&s, 0, 20, 1, 400, out, 8), 0);
    /* G: the last rows on screen need only the last page(s), and the pages
     * above them come next because travel is now upwards */
    n = sparse_plan(&s, 100000 - 20, 20, -1, 400, out, 8);
    assert_true(n >= 1);
    assert_int_equal(out[0], 999);
    for (long i = 1; i < n; i++)
        assert_true(out[i] < 999 && out[i] >= 994);
    /* a row straddling two pages asks both, in screen order */
    n = sparse_plan(&s, 590, 20, 1, 0, out, 8);
    assert_int_equal(n, 2);
    assert_int_equal(out[0], 5);
    assert_int_equal(out[1], 6);
    /* at most max */
    assert_int_equal(sparse_plan(&s, 10000, 20, 1, 5000, out, 3), 3);
    /* a failed page is not planned again */
    sparse_mark_requested(&s, 100);
    sparse_fail(&s, 100);
    assert_int_equal(s.in_flight, 5);
    n = sparse_plan(&s, 10000, 20, 1, 0, out, 8);
    assert_int_equal(n, 1); /* only the screen behind */
    assert_int_equal(out[0], 99);
    assert_int_equal(sparse_next_missing(&s, 99), 99);
    assert_int_equal(sparse_next_missing(&s, 100), 101);
    sparse_unrequest_all(&s);
    assert_int_equal(s.in_flight, 0);
    sparse_free(&s);
}

static void balances_both_ways(void **state)
{
    (void)state;
    struct sparse s;
    sparse_init(&s, sizeof(struct ledger_row));
    sparse_reset(&s, 1050, 100);
    const int64_t closing = 123456;
    /* page 0 with the closing balance */
    put(&s, 0, 1050);
    assert_true(ledger_balance_of(&s, 0) == LEDGER_NO_BALANCE);
    ledger_set_balance(&s, 0, closing);
    for (long i = 0; i < 100; i++)
        assert_true(ledger_balance_of(&s, i) == expect(closing, i));
    /* page 1 below a known page: carried down */
    put(&s, 1, 1050);
    assert_true(ledger_balance_of(&s, 150) == expect(closing, 150));
    /* page 5 alone: unknown until anchored */
    put(&s, 5, 1050);
    assert_true(ledger_balance_of(&s, 550) == LEDGER_NO_BALANCE);
    long row;
    int64_t at;
    assert_true(ledger_anchor_row(&s, 5, &row, &at));
    assert_int_equal(row, 501); /* one second after the page's first row */
    ledger_set_balance(&s, row, expect(closing, row));
    assert_true(ledger_balance_of(&s, 500) == expect(closing, 500));
    assert_true(ledger_balance_of(&s, 599) == expect(closing, 599));
    /* page 4 between: carried up from page 5 and it joins page 3? no, 3 is
     * missing; page 3 then fills from either neighbour */
    put(&s, 4, 1050);
    assert_true(ledger_balance_of(&s, 400) == expect(closing, 400));
    put(&s, 3, 1050);
    assert_true(ledger_balance_of(&s, 300) == expect(closing, 300));
    assert_true(ledger_balance_of(&s, 399) == expect(closing, 399));
    /* page 2 joins both runs */
    put(&s, 2, 1050);
    for (long i = 0; i < 600; i++)
        assert_true(ledger_balance_of(&s, i) == expect(closing, i));
    /* the last (short) page, then the pages above it arrive newest last */
    put(&s, 10, 1050);
    assert_true(ledger_anchor_row(&s, 10, &row, &at));
    ledger_set_balance(&s, row, expect(closing, row));
    put(&s, 8, 1050);
    assert_true(ledger_balance_of(&s, 850) == LEDGER_NO_BALANCE);
    put(&s, 9, 1050); /* carries up into 9, then into 8 */
    assert_true(ledger_balance_of(&s, 850) == expect(closing, 850));
    assert_true(ledger_balance_of(&s, 1049) == expect(closing, 1049));
    /* a later anchor for a page already carried does not override it */
    ledger_set_balance(&s, 850, 7);
    assert_true(ledger_balance_of(&s, 850) == expect(closing, 850));
    sparse_free(&s);
}

/* Entries out of order and with equal timestamps, decoded from a body:
 * the decoder sorts the page (newest first, then by event id), and the
 * running balance and the anchor row follow that order. */
static void out_of_order_and_equal_times(void **state)
{
    (void)state;
    static const char body[] =
        "{\"ledgerDetails\":{\"pageNumber\":0,\"pageSize\":10,\"totalEntries\":6,\"pageCount\":1},"
        "\"ledgerEntries\":["
        "{\"eventLogId\":3,\"ledgerCreatedDate\":\"2025-01-02 10:00:00.0\",\"netPointsOnEvent\":\"-50.000\"},"
        "{\"eventLogId\":6,\"ledgerCreatedDate\":\"2025-01-03 09:00:00.0\",\"netPointsOnEvent\":\"10.000\"},"
        "{\"eventLogId\":4,\"ledgerCreatedDate\":\"2025-01-02 10:00:00.0\",\"netPointsOnEvent\":\"20.000\"},"
        "{\"eventLogId\":1,\"ledgerCreatedDate\":\"2025-01-01 08:00:00.0\",\"netPointsOnEvent\":\"100.000\"},"
        "{\"eventLogId\":5,\"ledgerCreatedDate\":\"2025-01-02 10:00:00.0\",\"netPointsOnEvent\":\"-5.500\"},"
        "{\"eventLogId\":2,\"ledgerCreatedDate\":\"2025-01-01 08:00:00.0\",\"netPointsOnEvent\":\"30.000\"}"
        "]}";
    void *out;
    struct api_error err;
    assert_int_equal(api_decode(API_LEDGER_PAGE, 200, body, sizeof body - 1, &out, &err), API_OK);
    struct mc_ledger_page *p = out;
    int64_t order[] = {6, 5, 4, 3, 2, 1};
    for (int i = 0; i < 6; i++)
        assert_true(p->entries[i].event_id == order[i]);
    struct sparse s;
    sparse_init(&s, sizeof(struct ledger_row));
    sparse_reset(&s, 6, 10);
    assert_true(ledger_put_page(&s, 0, p));
    /* closing balance = the sum of all = 104.5 */
    ledger_set_balance(&s, 0, 104500);
    int64_t want[] = {104500, 94500, 100000, 80000, 130000, 100000};
    for (int i = 0; i < 6; i++)
        if (ledger_balance_of(&s, i) != want[i])
            fail_msg("row %d: %lld, want %lld", i, (long long)ledger_balance_of(&s, i),
                     (long long)want[i]);
    assert_true(ledger_balance_of(&s, 5) == 100000); /* the oldest: its own points */
    /* the anchor of this page is the first row of an earlier second (id 5,
     * 2025-01-02 10:00:00): the balance "as of the end of that second" counts
     * ids 5, 4, 3 and everything older, which is exactly the balance after
     * row 1 since the rows of that second after it are older */
    long row;
    int64_t at;
    assert_true(ledger_anchor_row(&s, 0, &row, &at));
    assert_int_equal(row, 1);
    assert_true(at == p->entries[1].at);
    int64_t as_of = 0;
    for (int i = 0; i < 6; i++)
        if (p->entries[i].at / 10 <= at / 10)
            as_of += p->entries[i].main;
    assert_true(as_of == want[1]);
    sparse_free(&s);
    api_model_free(API_LEDGER_PAGE, &out);

    /* a page all of one second cannot be anchored on its own */
    sparse_init(&s, sizeof(struct ledger_row));
    sparse_reset(&s, 3, 10);
    struct mc_ledger_page *q = make_page(0, 3, 3);
    for (int i = 0; i < 3; i++)
        q->entries[i].at = 20000000000LL;
    assert_true(ledger_put_page(&s, 0, q));
    assert_false(ledger_anchor_row(&s, 0, &row, &at));
    mc_ledger_page_free(&q);
    sparse_free(&s);
}

static void row_size(void **state)
{
    (void)state;
    /* the per-row budget is 200 bytes including strings; the fixed part
     * must leave most of it */
    assert_true(sizeof(struct ledger_row) <= 96);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sparse_basics),
        cmocka_unit_test(planning),
        cmocka_unit_test(balances_both_ways),
        cmocka_unit_test(out_of_order_and_equal_times),
        cmocka_unit_test(row_size),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
