/*
 * draw.c - drawing helpers every view uses, and list arithmetic.
 *
 * Every string a view draws goes through text_fit() here, so nothing the
 * server sends reaches the terminal unsanitised or wider than its column.
 */
#include <stdio.h>
#include <string.h>

#include "tui/app_priv.h"
#include "tui/text.h"

attr_t tui_attr(const struct app *app, enum role r)
{
    return (r >= 0 && r < ROLE_COUNT) ? app->attrs[r] : A_NORMAL;
}

int tui_put(const struct app *app, WINDOW *win, int y, int x, int w, const char *s, enum role r)
{
    /* A column laid out wider than a narrow window is cut at its edge:
     * ncurses would wrap the rest onto the start of the next row. */
    int room = getmaxx(win) - x;
    if (w > room)
        w = room;
    if (!s || w <= 0 || x < 0 || y < 0 || y >= getmaxy(win))
        return 0;
    char masked[2048];
    if (app->mask)
        s = mask_text(s, &app->names, app->ascii, masked, sizeof masked);
    char buf[2048];
    int cols = text_fit(s, strlen(s), w, app->ascii, buf, sizeof buf);
    attr_t a = tui_attr(app, r);
    wattron(win, a);
    mvwaddstr(win, y, x, buf);
    wattroff(win, a);
    return cols;
}

int tui_put_right(const struct app *app, WINDOW *win, int y, int x, int w, const char *s, enum role r)
{
    if (!s || w <= 0)
        return 0;
    char masked[2048];
    if (app->mask)
        s = mask_text(s, &app->names, app->ascii, masked, sizeof masked);
    int need = text_width(s, strlen(s), app->ascii);
    int off = need < w ? w - need : 0;
    return tui_put(app, win, y, x + off, w - off, s, r);
}

int tui_putf(const struct app *app, WINDOW *win, int y, int x, int w, enum role r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return tui_put(app, win, y, x, w, buf, r);
}

/* Line drawing is written as characters, not the alternate character set:
 * some terminal and multiplexer combinations show ACS as letters in UTF-8. */
static void repeat(WINDOW *win, int y, int x, const char *glyph, int n)
{
    char buf[1024];
    size_t g = strlen(glyph), len = 0;
    wmove(win, y, x);
    for (int i = 0; i < n; i++) {
        if (len + g >= sizeof buf) {
            buf[len] = '\0';
            waddstr(win, buf);
            len = 0;
        }
        memcpy(buf + len, glyph, g);
        len += g;
    }
    buf[len] = '\0';
    waddstr(win, buf);
}

void tui_hline(const struct app *app, WINDOW *win, int y, int x, int w)
{
    attr_t a = tui_attr(app, ROLE_DIM);
    wattron(win, a);
    repeat(win, y, x, app->ascii ? "-" : "\xe2\x94\x80", w);
    wattroff(win, a);
}

void tui_box(const struct app *app, WINDOW *win)
{
    int h, w;
    getmaxyx(win, h, w);
    if (h < 2 || w < 2)
        return;
    const char *hz = app->ascii ? "-" : "\xe2\x94\x80", *vt = app->ascii ? "|" : "\xe2\x94\x82";
    mvwaddstr(win, 0, 0, app->ascii ? "+" : "\xe2\x94\x8c");
    repeat(win, 0, 1, hz, w - 2);
    mvwaddstr(win, 0, w - 1, app->ascii ? "+" : "\xe2\x94\x90");
    for (int y = 1; y < h - 1; y++) {
        mvwaddstr(win, y, 0, vt);
        mvwaddstr(win, y, w - 1, vt);
    }
    mvwaddstr(win, h - 1, 0, app->ascii ? "+" : "\xe2\x94\x94");
    repeat(win, h - 1, 1, hz, w - 2);
    mvwaddstr(win, h - 1, w - 1, app->ascii ? "+" : "\xe2\x94\x98");
}

void tui_fill(const struct app *app, WINDOW *win, int y, int x, int w, enum role r)
{
    attr_t a = tui_attr(app, r);
    wattron(win, a);
    mvwhline(win, y, x, ' ', w);
    wattroff(win, a);
}

void list_clamp(struct list_pos *pos, long n, int height)
{
    if (height < 1)
        height = 1;
    if (n <= 0) {
        pos->cursor = -1;
        pos->top = 0;
        return;
    }
    if (pos->cursor < 0)
        pos->cursor = 0;
    if (pos->cursor >= n)
        pos->cursor = n - 1;
    if (pos->top > pos->cursor)
        pos->top = pos->cursor;
    if (pos->cursor >= pos->top + height)
        pos->top = pos->cursor - height + 1;
    if (pos->top > n - height)
        pos->top = n - height;
    if (pos->top < 0)
        pos->top = 0;
}

bool list_nav(struct list_pos *pos, enum action a, long n, int height)
{
    if (height < 1)
        height = 1;
    switch (a) {
    case ACTION_UP: pos->cursor--; break;
    case ACTION_DOWN: pos->cursor++; break;
    case ACTION_PAGE_UP:
        pos->cursor -= height;
        pos->top -= height;
        break;
    case ACTION_PAGE_DOWN:
        pos->cursor += height;
        pos->top += height;
        break;
    case ACTION_FIRST: pos->cursor = 0; break;
    case ACTION_LAST: pos->cursor = n - 1; break;
    default: return false;
    }
    if (pos->cursor < 0)
        pos->cursor = 0;
    list_clamp(pos, n, height);
    return true;
}
