/*
 * prompt.c - the command line (`:`) and the filter line (`/`), drawn in
 * the status bar.
 *
 * The command line takes the verbs of tui/commands.h (run by
 * command_run.c). Tab completes the verb, or the argument the verb takes
 * (theme names, option keys and values, profiles, queue filters, the
 * goodwill reasons of an open goodwill screen), and
 * cycles through the candidates; while a known verb is typed its synopsis
 * and help show at the right of the line. Up/Down walk the history, which
 * is kept across runs (tui/history.c); Ctrl-R finds the latest earlier
 * line containing what is typed. The filter line applies as it is typed;
 * Esc clears it.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/app_priv.h"
#include "tui/commands.h"
#include "tui/config.h"
#include "tui/settings.h"
#include "tui/theme_spec.h"

#define MAX_NAMES 64

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

static void history_ready(struct app *app)
{
    struct prompt *p = &app->prompt;
    if (p->history_loaded)
        return;
    char path[1024];
    history_default_path(path, sizeof path);
    history_load(&p->hist, path);
    p->history_loaded = true;
}

void prompt_open(struct app *app, enum prompt_kind kind, const char *initial)
{
    struct prompt *p = &app->prompt;
    history_ready(app);
    p->kind = kind;
    lineedit_set(&p->le, initial ? initial : "");
    p->history_pos = p->hist.n;
    p->completion_index = -1;
    free(p->completion_stem);
    p->completion_stem = NULL;
    app->chrome_dirty = true;
}

static void prompt_close(struct app *app)
{
    app->prompt.kind = PROMPT_NONE;
    app->chrome_dirty = true;
    struct view *top = app_top(app);
    if (top)
        top->dirty = true;
}

/* The names completion offers, gathered fresh (profiles and themes may change). */
struct names {
    const char *themes[MAX_NAMES], *profiles[MAX_NAMES], *reasons[MAX_NAMES];
    struct cmd_complete_src src;
};

static void gather(struct app *app, struct names *nm)
{
    size_t nt = 0;
    for (size_t i = 0; theme_builtins[i] && nt < MAX_NAMES; i++)
        nm->themes[nt++] = theme_builtins[i]->name;
    const struct config *c = app->cfg.config;
    for (size_t i = 0; c && i < c->n_themes && nt < MAX_NAMES; i++)
        nm->themes[nt++] = c->themes[i].name;
    size_t np = app_profile_names(app, nm->profiles, MAX_NAMES);
    if (np > MAX_NAMES)
        np = MAX_NAMES;
    const char *const *opts = app_option_names();
    size_t no = 0;
    while (opts && opts[no])
        no++;
    /* goodwill reasons from the screen that loaded the org's list, if one is open */
    size_t nr = 0;
    for (int i = app->depth - 1; i >= 0 && nr == 0; i--) {
        struct view *v = app->stack[i];
        if (v->ops->names)
            nr = v->ops->names(v, "reasons", nm->reasons, MAX_NAMES);
    }
    nm->src = (struct cmd_complete_src){
        .themes = {nm->themes, nt},
        .options = {opts, no},
        .profiles = {nm->profiles, np},
        .reasons = {nm->reasons, nr},
    };
}

static void complete(struct app *app)
{
    struct prompt *p = &app->prompt;
    if (p->completion_index < 0) {
        free(p->completion_stem);
        p->completion_stem = xstrdup(lineedit_text(&p->le));
    }
    struct names nm;
    gather(app, &nm);
    char out[CMD_MAX_LINE + 64];
    int next = p->completion_index + 1;
    int count = cmd_complete(p->completion_stem, &nm.src, next, out, sizeof out);
    if (count > 0 && next >= count) {
        next = 0;
        count = cmd_complete(p->completion_stem, &nm.src, next, out, sizeof out);
    }
    if (count == 0) {
        app_status(app, STATUS_INFO, "Nothing to complete here (? lists the keys)");
        return;
    }
    p->completion_index = next;
    lineedit_set(&p->le, out);
    if (count > 1)
        app_status(app, STATUS_INFO, "%d choices: Tab again for the next", count);
}

static void history_walk(struct app *app, int dir)
{
    struct prompt *p = &app->prompt;
    int pos = p->history_pos + dir;
    if (pos < 0 || pos > p->hist.n)
        return;
    if (p->history_pos == p->hist.n) {
        free(p->saved_line);
        p->saved_line = xstrdup(lineedit_text(&p->le));
    }
    p->history_pos = pos;
    lineedit_set(&p->le, pos == p->hist.n ? (p->saved_line ? p->saved_line : "") : p->hist.lines[pos]);
}

/* Ctrl-R: the latest line before the one shown that contains what was typed. */
static void history_find(struct app *app)
{
    struct prompt *p = &app->prompt;
    if (p->history_pos == p->hist.n) {
        free(p->saved_line);
        p->saved_line = xstrdup(lineedit_text(&p->le));
    }
    const char *needle = p->saved_line ? p->saved_line : "";
    for (int i = p->history_pos - 1; i >= 0; i--) {
        if (strstr(p->hist.lines[i], needle)) {
            p->history_pos = i;
            lineedit_set(&p->le, p->hist.lines[i]);
            return;
        }
    }
    app_status(app, STATUS_INFO, "No earlier command contains '%s'", needle);
}

static void apply_filter(struct app *app, const char *text)
{
    struct view *top = app_top(app);
    if (top && top->ops->filter) {
        top->ops->filter(top, text);
        top->dirty = true;
    }
}

bool prompt_key(struct app *app, int key)
{
    struct prompt *p = &app->prompt;
    app->chrome_dirty = true;
    if (key == MC_KEY_ESC || (key == MC_KEY_BACKSPACE && lineedit_text(&p->le)[0] == '\0')) {
        if (p->kind == PROMPT_FILTER)
            apply_filter(app, "");
        prompt_close(app);
        return true;
    }
    if (key == MC_KEY_ENTER) {
        char *line = xstrdup(lineedit_text(&p->le));
        enum prompt_kind kind = p->kind;
        prompt_close(app);
        if (kind == PROMPT_COMMAND) {
            if (!history_add(&p->hist, line))
                app_status(app, STATUS_WARN, "Cannot save the command history in %s", p->hist.path);
            app_run_command(app, line);
        } else {
            apply_filter(app, line);
        }
        free(line);
        return true;
    }
    if (p->kind == PROMPT_COMMAND) {
        if (key == MC_KEY_TAB) {
            complete(app);
            return true;
        }
        if (key == MC_KEY_UP || key == MC_KEY_DOWN) {
            history_walk(app, key == MC_KEY_UP ? -1 : 1);
            return true;
        }
        if (key == MC_KEY_CTRL('r')) {
            history_find(app);
            return true;
        }
    }
    p->completion_index = -1;
    if (lineedit_key(&p->le, key) >= LINEEDIT_CHANGED && p->kind == PROMPT_FILTER)
        apply_filter(app, lineedit_text(&p->le));
    return true;
}

void prompt_hint(struct app *app, char *out, size_t n)
{
    out[0] = '\0';
    if (app->prompt.kind != PROMPT_COMMAND || n == 0)
        return;
    struct cmd_verb v;
    if (!cmd_typing_verb(lineedit_text(&app->prompt.le), &v))
        return;
    snprintf(out, n, "%s %s %s", v.synopsis, app->ascii ? "-" : "\xe2\x80\x94", v.help);
}

void prompt_done(struct app *app)
{
    struct prompt *p = &app->prompt;
    history_free(&p->hist);
    free(p->saved_line);
    free(p->completion_stem);
    p->saved_line = p->completion_stem = NULL;
    lineedit_done(&p->le);
}
