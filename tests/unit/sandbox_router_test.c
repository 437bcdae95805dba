/*
 * sandbox_router_test.c - route matching: literals beat captures whatever
 * the table order, captures come back in order, a path that matches with
 * another method is told apart from an unknown one, and malformed patterns
 * or oversized paths are refused instead of misread.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sandbox/router.h"

static void h_by_id(struct sb_req *req, struct sb_resp *resp)
{
    (void)req;
    (void)resp;
}

static void h_search(struct sb_req *req, struct sb_resp *resp)
{
    (void)req;
    (void)resp;
}

static void h_balance(struct sb_req *req, struct sb_resp *resp)
{
    (void)req;
    (void)resp;
}

static void h_token(struct sb_req *req, struct sb_resp *resp)
{
    (void)req;
    (void)resp;
}

static const struct sb_route table[] = {
    {"GET", "/v2/customers/{id}", h_by_id, 0},
    {"GET", "/v2/customers/search", h_search, 0},
    {"GET", "/v2/customers/{id}/points/balance", h_balance, 0},
    {"POST", "/v3/oauth/token/generate", h_token, SB_ROUTE_PUBLIC},
};

static enum router_match find(const struct router *r, const char *method, const char *path,
                              const struct sb_route **route, const char **params, size_t *n)
{
    static char scratch[256];
    return router_find(r, method, path, scratch, sizeof scratch, route, params, n);
}

static void literal_beats_capture(void **state)
{
    (void)state;
    struct router *r = router_new_from(table, sizeof table / sizeof table[0]);
    assert_non_null(r);
    const struct sb_route *route = NULL;
    const char *params[SB_MAX_PARAMS];
    size_t n = 99;
    assert_int_equal(find(r, "GET", "/v2/customers/search", &route, params, &n), ROUTER_FOUND);
    assert_ptr_equal(route->handler, h_search);
    assert_int_equal(n, 0);
    assert_int_equal(find(r, "GET", "/v2/customers/565000001", &route, params, &n), ROUTER_FOUND);
    assert_ptr_equal(route->handler, h_by_id);
    assert_int_equal(n, 1);
    assert_string_equal(params[0], "565000001");
    router_free(&r);
    assert_null(r);
}

static void captures_and_slashes(void **state)
{
    (void)state;
    struct router *r = router_new_from(table, sizeof table / sizeof table[0]);
    const struct sb_route *route = NULL;
    const char *params[SB_MAX_PARAMS];
    size_t n = 0;
    assert_int_equal(find(r, "GET", "/v2/customers/42/points/balance/", &route, params, &n),
                     ROUTER_FOUND);
    assert_ptr_equal(route->handler, h_balance);
    assert_int_equal(n, 1);
    assert_string_equal(params[0], "42");
    assert_int_equal(find(r, "GET", "//v2//customers//7", &route, params, &n), ROUTER_FOUND);
    assert_string_equal(params[0], "7");
    assert_int_equal(find(r, "GET", "/v2/customers/42/points", &route, params, &n), ROUTER_NO_PATH);
    assert_int_equal(find(r, "GET", "/v2/customers", &route, params, &n), ROUTER_NO_PATH);
    assert_int_equal(find(r, "GET", "/", &route, params, &n), ROUTER_NO_PATH);
    assert_int_equal(find(r, "GET", "", &route, params, &n), ROUTER_NO_PATH);
    assert_int_equal(find(r, "GET", "v2/customers/1", &route, params, &n), ROUTER_NO_PATH);
    router_free(&r);
}

static void method_mismatch(void **state)
{
    (void)state;
    struct router *r = router_new_from(table, sizeof table / sizeof table[0]);
    const struct sb_route *route = NULL;
    const char *params[SB_MAX_PARAMS];
    size_t n = 0;
    assert_int_equal(find(r, "GET", "/v3/oauth/token/generate", &route, params, &n),
                     ROUTER_NO_METHOD);
    assert_int_equal(find(r, "DELETE", "/v2/customers/1", &route, params, &n), ROUTER_NO_METHOD);
    assert_int_equal(find(r, "POST", "/v3/oauth/token/generate", &route, params, &n), ROUTER_FOUND);
    assert_true(route->flags & SB_ROUTE_PUBLIC);
    router_free(&r);
}

static void oversized_path(void **state)
{
    (void)state;
    struct router *r = router_new_from(table, sizeof table / sizeof table[0]);
    const struct sb_route *route = NULL;
    const char *params[SB_MAX_PARAMS];
    size_t n = 0;
    char path[600] = "/v2/customers/";
    memset(path + 14, '9', sizeof path - 15);
    path[sizeof path - 1] = '\0';
    assert_int_equal(find(r, "GET", path, &route, params, &n), ROUTER_NO_PATH);
    char deep[256] = "";
    for (int i = 0; i < 40; i++)
        strcat(deep, "/a");
    assert_int_equal(find(r, "GET", deep, &route, params, &n), ROUTER_NO_PATH);
    router_free(&r);
}

static void bad_patterns_refused(void **state)
{
    (void)state;
    static const struct sb_route no_slash[] = {{"GET", "v2/x", h_by_id, 0}};
    static const struct sb_route open_brace[] = {{"GET", "/v2/{id", h_by_id, 0}};
    static const struct sb_route empty_capture[] = {{"GET", "/v2/{}", h_by_id, 0}};
    static const struct sb_route too_many[] = {{"GET", "/{a}/{b}/{c}/{d}/{e}", h_by_id, 0}};
    assert_null(router_new_from(no_slash, 1));
    assert_null(router_new_from(open_brace, 1));
    assert_null(router_new_from(empty_capture, 1));
    assert_null(router_new_from(too_many, 1));
}

static void registry_builds(void **state)
{
    (void)state;
    struct router *r = router_new();
    assert_non_null(r);
    const struct sb_route *route = NULL;
    const char *params[SB_MAX_PARAMS];
    size_t n = 0;
    static const char *const paths[] = {
        "/v2/customers/lookup/customerDetails", "/v2/customers/1", "/v2/customers/search",
        "/v2/customers/1/points/balance", "/v2/customers/1/loyaltyEvents",
        "/v1.1/customer/get", "/v1.1/customer/search",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
        assert_int_equal(find(r, "GET", paths[i], &route, params, &n), ROUTER_FOUND);
    assert_int_equal(find(r, "POST", "/v3/oauth/token/generate", &route, params, &n), ROUTER_FOUND);
    router_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(literal_beats_capture), cmocka_unit_test(captures_and_slashes),
        cmocka_unit_test(method_mismatch),       cmocka_unit_test(oversized_path),
        cmocka_unit_test(bad_patterns_refused),  cmocka_unit_test(registry_builds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
