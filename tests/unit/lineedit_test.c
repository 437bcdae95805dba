/*
 * lineedit_test.c - the input-field editing buffer (tui/lineedit.c): every
 * key, UTF-8 names (Zoë, 山田), combining marks, the character limit,
 * hostile pastes and the horizontal scrolling of a one-line field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "keymaps/keymap.h"
#include "tui/lineedit.h"
#include "tui/text.h"

#include <stdlib.h>
#include <string.h>

#define ZOE "Zo\xc3\xab"             /* Zoë, precomposed */
#define ZOE_D "Zoe\xcc\x88"          /* Zoë, e + U+0308 */
#define YAMADA "\xe5\xb1\xb1\xe7\x94\xb0" /* 山田 */

/* Helpers */

static void type(struct lineedit *le, const char *utf8)
{
    size_t n = strlen(utf8), i = 0;
    while (i < n) {
        unsigned cp;
        size_t used = text_utf8_decode(utf8 + i, n - i, &cp);
        assert_true(used > 0);
        lineedit_key(le, (int)cp);
        i += used;
    }
}

static void keys(struct lineedit *le, int key, int times)
{
    for (int i = 0; i < times; i++)
        lineedit_key(le, key);
}

/* The invariants lineedit.h promises, checked after every step of the
 * random tests. */
static void check_invariants(const struct lineedit *le)
{
    const char *t = lineedit_text(le);
    size_t n = lineedit_len(le), i = 0, cps = 0;

    assert_int_equal(strlen(t), n);
    while (i < n) {
        unsigned cp;
        size_t used = text_utf8_decode(t + i, n - i, &cp);
        assert_true(used > 0);
        if (cp == '\n')
            assert_true(le->multiline);
        else
            assert_true(text_cp_printable(cp));
        i += used;
        cps++;
    }
    assert_int_equal(lineedit_chars(le), cps);
    if (le->max_chars)
        assert_true(cps <= le->max_chars);
    assert_true(le->cursor <= n);
    if (le->cursor < n) {
        unsigned cp, prev = '\n';
        assert_true(((unsigned char)t[le->cursor] & 0xC0) != 0x80);
        text_utf8_decode(t + le->cursor, n - le->cursor, &cp);
        if (le->cursor > 0) {
            size_t j = le->cursor - 1;
            while (j > 0 && ((unsigned char)t[j] & 0xC0) == 0x80)
                j--;
            text_utf8_decode(t + j, n - j, &prev);
        }
        /* Never between a base and its marks. */
        assert_false(text_cp_width(cp) == 0 && cp != '\n' && prev != '\n' && le->cursor > 0);
    }
}

static enum lineedit_result ins(struct lineedit *le, const char *s)
{
    return lineedit_insert(le, s, strlen(s));
}

static int cols(const char *s, size_t a, size_t b)
{
    return text_width(s + a, b - a, false);
}

/* Basics */

static void test_init_and_done(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 255, false);
    assert_string_equal(lineedit_text(&le), "");
    assert_int_equal(lineedit_len(&le), 0);
    assert_int_equal(lineedit_chars(&le), 0);
    assert_int_equal(le.cursor, 0);
    assert_int_equal(lineedit_key(&le, MC_KEY_LEFT), LINEEDIT_MOVED);
    assert_int_equal(lineedit_key(&le, MC_KEY_BACKSPACE), LINEEDIT_MOVED);
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('w')), LINEEDIT_MOVED);
    type(&le, "abc");
    lineedit_done(&le);
    assert_string_equal(lineedit_text(&le), "");
    assert_int_equal(le.max_chars, 255);
    type(&le, "x");
    assert_string_equal(lineedit_text(&le), "x");
    lineedit_done(&le);
    lineedit_done(&le);
    lineedit_done(NULL);
}

static void test_typing(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 255, false);
    assert_int_equal(lineedit_key(&le, 'a'), LINEEDIT_CHANGED);
    assert_int_equal(lineedit_key(&le, ' '), LINEEDIT_CHANGED);
    assert_int_equal(lineedit_key(&le, 'b'), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "a b");
    assert_int_equal(le.cursor, 3);
    lineedit_set(&le, "");

    type(&le, ZOE);
    assert_string_equal(lineedit_text(&le), ZOE);
    assert_int_equal(lineedit_chars(&le), 3);
    assert_int_equal(lineedit_len(&le), 4);
    type(&le, " " YAMADA);
    assert_string_equal(lineedit_text(&le), ZOE " " YAMADA);
    assert_int_equal(lineedit_chars(&le), 6);
    assert_int_equal(lineedit_len(&le), 11);
    assert_int_equal(lineedit_key(&le, 0x1F600), LINEEDIT_CHANGED);
    assert_int_equal(lineedit_chars(&le), 7);
    /* Insertion happens at the cursor. */
    lineedit_key(&le, MC_KEY_HOME);
    lineedit_key(&le, '>');
    assert_string_equal(lineedit_text(&le), ">" ZOE " " YAMADA "\xf0\x9f\x98\x80");
    assert_int_equal(le.cursor, 1);
    lineedit_done(&le);
}

static void test_ignored_keys(void **state)
{
    static const int ignored[] = {
        MC_KEY_TAB, 9,           MC_KEY_BTAB,   MC_KEY_ESC,    27,     MC_KEY_F1,
        MC_KEY_F12, MC_KEY_PGUP, MC_KEY_PGDN,   MC_KEY_INSERT, MC_KEY_RESIZE,
        MC_KEY_MOUSE, MC_KEY_PASTE_BEGIN, MC_KEY_PASTE_END, MC_KEY_CTRL('c'),
        MC_KEY_CTRL('g'), MC_KEY_CTRL('r'), 0, 0x85, 0x9B, 0x202E, 0x2066, 0xFEFF, 0xD800,
        0xFFFE, 0x110000, -1, 0x7FFFFFFF, MC_KEY_UP, MC_KEY_DOWN, MC_KEY_ENTER, 10, 13,
    };
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 255, false);
    lineedit_set(&le, "abc");
    le.cursor = 1;
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) {
        if (lineedit_key(&le, ignored[i]) != LINEEDIT_IGNORED)
            fail_msg("key %#x was not ignored", (unsigned)ignored[i]);
        assert_string_equal(lineedit_text(&le), "abc");
        assert_int_equal(le.cursor, 1);
    }
    lineedit_done(&le);
}

/* Movement */

static void test_left_right(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 255, false);
    lineedit_set(&le, ZOE " " YAMADA);
    assert_int_equal(le.cursor, 11);
    assert_int_equal(lineedit_key(&le, MC_KEY_LEFT), LINEEDIT_MOVED);
    assert_int_equal(le.cursor, 8); /* before 田 */
    lineedit_key(&le, MC_KEY_LEFT);
    assert_int_equal(le.cursor, 5); /* before 山 */
    keys(&le, MC_KEY_LEFT, 2);
    assert_int_equal(le.cursor, 2); /* before ë */
    keys(&le, MC_KEY_LEFT, 5);
    assert_int_equal(le.cursor, 0);
    lineedit_key(&le, MC_KEY_RIGHT);
    lineedit_key(&le, MC_KEY_RIGHT);
    lineedit_key(&le, MC_KEY_RIGHT);
    assert_int_equal(le.cursor, 4); /* after ë */
    keys(&le, MC_KEY_RIGHT, 10);
    assert_int_equal(le.cursor, 11);
    assert_int_equal(lineedit_key(&le, MC_KEY_RIGHT), LINEEDIT_MOVED);
    lineedit_done(&le);
}

static void test_combining_marks(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 255, false);
    lineedit_set(&le, ZOE_D "y");
    assert_int_equal(lineedit_chars(&le), 5);
    lineedit_key(&le, MC_KEY_LEFT);
    assert_int_equal(le.cursor, 5); /* before y */
    lineedit_key(&le, MC_KEY_LEFT);
    assert_int_equal(le.cursor, 2); /* before e, skipping U+0308 */
    lineedit_key(&le, MC_KEY_RIGHT);
    assert_int_equal(le.cursor, 5);
    /* Backspace takes the letter with its mark. */
    assert_int_equal(lineedit_key(&le, MC_KEY_BACKSPACE), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "Zoy");
    lineedit_set(&le, ZOE_D);
    lineedit_key(&le, MC_KEY_HOME);
    keys(&le, MC_KEY_RIGHT, 2);
    assert_int_equal(lineedit_key(&le, MC_KEY_DELETE), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "Zo");
    /* Several marks and a mark with no base. */
    lineedit_set(&le, "\xcc\x81" "a\xcc\x81\xcc\xa3" "b");
    lineedit_key(&le, MC_KEY_HOME);
    lineedit_key(&le, MC_KEY_RIGHT);
    assert_int_equal(le.cursor, 2);
    lineedit_key(&le, MC_KEY_RIGHT);
    assert_int_equal(le.cursor, 7);
    lineedit_key(&le, MC_KEY_LEFT);
    assert_int_equal(le.cursor, 2);
    /* A mark typed after a letter joins it. */
    lineedit_set(&le, "e");
    lineedit_key(&le, 0x0301);
    assert_string_equal(lineedit_text(&le), "e\xcc\x81");
    lineedit_key(&le, MC_KEY_LEFT);
    assert_int_equal(le.cursor, 0);
    /* Typing before a mark that had no base gives it one: the cursor goes
     * past the joined mark, never between them. */
    lineedit_set(&le, "\xcc\x81" "b");
    lineedit_key(&le, MC_KEY_HOME);
    lineedit_key(&le, 'x');
    assert_string_equal(lineedit_text(&le), "x\xcc\x81" "b");
    assert_int_equal(le.cursor, 3);
    lineedit_done(&le);

    /* Joining lines does the same. */
    lineedit_init(&le, 255, true);
    lineedit_set(&le, "a\n\xcc\x81" "b");
    le.cursor = 1;
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('k')), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "a\xcc\x81" "b");
    assert_int_equal(le.cursor, 3);
    lineedit_set(&le, "a\n\xcc\x81" "b");
    le.cursor = 2;
    lineedit_key(&le, MC_KEY_BACKSPACE);
    assert_string_equal(lineedit_text(&le), "a\xcc\x81" "b");
    assert_int_equal(le.cursor, 3);
    lineedit_done(&le);
}

static void test_home_end(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 255, false);
    lineedit_set(&le, YAMADA " " ZOE);
    assert_int_equal(lineedit_key(&le, MC_KEY_HOME), LINEEDIT_MOVED);
    assert_int_equal(le.cursor, 0);
    assert_int_equal(lineedit_key(&le, MC_KEY_END), LINEEDIT_MOVED);
    assert_int_equal(le.cursor, 11);
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('a')), LINEEDIT_MOVED);
    assert_int_equal(le.cursor, 0);
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('e')), LINEEDIT_MOVED);
    assert_int_equal(le.cursor, 11);
    lineedit_done(&le);
}

/* Deleting */

static void test_backspace_delete(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 255, false);
    lineedit_set(&le, "ab" YAMADA);
    assert_int_equal(lineedit_key(&le, MC_KEY_BACKSPACE), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "ab\xe5\xb1\xb1");
    assert_int_equal(lineedit_key(&le, 8), LINEEDIT_CHANGED); /* C-h */
    assert_string_equal(lineedit_text(&le), "ab");
    assert_int_equal(lineedit_key(&le, 127), LINEEDIT_CHANGED); /* DEL */
    assert_string_equal(lineedit_text(&le), "a");
    assert_int_equal(lineedit_chars(&le), 1);

    lineedit_set(&le, YAMADA "cd");
    lineedit_key(&le, MC_KEY_HOME);
    assert_int_equal(lineedit_key(&le, MC_KEY_DELETE), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "\xe7\x94\xb0" "cd");
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('d')), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "cd");
    assert_int_equal(le.cursor, 0);
    assert_int_equal(lineedit_key(&le, MC_KEY_BACKSPACE), LINEEDIT_MOVED);
    lineedit_key(&le, MC_KEY_END);
    assert_int_equal(lineedit_key(&le, MC_KEY_DELETE), LINEEDIT_MOVED);
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('d')), LINEEDIT_MOVED);
    assert_string_equal(lineedit_text(&le), "cd");
    lineedit_done(&le);
}

static void test_kill_keys(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 255, false);

    lineedit_set(&le, "hello world");
    le.cursor = 5;
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('k')), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "hello");
    assert_int_equal(le.cursor, 5);
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('k')), LINEEDIT_MOVED);

    lineedit_set(&le, "hello world");
    le.cursor = 6;
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('u')), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "world");
    assert_int_equal(le.cursor, 0);
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('u')), LINEEDIT_MOVED);

    lineedit_set(&le, "foo bar  ");
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('w')), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "foo ");
    lineedit_key(&le, MC_KEY_CTRL('w'));
    assert_string_equal(lineedit_text(&le), "");
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('w')), LINEEDIT_MOVED);

    lineedit_set(&le, "foo bar");
    le.cursor = 6;
    lineedit_key(&le, MC_KEY_CTRL('w'));
    assert_string_equal(lineedit_text(&le), "foo r");
    assert_int_equal(le.cursor, 4);

    lineedit_set(&le, ZOE " " YAMADA);
    lineedit_key(&le, MC_KEY_CTRL('w'));
    assert_string_equal(lineedit_text(&le), ZOE " ");
    assert_int_equal(lineedit_chars(&le), 4);
    lineedit_done(&le);
}

/* Multiline */

static void test_multiline(void **state)
{
    struct lineedit le;
    size_t line;
    int col;
    (void)state;
    lineedit_init(&le, 255, true);
    type(&le, "abc");
    assert_int_equal(lineedit_key(&le, MC_KEY_ENTER), LINEEDIT_CHANGED);
    type(&le, "de");
    assert_int_equal(lineedit_key(&le, 13), LINEEDIT_CHANGED);
    type(&le, "fghij");
    assert_string_equal(lineedit_text(&le), "abc\nde\nfghij");
    lineedit_cursor_pos(&le, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 5);

    /* Up/Down keep the column they started from. */
    assert_int_equal(lineedit_key(&le, MC_KEY_UP), LINEEDIT_MOVED);
    assert_int_equal(le.cursor, 6); /* end of "de" */
    lineedit_key(&le, MC_KEY_UP);
    assert_int_equal(le.cursor, 3); /* end of "abc" */
    assert_int_equal(lineedit_key(&le, MC_KEY_UP), LINEEDIT_IGNORED);
    lineedit_key(&le, MC_KEY_DOWN);
    assert_int_equal(le.cursor, 6);
    lineedit_key(&le, MC_KEY_DOWN);
    assert_int_equal(le.cursor, 12);
    assert_int_equal(lineedit_key(&le, MC_KEY_DOWN), LINEEDIT_IGNORED);

    /* Home/End work on the current line. */
    lineedit_key(&le, MC_KEY_UP);
    lineedit_key(&le, MC_KEY_HOME);
    assert_int_equal(le.cursor, 4);
    lineedit_key(&le, MC_KEY_CTRL('e'));
    assert_int_equal(le.cursor, 6);
    lineedit_cursor_pos(&le, &line, &col);
    assert_int_equal(line, 1);
    assert_int_equal(col, 2);

    /* C-k at the end of a line joins the next one; C-u stops at the line start. */
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('k')), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "abc\ndefghij");
    lineedit_key(&le, MC_KEY_CTRL('k'));
    assert_string_equal(lineedit_text(&le), "abc\nde");
    lineedit_key(&le, MC_KEY_CTRL('u'));
    assert_string_equal(lineedit_text(&le), "abc\n");
    assert_int_equal(lineedit_key(&le, MC_KEY_CTRL('u')), LINEEDIT_MOVED);
    /* Backspace joins lines. */
    lineedit_key(&le, MC_KEY_BACKSPACE);
    assert_string_equal(lineedit_text(&le), "abc");
    lineedit_done(&le);
}

static void test_multiline_wide_columns(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 255, true);
    lineedit_set(&le, YAMADA "\nabcd");
    lineedit_key(&le, MC_KEY_LEFT); /* "abc|d": column 3 */
    lineedit_key(&le, MC_KEY_UP);
    /* Column 3 falls inside 田 (columns 2-3): stop before it. */
    assert_int_equal(le.cursor, 3);
    lineedit_key(&le, MC_KEY_DOWN);
    assert_int_equal(le.cursor, 10);
    lineedit_done(&le);
}

/* The limit */

static void test_limit(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 5, false);
    type(&le, "abcd");
    assert_int_equal(lineedit_key(&le, 'e'), LINEEDIT_CHANGED);
    assert_int_equal(lineedit_key(&le, 'f'), LINEEDIT_FULL);
    assert_string_equal(lineedit_text(&le), "abcde");
    lineedit_key(&le, MC_KEY_HOME);
    assert_int_equal(lineedit_key(&le, 'x'), LINEEDIT_FULL);
    assert_string_equal(lineedit_text(&le), "abcde");
    /* Editing keys still work at the limit. */
    assert_int_equal(lineedit_key(&le, MC_KEY_DELETE), LINEEDIT_CHANGED);
    assert_int_equal(lineedit_key(&le, 'x'), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "xbcde");

    /* The limit counts characters, not bytes. */
    lineedit_set(&le, "");
    type(&le, YAMADA YAMADA);
    assert_int_equal(lineedit_key(&le, 0x5C71), LINEEDIT_CHANGED);
    assert_int_equal(lineedit_key(&le, 0x5C71), LINEEDIT_FULL);
    assert_int_equal(lineedit_chars(&le), 5);
    assert_int_equal(lineedit_len(&le), 15);

    /* Pastes stop at the limit. */
    lineedit_set(&le, "ab");
    assert_int_equal(lineedit_insert(&le, "cdefgh", 6), LINEEDIT_FULL);
    assert_string_equal(lineedit_text(&le), "abcde");
    assert_int_equal(lineedit_set(&le, ZOE YAMADA "xyz"), LINEEDIT_FULL);
    assert_string_equal(lineedit_text(&le), ZOE YAMADA);
    assert_int_equal(le.cursor, lineedit_len(&le));
    lineedit_done(&le);

    /* 255, as for notes; '\n' counts in a multiline field. */
    lineedit_init(&le, 255, true);
    for (int i = 0; i < 254; i++)
        lineedit_key(&le, 'n');
    assert_int_equal(lineedit_key(&le, MC_KEY_ENTER), LINEEDIT_CHANGED);
    assert_int_equal(lineedit_key(&le, MC_KEY_ENTER), LINEEDIT_FULL);
    assert_int_equal(lineedit_chars(&le), 255);
    lineedit_done(&le);
}

/* Pastes */

static void test_paste_filtering(void **state)
{
    static const char nul[] = "a\0b";
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 0, false);

    assert_int_equal(ins(&le, "line1\r\nline2\tx\x1b[2J"), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "line1line2 x[2J");
    lineedit_set(&le, "");
    ins(&le, "\x1b]52;c;aGVsbG8=\x07");
    assert_string_equal(lineedit_text(&le), "]52;c;aGVsbG8=");
    lineedit_set(&le, "");
    lineedit_insert(&le, nul, 3);
    assert_string_equal(lineedit_text(&le), "ab");
    lineedit_set(&le, "");
    /* Invalid UTF-8 of every kind is dropped. */
    ins(&le, "a\xc3" "b\xc0\xaf" "c\xed\xa0\x80" "d\xf4\x90\x80\x80" "e\xff\x80" "f");
    assert_string_equal(lineedit_text(&le), "abcdef");
    lineedit_set(&le, "");
    /* C1, bidi controls and invisible format characters too. */
    ins(&le, "x\xc2\x9b" "y\xe2\x80\xae" "z\xef\xbb\xbf" "w\xe2\x81\xa6" "v");
    assert_string_equal(lineedit_text(&le), "xyzwv");
    /* Nothing acceptable: nothing changes. */
    lineedit_set(&le, "k");
    assert_int_equal(ins(&le, "\x1b\x07\r\n"), LINEEDIT_MOVED);
    assert_int_equal(lineedit_insert(&le, NULL, 4), LINEEDIT_MOVED);
    assert_int_equal(lineedit_insert(&le, "abc", 0), LINEEDIT_MOVED);
    assert_string_equal(lineedit_text(&le), "k");
    lineedit_done(&le);

    lineedit_init(&le, 0, true);
    ins(&le, "one\r\ntwo\rthree\nfour\t!");
    assert_string_equal(lineedit_text(&le), "one\ntwo\nthree\nfour !");
    lineedit_done(&le);
}

static void test_paste_middle(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 0, false);
    lineedit_set(&le, "Mr  Yamada");
    le.cursor = 3;
    assert_int_equal(lineedit_insert(&le, YAMADA, 6), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "Mr " YAMADA " Yamada");
    assert_int_equal(le.cursor, 9);
    assert_int_equal(lineedit_chars(&le), 12);
    lineedit_done(&le);
}

static void test_paste_long(void **state)
{
    struct lineedit le;
    char *big = malloc(30001);
    (void)state;
    assert_non_null(big);
    memset(big, 'x', 10000);
    lineedit_init(&le, 255, false);
    assert_int_equal(lineedit_insert(&le, big, 10000), LINEEDIT_FULL);
    assert_int_equal(lineedit_chars(&le), 255);
    lineedit_done(&le);

    lineedit_init(&le, 0, false);
    assert_int_equal(lineedit_insert(&le, big, 10000), LINEEDIT_CHANGED);
    assert_int_equal(lineedit_chars(&le), 10000);
    for (int i = 0; i < 10000; i++)
        memcpy(big + 3 * i, "\xe5\xb1\xb1", 3);
    big[30000] = '\0';
    lineedit_set(&le, big);
    assert_int_equal(lineedit_chars(&le), 10000);
    assert_int_equal(lineedit_len(&le), 30000);
    check_invariants(&le);
    lineedit_done(&le);
    free(big);
}

static void test_set(void **state)
{
    struct lineedit le;
    (void)state;
    lineedit_init(&le, 10, false);
    assert_int_equal(lineedit_set(&le, "hello"), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "hello");
    assert_int_equal(le.cursor, 5);
    assert_int_equal(lineedit_set(&le, NULL), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "");
    assert_int_equal(le.cursor, 0);
    assert_int_equal(lineedit_set(&le, "a\nb"), LINEEDIT_CHANGED);
    assert_string_equal(lineedit_text(&le), "ab");
    lineedit_done(&le);
}

/* The one-line view */

static void view(struct lineedit *le, int width, size_t *first, int *col)
{
    lineedit_view(le, width, first, col);
    /* The cursor column is measured from first, and the cursor cell fits. */
    assert_true(*first <= le->cursor);
    assert_int_equal(*col, cols(lineedit_text(le), *first, le->cursor));
}

static void test_view_scrolls(void **state)
{
    struct lineedit le;
    size_t first;
    int col;
    (void)state;
    lineedit_init(&le, 0, false);
    lineedit_set(&le, "abcdefghijklmnop");
    view(&le, 10, &first, &col);
    assert_int_equal(first, 7);
    assert_int_equal(col, 9);

    /* Moving inside the view does not scroll. */
    keys(&le, MC_KEY_LEFT, 9);
    view(&le, 10, &first, &col);
    assert_int_equal(first, 7);
    assert_int_equal(col, 0);
    /* One past the left edge scrolls by one. */
    lineedit_key(&le, MC_KEY_LEFT);
    view(&le, 10, &first, &col);
    assert_int_equal(first, 6);
    assert_int_equal(col, 0);
    lineedit_key(&le, MC_KEY_HOME);
    view(&le, 10, &first, &col);
    assert_int_equal(first, 0);
    assert_int_equal(col, 0);
    /* Moving right scrolls only at the right edge. */
    keys(&le, MC_KEY_RIGHT, 9);
    view(&le, 10, &first, &col);
    assert_int_equal(first, 0);
    assert_int_equal(col, 9);
    lineedit_key(&le, MC_KEY_RIGHT);
    view(&le, 10, &first, &col);
    assert_int_equal(first, 1);
    assert_int_equal(col, 9);

    /* Deleting from the end scrolls back so the field stays full. */
    lineedit_key(&le, MC_KEY_END);
    view(&le, 10, &first, &col);
    assert_int_equal(first, 7);
    keys(&le, MC_KEY_BACKSPACE, 5);
    view(&le, 10, &first, &col);
    assert_int_equal(first, 2);
    assert_int_equal(col, 9);
    lineedit_key(&le, MC_KEY_CTRL('u'));
    view(&le, 10, &first, &col);
    assert_int_equal(first, 0);
    assert_int_equal(col, 0);

    /* Text that fits never scrolls. */
    lineedit_set(&le, "short");
    view(&le, 10, &first, &col);
    assert_int_equal(first, 0);
    assert_int_equal(col, 5);
    lineedit_done(&le);
}

static void test_view_wide(void **state)
{
    struct lineedit le;
    size_t first;
    int col;
    (void)state;
    lineedit_init(&le, 0, false);
    lineedit_set(&le, "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e"); /* 山田太郎 */
    /* 5 columns: the caret needs one, so two wide characters show. */
    view(&le, 5, &first, &col);
    assert_int_equal(first, 6);
    assert_int_equal(col, 4);
    /* 6 columns: still two, a third would need 7 with the caret. */
    lineedit_set(&le, "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e");
    view(&le, 6, &first, &col);
    assert_int_equal(first, 6);
    assert_int_equal(col, 4);
    /* A wide character under the cursor shows whole. */
    lineedit_key(&le, MC_KEY_LEFT); /* on 郎 */
    view(&le, 3, &first, &col);
    assert_int_equal(first, 9);
    assert_int_equal(col, 0);
    /* Widening to 4 does not bring 太 back: 太郎 and the caret column
     * after the text need 5. At 5 it does. */
    view(&le, 4, &first, &col);
    assert_int_equal(first, 9);
    assert_int_equal(col, 0);
    view(&le, 5, &first, &col);
    assert_int_equal(first, 6);
    assert_int_equal(col, 2);
    /* Too narrow for even the cursor character: start at the cursor. */
    view(&le, 1, &first, &col);
    assert_int_equal(first, 9);
    assert_int_equal(col, 0);
    view(&le, 0, &first, &col);
    assert_int_equal(first, 9);
    assert_int_equal(col, 0);
    /* Mixed: "a山b" in 3 columns with the caret at the end. */
    lineedit_set(&le, "a\xe5\xb1\xb1" "b");
    view(&le, 3, &first, &col);
    assert_int_equal(first, 4);
    assert_int_equal(col, 1);
    lineedit_done(&le);

    lineedit_init(&le, 0, false);
    view(&le, 10, &first, &col);
    assert_int_equal(first, 0);
    assert_int_equal(col, 0);
    lineedit_done(&le);
}

static void test_view_combining(void **state)
{
    struct lineedit le;
    size_t first;
    int col;
    (void)state;
    lineedit_init(&le, 0, false);
    lineedit_set(&le, "e\xcc\x81" "e\xcc\x81" "e\xcc\x81" "e\xcc\x81");
    view(&le, 3, &first, &col);
    /* Two letters and the caret; first is a letter, not a mark. */
    assert_int_equal(first, 6);
    assert_int_equal(col, 2);
    lineedit_done(&le);
}

/* Random editing: whatever the keys and pastes, the invariants hold and
 * the view keeps the cursor cell inside the field. */
static void test_random_editing(void **state)
{
    static const int keyset[] = {
        'a', ' ', 0xEB, 0x5C71, 0x0301, 0x1F600, MC_KEY_LEFT, MC_KEY_RIGHT, MC_KEY_HOME,
        MC_KEY_END, MC_KEY_BACKSPACE, MC_KEY_DELETE, MC_KEY_CTRL('k'), MC_KEY_CTRL('u'),
        MC_KEY_CTRL('w'), MC_KEY_CTRL('d'), MC_KEY_UP, MC_KEY_DOWN, MC_KEY_ENTER, 13, 8, 127,
        MC_KEY_TAB, 27, 0x202E, 0x85,
    };
    static const char *const pastes[] = {
        "x\r\ny", "\x1b[2J", YAMADA, ZOE_D, "\xc3", "\xcc\x81\xcc\x81", "\t\t", "a\nb\nc",
    };
    uint32_t seed = 7;
    (void)state;
    for (int round = 0; round < 300; round++) {
        struct lineedit le;
        bool multiline = round % 2;
        size_t max = round % 3 == 0 ? 0 : (size_t)(round % 40) + 1;
        lineedit_init(&le, max, multiline);
        for (int step = 0; step < 200; step++) {
            size_t first;
            int col, width;
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % 10 == 0) {
                const char *p = pastes[(seed >> 8) % (sizeof pastes / sizeof pastes[0])];
                lineedit_insert(&le, p, strlen(p));
            } else {
                lineedit_key(&le, keyset[(seed >> 8) % (sizeof keyset / sizeof keyset[0])]);
            }
            check_invariants(&le);
            width = (int)((seed >> 20) % 12) + 2;
            lineedit_view(&le, width, &first, &col);
            assert_true(first <= le.cursor);
            assert_int_equal(col, cols(lineedit_text(&le), first, le.cursor));
            assert_true(col <= width - 1);
            if (first < lineedit_len(&le))
                assert_true(((unsigned char)lineedit_text(&le)[first] & 0xC0) != 0x80);
        }
        lineedit_done(&le);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_and_done),
        cmocka_unit_test(test_typing),
        cmocka_unit_test(test_ignored_keys),
        cmocka_unit_test(test_left_right),
        cmocka_unit_test(test_combining_marks),
        cmocka_unit_test(test_home_end),
        cmocka_unit_test(test_backspace_delete),
        cmocka_unit_test(test_kill_keys),
        cmocka_unit_test(test_multiline),
        cmocka_unit_test(test_multiline_wide_columns),
        cmocka_unit_test(test_limit),
        cmocka_unit_test(test_paste_filtering),
        cmocka_unit_test(test_paste_middle),
        cmocka_unit_test(test_paste_long),
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_view_scrolls),
        cmocka_unit_test(test_view_wide),
        cmocka_unit_test(test_view_combining),
        cmocka_unit_test(test_random_editing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
