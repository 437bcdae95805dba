/*
 * sandbox_parse_test.c - the sandbox's parsers of untrusted text: base64
 * credentials, ISO 8601 instants, integers, the v1.1 search language (and
 * the SQL it generates), the command line, UTF-8 repair for JSON, plus the
 * PRNG's ranges and the sliding-window rate limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sandbox/b64.h"
#include "sandbox/faults.h"
#include "sandbox/http.h"
#include "sandbox/options.h"
#include "sandbox/prng.h"
#include "sandbox/sbtime.h"
#include "sandbox/v11query.h"

static void base64(void **state)
{
    (void)state;
    char out[64];
    /* the worked example of part 1 §2.1 */
    const char *enc = "ZGVtby50aWxsOjVlYmUyMjk0ZWNkMGUwZjA4ZWFiNzY5MGQyYTZlZTY5";
    assert_int_equal(b64_decode(enc, strlen(enc), out, sizeof out), 42);
    assert_string_equal(out, "demo.till:5ebe2294ecd0e0f08eab7690d2a6ee69");
    assert_int_equal(b64_decode("YQ==", 4, out, sizeof out), 1);
    assert_string_equal(out, "a");
    assert_int_equal(b64_decode("YQ", 2, out, sizeof out), 1);
    assert_int_equal(b64_decode("", 0, out, sizeof out), 0);
    assert_int_equal(b64_decode("Y", 1, out, sizeof out), -1);
    assert_int_equal(b64_decode("Y!==", 4, out, sizeof out), -1);
    assert_int_equal(b64_decode("YWJj", 4, out, 3), -1); /* "abc" + NUL does not fit in 3 */
    assert_int_equal(b64_decode("YWJj", 4, out, 4), 3);
}

static void iso_times(void **state)
{
    (void)state;
    time_t t;
    assert_int_equal(sbtime_parse_iso("2026-11-25T10:00:00Z", &t), 0);
    assert_int_equal(t, 1795600800);
    assert_int_equal(sbtime_parse_iso("2026-11-25T15:30:00+05:30", &t), 0);
    assert_int_equal(t, 1795600800);
    assert_int_equal(sbtime_parse_iso("2026-11-25 10:00:00.123Z", &t), 0);
    assert_int_equal(t, 1795600800);
    assert_int_equal(sbtime_parse_iso("2024-02-29T00:00:00Z", &t), 0);
    assert_int_equal(sbtime_parse_iso("2025-02-29T00:00:00Z", &t), -1);
    assert_int_equal(sbtime_parse_iso("2026-13-01T00:00:00Z", &t), -1);
    assert_int_equal(sbtime_parse_iso("2026-11-25T24:00:00Z", &t), -1);
    assert_int_equal(sbtime_parse_iso("2026-11-25T10:00:00Zjunk", &t), -1);
    assert_int_equal(sbtime_parse_iso("2026-11-25", &t), -1);
    assert_int_equal(sbtime_parse_iso("", &t), -1);
    assert_int_equal(sbtime_parse_date("2026-11-25", &t), 0);
    assert_int_equal(t, 1795564800);
    char iso[SBTIME_ISO_LEN], v11[SBTIME_V11_LEN];
    sbtime_iso(1795600800, iso);
    assert_string_equal(iso, "2026-11-25T10:00:00Z");
    sbtime_iso_to_v11("2026-11-25T10:00:00Z", v11);
    assert_string_equal(v11, "2026-11-25 10:00:00");
    sbtime_iso_to_v11("garbage", v11);
    assert_string_equal(v11, "");
    struct sbtime_clock c;
    assert_int_equal(sbtime_clock_from_env("2026-11-25T10:00:00Z", &c), 0);
    assert_true(c.pinned);
    assert_int_equal(sbtime_now(&c), 1795600800);
    assert_int_equal(sbtime_clock_from_env("tomorrow", &c), -1);
    assert_int_equal(sbtime_clock_from_env(NULL, &c), 0);
    assert_false(c.pinned);
}

static void integers(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(sb_parse_i64("565000001", 1, INT64_MAX, &v), 0);
    assert_int_equal(v, 565000001);
    assert_int_equal(sb_parse_i64("0", 1, 10, &v), -1);
    assert_int_equal(sb_parse_i64("11", 1, 10, &v), -1);
    assert_int_equal(sb_parse_i64("1x", 1, 10, &v), -1);
    assert_int_equal(sb_parse_i64(" 1", 1, 10, &v), -1);
    assert_int_equal(sb_parse_i64("+1", 1, 10, &v), -1);
    assert_int_equal(sb_parse_i64("99999999999999999999", 1, INT64_MAX, &v), -1);
    assert_int_equal(sb_parse_i64("", 1, 10, &v), -1);
    assert_int_equal(sb_parse_i64(NULL, 1, 10, &v), -1);
}

static void query_language(void **state)
{
    (void)state;
    struct v11q q;
    char err[160];
    assert_int_equal(v11q_parse(&q, "(firstname:STARTS:ash)&(lastname:EXACT:rao)", err, sizeof err), 0);
    assert_int_equal(q.n, 2);
    char sql[1024] = "SELECT c.id FROM customers c WHERE 1 = 1";
    assert_int_equal(v11q_sql(&q, sql, sizeof sql, 1), 2);
    assert_non_null(strstr(sql, "c.first_name LIKE (?1 || '%') ESCAPE '\\'"));
    assert_non_null(strstr(sql, "c.last_name COLLATE NOCASE = ?2"));
    /* values never reach the SQL text */
    assert_null(strstr(sql, "ash"));
    v11q_free(&q);

    assert_int_equal(v11q_parse(&q, " ( mobile : IN : 1;2;3 ) ", err, sizeof err), 0);
    sql[0] = '\0';
    assert_int_equal(v11q_sql(&q, sql, sizeof sql, 5), 3);
    assert_non_null(strstr(sql, "i.type = 'mobile' AND i.value COLLATE NOCASE IN (?5, ?6, ?7)"));
    v11q_free(&q);

    assert_int_equal(v11q_parse(&q, "(loyalty_points:RANGE:100;200)", err, sizeof err), 0);
    v11q_free(&q);
    assert_int_equal(v11q_parse(&q, "(registered_date:ON:2026-11-25)", err, sizeof err), 0);
    v11q_free(&q);

    static const char *const bad[] = {
        "firstname:STARTS:ash",          "(firstname:STARTS)",
        "(nickname:STARTS:a)",           "(firstname:LESS:a)",
        "(loyalty_points:STARTS:1)",     "(loyalty_points:EXACT:ten)",
        "(loyalty_points:RANGE:1)",      "(firstname:EXACT:a;b)",
        "(registered_date:ON:25-11-2026)", "(firstname:ON:a)",
        "()",                            "",
        "(a:b:c)&(d:e:f)&(g:h:i)&(j:k:l)&(m:n:o)&(p:q:r)&(s:t:u)&(v:w:x)&(y:z:a)",
        "(firstname:STARTS:;;)",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (v11q_parse(&q, bad[i], err, sizeof err) == 0)
            fail_msg("accepted '%s'", bad[i]);
        assert_true(strlen(err) > 0);
        v11q_free(&q);
    }
    /* the SQL buffer is never overrun */
    assert_int_equal(v11q_parse(&q, "(mobile:IN:1;2;3;4;5;6;7;8;9;10;11;12;13;14;15;16)", err,
                                sizeof err),
                     0);
    char tiny[40] = "";
    assert_int_equal(v11q_sql(&q, tiny, sizeof tiny, 1), -1);
    v11q_free(&q);
}

static void command_line(void **state)
{
    (void)state;
    struct sb_options o;
    char err[200];
    char *ok[] = {"sb", "--port", "0", "--seed=9", "--customers", "10", "--fail-rate", "0.25",
                  "--fault-seed", "3", "--token-ttl=5", NULL};
    assert_int_equal(options_parse(11, ok, &o, err, sizeof err), 0);
    assert_int_equal(o.seed, 9);
    assert_int_equal(o.customers, 10);
    assert_true(o.fail_rate == 0.25);
    assert_true(o.fault_seed_set);
    assert_int_equal(o.token_ttl, 5);
    assert_string_equal(o.bind, "127.0.0.1");
    assert_int_equal(o.max_body, 1024 * 1024);

    char *bad[][3] = {
        {"sb", "--port", "65536"}, {"sb", "--fail-rate", "1.5"}, {"sb", "--latency", "-1"},
        {"sb", "--seed", "-3"},    {"sb", "--customers", "1e3"}, {"sb", "--nope", "1"},
        {"sb", "--help=yes", ""},  {"sb", "stray", ""},          {"sb", "--rate-limit", "x"},
        {"sb", "--db", ""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int argc = bad[i][2][0] ? 3 : 2;
        err[0] = '\0';
        assert_int_equal(options_parse(argc, bad[i], &o, err, sizeof err), -1);
        /* the message names the offending flag or word */
        char name[32];
        snprintf(name, sizeof name, "%s", bad[i][1][0] == '-' ? bad[i][1] + 2 : bad[i][1]);
        name[strcspn(name, "=")] = '\0';
        if (!strstr(err, name))
            fail_msg("'%s' does not mention '%s'", err, name);
        assert_null(strchr(err, '\n'));
    }
    char *missing[] = {"sb", "--port", NULL};
    assert_int_equal(options_parse(2, missing, &o, err, sizeof err), -1);
}

static void utf8_repair(void **state)
{
    (void)state;
    json_t *j = sb_jstr("caf\xc3\xa9 \xff\xfe ok \xe5\xb1");
    assert_non_null(j);
    assert_string_equal(json_string_value(j), "caf\xc3\xa9 ?? ok ??");
    json_decref(j);
    j = sb_jstr("\xed\xa0\x80"); /* an encoded surrogate is not UTF-8 */
    assert_string_equal(json_string_value(j), "???");
    json_decref(j);
    j = sb_jstr_or_null(NULL);
    assert_true(json_is_null(j));
    json_decref(j);
}

static void prng_ranges(void **state)
{
    (void)state;
    struct prng a, b;
    prng_seed(&a, 42);
    prng_seed(&b, 42);
    for (int i = 0; i < 1000; i++)
        assert_true(prng_next(&a) == prng_next(&b));
    int seen[5] = {0};
    for (int i = 0; i < 10000; i++) {
        int64_t v = prng_range(&a, -2, 2);
        assert_in_range(v + 2, 0, 4);
        seen[v + 2]++;
        double u = prng_unit(&a);
        assert_true(u >= 0.0 && u < 1.0);
    }
    for (int i = 0; i < 5; i++)
        assert_in_range(seen[i], 1700, 2300);
    assert_false(prng_chance(&a, 0.0));
    assert_true(prng_chance(&a, 1.0));
    const unsigned w[] = {0, 5, 0};
    for (int i = 0; i < 100; i++)
        assert_int_equal(prng_weighted(&a, w, 3), 1);
    prng_seed2(&a, 1, 2);
    prng_seed2(&b, 1, 3);
    assert_true(prng_next(&a) != prng_next(&b));
}

static void rate_window(void **state)
{
    (void)state;
    struct faults_cfg cfg = {.rate_limit = 3, .seeded = true, .seed = 1};
    struct faults *f = faults_new(&cfg);
    int retry = 0;
    for (int i = 0; i < 3; i++)
        assert_true(faults_admit(f, &retry));
    assert_false(faults_admit(f, &retry));
    assert_int_equal(retry, 1);
    assert_int_equal(faults_delay_ms(f), 0);
    assert_false(faults_fail(f));
    struct sb_resp resp = {0};
    sb_reply_json(&resp, 200, json_pack("{s:i}", "id", 1));
    assert_null(faults_malform(f, &resp));
    assert_string_equal(resp.body, "{\"id\":1}");
    sb_resp_clear(&resp);
    faults_free(&f);
    assert_null(f);

    struct faults_cfg always = {.fail_rate = 1.0, .malformed_rate = 1.0, .latency_ms = 5,
                                .jitter_ms = 10, .seeded = true, .seed = 2};
    f = faults_new(&always);
    assert_true(faults_admit(f, &retry));
    for (int i = 0; i < 50; i++) {
        long d = faults_delay_ms(f);
        assert_in_range(d, 5, 15);
        assert_true(faults_fail(f));
        sb_reply_json(&resp, 200, json_pack("{s:i,s:[i]}", "id", 1, "profiles", 2));
        const char *kind = faults_malform(f, &resp);
        assert_non_null(kind);
        json_t *parsed = resp.len ? json_loadb(resp.body, resp.len, 0, NULL) : NULL;
        if (parsed) {
            /* only the wrong-types kind still parses, and then nothing has its type */
            assert_string_equal(kind, "wrong-types");
            assert_false(json_is_integer(json_object_get(parsed, "id")));
            assert_false(json_is_array(json_object_get(parsed, "profiles")));
            json_decref(parsed);
        }
        sb_resp_clear(&resp);
    }
    faults_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(base64),         cmocka_unit_test(iso_times),
        cmocka_unit_test(integers),       cmocka_unit_test(query_language),
        cmocka_unit_test(command_line),   cmocka_unit_test(utf8_repair),
        cmocka_unit_test(prng_ranges),    cmocka_unit_test(rate_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
