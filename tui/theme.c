/*
 * theme.c - turns the theme in use into curses attributes for each role.
 *
 * Roles get colour pairs 1..ROLE_COUNT, redefined whenever the theme
 * changes, so a `:theme` switch needs only a full repaint. A terminal
 * without colours, or NO_COLOR, gets the mono theme's attributes whatever
 * theme is chosen. The profile's colour, when it has one, paints the
 * header: production looks different at a glance.
 */
#include <string.h>

#include "tui/app_priv.h"
#include "tui/config.h"
#include "tui/theme_spec.h"

_Static_assert(THEME_ROLES == ROLE_COUNT, "theme_role_names must follow enum role");

#define PROFILE_PAIR (ROLE_COUNT + 1)

static attr_t curses_attrs(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & THEME_BOLD)
        r |= A_BOLD;
    if (a & THEME_DIM)
        r |= A_DIM;
    if (a & THEME_REVERSE)
        r |= A_REVERSE;
    if (a & THEME_UNDERLINE)
        r |= A_UNDERLINE;
    return r;
}

/* The theme called name: built in, or the config's (the default theme
 * with the roles it sets changed) written into scratch. NULL when unknown. */
static const struct theme *find_theme(const struct app *app, const char *name, struct theme *scratch)
{
    const struct theme *t = theme_builtin(name && *name ? name : "default");
    if (t)
        return t;
    const struct config_theme *ct = config_find_theme(app->cfg.config, name);
    if (!ct)
        return NULL;
    *scratch = *theme_builtin("default");
    scratch->name = ct->name;
    for (int r = 0; r < THEME_ROLES; r++)
        if (ct->set[r])
            scratch->role[r] = ct->style[r];
    return scratch;
}

bool theme_known(const struct app *app, const char *name)
{
    struct theme scratch;
    return find_theme(app, name, &scratch) != NULL;
}

/* Black or white, whichever reads on bg (a basic or bright colour). */
static short contrast(short bg)
{
    int b = bg % 8;
    return (b == COLOR_GREEN || b == COLOR_YELLOW || b == COLOR_CYAN || b == COLOR_WHITE) ? COLOR_BLACK
                                                                                         : COLOR_WHITE;
}

void theme_apply(struct app *app)
{
    struct theme scratch;
    const struct theme *t = find_theme(app, app->theme, &scratch);
    if (!t)
        t = theme_builtin("default");
    int colors = app->color ? (COLORS > 256 ? 256 : COLORS) : 0;
    for (int r = 0; r < ROLE_COUNT; r++) {
        struct theme_style s = theme_resolve(t, r, colors);
        attr_t a = curses_attrs(s.attrs);
        if (colors > 0 && (s.fg != THEME_DEFAULT_COLOR || s.bg != THEME_DEFAULT_COLOR)) {
            init_pair((short)(r + 1), s.fg, s.bg);
            a |= COLOR_PAIR(r + 1);
        }
        app->attrs[r] = a;
    }
    int pc = theme_parse_color(app->cfg.profile_color);
    if (app->cfg.profile_color && pc >= 0) {
        if (colors > 0) {
            short bg = (short)(pc < colors ? pc : pc % 8);
            init_pair(PROFILE_PAIR, contrast(bg), bg);
            app->attrs[ROLE_HEADER] = COLOR_PAIR(PROFILE_PAIR) | A_BOLD;
        } else {
            /* no colour to tell profiles apart: the header at least stands out more */
            app->attrs[ROLE_HEADER] = A_REVERSE | A_BOLD;
        }
    }
    app->chrome_dirty = true;
    for (int i = 0; i < app->depth; i++)
        app->stack[i]->dirty = true;
    clearok(curscr, TRUE);
}
