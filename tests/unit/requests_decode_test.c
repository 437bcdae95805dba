/*
 * requests_decode_test.c - the requests resource: decoders on the fixture
 * bodies tests/fixtures/requests_*.json (one-item lists as bare objects,
 * numbers as strings, item_status.status instead of success, the all-failed
 * envelope reporting the item's own code), hostile bodies, the request
 * builders' paths and bodies, and the audit log parser.
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

static void *decode(enum api_kind kind, const char *name, enum api_err want, struct api_error *err)
{
    size_t len;
    char *body = load(name, &len);
    void *out = NULL;
    enum api_err rc = api_decode(kind, 200, body, len, &out, err);
    free(body);
    if (rc != want)
        fail_msg("%s: got %s (%s)", name, api_err_name(rc), err->message);
    return out;
}

static void test_list_bare_object_and_strings(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_request_page *p = decode(API_REQUEST_LIST, "requests_get_bare.json", API_OK, &err);
    assert_int_equal(p->n, 2);
    assert_int_equal(p->count, 2);
    const struct mc_request *g = &p->items[0];
    assert_int_equal(g->id, 7001);
    assert_string_equal(g->base_type, "POINTS");
    assert_true(g->has_points);
    assert_true(g->points == 250);
    assert_int_equal(g->customer_id, 565000004);
    assert_string_equal(g->last_name, "Ångström 山田");
    assert_string_equal(g->added_by.code, "demo.agent");
    assert_null(g->updated_by.code);
    const struct mc_request *c = &p->items[1];
    assert_int_equal(c->id, 7003);
    assert_false(c->has_points);
    assert_string_equal(c->new_value, "ana.new@example.com");
    assert_string_equal(c->updated_by.code, "admin");
    assert_int_equal(c->customer_id, 0);
    mc_request_page_free(&p);
    assert_null(p);
}

static void test_outcomes_partial(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_request_outcomes *o = decode(API_REQUEST_APPROVE, "requests_approve_partial.json", API_OK, &err);
    assert_int_equal(o->n, 2);
    assert_int_equal(o->code, 201);
    assert_true(o->items[0].ok);
    assert_string_equal(o->items[0].approved_value, "30");
    assert_false(o->items[1].ok);
    assert_int_equal(o->items[1].code, 9052);
    assert_int_equal(o->items[1].id, 7002);
    mc_request_outcomes_free(&o);
}

static void test_all_failed_reports_the_item(void **state)
{
    (void)state;
    struct api_error err;
    void *o = decode(API_REQUEST_ADD, "requests_add_duplicate.json", API_REMOTE, &err);
    assert_null(o);
    assert_int_equal(err.code, API_REQ_DUPLICATE);
    assert_non_null(strstr(err.message, "already queued"));
}

static void test_trail_from_logs(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_request_trail *t = decode(API_REQUEST_TRAIL, "requests_logs.json", API_OK, &err);
    assert_true(t->found);
    assert_int_equal(t->req.id, 15150);
    assert_int_equal(t->req.customer_id, 565000002);
    assert_int_equal(t->n_steps, 2);
    assert_string_equal(t->steps[0].action, "RAISED");
    assert_string_equal(t->steps[0].who, "demo.agent");
    assert_string_equal(t->steps[1].action, "APPROVED");
    assert_string_equal(t->steps[1].who, "Demo Supervisor");
    assert_string_equal(t->steps[1].comments, "ok");
    mc_request_trail_free(&t);
}

static void test_goodwill_history(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_goodwill_page *p = decode(API_GOODWILL_HISTORY, "requests_goodwill_v2.json", API_OK, &err);
    assert_int_equal(p->n, 2);
    assert_int_equal(p->total, 2);
    assert_int_equal(p->items[0].request_id, 770197);
    assert_string_equal(p->items[0].added_by.code, "admin_1"); /* from enteredBy */
    assert_string_equal(p->items[0].approved_value, "450");
    assert_int_equal(p->items[1].id, 43115);
    assert_int_equal(p->items[1].request_id, 43115);
    assert_false(p->items[1].has_points); /* "" is absent, not 0 */
    assert_int_equal(p->items[1].series_id, 3);
    mc_goodwill_page_free(&p);
}

static void test_config(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_goodwill_config *c = decode(API_GOODWILL_CONFIG, "requests_config.json", API_OK, &err);
    assert_int_equal(c->n_reasons, 2); /* the one without a code is dropped */
    assert_string_equal(c->reasons[1].code, "POINTS_ISSUE");
    assert_null(c->reasons[1].description);
    assert_int_equal(c->n_series, 1);
    assert_int_equal(c->series[0].id, 3);
    assert_true(c->points_cap == 5000);
    mc_goodwill_config_free(&c);
}

static void test_hostile_bodies(void **state)
{
    (void)state;
    static const struct {
        enum api_kind kind;
        const char *body;
        enum api_err want;
    } cases[] = {
        {API_REQUEST_LIST, "{}", API_DECODE},
        {API_REQUEST_LIST, "{\"response\":{\"requests\":[]}}", API_DECODE},
        {API_REQUEST_LIST, "{\"response\":{\"requests\":{\"goodwill\":[1,\"x\",null,{\"id\":\"abc\"}]}}}", API_OK},
        {API_REQUEST_TRAIL, "{\"response\":{\"requests\":{\"goodwill\":[]}}}", API_OK},
        {API_REQUEST_APPROVE, "{\"response\":{\"requests\":{}}}", API_DECODE},
        {API_REQUEST_REJECT, "{\"response\":{\"requests\":{\"request\":[7,{\"status\":\"REJECTED\"}]}}}", API_OK},
        {API_GOODWILL_HISTORY, "{\"data\":{}}", API_DECODE},
        {API_GOODWILL_HISTORY, "{\"data\":null}", API_OK},
        {API_GOODWILL_CONFIG, "{\"response\":{\"goodwill_config\":[]}}", API_DECODE},
        {API_REQUEST_ADD, "not json", API_DECODE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        void *out = NULL;
        struct api_error err;
        enum api_err rc = api_decode(cases[i].kind, 200, cases[i].body, strlen(cases[i].body), &out, &err);
        if (rc != cases[i].want)
            fail_msg("case %zu: got %s (%s)", i, api_err_name(rc), err.message);
        if (rc == API_OK && cases[i].kind == API_REQUEST_LIST)
            assert_int_equal(((struct mc_request_page *)out)->n, 0);
        if (rc == API_OK && cases[i].kind == API_REQUEST_TRAIL)
            assert_false(((struct mc_request_trail *)out)->found);
        if (rc == API_OK && cases[i].kind == API_REQUEST_REJECT) {
            struct mc_request_outcomes *o = out;
            assert_int_equal(o->n, 1);
            assert_true(o->items[0].ok);
        }
        api_model_free(cases[i].kind, &out);
    }
}

static void test_builders(void **state)
{
    (void)state;
    struct mc_request_filter f = {.status = "PENDING", .member = "919845000002", .added_by = "demo agent"};
    struct api_request *r = api_request_list(&f, 50, 500);
    assert_string_equal(r->path, "/v1.1/request/get?format=json&status=PENDING&added_by=demo%20agent"
                                 "&mobile=919845000002&start_limit=50&limit=50");
    api_request_free(&r);
    f = (struct mc_request_filter){.member = "id:565000002"};
    r = api_request_list(&f, 0, 10);
    assert_non_null(strstr(r->path, "user_id=565000002"));
    api_request_free(&r);

    struct mc_goodwill_new g = {.customer_id = 565000002, .reference_id = "mc-1", .points = 250,
                                .reason = "POINTS_ISSUE", .comments = "line \"one\"\ntwo"};
    r = api_request_add_goodwill(&g);
    assert_int_equal(r->method, API_POST);
    assert_string_equal(r->path, "/v1.1/request/add?format=json");
    assert_non_null(strstr(r->body, "\"root\":{\"request\":[{"));
    assert_non_null(strstr(r->body, "\"customer\":{\"id\":\"565000002\"}"));
    assert_non_null(strstr(r->body, "\"points\":\"250\""));
    assert_non_null(strstr(r->body, "\"reference_id\":\"mc-1\""));
    assert_non_null(strstr(r->body, "line \\\"one\\\"\\ntwo"));
    api_request_free(&r);

    struct mc_request_decision d = {.id = 7001, .type = "GOODWILL", .base_type = "POINTS", .points = 30.5};
    r = api_request_approve(&d);
    assert_non_null(strstr(r->body, "\"points\":\"30.500\""));
    api_request_free(&r);
    r = api_request_reject(&d);
    assert_null(strstr(r->body, "points"));
    assert_string_equal(r->path, "/v1.1/request/reject?format=json");
    api_request_free(&r);
}

static void test_audit_parse(void **state)
{
    (void)state;
    const char text[] =
        "{\"id\":1,\"phase\":\"sent\",\"time\":\"2026-11-25T10:00:00.000Z\",\"till\":\"demo.agent\","
        "\"action\":\"goodwill-raise\",\"member\":565000002,\"ref\":\"mc-1\",\"detail\":\"250 points\"}\n"
        "{\"id\":2,\"phase\":\"sent\",\"time\":\"t\",\"till\":\"x\",\"action\":\"request-approve\",\"member\":0,"
        "\"ref\":\"7001\",\"detail\":null}\n"
        "garbage\n"
        "{\"id\":1,\"phase\":\"done\",\"time\":\"t2\",\"ok\":true,\"response_id\":\"15150\",\"message\":\"\"}\n"
        "{\"id\":9,\"phase\":\"done\",\"ok\":false}\n"
        "{\"id\":3,\"phase\":\"sent\",\"action\":\"request-reject\"}\n"
        "{\"id\":3,\"phase\":\"done\",\"ok\":false,\"message\":\"9052: Invalid request status\"}\n"
        "{\"id\":4,\"phase\":\"se";
    struct mc_audit_log *l = api_audit_parse(text, sizeof text - 1);
    assert_int_equal(l->n, 3);
    assert_int_equal(l->bad_lines, 3); /* garbage, the unmatched done, the torn last line */
    assert_int_equal(l->items[0].state, MC_AUDIT_OK);
    assert_string_equal(l->items[0].response_id, "15150");
    assert_int_equal(l->items[0].member, 565000002);
    assert_int_equal(l->items[1].state, MC_AUDIT_SENT);
    assert_int_equal(l->items[2].state, MC_AUDIT_FAILED);
    assert_string_equal(l->items[2].message, "9052: Invalid request status");
    mc_audit_log_free(&l);
    l = api_audit_parse(NULL, 0);
    assert_int_equal(l->n, 0);
    mc_audit_log_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_bare_object_and_strings),
        cmocka_unit_test(test_outcomes_partial),
        cmocka_unit_test(test_all_failed_reports_the_item),
        cmocka_unit_test(test_trail_from_logs),
        cmocka_unit_test(test_goodwill_history),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_hostile_bodies),
        cmocka_unit_test(test_builders),
        cmocka_unit_test(test_audit_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
