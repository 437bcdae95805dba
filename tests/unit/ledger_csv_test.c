/*
 * ledger_csv_test.c - the CSV writer against RFC 4180: plain fields,
 * quoting of commas, quotes, CR, LF and edge spaces, empty and NULL
 * fields, CRLF record ends, UTF-8 kept as is, and a failing stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "views/ledger_csv.h"

static char *write_rows(const char *const *fields, size_t n, size_t per_row)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    struct csv c;
    csv_begin(&c, f);
    for (size_t i = 0; i < n; i++) {
        csv_field(&c, fields[i]);
        if ((i + 1) % per_row == 0)
            csv_end_row(&c);
    }
    assert_false(c.failed);
    fclose(f);
    return buf;
}

static void plain_and_quoted(void **state)
{
    (void)state;
    const char *fields[] = {"event_id", "date", "store",
                            "42", "2025-06-21T13:34:16", "Store, \"Main\" branch",
                            "7", NULL, "two\r\nlines",
                            "", " padded", "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m \xe5\xb1\xb1\xe7\x94\xb0"};
    char *out = write_rows(fields, 12, 3);
    assert_string_equal(out, "event_id,date,store\r\n"
                             "42,2025-06-21T13:34:16,\"Store, \"\"Main\"\" branch\"\r\n"
                             "7,,\"two\r\nlines\"\r\n"
                             ",\" padded\",Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m \xe5\xb1\xb1\xe7\x94\xb0\r\n");
    free(out);
}

static void needs_quotes(void **state)
{
    (void)state;
    assert_false(csv_needs_quotes(NULL));
    assert_false(csv_needs_quotes(""));
    assert_false(csv_needs_quotes("-120.5"));
    assert_false(csv_needs_quotes("a b"));
    assert_true(csv_needs_quotes("a,b"));
    assert_true(csv_needs_quotes("\""));
    assert_true(csv_needs_quotes("a\n"));
    assert_true(csv_needs_quotes("a\r"));
    assert_true(csv_needs_quotes("trailing "));
    assert_true(csv_needs_quotes(" leading"));
}

static void failing_stream(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    setvbuf(f, NULL, _IONBF, 0);
    struct csv c;
    csv_begin(&c, f);
    csv_field(&c, "x");
    csv_end_row(&c);
    assert_true(c.failed);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_and_quoted),
        cmocka_unit_test(needs_quotes),
        cmocka_unit_test(failing_stream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
