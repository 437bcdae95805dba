/*
 * help.c - the keys of the screen below and the global ones, generated
 * from the keymap itself so it never lies. Actions the signed-in till may
 * not use (writes in read-only mode) are left out.
 *
 * Keys: Up/Down, PgUp/PgDn, g/G scroll; q, Esc or ? close.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/views.h"

#define HELP_MAX 256

struct help_line {
    char keys[48];
    enum action action;
    bool title;
    char text[96];
};

struct help {
    enum key_context ctx;
    struct help_line lines[HELP_MAX];
    int n;
    struct list_pos pos;
};

static struct help *H(struct view *v) { return v->priv; }

struct collect {
    struct help *h;
    const struct app *app;
    enum key_context ctx;
    bool seen[ACTION_COUNT];
};

static void add_title(struct help *h, const char *text)
{
    if (h->n >= HELP_MAX)
        return;
    struct help_line *l = &h->lines[h->n++];
    memset(l, 0, sizeof *l);
    l->title = true;
    snprintf(l->text, sizeof l->text, "%s", text);
}

static void collect_one(void *ud, int key, enum action a)
{
    (void)key;
    struct collect *c = ud;
    if (a == ACTION_NONE || c->seen[a] || !app_action_allowed(c->app, a))
        return;
    /* a generic binding hidden by the screen's own is not shown twice */
    if (c->ctx == CTX_GENERIC) {
        for (int i = 0; i < c->h->n; i++)
            if (!c->h->lines[i].title && c->h->lines[i].action == a)
                return;
    }
    c->seen[a] = true;
    if (c->h->n >= HELP_MAX)
        return;
    struct help_line *l = &c->h->lines[c->h->n++];
    memset(l, 0, sizeof *l);
    l->action = a;
    keymap_keys_for(app_keymap(c->app), c->ctx, a, l->keys, sizeof l->keys);
}

static void build(struct view *v)
{
    struct help *h = H(v);
    const struct keymap *km = app_keymap(v->app);
    h->n = 0;
    if (h->ctx != CTX_GENERIC) {
        char t[64];
        snprintf(t, sizeof t, "Keys of the %s screen", key_context_name(h->ctx));
        add_title(h, t);
        struct collect c = {.h = h, .app = v->app, .ctx = h->ctx};
        keymap_foreach(km, h->ctx, collect_one, &c);
    }
    add_title(h, "Keys everywhere");
    struct collect g = {.h = h, .app = v->app, .ctx = CTX_GENERIC};
    keymap_foreach(km, CTX_GENERIC, collect_one, &g);
    add_title(h, "Commands: ':' then an action name above, or search QUERY, customer ID, quit");
}

static int help_open(struct view *v, const struct view_args *args)
{
    H(v)->ctx = args->help_ctx;
    view_set_crumb(v, "Help");
    build(v);
    return 0;
}

static bool help_action(struct view *v, enum action a)
{
    struct help *h = H(v);
    if (a == ACTION_HELP) {
        app_pop(v->app);
        return true;
    }
    if (a == ACTION_UP || a == ACTION_DOWN) {
        /* scroll the page, there is no row to select */
        h->pos.top += a == ACTION_UP ? -1 : 1;
        if (h->pos.top > h->n - (v->rows - 1))
            h->pos.top = h->n - (v->rows - 1);
        if (h->pos.top < 0)
            h->pos.top = 0;
        return true;
    }
    if (list_nav(&h->pos, a, h->n, v->rows - 1))
        return true;
    return false;
}

static void help_result(struct view *v, struct api_result *res)
{
    (void)v;
    api_result_free(&res);
}

static void help_draw(struct view *v, WINDOW *w)
{
    struct help *h = H(v);
    const struct app *app = v->app;
    int height = v->rows - 1;
    for (int i = 0; i < height && h->pos.top + i < h->n; i++) {
        const struct help_line *l = &h->lines[h->pos.top + i];
        int y = i;
        if (l->title) {
            tui_put(app, w, y, 1, v->cols - 2, l->text, ROLE_TITLE);
            continue;
        }
        const struct action_info *ai = action_info(l->action);
        tui_put(app, w, y, 3, 18, l->keys, ROLE_KEY);
        tui_put(app, w, y, 22, 16, ai->name, ROLE_DIM);
        tui_put(app, w, y, 39, v->cols - 40, ai->description, ROLE_NORMAL);
    }
    tui_put(app, w, v->rows - 1, 1, v->cols - 2, "q or Esc closes help", ROLE_DIM);
}

const struct view_ops help_view_ops = {
    .name = "help",
    .ctx = CTX_HELP,
    .priv_size = sizeof(struct help),
    .open = help_open,
    .draw = help_draw,
    .on_action = help_action,
    .on_result = help_result,
};
