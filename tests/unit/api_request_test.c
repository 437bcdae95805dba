/*
 * api_request_test.c - the pure parts of the api layer that are not
 * decoders: percent-encoding, request builders, identifier guessing, the
 * Basic/MD5 header (part1 §2.1 worked example), the OAuth body, error
 * wording, and api_new's refusal of bad configuration. No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "api/api.h"
#include "api/internal.h"

static void url_encoding(void **state)
{
    (void)state;
    struct { const char *in, *out; } cases[] = {
        { "", "" },
        { "asha", "asha" },
        { "AZaz09-._~", "AZaz09-._~" },
        { "+919845000001", "%2B919845000001" },
        { "a b&c=d", "a%20b%26c%3Dd" },
        { "asha.rao@example.com", "asha.rao%40example.com" },
        { "/?#[]%", "%2F%3F%23%5B%5D%25" },
        { "Zoë", "Zo%C3%AB" },
        { "\r\n\x01\x7f\xff", "%0D%0A%01%7F%FF" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *e = api_url_encode(cases[i].in);
        assert_string_equal(e, cases[i].out);
        free(e);
    }
    char *e = api_url_encode(NULL);
    assert_string_equal(e, "");
    free(e);
}

static void builders(void **state)
{
    (void)state;
    struct api_request *r = api_customer_lookup("mobile", "+91 98450");
    assert_int_equal(r->kind, API_CUSTOMER);
    assert_int_equal(r->method, API_GET);
    assert_null(r->body);
    assert_int_equal(r->owner, 0);
    assert_int_equal(r->generation, 0);
    assert_int_equal(r->timeout_ms, 0);
    assert_string_equal(r->path,
                        "/v2/customers/lookup/customerDetails?source=INSTORE&identifierName=mobile"
                        "&identifierValue=%2B91%2098450&embed=points,mlp,expirySchedules"
                        "&includedFraudDetails=true");
    api_request_free(&r);
    assert_null(r);

    r = api_customer_lookup("email", "x&identifierName=id");
    assert_non_null(strstr(r->path, "identifierValue=x%26identifierName%3Did&"));
    api_request_free(&r);

    r = api_customer_get(565000111);
    assert_int_equal(r->kind, API_CUSTOMER);
    assert_string_equal(r->path, "/v2/customers/565000111?source=INSTORE"
                                 "&embed=points,mlp,expirySchedules&includedFraudDetails=true");
    api_request_free(&r);

    r = api_customer_search("asha rao", 20, 10);
    assert_int_equal(r->kind, API_SEARCH);
    assert_string_equal(r->path, "/v2/customers/search?q=asha%20rao&offset=20&limit=10");
    api_request_free(&r);
    r = api_customer_search(NULL, -5, 100000);
    assert_string_equal(r->path, "/v2/customers/search?q=&offset=0&limit=100");
    api_request_free(&r);
    r = api_customer_search("a", 0, 0);
    assert_string_equal(r->path, "/v2/customers/search?q=a&offset=0&limit=10");
    api_request_free(&r);

    r = api_points_balance(42);
    assert_int_equal(r->kind, API_BALANCE);
    assert_string_equal(r->path, "/v2/customers/42/points/balance");
    api_request_free(&r);

    r = api_loyalty_events(42, 30, 15);
    assert_int_equal(r->kind, API_EVENTS);
    assert_string_equal(r->path, "/v2/customers/42/loyaltyEvents?offset=30&limit=15");
    api_request_free(&r);

    api_request_free(NULL);
    api_request_free(&r);
}

static void guess_identifier(void **state)
{
    (void)state;
    struct { const char *q, *want; } cases[] = {
        { "919845000001", "mobile" },
        { "+919845000001", "mobile" },
        { "  98450001  ", "mobile" },
        { "12345678", "mobile" },          /* 8 digits: the shortest mobile */
        { "123456789012345", "mobile" },   /* 15 digits: the longest */
        { "1234567", NULL },               /* too short: a prefix search */
        { "1234567890123456", "cardnumber" },
        { "+1234567890123456", NULL },
        { "CARD0001", "cardnumber" },
        { "card-77", "cardnumber" },
        { "asha.rao@example.com", "email" },
        { "asha@", "email" },
        { "MC-000123", "externalId" },
        { "mc-1", "externalId" },
        { "EXT-2024-77", "externalId" },
        { "EXT-A1", "externalId" },
        { "Jean-Luc", NULL },
        { "MC-", NULL },
        { "MC--12", NULL },
        { "-12", NULL },
        { "MC-12 x", NULL },
        { "Asha", NULL },
        { "asha rao", NULL },
        { "9845 000001", NULL },
        { "+", NULL },
        { "", NULL },
        { "   ", NULL },
        { NULL, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = api_guess_identifier(cases[i].q);
        if (!cases[i].want) {
            if (got)
                fail_msg("\"%s\" guessed as %s, want none", cases[i].q, got);
        } else if (!got || strcmp(got, cases[i].want) != 0) {
            fail_msg("\"%s\" guessed as %s, want %s", cases[i].q, got ? got : "none",
                     cases[i].want);
        }
    }
}

static void md5_and_basic(void **state)
{
    (void)state;
    char hex[33];
    struct { const char *in, *md5; } v[] = {
        { "secret", "5ebe2294ecd0e0f08eab7690d2a6ee69" },
        { "Pass123", "2f23fa3579f3f75175793649115c1b25" },
        { "server123", "8a16a6b70505eb1f1ff7cdc0cd5559a7" },
        { "123", "202cb962ac59075b964b07152d234b70" },
        { "", "d41d8cd98f00b204e9800998ecf8427e" },
    };
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        api_md5_hex(v[i].in, strlen(v[i].in), hex);
        assert_string_equal(hex, v[i].md5);
    }
    char *h = api_basic_auth_header("demo.till", "secret");
    assert_non_null(h);
    assert_string_equal(h,
                        "Authorization: Basic ZGVtby50aWxsOjVlYmUyMjk0ZWNkMGUwZjA4ZWFiNzY5MGQyYTZlZTY5");
    api_free_secret(h);
    /* Lengths that exercise every base64 padding case. */
    const char *users[] = { "a", "ab", "abc" };
    const char *want[] = {
        "Authorization: Basic YTo1ZWJlMjI5NGVjZDBlMGYwOGVhYjc2OTBkMmE2ZWU2OQ==",
        "Authorization: Basic YWI6NWViZTIyOTRlY2QwZTBmMDhlYWI3NjkwZDJhNmVlNjk=",
        "Authorization: Basic YWJjOjVlYmUyMjk0ZWNkMGUwZjA4ZWFiNzY5MGQyYTZlZTY5",
    };
    for (int i = 0; i < 3; i++) {
        h = api_basic_auth_header(users[i], "secret");
        assert_string_equal(h, want[i]);
        api_free_secret(h);
    }
}

static void oauth_body(void **state)
{
    (void)state;
    char *b = api_oauth_body("demo-key", "se\"cr\\et\n\x01");
    json_error_t jerr;
    json_t *j = json_loads(b, 0, &jerr);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "key")), "demo-key");
    assert_string_equal(json_string_value(json_object_get(j, "secret")), "se\"cr\\et\n\x01");
    assert_int_equal(json_object_size(j), 2);
    json_decref(j);
    api_free_secret(b);
}

static void error_words(void **state)
{
    (void)state;
    assert_string_equal(api_err_name(API_OK), "ok");
    assert_string_equal(api_err_name(API_NETWORK), "network");
    assert_string_equal(api_err_name(API_TIMEOUT), "timeout");
    assert_string_equal(api_err_name(API_HTTP), "http");
    assert_string_equal(api_err_name(API_DECODE), "decode");
    assert_string_equal(api_err_name(API_REMOTE), "remote");
    assert_string_equal(api_err_name(API_CANCELLED), "cancelled");
    assert_string_equal(api_err_name((enum api_err)77), "unknown");

    struct api_error e;
    char buf[300];
    api_error_set(&e, API_NETWORK, 0, 0, "connection refused");
    api_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "network: connection refused");
    api_error_set(&e, API_REMOTE, 404, 8015, "Customer not found for the given identifiers");
    api_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "8015: Customer not found for the given identifiers");
    api_error_set(&e, API_REMOTE, 500, 0, "odd");
    api_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "remote: odd");
    api_error_set(&e, API_HTTP, 503, 0, "HTTP 503");
    api_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "HTTP 503");
    api_error_set(&e, API_TIMEOUT, 0, 0, NULL);
    api_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "timeout");
    api_error_set(&e, API_OK, 200, 0, NULL);
    api_error_format(&e, buf, sizeof buf);
    assert_string_equal(buf, "ok");
    /* Small buffers truncate, never overflow. */
    api_error_set(&e, API_NETWORK, 0, 0, "connection refused");
    api_error_format(&e, buf, 8);
    assert_string_equal(buf, "network");
    api_error_format(&e, buf, 0);
    api_error_format(NULL, buf, sizeof buf);
    assert_string_equal(buf, "");

    /* A long message is cut to the field without splitting a character. */
    char longmsg[600];
    memset(longmsg, 'x', sizeof longmsg);
    memcpy(longmsg + 254, "\xc3\xa9", 2);
    longmsg[599] = '\0';
    api_error_set(&e, API_REMOTE, 400, 1, "%s", longmsg);
    assert_int_equal(strlen(e.message), 254);
}

static void utf8_cut(void **state)
{
    (void)state;
    const char *s = "ab\xc3\xa9" "c";           /* a b é c */
    assert_int_equal(api_utf8_cut(s, 5, 10), 5);
    assert_int_equal(api_utf8_cut(s, 5, 4), 4);  /* cut after é */
    assert_int_equal(api_utf8_cut(s, 5, 3), 2);  /* inside é: drop it */
    assert_int_equal(api_utf8_cut(s, 5, 2), 2);
    assert_int_equal(api_utf8_cut("\xe2\x82\xac", 3, 2), 0);
}

static void config_refused(void **state)
{
    (void)state;
    struct api_error err;
    struct api_config c = { 0 };
    assert_null(api_new(NULL, &err));
    assert_int_not_equal(err.kind, API_OK);
    assert_null(api_new(&c, &err));
    assert_string_equal(err.message, "no server address configured");
    c.base_url = "ftp://127.0.0.1";
    c.user = "demo.agent";
    c.password = "demo";
    assert_null(api_new(&c, &err));
    assert_non_null(strstr(err.message, "must start with"));
    c.base_url = "http://127.0.0.1:1\r\nX: y";
    assert_null(api_new(&c, &err));
    c.base_url = "http://127.0.0.1:1";
    c.user = "demo:agent";
    assert_null(api_new(&c, &err));
    c.user = NULL;
    assert_null(api_new(&c, &err));
    c.auth = API_AUTH_OAUTH;
    c.client_key = "demo-key";
    assert_null(api_new(&c, &err));
    assert_string_equal(err.message, "OAuth needs a client key and secret");
}

/* Plain http only to this machine: the host is parsed, not prefix-matched. */
static void host_rules(void **state)
{
    (void)state;
    static const char *const allowed[] = {
        "https://eu.api.capillarytech.com", "https://127.0.0.1@anything", "http://127.0.0.1",
        "http://127.0.0.1:8080/", "http://127.255.3.4:1/v2", "http://127.0.0.0", "http://localhost", "http://localhost:9/",
        "http://[::1]", "http://[::1]:8080/x?y",
    };
    static const char *const refused[] = {
        "http://127.0.0.1@attacker.invalid", "http://localhost.invalid", "http://127.0.0.1.invalid",
        "http://127.0.0.1.invalid:80", "http://10.0.0.1", "http://127.1", "http://127.0.0.256",
        "http://localhost:80@evil", "http://127.0.0.1:", "http://127.0.0.1:8x", "http://[::1].evil",
        "http://[::2]", "http://", "ftp://127.0.0.1", "", "http://0127.0.0.1x",
        "http://0127.0.0.1", "http://127.0.0.01", "http://0x7f.0.0.1",
    };
    char why[200];
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++) {
        if (!api_host_allowed(allowed[i], why, sizeof why))
            fail_msg("%s refused: %s", allowed[i], why);
    }
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        why[0] = '\0';
        if (api_host_allowed(refused[i], why, sizeof why))
            fail_msg("%s allowed", refused[i]);
        assert_true(why[0] != '\0');
    }
    /* api_new applies the same rule: credentials never leave for such a host */
    struct api_error err;
    struct api_config c = { .base_url = "http://127.0.0.1@attacker.invalid", .user = "demo.agent",
                            .password = "demo" };
    assert_null(api_new(&c, &err));
    assert_non_null(strstr(err.message, "refusing plain http://"));
}

/* Starts and stops a worker without traffic; bad submissions are refused
 * (and freed: the leak checker would say otherwise). */
static void lifecycle(void **state)
{
    (void)state;
    struct api_error err;
    struct api_config c = { .base_url = "http://127.0.0.1:1/", .user = "demo.agent",
                            .password = "demo" };
    struct api *api = api_new(&c, &err);
    assert_non_null(api);
    assert_int_equal(err.kind, API_OK);
    assert_true(api_wake_fd(api) >= 0);
    assert_int_equal(api_in_flight(api), 0);
    assert_null(api_take_result(api));

    assert_int_equal(api_submit(api, NULL), 0);
    struct api_request *r = api_points_balance(1);
    r->kind = (enum api_kind)API_KIND_COUNT;
    assert_int_equal(api_submit(api, r), 0);
    r = api_points_balance(1);
    free(r->path);
    r->path = api_xstrdup("/v2/x\r\nInjected: 1");
    assert_int_equal(api_submit(api, r), 0);
    r = api_points_balance(1);
    free(r->path);
    r->path = api_xstrdup("http://elsewhere/");
    assert_int_equal(api_submit(api, r), 0);
    assert_int_equal(api_in_flight(api), 0);
    api_cancel_owner(api, 3);
    api_free(&api);
    assert_null(api);
    api_free(&api);
    api_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(url_encoding),
        cmocka_unit_test(builders),
        cmocka_unit_test(guess_identifier),
        cmocka_unit_test(md5_and_basic),
        cmocka_unit_test(oauth_body),
        cmocka_unit_test(error_words),
        cmocka_unit_test(utf8_cut),
        cmocka_unit_test(config_refused),
        cmocka_unit_test(host_rules),
        cmocka_unit_test(lifecycle),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
