/*
 * keymap_test.c - the action table, key names, the key-file parser and the
 * pinned default bindings (keymaps/).
 *
 * The default keymap is part of the user interface: a test here fails when
 * a default binding the documentation and the help screen promise changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "keymaps/keymap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Helpers */

static struct keymap *defaults(void)
{
    char err[256] = "x";
    struct keymap *km = keymap_new();
    assert_non_null(km);
    assert_int_equal(keymap_load_defaults(km, err, sizeof err), 0);
    assert_string_equal(err, "");
    return km;
}

static int parse(struct keymap *km, const char *text, char *err, size_t errsz)
{
    return keymap_parse(km, text, strlen(text), "keys", err, errsz);
}

static void assert_printable_ascii(const char *s)
{
    for (; *s; s++)
        assert_true(*s >= ' ' && *s < 0x7f);
}

/* Action and context tables */

static void test_action_table(void **state)
{
    (void)state;
    for (int a = 0; a < ACTION_COUNT; a++) {
        const struct action_info *ai = action_info((enum action)a);
        assert_non_null(ai);
        assert_int_equal(ai->action, a);
        assert_non_null(ai->name);
        assert_true(strlen(ai->description) > 0);
        assert_int_equal(action_by_name(ai->name), a);
        for (int b = 0; b < a; b++)
            assert_string_not_equal(action_info((enum action)b)->name, ai->name);
    }
    assert_null(action_info(ACTION_COUNT));
    assert_null(action_info((enum action)-1));
    assert_int_equal(action_by_name("none"), ACTION_NONE);
    assert_int_equal(action_by_name("move-down"), ACTION_DOWN);
    assert_int_equal(action_by_name("Move-Down"), ACTION_COUNT);
    assert_int_equal(action_by_name(""), ACTION_COUNT);
    assert_int_equal(action_by_name(NULL), ACTION_COUNT);
    assert_true(action_info(ACTION_GOODWILL)->flags & ACT_WRITE);
    assert_int_equal(action_info(ACTION_LEDGER)->flags, ACT_SAFE);
}

static void test_context_table(void **state)
{
    (void)state;
    for (int c = 0; c < CTX_COUNT; c++) {
        const char *name = key_context_name((enum key_context)c);
        assert_non_null(name);
        assert_int_equal(key_context_by_name(name), c);
    }
    assert_string_equal(key_context_name(CTX_GENERIC), "generic");
    assert_string_equal(key_context_name(CTX_CUSTOMER), "customer");
    assert_null(key_context_name(CTX_COUNT));
    assert_int_equal(key_context_by_name("Generic"), CTX_COUNT);
    assert_int_equal(key_context_by_name("nope"), CTX_COUNT);
    assert_int_equal(key_context_by_name(NULL), CTX_COUNT);
}

/* Key names */

static void test_key_parse_names(void **state)
{
    static const struct {
        const char *name;
        int key;
    } cases[] = {
        {"j", 'j'},
        {"G", 'G'},
        {"?", '?'},
        {"/", '/'},
        {":", ':'},
        {"<", '<'},
        {"#", '#'},
        {"Hash", '#'},
        {"Space", ' '},
        {"Enter", MC_KEY_ENTER},
        {"Esc", MC_KEY_ESC},
        {"Tab", MC_KEY_TAB},
        {"S-Tab", MC_KEY_BTAB},
        {"Backspace", MC_KEY_BACKSPACE},
        {"Delete", MC_KEY_DELETE},
        {"Insert", MC_KEY_INSERT},
        {"Up", MC_KEY_UP},
        {"Down", MC_KEY_DOWN},
        {"Left", MC_KEY_LEFT},
        {"Right", MC_KEY_RIGHT},
        {"Home", MC_KEY_HOME},
        {"End", MC_KEY_END},
        {"PgUp", MC_KEY_PGUP},
        {"PgDn", MC_KEY_PGDN},
        {"F1", MC_KEY_F1},
        {"F5", MC_KEY_F1 + 4},
        {"F10", MC_KEY_F1 + 9},
        {"F12", MC_KEY_F12},
        {"C-a", 1},
        {"C-r", 18},
        {"C-z", 26},
        {"C-R", 18},
        {"C-@", 0},
        {"C-_", 31},
        /* The control codes a terminal cannot tell apart from named keys. */
        {"C-h", MC_KEY_BACKSPACE},
        {"C-i", MC_KEY_TAB},
        {"C-m", MC_KEY_ENTER},
        {"C-j", MC_KEY_ENTER},
        /* Aliases and case. */
        {"enter", MC_KEY_ENTER},
        {"ESC", MC_KEY_ESC},
        {"Escape", MC_KEY_ESC},
        {"PageDown", MC_KEY_PGDN},
        {"f5", MC_KEY_F1 + 4},
        {"F", 'F'},
        {"f", 'f'},
        {"C", 'C'},
        /* Any character is its own key. */
        {"\xc3\xa9", 0xE9},             /* é */
        {"\xe5\xb1\xb1", 0x5C71},       /* 山 */
        {"\xf0\x9f\x98\x80", 0x1F600},  /* 😀 */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (key_parse(cases[i].name) != cases[i].key)
            fail_msg("key_parse(\"%s\") = %d, want %d", cases[i].name,
                     key_parse(cases[i].name), cases[i].key);
    }
}

static void test_key_parse_rejects(void **state)
{
    static const char *const bad[] = {
        "",
        "F0",
        "F13",
        "F01",
        "F1x",
        "C-",
        "C-1",
        "C-ab",
        "C-\xc3\xa9",
        "jj",
        "Ctrl-r",
        "Super",
        "\x1b",               /* raw ESC */
        "\x01",               /* raw C-a */
        "\x7f",               /* DEL */
        "\t",
        "\xc3",               /* truncated */
        "\xc0\xaf",           /* overlong '/' */
        "\xe0\x80\xaf",       /* overlong '/' */
        "\xf0\x80\x80\xaf",   /* overlong '/' */
        "\xed\xa0\x80",       /* surrogate */
        "\xf4\x90\x80\x80",   /* above U+10FFFF */
        "\xf8\x88\x80\x80\x80",
        "\xff",
        "\x80",
        "\xc2\x85",           /* C1 NEL */
        "\xc3\xa9\xc3\xa9",   /* two characters */
        " j",
        "j ",
    };
    (void)state;
    assert_int_equal(key_parse(NULL), -1);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (key_parse(bad[i]) != -1)
            fail_msg("key_parse accepted bad name #%zu", i);
    }
}

static void test_key_name(void **state)
{
    char buf[32];
    (void)state;
    assert_string_equal(key_to_name('j', buf, sizeof buf), "j");
    assert_string_equal(key_to_name(' ', buf, sizeof buf), "Space");
    assert_string_equal(key_to_name('#', buf, sizeof buf), "#");
    assert_string_equal(key_to_name(MC_KEY_ENTER, buf, sizeof buf), "Enter");
    assert_string_equal(key_to_name(MC_KEY_PGDN, buf, sizeof buf), "PgDn");
    assert_string_equal(key_to_name(MC_KEY_BTAB, buf, sizeof buf), "S-Tab");
    assert_string_equal(key_to_name(MC_KEY_F1 + 4, buf, sizeof buf), "F5");
    assert_string_equal(key_to_name(MC_KEY_F12, buf, sizeof buf), "F12");
    assert_string_equal(key_to_name(18, buf, sizeof buf), "C-r");
    assert_string_equal(key_to_name(0, buf, sizeof buf), "C-@");
    assert_string_equal(key_to_name(28, buf, sizeof buf), "C-\\");
    /* Raw codes get the name of the key people pressed. */
    assert_string_equal(key_to_name(8, buf, sizeof buf), "Backspace");
    assert_string_equal(key_to_name(127, buf, sizeof buf), "Backspace");
    assert_string_equal(key_to_name(9, buf, sizeof buf), "Tab");
    assert_string_equal(key_to_name(10, buf, sizeof buf), "Enter");
    assert_string_equal(key_to_name(13, buf, sizeof buf), "Enter");
    assert_string_equal(key_to_name(27, buf, sizeof buf), "Esc");
    assert_string_equal(key_to_name(0x5C71, buf, sizeof buf), "\xe5\xb1\xb1");
    /* Not bindable: a name key_parse refuses. */
    key_to_name(MC_KEY_RESIZE, buf, sizeof buf);
    assert_int_equal(buf[0], '<');
    assert_int_equal(key_parse(buf), -1);
    key_to_name(0x85, buf, sizeof buf);
    assert_int_equal(key_parse(buf), -1);
    key_to_name(-5, buf, sizeof buf);
    assert_int_equal(key_parse(buf), -1);
    /* Small buffers: always terminated, never a partial character. */
    assert_string_equal(key_to_name(MC_KEY_BACKSPACE, buf, 4), "Bac");
    assert_string_equal(key_to_name(0x5C71, buf, 3), "");
    assert_string_equal(key_to_name('j', NULL, 0), "");
}

static void test_key_name_round_trip(void **state)
{
    char buf[32];
    (void)state;
    for (int k = 0; k < 0x3000; k++) {
        int canon = key_canonical(k);
        int back;
        key_to_name(k, buf, sizeof buf);
        back = key_parse(buf);
        if (buf[0] == '<')
            continue;
        if (back != canon)
            fail_msg("key %#x -> \"%s\" -> %#x", (unsigned)k, buf, (unsigned)back);
    }
    for (int k = MC_KEY_BASE; k < MC_KEY_RESIZE; k++) {
        key_to_name(k, buf, sizeof buf);
        assert_int_equal(key_parse(buf), k);
    }
    assert_int_equal(key_parse(key_to_name(0x1F600, buf, sizeof buf)), 0x1F600);
}

static void test_key_canonical(void **state)
{
    (void)state;
    assert_int_equal(key_canonical(8), MC_KEY_BACKSPACE);
    assert_int_equal(key_canonical(127), MC_KEY_BACKSPACE);
    assert_int_equal(key_canonical(9), MC_KEY_TAB);
    assert_int_equal(key_canonical(10), MC_KEY_ENTER);
    assert_int_equal(key_canonical(13), MC_KEY_ENTER);
    assert_int_equal(key_canonical(27), MC_KEY_ESC);
    assert_int_equal(key_canonical(18), 18);
    assert_int_equal(key_canonical('a'), 'a');
    assert_int_equal(key_canonical(MC_KEY_UP), MC_KEY_UP);
}

/* Default bindings */

static void test_defaults_parse(void **state)
{
    struct keymap *km;
    (void)state;
    assert_true(keymap_default_len > 0);
    assert_int_equal(keymap_default_text[keymap_default_len], '\0');
    assert_int_equal(strlen(keymap_default_text), keymap_default_len);
    km = defaults();
    keymap_free(&km);
    assert_null(km);
}

/* The embedded text is exactly keymaps/default.keys. */
static void test_defaults_match_file(void **state)
{
    const char *fixtures = getenv("MC_FIXTURES");
    char path[4096];
    char *buf;
    FILE *f;
    size_t n;
    (void)state;
    assert_non_null(fixtures);
    snprintf(path, sizeof path, "%s/../../keymaps/default.keys", fixtures);
    f = fopen(path, "rb");
    assert_non_null(f);
    buf = malloc(keymap_default_len + 2);
    assert_non_null(buf);
    n = fread(buf, 1, keymap_default_len + 2, f);
    fclose(f);
    assert_int_equal(n, keymap_default_len);
    assert_memory_equal(buf, keymap_default_text, n);
    free(buf);
}

static void test_defaults_pinned(void **state)
{
    struct keymap *km = defaults();
    (void)state;

    /* generic */
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'j'), ACTION_DOWN);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'k'), ACTION_UP);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_DOWN), ACTION_DOWN);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_UP), ACTION_UP);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_PGDN), ACTION_PAGE_DOWN);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_CTRL('f')), ACTION_PAGE_DOWN);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_PGUP), ACTION_PAGE_UP);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_CTRL('b')), ACTION_PAGE_UP);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'g'), ACTION_FIRST);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'G'), ACTION_LAST);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_HOME), ACTION_FIRST);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_END), ACTION_LAST);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'h'), ACTION_LEFT);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_RIGHT), ACTION_RIGHT);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_ENTER), ACTION_OPEN);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'q'), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_ESC), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'Q'), ACTION_QUIT);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, '?'), ACTION_HELP);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_F1), ACTION_HELP);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, ':'), ACTION_COMMAND);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, '/'), ACTION_FILTER);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'n'), ACTION_FIND_NEXT);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'N'), ACTION_FIND_PREV);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_CTRL('r')), ACTION_REFRESH);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_F1 + 4), ACTION_REFRESH);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_F1 + 1), ACTION_SEARCH);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_F1 + 8), ACTION_REQUESTS);
    /* Deliberately unbound: Space marks rows, l is the ledger key. */
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, ' '), ACTION_NONE);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'l'), ACTION_NONE);
    for (int c = 0; c < CTX_COUNT; c++)
        assert_int_equal(keymap_lookup(km, (enum key_context)c, ' '), ACTION_NONE);

    /* Raw terminal codes reach the same bindings. */
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 13), ACTION_OPEN);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 10), ACTION_OPEN);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 27), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 18), ACTION_REFRESH);

    /* customer */
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'l'), ACTION_LEDGER);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'c'), ACTION_COUPONS);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 't'), ACTION_TICKETS);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'n'), ACTION_NOTES);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'g'), ACTION_GOODWILL);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, MC_KEY_HOME), ACTION_FIRST);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, MC_KEY_F1 + 2), ACTION_LEDGER);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, MC_KEY_F1 + 3), ACTION_COUPONS);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, MC_KEY_F1 + 5), ACTION_TICKETS);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'j'), ACTION_DOWN);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'q'), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'Q'), ACTION_QUIT);
    /* The customer letters stay on the customer screen. */
    assert_int_equal(keymap_lookup(km, CTX_LEDGER, 'n'), ACTION_FIND_NEXT);
    assert_int_equal(keymap_lookup(km, CTX_LEDGER, 'g'), ACTION_FIRST);
    assert_int_equal(keymap_lookup(km, CTX_LEDGER, 'c'), ACTION_NONE);

    /* results and help */
    assert_int_equal(keymap_lookup(km, CTX_RESULTS, 'e'), ACTION_EDIT_QUERY);
    assert_int_equal(keymap_lookup(km, CTX_RESULTS, MC_KEY_TAB), ACTION_NONE);
    assert_int_equal(keymap_lookup(km, CTX_HELP, '?'), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_HELP, 'q'), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_HELP, MC_KEY_ESC), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_HELP, MC_KEY_F1), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_HELP, 'j'), ACTION_DOWN);
    keymap_free(&km);
}

struct reach {
    bool seen[ACTION_COUNT];
};

static void mark_reached(void *ud, int key, enum action a)
{
    struct reach *r = ud;
    (void)key;
    r->seen[a] = true;
}

/* Every core action has a default key somewhere (screen-specific actions
 * may be reachable from the `:` prompt only). */
static void test_defaults_cover_core_actions(void **state)
{
    struct keymap *km = defaults();
    struct reach r;
    (void)state;
    memset(&r, 0, sizeof r);
    for (int c = 0; c < CTX_COUNT; c++)
        keymap_foreach(km, (enum key_context)c, mark_reached, &r);
    for (int a = 1; a <= ACTION_REQUESTS; a++)
        if (!r.seen[a])
            fail_msg("action '%s' has no default key", action_info((enum action)a)->name);
    keymap_free(&km);
}

/* Parser */

static void test_parse_syntax(void **state)
{
    char err[256];
    struct keymap *km = keymap_new();
    const char *text = "# comment\n"
                       "\n"
                       "   \t  \n"
                       "  # indented comment\n"
                       "bind generic x quit\n"
                       "bind\tgeneric\ty\t\thelp   # trailing comment\n"
                       "bind generic z help#not-a-comment-start\n"
                       "bind generic w back\r\n"
                       "bind customer \xc3\xb6 ledger\n"
                       "bind generic Hash refresh\n"
                       "bind generic v open"; /* no newline at EOF */
    (void)state;
    /* `help#...` is one word: an unknown action. */
    assert_int_equal(parse(km, text, err, sizeof err), -1);
    assert_string_equal(err, "keys:7: unknown action 'help#not-a-comment-start'");
    keymap_free(&km);

    km = keymap_new();
    text = "# comment\n"
           "\n"
           "   \t  \n"
           "  # indented comment\n"
           "bind generic x quit\n"
           "bind\tgeneric\ty\t\thelp   # trailing comment\n"
           "bind generic w back\r\n"
           "bind customer \xc3\xb6 ledger\n"
           "bind generic Hash refresh\n"
           "bind generic v open";
    assert_int_equal(parse(km, text, err, sizeof err), 0);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'x'), ACTION_QUIT);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'y'), ACTION_HELP);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'w'), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 0xF6), ACTION_LEDGER);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 0xF6), ACTION_NONE);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, '#'), ACTION_REFRESH);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'v'), ACTION_OPEN);
    keymap_free(&km);
}

static void test_parse_empty(void **state)
{
    char err[64] = "x";
    struct keymap *km = keymap_new();
    (void)state;
    assert_int_equal(keymap_parse(km, "", 0, "keys", err, sizeof err), 0);
    assert_int_equal(keymap_parse(km, NULL, 0, "keys", err, sizeof err), 0);
    assert_int_equal(parse(km, "\n\n\r\n#\n", err, sizeof err), 0);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'q'), ACTION_NONE);
    keymap_free(&km);
}

static void test_parse_override_and_unbind(void **state)
{
    char err[256];
    struct keymap *km = defaults();
    (void)state;
    assert_int_equal(parse(km,
                           "bind generic j move-up\n"
                           "bind generic j page-down\n"
                           "bind customer q none\n"
                           "bind generic Q none\n"
                           "bind generic C-x none\n",
                           err, sizeof err),
                     0);
    /* Later lines win. */
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'j'), ACTION_PAGE_DOWN);
    /* `none` in a context hides the generic binding there only. */
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'q'), ACTION_NONE);
    assert_int_equal(keymap_lookup(km, CTX_LEDGER, 'q'), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'q'), ACTION_BACK);
    /* `none` in generic removes it everywhere that does not bind it. */
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'Q'), ACTION_NONE);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'Q'), ACTION_NONE);
    /* A later generic binding does not undo the context's `none`. */
    assert_int_equal(parse(km, "bind generic q quit\n", err, sizeof err), 0);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'q'), ACTION_NONE);
    assert_int_equal(keymap_lookup(km, CTX_LEDGER, 'q'), ACTION_QUIT);
    /* Binding it again in the context brings it back. */
    assert_int_equal(parse(km, "bind customer q back\n", err, sizeof err), 0);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'q'), ACTION_BACK);
    /* Raw codes bind through their names. */
    assert_int_equal(parse(km, "bind generic C-h help\n", err, sizeof err), 0);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 8), ACTION_HELP);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 127), ACTION_HELP);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_BACKSPACE), ACTION_HELP);
    keymap_free(&km);
}

static void test_parse_errors(void **state)
{
    static const struct {
        const char *text;
        const char *err;
    } cases[] = {
        {"bind generic j foo\n", "keys:1: unknown action 'foo'"},
        {"\n# x\nbind generic j foo", "keys:3: unknown action 'foo'"},
        {"bind nowhere j back\n", "keys:1: unknown context 'nowhere'"},
        {"bind generic Ctrl-x back\n", "keys:1: unknown key 'Ctrl-x'"},
        {"bind generic F13 back\n", "keys:1: unknown key 'F13'"},
        {"bind generic j\n", "keys:1: too few words: expected 'bind CONTEXT KEY ACTION'"},
        {"bind\n", "keys:1: too few words: expected 'bind CONTEXT KEY ACTION'"},
        {"bind generic j back now\n",
         "keys:1: too many words: expected 'bind CONTEXT KEY ACTION'"},
        {"unbind generic j\n",
         "keys:1: unknown command 'unbind' (expected 'bind CONTEXT KEY ACTION')"},
        {"Bind generic j back\n",
         "keys:1: unknown command 'Bind' (expected 'bind CONTEXT KEY ACTION')"},
        {"bind generic j Back\n", "keys:1: unknown action 'Back'"},
        {"bind generic \xc3 back\n", "keys:1: unknown key '?'"},
        {"bind generic \xc0\xaf back\n", "keys:1: unknown key '?\?'"},
        {"bind generic \xed\xa0\x80 back\n", "keys:1: unknown key '?\?\?'"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char err[256] = "";
        struct keymap *km = keymap_new();
        assert_int_equal(parse(km, cases[i].text, err, sizeof err), -1);
        assert_string_equal(err, cases[i].err);
        keymap_free(&km);
    }
}

static void test_parse_error_keeps_earlier_lines(void **state)
{
    char err[256];
    struct keymap *km = keymap_new();
    (void)state;
    assert_int_equal(parse(km, "bind generic a quit\nbind generic b bogus\nbind generic c help\n",
                           err, sizeof err),
                     -1);
    assert_string_equal(err, "keys:2: unknown action 'bogus'");
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'a'), ACTION_QUIT);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'c'), ACTION_NONE);
    keymap_free(&km);
}

static void test_parse_hostile_words(void **state)
{
    char err[256];
    char word[300];
    char text[400];
    struct keymap *km = keymap_new();
    (void)state;

    /* Escape sequences in a word are not echoed to the terminal. */
    assert_int_equal(parse(km, "bind generic j \x1b[2J\x1b]52;c;aGk=\x07\n", err, sizeof err),
                     -1);
    assert_string_equal(err, "keys:1: unknown action '?[2J?]52;c;aGk=?'");
    assert_int_equal(parse(km, "bind generic j \xe2\x80\xae" "back\n", err, sizeof err), -1);
    assert_string_equal(err, "keys:1: unknown action '?\?\?back'");
    assert_int_equal(parse(km, "bind \x9b" "2J j back\n", err, sizeof err), -1);
    assert_printable_ascii(err);

    /* Long words are cut. */
    memset(word, 'x', 200);
    word[200] = '\0';
    snprintf(text, sizeof text, "bind generic j %s\n", word);
    assert_int_equal(parse(km, text, err, sizeof err), -1);
    assert_true(strlen(err) < 80);
    assert_non_null(strstr(err, "xxx...'"));

    /* A tiny or absent error buffer is fine. */
    assert_int_equal(parse(km, "bind generic j nope\n", err, 5), -1);
    assert_string_equal(err, "keys");
    assert_int_equal(parse(km, "bind generic j nope\n", NULL, 0), -1);
    keymap_free(&km);
}

static void test_parse_nul_byte(void **state)
{
    static const char text[] = "bind generic a quit\nbind generic b\0 quit\n";
    char err[128];
    struct keymap *km = keymap_new();
    (void)state;
    assert_int_equal(keymap_parse(km, text, sizeof text - 1, "keys", err, sizeof err), -1);
    assert_string_equal(err, "keys:2: NUL byte in line");
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'a'), ACTION_QUIT);
    keymap_free(&km);
}

static void test_parse_limits(void **state)
{
    char err[128];
    char *text;
    size_t big = 1024 * 1024 + 1;
    struct keymap *km = keymap_new();
    (void)state;

    /* A 1024-byte line is fine, 1025 is not (the newline does not count). */
    text = malloc(2100);
    assert_non_null(text);
    memset(text, ' ', 1025);
    memcpy(text, "bind generic j quit", 19);
    text[1024] = '\n';
    assert_int_equal(keymap_parse(km, text, 1025, "keys", err, sizeof err), 0);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'j'), ACTION_QUIT);
    memset(text, ' ', 1026);
    memcpy(text, "bind generic k quit", 19);
    text[1025] = '\n';
    assert_int_equal(keymap_parse(km, text, 1026, "keys", err, sizeof err), -1);
    assert_string_equal(err, "keys:1: line too long (limit 1024 bytes)");
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'k'), ACTION_NONE);
    /* The CR of a CRLF line end does not count either. */
    text[1024] = '\r';
    assert_int_equal(keymap_parse(km, text, 1026, "keys", err, sizeof err), 0);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'k'), ACTION_QUIT);
    free(text);

    /* Over 1 MiB is refused before anything is applied. */
    text = malloc(big);
    assert_non_null(text);
    memset(text, '\n', big);
    memcpy(text, "bind generic x quit\n", 20);
    assert_int_equal(keymap_parse(km, text, big, "keys", err, sizeof err), -1);
    assert_string_equal(err, "keys: file too large (limit 1048576 bytes)");
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'x'), ACTION_NONE);
    assert_int_equal(keymap_parse(km, text, big - 1, "keys", err, sizeof err), 0);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'x'), ACTION_QUIT);
    free(text);
    keymap_free(&km);
}

/* Many bindings in one context stay sorted and findable. */
static void test_many_bindings(void **state)
{
    char err[128];
    char line[64];
    struct keymap *km = keymap_new();
    (void)state;
    /* Bind in a scrambled order. */
    for (int i = 0; i < 500; i++) {
        int cp = 0x4E00 + (i * 37) % 500;
        char name[8];
        key_to_name(cp, name, sizeof name);
        snprintf(line, sizeof line, "bind ledger %s %s\n", name, i % 2 ? "open" : "back");
        assert_int_equal(parse(km, line, err, sizeof err), 0);
    }
    for (int i = 0; i < 500; i++) {
        int cp = 0x4E00 + (i * 37) % 500;
        assert_int_equal(keymap_lookup(km, CTX_LEDGER, cp), i % 2 ? ACTION_OPEN : ACTION_BACK);
    }
    assert_int_equal(keymap_lookup(km, CTX_LEDGER, 0x4E00 + 500), ACTION_NONE);
    keymap_free(&km);
}

/* Iteration */

struct collected {
    int keys[128];
    enum action actions[128];
    size_t n;
};

static void collect(void *ud, int key, enum action a)
{
    struct collected *c = ud;
    assert_true(c->n < 128);
    c->keys[c->n] = key;
    c->actions[c->n] = a;
    c->n++;
}

static void test_foreach(void **state)
{
    char err[128];
    struct collected c;
    struct keymap *km = keymap_new();
    (void)state;
    assert_int_equal(parse(km,
                           "bind customer F3 ledger\n"
                           "bind customer l ledger\n"
                           "bind customer \xe5\xb1\xb1 notes\n"
                           "bind customer c coupons\n"
                           "bind customer q none\n"
                           "bind generic j move-down\n",
                           err, sizeof err),
                     0);

    /* Own bindings only, in key order, without the `none` entries. */
    memset(&c, 0, sizeof c);
    keymap_foreach(km, CTX_CUSTOMER, collect, &c);
    assert_int_equal(c.n, 4);
    assert_int_equal(c.keys[0], 'c');
    assert_int_equal(c.actions[0], ACTION_COUPONS);
    assert_int_equal(c.keys[1], 'l');
    assert_int_equal(c.actions[1], ACTION_LEDGER);
    assert_int_equal(c.keys[2], 0x5C71);
    assert_int_equal(c.actions[2], ACTION_NOTES);
    assert_int_equal(c.keys[3], MC_KEY_F1 + 2);
    assert_int_equal(c.actions[3], ACTION_LEDGER);

    memset(&c, 0, sizeof c);
    keymap_foreach(km, CTX_GENERIC, collect, &c);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.keys[0], 'j');

    memset(&c, 0, sizeof c);
    keymap_foreach(km, CTX_SEARCH, collect, &c);
    keymap_foreach(km, CTX_COUNT, collect, &c);
    keymap_foreach(NULL, CTX_GENERIC, collect, &c);
    keymap_foreach(km, CTX_GENERIC, NULL, &c);
    assert_int_equal(c.n, 0);
    keymap_free(&km);

    /* The defaults come out sorted too. */
    km = defaults();
    for (int ctx = 0; ctx < CTX_COUNT; ctx++) {
        memset(&c, 0, sizeof c);
        keymap_foreach(km, (enum key_context)ctx, collect, &c);
        for (size_t i = 1; i < c.n; i++)
            assert_true(c.keys[i - 1] < c.keys[i]);
    }
    keymap_free(&km);
}

static void test_keys_for(void **state)
{
    char buf[128];
    char err[128];
    struct keymap *km = defaults();
    (void)state;
    assert_string_equal(keymap_keys_for(km, CTX_GENERIC, ACTION_BACK, buf, sizeof buf), "q, Esc");
    assert_string_equal(keymap_keys_for(km, CTX_LEDGER, ACTION_BACK, buf, sizeof buf), "q, Esc");
    assert_string_equal(keymap_keys_for(km, CTX_GENERIC, ACTION_REFRESH, buf, sizeof buf),
                        "C-r, F5");
    assert_string_equal(keymap_keys_for(km, CTX_CUSTOMER, ACTION_LEDGER, buf, sizeof buf), "l, F3");
    assert_string_equal(keymap_keys_for(km, CTX_GENERIC, ACTION_LEDGER, buf, sizeof buf), "");
    /* g is goodwill on the customer screen, so only Home is left. */
    assert_string_equal(keymap_keys_for(km, CTX_CUSTOMER, ACTION_FIRST, buf, sizeof buf), "Home");
    assert_string_equal(keymap_keys_for(km, CTX_GENERIC, ACTION_FIRST, buf, sizeof buf), "g, Home");
    /* The context's own keys come first, then generic ones it does not shadow. */
    assert_string_equal(keymap_keys_for(km, CTX_HELP, ACTION_BACK, buf, sizeof buf),
                        "?, q, Esc, F1");
    assert_string_equal(keymap_keys_for(km, CTX_HELP, ACTION_HELP, buf, sizeof buf), "");
    assert_string_equal(keymap_keys_for(km, CTX_GENERIC, ACTION_NONE, buf, sizeof buf), "");
    assert_string_equal(keymap_keys_for(km, CTX_GENERIC, ACTION_COUNT, buf, sizeof buf), "");

    assert_int_equal(parse(km, "bind customer q none\nbind customer C-x back\n", err, sizeof err),
                     0);
    assert_string_equal(keymap_keys_for(km, CTX_CUSTOMER, ACTION_BACK, buf, sizeof buf),
                        "C-x, Esc");

    /* Cut between names, never inside one. */
    assert_string_equal(keymap_keys_for(km, CTX_HELP, ACTION_BACK, buf, 5), "?, q");
    assert_string_equal(keymap_keys_for(km, CTX_HELP, ACTION_BACK, buf, 9), "?, q");
    assert_string_equal(keymap_keys_for(km, CTX_HELP, ACTION_BACK, buf, 10), "?, q, Esc");
    assert_string_equal(keymap_keys_for(km, CTX_HELP, ACTION_BACK, buf, 1), "");
    assert_string_equal(keymap_keys_for(km, CTX_HELP, ACTION_BACK, NULL, 0), "");
    keymap_free(&km);
}

static void test_lookup_edges(void **state)
{
    struct keymap *km = defaults();
    (void)state;
    assert_int_equal(keymap_lookup(NULL, CTX_GENERIC, 'q'), ACTION_NONE);
    /* An out-of-range context behaves like generic. */
    assert_int_equal(keymap_lookup(km, CTX_COUNT, 'q'), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, (enum key_context)-1, 'q'), ACTION_BACK);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, -1), ACTION_NONE);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, MC_KEY_RESIZE), ACTION_NONE);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 0x7FFFFFFF), ACTION_NONE);
    keymap_free(&km);
    keymap_free(&km);
    keymap_free(NULL);
}

/* Files */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mc-keymap-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void test_load_file(void **state)
{
    char path[128], err[256];
    struct keymap *km = defaults();
    (void)state;

    snprintf(path, sizeof path, "%s/missing", tmpdir);
    assert_int_equal(keymap_load_file(km, path, err, sizeof err), 0);
    assert_int_equal(keymap_load_file(km, NULL, err, sizeof err), 0);

    snprintf(path, sizeof path, "%s/keys", tmpdir);
    write_file(path, "bind customer q none\r\nbind generic x quit", 41);
    assert_int_equal(keymap_load_file(km, path, err, sizeof err), 0);
    assert_int_equal(keymap_lookup(km, CTX_CUSTOMER, 'q'), ACTION_NONE);
    assert_int_equal(keymap_lookup(km, CTX_GENERIC, 'x'), ACTION_QUIT);

    write_file(path, "\nbind generic x frobnicate\n", 27);
    assert_int_equal(keymap_load_file(km, path, err, sizeof err), -1);
    assert_true(strncmp(err, path, strlen(path)) == 0);
    assert_string_equal(err + strlen(path), ":2: unknown action 'frobnicate'");

    /* A directory or a FIFO is refused, and the FIFO does not block. */
    assert_int_equal(keymap_load_file(km, tmpdir, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file"));
    snprintf(path, sizeof path, "%s/fifo", tmpdir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(keymap_load_file(km, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file"));
    keymap_free(&km);
}

static void test_load_file_too_large(void **state)
{
    char path[128], err[256];
    size_t big = 1024 * 1024 + 10;
    char *text = malloc(big);
    struct keymap *km = keymap_new();
    (void)state;
    assert_non_null(text);
    memset(text, '#', big);
    text[big - 1] = '\n';
    snprintf(path, sizeof path, "%s/big", tmpdir);
    write_file(path, text, big);
    free(text);
    assert_int_equal(keymap_load_file(km, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "file too large"));
    keymap_free(&km);
}

/* Random input never crashes the parser, and every error it reports is a
 * single printable line that names the file. */
static void test_parse_random_input(void **state)
{
    static const char *const words[] = {"bind", "generic", "customer", "j", "C-r", "F5",
                                        "none", "back", "#", "\x1b", "\xc3\xa9", "\r",
                                        "\xff", "\t", "\0", " ", "\n", "help"};
    uint32_t seed = 12345;
    char text[512];
    char err[256];
    (void)state;
    for (int round = 0; round < 5000; round++) {
        struct keymap *km = keymap_new();
        size_t len = 0;
        int rc;
        while (len < sizeof text - 16) {
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 5 == 0) {
                text[len++] = (char)(seed >> 8);
            } else {
                const char *w = words[(seed >> 16) % (sizeof words / sizeof words[0])];
                size_t wl = w[0] ? strlen(w) : 1;
                memcpy(text + len, w, wl);
                len += wl;
                text[len++] = ' ';
            }
            if ((seed >> 24) % 7 == 0)
                break;
        }
        err[0] = '\0';
        rc = keymap_parse(km, text, len, "fuzz", err, sizeof err);
        assert_true(rc == 0 || rc == -1);
        if (rc == -1) {
            assert_true(strncmp(err, "fuzz:", 5) == 0);
            assert_printable_ascii(err);
        }
        keymap_free(&km);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_action_table),
        cmocka_unit_test(test_context_table),
        cmocka_unit_test(test_key_parse_names),
        cmocka_unit_test(test_key_parse_rejects),
        cmocka_unit_test(test_key_name),
        cmocka_unit_test(test_key_name_round_trip),
        cmocka_unit_test(test_key_canonical),
        cmocka_unit_test(test_defaults_parse),
        cmocka_unit_test(test_defaults_match_file),
        cmocka_unit_test(test_defaults_pinned),
        cmocka_unit_test(test_defaults_cover_core_actions),
        cmocka_unit_test(test_parse_syntax),
        cmocka_unit_test(test_parse_empty),
        cmocka_unit_test(test_parse_override_and_unbind),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_parse_error_keeps_earlier_lines),
        cmocka_unit_test(test_parse_hostile_words),
        cmocka_unit_test(test_parse_nul_byte),
        cmocka_unit_test(test_parse_limits),
        cmocka_unit_test(test_many_bindings),
        cmocka_unit_test(test_foreach),
        cmocka_unit_test(test_keys_for),
        cmocka_unit_test(test_lookup_edges),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_load_file_too_large),
        cmocka_unit_test(test_parse_random_input),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
