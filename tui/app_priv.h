/*
 * app_priv.h - the application state behind struct app, shared by the tui
 * files that implement it (app.c, screen.c, bars.c, prompt.c, dialog.c,
 * settings.c, theme.c, mouse.c, profile.c ...).
 * Views never include this.
 */
#ifndef MC_TUI_APP_PRIV_H
#define MC_TUI_APP_PRIV_H

#include "tui/history.h"
#include "tui/lineedit.h"
#include "tui/mask.h"
#include "tui/tui.h"
#include "tui/typeahead.h"
#include "tui/wrapup.h"

struct config;

#define APP_MAX_DEPTH 32

enum prompt_kind { PROMPT_NONE, PROMPT_COMMAND, PROMPT_FILTER };

struct prompt {
    enum prompt_kind kind;
    struct lineedit le;
    struct history hist;          /* kept across runs (tui/history.c) */
    int history_pos;              /* hist.n = the line being typed */
    char *saved_line;             /* what was typed before walking history (owned) */
    int completion_index;         /* Tab cycling through matches, -1 when idle */
    char *completion_stem;        /* the line being completed (owned) */
    bool history_loaded;
};

/* Who is signed in where: filled by app_config.connect for a profile switch
 * (the app keeps it; the strings of app_config then point here). */
struct app_session {
    char till[128];
    char cluster[128];
    char profile[72];
    char color[32];
    bool readonly, can_make, can_check;
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
    const struct config *config;  /* borrowed: user themes and profiles, or NULL */
    const char *theme;            /* theme at start; NULL = default */
    const char *profile_color;    /* header colour of the profile, or NULL */
    bool mask;                    /* mask personal data from the start (--mask) */
    bool mouse;                   /* mouse on from the start (config mouse = true) */
    /* Signs in with profile name for `:profile`: a new api (the caller of
     * app_use_profile owns it) and the session, or NULL with a reason. */
    struct api *(*connect)(void *ctx, const char *name, struct app_session *out, char *err,
                           size_t errlen);
    void *connect_ctx;
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
    int audit_holds;              /* audit_hold() depth: records wait for one flush */
    bool audit_unsynced;          /* a record was written while held */
    WINDOW *cursor_win;           /* where the cursor goes this frame, or NULL */
    int cursor_y, cursor_x;
    long long now_override;       /* MEMBERCARE_NOW as epoch seconds, or 0 */
    int frames;
    /* settings.c, theme.c, mouse.c */
    char theme[72];               /* theme in use; "" = default */
    bool mask;                    /* personal data masked on every screen */
    bool mouse;                   /* mouse reporting on */
    struct mask_names names;      /* name words to mask (views add them) */
    struct app_session session;   /* after a profile switch */
    struct api *owned_api;        /* the api of a switched-to profile, or NULL */
    int crumb_x0[APP_MAX_DEPTH];  /* header columns of each crumb as last drawn */
    int crumb_x1[APP_MAX_DEPTH];  /* (x1 exclusive; x0 == x1 when not shown) */
    /* typeahead.c, wrapup.c */
    struct typeahead ta;          /* keys and chained commands waiting for a screen */
    /* paste.c */
    bool pasting;                 /* between bracketed-paste markers */
    bool paste_refused;           /* this paste was refused (said once) */
    double paste_at;              /* ms of the last pasted key */
    struct session_log writes;    /* this run's writes, for :wrapup */
};

/* A gap longer than this inside a paste means its end marker was lost. */
#define PASTE_GAP_MS 500.0

/* paste.c: filters *key while a bracketed paste comes in (newlines and tabs
 * become blanks). true = consumed: a marker, a control byte, or text with
 * no field to go to. Not for forms, which handle pastes themselves. */
bool paste_filter(struct app *app, int *key);

/* theme.c: sets attrs for app->theme (unknown: default) and repaints. */
void theme_apply(struct app *app);
bool theme_known(const struct app *app, const char *name);

/* settings.c: `y` / `Y` on the top view (through its copy hook). */
void app_copy_focused(struct app *app, bool whole_row);
/* Applies the config's and the command line's settings at start-up. */
void settings_init(struct app *app);
void settings_done(struct app *app);
/* Notes the member names a result carries (masking finds them anywhere). */
void settings_note_result(struct app *app, const struct api_result *res);

/* mouse.c */
void mouse_enable(struct app *app, bool on);
/* A KEY_MOUSE from curses: clicks and the wheel. */
void mouse_event(struct app *app);

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
/* The synopsis and help of the verb being typed, or "" (drawn at the right of the line). */
void prompt_hint(struct app *app, char *out, size_t n);

/* command_run.c: runs one command line as if typed after ':' (a `;` chain
 * runs its later commands once the screen of the one before has its data). */
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
/* Routes one key as if typed: dialog, form, prompt, type-ahead, then the top view. */
void app_handle_key(struct app *app, int key);
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
