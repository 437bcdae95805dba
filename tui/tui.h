/*
 * tui.h - the terminal layer as views see it.
 *
 * A view is a struct view the framework owns plus a const struct view_ops
 * table. The framework allocates and zeroes the view's private state
 * (priv_size), gives it a panel, routes keys (keymap action first, raw key
 * to on_key for text fields), routes api results by (owner id, generation),
 * and redraws dirty views once per loop pass. Views never call refresh().
 *
 * Everything here runs on the UI thread.
 */
#ifndef MC_TUI_TUI_H
#define MC_TUI_TUI_H

#include <curses.h>
#include <panel.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "api/api.h"
#include "keymaps/keymap.h"

struct app;
struct view;

/* Colour roles: views say what a thing is, the theme says how it looks. */
enum role {
    ROLE_NORMAL,
    ROLE_HEADER,     /* header bar */
    ROLE_STATUS,     /* status bar */
    ROLE_TITLE,      /* section titles */
    ROLE_LABEL,      /* field labels */
    ROLE_DIM,        /* secondary text */
    ROLE_SELECTED,   /* cursor row */
    ROLE_MARKED,     /* marked rows */
    ROLE_OK,         /* positive points, success */
    ROLE_WARN,       /* expiring soon, warnings */
    ROLE_ERROR,      /* negative points, errors */
    ROLE_ACCENT,     /* tier, highlights */
    ROLE_KEY,        /* key names in hints and help */
    ROLE_DIALOG,     /* dialog body */
    ROLE_COUNT
};

enum view_flag {
    VIEW_MUTATES = 1 << 0,    /* has write actions (hidden in read-only mode) */
    VIEW_FILTERABLE = 1 << 1, /* `/` filter applies */
    VIEW_AUTOREFRESH = 1 << 2,
};

/* What a view is opened with. Pointers are borrowed for the call unless
 * marked; open() copies what it keeps. */
struct view_args {
    int64_t customer_id;            /* 0 = none */
    const char *query;              /* search text, identifier, code ... */
    const char *name;               /* display name for crumbs */
    struct mc_customer *customer;   /* takes ownership when non-NULL: an already decoded member */
    enum key_context help_ctx;      /* help: which screen's keys */
};

struct view_ops {
    const char *name;               /* "search", "customer", ... */
    enum key_context ctx;           /* keymap context */
    size_t priv_size;               /* zeroed private state, allocated by the framework */
    unsigned flags;                 /* enum view_flag */
    /* Reads args and queues requests. Never blocks. 0 = ok, -1 = refuse (not pushed). */
    int (*open)(struct view *v, const struct view_args *args);
    /* Frees what priv points to (not priv itself). Jobs are cancelled by the framework. */
    void (*close)(struct view *v);
    /* Renders from state only into win (already erased). */
    void (*draw)(struct view *v, WINDOW *win);
    /* Raw key before the keymap (text fields). true = consumed. May be NULL. */
    bool (*on_key)(struct view *v, int key);
    /* A text field has the focus, so pasted text may go to on_key. May be NULL. */
    bool (*takes_text)(struct view *v);
    /* A keymap action. true = handled; false passes it to the generic handler. */
    bool (*on_action)(struct view *v, enum action a);
    /* Takes ownership of res (free with api_result_free). */
    void (*on_result)(struct view *v, struct api_result *res);
    /* Reload everything (Ctrl-R / F5). May be NULL. */
    void (*reload)(struct view *v);
    /* Applies a `/` filter text ("" clears). May be NULL. */
    void (*filter)(struct view *v, const char *text);
    /* A `:` command the view understands (verb + rest of line). true = handled. May be NULL. */
    bool (*command)(struct view *v, const char *verb, const char *arg);
    /* Fills the pane's hint line (shown at the bottom of the body), or NULL. */
    const char *(*hint)(struct view *v);
    /* The timer set with view_set_timer ran out. May be NULL. */
    void (*on_timer)(struct view *v);
    /* `y` / `Y`: the focused value (whole_row false: member id, coupon code,
     * request id ...) or the whole row as text, with a label for the status
     * line ("member id", "coupon code", "row"). false = nothing to copy.
     * May be NULL. */
    bool (*copy)(struct view *v, bool whole_row, char *label, size_t labellen, char *text,
                 size_t textlen);
    /* Names the command line may complete an argument with (what: "reasons",
     * the goodwill reason codes) into out, at most max, valid until the view
     * changes; returns how many. May be NULL. */
    size_t (*names)(struct view *v, const char *what, const char **out, size_t max);
};

struct view {
    const struct view_ops *ops;
    struct app *app;
    int id;                 /* owner id of this view's api jobs, unique for the run */
    unsigned generation;    /* bumped on reload: older answers are dropped */
    void *priv;             /* ops->priv_size bytes, owned by the framework */
    char crumb[48];         /* breadcrumb text (raw; sanitised when drawn) */
    PANEL *panel;
    WINDOW *win;
    int rows, cols;         /* size of win */
    bool dirty;
    int pending;            /* this view's jobs in flight */
    int writes_pending;     /* of which writes: Esc never abandons those */
    double timer_due;       /* app_now_ms() when on_timer runs; 0 = no timer */
    int64_t member_id;      /* the member this screen is about (from its view_args), 0 = none */
    unsigned settled;       /* generation + 1 when its requests last all came back: until
                             * then a screen is still loading (keys typed wait for it) */
};

/* View life (UI thread) */

/* Pushes a new view of ops above the current one. Returns it, or NULL when open() refused. */
struct view *app_push(struct app *app, const struct view_ops *ops, const struct view_args *args);
/* Pops the top view (closes it). */
void app_pop(struct app *app);
/* Pops views above and including v, down to the one below it. */
void app_pop_to_below(struct app *app, struct view *v);
/* The view under v on the stack, or NULL. */
struct view *app_view_below(struct app *app, struct view *v);
void view_set_crumb(struct view *v, const char *text);
void view_dirty(struct view *v);
/* Runs v's on_timer once, ms from now (ms <= 0 clears it). Timers fire only
 * for the view on top and wait while a dialog, form or prompt is open, so a
 * view never changes under a question it asked. */
void view_set_timer(struct view *v, int ms);

/* Requests (UI thread) */

/* Submits req for v with tag (takes ownership of req). Returns the job id. */
uint64_t view_submit(struct view *v, struct api_request *req, int tag);
/* Cancels v's jobs and bumps its generation, so every answer still coming is dropped. */
void view_cancel(struct view *v);

/* Status line */
enum status_level { STATUS_INFO, STATUS_OK, STATUS_WARN, STATUS_ERROR };
void app_status(struct app *app, enum status_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Reports an api error for a named step: "Lookup failed: 8015: Customer not found".
 * A write of unknown outcome (err->unknown_outcome) is reported as such, with
 * the advice to refresh before trying again. */
void app_status_error(struct app *app, const char *what, const struct api_error *err);

/* Dialogs (modal for keys; results keep arriving underneath) */

/* Asks a yes/no question about v. fn gets v only while it is still on the
 * stack (NULL otherwise) and the answer. Pending type-ahead is dropped. */
void app_confirm(struct view *v, const char *text, void (*fn)(struct view *v, bool yes));

/* Forms: a modal panel of fields above the view. Tab / Shift-Tab move
 * between fields, Enter on the last field or Ctrl-S submits, Esc cancels.
 * Required fields and numbers are checked before on_submit is called; a
 * failed submission keeps every field as typed. While busy (a request in
 * flight) a second submit does nothing. */
enum form_field_kind {
    FIELD_TEXT,       /* one line */
    FIELD_MULTILINE,  /* several lines; Enter inserts a newline */
    FIELD_NUMBER,     /* one line, a number > 0 */
    FIELD_CHOICE,     /* one of choices; Left/Right cycle, typing filters */
};

struct form_field_spec {
    const char *label;
    enum form_field_kind kind;
    size_t max_chars;              /* 0 = 200 */
    const char *const *choices;    /* FIELD_CHOICE: copied */
    size_t n_choices;
    const char *initial;           /* text, or the initial choice's text */
    bool required;
    bool counter;                  /* show a live "n/max" counter */
};

struct form;
/* Called when the user submits a form that passed the checks. */
typedef void (*form_submit_fn)(struct view *v, struct form *f);
/* Called when the form is cancelled or closed with its view. May be NULL. */
typedef void (*form_cancel_fn)(struct view *v);

/* Opens a form for v (one form at a time; an open one is replaced). The
 * form copies the specs. Returns the form (owned by the app). */
struct form *app_form_open(struct view *v, const char *title, const struct form_field_spec *fields,
                           size_t n, form_submit_fn on_submit, form_cancel_fn on_cancel);
/* The text of field i (FIELD_CHOICE: the chosen text; "" when none). */
const char *form_value(const struct form *f, size_t i);
/* The chosen index of a FIELD_CHOICE, or -1. */
int form_choice(const struct form *f, size_t i);
/* Marks the form as waiting for the server (submits ignored, "Sending..." shown). */
void form_set_busy(struct form *f, bool busy);
/* Shows a message inside the form (the server's answer, a check that failed). */
void form_set_error(struct form *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Closes the form (after success). */
void form_close(struct form *f);
/* The open form of v, or NULL. */
struct form *app_form_of(struct view *v);

/* Audit log ($XDG_STATE_HOME/membercare/audit.jsonl): every write is
 * recorded before it is sent and completed after the answer, so a crash
 * mid-call still leaves a record. */

/* Appends the "sent" record; returns its id (> 0), or 0 when the log cannot be written
 * (the status line then says so). action: "coupon-issue", ...; member_id may be 0;
 * detail: a short free text (coupon code, points) or NULL. */
long audit_begin(struct app *app, const char *action, int64_t member_id, const char *ref,
                 const char *detail);
/* Appends the outcome record for id: ok or not, the server's id for what was created
 * (or NULL) and a message (the error) or NULL. */
void audit_end(struct app *app, long id, bool ok, const char *response_id, const char *message);
/* The outcome record of a write that ended with err: "unknown" when
 * err->unknown_outcome (the server may have done it), else "failed". */
void audit_end_error(struct app *app, long id, const struct api_error *err, const char *message);
/* The outcome record of a write whose answer will never be seen (the screen
 * closed, it was cancelled): it may have been done. */
void audit_end_unknown(struct app *app, long id, const char *message);

/* The audit log's path. */
const char *app_audit_path(struct app *app);

/* Between audit_hold() and audit_release() records are written at once but
 * reach the disk together, in one flush by the last audit_release(), so
 * many records cost one disk sync: a bulk decision writes all its "sent"
 * records, releases, then sends. Holds nest. */
void audit_hold(struct app *app);
void audit_release(struct app *app);

/* Context */
bool app_readonly(const struct app *app);
/* Seconds between automatic refreshes of live lists (config refresh_interval; 0 = never). */
int app_refresh_interval(const struct app *app);
/* Goodwill above this many points is flagged as a risk (config goodwill_flag_points). */
double app_flag_points(const struct app *app);
bool app_ascii(const struct app *app);
const struct keymap *app_keymap(const struct app *app);
/* The signed-in till's identity and rights. */
const char *app_till(const struct app *app);
bool app_can_make(const struct app *app);   /* CanMakeRequest */
bool app_can_check(const struct app *app);  /* CanCheckRequest */
/* Learns that the till lacks a right (after a permission refusal): the
 * actions that need it disappear from keys and help. */
void app_revoke_right(struct app *app, unsigned act_flag);
/* Whether an action may be offered: false for writes in read-only mode and
 * for actions that need a right the till lacks. */
bool app_action_allowed(const struct app *app, enum action a);
/* Current time in ms (monotonic) and wall clock (UTC seconds, honours MEMBERCARE_NOW). */
double app_now_ms(void);
long long app_wall_time(const struct app *app);
void app_request_quit(struct app *app, bool confirm);

/* Personal data masking (--mask, `:set mask on`): while it is on, every
 * drawing helper masks mobile numbers (digit runs of 8+), emails and the
 * noted name words, on every screen and in the bars. */
bool app_masking(const struct app *app);
/* Notes a member's name (first, last; either may be NULL) so that it is
 * masked wherever it is drawn, in crumbs, titles and messages too. The
 * framework notes the names every api result carries before on_result; a
 * view calls it only for a name that came from somewhere else. */
void app_note_name(struct app *app, const char *first, const char *last);

/* Drawing helpers (UI thread). All of them sanitise and fit by display width. */

/* Turns a role into curses attributes for the current theme. */
attr_t tui_attr(const struct app *app, enum role r);
/* Puts untrusted text s at (y, x) in at most w columns with role r; returns columns used. */
int tui_put(const struct app *app, WINDOW *win, int y, int x, int w, const char *s, enum role r);
/* Same, right-aligned within w columns. */
int tui_put_right(const struct app *app, WINDOW *win, int y, int x, int w, const char *s, enum role r);
/* printf-style tui_put. */
int tui_putf(const struct app *app, WINDOW *win, int y, int x, int w, enum role r, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* A horizontal rule across w columns (ASCII '-' when not UTF-8). */
void tui_hline(const struct app *app, WINDOW *win, int y, int x, int w);
/* A frame around the whole window (UTF-8 box drawing, or ASCII). */
void tui_box(const struct app *app, WINDOW *win);
/* Shows the terminal cursor at (y, x) of win after this frame (text fields). */
void tui_cursor(struct app *app, WINDOW *win, int y, int x);
/* Fills a row with spaces in role r (for the cursor bar). */
void tui_fill(const struct app *app, WINDOW *win, int y, int x, int w, enum role r);

/* Lists: cursor and scroll arithmetic shared by every list screen. */
struct list_pos {
    long cursor;   /* selected row, 0-based; -1 when empty */
    long top;      /* first visible row */
};
/* Applies a navigation action to pos for n rows shown height at a time.
 * Returns true when the action was a navigation action. */
bool list_nav(struct list_pos *pos, enum action a, long n, int height);
/* Keeps the cursor in [0, n) and visible in height rows. */
void list_clamp(struct list_pos *pos, long n, int height);

#endif
