/*
 * prompt.c - the command line (`:`) and the filter line (`/`), drawn in
 * the status bar.
 *
 * Every keymap action is a command by its name; the built-in verbs are
 * `quit`, `search [QUERY]` and `customer IDENTIFIER`, and a view may take
 * more (its ops->command). Tab completes and cycles through the names that
 * start with what is typed; Up/Down walk the history of this session.
 * The filter line applies as it is typed; Esc clears it.
 */
#include <stdlib.h>
#include <string.h>

#include "tui/app_priv.h"

static const char *const builtin_verbs[] = {"quit", "q", "search", "customer", "find"};

static char *xstrdup(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

void prompt_open(struct app *app, enum prompt_kind kind, const char *initial)
{
    struct prompt *p = &app->prompt;
    p->kind = kind;
    lineedit_set(&p->le, initial ? initial : "");
    p->history_pos = p->n_history;
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

static void history_add(struct prompt *p, const char *line)
{
    if (!*line || (p->n_history > 0 && strcmp(p->history[p->n_history - 1], line) == 0))
        return;
    if (p->n_history == APP_HISTORY) {
        free(p->history[0]);
        memmove(p->history, p->history + 1, sizeof p->history[0] * (APP_HISTORY - 1));
        p->n_history--;
    }
    p->history[p->n_history++] = xstrdup(line);
}

/* The idx-th name (builtin verbs, then actions) starting with stem, or NULL. */
static const char *completion(const char *stem, int idx)
{
    size_t n = strlen(stem);
    int seen = 0;
    for (size_t i = 0; i < sizeof builtin_verbs / sizeof builtin_verbs[0]; i++)
        if (strncmp(builtin_verbs[i], stem, n) == 0 && seen++ == idx)
            return builtin_verbs[i];
    for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
        const char *name = action_info((enum action)a)->name;
        if (strncmp(name, stem, n) == 0 && seen++ == idx)
            return name;
    }
    return NULL;
}

static void complete(struct app *app)
{
    struct prompt *p = &app->prompt;
    if (p->completion_index < 0) {
        free(p->completion_stem);
        p->completion_stem = xstrdup(lineedit_text(&p->le));
        if (strchr(p->completion_stem, ' '))
            return; /* only the verb completes */
    }
    int next = p->completion_index + 1;
    const char *m = completion(p->completion_stem, next);
    if (!m) {
        next = 0;
        m = completion(p->completion_stem, 0);
    }
    if (!m) {
        app_status(app, STATUS_WARN, "No command starts with '%s'", p->completion_stem);
        return;
    }
    p->completion_index = next;
    lineedit_set(&p->le, m);
}

static void history_walk(struct app *app, int dir)
{
    struct prompt *p = &app->prompt;
    int pos = p->history_pos + dir;
    if (pos < 0 || pos > p->n_history)
        return;
    if (p->history_pos == p->n_history) {
        free(p->saved_line);
        p->saved_line = xstrdup(lineedit_text(&p->le));
    }
    p->history_pos = pos;
    lineedit_set(&p->le, pos == p->n_history ? (p->saved_line ? p->saved_line : "") : p->history[pos]);
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
            history_add(p, line);
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
    }
    p->completion_index = -1;
    if (lineedit_key(&p->le, key) >= LINEEDIT_CHANGED && p->kind == PROMPT_FILTER)
        apply_filter(app, lineedit_text(&p->le));
    return true;
}

void app_run_command(struct app *app, const char *line)
{
    while (*line == ' ')
        line++;
    char verb[64];
    size_t n = strcspn(line, " ");
    if (n == 0)
        return;
    if (n >= sizeof verb)
        n = sizeof verb - 1;
    memcpy(verb, line, n);
    verb[n] = '\0';
    const char *arg = line + strcspn(line, " ");
    while (*arg == ' ')
        arg++;

    if (strcmp(verb, "quit") == 0 || strcmp(verb, "q") == 0) {
        app_request_quit(app, false);
        return;
    }
    /* the screen on top first, then the root (search), which owns find/customer */
    struct view *top = app_top(app);
    if (top && top->ops->command && top->ops->command(top, verb, arg))
        return;
    struct view *root = app->depth > 0 ? app->stack[0] : NULL;
    if (root && root != top && root->ops->command) {
        bool is_root_verb = strcmp(verb, "search") == 0 || strcmp(verb, "find") == 0 ||
                            strcmp(verb, "customer") == 0;
        if (is_root_verb) {
            while (app->depth > 1)
                app_pop(app);
            if (root->ops->command(root, verb, arg))
                return;
        }
    }
    enum action a = action_by_name(verb);
    if (a == ACTION_COUNT || a == ACTION_NONE) {
        app_status(app, STATUS_ERROR, "Unknown command ':%s' (Tab completes, ? lists keys)", verb);
        return;
    }
    app_dispatch_action(app, a);
}

void prompt_done(struct app *app)
{
    struct prompt *p = &app->prompt;
    for (int i = 0; i < p->n_history; i++)
        free(p->history[i]);
    p->n_history = 0;
    free(p->saved_line);
    free(p->completion_stem);
    p->saved_line = p->completion_stem = NULL;
    lineedit_done(&p->le);
}
