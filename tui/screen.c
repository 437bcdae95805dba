/*
 * screen.c - curses start and stop, colour roles, resizing, key reading.
 *
 * Colours come from roles (enum role), mapped by the theme (theme.c). With
 * NO_COLOR set, or a terminal without colours, every role maps to
 * attributes only (bold, reverse, underline) so monochrome terminals stay
 * readable.
 */
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "tui/app_priv.h"

/* Bracketed paste, where the terminal's description declares it (the BE,
 * BD, PS and PE extended capabilities of ncurses' terminfo): pasted text
 * then arrives between two markers, read as MC_KEY_PASTE_BEGIN/END, so a
 * form takes the newlines and tabs of a paste as text, not as Enter/Tab. */
#define SCREEN_KEY_PASTE_BEGIN (KEY_MAX + 1)
#define SCREEN_KEY_PASTE_END (KEY_MAX + 2)

static const char *paste_cap(const char *name)
{
    const char *s = tigetstr(name);
    return s && s != (const char *)-1 ? s : NULL;
}

static bool paste_supported(void)
{
    return paste_cap("BE") && paste_cap("BD") && paste_cap("PS") && paste_cap("PE");
}

void screen_paste_mode(bool on)
{
    if (!paste_supported())
        return;
    putp(on ? paste_cap("BE") : paste_cap("BD"));
    fflush(stdout);
}

int screen_init(struct app *app)
{
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    app->ascii = !(cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));
    if (!getenv("ESCDELAY"))
        set_escdelay(25);
    if (!initscr())
        return -1;
    /* Until a screen has once been through endwin(), ncurses flushes its
     * output after every cursor movement, so a one-row scroll left in six
     * write()s and the first frame in a dozen: each one a wake-up of the
     * terminal and, over SSH, a packet of its own. One suspend and resume
     * now, before anything is drawn, makes every frame a single write. */
    endwin();
    doupdate();
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* Home/End as screen, tmux and rxvt send them, whatever TERM says */
    define_key("\033[1~", KEY_HOME);
    define_key("\033[4~", KEY_END);
    define_key("\033[7~", KEY_HOME);
    define_key("\033[8~", KEY_END);
    define_key("\033[H", KEY_HOME);
    define_key("\033[F", KEY_END);
    define_key("\033OH", KEY_HOME);
    define_key("\033OF", KEY_END);
    nodelay(stdscr, TRUE);
    curs_set(0);
    if (paste_supported()) {
        define_key(paste_cap("PS"), SCREEN_KEY_PASTE_BEGIN);
        define_key(paste_cap("PE"), SCREEN_KEY_PASTE_END);
        screen_paste_mode(true);
    }
    const char *nc = getenv("NO_COLOR");
    app->color = !(nc && *nc) && has_colors();
    if (app->color) {
        start_color();
        use_default_colors();
    }
    theme_apply(app); /* the default theme until settings_init() picks the user's */
    getmaxyx(stdscr, app->rows, app->cols);
    app->header = newwin(1, app->cols, 0, 0);
    app->status = newwin(1, app->cols, app->rows - 1, 0);
    if (!app->header || !app->status)
        return -1;
    app->header_panel = new_panel(app->header);
    app->status_panel = new_panel(app->status);
    app->too_small = app->rows < 12 || app->cols < 40;
    return 0;
}

void screen_done(struct app *app)
{
    if (app->header_panel)
        del_panel(app->header_panel);
    if (app->status_panel)
        del_panel(app->status_panel);
    if (app->header)
        delwin(app->header);
    if (app->status)
        delwin(app->status);
    app->header = app->status = NULL;
    app->header_panel = app->status_panel = NULL;
    if (!isendwin()) {
        screen_paste_mode(false);
        endwin();
    }
}

void screen_resize(struct app *app)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
        resize_term(ws.ws_row, ws.ws_col);
    getmaxyx(stdscr, app->rows, app->cols);
    app->too_small = app->rows < 12 || app->cols < 40;
    wresize(app->header, 1, app->cols);
    move_panel(app->header_panel, 0, 0);
    wresize(app->status, 1, app->cols);
    move_panel(app->status_panel, app->rows - 1, 0);
    app_layout_views(app);
    dialog_layout(app);
    form_layout(app);
    app->chrome_dirty = true;
    clearok(curscr, TRUE);
}

static int map_curses_key(int ch)
{
    if (ch >= KEY_F(1) && ch <= KEY_F(12))
        return MC_KEY_F1 + (ch - KEY_F(1));
    switch (ch) {
    case KEY_UP: return MC_KEY_UP;
    case KEY_DOWN: return MC_KEY_DOWN;
    case KEY_LEFT: return MC_KEY_LEFT;
    case KEY_RIGHT: return MC_KEY_RIGHT;
    case KEY_HOME: case KEY_FIND: return MC_KEY_HOME;
    case KEY_END: case KEY_SELECT: return MC_KEY_END;
    case KEY_PPAGE: return MC_KEY_PGUP;
    case KEY_NPAGE: return MC_KEY_PGDN;
    case KEY_IC: return MC_KEY_INSERT;
    case KEY_DC: return MC_KEY_DELETE;
    case KEY_BACKSPACE: return MC_KEY_BACKSPACE;
    case KEY_ENTER: return MC_KEY_ENTER;
    case KEY_BTAB: return MC_KEY_BTAB;
    case KEY_RESIZE: return MC_KEY_RESIZE;
    case KEY_MOUSE: return MC_KEY_MOUSE;
    case SCREEN_KEY_PASTE_BEGIN: return MC_KEY_PASTE_BEGIN;
    case SCREEN_KEY_PASTE_END: return MC_KEY_PASTE_END;
    default: return -1;
    }
}

int screen_read_key(struct app *app)
{
    (void)app;
    wint_t wc;
    /* wget_wch refreshes its window first when it is touched, and panel
     * moves touch stdscr: that would paint the blank stdscr over every
     * panel (and, inside that refresh, queue another KEY_RESIZE). The
     * screen is drawn by update_panels() alone. */
    untouchwin(stdscr);
    int r = wget_wch(stdscr, &wc);
    if (r == ERR)
        return -1;
    if (r == KEY_CODE_YES)
        return map_curses_key((int)wc);
    switch (wc) {
    case 27: return MC_KEY_ESC;
    case '\r': case '\n': return MC_KEY_ENTER;
    case '\t': return MC_KEY_TAB;
    case 127: case 8: return MC_KEY_BACKSPACE;
    default: return (int)wc;
    }
}
