/*
 * ledger_filter_test.c - the ledger's `/` filter: kind:, date ranges in
 * each accepted form, text, several words, and the refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "views/ledger_filter.h"

/* strings of a row: offsets 1 "PointsExpiry", 14 "Koramangala", 26 "BILL-77",
 * 34 "pos.1", 40 "Default Program", 56 "SERVICE_DELAY" */
static const char strs[] = "\0PointsExpiry\0Koramangala\0BILL-77\0pos.1\0Default Program\0SERVICE_DELAY";

static struct ledger_row row(enum mc_ledger_kind kind, uint32_t event, int y, int m, int d)
{
    struct ledger_row r;
    memset(&r, 0, sizeof r);
    r.e.kind = (uint8_t)kind;
    r.e.text[MC_LT_EVENT] = event;
    r.e.text[MC_LT_STORE] = 14;
    r.e.text[MC_LT_REF] = 26;
    r.e.text[MC_LT_TILL] = 34;
    r.e.text[MC_LT_PROGRAM] = 40;
    r.e.text[MC_LT_DETAIL] = 56;
    r.e.at = (mc_days_from_civil(y, m, d) * 86400 + 12 * 3600) * 10;
    return r;
}

static bool m(const char *filter, const struct ledger_row *r)
{
    struct ledger_filter f;
    char err[160];
    if (!lfilter_parse(&f, filter, err, sizeof err))
        fail_msg("'%s' refused: %s", filter, err);
    return lfilter_match(&f, r, strs);
}

static void kinds(void **state)
{
    (void)state;
    struct ledger_row e = row(MC_LEDGER_POINTS_EXPIRY, 1, 2024, 3, 10);
    assert_true(m("kind:PointsExpiry", &e));
    assert_true(m("kind:pointsexpiry", &e));
    assert_true(m("kind:Points", &e));      /* a prefix */
    assert_true(m("kind:expiry", &e));      /* the label */
    assert_false(m("kind:TransactionAdd", &e));
    struct ledger_row o = row(MC_LEDGER_OTHER, 26, 2024, 3, 10); /* eventName "BILL-77" */
    assert_true(m("kind:bill", &o));
    assert_true(m("", &o));
}

static void dates(void **state)
{
    (void)state;
    struct ledger_row r = row(MC_LEDGER_TRANSACTION_ADD, 1, 2024, 6, 30);
    assert_true(m("2024-01-01..2024-06-30", &r)); /* inclusive */
    assert_false(m("2024-01-01..2024-06-29", &r));
    assert_true(m("2024-06-30..2024-07-01", &r));
    assert_true(m("2024-06..", &r));
    assert_false(m("2024-07..", &r));
    assert_true(m("..2024", &r));
    assert_false(m("..2023", &r));
    assert_true(m("2024", &r));
    assert_true(m("2024-06", &r));
    assert_true(m("2024-06-30", &r));
    assert_false(m("2024-06-29", &r));
    assert_true(m("2023..2025-01", &r));
    struct ledger_row undated = r;
    undated.e.at = 0;
    assert_false(m("2024", &undated));
    assert_true(m("2024-02-29", &(struct ledger_row){.e = {.at = (mc_days_from_civil(2024, 2, 29) * 86400) * 10}}));
}

static void text_and_words(void **state)
{
    (void)state;
    struct ledger_row r = row(MC_LEDGER_POINTS_EXPIRY, 1, 2024, 3, 10);
    assert_true(m("koramangala", &r));
    assert_true(m("bill-77", &r));
    assert_true(m("POS.1", &r));
    assert_true(m("program", &r));
    assert_true(m("delay", &r));
    assert_true(m("expiry", &r)); /* the label as text */
    assert_false(m("indiranagar", &r));
    /* every word must match */
    assert_true(m("kind:expiry   2024-03 koramangala", &r));
    assert_false(m("kind:expiry 2024-04", &r));
    assert_false(m("kind:redemption koramangala", &r));
}

static void refusals(void **state)
{
    (void)state;
    struct ledger_filter f;
    char err[160];
    static const char *const bad[] = {
        "2024-13", "2024-02-30", "2024-06-30..2024-01-01", "..", "1850", "2024-1-5",
        "a b c d e f g h i",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (lfilter_parse(&f, bad[i], err, sizeof err))
            fail_msg("accepted '%s'", bad[i]);
        assert_true(err[0] != '\0');
    }
    assert_true(lfilter_parse(&f, "  ", err, sizeof err));
    assert_int_equal(f.n, 0);
    assert_string_equal(ledger_kind_label(MC_LEDGER_GOODWILL), "Goodwill");
    assert_string_equal(ledger_kind_label((enum mc_ledger_kind)200), "Other");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(kinds),
        cmocka_unit_test(dates),
        cmocka_unit_test(text_and_words),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
