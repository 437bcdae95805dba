/*
 * api_outcome_test.c - telling a write that certainly failed from one whose
 * answer was lost or unreadable (api_error_mark_outcome), on the answers a
 * faulty server or gateway really sends (a garbled coupon issue must not
 * pass for one), and the audit log parser reading the "unknown" outcome
 * back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "api/internal.h"

/* Decodes body as the answer to a request of method and marks the outcome
 * as the worker does for an answer that arrived. */
static struct api_error answer(enum api_method method, long status, const char *body)
{
    struct api_error err;
    void *data = NULL;
    api_decode(API_CUSTOMER, status, body, body ? strlen(body) : 0, &data, &err);
    api_model_free(API_CUSTOMER, &data);
    api_error_mark_outcome(&err, method, false);
    return err;
}

static void test_unreadable_answers_to_writes_are_unknown(void **state)
{
    (void)state;
    const char *truncated = "{\"id\":565000001,\"profiles\":[{\"firstName\":\"As";
    const char *html = "<html><head><title>502 Bad Gateway</title></head><body></body></html>";
    struct api_error e = answer(API_POST, 200, truncated);
    assert_int_equal(e.kind, API_DECODE);
    assert_true(e.unknown_outcome);
    e = answer(API_POST, 200, html);
    assert_true(e.unknown_outcome);
    e = answer(API_PUT, 200, "");
    assert_int_equal(e.kind, API_DECODE);
    assert_true(e.unknown_outcome);
    e = answer(API_POST, 502, html);
    assert_int_equal(e.kind, API_HTTP);
    assert_true(e.unknown_outcome);
    e = answer(API_POST, 500, NULL);
    assert_true(e.unknown_outcome);
}

static void test_stated_refusals_are_failures(void **state)
{
    (void)state;
    /* The server's own error envelope says the write was refused. */
    struct api_error e =
        answer(API_POST, 500, "{\"errors\":[{\"code\":500,\"message\":\"Request failed\"}]}");
    assert_int_equal(e.kind, API_REMOTE);
    assert_false(e.unknown_outcome);
    e = answer(API_POST, 429, "{\"errors\":[{\"code\":429,\"message\":\"Rate limit exceeded\"}]}");
    assert_false(e.unknown_outcome);
    e = answer(API_POST, 400, "{\"errors\":[{\"code\":8015,\"message\":\"Customer not found\"}]}");
    assert_false(e.unknown_outcome);
    /* A 4xx without a readable body still says the request was refused as sent. */
    e = answer(API_POST, 429, "{\"err");
    assert_int_equal(e.kind, API_HTTP);
    assert_false(e.unknown_outcome);
    e = answer(API_POST, 401, "<html>");
    assert_false(e.unknown_outcome);
    /* v1.1: success false with the item's own code. */
    e = answer(API_POST, 200,
               "{\"response\":{\"status\":{\"success\":\"false\",\"code\":9052,\"message\":\"x\"}}}");
    assert_int_equal(e.kind, API_REMOTE);
    assert_false(e.unknown_outcome);
}

static void test_reads_and_unsent_writes_are_never_unknown(void **state)
{
    (void)state;
    struct api_error e = answer(API_GET, 200, "{\"id\":");
    assert_int_equal(e.kind, API_DECODE);
    assert_false(e.unknown_outcome);
    e = answer(API_GET, 502, "<html>");
    assert_false(e.unknown_outcome);

    api_error_set(&e, API_NETWORK, 0, 0, "Connection refused");
    api_error_mark_outcome(&e, API_POST, true);
    assert_false(e.unknown_outcome);
    api_error_set(&e, API_NETWORK, 0, 0, "Connection reset by peer");
    api_error_mark_outcome(&e, API_POST, false);
    assert_true(e.unknown_outcome);
    api_error_set(&e, API_TIMEOUT, 0, 0, "Operation timed out");
    api_error_mark_outcome(&e, API_PUT, false);
    assert_true(e.unknown_outcome);
    api_error_set(&e, API_OK, 200, 0, NULL);
    api_error_mark_outcome(&e, API_POST, false);
    assert_false(e.unknown_outcome);
    /* A fresh error value starts definite. */
    e.unknown_outcome = true;
    api_error_set(&e, API_DECODE, 200, 0, "x");
    assert_false(e.unknown_outcome);
}

/* The sandbox's wrongly typed answer to a coupon issue that was carried
 * out: every string a number. The code 0 must not pass for a coupon. */
static void test_garbled_issue_answer_is_unknown(void **state)
{
    (void)state;
    const char body[] = "{\"code\":0,\"seriesId\":\"not a number\",\"customerId\":\"not a number\"}";
    struct api_error err;
    void *data = NULL;
    enum api_err rc = api_decode(API_COUPON_ISSUE, 200, body, sizeof body - 1, &data, &err);
    assert_int_equal(rc, API_DECODE);
    assert_null(data);
    api_error_mark_outcome(&err, API_POST, false);
    assert_true(err.unknown_outcome);
    const char good[] = "{\"code\":\"RP6Y28XF\",\"seriesId\":11}";
    rc = api_decode(API_COUPON_ISSUE, 200, good, sizeof good - 1, &data, &err);
    assert_int_equal(rc, API_OK);
    api_model_free(API_COUPON_ISSUE, &data);
}

static void test_audit_log_reads_unknown(void **state)
{
    (void)state;
    const char text[] =
        "{\"id\":1,\"phase\":\"sent\",\"action\":\"ticket-add\",\"member\":565000001}\n"
        "{\"id\":2,\"phase\":\"sent\",\"action\":\"note-add\",\"member\":565000001}\n"
        "{\"id\":3,\"phase\":\"sent\",\"action\":\"note-add\",\"member\":565000001}\n"
        "{\"id\":1,\"phase\":\"done\",\"ok\":false,\"outcome\":\"unknown\",\"message\":\"decode\"}\n"
        "{\"id\":2,\"phase\":\"done\",\"ok\":false,\"outcome\":\"failed\"}\n"
        "{\"id\":3,\"phase\":\"done\",\"ok\":true,\"outcome\":\"ok\",\"response_id\":\"41\"}\n";
    struct mc_audit_log *l = api_audit_parse(text, sizeof text - 1);
    assert_int_equal(l->n, 3);
    assert_int_equal(l->items[0].state, MC_AUDIT_UNKNOWN);
    assert_string_equal(l->items[0].message, "decode");
    assert_int_equal(l->items[1].state, MC_AUDIT_FAILED);
    assert_int_equal(l->items[2].state, MC_AUDIT_OK);
    mc_audit_log_free(&l);
}

/* A request write's item: its own refusal is stated; a success that lists
 * no request may have been carried out. */
static void test_request_write_items(void **state)
{
    (void)state;
    struct api_result res;
    memset(&res, 0, sizeof res);
    res.err.kind = API_OK;
    struct api_error err;
    mc_request_outcome_error(&res, NULL, &err);
    assert_int_equal(err.kind, API_DECODE);
    assert_true(err.unknown_outcome);

    char msg[] = "already decided";
    struct mc_request_outcome x = {.ok = false, .code = 9015, .message = msg};
    mc_request_outcome_error(&res, &x, &err);
    assert_int_equal(err.kind, API_REMOTE);
    assert_int_equal(err.code, 9015);
    assert_false(err.unknown_outcome);
    assert_string_equal(err.message, "already decided");

    res.err.kind = API_HTTP;
    res.err.unknown_outcome = true;
    mc_request_outcome_error(&res, NULL, &err);
    assert_int_equal(err.kind, API_HTTP);
    assert_true(err.unknown_outcome);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unreadable_answers_to_writes_are_unknown),
        cmocka_unit_test(test_stated_refusals_are_failures),
        cmocka_unit_test(test_reads_and_unsent_writes_are_never_unknown),
        cmocka_unit_test(test_garbled_issue_answer_is_unknown),
        cmocka_unit_test(test_audit_log_reads_unknown),
        cmocka_unit_test(test_request_write_items),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
