/*
 * command_run.c - runs the command line's verbs (tui/commands.h) in the
 * console.
 *
 * A line may chain commands with `;`: the first runs at once, the others
 * wait in the type-ahead queue (typeahead.c) until the screen the one
 * before opened has its data, so `requests member=919845000002
 * status=pending sort=oldest; approve` approves the oldest pending
 * request of that member, through the approval's usual form and
 * confirmation. An error or warning drops what is still waiting.
 *
 * Member verbs (ledger, coupons, coupon, tickets, notes, goodwill, wrapup)
 * act on the member whose screens are open: from a member's child screen
 * the console goes back to the member's screen first, as the agent would.
 * find, search and customer go back to the search screen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tui/app_priv.h"
#include "tui/commands.h"
#include "tui/settings.h"

#define CHAIN_MAX 16
#define NOTE_MAX_CHARS 255 /* the notes API's limit (API_NOTE_MAX) */

/* The words after the verb, joined by single blanks. */
static void join_args(const struct cmd_resolved *r, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < r->argc && o + 1 < n; i++)
        o += (size_t)snprintf(out + o, n - o, "%s%s", i ? " " : "", r->argv[i]);
}

/* The words after the verb, quoted again for a screen that splits them itself. */
static void quote_args(char *const *argv, int argc, char *out, size_t n)
{
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < argc && o + 1 < n; i++) {
        char q[CMD_MAX_LINE];
        cmd_quote(argv[i], q, sizeof q);
        o += (size_t)snprintf(out + o, n - o, "%s%s", i ? " " : "", q);
    }
}

/* Offers a verb to the screen on top. */
static bool top_command(struct app *app, const char *verb, const char *arg)
{
    struct view *top = app_top(app);
    if (!top || !top->ops->command)
        return false;
    int id = top->id; /* the command may pop (free) the view */
    bool done = top->ops->command(top, verb, arg);
    struct view *still = app_find_view(app, id);
    if (still)
        still->dirty = true;
    return done;
}

/* The member's own screen nearest the top, or NULL. */
static struct view *member_screen(struct app *app)
{
    for (int i = app->depth - 1; i >= 0; i--)
        if (app->stack[i]->ops->ctx == CTX_CUSTOMER)
            return app->stack[i];
    return NULL;
}

/* The screen an action opens, to tell when it is already on top. */
static enum key_context context_of(enum action a)
{
    switch (a) {
    case ACTION_LEDGER: return CTX_LEDGER;
    case ACTION_COUPONS: return CTX_COUPONS;
    case ACTION_TICKETS: return CTX_TICKETS;
    case ACTION_NOTES: return CTX_NOTES;
    case ACTION_GOODWILL: return CTX_GOODWILL;
    default: return CTX_COUNT;
    }
}

static bool refuse_if_not_allowed(struct app *app, enum action a)
{
    if (app_action_allowed(app, a))
        return false;
    const struct action_info *ai = action_info(a);
    app_status(app, STATUS_WARN, "'%s' is not available to %s%s", ai->name, app_till(app),
               app_readonly(app) ? " in read-only mode" : "");
    return true;
}

/* Runs a member action from the member's screen (going back to it first). */
static bool member_action(struct app *app, enum action a)
{
    if (refuse_if_not_allowed(app, a))
        return false;
    struct view *top = app_top(app);
    if (top && top->ops->ctx == context_of(a) && a != ACTION_GOODWILL)
        return true; /* already there */
    if (top && (top->ops->ctx == CTX_CUSTOMER || top->ops->ctx == context_of(a))) {
        app_dispatch_action(app, a);
        return true;
    }
    struct view *m = member_screen(app);
    if (!m) {
        app_status(app, STATUS_ERROR, "No member is open: find one first (:find QUERY or :customer IDENTIFIER)");
        return false;
    }
    for (int i = app->depth - 1; i >= 0 && app->stack[i] != m; i--) {
        if (app->stack[i]->writes_pending > 0) {
            app_status(app, STATUS_WARN, "A change is being sent: wait for the server's answer");
            return false;
        }
    }
    while (app_top(app) != m)
        app_pop(app);
    app_dispatch_action(app, a);
    return true;
}

static void back_to_root(struct app *app)
{
    while (app->depth > 1)
        app_pop(app);
}

static void run_coupon(struct app *app, const char *code)
{
    if (top_command(app, "coupon", code))
        return;
    if (member_screen(app)) {
        if (!member_action(app, ACTION_COUPONS))
            return;
        char line[300];
        char q[256];
        cmd_quote(code, q, sizeof q);
        snprintf(line, sizeof line, "coupon %s", q);
        typeahead_command(app, line, true); /* once the member's coupons are in */
        return;
    }
    back_to_root(app);
    if (!top_command(app, "coupon", code))
        app_status(app, STATUS_ERROR, "Coupons cannot be looked up from here");
}

static void run_goodwill(struct app *app, const struct cmd_resolved *r)
{
    char args[CMD_MAX_LINE];
    quote_args(r->argv, r->argc, args, sizeof args);
    struct view *top = app_top(app);
    if (r->argc > 0 && top && top->ops->ctx == CTX_GOODWILL) {
        if (refuse_if_not_allowed(app, ACTION_GOODWILL))
            return;
        if (top_command(app, "goodwill", args))
            return;
    }
    if (!member_action(app, ACTION_GOODWILL) || r->argc == 0)
        return;
    top = app_top(app);
    if (!top || top->ops->ctx != CTX_GOODWILL || !top_command(app, "goodwill", args))
        app_status(app, STATUS_ERROR, "The goodwill screen did not open");
}

static void run_requests(struct app *app, const struct cmd_resolved *r)
{
    char *filters[CMD_MAX_WORDS];
    int nf = 0;
    const char *sort = NULL;
    for (int i = 0; i < r->argc; i++) {
        if (strncmp(r->argv[i], "sort=", 5) == 0)
            sort = r->argv[i] + 5;
        else
            filters[nf++] = r->argv[i];
    }
    if (sort && strcmp(sort, "oldest") != 0 && strcmp(sort, "newest") != 0) {
        app_status(app, STATUS_ERROR, "sort= takes oldest or newest: %s", r->verb.synopsis);
        return;
    }
    struct view *top = app_top(app);
    if (!top || top->ops->ctx != CTX_REQUESTS) {
        if (refuse_if_not_allowed(app, ACTION_REQUESTS))
            return;
        app_dispatch_action(app, ACTION_REQUESTS);
        top = app_top(app);
        if (!top || top->ops->ctx != CTX_REQUESTS)
            return; /* the screen said why */
    }
    if (nf > 0) {
        char args[CMD_MAX_LINE];
        quote_args(filters, nf, args, sizeof args);
        if (!top_command(app, "requests", args))
            return;
    }
    /* the queue lists oldest first: the cursor goes to the end asked for once it is loaded */
    if (sort)
        typeahead_command(app, strcmp(sort, "newest") == 0 ? "move-last" : "move-first", true);
}

static void run_wrapup(struct app *app)
{
    int64_t member = 0;
    for (int i = app->depth - 1; i >= 0 && member == 0; i--)
        member = app->stack[i]->member_id;
    if (member <= 0) {
        app_status(app, STATUS_ERROR, "No member is open: :wrapup drafts a note about the member on screen");
        return;
    }
    char date[16];
    time_t now = (time_t)app_wall_time(app);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(date, sizeof date, "%Y-%m-%d", &tm);
    char text[1024];
    wrapup_draft(&app->writes, member, app_till(app), date, text, sizeof text, NOTE_MAX_CHARS);
    app_copy(app, "the wrap-up note", text);
    if (!app_action_allowed(app, ACTION_NOTE_ADD)) {
        app_status(app, STATUS_WARN, "Wrap-up copied; notes cannot be saved by %s%s", app_till(app),
                   app_readonly(app) ? " in read-only mode" : "");
        return;
    }
    struct view *top = app_top(app);
    if (top && top->ops->ctx == CTX_NOTES && top->member_id == member) {
        top_command(app, "note-add", text);
        return;
    }
    struct view *m = member_screen(app);
    if (!m || m->member_id != member) {
        app_status(app, STATUS_WARN, "Wrap-up copied; open the member's notes to save it");
        return;
    }
    if (!member_action(app, ACTION_NOTES))
        return;
    top = app_top(app);
    if (!top || top->ops->ctx != CTX_NOTES || !top_command(app, "note-add", text))
        app_status(app, STATUS_WARN, "Wrap-up copied; the notes screen did not open");
}

static void run_setting(struct app *app, const char *key, const char *value)
{
    char err[200];
    if (!app_set_option(app, key, value, err, sizeof err)) /* on success it says what changed */
        app_status(app, STATUS_ERROR, "%s", err);
}

static void run_one(struct app *app, const char *line)
{
    struct cmd_words w;
    char err[240];
    if (cmd_split(line, &w, err, sizeof err) == (size_t)-1) {
        app_status(app, STATUS_ERROR, "Command not understood: %s", err);
        return;
    }
    if (w.argc == 0)
        return;
    struct cmd_resolved r;
    if (!cmd_check(&w, &r, err, sizeof err)) {
        /* a screen may take verbs of its own (export!, channel) */
        struct cmd_verb known;
        if (!cmd_verb_lookup(w.argv[0], &known)) {
            char rest[CMD_MAX_LINE];
            quote_args(w.argv + 1, w.argc - 1, rest, sizeof rest);
            if (top_command(app, w.argv[0], rest)) {
                cmd_words_free(&w);
                return;
            }
        }
        app_status(app, STATUS_ERROR, "%s", err);
        cmd_words_free(&w);
        return;
    }
    const char *verb = r.verb.name;
    char args[CMD_MAX_LINE];
    join_args(&r, args, sizeof args);

    if (strcmp(verb, "quit") == 0 || strcmp(verb, "q") == 0) {
        app_request_quit(app, false);
    } else if (strcmp(verb, "find") == 0 || strcmp(verb, "search") == 0 || strcmp(verb, "customer") == 0) {
        back_to_root(app);
        if (!top_command(app, verb, args))
            app_status(app, STATUS_ERROR, "The search screen does not take :%s", verb);
    } else if (strcmp(verb, "coupon") == 0) {
        run_coupon(app, args);
    } else if (strcmp(verb, "goodwill") == 0) {
        run_goodwill(app, &r);
    } else if (strcmp(verb, "requests") == 0) {
        run_requests(app, &r);
    } else if (strcmp(verb, "export") == 0) {
        if (!top_command(app, "export", args))
            app_status(app, STATUS_WARN, "Nothing to export on this screen (the ledger exports CSV)");
    } else if (strcmp(verb, "profile") == 0) {
        if (!app_use_profile(app, args, err, sizeof err))
            app_status(app, STATUS_ERROR, "Profile not changed: %s", err);
    } else if (strcmp(verb, "theme") == 0) {
        run_setting(app, "theme", args);
    } else if (strcmp(verb, "set") == 0) {
        run_setting(app, r.argv[0], r.argv[1]);
    } else if (strcmp(verb, "wrapup") == 0) {
        run_wrapup(app);
    } else if (context_of(r.verb.action) != CTX_COUNT) {
        member_action(app, r.verb.action);
    } else if (r.argc > 0) {
        if (!top_command(app, verb, args))
            app_status(app, STATUS_WARN, "'%s' does nothing on this screen", verb);
    } else if (!top_command(app, verb, "")) {
        app_dispatch_action(app, r.verb.action);
    }
    cmd_words_free(&w);
}

/* The verbs that do not act on the data of the screen on top: they run at
 * once, even while it loads. */
static bool runs_at_once(const char *line)
{
    static const char *const verbs[] = {"find", "search", "customer", "requests", "audit", "profile",
                                        "theme", "set", "quit", "q", "help"};
    while (*line == ' ' || *line == '\t')
        line++;
    size_t len = strcspn(line, " \t;");
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strlen(verbs[i]) == len && strncmp(line, verbs[i], len) == 0)
            return true;
    return false;
}

void app_run_command(struct app *app, const char *line)
{
    if (!app->ta.replaying && typeahead_holding(app) && !runs_at_once(line)) {
        /* typed while the screen loads: it is meant for what the screen is about to show */
        typeahead_command(app, line, false);
        app_status(app, STATUS_INFO, "':%.60s' runs once the screen has its data", line);
        return;
    }
    size_t starts[CHAIN_MAX], ends[CHAIN_MAX];
    char err[200];
    int n = cmd_chain(line, starts, ends, CHAIN_MAX, err, sizeof err);
    if (n < 0) {
        app_status(app, STATUS_ERROR, "Command not understood: %s", err);
        return;
    }
    char text[CMD_MAX_LINE + 1];
    /* the later commands wait for the screen of the first, in order */
    for (int i = n - 1; i >= 1; i--) {
        snprintf(text, sizeof text, "%.*s", (int)(ends[i] - starts[i]), line + starts[i]);
        typeahead_command(app, text, true);
    }
    if (n > 0) {
        snprintf(text, sizeof text, "%.*s", (int)(ends[0] - starts[0]), line + starts[0]);
        run_one(app, text);
    }
    /* the rest is for the screen the first command left on top (it may have
     * gone back to the search screen first) */
    struct view *top = app_top(app);
    if (n > 1 && app->ta.n > 0 && top)
        app->ta.anchor = top->id;
}
