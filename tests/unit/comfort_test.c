/*
 * comfort_test.c - personal data masking (tui/mask.c), the OSC 52
 * clipboard sequence (tui/osc52.c), themes (tui/theme_spec.c) and the
 * theme, mask and mouse settings of the config file (tui/config.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "tui/config.h"
#include "tui/mask.h"
#include "tui/osc52.h"
#include "tui/theme_spec.h"

#define DOTS "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"

static char out[4096];

static const char *m(const char *s, const struct mask_names *names)
{
    return mask_text(s, names, false, out, sizeof out);
}

static void test_mask_mobile(void **state)
{
    (void)state;
    assert_string_equal(m("919845000001", NULL), "9198450" DOTS "01");
    assert_string_equal(m("call 919845000001 now", NULL), "call 9198450" DOTS "01 now");
    assert_string_equal(m("+919845000002.", NULL), "+9198450" DOTS "02.");
    /* short numbers (points, bill amounts, dates) stay */
    assert_string_equal(m("12,450 points on 2026-11-25, bill 1234567", NULL),
                        "12,450 points on 2026-11-25, bill 1234567");
    assert_string_equal(m("12345678", NULL), "123" DOTS "78");
    /* a card number keeps no more than a mobile number does */
    assert_string_equal(m("6080000000000001", NULL), "6080000" DOTS "01");
    assert_string_equal(mask_text("919845000001", NULL, true, out, sizeof out), "9198450***01");
}

static void test_mask_email(void **state)
{
    (void)state;
    assert_string_equal(m("asha.rao@example.com", NULL), "a" DOTS "@example.com");
    assert_string_equal(m("Mail zoe@example.co.uk.", NULL), "Mail z" DOTS "@example.co.uk.");
    assert_string_equal(m("a@b", NULL), "a@b"); /* no dot: not an address */
    assert_string_equal(m("@home and x@", NULL), "@home and x@");
    assert_string_equal(m("919845000001@sms.example.com", NULL), "9" DOTS "@sms.example.com");
    /* a till at a host is not an address */
    assert_string_equal(m("demo.agent@127.0.0.1:18931", NULL), "demo.agent@127.0.0.1:18931");
}

static void test_mask_names(void **state)
{
    (void)state;
    struct mask_names names = {0};
    mask_names_add(&names, "Asha");
    mask_names_add(&names, "Rao");
    mask_names_add(&names, "Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m \xe5\xb1\xb1\xe7\x94\xb0");
    assert_string_equal(m("Asha Rao", &names), "A" DOTS " R" DOTS);
    assert_string_equal(m("Asha Rao's coupons", &names), "A" DOTS " R" DOTS "'s coupons");
    /* whole words only */
    assert_string_equal(m("Ashanti Raoul", &names), "Ashanti Raoul");
    assert_string_equal(m("Zo\xc3\xab \xc3\x85ngstr\xc3\xb6m \xe5\xb1\xb1\xe7\x94\xb0", &names),
                        "Z" DOTS " \xc3\x85" DOTS " \xe5\xb1\xb1" DOTS);
    assert_string_equal(mask_value("Neha Singh", PII_NAME, false, out, sizeof out),
                        "N" DOTS " S" DOTS);
    assert_string_equal(mask_value("919845000003", PII_MOBILE, false, out, sizeof out),
                        "9198450" DOTS "03");
    assert_string_equal(mask_value("neha@example.com", PII_EMAIL, false, out, sizeof out),
                        "n" DOTS "@example.com");
}

static void test_mask_names_bounded(void **state)
{
    (void)state;
    struct mask_names names = {0};
    char w[32];
    for (int i = 0; i < MASK_MAX_NAMES * 3; i++) {
        snprintf(w, sizeof w, "Name%c%c", 'a' + i % 26, 'a' + (i / 26) % 26);
        mask_names_add(&names, w);
    }
    assert_int_equal(names.n, MASK_MAX_NAMES);
    mask_names_add(&names, "X"); /* one letter: not added */
    mask_names_add(&names, NULL);
    assert_int_equal(names.n, MASK_MAX_NAMES);
}

static void test_mask_small_buffer(void **state)
{
    (void)state;
    char small[10];
    mask_text("919845000001", NULL, false, small, sizeof small);
    /* the masked piece does not fit: nothing half-written */
    assert_true(strlen(small) < sizeof small);
    assert_null(strstr(small, "\xe2\x80"));
    mask_text("ab\xe5\xb1\xb1\xe7\x94\xb0", NULL, false, small, 6);
    assert_string_equal(small, "ab\xe5\xb1\xb1");
    mask_text("x", NULL, false, small, 0); /* no room at all: no write */
    assert_string_equal(m("", NULL), "");
    assert_string_equal(m(NULL, NULL), "");
}

/* Server text of any shape: the output stays inside its buffer, no digit
 * run of 8 or an address survives, and nothing is cut inside a character. */
static void test_mask_hostile_text(void **state)
{
    (void)state;
    static const char alphabet[] = "0123456789@.ab-_ +\xc3\xa9\xe5\xb1\xb1\x80\xff\x1b";
    static const size_t sizes[] = {1, 2, 3, 5, 8, 13, 64, 4096};
    struct mask_names names = {0};
    mask_names_add(&names, "ab \xc3\xa9\xc3\xa9");
    unsigned seed = 12345;
    char in[96], small[4096];
    for (int round = 0; round < 20000; round++) {
        size_t len = (seed >> 7) % (sizeof in - 1);
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        in[len] = '\0';
        size_t n = sizes[round % (sizeof sizes / sizeof sizes[0])];
        memset(small, 'Z', sizeof small);
        mask_text(in, &names, round & 1, small, n);
        size_t olen = strnlen(small, n);
        assert_true(olen < n);
        assert_int_equal(small[olen], '\0');
        if (olen + 1 < sizeof small)
            assert_int_equal(small[olen + 1], 'Z'); /* nothing written past the text */
        if (n < 4096)
            continue;
        /* nothing that looks like a number or an address is left whole */
        size_t run = 0;
        for (size_t i = 0; i < olen; i++) {
            run = small[i] >= '0' && small[i] <= '9' ? run + 1 : 0;
            assert_true(run < MASK_MIN_DIGITS);
        }
        char again[4096];
        mask_text(small, &names, round & 1, again, sizeof again);
        assert_string_equal(again, small);
    }
}

static void test_osc52_base64(void **state)
{
    (void)state;
    char b[64];
    assert_int_equal(osc52_base64((const unsigned char *)"", 0, b, sizeof b), 0);
    assert_string_equal(b, "");
    osc52_base64((const unsigned char *)"f", 1, b, sizeof b);
    assert_string_equal(b, "Zg==");
    osc52_base64((const unsigned char *)"fo", 2, b, sizeof b);
    assert_string_equal(b, "Zm8=");
    osc52_base64((const unsigned char *)"foobar", 6, b, sizeof b);
    assert_string_equal(b, "Zm9vYmFy");
    assert_int_equal(osc52_base64((const unsigned char *)"foobar", 6, b, 8), 0);
}

static void test_osc52_sequence(void **state)
{
    (void)state;
    char b[256];
    size_t n = osc52_sequence("565000001", false, b, sizeof b);
    assert_string_equal(b, "\033]52;c;NTY1MDAwMDAx\a");
    assert_int_equal(n, strlen(b));
    n = osc52_sequence("565000001", true, b, sizeof b);
    assert_string_equal(b, "\033Ptmux;\033\033]52;c;NTY1MDAwMDAx\a\033\\");
    assert_int_equal(n, strlen(b));
    /* UTF-8 goes as bytes */
    osc52_sequence("Zo\xc3\xab", false, b, sizeof b);
    assert_string_equal(b, "\033]52;c;Wm/Dqw==\a");
    assert_int_equal(osc52_sequence("565000001", false, b, 10), 0);
}

static void test_osc52_long_text_cut_at_character(void **state)
{
    (void)state;
    static char text[OSC52_MAX_TEXT + 16], seq[OSC52_MAX_TEXT * 2];
    memset(text, 'a', OSC52_MAX_TEXT - 1);
    memcpy(text + OSC52_MAX_TEXT - 1, "\xe5\xb1\xb1", 4); /* straddles the limit */
    size_t n = osc52_sequence(text, false, seq, sizeof seq);
    assert_true(n > 0);
    /* 65535 bytes -> 87380 base64 characters, the CJK character left out */
    assert_int_equal(n, strlen("\033]52;c;") + (OSC52_MAX_TEXT - 1 + 2) / 3 * 4 + 1);
}

static void test_builtin_themes_readable(void **state)
{
    (void)state;
    const int depths[] = {0, 8, 256};
    for (size_t t = 0; theme_builtins[t]; t++) {
        for (size_t d = 0; d < 3; d++) {
            for (int r = 0; r < THEME_ROLES; r++) {
                struct theme_style s = theme_resolve(theme_builtins[t], r, depths[d]);
                if (s.fg != THEME_DEFAULT_COLOR)
                    assert_int_not_equal(s.fg, s.bg);
                if (depths[d] == 0)
                    assert_true(s.fg == THEME_DEFAULT_COLOR && s.bg == THEME_DEFAULT_COLOR);
                else
                    assert_true(s.fg < depths[d] && s.bg < depths[d]);
            }
            /* the cursor row always stands apart */
            struct theme_style sel = theme_resolve(theme_builtins[t], theme_role_index("selected"),
                                                   depths[d]);
            assert_true(sel.bg != THEME_DEFAULT_COLOR || (sel.attrs & THEME_REVERSE));
        }
    }
    assert_non_null(theme_builtin("default"));
    assert_non_null(theme_builtin("light"));
    assert_non_null(theme_builtin("high-contrast"));
    assert_non_null(theme_builtin("mono"));
    assert_null(theme_builtin("solarized"));
    assert_true(theme_builtin("mono")->mono);
}

static void test_theme_style_parse(void **state)
{
    (void)state;
    struct theme_style s;
    char err[160];
    assert_int_equal(theme_parse_style("black,bright-cyan,bold+underline", &s, err, sizeof err), 0);
    assert_int_equal(s.fg, 0);
    assert_int_equal(s.bg, 14);
    assert_int_equal(s.attrs, THEME_BOLD | THEME_UNDERLINE);
    assert_int_equal(theme_parse_style(" 231 , 24 ", &s, err, sizeof err), 0);
    assert_int_equal(s.fg, 231);
    assert_int_equal(s.bg, 24);
    assert_int_equal(s.attrs, 0);
    assert_int_equal(theme_parse_style("red,,reverse", &s, err, sizeof err), 0);
    assert_int_equal(s.bg, THEME_DEFAULT_COLOR);
    assert_int_equal(theme_parse_style("red", &s, err, sizeof err), 0);
    assert_int_equal(theme_parse_style("mauve", &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "mauve"));
    assert_int_equal(theme_parse_style("256", &s, err, sizeof err), -1);
    assert_int_equal(theme_parse_style("red,blue,blink", &s, err, sizeof err), -1);
    assert_int_equal(theme_parse_style("red,blue,bold,extra", &s, err, sizeof err), -1);
    assert_int_equal(theme_parse_style("red,blue,bold+", &s, err, sizeof err), -1);
}

static void test_theme_resolve_fallbacks(void **state)
{
    (void)state;
    struct theme t = *theme_builtin("default");
    int sel = theme_role_index("selected"), normal = theme_role_index("normal");
    t.role[normal] = (struct theme_style){196, 21, 0};  /* bright red on blue, 256 colours */
    struct theme_style s = theme_resolve(&t, normal, 8);
    assert_int_equal(s.fg, 1);
    assert_int_equal(s.bg, 4);
    s = theme_resolve(&t, normal, 256);
    assert_int_equal(s.fg, 196);
    t.role[normal] = (struct theme_style){4, 4, 0}; /* invisible as written */
    s = theme_resolve(&t, normal, 8);
    assert_int_not_equal(s.fg, s.bg);
    t.role[sel] = (struct theme_style){1, THEME_DEFAULT_COLOR, THEME_BOLD};
    s = theme_resolve(&t, sel, 256);
    assert_true(s.attrs & THEME_REVERSE);
}

static void test_config_themes(void **state)
{
    (void)state;
    struct config c;
    char err[256];
    config_init(&c);
    const char *text = "theme = dusk\nmask = true\nmouse = yes\n"
                       "[theme dusk]\nselected = black,bright-cyan,bold\nheader = 231,24\n"
                       "[profile a]\nhost = http://127.0.0.1:1\nuser = demo.agent\ncolor = red\n";
    assert_int_equal(config_parse(&c, text, strlen(text), "cfg", err, sizeof err), 0);
    assert_string_equal(c.theme, "dusk");
    assert_true(c.mask);
    assert_true(c.mouse);
    const struct config_theme *t = config_find_theme(&c, "dusk");
    assert_non_null(t);
    int sel = theme_role_index("selected");
    assert_true(t->set[sel]);
    assert_int_equal(t->style[sel].bg, 14);
    assert_false(t->set[theme_role_index("error")]);
    assert_null(config_find_theme(&c, "other"));
    config_done(&c);

    static const char *const bad[] = {
        "theme = nosuch\n",
        "[theme dusk]\nsparkle = red\n",
        "[theme dusk]\nselected = mauve\n",
        "[theme dusk]\nselected = red\nselected = blue\n",
        "[theme mono]\nselected = red\n",
        "[theme a]\n[theme a]\n",
        "mask = maybe\n",
        "[theme]\n",
        "[theme dusk]\nmask = true\n",
        "[theme dusk]\nhost = https://example.com\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        config_init(&c);
        err[0] = '\0';
        assert_int_equal(config_parse(&c, bad[i], strlen(bad[i]), "cfg", err, sizeof err), -1);
        assert_non_null(strstr(err, "cfg:"));
        if (i >= 8) /* a key in the wrong place is named, not called an unknown role */
            assert_null(strstr(err, "unknown role"));
        config_done(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mask_mobile),
        cmocka_unit_test(test_mask_email),
        cmocka_unit_test(test_mask_names),
        cmocka_unit_test(test_mask_names_bounded),
        cmocka_unit_test(test_mask_small_buffer),
        cmocka_unit_test(test_mask_hostile_text),
        cmocka_unit_test(test_osc52_base64),
        cmocka_unit_test(test_osc52_sequence),
        cmocka_unit_test(test_osc52_long_text_cut_at_character),
        cmocka_unit_test(test_builtin_themes_readable),
        cmocka_unit_test(test_theme_style_parse),
        cmocka_unit_test(test_theme_resolve_fallbacks),
        cmocka_unit_test(test_config_themes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
