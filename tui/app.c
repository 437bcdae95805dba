/*
 * app.c - the event loop, the view stack and the routing of keys and
 * results.
 *
 * One thread. The loop poll()s stdin, the api's completion fd and the
 * signal self-pipe, with a timeout set by the earliest timer (spinner,
 * message expiry, the top view's own timer). Handlers only mark things
 * dirty; at the end of each pass the dirty views are drawn and the screen
 * is flushed once with update_panels(); doupdate(). An idle console sleeps
 * in poll().
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/app_priv.h"

double app_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

long long app_wall_time(const struct app *app)
{
    return app->now_override ? app->now_override : (long long)time(NULL);
}

bool app_readonly(const struct app *app) { return app->cfg.readonly; }
bool app_ascii(const struct app *app) { return app->ascii; }
const struct keymap *app_keymap(const struct app *app) { return app->cfg.km; }

const char *app_till(const struct app *app) { return app->cfg.till ? app->cfg.till : ""; }
bool app_can_make(const struct app *app) { return app->cfg.can_make; }
bool app_can_check(const struct app *app) { return app->cfg.can_check; }
int app_refresh_interval(const struct app *app) { return app->cfg.refresh_interval; }
double app_flag_points(const struct app *app) { return app->cfg.flag_points; }

void app_revoke_right(struct app *app, unsigned act_flag)
{
    if (act_flag & ACT_NEEDS_MAKER)
        app->cfg.can_make = false;
    if (act_flag & ACT_NEEDS_CHECKER)
        app->cfg.can_check = false;
    app->chrome_dirty = true;
}

bool app_action_allowed(const struct app *app, enum action a)
{
    const struct action_info *ai = action_info(a);
    if (!ai)
        return false;
    if (app->cfg.readonly && (ai->flags & (ACT_DANGEROUS | ACT_WRITE)))
        return false;
    if ((ai->flags & ACT_NEEDS_MAKER) && !app->cfg.can_make)
        return false;
    if ((ai->flags & ACT_NEEDS_CHECKER) && !app->cfg.can_check)
        return false;
    return true;
}

void app_confirm(struct view *v, const char *text, void (*fn)(struct view *v, bool yes))
{
    struct app *app = v->app;
    typeahead_flush(app); /* a write never runs on keys typed before its question */
    dialog_confirm(app, v, text, NULL);
    app->dialog.view_fn = fn;
}

struct view *app_top(struct app *app)
{
    return app->depth > 0 ? app->stack[app->depth - 1] : NULL;
}

struct view *app_find_view(struct app *app, int id)
{
    for (int i = 0; i < app->depth; i++)
        if (app->stack[i]->id == id)
            return app->stack[i];
    return NULL;
}

struct view *app_view_below(struct app *app, struct view *v)
{
    for (int i = 1; i < app->depth; i++)
        if (app->stack[i] == v)
            return app->stack[i - 1];
    return NULL;
}

void view_dirty(struct view *v) { v->dirty = true; }

void view_set_timer(struct view *v, int ms)
{
    v->timer_due = ms > 0 ? app_now_ms() + ms : 0;
}

/* The top view's timer may run: nothing modal is waiting for an answer. */
static bool timers_may_run(struct app *app)
{
    return !app->dialog.open && !app->form && app->prompt.kind == PROMPT_NONE && !app->too_small;
}

/* ms until the top view's timer, -1 when none may run. */
static int timer_timeout(struct app *app)
{
    struct view *top = app_top(app);
    if (!top || top->timer_due <= 0 || !top->ops->on_timer || !timers_may_run(app))
        return -1;
    double left = top->timer_due - app_now_ms();
    return left <= 0 ? 0 : (int)left + 1;
}

static void run_timers(struct app *app)
{
    struct view *top = app_top(app);
    if (!top || top->timer_due <= 0 || !top->ops->on_timer || !timers_may_run(app) ||
        app_now_ms() < top->timer_due)
        return;
    top->timer_due = 0;
    top->ops->on_timer(top);
    top->dirty = true;
}

void view_set_crumb(struct view *v, const char *text)
{
    snprintf(v->crumb, sizeof v->crumb, "%s", text ? text : "");
    v->app->chrome_dirty = true;
}

void tui_cursor(struct app *app, WINDOW *win, int y, int x)
{
    app->cursor_win = win;
    app->cursor_y = y;
    app->cursor_x = x;
}

static void busy_update(struct app *app)
{
    bool busy = api_in_flight(app->cfg.api) > 0;
    if (busy && app->busy_since == 0)
        app->busy_since = app_now_ms();
    else if (!busy)
        app->busy_since = 0;
    app->chrome_dirty = true;
}

uint64_t view_submit(struct view *v, struct api_request *req, int tag)
{
    req->owner = v->id;
    req->generation = v->generation;
    req->tag = tag;
    v->pending++;
    if (req->method != API_GET)
        v->writes_pending++;
    uint64_t id = api_submit(v->app->cfg.api, req);
    busy_update(v->app);
    return id;
}

void view_cancel(struct view *v)
{
    api_cancel_owner(v->app->cfg.api, v->id);
    v->generation++;
    v->pending = 0;
    v->writes_pending = 0;
    busy_update(v->app);
}

void app_status(struct app *app, enum status_level lvl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(app->msg, sizeof app->msg, fmt, ap);
    va_end(ap);
    app->msg_level = lvl;
    /* errors stay until replaced; the rest fade so stale news does not mislead */
    app->msg_until = lvl == STATUS_ERROR || lvl == STATUS_WARN ? 0 : app_now_ms() + 5000;
    app->chrome_dirty = true;
    if (lvl == STATUS_ERROR || lvl == STATUS_WARN)
        typeahead_drop(app); /* keys typed for what went wrong must not act on what is left */
}

void app_status_error(struct app *app, const char *what, const struct api_error *err)
{
    char buf[320];
    api_error_format(err, buf, sizeof buf);
    if (err->http_status == 401)
        app_status(app, STATUS_ERROR, "%s: the server refused the sign-in of %s (401): check the till id and password",
                   what, app->cfg.till ? app->cfg.till : "this till");
    else if (err->http_status == 403)
        app_status(app, STATUS_ERROR, "%s: not allowed for %s (403): the till lacks the access group for this",
                   what, app->cfg.till ? app->cfg.till : "this till");
    else if (err->unknown_outcome)
        app_status(app, STATUS_WARN, "%s: the server's answer could not be read (%s); the change may have "
                   "been made: refresh before trying again", what, buf);
    else
        app_status(app, STATUS_ERROR, "%s: %s", what, buf);
}

static void view_make_window(struct app *app, struct view *v)
{
    int rows = app->rows - 2 > 1 ? app->rows - 2 : 1;
    v->win = newwin(rows, app->cols, 1, 0);
    v->panel = new_panel(v->win);
    v->rows = rows;
    v->cols = app->cols;
    /* The status and header bars stay above every view. */
    top_panel(app->header_panel);
    top_panel(app->status_panel);
    if (app->form)
        form_layout(app);
    /* top_panel() also shows a hidden panel: raise the dialog only while it is open */
    if (app->dialog.panel && app->dialog.open)
        top_panel(app->dialog.panel);
}

void app_layout_views(struct app *app)
{
    int rows = app->rows - 2 > 1 ? app->rows - 2 : 1;
    for (int i = 0; i < app->depth; i++) {
        struct view *v = app->stack[i];
        wresize(v->win, rows, app->cols);
        move_panel(v->panel, 1, 0);
        v->rows = rows;
        v->cols = app->cols;
        v->dirty = true;
    }
}

struct view *app_push(struct app *app, const struct view_ops *ops, const struct view_args *args)
{
    if (app->depth >= APP_MAX_DEPTH) {
        app_status(app, STATUS_WARN, "Too many screens open: go back first");
        if (args && args->customer)
            mc_customer_free((struct mc_customer **)&args->customer);
        return NULL;
    }
    struct view *v = calloc(1, sizeof *v);
    if (!v)
        abort();
    v->ops = ops;
    v->app = app;
    v->id = ++app->next_view_id;
    v->priv = ops->priv_size ? calloc(1, ops->priv_size) : NULL;
    if (ops->priv_size && !v->priv)
        abort();
    snprintf(v->crumb, sizeof v->crumb, "%s", ops->name);
    if (args) /* read before open(), which takes args->customer */
        v->member_id = args->customer_id ? args->customer_id : args->customer ? args->customer->id : 0;
    struct view *prev = app_top(app);
    view_make_window(app, v);
    app->stack[app->depth++] = v;
    static const struct view_args none;
    if (ops->open(v, args ? args : &none) != 0) {
        app->depth--;
        api_cancel_owner(app->cfg.api, v->id);
        if (ops->close)
            ops->close(v);
        del_panel(v->panel);
        delwin(v->win);
        free(v->priv);
        free(v);
        if (prev)
            prev->dirty = true;
        busy_update(app);
        return NULL;
    }
    if (prev)
        hide_panel(prev->panel);
    v->dirty = true;
    app->chrome_dirty = true;
    return v;
}

static void view_destroy(struct app *app, struct view *v)
{
    form_close_for_view(app, v->id);
    if (app->dialog.open && app->dialog.view_id == v->id)
        app->dialog.view_id = -1; /* the answer will find no view */
    api_cancel_owner(app->cfg.api, v->id);
    if (v->ops->close)
        v->ops->close(v);
    del_panel(v->panel);
    delwin(v->win);
    free(v->priv);
    free(v);
}

void app_pop(struct app *app)
{
    if (app->depth == 0)
        return;
    struct view *v = app->stack[--app->depth];
    view_destroy(app, v);
    struct view *top = app_top(app);
    if (top) {
        show_panel(top->panel);
        top_panel(app->header_panel);
        top_panel(app->status_panel);
        top->dirty = true;
    }
    app->chrome_dirty = true;
    busy_update(app);
}

void app_pop_to_below(struct app *app, struct view *v)
{
    while (app->depth > 0 && app_find_view(app, v->id))
        app_pop(app);
}

static void quit_answer(struct app *app, struct view *v, int view_id, bool yes)
{
    (void)v;
    (void)view_id;
    if (yes)
        app->quit = true;
}

void app_request_quit(struct app *app, bool confirm)
{
    if (!confirm) {
        app->quit = true;
        return;
    }
    typeahead_flush(app);
    dialog_confirm(app, NULL, "Quit membercare?", quit_answer);
}

void app_generic_action(struct app *app, enum action a)
{
    struct view *top = app_top(app);
    switch (a) {
    case ACTION_BACK:
        if (top && top->writes_pending > 0) {
            app_status(app, STATUS_WARN, "A change is being sent: wait for the server's answer");
        } else if (top && top->pending > 0) {
            view_cancel(top);
            app_status(app, STATUS_WARN, "Cancelled");
            top->dirty = true;
        } else if (app->depth > 1) {
            app_pop(app);
        } else {
            app_request_quit(app, true);
        }
        break;
    case ACTION_QUIT:
        app_request_quit(app, false);
        break;
    case ACTION_COMMAND:
        prompt_open(app, PROMPT_COMMAND, "");
        break;
    case ACTION_FILTER:
        if (top && top->ops->filter)
            prompt_open(app, PROMPT_FILTER, "");
        else
            app_status(app, STATUS_INFO, "Nothing to filter on this screen");
        break;
    case ACTION_REFRESH:
        if (top && top->ops->reload) {
            top->ops->reload(top);
            top->dirty = true;
        }
        break;
    case ACTION_HELP: {
        if (!app->cfg.help_ops)
            break;
        if (top && top->ops == app->cfg.help_ops) {
            app_pop(app);
            break;
        }
        struct view_args args = {.help_ctx = top ? top->ops->ctx : CTX_GENERIC};
        app_push(app, app->cfg.help_ops, &args);
        break;
    }
    case ACTION_SEARCH: {
        /* back to the root search screen, keeping it as it was */
        while (app->depth > 1)
            app_pop(app);
        if (app_top(app) && app_top(app)->ops->on_action)
            app_top(app)->ops->on_action(app_top(app), ACTION_EDIT_QUERY);
        break;
    }
    case ACTION_COPY_VALUE:
    case ACTION_COPY_ROW:
        app_copy_focused(app, a == ACTION_COPY_ROW);
        break;
    case ACTION_NONE:
        break;
    default: {
        const struct view_ops *screen = app->cfg.screen_for ? app->cfg.screen_for(a) : NULL;
        if (screen) {
            /* one of each top-level screen: go back to it when it is open */
            for (int i = app->depth - 1; i >= 0; i--) {
                if (app->stack[i]->ops == screen) {
                    while (app->depth > i + 1)
                        app_pop(app);
                    return;
                }
            }
            app_push(app, screen, NULL);
            break;
        }
        const struct action_info *ai = action_info(a);
        app_status(app, STATUS_INFO, "'%s' does nothing on this screen", ai ? ai->name : "?");
        break;
    }
    }
}

void app_dispatch_action(struct app *app, enum action a)
{
    struct view *top = app_top(app);
    if (!app_action_allowed(app, a)) {
        /* say which rule refused it: a till without the right is not in read-only mode */
        const struct action_info *ai = action_info(a);
        if (app->cfg.readonly && (ai->flags & (ACT_DANGEROUS | ACT_WRITE)))
            app_status(app, STATUS_WARN, "Read-only mode: '%s' is not available", ai->name);
        else
            app_status(app, STATUS_WARN, "'%s': till %s lacks the %s right", ai->name,
                       app->cfg.till ? app->cfg.till : "in use",
                       (ai->flags & ACT_NEEDS_CHECKER) && !app->cfg.can_check ? "CanCheckRequest"
                                                                              : "CanMakeRequest");
        return;
    }
    if (top && top->ops->on_action) {
        int id = top->id; /* the action may pop (free) the view */
        if (top->ops->on_action(top, a)) {
            struct view *still = app_find_view(app, id);
            if (still)
                still->dirty = true;
            return;
        }
    }
    app_generic_action(app, a);
}

/* C-z (the terminal is in raw mode, so it arrives as a key) or a SIGTSTP
 * from outside: give the terminal back, stop the job as the terminal's
 * own C-z would (the whole process group, the demo sandbox too) until
 * SIGCONT, then take the terminal again and repaint everything. In an
 * orphaned process group the kernel discards the stop and this is a
 * repaint. */
static void app_suspend(struct app *app)
{
    struct sigaction dfl, old;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    screen_paste_mode(false);
    endwin();
    fflush(stdout);
    sigaction(SIGTSTP, &dfl, &old);
    kill(0, SIGTSTP);
    sigaction(SIGTSTP, &old, NULL);
    screen_paste_mode(true);
    screen_resize(app); /* the size may have changed meanwhile; repaints all */
}

void app_handle_key(struct app *app, int key)
{
    if (key == MC_KEY_RESIZE) {
        screen_resize(app);
        return;
    }
    if (key == MC_KEY_CTRL('z')) {
        app_suspend(app);
        return;
    }
    if (key == MC_KEY_MOUSE) {
        mouse_event(app);
        return;
    }
    /* a form takes pastes itself, unless a question is asked over it */
    if ((!app->form || app->dialog.open) && paste_filter(app, &key))
        return;
    if (!app->dialog.open && !app->form && typeahead_take(app, key))
        return; /* the screen it was typed for is still loading */
    if (app->dialog.open) {
        dialog_key(app, key);
        return;
    }
    if (app->form) {
        form_key(app, key);
        return;
    }
    if (app->prompt.kind != PROMPT_NONE) {
        prompt_key(app, key);
        return;
    }
    if (app->too_small) {
        if (key == 'Q' || key == MC_KEY_CTRL('c'))
            app->quit = true;
        return;
    }
    struct view *top = app_top(app);
    if (key == MC_KEY_ESC && top && top->pending > 0 && top->writes_pending > 0) {
        /* a write already sent is never abandoned: its answer must be seen */
        app_status(app, STATUS_WARN, "A change is being sent: wait for the server's answer");
        return;
    }
    if (key == MC_KEY_ESC && top && top->pending > 0) {
        /* Esc cancels what is in flight before it means anything else */
        view_cancel(top);
        app_status(app, STATUS_WARN, "Cancelled");
        top->dirty = true;
        return;
    }
    if (top && top->ops->on_key && top->ops->on_key(top, key)) {
        top->dirty = true;
        return;
    }
    enum action a = keymap_lookup(app->cfg.km, top ? top->ops->ctx : CTX_GENERIC, key);
    if (a == ACTION_NONE) {
        if (key == MC_KEY_CTRL('c'))
            app_request_quit(app, true);
        return;
    }
    app_dispatch_action(app, a);
}

static void handle_results(struct app *app)
{
    struct api_result *res;
    audit_hold(app); /* the "done" records of these answers share one disk flush */
    while ((res = api_take_result(app->cfg.api)) != NULL) {
        struct view *v = app_find_view(app, res->owner);
        if (!v || res->generation != v->generation) {
            api_result_free(&res);
            continue;
        }
        settings_note_result(app, res); /* member names, for masking */
        if (v->pending > 0)
            v->pending--;
        if (res->method != API_GET && v->writes_pending > 0)
            v->writes_pending--;
        v->ops->on_result(v, res);
        v->dirty = true;
        if (v->pending == 0)
            v->settled = v->generation + 1;
    }
    audit_release(app);
    busy_update(app);
}

static void handle_signals(struct app *app)
{
    unsigned char buf[64];
    ssize_t n;
    while ((n = read(app->cfg.signal_fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            switch (buf[i]) {
            case SIGWINCH: screen_resize(app); break;
            case SIGTERM: case SIGINT: case SIGHUP: app->quit = true; break;
            case SIGCONT: screen_resize(app); break;
            case SIGTSTP: app_suspend(app); break;
            default: break;
            }
        }
    }
}

static void draw_too_small(struct app *app)
{
    erase();
    /* the longest wording that fits: the size needed must show, even at 10 columns */
    char msgs[3][96];
    snprintf(msgs[0], sizeof msgs[0], "Terminal too small (%dx%d): membercare needs at least 40x12", app->cols,
             app->rows);
    snprintf(msgs[1], sizeof msgs[1], "Too small: 40x12");
    snprintf(msgs[2], sizeof msgs[2], "40x12");
    const char *msg = msgs[2];
    for (int i = 0; i < 3; i++) {
        if ((int)strlen(msgs[i]) <= app->cols) {
            msg = msgs[i];
            break;
        }
    }
    mvaddnstr(app->rows / 2, 0, msg, app->cols);
    wnoutrefresh(stdscr);
    doupdate();
}

static void redraw(struct app *app)
{
    if (app->too_small) {
        draw_too_small(app);
        return;
    }
    bool any = app->chrome_dirty;
    app->cursor_win = NULL;
    struct view *top = app_top(app);
    if (top && top->dirty) {
        werase(top->win);
        top->ops->draw(top, top->win);
        top->dirty = false;
        any = true;
    }
    if (app->chrome_dirty || app->prompt.kind != PROMPT_NONE) {
        bars_draw_header(app);
        bars_draw_status(app);
        app->chrome_dirty = false;
        any = true;
    }
    if (app->form && (any || app->chrome_dirty)) {
        form_draw(app);
        any = true;
    }
    if (app->dialog.open) {
        dialog_draw(app);
        any = true;
    }
    if (!any)
        return;
    update_panels();
    if (app->cursor_win) {
        curs_set(1);
        wmove(app->cursor_win, app->cursor_y, app->cursor_x);
        wnoutrefresh(app->cursor_win);
    } else {
        curs_set(0);
    }
    doupdate();
    app->frames++;
}

static void parse_now_override(struct app *app)
{
    const char *s = getenv("MEMBERCARE_NOW");
    if (!s || !*s)
        return;
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    if (strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) || strptime(s, "%Y-%m-%d", &tm))
        app->now_override = (long long)timegm(&tm);
}

int app_run(const struct app_config *cfg, const struct view_ops *root, const struct view_args *args)
{
    struct app *app = calloc(1, sizeof *app);
    if (!app)
        abort();
    app->cfg = *cfg;
    parse_now_override(app);
    if (screen_init(app) != 0) {
        screen_done(app);
        fprintf(stderr, "membercare: cannot start the terminal\n");
        free(app);
        return 1;
    }
    lineedit_init(&app->prompt.le, 1024, false);
    app->prompt.completion_index = -1;
    settings_init(app);
    if (!app_push(app, root, args))
        app->quit = true;
    app->chrome_dirty = true;

    while (!app->quit) {
        redraw(app);
        if (cfg->exit_after_frames > 0 && app->frames >= cfg->exit_after_frames)
            break;
        struct pollfd fds[3] = {
            {.fd = STDIN_FILENO, .events = POLLIN},
            {.fd = api_wake_fd(app->cfg.api), .events = POLLIN}, /* a :profile switch replaces it */
            {.fd = cfg->signal_fd, .events = POLLIN},
        };
        int timeout = bars_next_timeout(app);
        int tt = timer_timeout(app);
        if (tt >= 0 && (timeout < 0 || tt < timeout))
            timeout = tt;
        int r = poll(fds, 3, timeout);
        if (r < 0 && errno != EINTR)
            break;
        if (r <= 0) {
            app->chrome_dirty = true; /* a timer: spinner step, message expiry or a view's */
            run_timers(app);
            continue;
        }
        if (fds[2].revents & POLLIN)
            handle_signals(app);
        if (fds[1].revents & POLLIN)
            handle_results(app);
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
            app->quit = true;
        if (fds[0].revents & POLLIN) {
            int key;
            while (!app->quit && (key = screen_read_key(app)) != -1)
                app_handle_key(app, key);
        }
        run_timers(app);
        typeahead_run(app);
        struct view *top = app_top(app);
        if (!top)
            app->quit = true;
    }

    while (app->depth > 0)
        app_pop(app);
    form_free_all(app);
    dialog_done(app);
    prompt_done(app);
    settings_done(app);
    typeahead_free(app);
    session_log_free(&app->writes);
    screen_done(app);
    free(app);
    return 0;
}
