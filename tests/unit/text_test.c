/*
 * text_test.c - sanitising, display width, fitting and number formatting
 * (tui/text.c), with the hostile inputs a server or a file can send.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tui/text.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FFFD "\xef\xbf\xbd"
#define ELL "\xe2\x80\xa6"
#define PIC_ESC "\xe2\x90\x9b"  /* U+241B */
#define PIC_BEL "\xe2\x90\x87"  /* U+2407 */
#define PIC_NUL "\xe2\x90\x80"  /* U+2400 */
#define PIC_DEL "\xe2\x90\xa1"  /* U+2421 */

/* Helpers */

static char out[65536];

static int fit(const char *s, int maxcols, bool ascii)
{
    return text_fit(s, strlen(s), maxcols, ascii, out, sizeof out);
}

static int fitn(const char *s, size_t n, int maxcols, bool ascii)
{
    return text_fit(s, n, maxcols, ascii, out, sizeof out);
}

/* Every byte of s forms valid UTF-8 and no code point is a control, C1,
 * bidi or invisible format character. */
static void assert_safe(const char *s)
{
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned cp;
        size_t used = text_utf8_decode(s + i, n - i, &cp);
        if (used == 0)
            fail_msg("invalid UTF-8 at byte %zu", i);
        if (!text_cp_printable(cp))
            fail_msg("unsafe code point U+%04X at byte %zu", cp, i);
        i += used;
    }
}

static uint32_t rng_state = 2463534242u;

static uint32_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* UTF-8 decoding and encoding */

static void test_decode_valid(void **state)
{
    static const struct {
        const char *s;
        size_t len;
        unsigned cp;
    } cases[] = {
        {"A", 1, 0x41},
        {"\x7f", 1, 0x7F},
        {"\xc2\x80", 2, 0x80},
        {"\xc3\xab", 2, 0xEB},
        {"\xdf\xbf", 2, 0x7FF},
        {"\xe0\xa0\x80", 3, 0x800},
        {"\xe5\xb1\xb1", 3, 0x5C71},
        {"\xed\x9f\xbf", 3, 0xD7FF},
        {"\xee\x80\x80", 3, 0xE000},
        {"\xef\xbf\xbf", 3, 0xFFFF},
        {"\xf0\x90\x80\x80", 4, 0x10000},
        {"\xf0\x9f\x98\x80", 4, 0x1F600},
        {"\xf4\x8f\xbf\xbf", 4, 0x10FFFF},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned cp = 0;
        assert_int_equal(text_utf8_decode(cases[i].s, cases[i].len, &cp), cases[i].len);
        assert_int_equal(cp, cases[i].cp);
        /* Only the first sequence is consumed. */
        char buf[8];
        memcpy(buf, cases[i].s, cases[i].len);
        buf[cases[i].len] = 'x';
        assert_int_equal(text_utf8_decode(buf, cases[i].len + 1, &cp), cases[i].len);
    }
    /* NUL is a character like any other here. */
    {
        unsigned cp = 99;
        assert_int_equal(text_utf8_decode("\0", 1, &cp), 1);
        assert_int_equal(cp, 0);
    }
}

static void test_decode_invalid(void **state)
{
    static const struct {
        const char *s;
        size_t len;
    } cases[] = {
        {"\x80", 1},                 /* lone continuation */
        {"\xbf", 1},
        {"\xc0\x80", 2},             /* overlong NUL */
        {"\xc1\xbf", 2},             /* overlong DEL */
        {"\xe0\x80\x80", 3},         /* overlong 3-byte */
        {"\xe0\x9f\xbf", 3},         /* overlong U+07FF */
        {"\xf0\x80\x80\x80", 4},     /* overlong 4-byte */
        {"\xf0\x8f\xbf\xbf", 4},     /* overlong U+FFFF */
        {"\xed\xa0\x80", 3},         /* U+D800 */
        {"\xed\xbf\xbf", 3},         /* U+DFFF */
        {"\xf4\x90\x80\x80", 4},     /* U+110000 */
        {"\xf5\x80\x80\x80", 4},
        {"\xf8\x88\x80\x80\x80", 5}, /* old 5-byte form */
        {"\xfc\x84\x80\x80\x80\x80", 6},
        {"\xfe", 1},
        {"\xff", 1},
        {"\xc3", 1},                 /* truncated */
        {"\xe2\x82", 2},
        {"\xf0\x9f\x98", 3},
        {"\xc3\x41", 2},             /* bad continuation */
        {"\xe2\x28\xa1", 3},
        {"\xf0\x9f\x28\x80", 4},
    };
    unsigned cp = 12345;
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (text_utf8_decode(cases[i].s, cases[i].len, &cp) != 0)
            fail_msg("case %zu decoded", i);
    assert_int_equal(text_utf8_decode("A", 0, &cp), 0);
    assert_int_equal(text_utf8_decode(NULL, 5, &cp), 0);
    /* A valid sequence cut short by n. */
    assert_int_equal(text_utf8_decode("\xe5\xb1\xb1", 2, &cp), 0);
    assert_int_equal(cp, 12345);
}

/* Every code point encodes and decodes back; every surrogate and
 * out-of-range value encodes as U+FFFD. */
static void test_utf8_round_trip_all(void **state)
{
    char buf[4];
    (void)state;
    for (unsigned cp = 0; cp <= 0x10FFFF; cp++) {
        unsigned back = 0;
        size_t n = text_utf8_encode(cp, buf);
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            assert_int_equal(n, 3);
            assert_memory_equal(buf, FFFD, 3);
            continue;
        }
        assert_int_equal(n, cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);
        if (text_utf8_decode(buf, n, &back) != n || back != cp)
            fail_msg("U+%04X does not round-trip", cp);
    }
    assert_int_equal(text_utf8_encode(0x110000, buf), 3);
    assert_memory_equal(buf, FFFD, 3);
    assert_int_equal(text_utf8_encode(0xFFFFFFFFu, buf), 3);
}

/* Every two-byte input is either a valid 2-byte character by the book or
 * rejected (or a 1-byte character followed by anything). */
static void test_decode_all_two_byte_inputs(void **state)
{
    (void)state;
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            char s[2] = {(char)a, (char)b};
            unsigned cp;
            size_t n = text_utf8_decode(s, 2, &cp);
            if (a < 0x80)
                assert_int_equal(n, 1);
            else if (a >= 0xC2 && a <= 0xDF && (b & 0xC0) == 0x80)
                assert_int_equal(n, 2);
            else
                assert_int_equal(n, 0);
        }
    }
}

/* Widths */

static void test_cp_width(void **state)
{
    static const struct {
        unsigned cp;
        int w;
    } cases[] = {
        {'a', 1},      {0xE9, 1},    {0x00AD, 1},  {0x02FF, 1},  {0x0300, 0},  {0x0301, 0},
        {0x0308, 0},   {0x036F, 0},  {0x0370, 1},  {0x0483, 0},  {0x05D0, 1},  {0x0591, 0},
        {0x0E31, 0},   {0x1100, 2},  {0x115F, 2},  {0x1160, 0},  {0x11FF, 0},  {0x1200, 1},
        {0x200B, 0},   {0x200D, 0},  {0x20D0, 0},  {0x2400, 1},  {0x2E80, 2},  {0x3000, 2},
        {0x3042, 2},   {0x3099, 0},  {0x4E00, 2},  {0x5C71, 2},  {0x7530, 2},  {0x9FFF, 2},
        {0xA4C6, 2},   {0xA4D0, 1},  {0xAC00, 2},  {0xD55C, 2},  {0xD7A3, 2},  {0xD7B0, 0},
        {0xF900, 2},   {0xFE00, 0},  {0xFE0F, 0},  {0xFE30, 2},  {0xFEFF, 0},  {0xFF01, 2},
        {0xFF21, 2},   {0xFF60, 2},  {0xFF61, 1},  {0xFFE0, 2},  {0xFFFD, 1},  {0x1F300, 2},
        {0x1F600, 2},  {0x1F64F, 2}, {0x1F680, 2}, {0x1F90C, 2}, {0x1F9FF, 2}, {0x20000, 2},
        {0x2A6D6, 2},  {0x3FFFD, 2}, {0x40000, 1}, {0xE0001, 0}, {0xE0100, 0}, {0xE01EF, 0},
        {0x10FFFF, 1}, {0x1B, 1},    {0x110000, 1},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (text_cp_width(cases[i].cp) != cases[i].w)
            fail_msg("width(U+%04X) = %d, want %d", cases[i].cp, text_cp_width(cases[i].cp),
                     cases[i].w);
    for (unsigned cp = 0x20; cp < 0x7F; cp++)
        assert_int_equal(text_cp_width(cp), 1);
    for (unsigned cp = 0xAC00; cp <= 0xD7A3; cp++)
        assert_int_equal(text_cp_width(cp), 2);
}

static void test_cp_printable(void **state)
{
    static const unsigned unsafe[] = {
        0x00,   0x07,   0x09,   0x0A,   0x1B,   0x1F,   0x7F,    0x80,    0x85,    0x9B,
        0x9F,   0x061C, 0x180E, 0x200E, 0x200F, 0x2028,  0x2029,  0x202A,  0x202B,
        0x202C, 0x202D, 0x202E, 0x2060, 0x2066, 0x2067,  0x2068,  0x2069,  0x206F,
        0xD800, 0xDFFF, 0xFDD0, 0xFDEF, 0xFEFF, 0xFFF9,  0xFFFB,  0xFFFE,  0xFFFF,
        0x1FFFE, 0x10FFFF, 0xE0001, 0xE0041, 0xE007F, 0x110000, 0xFFFFFFFFu,
    };
    static const unsigned safe[] = {
        ' ',    'a',    '~',    0xA0,   0xAD,   0xE9,   0x0301,  0x200B,  0x200C,  0x200D,
        0x2400, 0x2421, 0x5C71, 0xFDCF, 0xFDF0, 0xFE0F, 0xFFFD,  0x1F600, 0xE0100, 0x10FFFD,
    };
    (void)state;
    for (size_t i = 0; i < sizeof unsafe / sizeof unsafe[0]; i++)
        if (text_cp_printable(unsafe[i]))
            fail_msg("U+%04X should not be printable", unsafe[i]);
    for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++)
        if (!text_cp_printable(safe[i]))
            fail_msg("U+%04X should be printable", safe[i]);
}

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(text_width("", 0, false), 0);
    assert_int_equal(text_width(NULL, 10, false), 0);
    assert_int_equal(text_width("hello", 5, false), 5);
    assert_int_equal(text_width("Zo\xc3\xab", 4, false), 3);        /* Zoë precomposed */
    assert_int_equal(text_width("Zoe\xcc\x88", 5, false), 3);       /* Zoë decomposed */
    assert_int_equal(text_width("\xe5\xb1\xb1\xe7\x94\xb0", 6, false), 4); /* 山田 */
    assert_int_equal(text_width("\xe5\xb1\xb1\xe7\x94\xb0", 6, true), 2);
    assert_int_equal(text_width("\x1b[2J", 4, false), 4);
    assert_int_equal(text_width("a\tb\nc", 5, false), 5);
    /* Only len bytes count, even past a NUL. */
    assert_int_equal(text_width("ab\0cd", 5, false), 5);
    assert_int_equal(text_width("abcdef", 3, false), 3);
}

/* Fitting */

static void test_fit_plain(void **state)
{
    (void)state;
    assert_int_equal(fit("hello", 10, false), 5);
    assert_string_equal(out, "hello");
    assert_int_equal(fit("hello", 5, false), 5);
    assert_string_equal(out, "hello");
    assert_int_equal(fit("hello", 4, false), 4);
    assert_string_equal(out, "hel" ELL);
    assert_int_equal(fit("hello", 4, true), 4);
    assert_string_equal(out, "hel~");
    assert_int_equal(fit("hello", 1, false), 1);
    assert_string_equal(out, ELL);
    assert_int_equal(fit("hello", 0, false), 0);
    assert_string_equal(out, "");
    assert_int_equal(fit("hello", -1, false), 5);
    assert_string_equal(out, "hello");
    assert_int_equal(fit("", 5, false), 0);
    assert_string_equal(out, "");
    assert_int_equal(text_fit(NULL, 3, 5, false, out, sizeof out), 0);
    assert_string_equal(out, "");
    /* Nothing to write into. */
    assert_int_equal(text_fit("abc", 3, 5, false, NULL, 0), 0);
    out[0] = 'z';
    assert_int_equal(text_fit("abc", 3, 5, false, out, 0), 0);
    assert_int_equal(out[0], 'z');
}

static void test_fit_controls(void **state)
{
    (void)state;
    /* Clear-screen: ESC becomes a visible picture, the rest is text. */
    assert_int_equal(fit("\x1b[2J", -1, false), 4);
    assert_string_equal(out, PIC_ESC "[2J");
    assert_int_equal(fit("\x1b[2J", -1, true), 4);
    assert_string_equal(out, "?[2J");
    /* OSC 52 (clipboard write), terminated by BEL or ST. */
    fit("\x1b]52;c;SGVsbG8=\x07", -1, false);
    assert_string_equal(out, PIC_ESC "]52;c;SGVsbG8=" PIC_BEL);
    fit("\x1b]52;c;SGVsbG8=\x1b\\", -1, false);
    assert_string_equal(out, PIC_ESC "]52;c;SGVsbG8=" PIC_ESC "\\");
    /* Title change and 8-bit CSI, as UTF-8 C1 and as a raw byte. */
    fit("\x1b]0;pwned\x07", -1, false);
    assert_string_equal(out, PIC_ESC "]0;pwned" PIC_BEL);
    fit("\xc2\x9b" "31m", -1, false);
    assert_string_equal(out, FFFD "31m");
    fit("\x9b" "31m", -1, false);
    assert_string_equal(out, FFFD "31m");
    /* Tab, newline, CR: a single space each. */
    assert_int_equal(fit("a\tb\nc\rd\r\ne", -1, false), 10);
    assert_string_equal(out, "a b c d  e");
    /* NUL and DEL, inside the text. */
    assert_int_equal(fitn("a\0b\x7f", 4, -1, false), 4);
    assert_string_equal(out, "a" PIC_NUL "b" PIC_DEL);
    assert_int_equal(fitn("a\0b\x7f", 4, -1, true), 4);
    assert_string_equal(out, "a?b?");
    /* Every C0 control maps to its picture. */
    for (unsigned c = 1; c < 0x20; c++) {
        char in[2] = {(char)c, 0};
        char want[4];
        if (c == '\t' || c == '\n' || c == '\r')
            continue;
        text_utf8_encode(0x2400 + c, want);
        assert_int_equal(fit(in, -1, false), 1);
        assert_memory_equal(out, want, 3);
        assert_int_equal(out[3], '\0');
    }
}

static void test_fit_bidi_and_format(void **state)
{
    (void)state;
    /* "Trojan source": an override that would reverse what follows. */
    fit("abc\xe2\x80\xae" "fed", -1, false);
    assert_string_equal(out, "abc" FFFD "fed");
    fit("\xe2\x81\xa6x\xe2\x81\xa9", -1, false); /* LRI x PDI */
    assert_string_equal(out, FFFD "x" FFFD);
    fit("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", -1, false); /* LRM RLM ALM */
    assert_string_equal(out, FFFD FFFD FFFD);
    fit("\xef\xbb\xbfhi", -1, false); /* BOM */
    assert_string_equal(out, FFFD "hi");
    fit("a\xe2\x80\xa8" "b", -1, false); /* line separator */
    assert_string_equal(out, "a b");
    fit("x\xf3\xa0\x81\x81", -1, false); /* tag LATIN A: hidden text */
    assert_string_equal(out, "x" FFFD);
    /* Zero-width joiners stay: emoji sequences and some scripts need them. */
    assert_int_equal(fit("a\xe2\x80\x8d" "b", -1, false), 2);
    assert_string_equal(out, "a\xe2\x80\x8d" "b");
}

static void test_fit_invalid_utf8(void **state)
{
    static const struct {
        const char *in;
        const char *want;
    } cases[] = {
        {"\x80", FFFD},
        {"a\xbf" "b", "a" FFFD "b"},
        {"\xc0\xaf", FFFD FFFD},                  /* overlong '/' */
        {"\xe0\x80\xaf", FFFD FFFD FFFD},
        {"\xf0\x80\x80\xaf", FFFD FFFD FFFD FFFD},
        {"\xed\xa0\x80", FFFD FFFD FFFD},         /* surrogate */
        {"\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD},
        {"\xf5\xff\xfe", FFFD FFFD FFFD},
        /* A truncated character is one placeholder. */
        {"\xe2\x82" "a", FFFD "a"},
        {"\xf0\x9f\x98" "x", FFFD "x"},
        {"\xf0\x9f\x98", FFFD},
        {"\xc3", FFFD},
        {"Zo\xc3", "Zo" FFFD},
        {"\xe2\x28\xa1", FFFD "(" FFFD},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fit(cases[i].in, -1, false);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("case %zu", i);
        assert_int_equal(text_width(cases[i].in, strlen(cases[i].in), false),
                         text_width(cases[i].want, strlen(cases[i].want), false));
    }
    fit("\xc0\xaf", -1, true);
    assert_string_equal(out, "??");
}

static void test_fit_wide(void **state)
{
    const char *yamada = "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa\xe9\x83\x8e"; /* 山田太郎 */
    (void)state;
    assert_int_equal(fit(yamada, 8, false), 8);
    assert_string_equal(out, yamada);
    assert_int_equal(fit(yamada, 7, false), 7);
    assert_string_equal(out, "\xe5\xb1\xb1\xe7\x94\xb0\xe5\xa4\xaa" ELL);
    /* 6 columns: 山田 + … would be 5; 山田太 + … would be 7. */
    assert_int_equal(fit(yamada, 6, false), 5);
    assert_string_equal(out, "\xe5\xb1\xb1\xe7\x94\xb0" ELL);
    assert_int_equal(fit(yamada, 5, false), 5);
    assert_string_equal(out, "\xe5\xb1\xb1\xe7\x94\xb0" ELL);
    assert_int_equal(fit(yamada, 4, false), 3);
    assert_string_equal(out, "\xe5\xb1\xb1" ELL);
    assert_int_equal(fit(yamada, 2, false), 1);
    assert_string_equal(out, ELL);
    /* A wide character that fits exactly is not cut. */
    assert_int_equal(fit("\xe5\xb1\xb1", 2, false), 2);
    assert_string_equal(out, "\xe5\xb1\xb1");
    assert_int_equal(fit("\xe5\xb1\xb1", 1, false), 1);
    assert_string_equal(out, ELL);
    /* ASCII mode: one '?' per character. */
    assert_int_equal(fit(yamada, 3, true), 3);
    assert_string_equal(out, "??~");
    assert_int_equal(fit("a\xf0\x9f\x98\x80" "b", -1, false), 4);
    assert_int_equal(fit("a\xf0\x9f\x98\x80" "b", 3, false), 2);
    assert_string_equal(out, "a" ELL);
}

static void test_fit_combining(void **state)
{
    (void)state;
    assert_int_equal(fit("Zoe\xcc\x88", 3, false), 3);
    assert_string_equal(out, "Zoe\xcc\x88");
    /* The mark goes with its base. */
    assert_int_equal(fit("Zoe\xcc\x88y", 3, false), 3);
    assert_string_equal(out, "Zo" ELL);
    assert_int_equal(fit("Zoe\xcc\x88yy", 4, false), 4);
    assert_string_equal(out, "Zoe\xcc\x88" ELL);
    /* A mark with nothing to combine with is kept, zero columns. */
    assert_int_equal(fit("\xcc\x81" "abc", -1, false), 3);
    assert_string_equal(out, "\xcc\x81" "abc");
    /* ASCII: every mark is a '?' of its own. */
    assert_int_equal(fit("Zoe\xcc\x88", -1, true), 4);
    assert_string_equal(out, "Zoe?");
}

static void test_fit_zalgo(void **state)
{
    char in[4096];
    size_t n = 0;
    (void)state;
    in[n++] = 'a';
    for (int i = 0; i < 1000; i++) {
        in[n++] = '\xcc';
        in[n++] = '\x81';
    }
    in[n++] = 'b';
    assert_int_equal(fitn(in, n, -1, false), 2);
    assert_int_equal(strlen(out), 1 + 2 * TEXT_MAX_MARKS + 1);
    assert_int_equal(out[strlen(out) - 1], 'b');
    assert_int_equal(text_width(in, n, false), 2);
}

static void test_fit_long(void **state)
{
    char *in = malloc(40001);
    size_t i;
    (void)state;
    assert_non_null(in);

    memset(in, 'x', 10000);
    assert_int_equal(fitn(in, 10000, 80, false), 80);
    assert_int_equal(strlen(out), 79 + 3);
    assert_string_equal(out + 79, ELL);
    assert_int_equal(text_width(in, 10000, false), 10000);

    for (i = 0; i < 10000; i++)
        memcpy(in + 3 * i, "\xe5\xb1\xb1", 3);
    assert_int_equal(text_width(in, 30000, false), 20000);
    assert_int_equal(fitn(in, 30000, 80, false), 79);
    assert_int_equal(strlen(out), 39 * 3 + 3);

    memset(in, '\x1b', 10000);
    assert_int_equal(fitn(in, 10000, 80, false), 80);
    assert_safe(out);

    /* Unlimited columns but a small buffer: cut with an ellipsis, never in
     * the middle of a character. */
    memset(in, 'x', 10000);
    assert_int_equal(text_fit(in, 10000, -1, false, out, 100), 97);
    assert_int_equal(strlen(out), 99);
    assert_string_equal(out + 96, ELL);
    free(in);
}

static void test_fit_small_buffer(void **state)
{
    char buf[8];
    (void)state;
    assert_int_equal(text_fit("abcdef", 6, -1, false, buf, 1), 0);
    assert_string_equal(buf, "");
    assert_int_equal(text_fit("abcdef", 6, -1, false, buf, 4), 1);
    assert_string_equal(buf, ELL);
    assert_int_equal(text_fit("abcdef", 6, -1, false, buf, 5), 2);
    assert_string_equal(buf, "a" ELL);
    assert_int_equal(text_fit("abcdef", 6, -1, true, buf, 4), 3);
    assert_string_equal(buf, "ab~");
    assert_int_equal(text_fit("abc", 3, -1, false, buf, 4), 3);
    assert_string_equal(buf, "abc");
    /* Too small for the ellipsis: cut silently, but never mid-character. */
    assert_int_equal(text_fit("\xe5\xb1\xb1\xe7\x94\xb0", 6, -1, false, buf, 3), 0);
    assert_string_equal(buf, "");
    assert_int_equal(text_fit("ab\xe5\xb1\xb1", 5, -1, false, buf, 3), 2);
    assert_string_equal(buf, "ab");
}

/* Random bytes: the output is always safe, measures what text_fit says,
 * fits the limit, and fitting it again changes nothing. */
static void test_fit_random(void **state)
{
    static const char *const pieces[] = {
        "\x1b", "[", "]", "\x07", "\xe2\x80\xae", "\xcc\x81", "\xe5\xb1\xb1", "\xc3",
        "\xed\xa0\x80", "\xf0\x9f\x98\x80", "\xc2\x9b", "\t", "\n", "\0", "\x7f", "a",
        "\xef\xbb\xbf", "\xf3\xa0\x81\x81", "\xf4\x90\x80\x80", "\xc0\xaf",
    };
    char in[256];
    char again[4096];
    (void)state;
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        int maxcols = (int)(rng() % 40) - 1;
        bool ascii = rng() % 4 == 0;
        int cols;
        while (n < sizeof in - 8 && rng() % 32 != 0) {
            if (rng() % 3 == 0) {
                in[n++] = (char)rng();
            } else {
                const char *p = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
                size_t pl = p[0] ? strlen(p) : 1;
                memcpy(in + n, p, pl);
                n += pl;
            }
        }
        cols = text_fit(in, n, maxcols, ascii, out, sizeof out);
        assert_safe(out);
        if (ascii)
            for (const char *p = out; *p; p++)
                assert_true(*p >= ' ' && *p < 0x7f);
        assert_int_equal(text_width(out, strlen(out), ascii), cols);
        if (maxcols >= 0)
            assert_true(cols <= maxcols);
        if (text_width(in, n, ascii) <= maxcols || maxcols < 0) {
            assert_int_equal(cols, text_width(in, n, ascii));
            assert_int_equal(text_fit(out, strlen(out), -1, ascii, again, sizeof again), cols);
            assert_string_equal(again, out);
        }
    }
}

/* Numbers */

static void test_format_number(void **state)
{
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {0, "0"},
        {7, "7"},
        {999, "999"},
        {1000, "1,000"},
        {12450, "12,450"},
        {-12450, "-12,450"},
        {12.5, "12.50"},
        {12.05, "12.05"},
        {-0.5, "-0.50"},
        {1234567.891, "1,234,567.89"},
        {-1234567.891, "-1,234,567.89"},
        {12.999, "13"},
        {0.001, "0"},
        {-0.001, "0"},
        {-0.0, "0"},
        {100000000000000.0, "100,000,000,000,000"},
        {999999999999999.0, "999,999,999,999,999"},
        {1e15, "1e+15"},
        {1e300, "1e+300"},
        {-1e300, "-1e+300"},
        {DBL_MAX, "1.8e+308"},
    };
    char buf[64];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        text_format_number(cases[i].v, buf, sizeof buf);
        if (strcmp(buf, cases[i].want) != 0)
            fail_msg("%g -> \"%s\", want \"%s\"", cases[i].v, buf, cases[i].want);
    }
    text_format_number(NAN, buf, sizeof buf);
    assert_string_equal(buf, "-");
    text_format_number(INFINITY, buf, sizeof buf);
    assert_string_equal(buf, "-");
    text_format_number(-INFINITY, buf, sizeof buf);
    assert_string_equal(buf, "-");
    /* A number that does not fit is not cut into a different number. */
    text_format_number(12450, buf, 6);
    assert_string_equal(buf, "#####");
    text_format_number(12450, buf, 7);
    assert_string_equal(buf, "12,450");
    text_format_number(12450, buf, 1);
    assert_string_equal(buf, "");
    text_format_number(12450, NULL, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_valid),
        cmocka_unit_test(test_decode_invalid),
        cmocka_unit_test(test_utf8_round_trip_all),
        cmocka_unit_test(test_decode_all_two_byte_inputs),
        cmocka_unit_test(test_cp_width),
        cmocka_unit_test(test_cp_printable),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_fit_plain),
        cmocka_unit_test(test_fit_controls),
        cmocka_unit_test(test_fit_bidi_and_format),
        cmocka_unit_test(test_fit_invalid_utf8),
        cmocka_unit_test(test_fit_wide),
        cmocka_unit_test(test_fit_combining),
        cmocka_unit_test(test_fit_zalgo),
        cmocka_unit_test(test_fit_long),
        cmocka_unit_test(test_fit_small_buffer),
        cmocka_unit_test(test_fit_random),
        cmocka_unit_test(test_format_number),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
