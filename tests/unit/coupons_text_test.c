/*
 * coupons_text_test.c - the coupon screens' words and small decisions
 * (views/coupon_text.c): dates as the server wrote them, discounts, the
 * validity a new coupon will get, and recognising the coupon an issue
 * whose answer was lost created.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "views/coupon_text.h"

static long long at(const char *iso)
{
    long long t = 0;
    assert_true(mc_time_parse(iso, &t));
    return t;
}

static void dates(void **state)
{
    (void)state;
    char b[64];
    coupon_fmt_time("2026-12-31T23:59:59Z", b, sizeof b);
    assert_string_equal(b, "31 Dec 2026 23:59");
    /* the wall-clock time as written, whatever the offset */
    coupon_fmt_time("2026-12-31T23:59:59+05:30", b, sizeof b);
    assert_string_equal(b, "31 Dec 2026 23:59");
    coupon_fmt_time("2027-01-24 08:05:00", b, sizeof b);
    assert_string_equal(b, "24 Jan 2027 08:05");
    coupon_fmt_time("2026-03-01", b, sizeof b);
    assert_string_equal(b, "1 Mar 2026");
    coupon_fmt_date("2026-12-31T23:59:59Z", b, sizeof b);
    assert_string_equal(b, "31 Dec 2026");
    coupon_fmt_time("31-12-2025", b, sizeof b);
    assert_string_equal(b, "31-12-2025");
    coupon_fmt_time("2026-13-01T00:00:00Z", b, sizeof b);
    assert_string_equal(b, "2026-13-01T00:00:00Z");
    coupon_fmt_time(NULL, b, sizeof b);
    assert_string_equal(b, "-");
    coupon_fmt_time("", b, sizeof b);
    assert_string_equal(b, "-");
    char tiny[6];
    coupon_fmt_time("2026-12-31T23:59:59Z", tiny, sizeof tiny);
    assert_int_equal(strlen(tiny), 5);
}

static void discounts(void **state)
{
    (void)state;
    char b[64];
    coupon_fmt_discount("PERC", 20, 1000, false, b, sizeof b);
    assert_string_equal(b, "20% off");
    coupon_fmt_discount("perc", 20, 1000, true, b, sizeof b);
    assert_string_equal(b, "20% off, up to 1,000");
    coupon_fmt_discount("PERC", 12.5, 0, true, b, sizeof b);
    assert_string_equal(b, "12.5% off");
    coupon_fmt_discount("ABS", 250, 0, true, b, sizeof b);
    assert_string_equal(b, "250 off");
    coupon_fmt_discount(NULL, 0, 0, true, b, sizeof b);
    assert_string_equal(b, "-");
}

static void labels(void **state)
{
    (void)state;
    char b[64];
    struct mc_coupon_series s = {.id = 12};
    assert_string_equal(coupon_series_label(&s, b, sizeof b), "#12");
    s.description = "Clearance";
    assert_string_equal(coupon_series_label(&s, b, sizeof b), "Clearance");
    s.code = "LASTCALL";
    assert_string_equal(coupon_series_label(&s, b, sizeof b), "LASTCALL");
    assert_string_equal(coupon_state_name(MC_COUPON_ACTIVE), "Active");
    assert_string_equal(coupon_state_name(MC_COUPON_REVOKED), "Revoked");
}

static void issue_validity(void **state)
{
    (void)state;
    char b[64];
    long long now = at("2026-11-25T10:00:00Z");
    /* 90 days from issue, but not past the series' end */
    struct mc_coupon_series s = {.valid_till = "2026-12-31T23:59:59Z", .expiry_strategy = "DAYS",
                                 .expiry_value = 90};
    assert_true(coupon_issue_valid_till(&s, now, b, sizeof b));
    assert_string_equal(b, "31 Dec 2026");
    s.valid_till = "2027-11-25T23:59:59Z";
    assert_true(coupon_issue_valid_till(&s, now, b, sizeof b));
    assert_string_equal(b, "23 Feb 2027");
    s.expiry_strategy = "MONTHS_END";
    s.expiry_value = 1;
    assert_true(coupon_issue_valid_till(&s, now, b, sizeof b));
    assert_string_equal(b, "31 Dec 2026");
    s.expiry_strategy = "SERIES_EXPIRY";
    assert_true(coupon_issue_valid_till(&s, now, b, sizeof b));
    assert_string_equal(b, "25 Nov 2027");
    s.valid_till = NULL;
    assert_false(coupon_issue_valid_till(&s, now, b, sizeof b));
    assert_string_equal(b, "");

    struct mc_coupon_series ended = {.valid_till = "2026-10-26T23:59:59Z"};
    assert_true(coupon_series_ended(&ended, now));
    ended.valid_till = "2026-11-25 10:00:01";
    assert_false(coupon_series_ended(&ended, now));
    ended.valid_till = "whenever";
    assert_false(coupon_series_ended(&ended, now));
}

static void lost_issue(void **state)
{
    (void)state;
    struct mc_coupon items[] = {
        {.code = "NEWCODE1", .series_id = 11},
        {.code = "OLD00001", .series_id = 11},
        {.code = "OTHER001", .series_id = 3},
    };
    struct mc_coupon_list list = {.items = items, .n = 3};
    char *known[] = {"old00001", "OTHER001"};
    /* the code not held before the attempt, in the attempted series */
    assert_int_equal(coupon_find_new(&list, known, 2, 11), 0);
    /* nothing new in that series */
    char *all[] = {"NEWCODE1", "OLD00001", "OTHER001"};
    assert_int_equal(coupon_find_new(&list, all, 3, 11), -1);
    /* a new coupon of another series is not the attempt's */
    assert_int_equal(coupon_find_new(&list, known, 2, 3), -1);
    assert_int_equal(coupon_find_new(NULL, known, 2, 11), -1);
    struct mc_coupon_list empty = {.items = NULL, .n = 0};
    assert_int_equal(coupon_find_new(&empty, NULL, 0, 11), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates),          cmocka_unit_test(discounts), cmocka_unit_test(labels),
        cmocka_unit_test(issue_validity), cmocka_unit_test(lost_issue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
