/*
 * settings.c - what `:set`, `:theme` and `:profile` change at run time,
 * masking, and copying to the clipboard.
 *
 * A profile switch builds the new connection first and tears the screens
 * down only once that worked, so an unknown profile, a refused host or a
 * secret that could not be read leaves the agent where they were. (The
 * server checks the password itself on the first request: a wrong one shows
 * as a 401 on the search screen of the new profile.)
 * The copy is written straight to the terminal between frames: OSC 52 moves
 * no cursor and draws nothing, so curses' idea of the screen stays right.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tui/app_priv.h"
#include "tui/config.h"
#include "tui/osc52.h"
#include "tui/settings.h"

static const char *const option_names[] = {"theme", "mask", "mouse", "refresh", NULL};

const char *const *app_option_names(void) { return option_names; }

bool app_masking(const struct app *app) { return app->mask; }

void app_note_name(struct app *app, const char *first, const char *last)
{
    mask_names_add(&app->names, first);
    mask_names_add(&app->names, last);
}

static int parse_switch(const char *v)
{
    static const char *const on[] = {"on", "true", "yes", "1"};
    static const char *const off[] = {"off", "false", "no", "0"};
    for (size_t i = 0; v && i < 4; i++) {
        if (strcasecmp(v, on[i]) == 0)
            return 1;
        if (strcasecmp(v, off[i]) == 0)
            return 0;
    }
    return -1;
}

static void repaint_all(struct app *app)
{
    app->chrome_dirty = true;
    for (int i = 0; i < app->depth; i++)
        app->stack[i]->dirty = true;
}

/* Appends ", word" (or word first) to buf while it fits. */
static void list_add(char *buf, size_t n, const char *word)
{
    size_t len = strlen(buf);
    if (len + 2 < n)
        snprintf(buf + len, n - len, "%s%s", len ? ", " : "", word);
}

static void theme_list(const struct app *app, char *buf, size_t n)
{
    buf[0] = '\0';
    for (size_t i = 0; theme_builtins[i]; i++)
        list_add(buf, n, theme_builtins[i]->name);
    const struct config *c = app->cfg.config;
    for (size_t i = 0; c && i < c->n_themes; i++)
        list_add(buf, n, c->themes[i].name);
}

bool app_set_option(struct app *app, const char *key, const char *value, char *err, size_t errlen)
{
    if (!key || !value || !*value) {
        snprintf(err, errlen, "usage: set KEY VALUE (keys: theme, mask, mouse, refresh)");
        return false;
    }
    if (strcmp(key, "theme") == 0) {
        if (!theme_known(app, value)) {
            char names[256];
            theme_list(app, names, sizeof names);
            snprintf(err, errlen, "no theme '%.40s' (themes: %s)", value, names);
            return false;
        }
        snprintf(app->theme, sizeof app->theme, "%s", value);
        theme_apply(app);
        if (!app->color && strcmp(value, "mono") != 0)
            app_status(app, STATUS_INFO, "Theme %s (this terminal shows no colours: attributes only)", value);
        else
            app_status(app, STATUS_OK, "Theme %s", value);
        return true;
    }
    if (strcmp(key, "mask") == 0 || strcmp(key, "mouse") == 0) {
        int on = parse_switch(value);
        if (on < 0) {
            snprintf(err, errlen, "%s must be on or off, not '%.40s'", key, value);
            return false;
        }
        if (strcmp(key, "mask") == 0) {
            app->mask = on;
            repaint_all(app);
            app_status(app, STATUS_OK, "Personal data %s", on ? "masked" : "shown in full");
        } else {
            mouse_enable(app, on);
            app_status(app, STATUS_OK, "Mouse %s", on ? "on (Shift+drag still selects text in most terminals)"
                                                     : "off");
        }
        return true;
    }
    if (strcmp(key, "refresh") == 0) {
        char *end;
        long n = strtol(value, &end, 10);
        if (*value < '0' || *value > '9' || *end || n > 86400) {
            snprintf(err, errlen, "refresh must be a number of seconds from 0 (never) to 86400");
            return false;
        }
        app->cfg.refresh_interval = (int)n;
        if (n)
            app_status(app, STATUS_OK, "Live lists refresh every %ld s", n);
        else
            app_status(app, STATUS_OK, "Live lists refresh only on F5");
        return true;
    }
    snprintf(err, errlen, "unknown setting '%.40s' (settings: theme, mask, mouse, refresh)", key);
    return false;
}

size_t app_profile_names(const struct app *app, const char **out, size_t max)
{
    const struct config *c = app->cfg.config;
    if (!c)
        return 0;
    for (size_t i = 0; i < c->n_profiles && i < max; i++)
        out[i] = c->profiles[i].name;
    return c->n_profiles;
}

static bool writes_in_flight(const struct app *app)
{
    for (int i = 0; i < app->depth; i++)
        if (app->stack[i]->writes_pending > 0)
            return true;
    return false;
}

bool app_use_profile(struct app *app, const char *name, char *err, size_t errlen)
{
    if (!app->cfg.connect || !app->cfg.config || app->cfg.config->n_profiles == 0) {
        snprintf(err, errlen, "no profiles: add [profile NAME] sections to the config file");
        return false;
    }
    if (!name || !config_find_profile(app->cfg.config, name)) {
        char names[256] = "";
        for (size_t i = 0; i < app->cfg.config->n_profiles; i++)
            list_add(names, sizeof names, app->cfg.config->profiles[i].name);
        snprintf(err, errlen, "no profile '%.40s' (profiles: %s)", name ? name : "", names);
        return false;
    }
    if (writes_in_flight(app)) {
        snprintf(err, errlen, "a change is being sent: wait for the server's answer, then switch");
        return false;
    }
    struct app_session s;
    memset(&s, 0, sizeof s);
    struct api *api = app->cfg.connect(app->cfg.connect_ctx, name, &s, err, errlen);
    /* a password prompt may have left the screen: take it back either way */
    screen_resize(app);
    if (!api)
        return false;
    const struct view_ops *root = app->depth > 0 ? app->stack[0]->ops : NULL;
    while (app->depth > 0)
        app_pop(app);
    if (app->dialog.open)
        dialog_key(app, MC_KEY_ESC); /* a question about the old profile has no answer now */
    if (app->owned_api)
        api_free(&app->owned_api);
    app->owned_api = api;
    app->cfg.api = api;
    app->session = s;
    app->cfg.till = app->session.till;
    app->cfg.cluster = app->session.cluster;
    app->cfg.profile = app->session.profile;
    app->cfg.profile_color = app->session.color[0] ? app->session.color : NULL;
    app->cfg.readonly = s.readonly;
    app->cfg.can_make = s.can_make;
    app->cfg.can_check = s.can_check;
    app->busy_since = 0;
    theme_apply(app);
    if (root && !app_push(app, root, NULL))
        app->quit = true;
    app_status(app, STATUS_OK, "Profile %s: %s@%s%s", app->session.profile, app->session.till,
               app->session.cluster, s.readonly ? " (read-only)" : "");
    return true;
}

void app_copy(struct app *app, const char *label, const char *text)
{
    if (!text)
        return;
    size_t cap = OSC52_MAX_TEXT / 3 * 4 + 64;
    char *seq = malloc(cap);
    if (!seq)
        abort();
    const char *tmux = getenv("TMUX");
    bool ok = true;
    /* tmux takes the plain sequence when set-clipboard is on (and keeps a
     * paste buffer); the passthrough reaches the outer terminal when
     * allow-passthrough is on. One of them is enough, both are harmless. */
    size_t n = osc52_sequence(text, false, seq, cap);
    fflush(stdout);
    if (n && write(STDOUT_FILENO, seq, n) != (ssize_t)n)
        ok = false;
    if (tmux && *tmux) {
        n = osc52_sequence(text, true, seq, cap);
        if (n && write(STDOUT_FILENO, seq, n) != (ssize_t)n)
            ok = false;
    }
    free(seq);
    if (!ok) {
        app_status(app, STATUS_ERROR, "Could not write to the terminal to copy %s", label);
        return;
    }
    size_t len = strlen(text);
    if (len <= 48 && !strpbrk(text, "\r\n\t"))
        app_status(app, STATUS_OK, "Copied %s %s", label, text);
    else
        app_status(app, STATUS_OK, "Copied %s (%zu characters)", label, len);
}

void app_copy_focused(struct app *app, bool whole_row)
{
    struct view *top = app_top(app);
    char label[64] = "", text[4096] = "";
    if (!top || !top->ops->copy ||
        !top->ops->copy(top, whole_row, label, sizeof label, text, sizeof text) || !text[0]) {
        app_status(app, STATUS_INFO, "Nothing to copy here");
        return;
    }
    app_copy(app, label[0] ? label : whole_row ? "row" : "value", text);
}

void settings_init(struct app *app)
{
    const struct config *c = app->cfg.config;
    const char *theme = app->cfg.theme ? app->cfg.theme : c && c->theme ? c->theme : "default";
    snprintf(app->theme, sizeof app->theme, "%s", theme);
    app->mask = app->cfg.mask || (c && c->mask);
    theme_apply(app);
    mouse_enable(app, app->cfg.mouse || (c && c->mouse));
}

void settings_done(struct app *app)
{
    mouse_enable(app, false);
    if (app->owned_api)
        api_free(&app->owned_api);
}

/* Names arrive in answers before any screen draws them: noting them here,
 * for every kind that carries a member's name, masks them on every screen
 * without each view having to remember. */
void settings_note_result(struct app *app, const struct api_result *res)
{
    const struct mc_customer *c = API_DATA(res, CUSTOMER, const struct mc_customer);
    if (c)
        app_note_name(app, c->first_name, c->last_name);
    const struct mc_search_page *sp = API_DATA(res, SEARCH, const struct mc_search_page);
    for (size_t i = 0; sp && i < sp->n; i++)
        app_note_name(app, sp->hits[i].first_name, sp->hits[i].last_name);
    const struct mc_request_page *rp = API_DATA(res, REQUEST_LIST, const struct mc_request_page);
    for (size_t i = 0; rp && i < rp->n; i++)
        app_note_name(app, rp->items[i].first_name, rp->items[i].last_name);
    const struct mc_request_trail *rt = API_DATA(res, REQUEST_TRAIL, const struct mc_request_trail);
    if (rt)
        app_note_name(app, rt->req.first_name, rt->req.last_name);
    const struct mc_ledger_page *lp = API_DATA(res, LEDGER_PAGE, const struct mc_ledger_page);
    if (lp)
        app_note_name(app, lp->first_name, lp->last_name);
    const struct mc_coupon_owner_list *ol = API_DATA(res, COUPON_LOOKUP, const struct mc_coupon_owner_list);
    for (size_t i = 0; ol && i < ol->n; i++)
        app_note_name(app, ol->items[i].name, NULL);
}
