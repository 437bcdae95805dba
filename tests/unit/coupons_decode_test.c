/*
 * coupons_decode_test.c - the coupon decoders on the reference's sample
 * bodies and the sandbox's own (tests/fixtures/coupons_*.json), on loosely
 * typed and hostile bodies, plus the coupon request builders and the pure
 * helpers (time parsing, a coupon's state, deep copy).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "api/api.h"

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

static void *decode(enum api_kind kind, long status, const char *name, enum api_err want,
                    struct api_error *err)
{
    size_t len;
    char *body = load(name, &len);
    void *out = NULL;
    enum api_err rc = api_decode(kind, status, body, len, &out, err);
    free(body);
    if (rc != want)
        fail_msg("%s: got %s (%s), want %s", name, api_err_name(rc), err->message, api_err_name(want));
    if (want == API_OK)
        assert_non_null(out);
    else
        assert_null(out);
    return out;
}

static long long at(const char *iso)
{
    long long t = 0;
    assert_true(mc_time_parse(iso, &t));
    return t;
}

static void customer_coupons(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_coupon_list *l = decode(API_COUPONS, 200, "coupons_customer.json", API_OK, &err);
    assert_int_equal(l->n, 3);

    const struct mc_coupon *a = &l->items[0];
    assert_int_equal(a->id, 4100123);
    assert_string_equal(a->code, "WX7K2P9Q");
    assert_int_equal(a->series_id, 5501);
    assert_string_equal(a->series_name, "Welcome 10%");
    /* couponDiscountType wins; the detailed dialect's boolean discountType is ignored */
    assert_string_equal(a->discount_type, "PERC");
    assert_true(a->discount_value == 10);
    assert_string_equal(a->issued_store_name, "Main Store");
    assert_string_equal(a->issued_store_code, "store01");
    assert_int_equal(a->issued_by, 70001);
    assert_int_equal(a->issued_to, 90001);
    assert_true(a->has_left);
    assert_int_equal(a->redemptions_left, -1);
    assert_int_equal(a->n_redemptions, 0);
    assert_non_null(a->series);
    assert_string_equal(a->series->code, "WELCOME10");
    assert_int_equal(a->series->max_create, 500);
    assert_int_equal(a->series->issued, 499);
    assert_int_equal(a->series->expiry_value, 90);
    assert_string_equal(a->series->terms, "One per bill.");
    assert_int_equal(mc_coupon_state(a, at("2025-04-01T00:00:00Z")), MC_COUPON_ACTIVE);
    assert_int_equal(mc_coupon_state(a, at("2025-05-01T00:00:00Z")), MC_COUPON_EXPIRED);
    assert_null(mc_coupon_last_redemption(a));

    const struct mc_coupon *b = &l->items[1];
    assert_string_equal(b->discount_type, "ABS");
    assert_true(b->redeemed);
    assert_int_equal(b->status_code, 711);
    assert_int_equal(b->n_redemptions, 1);
    assert_int_equal(b->redemptions[0].id, 880001);
    assert_string_equal(b->redemptions[0].bill, "BILL-77");
    assert_string_equal(b->redemptions[0].store_name, "Main Store");
    assert_int_equal(b->n_reversed, 1);
    assert_string_equal(b->reversed[0].reversed_on, "2025-05-02T19:00:00Z");
    assert_int_equal(mc_coupon_state(b, at("2025-06-01T00:00:00Z")), MC_COUPON_REDEEMED);
    assert_ptr_equal(mc_coupon_last_redemption(b), &b->redemptions[0]);
    /* no seriesName: none invented */
    assert_string_equal(l->items[1].series_name, "5 EUR off");
    assert_null(l->items[2].series_name);

    assert_int_equal(mc_coupon_state(&l->items[2], at("2025-06-01T00:00:00Z")), MC_COUPON_REVOKED);
    mc_coupon_list_free(&l);
    assert_null(l);
}

static void loose_types(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_coupon_list *l = decode(API_COUPONS, 200, "coupons_customer_loose.json", API_OK, &err);
    assert_int_equal(l->n, 1); /* entity sent as one object */
    const struct mc_coupon *c = &l->items[0];
    assert_int_equal(c->id, 4100555);
    assert_int_equal(c->series_id, 77);
    assert_string_equal(c->discount_type, "ABS");
    assert_true(c->discount_value == 250.5);
    assert_false(c->redeemed);
    assert_true(c->has_left);
    assert_int_equal(c->redemptions_left, 1);
    assert_string_equal(c->issued_store_code, "7");
    /* raw server text is kept as is; the tui sanitises it when drawing */
    assert_non_null(strchr(c->issued_store_name, 0x1b));
    assert_int_equal(c->n_redemptions, 1);
    assert_int_equal(c->redemptions[0].id, 880009);
    assert_string_equal(c->redemptions[0].bill, "77");
    assert_non_null(c->series);
    assert_string_equal(c->series->code, "LOOSE");
    assert_int_equal(c->series->max_create, 10);
    assert_int_equal(c->series->issued, 9);
    assert_int_equal(c->series->redeemed, 3);
    /* an unreadable validTill never makes a coupon look expired */
    assert_int_equal(mc_coupon_state(c, at("2030-01-01T00:00:00Z")), MC_COUPON_ACTIVE);
    mc_coupon_list_free(&l);
}

static void hostile_list(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_coupon_list *l = decode(API_COUPONS, 200, "coupons_customer_hostile.json", API_OK, &err);
    assert_int_equal(l->n, 1); /* rows without a code are left out */
    const struct mc_coupon *c = &l->items[0];
    assert_string_equal(c->code, "OK000001");
    assert_null(c->series);
    assert_int_equal(c->n_redemptions, 1);
    assert_int_equal(c->redemptions[0].id, 0);
    assert_int_equal(c->n_reversed, 0);
    assert_int_equal(c->status_code, 660);
    assert_true(c->redemptions_left <= 1000000);
    mc_coupon_list_free(&l);
}

static void details_and_series(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_coupon_list *d = decode(API_COUPON_DETAILS, 200, "coupons_details.json", API_OK, &err);
    assert_int_equal(d->n, 1);
    assert_string_equal(d->items[0].discount_on, "BILL");
    assert_string_equal(d->items[0].detailed_info, "5 EUR off");
    assert_string_equal(d->items[0].discount_code, "NO_VALUE");
    assert_string_equal(d->items[0].discount_type, "ABS");
    mc_coupon_list_free(&d);

    struct mc_series_list *s = decode(API_COUPON_SERIES, 200, "coupons_series_v2.json", API_OK, &err);
    assert_int_equal(s->n, 1);
    assert_string_equal(s->items[0].code, "WELCOME20");
    assert_string_equal(s->items[0].expiry_strategy, "DAYS");
    assert_int_equal(s->items[0].per_coupon_redeem, 1);
    assert_int_equal(s->items[0].issued, 3);
    assert_int_equal(s->items[0].redeemed, 1);
    assert_true(s->items[0].discount_upto == 1000);
    mc_series_list_free(&s);

    s = decode(API_COUPON_SERIES_V11, 200, "coupons_series_v11.json", API_OK, &err);
    assert_int_equal(s->n, 1); /* the failed id is not a series */
    assert_int_equal(s->items[0].id, 12);
    assert_string_equal(s->items[0].code, "LASTCALL");
    assert_int_equal(s->items[0].max_create, 25);
    assert_int_equal(s->items[0].issued, 24);
    assert_string_equal(s->items[0].valid_till, "2027-01-24 23:59:59");
    long long t;
    assert_true(mc_time_parse(s->items[0].valid_till, &t));
    mc_series_list_free(&s);
}

static void lookup(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_coupon_owner_list *l = decode(API_COUPON_LOOKUP, 200, "coupons_lookup.json", API_OK, &err);
    assert_int_equal(l->n, 1);
    assert_true(l->items[0].found);
    assert_int_equal(l->items[0].customer_id, 90001);
    assert_int_equal(l->items[0].coupon_id, 4100200);
    assert_string_equal(l->items[0].name, "Ana Ruiz");
    mc_coupon_owner_list_free(&l);

    l = decode(API_COUPON_LOOKUP, 200, "coupons_lookup_partial.json", API_OK, &err);
    assert_int_equal(l->n, 2);
    assert_false(l->items[0].found);
    assert_int_equal(l->items[0].item_code, 702);
    assert_true(l->items[1].found);
    assert_int_equal(l->items[1].customer_id, 565000001);
    mc_coupon_owner_list_free(&l);

    /* every item failed: the envelope reports it */
    decode(API_COUPON_LOOKUP, 200, "coupons_lookup_failed.json", API_REMOTE, &err);
    assert_true(err.message[0] != '\0');
}

static void writes(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_coupon *c = decode(API_COUPON_ISSUE, 200, "coupons_issue.json", API_OK, &err);
    assert_string_equal(c->code, "K3N8Q1ZT");
    assert_int_equal(c->issued_to, 90001);
    assert_string_equal(c->discount_code, "WELCOME10");
    assert_string_equal(c->valid_till, "2025-06-30T00:00:00Z");
    mc_coupon_free(&c);
    decode(API_COUPON_ISSUE, 400, "coupons_issue_refused.json", API_REMOTE, &err);
    assert_int_equal(err.code, 722);
    assert_int_equal(err.http_status, 400);

    struct mc_redeem_result *r = decode(API_COUPON_REDEEM, 200, "coupons_redeem.json", API_OK, &err);
    assert_int_equal(r->n, 1);
    assert_int_equal(r->items[0].redemption_id, 880002);
    assert_int_equal(r->status_code, 700);
    mc_redeem_result_free(&r);
    decode(API_COUPON_REDEEM, 400, "coupons_redeem_refused.json", API_REMOTE, &err);
    assert_int_equal(err.code, 711);
    assert_string_equal(err.message, "Coupon already redeemed");
    /* a refusal sent with HTTP 200 and only a redemptionStatus */
    decode(API_COUPON_REDEEM, 200, "coupons_redeem_status_only.json", API_REMOTE, &err);
    assert_int_equal(err.code, 713);

    struct mc_redeemable_list *q = decode(API_COUPON_REDEEMABLE, 200, "coupons_redeemable.json", API_OK, &err);
    assert_int_equal(q->n, 3);
    assert_true(q->items[0].redeemable);
    assert_int_equal(q->items[0].left, 1);
    assert_null(q->items[0].reason);
    assert_false(q->items[1].redeemable);
    assert_int_equal(q->items[1].reason_code, 713);
    assert_string_equal(q->items[1].reason, "Coupon expired");
    assert_false(q->items[2].redeemable);
    assert_int_equal(q->items[2].reason_code, 711); /* from appendedErrorMessage */
    assert_string_equal(q->items[2].reason, "Coupon already redeemed");
    mc_redeemable_list_free(&q);

    struct mc_revoke_result *v = decode(API_COUPON_REVOKE, 200, "coupons_revoke.json", API_OK, &err);
    assert_int_equal(v->total, 3);
    assert_int_equal(v->failed, 1);
    assert_int_equal(v->n_revoked, 2);
    assert_string_equal(v->revoked[1], "R2");
    assert_int_equal(v->n_failures, 1);
    assert_int_equal(v->failures[0].code, 682);
    assert_int_equal(v->failures[0].n_codes, 1);
    assert_string_equal(v->failures[0].codes[0], "R9");
    mc_revoke_result_free(&v);

    struct mc_ack *k = decode(API_COUPON_REACTIVATE, 200, "coupons_reactivate.json", API_OK, &err);
    assert_true(k->success);
    mc_ack_free(&k);

    struct mc_resend *s = decode(API_COUPON_RESEND, 200, "coupons_resend.json", API_OK, &err);
    assert_int_equal(s->id, 4100200);
    assert_string_equal(s->message, "Coupon Resent");
    mc_resend_free(&s);
    decode(API_COUPON_RESEND, 200, "coupons_resend_failed.json", API_REMOTE, &err);
    assert_int_equal(err.code, 704);
}

/* Bodies no coupon decoder should accept, or crash on. */
static void hostile_bodies(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "", "null", "[]", "{}", "17", "\"x\"", "{\"entity\":5}", "{\"entity\":\"x\"}",
        "{\"data\":{}}", "{\"response\":[]}", "{\"response\":{\"coupons\":5}}",
        "{\"response\":{\"series\":{\"items\":7}}}", "{\"redemption\":\"x\"}",
        "{\"success\":\"maybe\"}", "<html>502</html>", "{\"entity\":[[[[[[[]]]]]]]}",
        "{\"code\":{\"a\":1}}", "{\"redemptionStatus\":[]}", "{\"entity\":{\"failedToRevoke\":5}}",
    };
    static const enum api_kind kinds[] = {
        API_COUPONS, API_COUPON_DETAILS, API_COUPON_LOOKUP, API_COUPON_SERIES,
        API_COUPON_SERIES_V11, API_COUPON_ISSUE, API_COUPON_REDEEM, API_COUPON_REDEEMABLE,
        API_COUPON_REVOKE, API_COUPON_REACTIVATE, API_COUPON_RESEND,
    };
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++) {
            struct api_error err;
            void *out = NULL;
            enum api_err rc = api_decode(kinds[k], 200, bodies[b], strlen(bodies[b]), &out, &err);
            if (rc == API_OK)
                assert_non_null(out);
            else
                assert_null(out);
            api_model_free(kinds[k], &out);
            assert_null(out);
        }
    }
}

static json_t *body_of(const struct api_request *r)
{
    assert_non_null(r->body);
    json_t *j = json_loads(r->body, 0, NULL);
    assert_non_null(j);
    return j;
}

static void builders(void **state)
{
    (void)state;
    struct api_request *r = api_customer_coupons(565000001);
    assert_int_equal(r->kind, API_COUPONS);
    assert_int_equal(r->method, API_GET);
    assert_string_equal(r->path, "/v2/customers/565000001/coupons");
    api_request_free(&r);

    r = api_coupon_lookup("A B&C");
    assert_string_equal(r->path, "/v1.1/coupon/get?code=A%20B%26C&user_id=true&format=json");
    api_request_free(&r);

    r = api_coupon_details("WX7K2P9Q");
    assert_string_equal(r->path, "/v2/coupon?couponCodes=WX7K2P9Q");
    api_request_free(&r);

    r = api_coupon_series_active();
    assert_int_equal(r->kind, API_COUPON_SERIES_V11);
    assert_string_equal(r->path, "/v1.1/coupon/series?expired=false&format=json");
    api_request_free(&r);

    r = api_coupon_series_get(11);
    assert_string_equal(r->path, "/v2/coupon/series?ids=11");
    api_request_free(&r);

    r = api_coupon_is_redeemable(565000001, "X/1");
    assert_string_equal(r->path, "/v2/coupon/is_redeemable?id=565000001&code=X%2F1&details=true");
    api_request_free(&r);

    r = api_coupon_resend("mobile", "+91 98", "CODE1");
    assert_string_equal(r->path, "/v1.1/coupon/resend?mobile=%2B91%2098&code=CODE1&format=json");
    assert_int_equal(r->method, API_GET);
    api_request_free(&r);

    r = api_coupon_issue(11, 565000001);
    assert_int_equal(r->method, API_POST);
    assert_string_equal(r->path, "/v2/coupon/issue");
    json_t *b = body_of(r);
    assert_int_equal(json_integer_value(json_object_get(b, "seriesId")), 11);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(b, "customer"), "id")), 565000001);
    json_decref(b);
    api_request_free(&r);

    r = api_coupon_redeem(565000001, "LHHD8GHH", "B-\"1\"", 1500.5);
    assert_string_equal(r->path, "/v2/coupon/redeem");
    b = body_of(r);
    assert_true(json_real_value(json_object_get(b, "billAmount")) == 1500.5);
    assert_string_equal(json_string_value(json_object_get(b, "transactionNumber")), "B-\"1\"");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(b, "user"), "id")), 565000001);
    json_t *list = json_object_get(b, "redemptionRequestList");
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "code")), "LHHD8GHH");
    json_decref(b);
    api_request_free(&r);

    /* bytes that are not UTF-8 still make a valid JSON body */
    r = api_coupon_revoke("AB\xff");
    assert_string_equal(r->path, "/v2/coupon/revoke");
    b = body_of(r);
    assert_string_equal(json_string_value(json_array_get(json_object_get(b, "couponCodes"), 0)), "AB?");
    json_decref(b);
    api_request_free(&r);

    r = api_coupon_reactivate(881351);
    assert_string_equal(r->path, "/v2/coupon/reactivate");
    assert_int_equal(r->method, API_POST);
    b = body_of(r);
    assert_int_equal(json_integer_value(json_array_get(json_object_get(b, "redemptionIds"), 0)), 881351);
    json_decref(b);
    api_request_free(&r);
}

static void time_parse(void **state)
{
    (void)state;
    long long t;
    assert_true(mc_time_parse("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(mc_time_parse("2026-12-31T23:59:59Z", &t));
    assert_int_equal(t, 1798761599LL);
    assert_true(mc_time_parse("2026-12-31T23:59:59+05:30", &t));
    assert_int_equal(t, 1798761599LL - 19800);
    assert_true(mc_time_parse("2026-12-31T23:59:59.123-0100", &t));
    assert_int_equal(t, 1798761599LL + 3600);
    assert_true(mc_time_parse("2026-12-31 23:59:59", &t));
    assert_int_equal(t, 1798761599LL);
    assert_true(mc_time_parse("2026-12-31", &t));
    assert_int_equal(t, 1798761599LL - 86399);
    assert_true(mc_time_parse("2026-12-31T23:59", &t));
    static const char *const bad[] = {NULL, "", "31-12-2026", "2026-13-01", "2026-12-31T", "2026-12-31T25:00:00Z",
                                      "2026-12-31T23:59:59Zjunk", "2026/12/31", "not a date"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(mc_time_parse(bad[i], &t));
}

static void copy(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_coupon_list *l = decode(API_COUPONS, 200, "coupons_customer.json", API_OK, &err);
    for (size_t i = 0; i < l->n; i++) {
        struct mc_coupon *d = mc_coupon_dup(&l->items[i]);
        assert_string_equal(d->code, l->items[i].code);
        assert_ptr_not_equal(d->code, l->items[i].code);
        assert_int_equal(d->n_redemptions, l->items[i].n_redemptions);
        assert_int_equal(d->n_reversed, l->items[i].n_reversed);
        if (l->items[i].series) {
            assert_ptr_not_equal(d->series, l->items[i].series);
            assert_string_equal(d->series->code, l->items[i].series->code);
        }
        mc_coupon_free(&d);
    }
    mc_coupon_list_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(customer_coupons), cmocka_unit_test(loose_types),
        cmocka_unit_test(hostile_list),     cmocka_unit_test(details_and_series),
        cmocka_unit_test(lookup),           cmocka_unit_test(writes),
        cmocka_unit_test(hostile_bodies),   cmocka_unit_test(builders),
        cmocka_unit_test(time_parse),       cmocka_unit_test(copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
