/*
 * theme_spec.c - the built-in themes and the parsing of user theme roles.
 *
 * The built-in themes use only the eight basic colours, which every colour
 * terminal has, so they look the same at 8 and 256 colours. Each role that
 * must stand out without colour (header, status, selected row, dialog)
 * also carries an attribute in the mono theme.
 */
#include "tui/theme_spec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { BLACK, RED, GREEN, YELLOW, BLUE, MAGENTA, CYAN, WHITE };
#define DEF THEME_DEFAULT_COLOR
#define B THEME_BOLD
#define D THEME_DIM
#define R THEME_REVERSE
#define U THEME_UNDERLINE

/* Index order of enum role in tui/tui.h. */
enum { NORMAL, HEADER, STATUS, TITLE, LABEL, DIMR, SELECTED, MARKED, OK, WARN, ERROR, ACCENT, KEY, DIALOG };

const char *const theme_role_names[THEME_ROLES] = {
    "normal", "header", "status", "title", "label", "dim", "selected",
    "marked", "ok",     "warn",   "error", "accent", "key", "dialog",
};

static const struct theme theme_default = {"default", false, {
    [NORMAL] = {DEF, DEF, 0},       [HEADER] = {WHITE, BLUE, B},   [STATUS] = {WHITE, BLACK, 0},
    [TITLE] = {CYAN, DEF, B},       [LABEL] = {CYAN, DEF, 0},      [DIMR] = {DEF, DEF, D},
    [SELECTED] = {BLACK, CYAN, 0},  [MARKED] = {YELLOW, DEF, B},   [OK] = {GREEN, DEF, 0},
    [WARN] = {YELLOW, DEF, B},      [ERROR] = {RED, DEF, B},       [ACCENT] = {MAGENTA, DEF, B},
    [KEY] = {YELLOW, DEF, B},       [DIALOG] = {WHITE, BLUE, 0},
}};

/* For light terminal backgrounds: no yellow or white text. */
static const struct theme theme_light = {"light", false, {
    [NORMAL] = {DEF, DEF, 0},       [HEADER] = {WHITE, BLUE, B},   [STATUS] = {BLACK, WHITE, 0},
    [TITLE] = {BLUE, DEF, B},       [LABEL] = {BLUE, DEF, 0},      [DIMR] = {DEF, DEF, D},
    [SELECTED] = {WHITE, BLUE, 0},  [MARKED] = {MAGENTA, DEF, B | U}, [OK] = {GREEN, DEF, B},
    [WARN] = {BLACK, YELLOW, 0},    [ERROR] = {RED, DEF, B},       [ACCENT] = {MAGENTA, DEF, B},
    [KEY] = {BLUE, DEF, B},         [DIALOG] = {BLACK, CYAN, 0},
}};

/* Strong pairs and bold wherever the default theme relies on colour alone;
 * text keeps the terminal's own background, so no patchwork of blacks. */
static const struct theme theme_high_contrast = {"high-contrast", false, {
    [NORMAL] = {DEF, DEF, 0},       [HEADER] = {BLACK, WHITE, B},  [STATUS] = {BLACK, WHITE, 0},
    [TITLE] = {DEF, DEF, B | U},    [LABEL] = {YELLOW, DEF, B},    [DIMR] = {DEF, DEF, 0},
    [SELECTED] = {BLACK, YELLOW, B}, [MARKED] = {CYAN, DEF, B | U}, [OK] = {GREEN, DEF, B},
    [WARN] = {YELLOW, DEF, B},      [ERROR] = {RED, DEF, B | U},   [ACCENT] = {CYAN, DEF, B},
    [KEY] = {YELLOW, DEF, B},       [DIALOG] = {BLACK, WHITE, B},
}};

static const struct theme theme_mono = {"mono", true, {
    [NORMAL] = {DEF, DEF, 0},       [HEADER] = {DEF, DEF, R},      [STATUS] = {DEF, DEF, R},
    [TITLE] = {DEF, DEF, B},        [LABEL] = {DEF, DEF, 0},       [DIMR] = {DEF, DEF, D},
    [SELECTED] = {DEF, DEF, R},     [MARKED] = {DEF, DEF, B | U},  [OK] = {DEF, DEF, 0},
    [WARN] = {DEF, DEF, B},         [ERROR] = {DEF, DEF, B | U},   [ACCENT] = {DEF, DEF, B},
    [KEY] = {DEF, DEF, B},          [DIALOG] = {DEF, DEF, R},
}};

const struct theme *const theme_builtins[] = {&theme_default, &theme_light, &theme_high_contrast,
                                              &theme_mono, NULL};

const struct theme *theme_builtin(const char *name)
{
    for (size_t i = 0; name && theme_builtins[i]; i++)
        if (strcmp(theme_builtins[i]->name, name) == 0)
            return theme_builtins[i];
    return NULL;
}

int theme_role_index(const char *name)
{
    for (int i = 0; name && i < THEME_ROLES; i++)
        if (strcmp(theme_role_names[i], name) == 0)
            return i;
    return -1;
}

int theme_parse_color(const char *name)
{
    static const char *const basic[] = {"black", "red", "green", "yellow",
                                        "blue",  "magenta", "cyan", "white"};
    if (!name || !*name || strcasecmp(name, "default") == 0)
        return DEF;
    if (name[0] >= '0' && name[0] <= '9') {
        char *end;
        long n = strtol(name, &end, 10);
        return *end || n > 255 || strlen(name) > 3 ? -2 : (int)n;
    }
    bool bright = strncasecmp(name, "bright-", 7) == 0;
    const char *base = bright ? name + 7 : name;
    for (int i = 0; i < 8; i++)
        if (strcasecmp(base, basic[i]) == 0)
            return bright ? i + 8 : i;
    return -2;
}

/* Copies the field up to sep, trimmed, into buf; returns the rest or NULL at the end. */
static const char *field(const char *s, char sep, char *buf, size_t n)
{
    while (*s == ' ' || *s == '\t')
        s++;
    const char *e = strchr(s, sep);
    size_t k = e ? (size_t)(e - s) : strlen(s);
    while (k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    if (k >= n)
        k = n - 1;
    memcpy(buf, s, k);
    buf[k] = '\0';
    return e ? e + 1 : NULL;
}

int theme_parse_style(const char *text, struct theme_style *out, char *err, size_t errlen)
{
    char fg[32], bg[32], attrs[96];
    const char *rest = field(text, ',', fg, sizeof fg);
    bg[0] = attrs[0] = '\0';
    if (rest)
        rest = field(rest, ',', bg, sizeof bg);
    if (rest)
        rest = field(rest, ',', attrs, sizeof attrs);
    if (rest) {
        snprintf(err, errlen, "expected 'fg,bg,attrs', found more than three parts");
        return -1;
    }
    int f = theme_parse_color(fg), b = theme_parse_color(bg);
    if (f == -2 || b == -2) {
        snprintf(err, errlen, "unknown colour '%.31s' (use a name such as red or bright-blue, "
                              "default, or 0-255)", f == -2 ? fg : bg);
        return -1;
    }
    unsigned a = 0;
    for (const char *p = attrs; *attrs;) {
        char word[32];
        const char *next = field(p, '+', word, sizeof word);
        if (strcasecmp(word, "bold") == 0)
            a |= THEME_BOLD;
        else if (strcasecmp(word, "dim") == 0)
            a |= THEME_DIM;
        else if (strcasecmp(word, "reverse") == 0)
            a |= THEME_REVERSE;
        else if (strcasecmp(word, "underline") == 0)
            a |= THEME_UNDERLINE;
        else if (strcasecmp(word, "none") != 0) {
            snprintf(err, errlen, "unknown attribute '%.31s' (use bold, dim, reverse, underline "
                                  "joined by '+')", word);
            return -1;
        }
        if (!next)
            break;
        p = next;
    }
    out->fg = (short)f;
    out->bg = (short)b;
    out->attrs = a;
    return 0;
}

/* The nearest basic colour of a 256-colour index. */
static short to_basic(short c)
{
    if (c < 8)
        return c;
    if (c < 16)
        return (short)(c - 8);
    int r, g, b;
    if (c >= 232) {
        int level = (c - 232) * 10 + 8;
        r = g = b = level;
    } else {
        int i = c - 16;
        static const int steps[6] = {0, 95, 135, 175, 215, 255};
        r = steps[i / 36];
        g = steps[(i / 6) % 6];
        b = steps[i % 6];
    }
    /* bit per channel above half, as in the basic palette's order (r=1, g=2, b=4) */
    int bits = (r > 127 ? 1 : 0) | (g > 127 ? 2 : 0) | (b > 127 ? 4 : 0);
    return (short)bits;
}

struct theme_style theme_resolve(const struct theme *t, int role, int colors)
{
    if (role < 0 || role >= THEME_ROLES)
        role = NORMAL;
    if (colors <= 0 || t->mono)
        return theme_mono.role[role];
    struct theme_style s = t->role[role];
    if (s.fg >= colors)
        s.fg = to_basic(s.fg);
    if (s.bg >= colors)
        s.bg = to_basic(s.bg);
    if (s.fg != DEF && s.fg == s.bg)
        s.fg = (s.bg == BLACK || s.bg == BLUE || s.bg == RED || s.bg == MAGENTA) ? WHITE : BLACK;
    if (role == SELECTED && s.bg == DEF && !(s.attrs & THEME_REVERSE))
        s.attrs |= THEME_REVERSE;
    return s;
}
