/*
 * batch_out_test.c - the batch output writer (tui/batch_out.c): JSON lines
 * that always parse whatever the server sent, plain text with placeholders
 * for control characters, rows, and errors on the right stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/batch_out.h"

struct cap {
    FILE *out, *err;
    char *obuf, *ebuf;
    size_t olen, elen;
};

static void cap_open(struct cap *c)
{
    memset(c, 0, sizeof *c);
    c->out = open_memstream(&c->obuf, &c->olen);
    c->err = open_memstream(&c->ebuf, &c->elen);
    assert_non_null(c->out);
    assert_non_null(c->err);
}

static void cap_close(struct cap *c)
{
    fclose(c->out);
    fclose(c->err);
}

static void cap_free(struct cap *c)
{
    free(c->obuf);
    free(c->ebuf);
}

static void json_record_shape(void **state)
{
    (void)state;
    struct cap c;
    cap_open(&c);
    struct bout o;
    bo_init(&o, c.out, c.err, true, false);
    bo_begin(&o);
    bo_int(&o, "id", 565000001);
    bo_str(&o, "name", "Zo\xc3\xab \xe5\xb1\xb1\xe7\x94\xb0");
    bo_num(&o, "points", 12450);
    bo_num(&o, "half", 2.5);
    bo_str(&o, "missing", NULL);
    bo_arr(&o, "rows");
    bo_obj(&o, NULL);
    bo_bool(&o, "open", true);
    bo_close(&o);
    bo_obj(&o, NULL);
    bo_bool(&o, "open", false);
    bo_close(&o);
    bo_close(&o);
    bo_raw(&o, "body", "{\"a\":1}");
    bo_end_ok(&o, "customer \"x\"", 3);
    bo_done(&o);
    cap_close(&c);
    assert_string_equal(c.obuf, "{\"command\":\"customer \\\"x\\\"\",\"line\":3,\"ok\":true,\"result\":{"
                                "\"id\":565000001,\"name\":\"Zo\xc3\xab \xe5\xb1\xb1\xe7\x94\xb0\","
                                "\"points\":12450,\"half\":2.500,\"missing\":null,"
                                "\"rows\":[{\"open\":true},{\"open\":false}],\"body\":{\"a\":1}}}\n");
    assert_int_equal(c.elen, 0);
    cap_free(&c);
}

static void json_hostile_text(void **state)
{
    (void)state;
    struct cap c;
    cap_open(&c);
    struct bout o;
    bo_init(&o, c.out, c.err, true, false);
    bo_begin(&o);
    /* ESC, a newline, a quote, a backslash, DEL, a lone continuation byte,
     * a truncated sequence and an overlong slash */
    bo_str(&o, "s", "a\x1b[31m\n\"\\\x7f\x80x\xe5\xb1\xc0\xaf");
    bo_end_ok(&o, "c", 1);
    bo_done(&o);
    cap_close(&c);
    assert_string_equal(c.obuf, "{\"command\":\"c\",\"line\":1,\"ok\":true,\"result\":{\"s\":"
                                "\"a\\u001b[31m\\u000a\\\"\\\\\\u007f\\ufffdx\\ufffd\\ufffd\\ufffd\\ufffd\"}}\n");
    cap_free(&c);
}

static void plain_rows_and_placeholders(void **state)
{
    (void)state;
    struct cap c;
    cap_open(&c);
    struct bout o;
    bo_init(&o, c.out, c.err, false, false);
    bo_begin(&o);
    bo_str(&o, "name", "Asha\x1b]0;pwned\x07 Rao");
    bo_num(&o, "points", 12450);
    bo_arr(&o, "entries");
    bo_obj(&o, NULL);
    bo_int(&o, "id", 1);
    bo_str(&o, "store", NULL);
    bo_str(&o, "note", "tab\there");
    bo_close(&o);
    bo_close(&o);
    bo_end_ok(&o, "x", 1);
    bo_done(&o);
    cap_close(&c);
    assert_null(memchr(c.obuf, 0x1b, c.olen));
    assert_null(memchr(c.obuf, 0x07, c.olen));
    assert_string_equal(c.obuf, "name: Asha\xe2\x90\x9b]0;pwned\xe2\x90\x87 Rao\n"
                                "points: 12,450\n"
                                "entries:\n"
                                "  1\t-\ttab here\n");
    cap_free(&c);
}

static void plain_ascii_mode(void **state)
{
    (void)state;
    struct cap c;
    cap_open(&c);
    struct bout o;
    bo_init(&o, c.out, c.err, false, true);
    bo_begin(&o);
    bo_str(&o, "name", "Zo\xc3\xab\x1b");
    bo_end_ok(&o, "x", 1);
    bo_done(&o);
    cap_close(&c);
    assert_string_equal(c.obuf, "name: Zo??\n");
    cap_free(&c);
}

static void errors(void **state)
{
    (void)state;
    struct cap c;
    cap_open(&c);
    struct bout o;
    bo_init(&o, c.out, c.err, false, false);
    bo_begin(&o);
    bo_str(&o, "partial", "dropped");
    bo_end_error(&o, "goodwill 100", 7, "needs --yes\x1b", 0, 0);
    bo_done(&o);
    cap_close(&c);
    assert_int_equal(c.olen, 0);
    assert_string_equal(c.ebuf, "membercare: line 7: goodwill 100: needs --yes\xe2\x90\x9b\n");
    cap_free(&c);

    cap_open(&c);
    bo_init(&o, c.out, c.err, true, false);
    bo_begin(&o);
    bo_arr(&o, "partial");
    bo_end_error(&o, "customer 1", 2, "8015: not found", 8015, 400);
    bo_done(&o);
    cap_close(&c);
    assert_string_equal(c.obuf, "{\"command\":\"customer 1\",\"line\":2,\"ok\":false,\"error\":"
                                "{\"message\":\"8015: not found\",\"code\":8015,\"http_status\":400}}\n");
    assert_int_equal(c.elen, 0);
    cap_free(&c);
}

static void masking(void **state)
{
    (void)state;
    struct cap c;
    cap_open(&c);
    struct bout o;
    bo_init(&o, c.out, c.err, true, false);
    bo_set_mask(&o, true);
    bo_begin(&o);
    bo_str(&o, "name", "Asha Rao");
    bo_str(&o, "mobile", "919845000001");
    bo_str(&o, "note", "Asha called from 919845000001");
    bo_end_ok(&o, "customer 919845000001", 1);
    bo_begin(&o);
    bo_end_error(&o, "find asha.rao@example.com", 2, "no member matches 'asha.rao@example.com'", 0, 0);
    bo_done(&o);
    cap_close(&c);
    assert_null(strstr(c.obuf, "919845000001"));
    assert_null(strstr(c.obuf, "asha.rao@"));
    assert_null(strstr(c.obuf, "Asha"));
    assert_non_null(strstr(c.obuf, "\"command\":\"customer 9198450\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2" "01\""));
    cap_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_record_shape),
        cmocka_unit_test(json_hostile_text),
        cmocka_unit_test(plain_rows_and_placeholders),
        cmocka_unit_test(plain_ascii_mode),
        cmocka_unit_test(errors),
        cmocka_unit_test(masking),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
