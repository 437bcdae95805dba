/*
 * typeahead.c - the type-ahead queue and `;` chains (see typeahead.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/app_priv.h"
#include "tui/text.h"

static void push(struct app *app, struct typeahead_item it, bool front)
{
    struct typeahead *t = &app->ta;
    if (t->n == 0) {
        struct view *top = app_top(app);
        t->anchor = top ? top->id : 0;
    }
    if (t->n == TYPEAHEAD_MAX) {
        free(it.command);
        beep(); /* more than anyone types ahead: the extra keys are lost, audibly */
        return;
    }
    if (front) {
        memmove(t->items + 1, t->items, sizeof t->items[0] * (size_t)t->n);
        t->items[0] = it;
    } else {
        t->items[t->n] = it;
    }
    t->n++;
}

/* The screen waits for the data of its last load (opened, reloaded, a new
 * query): its requests of this generation have never all come back. Pages
 * fetched as the agent scrolls, and refreshes made without a new
 * generation, do not hold keys back. */
static bool loading(struct view *v)
{
    if (v->pending == 0)
        v->settled = v->generation + 1;
    return v->settled != v->generation + 1;
}

bool typeahead_take(struct app *app, int key)
{
    struct typeahead *t = &app->ta;
    if (t->replaying || app->too_small)
        return false;
    if (key == MC_KEY_ESC || key == MC_KEY_CTRL('c')) {
        typeahead_drop(app); /* the agent wants out, not what was typed */
        return false;
    }
    if (t->n > 0) {
        push(app, (struct typeahead_item){.key = key}, false);
        return true;
    }
    if (app->prompt.kind != PROMPT_NONE)
        return false;
    struct view *top = app_top(app);
    if (!top || !loading(top))
        return false;
    /* help and the command line do not act on the screen's data: they open
     * at once, also over a search field that would take the key as text, so
     * what is typed after `:` never lands on the screen as keys */
    enum action a = keymap_lookup(app->cfg.km, top->ops->ctx, key);
    if (a == ACTION_HELP || a == ACTION_COMMAND) {
        app_dispatch_action(app, a);
        return true;
    }
    push(app, (struct typeahead_item){.key = key}, false);
    return true;
}

bool typeahead_holding(struct app *app)
{
    struct view *top = app_top(app);
    return app->ta.n > 0 || (top && loading(top));
}

void typeahead_command(struct app *app, const char *line, bool front)
{
    char *copy = strdup(line);
    if (!copy)
        abort();
    push(app, (struct typeahead_item){.command = copy}, front);
}

/* A key as the agent would name it in the message. */
static void key_label(int key, char *out, size_t n)
{
    if (key == ' ')
        snprintf(out, n, "Space");
    else if (key > ' ' && key < MC_KEY_BASE && key != 0x7f) {
        char u[8];
        size_t len = text_utf8_encode((unsigned)key, u);
        snprintf(out, n, "%.*s", (int)len, u);
    }
    else if (key == MC_KEY_ENTER)
        snprintf(out, n, "Enter");
    else if (key == MC_KEY_TAB)
        snprintf(out, n, "Tab");
    else if (key == MC_KEY_UP || key == MC_KEY_DOWN || key == MC_KEY_LEFT || key == MC_KEY_RIGHT)
        snprintf(out, n, "%s", key == MC_KEY_UP ? "Up" : key == MC_KEY_DOWN ? "Down" : key == MC_KEY_LEFT ? "Left" : "Right");
    else
        snprintf(out, n, "?");
}

void typeahead_drop(struct app *app)
{
    struct typeahead *t = &app->ta;
    if (t->n == 0)
        return;
    char what[160] = "";
    size_t o = 0;
    int keys = 0, commands = 0;
    for (int i = 0; i < t->n; i++) {
        char label[48];
        if (t->items[i].command) {
            commands++;
            snprintf(label, sizeof label, ":%.40s", t->items[i].command);
        } else {
            keys++;
            key_label(t->items[i].key, label, sizeof label);
        }
        if (o + strlen(label) + 5 < sizeof what)
            o += (size_t)snprintf(what + o, sizeof what - o, "%s%s", o ? " " : "", label);
        else if (o + 4 < sizeof what && (o < 3 || strcmp(what + o - 3, "...") != 0))
            o += (size_t)snprintf(what + o, sizeof what - o, "...");
        free(t->items[i].command);
    }
    t->n = 0;
    char msg[240];
    if (commands == 0)
        snprintf(msg, sizeof msg, "Dropped %d key%s typed ahead: %s", keys, keys == 1 ? "" : "s", what);
    else
        snprintf(msg, sizeof msg, "Dropped what was typed ahead: %s", what);
    beep();
    if (app->msg[0] && (app->msg_level == STATUS_ERROR || app->msg_level == STATUS_WARN) &&
        (app->msg_until == 0 || app_now_ms() < app->msg_until)) {
        /* keep the reason on the line: the drop follows from it */
        size_t len = strlen(app->msg);
        snprintf(app->msg + len, sizeof app->msg - len, " - %s", msg);
    } else {
        snprintf(app->msg, sizeof app->msg, "%s", msg);
        app->msg_level = STATUS_WARN;
        app->msg_until = 0;
    }
    app->chrome_dirty = true;
}

void typeahead_flush(struct app *app)
{
    typeahead_drop(app);
    flushinp();
}

void typeahead_run(struct app *app)
{
    struct typeahead *t = &app->ta;
    while (t->n > 0 && !app->quit) {
        if (app->dialog.open || app->form) {
            typeahead_drop(app);
            return;
        }
        struct view *top = app_top(app);
        if (!top || !app_find_view(app, t->anchor)) {
            typeahead_drop(app); /* the screen they were typed for is gone */
            return;
        }
        if (loading(top) && app->prompt.kind == PROMPT_NONE)
            return; /* wait for its data */
        struct typeahead_item it = t->items[0];
        memmove(t->items, t->items + 1, sizeof t->items[0] * (size_t)(t->n - 1));
        t->n--;
        t->replaying = true;
        if (it.command)
            app_run_command(app, it.command);
        else
            app_handle_key(app, it.key);
        t->replaying = false;
        free(it.command);
        top = app_top(app);
        if (t->n > 0)
            t->anchor = top ? top->id : 0; /* what comes next is for the screen now on top */
    }
}

void typeahead_free(struct app *app)
{
    struct typeahead *t = &app->ta;
    for (int i = 0; i < t->n; i++)
        free(t->items[i].command);
    t->n = 0;
}
