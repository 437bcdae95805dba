/*
 * form.c - modal forms: a panel of labelled fields above a view.
 *
 * Fields edit through lineedit (the same editing keys everywhere); choice
 * fields cycle with Left/Right and narrow as the agent types. The form
 * checks required fields and numbers itself and hands the values to the
 * view's on_submit; while the view's request is in flight the form is busy:
 * it takes no edit and no second submit, so pressing the key twice never
 * sends twice and the fields on screen stay what was sent.
 * A failed submission leaves every field as typed.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/app_priv.h"
#include "tui/text.h"

#define FORM_MAX_FIELDS 12
#define MULTILINE_ROWS 4
#define LABEL_COLS 16
/* A paste arrives in one burst: a key this long after the last pasted one
 * ends a paste whose end marker went missing. */

struct field {
    char *label;
    enum form_field_kind kind;
    bool required, counter;
    size_t max_chars;
    struct lineedit le;      /* text kinds; the filter for choices */
    char **choices;          /* owned copies */
    size_t n_choices;
    int choice;              /* chosen index, -1 none */
};

struct form {
    struct app *app;
    int view_id;
    char title[128];
    struct field fields[FORM_MAX_FIELDS];
    size_t n;
    size_t focus;
    bool busy;
    bool busy_refused;       /* a key was refused while busy: say why */
    bool pasting;            /* between bracketed-paste markers */
    double paste_at;         /* ms of the last pasted key */
    char error[256];
    form_submit_fn on_submit;
    form_cancel_fn on_cancel;
    WINDOW *win;
    PANEL *panel;
};

static char *dup_or_abort(const char *s)
{
    char *d = strdup(s ? s : "");
    if (!d)
        abort();
    return d;
}

static int field_rows(const struct field *f) { return f->kind == FIELD_MULTILINE ? MULTILINE_ROWS : 1; }

static void form_destroy(struct form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        struct field *fl = &f->fields[i];
        free(fl->label);
        lineedit_done(&fl->le);
        for (size_t c = 0; c < fl->n_choices; c++)
            free(fl->choices[c]);
        free(fl->choices);
    }
    if (f->panel)
        del_panel(f->panel);
    if (f->win)
        delwin(f->win);
    free(f);
}

void form_layout(struct app *app)
{
    struct form *f = app->form;
    if (!f)
        return;
    int rows = 4; /* border, title, error/hint lines, border */
    for (size_t i = 0; i < f->n; i++)
        rows += field_rows(&f->fields[i]);
    rows += 1;
    int width = app->cols - 4 < 72 ? app->cols - 4 : 72;
    if (width < 30)
        width = app->cols;
    if (rows > app->rows)
        rows = app->rows;
    int y = (app->rows - rows) / 2, x = (app->cols - width) / 2;
    if (y < 0)
        y = 0;
    if (x < 0)
        x = 0;
    if (f->win) {
        wresize(f->win, rows, width);
        move_panel(f->panel, y, x);
    } else {
        f->win = newwin(rows, width, y, x);
        f->panel = new_panel(f->win);
    }
    top_panel(f->panel);
}

struct form *app_form_open(struct view *v, const char *title, const struct form_field_spec *fields,
                           size_t n, form_submit_fn on_submit, form_cancel_fn on_cancel)
{
    struct app *app = v->app;
    if (app->form) {
        form_destroy(app->form);
        app->form = NULL;
    }
    struct form *f = calloc(1, sizeof *f);
    if (!f)
        abort();
    f->app = app;
    f->view_id = v->id;
    snprintf(f->title, sizeof f->title, "%s", title);
    f->on_submit = on_submit;
    f->on_cancel = on_cancel;
    f->n = n < FORM_MAX_FIELDS ? n : FORM_MAX_FIELDS;
    for (size_t i = 0; i < f->n; i++) {
        const struct form_field_spec *s = &fields[i];
        struct field *fl = &f->fields[i];
        fl->label = dup_or_abort(s->label);
        fl->kind = s->kind;
        fl->required = s->required;
        fl->counter = s->counter;
        fl->max_chars = s->max_chars ? s->max_chars : 200;
        fl->choice = -1;
        lineedit_init(&fl->le, fl->kind == FIELD_CHOICE ? 64 : fl->max_chars, fl->kind == FIELD_MULTILINE);
        if (fl->kind == FIELD_CHOICE) {
            fl->choices = calloc(s->n_choices ? s->n_choices : 1, sizeof *fl->choices);
            if (!fl->choices)
                abort();
            for (size_t c = 0; c < s->n_choices; c++) {
                fl->choices[c] = dup_or_abort(s->choices[c]);
                if (s->initial && strcmp(s->initial, s->choices[c]) == 0)
                    fl->choice = (int)c;
            }
            fl->n_choices = s->n_choices;
            if (fl->choice < 0 && fl->n_choices > 0)
                fl->choice = 0;
        } else if (s->initial) {
            lineedit_set(&fl->le, s->initial);
        }
    }
    app->form = f;
    form_layout(app);
    show_panel(f->panel);
    app->chrome_dirty = true;
    return f;
}

const char *form_value(const struct form *f, size_t i)
{
    if (i >= f->n)
        return "";
    const struct field *fl = &f->fields[i];
    if (fl->kind == FIELD_CHOICE)
        return fl->choice >= 0 ? fl->choices[fl->choice] : "";
    return lineedit_text(&fl->le);
}

int form_choice(const struct form *f, size_t i)
{
    return i < f->n && f->fields[i].kind == FIELD_CHOICE ? f->fields[i].choice : -1;
}

void form_set_busy(struct form *f, bool busy)
{
    f->busy = busy;
    f->busy_refused = false;
    if (busy)
        f->error[0] = '\0';
    f->app->chrome_dirty = true;
}

void form_set_error(struct form *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->error, sizeof f->error, fmt, ap);
    va_end(ap);
    f->app->chrome_dirty = true;
}

static void close_form(struct app *app, bool cancelled)
{
    struct form *f = app->form;
    if (!f)
        return;
    app->form = NULL;
    struct view *v = app_find_view(app, f->view_id);
    form_cancel_fn cb = cancelled ? f->on_cancel : NULL;
    form_destroy(f);
    if (v) {
        v->dirty = true;
        if (cb)
            cb(v);
    }
    app->chrome_dirty = true;
}

void form_close(struct form *f) { close_form(f->app, false); }

struct form *app_form_of(struct view *v)
{
    struct form *f = v->app->form;
    return f && f->view_id == v->id ? f : NULL;
}

void form_close_for_view(struct app *app, int view_id)
{
    if (app->form && app->form->view_id == view_id)
        close_form(app, true);
}

void form_free_all(struct app *app)
{
    if (app->form) {
        form_destroy(app->form);
        app->form = NULL;
    }
}

static bool choice_matches(const struct field *fl, size_t c)
{
    const char *filter = lineedit_text(&fl->le);
    if (!*filter)
        return true;
    size_t n = strlen(filter);
    for (const char *p = fl->choices[c]; *p; p++)
        if (strncasecmp(p, filter, n) == 0)
            return true;
    return false;
}

static void choice_step(struct field *fl, int dir)
{
    if (fl->n_choices == 0)
        return;
    int start = fl->choice < 0 ? (dir > 0 ? -1 : 0) : fl->choice;
    for (size_t k = 1; k <= fl->n_choices; k++) {
        int c = (int)(((long)start + dir * (long)k + (long)fl->n_choices * 2) % (long)fl->n_choices);
        if (choice_matches(fl, (size_t)c)) {
            fl->choice = c;
            return;
        }
    }
}

static bool check(struct form *f)
{
    for (size_t i = 0; i < f->n; i++) {
        struct field *fl = &f->fields[i];
        const char *val = form_value(f, i);
        while (*val == ' ')
            val++;
        if (fl->required && !*val) {
            f->focus = i;
            form_set_error(f, "%s is required", fl->label);
            return false;
        }
        if (fl->kind == FIELD_NUMBER && *val) {
            char *end;
            double d = strtod(val, &end);
            while (*end == ' ')
                end++;
            if (*end || !isfinite(d) || d <= 0) {
                f->focus = i;
                form_set_error(f, "%s must be a number above 0", fl->label);
                return false;
            }
        }
        if (fl->kind == FIELD_CHOICE && fl->required && fl->choice >= 0 && !choice_matches(fl, (size_t)fl->choice)) {
            f->focus = i;
            form_set_error(f, "%s: no choice matches '%s'", fl->label, lineedit_text(&fl->le));
            return false;
        }
    }
    return true;
}

static void submit(struct app *app)
{
    struct form *f = app->form;
    if (!check(f))
        return;
    struct view *v = app_find_view(app, f->view_id);
    if (!v) {
        close_form(app, true);
        return;
    }
    f->error[0] = '\0';
    f->on_submit(v, f);
}

bool form_key(struct app *app, int key)
{
    struct form *f = app->form;
    if (!f)
        return false;
    app->chrome_dirty = true;
    struct field *fl = &f->fields[f->focus];
    /* Between the paste markers keys are text: a pasted newline or tab
     * must not submit, move or close the form. */
    double now = app_now_ms();
    if (key == MC_KEY_PASTE_BEGIN || key == MC_KEY_PASTE_END) {
        f->pasting = key == MC_KEY_PASTE_BEGIN;
        f->paste_at = now;
        return true;
    }
    if (f->pasting && now - f->paste_at > PASTE_GAP_MS)
        f->pasting = false;
    if (f->busy && key != MC_KEY_ESC) {
        /* The fields on screen are what was sent: an edit now would be
         * lost when the answer closes the form, or shown as sent when it
         * was not. A second submit is refused the same way. */
        f->busy_refused = true;
        return true;
    }
    if (f->pasting) {
        f->paste_at = now;
        if (key == MC_KEY_ENTER || key == MC_KEY_TAB) {
            const char *text = key == MC_KEY_ENTER && fl->kind == FIELD_MULTILINE ? "\n" : " ";
            if (fl->kind != FIELD_CHOICE && lineedit_insert(&fl->le, text, 1) == LINEEDIT_FULL)
                form_set_error(f, "%s takes at most %zu characters", fl->label, fl->max_chars);
            return true;
        }
        if (key < 0x20 || key == 0x7f || key >= MC_KEY_BASE)
            return true; /* controls and special keys are not text */
    }
    switch (key) {
    case MC_KEY_ESC:
        close_form(app, true);
        return true;
    case MC_KEY_CTRL('s'):
        submit(app);
        return true;
    case MC_KEY_TAB:
        f->focus = (f->focus + 1) % f->n;
        return true;
    case MC_KEY_BTAB:
        f->focus = (f->focus + f->n - 1) % f->n;
        return true;
    case MC_KEY_ENTER:
        if (fl->kind == FIELD_MULTILINE)
            break;
        if (f->focus + 1 == f->n)
            submit(app);
        else
            f->focus++;
        return true;
    default:
        break;
    }
    if (fl->kind == FIELD_CHOICE) {
        if (key == MC_KEY_LEFT || key == MC_KEY_RIGHT || key == ' ') {
            choice_step(fl, key == MC_KEY_LEFT ? -1 : 1);
            return true;
        }
        if (lineedit_key(&fl->le, key) == LINEEDIT_CHANGED && fl->choice >= 0 &&
            !choice_matches(fl, (size_t)fl->choice))
            choice_step(fl, 1);
        return true;
    }
    if (key == MC_KEY_DOWN && fl->kind != FIELD_MULTILINE) {
        f->focus = (f->focus + 1) % f->n;
        return true;
    }
    if (key == MC_KEY_UP && fl->kind != FIELD_MULTILINE) {
        f->focus = (f->focus + f->n - 1) % f->n;
        return true;
    }
    enum lineedit_result r = lineedit_key(&fl->le, key);
    if (r == LINEEDIT_IGNORED && fl->kind == FIELD_MULTILINE && (key == MC_KEY_DOWN || key == MC_KEY_UP))
        f->focus = (f->focus + (key == MC_KEY_DOWN ? 1 : f->n - 1)) % f->n;
    else if (r == LINEEDIT_FULL)
        form_set_error(f, "%s takes at most %zu characters", fl->label, fl->max_chars);
    return true;
}

/* Draws a multiline field soft-wrapped at its width, scrolled so the
 * cursor's row shows. The last column stays free for the cursor, so a
 * full row never pushes it outside the field. */
static void draw_multiline(struct app *app, struct form *f, struct field *fl, int y, int x, int w,
                           bool focused)
{
    const char *t = lineedit_text(&fl->le);
    size_t len = strlen(t), cur = fl->le.cursor;
    int ww = w > 2 ? w - 1 : 1;
    enum role role = focused ? ROLE_SELECTED : ROLE_NORMAL;
    for (int r = 0; r < MULTILINE_ROWS; r++)
        tui_fill(app, f->win, y + r, x, w, role);
    /* Two passes over the same layout: find the cursor's row, then draw
     * the rows around it. */
    int cur_row = 0, cur_col = 0;
    for (int pass = 0; pass < 2; pass++) {
        int first = cur_row >= MULTILINE_ROWS ? cur_row - MULTILINE_ROWS + 1 : 0;
        int row = 0, col = 0;
        size_t row_start = 0, i = 0;
        while (i <= len) {
            bool end = i == len || t[i] == '\n';
            unsigned cp = 0;
            size_t used = end ? 1 : text_utf8_decode(t + i, len - i, &cp);
            if (used == 0)
                used = 1;
            int cw = end ? 0 : text_width(t + i, used, app->ascii);
            if (cw > 0 && col + cw > ww && col > 0) {
                if (pass == 1 && row >= first && row < first + MULTILINE_ROWS) {
                    char buf[1024];
                    snprintf(buf, sizeof buf, "%.*s", (int)(i - row_start), t + row_start);
                    tui_put(app, f->win, y + row - first, x, w, buf, role);
                }
                row++;
                col = 0;
                row_start = i;
            }
            if (pass == 0 && i == cur) {
                cur_row = row;
                cur_col = col;
            }
            if (end) {
                if (pass == 1 && row >= first && row < first + MULTILINE_ROWS) {
                    char buf[1024];
                    snprintf(buf, sizeof buf, "%.*s", (int)(i - row_start), t + row_start);
                    tui_put(app, f->win, y + row - first, x, w, buf, role);
                }
                row++;
                col = 0;
                row_start = i + 1;
                i++;
                continue;
            }
            col += cw;
            i += used;
        }
    }
    if (focused) {
        int first = cur_row >= MULTILINE_ROWS ? cur_row - MULTILINE_ROWS + 1 : 0;
        tui_cursor(app, f->win, y + cur_row - first, x + cur_col);
    }
}

void form_draw(struct app *app)
{
    struct form *f = app->form;
    if (!f)
        return;
    WINDOW *w = f->win;
    int h, cols;
    getmaxyx(w, h, cols);
    wattrset(w, tui_attr(app, ROLE_NORMAL));
    werase(w);
    tui_box(app, w);
    tui_put(app, w, 0, 2, cols - 4, f->title, ROLE_TITLE);
    int y = 2;
    int fx = 2 + LABEL_COLS, fw = cols - fx - 2;
    for (size_t i = 0; i < f->n && y < h - 2; i++) {
        struct field *fl = &f->fields[i];
        bool focused = i == f->focus;
        char label[64];
        snprintf(label, sizeof label, "%s%s", fl->label, fl->required ? "*" : "");
        tui_put(app, w, y, 2, LABEL_COLS - 1, label, focused ? ROLE_KEY : ROLE_LABEL);
        if (fl->kind == FIELD_MULTILINE) {
            draw_multiline(app, f, fl, y, fx, fw - (fl->counter ? 9 : 0), focused);
        } else if (fl->kind == FIELD_CHOICE) {
            char buf[300];
            const char *cur = fl->choice >= 0 ? fl->choices[fl->choice] : "(none)";
            const char *filter = lineedit_text(&fl->le);
            snprintf(buf, sizeof buf, "%s %s %s%s%s%s", app->ascii ? "<" : "\xe2\x80\xb9", cur,
                     app->ascii ? ">" : "\xe2\x80\xba", *filter ? "  filter: " : "", filter,
                     focused && fl->n_choices > 1 ? "  (Left/Right)" : "");
            tui_fill(app, w, y, fx, fw, focused ? ROLE_SELECTED : ROLE_NORMAL);
            tui_put(app, w, y, fx, fw, buf, focused ? ROLE_SELECTED : ROLE_NORMAL);
        } else {
            size_t first = 0;
            int ccol = 0;
            int fieldw = fw - (fl->counter ? 9 : 0);
            lineedit_view(&fl->le, fieldw, &first, &ccol);
            tui_fill(app, w, y, fx, fieldw, focused ? ROLE_SELECTED : ROLE_NORMAL);
            tui_put(app, w, y, fx, fieldw, lineedit_text(&fl->le) + first, focused ? ROLE_SELECTED : ROLE_NORMAL);
            if (focused)
                tui_cursor(app, w, y, fx + ccol);
        }
        if (fl->counter) {
            char cnt[32];
            snprintf(cnt, sizeof cnt, "%zu/%zu", lineedit_chars(&fl->le), fl->max_chars);
            tui_put_right(app, w, fl->kind == FIELD_MULTILINE ? y + MULTILINE_ROWS - 1 : y, cols - 10, 8, cnt,
                          lineedit_chars(&fl->le) >= fl->max_chars ? ROLE_WARN : ROLE_DIM);
        }
        y += field_rows(fl);
    }
    if (f->busy)
        tui_put(app, w, h - 3, 2, cols - 4,
                f->busy_refused ? "Sending... the form can be changed once the server answers" : "Sending...",
                ROLE_WARN);
    else if (f->error[0])
        tui_put(app, w, h - 3, 2, cols - 4, f->error, ROLE_ERROR);
    tui_put(app, w, h - 2, 2, cols - 4,
            f->fields[f->focus].kind == FIELD_MULTILINE
                ? "Tab next field  Enter new line  Ctrl-S submits  Esc cancels"
                : "Tab next field  Ctrl-S or Enter on the last field submits  Esc cancels",
            ROLE_DIM);
}
