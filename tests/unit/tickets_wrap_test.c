/*
 * tickets_wrap_test.c - word wrapping of long server text (a ticket's
 * message, a note) by display width: spaces, newlines, words longer than
 * the line, double-width characters, combining marks, invalid bytes and
 * the ASCII drawing mode.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "views/wrap.h"

/* Wraps s at width and joins the lines with '|'. */
static void wrap_all(const char *s, int width, bool ascii, char *out, size_t n)
{
    size_t len = strlen(s), at = 0, o = 0;
    out[0] = '\0';
    int guard = 0;
    while (at < len) {
        size_t next, k = wrap_line(s + at, len - at, width, ascii, &next);
        assert_true(next > 0); /* always progresses */
        o += (size_t)snprintf(out + o, n - o, "%s%.*s", o ? "|" : "", (int)k, s + at);
        at += next;
        assert_true(++guard < 1000);
    }
}

static void words_and_newlines(void **state)
{
    (void)state;
    char out[512];
    wrap_all("Points for a recent bill were not credited.", 16, false, out, sizeof out);
    assert_string_equal(out, "Points for a|recent bill were|not credited.");
    wrap_all("one\ntwo three\n\nfour", 20, false, out, sizeof out);
    assert_string_equal(out, "one|two three||four");
    wrap_all("abcdefghij", 4, false, out, sizeof out);
    assert_string_equal(out, "abcd|efgh|ij");
    wrap_all("exactly ten", 11, false, out, sizeof out);
    assert_string_equal(out, "exactly ten");
    wrap_all("x", 0, false, out, sizeof out); /* width below 1 counts as 1 */
    assert_string_equal(out, "x");
    assert_int_equal(wrap_count("Points for a recent bill were not credited.", 16, false), 3);
    assert_int_equal(wrap_count("", 10, false), 0);
    assert_int_equal(wrap_count(NULL, 10, false), 0);
}

static void wide_and_marks(void **state)
{
    (void)state;
    char out[512];
    /* 山田 is four columns: a line of 5 holds two of them, not three */
    wrap_all("山田山田山田", 5, false, out, sizeof out);
    assert_string_equal(out, "山田|山田|山田");
    /* a double-width character wider than the line still goes out alone */
    wrap_all("山田", 1, false, out, sizeof out);
    assert_string_equal(out, "山|田");
    /* e + combining diaeresis stays together at the break */
    wrap_all("Zoe\xcc\x88Zoe\xcc\x88", 3, false, out, sizeof out);
    assert_string_equal(out, "Zoe\xcc\x88|Zoe\xcc\x88");
    /* in ASCII mode every non-ASCII character is one '?' column */
    wrap_all("山田山田", 2, true, out, sizeof out);
    assert_string_equal(out, "山田|山田");
    /* invalid bytes are one column each and never stall */
    wrap_all("\xff\xfe\xfd\xfc", 2, false, out, sizeof out);
    assert_string_equal(out, "\xff\xfe|\xfd\xfc");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_and_newlines),
        cmocka_unit_test(wide_and_marks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
