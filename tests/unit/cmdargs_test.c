/*
 * cmdargs_test.c - the command-line grammar shared by `:` and --batch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tui/cmdargs.h"

static void words_are_split_on_blanks(void **state)
{
    (void)state;
    struct cmd_words w;
    char err[128];
    const char *line = "  find   919845000001\t ";
    size_t end = cmd_split(line, &w, err, sizeof err);
    assert_int_equal(end, strlen(line));
    assert_int_equal(w.argc, 2);
    assert_string_equal(w.argv[0], "find");
    assert_string_equal(w.argv[1], "919845000001");
    assert_null(w.argv[2]);
    cmd_words_free(&w);
}

static void quotes_group_and_escape(void **state)
{
    (void)state;
    struct cmd_words w;
    char err[128];
    const char *line = "goodwill 500 SERVICE \"late \\\"delivery\\\"; sorry\" 'a b'c d\\ e";
    assert_int_equal(cmd_split(line, &w, err, sizeof err), strlen(line));
    assert_int_equal(w.argc, 6);
    assert_string_equal(w.argv[3], "late \"delivery\"; sorry");
    assert_string_equal(w.argv[4], "a bc");
    assert_string_equal(w.argv[5], "d e");
    cmd_words_free(&w);

    assert_int_equal(cmd_split("x \"\"", &w, err, sizeof err), 4);
    assert_int_equal(w.argc, 2);
    assert_string_equal(w.argv[1], "");
    cmd_words_free(&w);
}

static void semicolons_chain_commands(void **state)
{
    (void)state;
    struct cmd_words w;
    char err[128];
    const char *line = "requests status=pending;approve ; ;quit";
    size_t at = cmd_split(line, &w, err, sizeof err);
    assert_int_equal(w.argc, 2);
    assert_string_equal(w.argv[1], "status=pending");
    cmd_words_free(&w);
    at += cmd_split(line + at, &w, err, sizeof err);
    assert_int_equal(w.argc, 1);
    assert_string_equal(w.argv[0], "approve");
    cmd_words_free(&w);
    at += cmd_split(line + at, &w, err, sizeof err);
    assert_int_equal(w.argc, 0);
    at += cmd_split(line + at, &w, err, sizeof err);
    assert_int_equal(w.argc, 1);
    assert_string_equal(w.argv[0], "quit");
    cmd_words_free(&w);
    assert_int_equal(at, strlen(line));
}

static void comments_end_the_line(void **state)
{
    (void)state;
    struct cmd_words w;
    char err[128];
    assert_int_equal(cmd_split("# a comment; quit", &w, err, sizeof err), 17);
    assert_int_equal(w.argc, 0);
    assert_int_equal(cmd_split("coupon A#1 # note", &w, err, sizeof err), 17);
    assert_int_equal(w.argc, 2);
    assert_string_equal(w.argv[1], "A#1");
    cmd_words_free(&w);
}

static void bad_lines_are_refused(void **state)
{
    (void)state;
    struct cmd_words w;
    char err[128];
    assert_int_equal(cmd_split("find \"open", &w, err, sizeof err), (size_t)-1);
    assert_string_equal(err, "a quote is not closed");
    assert_int_equal(w.argc, 0);
    assert_int_equal(cmd_split("find \x1b[31m", &w, err, sizeof err), (size_t)-1);
    assert_int_equal(w.argc, 0);

    char many[CMD_MAX_WORDS * 2 + 8];
    size_t n = 0;
    for (int i = 0; i <= CMD_MAX_WORDS; i++) {
        many[n++] = 'x';
        many[n++] = ' ';
    }
    many[n] = '\0';
    assert_int_equal(cmd_split(many, &w, err, sizeof err), (size_t)-1);
    assert_string_equal(err, "too many words in one command");
    assert_int_equal(w.argc, 0);

    static char huge[CMD_MAX_LINE + 2];
    memset(huge, 'a', sizeof huge - 1);
    assert_int_equal(cmd_split(huge, &w, err, sizeof err), (size_t)-1);
}

static void quoting_round_trips(void **state)
{
    (void)state;
    const char *words[] = {"plain", "two words", "say \"hi\"", "a;b", "", "back\\slash"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        char q[128], err[128];
        cmd_quote(words[i], q, sizeof q);
        struct cmd_words w;
        assert_int_equal(cmd_split(q, &w, err, sizeof err), strlen(q));
        assert_int_equal(w.argc, 1);
        assert_string_equal(w.argv[0], words[i]);
        cmd_words_free(&w);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_are_split_on_blanks),
        cmocka_unit_test(quotes_group_and_escape),
        cmocka_unit_test(semicolons_chain_commands),
        cmocka_unit_test(comments_end_the_line),
        cmocka_unit_test(bad_lines_are_refused),
        cmocka_unit_test(quoting_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
