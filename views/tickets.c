/*
 * tickets.c - the member's tickets, open ones first, with the latest notes
 * underneath: what was promised last time, at a glance.
 *
 * Endpoints: GET /v1.1/customer/tickets (with the status, priority,
 * department and date filters), GET /v1.1/customer/notes, POST
 * /v1.1/customer/tickets (new ticket).
 *
 * Actions: Enter opens the ticket in full; a (ticket-add) opens the new
 * ticket form: subject, message, department and priority as pickers,
 * reported from (call centre by default), one line per custom field; the
 * form checks before sending, keeps every field when the server refuses,
 * and the new code is shown when the server answers (status line, title,
 * cursor on the new row); f (ticket-filter) filters by status, priority,
 * department and creation dates on the server; `/` narrows the rows shown
 * by text; n opens the notes, i the messages sent to the member; Ctrl-R /
 * F5 reloads.
 *
 * The reference has no call that lists an org's departments, statuses or
 * custom fields, so the pickers offer the values this member's tickets
 * use (plus the documented priorities LOW, MEDIUM, HIGH); with none known
 * the department is typed and the server checks it.
 *
 * Children: ticket (one ticket), notes, interactions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "views/views.h"

enum { TAG_TICKETS = 1, TAG_NOTES, TAG_ADD };

#define SET_MAX 24
#define FORM_FIELDS_MAX 4    /* custom fields offered in the form */
#define NOTES_SHOWN 3

/* Values learned from the tickets seen (owned copies, first spelling wins). */
struct strset {
    char *v[SET_MAX];
    size_t n;
};

struct tickets {
    int64_t id;
    struct mc_ticket_list *list;   /* owned */
    struct mc_note_list *notes;    /* owned */
    bool loading;                  /* tickets requested, not answered yet */
    char error[200], notes_error[200];
    size_t *rows;                  /* display order over list->items, after the text filter */
    size_t n_rows, open_count;
    struct list_pos pos;
    char text[128];                /* the `/` filter */
    struct {                       /* server-side filters; "" = any */
        char status[64], priority[32], department[64], from[11], to[11];
    } f;
    struct strset statuses, priorities, departments, field_names;
    bool adding;                   /* a new ticket is on its way */
    long audit_id;
    char added[48];                /* code of the ticket added last */
    bool select_added;             /* put the cursor on it when the list comes */
    bool dept_typed;               /* the form's department is a text field */
    size_t n_form_fields;          /* custom fields in the open form */
    char form_fields[FORM_FIELDS_MAX][64];
};

static struct tickets *T(struct view *v) { return v->priv; }

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

static void set_add(struct strset *s, const char *v)
{
    if (!v || !*v || strlen(v) > 60)
        return;
    for (size_t i = 0; i < s->n; i++)
        if (strcasecmp(s->v[i], v) == 0)
            return;
    if (s->n < SET_MAX)
        s->v[s->n++] = xstrdup(v);
}

static void set_free(struct strset *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    s->n = 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcasecmp(*(char *const *)a, *(char *const *)b);
}

static const char *nz(const char *s) { return s && *s ? s : "-"; }

/* Loading */

static void load(struct view *v)
{
    struct tickets *s = T(v);
    struct mc_ticket_filter f = {.status = s->f.status, .priority = s->f.priority,
                                 .department = s->f.department, .start_date = s->f.from,
                                 .end_date = s->f.to};
    s->loading = true;
    view_submit(v, api_tickets_get(s->id, &f), TAG_TICKETS);
    view_submit(v, api_notes_get(s->id), TAG_NOTES);
}

static bool filtered(const struct tickets *s)
{
    return s->f.status[0] || s->f.priority[0] || s->f.department[0] || s->f.from[0] || s->f.to[0];
}

/* Display order: open tickets first, then the newest. */
struct row_key {
    size_t idx;
    bool open;
    const char *created;
};

static int row_cmp(const void *a, const void *b)
{
    const struct row_key *x = a, *y = b;
    if (x->open != y->open)
        return x->open ? -1 : 1;
    if (x->created && y->created) {
        int c = strcmp(y->created, x->created);
        if (c)
            return c;
    } else if (x->created || y->created) {
        return x->created ? -1 : 1;
    }
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

static bool text_match(const struct mc_ticket *t, const char *f)
{
    return !*f || contains_ci(t->code, f) || contains_ci(t->subject, f) ||
           contains_ci(t->status, f) || contains_ci(t->department, f) ||
           contains_ci(t->priority, f) || contains_ci(t->message, f);
}

/* Rebuilds the display order, keeping the cursor on the same ticket (or on
 * the one whose code is `select`). */
static void rebuild(struct tickets *s, const char *select)
{
    char keep[64] = "";
    if (select)
        snprintf(keep, sizeof keep, "%s", select);
    else if (s->list && s->pos.cursor >= 0 && (size_t)s->pos.cursor < s->n_rows &&
             s->list->items[s->rows[s->pos.cursor]].code)
        snprintf(keep, sizeof keep, "%s", s->list->items[s->rows[s->pos.cursor]].code);
    free(s->rows);
    s->rows = NULL;
    s->n_rows = s->open_count = 0;
    if (!s->list || s->list->n == 0) {
        s->pos.cursor = -1;
        return;
    }
    s->rows = malloc(s->list->n * sizeof *s->rows);
    struct row_key *keys = malloc(s->list->n * sizeof *keys);
    if (!s->rows || !keys)
        abort();
    for (size_t i = 0; i < s->list->n; i++) {
        const struct mc_ticket *t = &s->list->items[i];
        bool open = api_ticket_is_open(t->status);
        s->open_count += open;
        if (text_match(t, s->text))
            keys[s->n_rows++] = (struct row_key){.idx = i, .open = open, .created = t->created_on};
    }
    qsort(keys, s->n_rows, sizeof *keys, row_cmp);
    for (size_t i = 0; i < s->n_rows; i++)
        s->rows[i] = keys[i].idx;
    free(keys);
    s->pos.cursor = s->n_rows ? 0 : -1;
    for (size_t i = 0; keep[0] && i < s->n_rows; i++) {
        const char *code = s->list->items[s->rows[i]].code;
        if (code && strcmp(code, keep) == 0)
            s->pos.cursor = (long)i;
    }
}

static void learn(struct tickets *s)
{
    for (size_t i = 0; s->list && i < s->list->n; i++) {
        const struct mc_ticket *t = &s->list->items[i];
        set_add(&s->statuses, t->status);
        set_add(&s->priorities, t->priority);
        set_add(&s->departments, t->department);
        for (size_t k = 0; k < t->n_fields; k++)
            set_add(&s->field_names, t->fields[k].name);
    }
}

static int tickets_open(struct view *v, const struct view_args *args)
{
    struct tickets *s = T(v);
    s->id = args->customer_id;
    if (s->id <= 0) {
        app_status(v->app, STATUS_ERROR, "No member to show tickets for");
        return -1;
    }
    s->pos.cursor = -1;
    /* The documented priorities come first, in their natural order. */
    set_add(&s->priorities, "LOW");
    set_add(&s->priorities, "MEDIUM");
    set_add(&s->priorities, "HIGH");
    view_set_crumb(v, "Tickets");
    load(v);
    return 0;
}

struct view *open_tickets_view(struct app *app, int64_t id)
{
    struct view_args args = {.customer_id = id};
    return app_push(app, &tickets_view_ops, &args);
}

static void tickets_close(struct view *v)
{
    struct tickets *s = T(v);
    if (s->adding && s->audit_id)
        audit_end_unknown(v->app, s->audit_id, "screen closed before the server answered");
    mc_ticket_list_free(&s->list);
    mc_note_list_free(&s->notes);
    free(s->rows);
    set_free(&s->statuses);
    set_free(&s->priorities);
    set_free(&s->departments);
    set_free(&s->field_names);
}

/* New ticket */

enum { F_SUBJECT, F_MESSAGE, F_DEPARTMENT, F_PRIORITY, F_FROM, F_CUSTOM };

static const char *const reported_from[] = {"CALLCENTER", "EMAIL", "INTOUCH",
                                            "CLIENT", "MICROSITE", "SOCIAL"};
#define CHOOSE "(choose one)"

static void add_submit(struct view *v, struct form *f)
{
    struct tickets *s = T(v);
    if (s->adding)
        return;
    struct mc_draft_field fields[FORM_FIELDS_MAX];
    for (size_t i = 0; i < s->n_form_fields; i++) {
        fields[i].name = s->form_fields[i];
        fields[i].value = form_value(f, F_CUSTOM + i);
    }
    const char *dept = form_value(f, F_DEPARTMENT);
    if (!s->dept_typed && form_choice(f, F_DEPARTMENT) <= 0)
        dept = "";
    struct mc_ticket_draft d = {
        .subject = form_value(f, F_SUBJECT),
        .message = form_value(f, F_MESSAGE),
        .department = dept,
        .priority = form_value(f, F_PRIORITY),
        .reported_from = form_value(f, F_FROM),
        .type = "Customer",
        .fields = fields,
        .n_fields = s->n_form_fields,
    };
    char why[160];
    if (!api_ticket_check(&d, why, sizeof why)) {
        form_set_error(f, "%s", why);
        return;
    }
    char detail[120];
    snprintf(detail, sizeof detail, "%.100s", d.subject);
    s->audit_id = audit_begin(v->app, "ticket-add", s->id, NULL, detail);
    s->adding = true;
    form_set_busy(f, true);
    view_submit(v, api_ticket_add(s->id, &d), TAG_ADD);
}

static void open_add_form(struct view *v)
{
    struct tickets *s = T(v);
    if (s->adding) {
        app_status(v->app, STATUS_WARN, "The last ticket is still being sent");
        return;
    }
    struct form_field_spec spec[F_CUSTOM + FORM_FIELDS_MAX];
    const char *depts[SET_MAX + 1];
    size_t nd = 0;
    depts[nd++] = CHOOSE;
    for (size_t i = 0; i < s->departments.n; i++)
        depts[nd++] = s->departments.v[i];
    qsort(depts + 1, nd - 1, sizeof depts[0], cmp_str);
    s->dept_typed = s->departments.n == 0;
    spec[F_SUBJECT] = (struct form_field_spec){.label = "Subject", .kind = FIELD_TEXT,
                                               .max_chars = API_TICKET_SUBJECT_MAX,
                                               .required = true};
    spec[F_MESSAGE] = (struct form_field_spec){.label = "Message", .kind = FIELD_MULTILINE,
                                               .max_chars = API_TICKET_MESSAGE_MAX,
                                               .required = true, .counter = true};
    if (s->dept_typed)
        spec[F_DEPARTMENT] = (struct form_field_spec){.label = "Department", .kind = FIELD_TEXT,
                                                      .max_chars = 60, .required = true};
    else
        spec[F_DEPARTMENT] = (struct form_field_spec){.label = "Department", .kind = FIELD_CHOICE,
                                                      .choices = depts, .n_choices = nd,
                                                      .initial = CHOOSE, .required = true};
    spec[F_PRIORITY] = (struct form_field_spec){
        .label = "Priority", .kind = FIELD_CHOICE, .choices = (const char *const *)s->priorities.v,
        .n_choices = s->priorities.n, .initial = "MEDIUM"};
    spec[F_FROM] = (struct form_field_spec){.label = "Reported from", .kind = FIELD_CHOICE,
                                            .choices = reported_from,
                                            .n_choices = sizeof reported_from / sizeof reported_from[0],
                                            .initial = "CALLCENTER"};
    s->n_form_fields = 0;
    for (size_t i = 0; i < s->field_names.n && s->n_form_fields < FORM_FIELDS_MAX; i++) {
        size_t k = s->n_form_fields++;
        snprintf(s->form_fields[k], sizeof s->form_fields[k], "%s", s->field_names.v[i]);
        spec[F_CUSTOM + k] = (struct form_field_spec){.label = s->form_fields[k],
                                                      .kind = FIELD_TEXT,
                                                      .max_chars = API_TICKET_FIELD_MAX};
    }
    app_form_open(v, "New ticket", spec, F_CUSTOM + s->n_form_fields, add_submit, NULL);
}

static void on_added(struct view *v, struct api_result *res)
{
    struct tickets *s = T(v);
    struct form *f = app_form_of(v);
    struct mc_ticket_list *l = API_DATA(res, TICKET_ADD, struct mc_ticket_list);
    s->adding = false;
    if (!l) {
        char msg[300];
        api_error_format(&res->err, msg, sizeof msg);
        audit_end_error(v->app, s->audit_id, &res->err, msg);
        s->audit_id = 0;
        if (f) {
            form_set_busy(f, false);
            if (res->err.unknown_outcome) {
                form_set_error(f, "Outcome unknown: the ticket may have been added; refresh before "
                               "trying again (%s)", msg);
                app_status(v->app, STATUS_WARN, "Outcome unknown: the server's answer could not be read; "
                           "the ticket may have been added (%s)", msg);
            } else
                form_set_error(f, "Not added: %s", msg);
        } else {
            app_status_error(v->app, "Adding the ticket failed", &res->err);
        }
        return;
    }
    const char *code = l->items[0].code;
    audit_end(v->app, s->audit_id, true, code, NULL);
    s->audit_id = 0;
    snprintf(s->added, sizeof s->added, "%s", code);
    s->select_added = true;
    if (f)
        form_close(f);
    app_status(v->app, STATUS_OK, "Ticket %s added", code);
    /* Show the new ticket whatever filter was on. */
    memset(&s->f, 0, sizeof s->f);
    s->text[0] = '\0';
    view_cancel(v);
    load(v);
}

/* Filters */

enum { FF_STATUS, FF_PRIORITY, FF_DEPARTMENT, FF_FROM, FF_TO, FF_COUNT };
#define ANY "any"

static void filter_submit(struct view *v, struct form *f)
{
    struct tickets *s = T(v);
    const char *from = form_value(f, FF_FROM), *to = form_value(f, FF_TO);
    if (*from && !api_date_valid(from)) {
        form_set_error(f, "From: write the date as YYYY-MM-DD");
        return;
    }
    if (*to && !api_date_valid(to)) {
        form_set_error(f, "To: write the date as YYYY-MM-DD");
        return;
    }
    if (*from && *to && strcmp(from, to) > 0) {
        form_set_error(f, "From must not be after To");
        return;
    }
#define TAKE(dst, i)                                                        \
    snprintf(dst, sizeof dst, "%s", form_choice(f, i) > 0 ? form_value(f, i) : "")
    TAKE(s->f.status, FF_STATUS);
    TAKE(s->f.priority, FF_PRIORITY);
    TAKE(s->f.department, FF_DEPARTMENT);
#undef TAKE
    snprintf(s->f.from, sizeof s->f.from, "%s", from);
    snprintf(s->f.to, sizeof s->f.to, "%s", to);
    form_close(f);
    s->added[0] = '\0';
    view_cancel(v);
    load(v);
}

static void open_filter_form(struct view *v)
{
    struct tickets *s = T(v);
    const char *st[SET_MAX + 1], *pr[SET_MAX + 1], *de[SET_MAX + 1];
    size_t ns = 0, np = 0, nd = 0;
    st[ns++] = pr[np++] = de[nd++] = ANY;
    for (size_t i = 0; i < s->statuses.n; i++)
        st[ns++] = s->statuses.v[i];
    for (size_t i = 0; i < s->priorities.n; i++)
        pr[np++] = s->priorities.v[i];
    for (size_t i = 0; i < s->departments.n; i++)
        de[nd++] = s->departments.v[i];
    qsort(st + 1, ns - 1, sizeof st[0], cmp_str);
    qsort(de + 1, nd - 1, sizeof de[0], cmp_str);
    struct form_field_spec spec[FF_COUNT] = {
        [FF_STATUS] = {.label = "Status", .kind = FIELD_CHOICE, .choices = st, .n_choices = ns,
                       .initial = s->f.status[0] ? s->f.status : ANY},
        [FF_PRIORITY] = {.label = "Priority", .kind = FIELD_CHOICE, .choices = pr,
                         .n_choices = np, .initial = s->f.priority[0] ? s->f.priority : ANY},
        [FF_DEPARTMENT] = {.label = "Department", .kind = FIELD_CHOICE, .choices = de,
                           .n_choices = nd, .initial = s->f.department[0] ? s->f.department : ANY},
        [FF_FROM] = {.label = "Created from", .kind = FIELD_TEXT, .max_chars = 10,
                     .initial = s->f.from},
        [FF_TO] = {.label = "Created to", .kind = FIELD_TEXT, .max_chars = 10,
                   .initial = s->f.to},
    };
    app_form_open(v, "Filter tickets (dates as YYYY-MM-DD)", spec, FF_COUNT, filter_submit, NULL);
}

/* Results and actions */

static void tickets_result(struct view *v, struct api_result *res)
{
    struct tickets *s = T(v);
    switch (res->tag) {
    case TAG_TICKETS: {
        s->loading = false;
        struct mc_ticket_list *l = API_DATA(res, TICKETS, struct mc_ticket_list);
        if (!l) {
            api_error_format(&res->err, s->error, sizeof s->error);
            app_status_error(v->app, "Loading the tickets failed", &res->err);
            break;
        }
        res->data = NULL;
        mc_ticket_list_free(&s->list);
        s->list = l;
        s->error[0] = '\0';
        learn(s);
        rebuild(s, s->select_added ? s->added : NULL);
        s->select_added = false;
        break;
    }
    case TAG_NOTES: {
        struct mc_note_list *l = API_DATA(res, NOTES, struct mc_note_list);
        if (!l) {
            api_error_format(&res->err, s->notes_error, sizeof s->notes_error);
            break;
        }
        res->data = NULL;
        mc_note_list_free(&s->notes);
        s->notes = l;
        s->notes_error[0] = '\0';
        break;
    }
    case TAG_ADD:
        on_added(v, res);
        break;
    default:
        break;
    }
    api_result_free(&res);
}

static void tickets_reload(struct view *v)
{
    struct tickets *s = T(v);
    if (s->adding) {
        app_status(v->app, STATUS_WARN, "Wait for the new ticket to be saved before reloading");
        return;
    }
    view_cancel(v);
    load(v);
    app_status(v->app, STATUS_INFO, "Reloading...");
}

static int list_height(const struct view *v)
{
    /* title, column heads, the notes block (rule + up to 3 notes), hint */
    int h = v->rows - 2 - 1 - (1 + NOTES_SHOWN);
    return h < 1 ? 1 : h;
}

static bool tickets_action(struct view *v, enum action a)
{
    struct tickets *s = T(v);
    view_dirty(v); /* whatever the key did shows at once */
    switch (a) {
    case ACTION_OPEN:
        if (s->pos.cursor >= 0 && (size_t)s->pos.cursor < s->n_rows) {
            const struct mc_ticket *t = &s->list->items[s->rows[s->pos.cursor]];
            if (t->code)
                open_ticket_view(v->app, s->id, t->code);
            else
                app_status(v->app, STATUS_WARN, "This ticket has no code to open it by");
        }
        return true;
    case ACTION_TICKET_ADD:
        open_add_form(v);
        return true;
    case ACTION_TICKET_FILTER:
        open_filter_form(v);
        return true;
    case ACTION_NOTES:
        open_notes_view(v->app, s->id);
        return true;
    case ACTION_INTERACTIONS:
        open_interactions_view(v->app, s->id, NULL);
        return true;
    case ACTION_BACK:
        if (s->adding) {
            app_status(v->app, STATUS_WARN, "Wait for the new ticket to be saved");
            return true;
        }
        return false;
    default:
        break;
    }
    return list_nav(&s->pos, a, (long)s->n_rows, list_height(v));
}

static void tickets_filter(struct view *v, const char *text)
{
    struct tickets *s = T(v);
    snprintf(s->text, sizeof s->text, "%s", text);
    rebuild(s, NULL);
    view_dirty(v);
}

/* Drawing */

struct cols {
    int code, status, prio, dept, subject, from, date;
};

static int subject_width(const struct cols *c, int width)
{
    int used = 2; /* margins */
    const int others[] = {c->code, c->status, c->prio, c->dept, c->from, c->date};
    for (int i = 0; i < 6; i++)
        used += others[i] ? others[i] + 1 : 0;
    return width - used;
}

/* Columns for a width; on narrow terminals the less telling ones go first
 * (reported from, date, department, priority) so the subject keeps room. */
static struct cols layout(int width)
{
    struct cols c = {.code = 9, .status = 10, .prio = 6, .dept = 8, .from = 10, .date = 10};
    if (width >= 110) {
        c.code = 12;
        c.dept = 12;
        c.date = 16;
    }
    int *drop[] = {&c.from, &c.date, &c.dept, &c.prio};
    for (size_t i = 0; i < 4 && subject_width(&c, width) < 12; i++)
        *drop[i] = 0;
    c.subject = subject_width(&c, width);
    if (c.subject < 1)
        c.subject = 1;
    return c;
}

static void draw_row(struct view *v, WINDOW *w, int y, const struct cols *c,
                     const struct mc_ticket *t, bool selected)
{
    const struct app *app = v->app;
    bool open = api_ticket_is_open(t->status);
    enum role r = selected ? ROLE_SELECTED : ROLE_NORMAL;
    if (selected)
        tui_fill(app, w, y, 0, v->cols, ROLE_SELECTED);
    bool high = t->priority && strcasecmp(t->priority, "HIGH") == 0;
    char date[20];
    snprintf(date, sizeof date, "%.*s", c->date < 19 ? c->date : 19, nz(t->created_on));
    const struct {
        int width;
        const char *text;
        enum role role;
    } cells[] = {
        {c->code, nz(t->code), r},
        {c->status, nz(t->status), selected ? r : open ? ROLE_WARN : ROLE_DIM},
        {c->prio, nz(t->priority), selected ? r : high && open ? ROLE_ERROR : r},
        {c->dept, nz(t->department), r},
        {c->subject, nz(t->subject), r},
        {c->from, nz(t->reported_from), selected ? r : ROLE_DIM},
        {c->date, date, selected ? r : ROLE_DIM},
    };
    int x = 1;
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        if (!cells[i].width)
            continue;
        tui_put(app, w, y, x, cells[i].width, cells[i].text, cells[i].role);
        x += cells[i].width + 1;
    }
}

static void draw_notes(struct view *v, WINDOW *w, int y)
{
    struct tickets *s = T(v);
    const struct app *app = v->app;
    char title[96], k[32];
    size_t n = s->notes ? s->notes->n : 0;
    keymap_keys_for(app_keymap(app), CTX_TICKETS, ACTION_NOTES, k, sizeof k);
    if (s->notes)
        snprintf(title, sizeof title, "Notes (%zu, newest first; %s for all)", n, k);
    else
        snprintf(title, sizeof title, "Notes (%s for all)", k);
    tui_hline(app, w, y, 0, v->cols);
    tui_put(app, w, y, 2, v->cols - 4, title, ROLE_TITLE);
    y++;
    if (!s->notes) {
        tui_put(app, w, y, 1, v->cols - 2,
                s->notes_error[0] ? s->notes_error : "loading...",
                s->notes_error[0] ? ROLE_ERROR : ROLE_DIM);
        return;
    }
    if (n == 0) {
        tui_put(app, w, y, 1, v->cols - 2, "No notes on this member", ROLE_DIM);
        return;
    }
    for (size_t i = 0; i < n && i < NOTES_SHOWN; i++, y++) {
        const struct mc_note *note = &s->notes->items[i];
        char date[20];
        snprintf(date, sizeof date, "%.10s", nz(note->date));
        tui_put(app, w, y, 1, 10, date, ROLE_DIM);
        tui_put(app, w, y, 12, 14, nz(note->author), ROLE_LABEL);
        tui_put(app, w, y, 27, v->cols - 28, nz(note->text), ROLE_NORMAL);
    }
}

static void tickets_draw(struct view *v, WINDOW *w)
{
    struct tickets *s = T(v);
    const struct app *app = v->app;
    int cols = v->cols;
    char title[256];
    size_t total = s->list ? s->list->n : 0;
    int len = s->list ? snprintf(title, sizeof title, "Tickets: %zu, %zu open", total, s->open_count)
                      : snprintf(title, sizeof title, "Tickets");
    if (filtered(s))
        len += snprintf(title + len, sizeof title - (size_t)len, "  [filter%s%s%s%s%s%s%s%s%s%s]",
                        s->f.status[0] ? " status " : "", s->f.status,
                        s->f.priority[0] ? " priority " : "", s->f.priority,
                        s->f.department[0] ? " dept " : "", s->f.department,
                        s->f.from[0] ? " from " : "", s->f.from, s->f.to[0] ? " to " : "", s->f.to);
    if (s->text[0] && len > 0 && (size_t)len < sizeof title)
        len += snprintf(title + len, sizeof title - (size_t)len, "  /%s: %zu shown", s->text,
                        s->n_rows);
    /* the rows shown stay until the new answer replaces them */
    if (s->loading && s->list && len > 0 && (size_t)len < sizeof title)
        snprintf(title + len, sizeof title - (size_t)len, "  loading...");
    tui_put(app, w, 0, 1, cols - 2, title, ROLE_TITLE);
    if (s->added[0]) {
        char added[80];
        snprintf(added, sizeof added, "New: %s", s->added);
        tui_put_right(app, w, 0, cols / 2, cols / 2 - 1, added, ROLE_OK);
    }

    struct cols c = layout(cols);
    int x = 1;
    static const char *const heads[] = {"Code", "Status", "Prio", "Dept", "Subject", "From", "Created"};
    const int widths[] = {c.code, c.status, c.prio, c.dept, c.subject, c.from, c.date};
    for (int i = 0; i < 7; i++) {
        if (!widths[i])
            continue;
        tui_put(app, w, 1, x, widths[i], heads[i], ROLE_LABEL);
        x += widths[i] + 1;
    }

    int height = list_height(v);
    int y0 = 2;
    if (!s->list) {
        tui_put(app, w, y0, 1, cols - 2, s->error[0] ? s->error : "loading...",
                s->error[0] ? ROLE_ERROR : ROLE_DIM);
    } else if (s->n_rows == 0) {
        const char *why = s->list->n ? "No ticket matches the text filter"
                          : filtered(s) ? "No ticket matches the filter (f changes it)"
                                        : "No tickets for this member";
        tui_put(app, w, y0, 1, cols - 2, why, ROLE_DIM);
    } else {
        list_clamp(&s->pos, (long)s->n_rows, height);
        for (int i = 0; i < height; i++) {
            long r = s->pos.top + i;
            if (r >= (long)s->n_rows)
                break;
            draw_row(v, w, y0 + i, &c, &s->list->items[s->rows[r]], r == s->pos.cursor);
        }
        if (s->error[0])
            tui_put(app, w, y0 + height - 1, 1, cols - 2, s->error, ROLE_ERROR);
    }
    draw_notes(v, w, y0 + height);

    char hint[200], k[32];
    const struct keymap *km = app_keymap(app);
    len = snprintf(hint, sizeof hint, "Enter open  ");
    if (app_action_allowed(app, ACTION_TICKET_ADD))
        len += snprintf(hint + len, sizeof hint - (size_t)len, "%s new ticket  ",
                        keymap_keys_for(km, CTX_TICKETS, ACTION_TICKET_ADD, k, sizeof k));
    len += snprintf(hint + len, sizeof hint - (size_t)len, "%s filter  ",
                    keymap_keys_for(km, CTX_TICKETS, ACTION_TICKET_FILTER, k, sizeof k));
    len += snprintf(hint + len, sizeof hint - (size_t)len, "%s notes  ",
                    keymap_keys_for(km, CTX_TICKETS, ACTION_NOTES, k, sizeof k));
    snprintf(hint + len, sizeof hint - (size_t)len, "%s messages  q back  ? help",
             keymap_keys_for(km, CTX_TICKETS, ACTION_INTERACTIONS, k, sizeof k));
    tui_put(app, w, v->rows - 1, 1, cols - 2, hint, ROLE_DIM);
}

/* y: the focused ticket's code; Y: its row. */
static bool tickets_copy(struct view *v, bool whole_row, char *label, size_t labellen, char *text,
                         size_t textlen)
{
    struct tickets *s = T(v);
    if (!s->list || s->pos.cursor < 0 || (size_t)s->pos.cursor >= s->n_rows)
        return false;
    const struct mc_ticket *t = &s->list->items[s->rows[s->pos.cursor]];
    if (!whole_row) {
        snprintf(label, labellen, "ticket id");
        snprintf(text, textlen, "%s", t->code ? t->code : "");
        return t->code != NULL;
    }
    snprintf(label, labellen, "ticket");
    snprintf(text, textlen, "%s  %s  %s  %s  %s  %s  %s", nz(t->code), nz(t->status), nz(t->priority),
             nz(t->department), nz(t->subject), nz(t->reported_from), nz(t->created_on));
    return true;
}

const struct view_ops tickets_view_ops = {
    .name = "tickets",
    .ctx = CTX_TICKETS,
    .priv_size = sizeof(struct tickets),
    .flags = VIEW_MUTATES | VIEW_FILTERABLE,
    .open = tickets_open,
    .close = tickets_close,
    .draw = tickets_draw,
    .on_action = tickets_action,
    .on_result = tickets_result,
    .reload = tickets_reload,
    .filter = tickets_filter,
    .copy = tickets_copy,
};
