/*
 * notes.c - what colleagues wrote about the member, newest first, with
 * date and author; the selected note is shown in full underneath.
 *
 * Endpoints: GET /v1.1/customer/notes; POST /v1.1/customer/notes to add a
 * note or to replace the text of the selected one.
 *
 * Actions: a (note-add) and e or Enter (note-edit) open a form with one
 * multi-line field and a live "n/255" counter; the text is checked before
 * sending (not empty, at most 255 characters), a refusal keeps it in the
 * form, and the saved note is selected when the list comes back. `/`
 * narrows the list by text; i opens the messages; Ctrl-R / F5 reloads.
 * `:note-add TEXT` opens the new-note form holding TEXT (:wrapup's draft).
 * Writes are hidden in --readonly. No children besides interactions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "views/views.h"
#include "views/wrap.h"

enum { TAG_NOTES = 1, TAG_SAVE };

#define DETAIL_ROWS 6 /* rule + author line + up to 4 lines of text */

struct notes {
    int64_t id;
    struct mc_note_list *list;  /* owned */
    bool loading;
    char error[200];
    size_t *rows;               /* indexes passing the text filter */
    size_t n_rows;
    struct list_pos pos;
    char text[128];
    bool saving;
    long audit_id;
    int64_t editing;            /* note id being edited; 0 = a new note */
    int64_t select;             /* note to select once the list arrives */
    const char *saved;          /* "Note added" while the reload after it is out */
};

static struct notes *N(struct view *v) { return v->priv; }

static const char *nz(const char *s) { return s && *s ? s : "-"; }

static void load(struct view *v)
{
    struct notes *s = N(v);
    s->loading = true;
    view_submit(v, api_notes_get(s->id), TAG_NOTES);
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

static void rebuild(struct notes *s)
{
    int64_t keep = s->select;
    if (!keep && s->pos.cursor >= 0 && (size_t)s->pos.cursor < s->n_rows)
        keep = s->list ? s->list->items[s->rows[s->pos.cursor]].id : 0;
    free(s->rows);
    s->rows = NULL;
    s->n_rows = 0;
    s->pos.cursor = -1;
    if (!s->list || s->list->n == 0)
        return;
    s->rows = malloc(s->list->n * sizeof *s->rows);
    if (!s->rows)
        abort();
    for (size_t i = 0; i < s->list->n; i++) {
        const struct mc_note *n = &s->list->items[i];
        if (!s->text[0] || contains_ci(n->text, s->text) || contains_ci(n->author, s->text))
            s->rows[s->n_rows++] = i;
    }
    if (s->n_rows)
        s->pos.cursor = 0;
    for (size_t i = 0; keep && i < s->n_rows; i++)
        if (s->list->items[s->rows[i]].id == keep)
            s->pos.cursor = (long)i;
}

static int notes_open(struct view *v, const struct view_args *args)
{
    struct notes *s = N(v);
    s->id = args->customer_id;
    if (s->id <= 0) {
        app_status(v->app, STATUS_ERROR, "No member to show notes for");
        return -1;
    }
    s->pos.cursor = -1;
    view_set_crumb(v, "Notes");
    load(v);
    return 0;
}

struct view *open_notes_view(struct app *app, int64_t id)
{
    struct view_args args = {.customer_id = id};
    return app_push(app, &notes_view_ops, &args);
}

static void notes_close(struct view *v)
{
    struct notes *s = N(v);
    if (s->saving && s->audit_id)
        audit_end_unknown(v->app, s->audit_id, "screen closed before the server answered");
    mc_note_list_free(&s->list);
    free(s->rows);
}

static const struct mc_note *selected(struct notes *s)
{
    if (!s->list || s->pos.cursor < 0 || (size_t)s->pos.cursor >= s->n_rows)
        return NULL;
    return &s->list->items[s->rows[s->pos.cursor]];
}

/* The form */

static void note_submit(struct view *v, struct form *f)
{
    struct notes *s = N(v);
    if (s->saving)
        return;
    const char *text = form_value(f, 0);
    char why[120];
    if (!api_note_check(text, why, sizeof why)) {
        form_set_error(f, "%s", why);
        return;
    }
    char ref[32] = "", detail[80];
    if (s->editing > 0)
        snprintf(ref, sizeof ref, "%lld", (long long)s->editing);
    snprintf(detail, sizeof detail, "%.60s", text);
    s->audit_id = audit_begin(v->app, s->editing > 0 ? "note-edit" : "note-add", s->id,
                              ref[0] ? ref : NULL, detail);
    s->saving = true;
    form_set_busy(f, true);
    view_submit(v, api_note_save(s->id, s->editing, text), TAG_SAVE);
}

static void open_form(struct view *v, const struct mc_note *edit)
{
    struct notes *s = N(v);
    if (s->saving) {
        app_status(v->app, STATUS_WARN, "The last note is still being saved");
        return;
    }
    if (edit && edit->id <= 0) {
        app_status(v->app, STATUS_WARN, "This note has no id yet: reload (Ctrl-R) to edit it");
        return;
    }
    s->editing = edit ? edit->id : 0;
    struct form_field_spec spec = {.label = "Note", .kind = FIELD_MULTILINE,
                                   .max_chars = API_NOTE_MAX, .required = true,
                                   .counter = true, .initial = edit ? edit->text : NULL};
    app_form_open(v, edit ? "Edit note (Ctrl-S saves)" : "New note (Ctrl-S saves)", &spec, 1,
                  note_submit, NULL);
}

/* `:note-add TEXT` (what :wrapup sends): a new note's form holding TEXT to adjust and save. */
static bool notes_command(struct view *v, const char *verb, const char *arg)
{
    struct notes *s = N(v);
    if (strcmp(verb, "note-add") != 0 || !*arg)
        return false;
    if (!app_action_allowed(v->app, ACTION_NOTE_ADD))
        return false;
    if (s->saving) {
        app_status(v->app, STATUS_WARN, "The last note is still being saved");
        return true;
    }
    s->editing = 0;
    struct form_field_spec spec = {.label = "Note", .kind = FIELD_MULTILINE, .max_chars = API_NOTE_MAX,
                                   .required = true, .counter = true, .initial = arg};
    app_form_open(v, "New note (Ctrl-S saves)", &spec, 1, note_submit, NULL);
    return true;
}

static void on_saved(struct view *v, struct api_result *res)
{
    struct notes *s = N(v);
    struct form *f = app_form_of(v);
    struct mc_note_list *l = API_DATA(res, NOTE_SAVE, struct mc_note_list);
    s->saving = false;
    if (!l) {
        char msg[300];
        api_error_format(&res->err, msg, sizeof msg);
        audit_end_error(v->app, s->audit_id, &res->err, msg);
        s->audit_id = 0;
        if (f) {
            form_set_busy(f, false);
            if (res->err.unknown_outcome) {
                form_set_error(f, "Outcome unknown: the note may have been saved; refresh before "
                               "trying again (%s)", msg);
                app_status(v->app, STATUS_WARN, "Outcome unknown: the server's answer could not be read; "
                           "the note may have been saved (%s)", msg);
            } else
                form_set_error(f, "Not saved: %s", msg);
        } else {
            app_status_error(v->app, "Saving the note failed", &res->err);
        }
        return;
    }
    char id[32] = "";
    if (l->n > 0 && l->items[0].id > 0) {
        snprintf(id, sizeof id, "%lld", (long long)l->items[0].id);
        s->select = l->items[0].id;
    }
    audit_end(v->app, s->audit_id, true, id[0] ? id : NULL, NULL);
    s->audit_id = 0;
    if (f)
        form_close(f);
    s->saved = s->editing > 0 ? "Note updated" : "Note added";
    app_status(v->app, STATUS_OK, "%s", s->saved);
    s->text[0] = '\0';
    view_cancel(v);
    load(v);
}

static void notes_result(struct view *v, struct api_result *res)
{
    struct notes *s = N(v);
    if (res->tag == TAG_SAVE) {
        on_saved(v, res);
    } else if (res->tag == TAG_NOTES) {
        s->loading = false;
        const char *saved = s->saved;
        s->saved = NULL;
        struct mc_note_list *l = API_DATA(res, NOTES, struct mc_note_list);
        if (!l) {
            api_error_format(&res->err, s->error, sizeof s->error);
            /* the save went through: a failed reload must not read as a lost note */
            char what[96];
            snprintf(what, sizeof what, "%s%s", saved ? saved : "",
                     saved ? "; reloading the list failed (F5 tries again)" : "Loading the notes failed");
            app_status_error(v->app, what, &res->err);
        } else {
            res->data = NULL;
            mc_note_list_free(&s->list);
            s->list = l;
            s->error[0] = '\0';
            rebuild(s);
            s->select = 0;
        }
    }
    api_result_free(&res);
}

static void notes_reload(struct view *v)
{
    if (N(v)->saving) {
        app_status(v->app, STATUS_WARN, "Wait for the note to be saved before reloading");
        return;
    }
    view_cancel(v);
    load(v);
    app_status(v->app, STATUS_INFO, "Reloading...");
}

static int list_height(const struct view *v)
{
    int h = v->rows - 2 - 1 - DETAIL_ROWS;
    return h < 1 ? 1 : h;
}

static bool notes_action(struct view *v, enum action a)
{
    struct notes *s = N(v);
    view_dirty(v); /* whatever the key did shows at once */
    switch (a) {
    case ACTION_NOTE_ADD:
        open_form(v, NULL);
        return true;
    case ACTION_OPEN:
    case ACTION_NOTE_EDIT:
        if (!app_action_allowed(v->app, ACTION_NOTE_EDIT)) {
            app_status(v->app, STATUS_INFO, "Read-only mode: notes cannot be edited");
            return true;
        }
        if (!selected(s))
            app_status(v->app, STATUS_INFO, "No note selected");
        else
            open_form(v, selected(s));
        return true;
    case ACTION_INTERACTIONS:
        open_interactions_view(v->app, s->id, NULL);
        return true;
    case ACTION_BACK:
        if (s->saving) {
            app_status(v->app, STATUS_WARN, "Wait for the note to be saved");
            return true;
        }
        return false;
    default:
        return list_nav(&s->pos, a, (long)s->n_rows, list_height(v));
    }
}

static void notes_filter(struct view *v, const char *text)
{
    struct notes *s = N(v);
    snprintf(s->text, sizeof s->text, "%s", text);
    rebuild(s);
    view_dirty(v);
}

static void draw_detail(struct view *v, WINDOW *w, int y)
{
    struct notes *s = N(v);
    const struct app *app = v->app;
    const struct mc_note *n = selected(s);
    tui_hline(app, w, y, 0, v->cols);
    if (!n)
        return;
    char head[200];
    snprintf(head, sizeof head, "By %s on %s%s%s", nz(n->author), nz(n->date),
             n->updated && n->date && strcmp(n->updated, n->date) != 0 ? ", edited " : "",
             n->updated && n->date && strcmp(n->updated, n->date) != 0 ? n->updated : "");
    tui_put(app, w, y, 2, v->cols - 4, head, ROLE_TITLE);
    size_t len = strlen(n->text), at = 0;
    bool ascii = app_ascii(app);
    for (int row = 1; row < DETAIL_ROWS && at < len; row++) {
        size_t next, k = wrap_line(n->text + at, len - at, v->cols - 2, ascii, &next);
        char buf[1024];
        snprintf(buf, sizeof buf, "%.*s", (int)(k < sizeof buf - 1 ? k : sizeof buf - 1), n->text + at);
        /* the last row says when the text goes on */
        bool cut = row == DETAIL_ROWS - 1 && at + next < len;
        tui_put(app, w, y + row, 1, v->cols - 2, cut ? "..." : buf, cut ? ROLE_DIM : ROLE_NORMAL);
        at += next;
    }
}

static void notes_draw(struct view *v, WINDOW *w)
{
    struct notes *s = N(v);
    const struct app *app = v->app;
    int cols = v->cols;
    char title[200];
    size_t total = s->list ? s->list->n : 0;
    int len = s->list ? snprintf(title, sizeof title, "Notes: %zu, newest first", total)
                      : snprintf(title, sizeof title, "Notes");
    if (s->text[0] && len > 0 && (size_t)len < sizeof title)
        len += snprintf(title + len, sizeof title - (size_t)len, "  /%s: %zu shown", s->text,
                        s->n_rows);
    if (s->loading && s->list && len > 0 && (size_t)len < sizeof title)
        snprintf(title + len, sizeof title - (size_t)len, "  loading...");
    tui_put(app, w, 0, 1, cols - 2, title, ROLE_TITLE);
    int wdate = cols >= 70 ? 16 : 10, wauthor = cols >= 100 ? 20 : cols >= 70 ? 14 : 10;
    int wtext = cols - 1 - wdate - 1 - wauthor - 1 - 1;
    tui_put(app, w, 1, 1, wdate, "Date", ROLE_LABEL);
    tui_put(app, w, 1, 2 + wdate, wauthor, "Author", ROLE_LABEL);
    tui_put(app, w, 1, 3 + wdate + wauthor, wtext, "Note", ROLE_LABEL);
    int height = list_height(v), y0 = 2;
    if (!s->list) {
        tui_put(app, w, y0, 1, cols - 2, s->error[0] ? s->error : "loading...",
                s->error[0] ? ROLE_ERROR : ROLE_DIM);
    } else if (s->n_rows == 0) {
        tui_put(app, w, y0, 1, cols - 2,
                s->list->n ? "No note matches the text filter" : "No notes on this member yet",
                ROLE_DIM);
    } else {
        list_clamp(&s->pos, (long)s->n_rows, height);
        for (int i = 0; i < height && s->pos.top + i < (long)s->n_rows; i++) {
            long r = s->pos.top + i;
            const struct mc_note *n = &s->list->items[s->rows[r]];
            bool sel = r == s->pos.cursor;
            enum role role = sel ? ROLE_SELECTED : ROLE_NORMAL;
            if (sel)
                tui_fill(app, w, y0 + i, 0, cols, ROLE_SELECTED);
            char date[20];
            snprintf(date, sizeof date, "%.*s", wdate, nz(n->date));
            tui_put(app, w, y0 + i, 1, wdate, date, sel ? role : ROLE_DIM);
            tui_put(app, w, y0 + i, 2 + wdate, wauthor, nz(n->author), sel ? role : ROLE_LABEL);
            tui_put(app, w, y0 + i, 3 + wdate + wauthor, wtext, nz(n->text), role);
        }
        if (s->error[0])
            tui_put(app, w, y0 + height - 1, 1, cols - 2, s->error, ROLE_ERROR);
    }
    draw_detail(v, w, y0 + height);

    char hint[160], k1[32], k2[32], k3[32];
    const struct keymap *km = app_keymap(app);
    if (app_action_allowed(app, ACTION_NOTE_ADD))
        snprintf(hint, sizeof hint, "%s add  %s edit  %s messages  / filter  q back  ? help",
                 keymap_keys_for(km, CTX_NOTES, ACTION_NOTE_ADD, k1, sizeof k1),
                 keymap_keys_for(km, CTX_NOTES, ACTION_NOTE_EDIT, k2, sizeof k2),
                 keymap_keys_for(km, CTX_NOTES, ACTION_INTERACTIONS, k3, sizeof k3));
    else
        snprintf(hint, sizeof hint, "%s messages  / filter  q back  ? help",
                 keymap_keys_for(km, CTX_NOTES, ACTION_INTERACTIONS, k3, sizeof k3));
    tui_put(app, w, v->rows - 1, 1, cols - 2, hint, ROLE_DIM);
}

const struct view_ops notes_view_ops = {
    .name = "notes",
    .ctx = CTX_NOTES,
    .priv_size = sizeof(struct notes),
    .flags = VIEW_MUTATES | VIEW_FILTERABLE,
    .open = notes_open,
    .close = notes_close,
    .draw = notes_draw,
    .on_action = notes_action,
    .on_result = notes_result,
    .reload = notes_reload,
    .filter = notes_filter,
    .command = notes_command,
};
