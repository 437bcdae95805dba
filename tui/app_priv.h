/*
 * app_priv.h - the application state behind struct app, shared by the tui
 * files that implement it (app.c, screen.c, bars.c, prompt.c, dialog.c).
 * Views never include this.
 */
#ifndef MC_TUI_APP_PRIV_H
#define MC_TUI_APP_PRIV_H

#include "tui/lineedit.h"
#include "tui/tui.h"

#define APP_MAX_DEPTH 32
#define APP_HISTORY 64

enum prompt_kind { PROMPT_NONE, PROMPT_COMMAND, PROMPT_FILTER };

struct prompt {
    enum prompt_kind kind;
    struct lineedit le;
    char *history[APP_HISTORY];   /* owned, oldest first */
    int n_history;
    int history_pos;              /* n_history = the line being typed */
    char *saved_line;             /* what was typed before walking history (owned) */
    int completion_index;         /* Tab cycling through matches, -1 when idle */
    char *completion_stem;        /* prefix being completed (owned) */
};

typedef void (*confirm_fn)(struct app *app, struct view *v, int view_id, bool yes);

struct dialog {
    bool open;
    char text[512];
    confirm_fn fn;                /* app-level answer, or NULL */
    void (*view_fn)(struct view *v, bool yes); /* view-level answer, or NULL */
    int view_id;                  /* the view that asked (may be gone by the answer) */
    PANEL *panel;
    WINDOW *win;
};

struct app_config {
    struct api *api;              /* borrowed: the composition root owns it */
    struct keymap *km;            /* borrowed */
    const char *till;             /* signed-in till, for the header */
    const char *cluster;          /* host shown in the header */
    const char *profile;          /* profile name or NULL */
    bool readonly;
    bool can_make;                /* the till may raise requests (CanMakeRequest) */
    bool can_check;               /* the till may approve or reject (CanCheckRequest) */
    const char *audit_path;       /* audit log file, or NULL for the default */
    int signal_fd;                /* read end of the signal self-pipe (main.c owns it) */
    const struct view_ops *help_ops; /* the help screen, pushed by `?` */
    /* The top-level screen an action opens from anywhere (`:requests`, F9,
     * `:audit`), or NULL: the generic handler pushes it, or goes back to it. */
    const struct view_ops *(*screen_for)(enum action a);
    int refresh_interval;         /* seconds, 0 = no automatic refresh */
    double flag_points;           /* goodwill risk threshold in points */
    int exit_after_frames;        /* >0: quit after that many frames (smoke runs) */
};

struct app {
    struct app_config cfg;
    bool ascii;                   /* no UTF-8 locale: ASCII drawing */
    bool color;                   /* colours in use (not NO_COLOR, terminal can) */
    bool quit;
    int rows, cols;
    bool too_small;
    WINDOW *header, *status;
    PANEL *header_panel, *status_panel;
    struct view *stack[APP_MAX_DEPTH];
    int depth;
    int next_view_id;
    attr_t attrs[ROLE_COUNT];
    bool chrome_dirty;            /* header or status need drawing */
    /* status line */
    char msg[256];
    enum status_level msg_level;
    double msg_until;             /* ms; 0 = stays until replaced */
    double busy_since;            /* ms when jobs started being in flight; 0 = idle */
    int spin_frame;
    struct prompt prompt;
    struct dialog dialog;
    struct form *form;            /* the open form, or NULL (owned) */
    char audit_path[1024];
    long audit_next_id;
    WINDOW *cursor_win;           /* where the cursor goes this frame, or NULL */
    int cursor_y, cursor_x;
    long long now_override;       /* MEMBERCARE_NOW as epoch seconds, or 0 */
    int frames;
};

/* screen.c */
int screen_init(struct app *app);
void screen_done(struct app *app);
void screen_resize(struct app *app);
/* Reads one key without blocking: MC key code, text code point, or -1. */
int screen_read_key(struct app *app);
/* Turns bracketed paste on or off where the terminal supports it. */
void screen_paste_mode(bool on);

/* bars.c */
void bars_draw_header(struct app *app);
void bars_draw_status(struct app *app);
/* ms until the status line must change by itself (spinner, expiry), or -1. */
int bars_next_timeout(struct app *app);

/* prompt.c */
void prompt_open(struct app *app, enum prompt_kind kind, const char *initial);
bool prompt_key(struct app *app, int key);   /* true when the prompt consumed it */
void prompt_done(struct app *app);
/* Runs one command line as if typed after ':'. */
void app_run_command(struct app *app, const char *line);

/* dialog.c */
void dialog_confirm(struct app *app, struct view *v, const char *text, confirm_fn fn);
bool dialog_key(struct app *app, int key);
void dialog_draw(struct app *app);
void dialog_layout(struct app *app);
void dialog_done(struct app *app);

/* form.c */
bool form_key(struct app *app, int key);
void form_draw(struct app *app);
void form_layout(struct app *app);
/* Closes the form if it belongs to view id (its view is going away). */
void form_close_for_view(struct app *app, int view_id);
void form_free_all(struct app *app);

/* audit.c */
const char *app_audit_path(struct app *app);

/* app.c */
struct view *app_top(struct app *app);
struct view *app_find_view(struct app *app, int id);
/* Runs the generic meaning of an action for the top view. */
void app_generic_action(struct app *app, enum action a);
/* Runs an action for the top view, refusing writes in read-only mode. */
void app_dispatch_action(struct app *app, enum action a);
void app_layout_views(struct app *app);



/* Runs the console until quit: root view at the bottom of the stack.
 * Returns the process exit status. */
int app_run(const struct app_config *cfg, const struct view_ops *root, const struct view_args *args);
#endif
