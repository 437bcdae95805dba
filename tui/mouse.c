/*
 * mouse.c - clicks and the wheel, when the agent turns the mouse on.
 *
 * Off by default: while a terminal reports the mouse to the program it no
 * longer selects text for copying. What a click means is worked out from
 * what is on the screen, so every screen gets it without code of its own:
 *  - the wheel moves the cursor three rows;
 *  - a click on a list row moves the cursor there (the row drawn in the
 *    selected role is the cursor: keep moving until it covers the click);
 *    a click on the cursor row opens it, as Enter would;
 *  - a click on the hint line's "KEY label" presses KEY (the customer
 *    screen's ledger, coupons and tickets tabs, "q back" ...);
 *  - a click on a header crumb goes back to that screen.
 */
#include <string.h>
#include <wchar.h>

#include "tui/app_priv.h"

#define WHEEL_ROWS 3

void mouse_enable(struct app *app, bool on)
{
    mmask_t want = on ? (BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0;
    /* reported at once: a press is a click, no waiting for a double click */
    mouseinterval(0);
    mousemask(want, NULL);
    app->mouse = on;
}

/* Whether row y of win is drawn in the selected role: at either edge, where
 * the cursor bar's fill shows and text rarely sits. */
static bool row_selected(const struct app *app, WINDOW *win, int y, int cols)
{
    attr_t sel = tui_attr(app, ROLE_SELECTED);
    const int xs[] = {0, cols - 1, cols - 2};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        if (xs[i] < 0)
            continue;
        chtype ch = mvwinch(win, y, xs[i]);
        if ((ch & (A_COLOR | A_REVERSE)) == (sel & (A_COLOR | A_REVERSE)) && (sel & (A_COLOR | A_REVERSE)))
            return true;
    }
    return false;
}

/* First and last rows of the cursor bar in the view (last row excluded: hints). */
static bool cursor_rows(const struct app *app, struct view *v, int *first, int *last)
{
    *first = -1;
    for (int y = 0; y < v->rows - 1; y++) {
        if (row_selected(app, v->win, y, v->cols)) {
            if (*first < 0)
                *first = y;
            *last = y;
        } else if (*first >= 0) {
            break;
        }
    }
    return *first >= 0;
}

static void draw_view(struct view *v)
{
    werase(v->win);
    v->ops->draw(v, v->win);
    v->dirty = true;
}

static void click_row(struct app *app, struct view *v, int y)
{
    int first, last;
    draw_view(v);
    if (!cursor_rows(app, v, &first, &last))
        return;
    if (y >= first && y <= last) {
        app_dispatch_action(app, ACTION_OPEN);
        return;
    }
    int id = v->id;
    for (int step = 0; step < v->rows * 4; step++) {
        int before = first;
        app_dispatch_action(app, y < first ? ACTION_UP : ACTION_DOWN);
        struct view *still = app_find_view(app, id);
        if (!still || still != app_top(app))
            return;
        draw_view(v);
        if (!cursor_rows(app, v, &first, &last) || first == before || (y >= first && y <= last))
            return;
    }
}

/* The "KEY label" item of the hint line under column x, as the key's code. */
static int hint_key_at(struct view *v, int y, int x)
{
    wchar_t cells[512];
    int n = v->cols < 511 ? v->cols : 511;
    for (int i = 0; i < n; i++) {
        cchar_t cc;
        wchar_t wc[CCHARW_MAX + 1] = {0};
        attr_t a;
        short pair;
        if (mvwin_wch(v->win, y, i, &cc) == ERR || getcchar(&cc, wc, &a, &pair, NULL) == ERR)
            wc[0] = L' ';
        cells[i] = wc[0] ? wc[0] : L' ';
    }
    cells[n] = 0;
    if (x >= n || cells[x] == L' ')
        return -1;
    /* items are separated by two blanks or more */
    int s = x;
    while (s > 0 && !(cells[s - 1] == L' ' && (s < 2 || cells[s - 2] == L' ')))
        s--;
    while (s < n && cells[s] == L' ')
        s++;
    char key[32];
    size_t k = 0;
    for (int i = s; i < n && cells[i] != L' ' && cells[i] != L',' && k + 1 < sizeof key; i++) {
        if (cells[i] > 0x7e)
            return -1;
        key[k++] = (char)cells[i];
    }
    key[k] = '\0';
    return k ? key_parse(key) : -1;
}

static void click_crumb(struct app *app, int x)
{
    for (int i = 0; i < app->depth - 1; i++) {
        if (x >= app->crumb_x0[i] && x < app->crumb_x1[i]) {
            struct view *top = app_top(app);
            if (top && top->writes_pending > 0) {
                app_status(app, STATUS_WARN, "A change is being sent: wait for the server's answer");
                return;
            }
            while (app->depth > i + 1)
                app_pop(app);
            return;
        }
    }
}

/* Keys sent by a click go the way typed keys go (type-ahead, on_key, keymap). */
static void press(struct app *app, int key)
{
    struct view *top = app_top(app);
    if (top && top->ops->on_key && top->ops->on_key(top, key)) {
        top->dirty = true;
        return;
    }
    enum action a = keymap_lookup(app->cfg.km, top ? top->ops->ctx : CTX_GENERIC, key);
    if (a != ACTION_NONE)
        app_dispatch_action(app, a);
}

void mouse_event(struct app *app)
{
    MEVENT ev;
    if (getmouse(&ev) != OK || !app->mouse)
        return;
    if (app->dialog.open || app->form || app->prompt.kind != PROMPT_NONE || app->too_small)
        return;
    struct view *top = app_top(app);
    if (!top)
        return;
    if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
        for (int i = 0; i < WHEEL_ROWS; i++)
            app_dispatch_action(app, (ev.bstate & BUTTON4_PRESSED) ? ACTION_UP : ACTION_DOWN);
        return;
    }
    if (!(ev.bstate & BUTTON1_PRESSED))
        return;
    if (ev.y == 0) {
        click_crumb(app, ev.x);
        return;
    }
    int y = ev.y - 1; /* the view starts below the header */
    if (y < 0 || y >= top->rows)
        return;
    if (y == top->rows - 1) {
        draw_view(top);
        int key = hint_key_at(top, y, ev.x);
        if (key >= 0)
            press(app, key);
        return;
    }
    click_row(app, top, y);
}
