/*
 * api_decode_test.c - the response decoders on fixture bodies
 * (the JSON files in tests/fixtures, found through $MC_FIXTURES) and on hostile bodies
 * generated here: wrong types, missing fields, huge strings, deep nesting,
 * truncated JSON, HTML, empty bodies and error envelopes.
 */
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

/* Decodes a fixture; asserts the expected outcome kind. */
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
    assert_int_equal(err->kind, want);
    if (want == API_OK)
        assert_non_null(out);
    else
        assert_null(out);
    return out;
}

static enum api_err decode_text(enum api_kind kind, long status, const char *body, void **out,
                                struct api_error *err)
{
    return api_decode(kind, status, body, body ? strlen(body) : 0, out, err);
}

/* Customer */

static void customer_full(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_customer *c =
        decode_fixture(API_CUSTOMER, 200, "customer_lookup.json", API_OK, &err);
    assert_int_equal(err.http_status, 200);
    assert_true(c->id == 565000111);
    assert_string_equal(c->first_name, "Asha");
    assert_string_equal(c->last_name, "Rao");
    assert_string_equal(c->mobile, "919845000001"); /* first mobile wins */
    assert_string_equal(c->email, "asha.rao@example.com");
    assert_string_equal(c->external_id, "MC-000001");
    assert_string_equal(c->card_number, "CARD0001");
    assert_string_equal(c->source, "INSTORE");
    assert_string_equal(c->created_on, "2024-03-01T10:15:00+05:30");
    assert_string_equal(c->created_by, "demo.agent");
    assert_string_equal(c->loyalty_type, "loyalty");
    assert_string_equal(c->fraud_status, "NOT_FRAUD");
    assert_true(c->lifetime_purchases == 24000.0);
    assert_true(c->has_program);
    assert_string_equal(c->program_name, "Default Program");
    assert_string_equal(c->tier, "Silver");
    assert_string_equal(c->next_tier, "Gold");
    assert_string_equal(c->tier_expiry, "2026-03-31T23:59:59+05:30");
    assert_int_equal(c->tier_serial, 1);
    assert_int_equal(c->next_tier_serial, 2);
    assert_true(c->points_current == 420.0);
    assert_true(c->points_lifetime == 520.0);
    assert_true(c->points_redeemed == 100.0);
    assert_true(c->points_expired == 25.5);
    assert_true(c->points_adjusted == -10.0);
    assert_true(c->points_returned == 3.0);
    assert_true(c->points_delayed == 50.0);
    assert_true(c->points_available == 410.0);
    /* Sorted by date although sent out of order; ISO-only date cut to the day. */
    assert_int_equal(c->n_expiry, 3);
    assert_string_equal(c->expiry[0].date, "2025-12-31");
    assert_true(c->expiry[0].points == 70.0);
    assert_string_equal(c->expiry[1].date, "2026-01-15");
    assert_true(c->expiry[1].points == 30.0);
    assert_string_equal(c->expiry[2].date, "2026-02-24");
    assert_true(c->expiry[2].points == 150.0);
    void *p = c;
    api_model_free(API_CUSTOMER, &p);
    assert_null(p);
}

static void customer_loose_types(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_customer *c =
        decode_fixture(API_CUSTOMER, 200, "customer_loose_types.json", API_OK, &err);
    assert_true(c->id == 565000222);
    assert_string_equal(c->first_name, "Ravi");
    assert_string_equal(c->last_name, "7");
    assert_string_equal(c->external_id, "12345");
    assert_null(c->mobile);
    assert_null(c->email);
    assert_null(c->card_number);
    assert_string_equal(c->created_on, "2023-01-02T03:04:05Z");
    assert_string_equal(c->created_by, "demo.supervisor");
    assert_string_equal(c->loyalty_type, "non_loyalty");
    assert_true(c->lifetime_purchases == 1250.5);
    assert_string_equal(c->fraud_status, "MARKED");
    assert_true(c->has_program);
    assert_string_equal(c->program_name, "Legacy Program");
    assert_string_equal(c->tier, "Gold");
    assert_null(c->next_tier);
    assert_int_equal(c->tier_serial, 3);
    assert_int_equal(c->next_tier_serial, -1);
    assert_true(c->points_current == 300.0);
    assert_true(c->points_lifetime == 0.0);  /* "1,000" is not a number */
    assert_true(c->points_redeemed == 0.0);  /* true is not a number */
    assert_true(c->points_available == 300.0); /* falls back to loyaltyPoints */
    assert_int_equal(c->n_expiry, 1);
    assert_string_equal(c->expiry[0].date, "2027-06-30");
    assert_true(c->expiry[0].points == 12.5);
    mc_customer_free(&c);
    assert_null(c);
}

static void customer_hostile_types(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_customer *c =
        decode_fixture(API_CUSTOMER, 200, "customer_hostile_types.json", API_OK, &err);
    assert_true(c->id == 565000333);
    assert_null(c->first_name);
    assert_null(c->last_name);
    assert_null(c->loyalty_type);
    assert_null(c->fraud_status);
    assert_false(c->has_program);
    assert_null(c->tier);
    assert_int_equal(c->next_tier_serial, -1);
    assert_true(c->points_current == 0.0);
    assert_int_equal(c->n_expiry, 2);
    assert_string_equal(c->expiry[0].date, "20261231");
    assert_true(c->expiry[0].points == 0.0);
    assert_null(c->expiry[1].date);
    assert_true(c->expiry[1].points == 1e308);
    mc_customer_free(&c);
}

static void customer_points_summary(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_customer *c =
        decode_fixture(API_CUSTOMER, 200, "customer_points_summary.json", API_OK, &err);
    assert_true(c->id == 565000444); /* from profiles[0].userId */
    assert_string_equal(c->card_number, "CARD0444");
    assert_string_equal(c->email, "meera@example.com"); /* empty value skipped */
    assert_true(c->has_program);
    assert_null(c->program_name);
    assert_string_equal(c->tier, "Blue");
    assert_int_equal(c->next_tier_serial, 2);
    assert_true(c->points_current == 80.0);
    assert_true(c->points_lifetime == 100.0);
    assert_int_equal(c->n_expiry, 0);
    assert_null(c->expiry);
    mc_customer_free(&c);
}

static void customer_minimal_and_missing_id(void **state)
{
    (void)state;
    struct api_error err;
    void *out;
    assert_int_equal(decode_text(API_CUSTOMER, 200, "{\"id\": 1}", &out, &err), API_OK);
    struct mc_customer *c = out;
    assert_true(c->id == 1);
    assert_null(c->first_name);
    assert_null(c->mobile);
    assert_false(c->has_program);
    assert_int_equal(c->n_expiry, 0);
    mc_customer_free(&c);

    const char *no_id[] = {
        "{}",
        "{\"profiles\":[{\"firstName\":\"X\"}]}",
        "{\"id\": null}",
        "{\"id\": true}",
        "{\"id\": \"abc\"}",
        "{\"id\": 1.5}",
        "{\"id\": \"99999999999999999999999\"}",
        "{\"id\": []}",
    };
    for (size_t i = 0; i < sizeof no_id / sizeof *no_id; i++) {
        out = (void *)1;
        assert_int_equal(decode_text(API_CUSTOMER, 200, no_id[i], &out, &err), API_DECODE);
        assert_null(out);
        assert_int_equal(err.http_status, 200);
        assert_string_equal(err.message, "customer response has no id");
    }
}

static void customer_huge_strings(void **state)
{
    (void)state;
    /* A 1 MiB first name and a 4097-byte last name ending in a 2-byte
     * character that straddles the 4096-byte cap. */
    size_t big = 1 << 20;
    size_t cap = 4096;
    char *body = malloc(big + cap + 256);
    assert_non_null(body);
    char *o = body;
    o += sprintf(o, "{\"id\":7,\"profiles\":[{\"firstName\":\"");
    memset(o, 'a', big);
    o += big;
    o += sprintf(o, "\",\"lastName\":\"");
    memset(o, 'b', cap - 1);
    o += cap - 1;
    memcpy(o, "\xc3\xa9", 2); /* é at bytes 4095..4096 */
    o += 2;
    o += sprintf(o, "\",\"source\":\"ok\\u0000hidden\"}]}");
    struct api_error err;
    void *out;
    assert_int_equal(api_decode(API_CUSTOMER, 200, body, (size_t)(o - body), &out, &err), API_OK);
    struct mc_customer *c = out;
    assert_int_equal(strlen(c->first_name), cap);
    assert_int_equal(strlen(c->last_name), cap - 1); /* the split é is dropped whole */
    assert_string_equal(c->source, "ok");           /* stops at the embedded NUL */
    mc_customer_free(&c);
    free(body);
}

static void deep_nesting(void **state)
{
    (void)state;
    size_t depth = 10000;
    char *body = malloc(2 * depth + 64);
    assert_non_null(body);
    size_t n = (size_t)sprintf(body, "{\"id\":1,\"x\":");
    memset(body + n, '[', depth);
    memset(body + n + depth, ']', depth);
    n += 2 * depth;
    body[n++] = '}';
    struct api_error err;
    void *out = (void *)1;
    for (int k = 0; k < API_KIND_COUNT; k++) {
        assert_int_equal(api_decode((enum api_kind)k, 200, body, n, &out, &err), API_DECODE);
        assert_null(out);
    }
    /* As a bare root too, and unbalanced (no closing brackets). */
    assert_int_equal(api_decode(API_SEARCH, 200, body + 12, 2 * depth, &out, &err), API_DECODE);
    assert_int_equal(api_decode(API_SEARCH, 200, body + 12, depth, &out, &err), API_DECODE);
    free(body);
}

static void not_json_bodies(void **state)
{
    (void)state;
    size_t len;
    char *full = load("customer_lookup.json", &len);
    struct api_error err;
    void *out = (void *)1;
    /* Truncated at several points. */
    size_t cuts[] = { 1, 10, len / 3, len / 2, len - 2 };
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        assert_int_equal(api_decode(API_CUSTOMER, 200, full, cuts[i], &out, &err), API_DECODE);
        assert_null(out);
        assert_non_null(strstr(err.message, "not JSON"));
    }
    free(full);

    const char *html = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>";
    assert_int_equal(decode_text(API_CUSTOMER, 200, html, &out, &err), API_DECODE);
    assert_null(out);
    /* The same HTML with an error status is an HTTP error, not a decode one. */
    assert_int_equal(decode_text(API_CUSTOMER, 502, html, &out, &err), API_HTTP);
    assert_int_equal(err.http_status, 502);
    assert_string_equal(err.message, "HTTP 502 (bad gateway)");

    assert_int_equal(decode_text(API_SEARCH, 200, "", &out, &err), API_DECODE);
    assert_string_equal(err.message, "empty response body");
    assert_int_equal(api_decode(API_SEARCH, 200, NULL, 0, &out, &err), API_DECODE);

    const char *not_objects[] = { "null", "[]", "[{\"id\":1}]", "42", "\"text\"", "true" };
    for (size_t i = 0; i < sizeof not_objects / sizeof *not_objects; i++) {
        assert_int_equal(decode_text(API_CUSTOMER, 200, not_objects[i], &out, &err), API_DECODE);
        assert_string_equal(err.message, "response is not a JSON object");
    }
    /* Trailing garbage after a valid object. */
    assert_int_equal(decode_text(API_BALANCE, 200, "{\"totalPoints\":1} x", &out, &err),
                     API_DECODE);
    /* Invalid UTF-8 inside a string. */
    assert_int_equal(decode_text(API_CUSTOMER, 200, "{\"id\":1,\"x\":\"\xff\xfe\"}", &out, &err),
                     API_DECODE);
}

/* Envelopes */

static void errors_array(void **state)
{
    (void)state;
    struct api_error err;
    /* 8015 with 200 and with 404: the same remote error, the status kept. */
    decode_fixture(API_CUSTOMER, 200, "error_8015.json", API_REMOTE, &err);
    assert_int_equal(err.http_status, 200);
    assert_int_equal(err.code, 8015);
    assert_string_equal(err.message, "Customer not found for the given identifiers");
    decode_fixture(API_CUSTOMER, 404, "error_8015.json", API_REMOTE, &err);
    assert_int_equal(err.http_status, 404);
    assert_int_equal(err.code, 8015);
    char line[128];
    api_error_format(&err, line, sizeof line);
    assert_string_equal(line, "8015: Customer not found for the given identifiers");

    decode_fixture(API_SEARCH, 429, "error_rate_limit.json", API_REMOTE, &err);
    assert_int_equal(err.code, 429);

    /* A full success body that also carries an error is still an error. */
    void *out = (void *)1;
    const char *both = "{\"id\":5,\"errors\":[{\"code\":\"8069\",\"message\":\"merged\"}]}";
    assert_int_equal(decode_text(API_CUSTOMER, 200, both, &out, &err), API_REMOTE);
    assert_null(out);
    assert_int_equal(err.code, 8069);
    assert_string_equal(err.message, "merged");

    /* errors as a single object, a missing message, a non-object entry first. */
    assert_int_equal(decode_text(API_SEARCH, 200, "{\"errors\":{\"code\":11013}}", &out, &err),
                     API_REMOTE);
    assert_int_equal(err.code, 11013);
    assert_string_equal(err.message, "the server reported an error");
    assert_int_equal(decode_text(API_SEARCH, 400, "{\"errors\":[7,{\"code\":8003,\"message\":\"m\"}]}",
                                 &out, &err), API_REMOTE);
    assert_int_equal(err.code, 8003);
    assert_int_equal(err.http_status, 400);

    /* v1.1: a request-level status with success false, as string or bool. */
    const char *v11 = "{\"response\":{\"status\":{\"success\":\"false\",\"code\":\"500\","
                      "\"message\":\"All requests have failed due to errors\"}}}";
    assert_int_equal(decode_text(API_SEARCH, 200, v11, &out, &err), API_REMOTE);
    assert_int_equal(err.code, 500);
    assert_string_equal(err.message, "All requests have failed due to errors");
    assert_int_equal(decode_text(API_SEARCH, 400,
                                 "{\"response\":{\"status\":{\"success\":false,\"code\":400}}}",
                                 &out, &err), API_REMOTE);
    assert_int_equal(err.code, 400);
    assert_int_equal(err.http_status, 400);
    /* success "true" is not an error: the resource decoder decides. */
    assert_int_equal(decode_text(API_SEARCH, 200,
                                 "{\"response\":{\"status\":{\"success\":\"true\",\"code\":200}}}",
                                 &out, &err), API_DECODE);
    assert_string_equal(err.message, "search response has no data list");

    /* Empty or null errors and warnings do not make a failure. */
    assert_int_equal(decode_text(API_BALANCE, 200,
                                 "{\"totalPoints\":1,\"errors\":[],\"warnings\":[{\"code\":8107}]}",
                                 &out, &err), API_OK);
    api_model_free(API_BALANCE, &out);
    assert_int_equal(decode_text(API_BALANCE, 200, "{\"mainPoints\":1,\"errors\":null}", &out, &err),
                     API_OK);
    api_model_free(API_BALANCE, &out);
}

static void http_statuses(void **state)
{
    (void)state;
    struct api_error err;
    void *out = (void *)1;
    /* 401: our words whatever the body, JSON or XML or nothing. */
    const char *bodies401[] = {
        "<response><success>false</success><code>401</code><message>Unauthorized</message></response>",
        "", "{\"errors\":[{\"code\":1201,\"message\":\"Invalid credentials\"}]}",
    };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(decode_text(API_CUSTOMER, 401, bodies401[i], &out, &err), API_HTTP);
        assert_null(out);
        assert_int_equal(err.http_status, 401);
        assert_string_equal(err.message,
                            "authentication failed (401): check the till id and password");
    }
    assert_int_equal(err.code, 1201);

    assert_int_equal(decode_text(API_SEARCH, 503, "", &out, &err), API_HTTP);
    assert_string_equal(err.message, "HTTP 503 (service unavailable)");
    assert_int_equal(err.code, 0);
    assert_int_equal(decode_text(API_SEARCH, 500, "{\"message\":\"boom\"}", &out, &err), API_HTTP);
    assert_string_equal(err.message, "HTTP 500 (server error)");
    assert_int_equal(decode_text(API_SEARCH, 400, "", &out, &err), API_HTTP); /* §5.2 empty 400 */
    assert_int_equal(decode_text(API_SEARCH, 418, "{}", &out, &err), API_HTTP);
    assert_string_equal(err.message, "HTTP 418");
    assert_int_equal(decode_text(API_SEARCH, 302, "", &out, &err), API_HTTP);
    char line[64];
    api_error_format(&err, line, sizeof line);
    assert_string_equal(line, "HTTP 302");

    /* 201 and 204 count as success when the body decodes. */
    assert_int_equal(decode_text(API_BALANCE, 201, "{\"totalPoints\":2}", &out, &err), API_OK);
    api_model_free(API_BALANCE, &out);

    /* An unknown kind is refused, not indexed. */
    assert_int_equal(api_decode((enum api_kind)99, 200, "{}", 2, &out, &err), API_DECODE);
    assert_null(out);
}

/* Search */

static void search_page(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_search_page *p = decode_fixture(API_SEARCH, 200, "search.json", API_OK, &err);
    assert_int_equal(p->offset, 0);
    assert_int_equal(p->limit, 10);
    assert_int_equal(p->total, 33);
    assert_int_equal(p->n, 3); /* the row without an id and the string are left out */
    struct mc_search_hit *h = &p->hits[0];
    assert_true(h->id == 565000111);
    assert_string_equal(h->first_name, "Asha");
    assert_string_equal(h->last_name, "Rao");
    assert_string_equal(h->mobile, "919845000001");
    assert_string_equal(h->email, "asha.rao@example.com");
    assert_string_equal(h->external_id, "MC-000001");
    assert_string_equal(h->matched_type, "firstName");
    assert_string_equal(h->matched_value, "Asha");
    h = &p->hits[1];
    assert_true(h->id == 565000112);
    assert_string_equal(h->first_name, "Ashok");
    assert_string_equal(h->last_name, "Kumar");
    assert_null(h->mobile);
    assert_string_equal(h->matched_type, "mobile");
    assert_string_equal(h->matched_value, "919845000002");
    h = &p->hits[2];
    assert_true(h->id == 565000113);
    assert_null(h->first_name);
    assert_null(h->matched_type);
    mc_search_page_free(&p);
    assert_null(p);

    p = decode_fixture(API_SEARCH, 200, "search_empty.json", API_OK, &err);
    assert_int_equal(p->n, 0);
    assert_int_equal(p->total, 0);
    mc_search_page_free(&p);
}

static void search_shapes(void **state)
{
    (void)state;
    struct api_error err;
    void *out;
    /* No pagination block: offset 0, limit and total from the rows. */
    assert_int_equal(decode_text(API_SEARCH, 200, "{\"data\":[{\"userId\":1},{\"userId\":2}]}",
                                 &out, &err), API_OK);
    struct mc_search_page *p = out;
    assert_int_equal(p->n, 2);
    assert_int_equal(p->offset, 0);
    assert_int_equal(p->limit, 2);
    assert_int_equal(p->total, 2);
    mc_search_page_free(&p);
    /* Pagination numbers as strings, data null. */
    assert_int_equal(decode_text(API_SEARCH, 200,
                                 "{\"pagination\":{\"offset\":\"20\",\"limit\":\"10\",\"total\":\"25\"},\"data\":null}",
                                 &out, &err), API_OK);
    p = out;
    assert_int_equal(p->n, 0);
    assert_int_equal(p->offset, 20);
    assert_int_equal(p->total, 25);
    mc_search_page_free(&p);
    /* data missing or of the wrong type. */
    const char *bad[] = { "{}", "{\"data\":\"x\"}", "{\"data\":5}", "{\"data\":true}" };
    for (size_t i = 0; i < 4; i++) {
        out = (void *)1;
        assert_int_equal(decode_text(API_SEARCH, 200, bad[i], &out, &err), API_DECODE);
        assert_null(out);
        assert_string_equal(err.message, "search response has no data list");
    }
}

/* Balance and events */

static void balance(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_balance *b = decode_fixture(API_BALANCE, 200, "balance.json", API_OK, &err);
    assert_true(b->id == 565000111);
    assert_true(b->total == 520.0);
    assert_true(b->main == 420.0);
    assert_true(b->promised == 100.0);
    mc_balance_free(&b);
    assert_null(b);

    void *out;
    assert_int_equal(decode_text(API_BALANCE, 200,
                                 "{\"entityId\":\"9\",\"mainPoints\":\"30.500\",\"promisedPoints\":\"1.5\"}",
                                 &out, &err), API_OK);
    b = out;
    assert_true(b->id == 9);
    assert_true(b->main == 30.5);
    assert_true(b->total == 32.0); /* derived when not sent */
    mc_balance_free(&b);
    const char *bad[] = { "{}", "{\"totalPoints\":\"lots\",\"mainPoints\":null}",
                          "{\"totalPoints\":[1]}" };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(decode_text(API_BALANCE, 200, bad[i], &out, &err), API_DECODE);
        assert_null(out);
    }
}

static void events(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_event_page *p = decode_fixture(API_EVENTS, 200, "events.json", API_OK, &err);
    assert_int_equal(p->n, 3);
    assert_true(p->items[0].id == 1603616021);
    assert_string_equal(p->items[0].date, "2025-02-28T06:16:16Z");
    assert_string_equal(p->items[0].name, "CustomerRegistration");
    assert_string_equal(p->items[0].status, "SUCCESS");
    assert_true(p->items[1].id == 1603616022);
    assert_string_equal(p->items[1].status, "FAILED");
    assert_true(p->items[2].id == 0);
    assert_null(p->items[2].date);
    assert_string_equal(p->items[2].name, "PointsRedemption");
    assert_null(p->items[2].status);
    mc_event_page_free(&p);
    assert_null(p);

    void *out;
    assert_int_equal(decode_text(API_EVENTS, 200, "{\"data\":{\"id\":3,\"eventName\":\"One\"}}",
                                 &out, &err), API_OK);
    p = out;
    assert_int_equal(p->n, 1); /* a single object stands for a one-item list */
    assert_string_equal(p->items[0].name, "One");
    mc_event_page_free(&p);
    assert_int_equal(decode_text(API_EVENTS, 200, "{\"events\":[]}", &out, &err), API_DECODE);
}

static void frees_accept_null(void **state)
{
    (void)state;
    mc_customer_free(NULL);
    struct mc_customer *c = NULL;
    mc_customer_free(&c);
    mc_search_page_free(NULL);
    mc_balance_free(NULL);
    mc_event_page_free(NULL);
    void *p = NULL;
    api_model_free(API_EVENTS, &p);
    api_model_free(API_EVENTS, NULL);
    api_result_free(NULL);
    struct api_result *r = calloc(1, sizeof *r);
    assert_non_null(r);
    r->kind = API_BALANCE;
    r->data = calloc(1, sizeof(struct mc_balance));
    api_result_free(&r);
    assert_null(r);
}

/* The token response of POST /v3/oauth/token/generate. */
static void oauth_token(void **state)
{
    (void)state;
    size_t len;
    char *body = load("oauth_token.json", &len);
    char *tok;
    long ttl;
    struct api_error err;
    assert_int_equal(api_decode_token(200, body, len, &tok, &ttl, &err), API_OK);
    assert_string_equal(tok, "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJpc3MiOiJDYXBpbGxhcnkifQ.c2lnbmF0dXJl");
    assert_int_equal(ttl, 3600);
    free(tok);
    free(body);

    body = load("oauth_error.json", &len);
    assert_int_equal(api_decode_token(401, body, len, &tok, &ttl, &err), API_HTTP);
    assert_null(tok);
    assert_int_equal(err.http_status, 401);
    assert_int_equal(err.code, 401);
    assert_string_equal(err.message,
                        "authentication failed (401): check the OAuth client key and secret");
    assert_int_equal(api_decode_token(200, body, len, &tok, &ttl, &err), API_REMOTE);
    assert_string_equal(err.message, "OAuth token refused: Failed to generate OAuth token");
    free(body);

    /* A token that would inject a header line, or is missing, is refused. */
    const char *bad[] = {
        "{\"data\":{\"accessToken\":\"abc\\r\\nX-Evil: 1\",\"ttlSeconds\":60}}",
        "{\"data\":{\"accessToken\":\"a b\"}}",
        "{\"data\":{\"accessToken\":\"\"}}",
        "{\"data\":{\"accessToken\":\"ab\\u0000cd\"}}",
        "{\"data\":{\"accessToken\":42}}",
        "{\"data\":null}",
        "{}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(api_decode_token(200, bad[i], strlen(bad[i]), &tok, &ttl, &err),
                         API_DECODE);
        assert_null(tok);
    }
    /* ttlSeconds as a string; absent ttl reads as 0 (the worker picks a default). */
    const char *ok = "{\"data\":{\"accessToken\":\"t\",\"ttlSeconds\":\"300\"}}";
    assert_int_equal(api_decode_token(200, ok, strlen(ok), &tok, &ttl, &err), API_OK);
    assert_int_equal(ttl, 300);
    free(tok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(customer_full),
        cmocka_unit_test(customer_loose_types),
        cmocka_unit_test(customer_hostile_types),
        cmocka_unit_test(customer_points_summary),
        cmocka_unit_test(customer_minimal_and_missing_id),
        cmocka_unit_test(customer_huge_strings),
        cmocka_unit_test(deep_nesting),
        cmocka_unit_test(not_json_bodies),
        cmocka_unit_test(errors_array),
        cmocka_unit_test(http_statuses),
        cmocka_unit_test(search_page),
        cmocka_unit_test(search_shapes),
        cmocka_unit_test(balance),
        cmocka_unit_test(events),
        cmocka_unit_test(frees_accept_null),
        cmocka_unit_test(oauth_token),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
