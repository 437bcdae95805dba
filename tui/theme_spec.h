/*
 * theme_spec.h - themes as data: the built-in themes, the role names, and
 * the "fg,bg,attrs" text of a user theme's role in the config file.
 *
 *     [theme dusk]
 *     selected = black,bright-cyan,bold
 *     header   = 231,24          # 256-colour numbers are fine
 *     error    = red,,bold+underline
 *
 * Colours: default, black, red, green, yellow, blue, magenta, cyan, white,
 * bright-<colour>, or a number 0-255; attrs: bold, dim, reverse, underline
 * joined by '+'. A user theme starts from `default` and changes the roles
 * it names. Pure (no curses): the config parser checks role lines with it
 * and the unit tests check every built-in theme for invisible text.
 */
#ifndef MC_TUI_THEME_SPEC_H
#define MC_TUI_THEME_SPEC_H

#include <stdbool.h>
#include <stddef.h>

/* The roles of enum role (tui/tui.h), in its order, by config name. */
#define THEME_ROLES 14
extern const char *const theme_role_names[THEME_ROLES];
/* The role index of name, or -1. */
int theme_role_index(const char *name);

enum theme_attr {
    THEME_BOLD = 1 << 0,
    THEME_DIM = 1 << 1,
    THEME_REVERSE = 1 << 2,
    THEME_UNDERLINE = 1 << 3,
};

#define THEME_DEFAULT_COLOR (-1)

struct theme_style {
    short fg, bg;     /* 0-255, or THEME_DEFAULT_COLOR */
    unsigned attrs;   /* enum theme_attr */
};

struct theme {
    const char *name;
    bool mono;        /* attributes only, whatever the terminal can */
    struct theme_style role[THEME_ROLES];
};

/* The built-in themes (default, light, high-contrast, mono), NULL-terminated. */
extern const struct theme *const theme_builtins[];
const struct theme *theme_builtin(const char *name);

/* Parses "fg,bg,attrs" (bg and attrs may be empty or left out). Returns 0,
 * or -1 with a one-line reason in err. */
int theme_parse_style(const char *text, struct theme_style *out, char *err, size_t errlen);
/* A colour name or number; -2 when unknown. */
int theme_parse_color(const char *name);

/* The style as a terminal with `colors` colours shows it (colors 0 = no
 * colour: attributes only, from the mono theme's role). Colours the
 * terminal lacks fall to the nearest of the eight basic ones; text whose
 * colour equals its background is given a contrasting one; the selected
 * row is always set apart (a background or reverse). */
struct theme_style theme_resolve(const struct theme *t, int role, int colors);

#endif
