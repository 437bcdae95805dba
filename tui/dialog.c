/*
 * dialog.c - the confirmation dialog: a panel above everything that asks
 * one yes/no question. It is modal for keys only: results keep arriving
 * and views keep updating underneath while it waits.
 *
 * The answer goes to a callback with the id of the view that asked; the
 * callback gets the view itself only while it is still on the stack.
 */
#include <stdio.h>
#include <string.h>

#include "tui/app_priv.h"
#include "tui/text.h"

#define DIALOG_MAX_LINES 12

/* Splits text into lines of at most width columns at spaces. Returns the count. */
static int wrap(const struct app *app, const char *text, int width, char lines[][256], int max)
{
    int n = 0;
    const char *p = text;
    while (*p && n < max) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *best = NULL;
        const char *q = p;
        while (*q && *q != '\n') {
            const char *e = q;
            while (*e && *e != ' ' && *e != '\n')
                e++;
            if (text_width(p, (size_t)(e - p), app->ascii) > width)
                break;
            best = e;
            q = e;
            while (*q == ' ')
                q++;
        }
        if (!best) { /* one word wider than the line: cut it */
            best = p;
            while (*best && *best != '\n' && text_width(p, (size_t)(best - p + 1), app->ascii) <= width)
                best++;
            if (best == p)
                best = p + 1;
        }
        size_t len = (size_t)(best - p);
        if (len > 255)
            len = 255;
        memcpy(lines[n], p, len);
        lines[n][len] = '\0';
        n++;
        p = best;
        if (*p == '\n')
            p++;
    }
    return n;
}

void dialog_layout(struct app *app)
{
    struct dialog *d = &app->dialog;
    if (!d->open)
        return;
    int width = app->cols - 4 < 60 ? app->cols - 4 : 60;
    if (width < 20)
        width = 20;
    char lines[DIALOG_MAX_LINES][256];
    int n = wrap(app, d->text, width - 4, lines, DIALOG_MAX_LINES);
    int height = n + 4;
    int y = (app->rows - height) / 2, x = (app->cols - width) / 2;
    if (y < 0)
        y = 0;
    if (x < 0)
        x = 0;
    if (d->win) {
        wresize(d->win, height, width);
        move_panel(d->panel, y, x);
    } else {
        d->win = newwin(height, width, y, x);
        d->panel = new_panel(d->win);
    }
    top_panel(d->panel);
}

void dialog_confirm(struct app *app, struct view *v, const char *text, confirm_fn fn)
{
    struct dialog *d = &app->dialog;
    snprintf(d->text, sizeof d->text, "%s", text);
    d->fn = fn;
    d->view_fn = NULL;
    d->view_id = v ? v->id : 0;
    d->open = true;
    dialog_layout(app);
    show_panel(d->panel);
}

void dialog_draw(struct app *app)
{
    struct dialog *d = &app->dialog;
    int h, w;
    getmaxyx(d->win, h, w);
    wattrset(d->win, tui_attr(app, ROLE_DIALOG));
    for (int y = 0; y < h; y++)
        mvwhline(d->win, y, 0, ' ', w);
    tui_box(app, d->win);
    char lines[DIALOG_MAX_LINES][256];
    int n = wrap(app, d->text, w - 4, lines, DIALOG_MAX_LINES);
    for (int i = 0; i < n && i + 1 < h - 2; i++)
        tui_put(app, d->win, 1 + i, 2, w - 4, lines[i], ROLE_DIALOG);
    tui_put(app, d->win, h - 2, 2, w - 4, "[y] Yes    [n] No", ROLE_DIALOG);
    wattrset(d->win, A_NORMAL);
}

static void dialog_close(struct app *app)
{
    struct dialog *d = &app->dialog;
    d->open = false;
    if (d->panel)
        hide_panel(d->panel);
    struct view *top = app_top(app);
    if (top)
        top->dirty = true;
    app->chrome_dirty = true;
}

bool dialog_key(struct app *app, int key)
{
    struct dialog *d = &app->dialog;
    bool yes;
    if (key == 'y' || key == 'Y' || key == MC_KEY_ENTER)
        yes = true;
    else if (key == 'n' || key == 'N' || key == MC_KEY_ESC || key == 'q')
        yes = false;
    else
        return true; /* modal: other keys do nothing */
    confirm_fn fn = d->fn;
    void (*view_fn)(struct view *, bool) = d->view_fn;
    int id = d->view_id;
    dialog_close(app);
    struct view *v = id > 0 ? app_find_view(app, id) : NULL;
    if (fn)
        fn(app, v, id, yes);
    if (view_fn && v)
        view_fn(v, yes);
    return true;
}

void dialog_done(struct app *app)
{
    struct dialog *d = &app->dialog;
    if (d->panel)
        del_panel(d->panel);
    if (d->win)
        delwin(d->win);
    d->panel = NULL;
    d->win = NULL;
    d->open = false;
}
