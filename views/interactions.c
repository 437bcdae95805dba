/*
 * interactions.c - the messages the platform sent to the member, newest
 * first: channel, status, when sent and when delivered, subject. The two
 * lines at the top answer "did my last SMS / email arrive?" at once.
 *
 * Endpoints: GET /v2/customers/interaction by the member's mobile (or
 * email, or external id); when the opener does not know them, GET
 * /v2/customers/{id} first.
 *
 * Actions: c (message-channel) shows the next channel: all, SMS, EMAIL,
 * then any other channel the member has; `:message-channel sms` (or
 * `:channel sms`) picks one; `/` narrows by text; Ctrl-R / F5 reloads.
 * The selected message's receiver, campaign and whole subject show
 * underneath. No children.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "views/views.h"
#include "views/wrap.h"

enum { TAG_CUSTOMER = 1, TAG_MESSAGES };

#define CHANNELS_MAX 8
#define DETAIL_ROWS 4 /* rule, receiver line, two lines of subject */

struct interactions {
    int64_t id;
    char idname[16], idvalue[160];  /* what the messages are looked up by */
    struct mc_message_list *list;   /* owned */
    bool loading;
    char error[200];
    char channels[CHANNELS_MAX][16];/* channels present: SMS, EMAIL first */
    size_t n_channels;
    int channel;                    /* -1 all, else index into channels */
    char text[128];
    size_t *rows;
    size_t n_rows;
    struct list_pos pos;
};

static struct interactions *I(struct view *v) { return v->priv; }

static const char *nz(const char *s) { return s && *s ? s : "-"; }

static void load(struct view *v)
{
    struct interactions *s = I(v);
    s->loading = true;
    if (s->idvalue[0])
        view_submit(v, api_interactions_get(s->idname, s->idvalue, NULL), TAG_MESSAGES);
    else
        view_submit(v, api_customer_get(s->id), TAG_CUSTOMER);
}

static int interactions_open(struct view *v, const struct view_args *args)
{
    struct interactions *s = I(v);
    s->id = args->customer_id;
    if (s->id <= 0) {
        app_status(v->app, STATUS_ERROR, "No member to show messages for");
        return -1;
    }
    if (args->query && *args->query) {
        snprintf(s->idname, sizeof s->idname, "mobile");
        snprintf(s->idvalue, sizeof s->idvalue, "%s", args->query);
    }
    s->channel = -1;
    s->pos.cursor = -1;
    view_set_crumb(v, "Messages");
    load(v);
    return 0;
}

struct view *open_interactions_view(struct app *app, int64_t id, const char *mobile)
{
    struct view_args args = {.customer_id = id, .query = mobile};
    return app_push(app, &interactions_view_ops, &args);
}

static void interactions_close(struct view *v)
{
    struct interactions *s = I(v);
    mc_message_list_free(&s->list);
    free(s->rows);
}

static bool is_ok(const char *status)
{
    return status && (strcmp(status, "DELIVERED") == 0 || strcmp(status, "OPENED") == 0 ||
                      strcmp(status, "READ") == 0 || strcmp(status, "CLICKED") == 0);
}

static bool is_failed(const char *status)
{
    return status && (strstr(status, "FAIL") || strstr(status, "NOT") || strstr(status, "BOUNCE") ||
                      strstr(status, "REJECT") || strcmp(status, "GTW_NOT_FOUND") == 0);
}

static enum role status_role(const char *status)
{
    return is_ok(status) ? ROLE_OK : is_failed(status) ? ROLE_ERROR : ROLE_WARN;
}

static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; hay && *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

static void rebuild(struct interactions *s)
{
    free(s->rows);
    s->rows = NULL;
    s->n_rows = 0;
    if (!s->list || s->list->n == 0) {
        s->pos.cursor = -1;
        return;
    }
    s->rows = malloc(s->list->n * sizeof *s->rows);
    if (!s->rows)
        abort();
    const char *ch = s->channel >= 0 ? s->channels[s->channel] : NULL;
    for (size_t i = 0; i < s->list->n; i++) {
        const struct mc_message *m = &s->list->items[i];
        if (ch && (!m->channel || strcmp(m->channel, ch) != 0))
            continue;
        if (s->text[0] && !contains_ci(m->subject, s->text) && !contains_ci(m->status, s->text) &&
            !contains_ci(m->receiver, s->text))
            continue;
        s->rows[s->n_rows++] = i;
    }
    s->pos.cursor = s->n_rows ? 0 : -1;
    s->pos.top = 0;
}

static void add_channel(struct interactions *s, const char *c)
{
    if (!c || !*c)
        return;
    for (size_t i = 0; i < s->n_channels; i++)
        if (strcmp(s->channels[i], c) == 0)
            return;
    if (s->n_channels < CHANNELS_MAX)
        snprintf(s->channels[s->n_channels++], sizeof s->channels[0], "%s", c);
}

/* SMS and EMAIL always come first (they are what members ask about), then
 * the other channels in the order met. */
static void learn_channels(struct interactions *s)
{
    char keep[16] = "";
    if (s->channel >= 0)
        snprintf(keep, sizeof keep, "%s", s->channels[s->channel]);
    s->n_channels = 0;
    add_channel(s, "SMS");
    add_channel(s, "EMAIL");
    for (size_t i = 0; s->list && i < s->list->n; i++)
        add_channel(s, s->list->items[i].channel);
    s->channel = -1;
    for (size_t i = 0; keep[0] && i < s->n_channels; i++)
        if (strcmp(s->channels[i], keep) == 0)
            s->channel = (int)i;
}

static void interactions_result(struct view *v, struct api_result *res)
{
    struct interactions *s = I(v);
    if (res->tag == TAG_CUSTOMER) {
        struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
        if (!c) {
            s->loading = false;
            api_error_format(&res->err, s->error, sizeof s->error);
            app_status_error(v->app, "Loading the member failed", &res->err);
        } else {
            const char *name = c->mobile ? "mobile" : c->email ? "email" : "external_id";
            const char *value = c->mobile ? c->mobile : c->email ? c->email : c->external_id;
            if (!value) {
                s->loading = false;
                snprintf(s->error, sizeof s->error,
                         "The member has no mobile, email or external id to look messages up by");
            } else {
                snprintf(s->idname, sizeof s->idname, "%s", name);
                snprintf(s->idvalue, sizeof s->idvalue, "%s", value);
                load(v);
            }
        }
    } else if (res->tag == TAG_MESSAGES) {
        s->loading = false;
        struct mc_message_list *l = API_DATA(res, INTERACTIONS, struct mc_message_list);
        if (!l) {
            api_error_format(&res->err, s->error, sizeof s->error);
            app_status_error(v->app, "Loading the messages failed", &res->err);
        } else {
            res->data = NULL;
            mc_message_list_free(&s->list);
            s->list = l;
            s->error[0] = '\0';
            learn_channels(s);
            rebuild(s);
        }
    }
    api_result_free(&res);
}

static void interactions_reload(struct view *v)
{
    view_cancel(v);
    load(v);
    app_status(v->app, STATUS_INFO, "Reloading...");
}

static void show_channel(struct view *v)
{
    struct interactions *s = I(v);
    rebuild(s);
    view_dirty(v);
    app_status(v->app, STATUS_INFO, "Showing %s messages",
               s->channel >= 0 ? s->channels[s->channel] : "all");
}

static int list_height(const struct view *v)
{
    /* title, last SMS, last email, column heads; detail block; hint */
    int h = v->rows - 4 - DETAIL_ROWS - 1;
    return h < 1 ? 1 : h;
}

static bool interactions_action(struct view *v, enum action a)
{
    struct interactions *s = I(v);
    view_dirty(v); /* whatever the key did shows at once */
    if (a == ACTION_MESSAGE_CHANNEL) {
        s->channel = s->channel + 1 >= (int)s->n_channels ? -1 : s->channel + 1;
        show_channel(v);
        return true;
    }
    return list_nav(&s->pos, a, (long)s->n_rows, list_height(v));
}

static bool interactions_command(struct view *v, const char *verb, const char *arg)
{
    struct interactions *s = I(v);
    if (strcmp(verb, "channel") != 0 && strcmp(verb, "message-channel") != 0)
        return false;
    if (!*arg) {
        interactions_action(v, ACTION_MESSAGE_CHANNEL);
        return true;
    }
    if (strcasecmp(arg, "all") == 0) {
        s->channel = -1;
        show_channel(v);
        return true;
    }
    for (size_t i = 0; i < s->n_channels; i++) {
        if (strcasecmp(s->channels[i], arg) == 0) {
            s->channel = (int)i;
            show_channel(v);
            return true;
        }
    }
    app_status(v->app, STATUS_WARN, "No %s messages for this member (channels: all%s%s%s%s)", arg,
               s->n_channels > 0 ? ", SMS" : "", s->n_channels > 1 ? ", EMAIL" : "",
               s->n_channels > 2 ? ", " : "", s->n_channels > 2 ? s->channels[2] : "");
    return true;
}

static void interactions_filter(struct view *v, const char *text)
{
    struct interactions *s = I(v);
    snprintf(s->text, sizeof s->text, "%s", text);
    rebuild(s);
    view_dirty(v);
}

/* Drawing */

/* "HH:MM" when delivered the day it was sent, else "MM-DD HH:MM". */
static void delivered_text(const struct mc_message *m, char *buf, size_t n)
{
    if (!m->delivered) {
        snprintf(buf, n, "-");
        return;
    }
    if (m->sent && strlen(m->delivered) >= 16 && strncmp(m->sent, m->delivered, 10) == 0)
        snprintf(buf, n, "%.5s", m->delivered + 11);
    else if (strlen(m->delivered) >= 16)
        snprintf(buf, n, "%.5s %.5s", m->delivered + 5, m->delivered + 11);
    else
        snprintf(buf, n, "%s", m->delivered);
}

/* "Last SMS: DELIVERED at ..., sent ..." for the newest message of channel. */
static void draw_last(struct view *v, WINDOW *w, int y, const char *channel, const char *label)
{
    struct interactions *s = I(v);
    const struct app *app = v->app;
    const struct mc_message *m = NULL;
    for (size_t i = 0; s->list && i < s->list->n && !m; i++)
        if (s->list->items[i].channel && strcmp(s->list->items[i].channel, channel) == 0)
            m = &s->list->items[i];
    int x = 1 + tui_put(app, w, y, 1, 12, label, ROLE_LABEL);
    x = 13 > x ? 13 : x;
    if (!s->list) {
        tui_put(app, w, y, x, v->cols - x - 1, s->loading ? "loading..." : "-", ROLE_DIM);
        return;
    }
    if (!m) {
        tui_put(app, w, y, x, v->cols - x - 1, "none sent", ROLE_DIM);
        return;
    }
    x += tui_put(app, w, y, x, 20, nz(m->status), status_role(m->status)) + 1;
    char when[160];
    if (m->delivered && m->sent && strncmp(m->delivered, m->sent, 10) == 0 && strlen(m->sent) >= 16)
        snprintf(when, sizeof when, "%.16s (sent %.5s)", m->delivered, m->sent + 11);
    else if (m->delivered)
        snprintf(when, sizeof when, "%.16s (sent %.16s)", m->delivered, nz(m->sent));
    else
        snprintf(when, sizeof when, "sent %.16s, not delivered", nz(m->sent));
    x += tui_put(app, w, y, x, v->cols - x - 1, when, ROLE_NORMAL) + 2;
    if (x < v->cols - 8)
        tui_put(app, w, y, x, v->cols - x - 1, nz(m->subject), ROLE_DIM);
}

static void draw_detail(struct view *v, WINDOW *w, int y)
{
    struct interactions *s = I(v);
    const struct app *app = v->app;
    tui_hline(app, w, y, 0, v->cols);
    if (s->pos.cursor < 0 || (size_t)s->pos.cursor >= s->n_rows)
        return;
    const struct mc_message *m = &s->list->items[s->rows[s->pos.cursor]];
    char line[300];
    if (m->campaign)
        snprintf(line, sizeof line, "%s to %s, campaign %s, id %lld", nz(m->channel),
                 nz(m->receiver), m->campaign, (long long)m->id);
    else
        snprintf(line, sizeof line, "%s to %s, id %lld", nz(m->channel), nz(m->receiver),
                 (long long)m->id);
    tui_put(app, w, y + 1, 1, v->cols - 2, line, ROLE_LABEL);
    const char *t = nz(m->subject);
    size_t len = strlen(t), at = 0;
    for (int row = 2; row < DETAIL_ROWS && at < len; row++) {
        size_t next, k = wrap_line(t + at, len - at, v->cols - 2, app_ascii(app), &next);
        char buf[1024];
        snprintf(buf, sizeof buf, "%.*s", (int)(k < sizeof buf - 1 ? k : sizeof buf - 1), t + at);
        tui_put(app, w, y + row, 1, v->cols - 2, buf, ROLE_NORMAL);
        at += next;
    }
}

static void interactions_draw(struct view *v, WINDOW *w)
{
    struct interactions *s = I(v);
    const struct app *app = v->app;
    int cols = v->cols;
    char title[300];
    size_t total = s->list ? s->list->n : 0;
    int len = s->list ? snprintf(title, sizeof title, "Messages: %zu", total)
                      : snprintf(title, sizeof title, "Messages");
    for (size_t c = 0; s->list && c < s->n_channels && len > 0 && (size_t)len < sizeof title; c++) {
        size_t n = 0;
        for (size_t i = 0; i < s->list->n; i++)
            n += s->list->items[i].channel && strcmp(s->list->items[i].channel, s->channels[c]) == 0;
        len += snprintf(title + len, sizeof title - (size_t)len, "%s%s %zu", c ? ", " : " (",
                        s->channels[c], n);
        if (c + 1 == s->n_channels)
            len += snprintf(title + len, sizeof title - (size_t)len, ")");
    }
    int used = tui_put(app, w, 0, 1, cols - 2, title, ROLE_TITLE);
    char showing[200];
    snprintf(showing, sizeof showing, "showing %s%s%s", s->channel >= 0 ? s->channels[s->channel] : "all",
             s->text[0] ? " /" : "", s->text);
    int room = cols - 1 - used - 3;
    if (room >= (int)strlen(showing))
        tui_put_right(app, w, 0, cols - 1 - room, room, showing, ROLE_ACCENT);
    draw_last(v, w, 1, "SMS", "Last SMS");
    draw_last(v, w, 2, "EMAIL", "Last email");

    /* narrow terminals lose the year and the delivered column */
    bool narrow = cols < 70;
    int wsent = narrow ? 11 : 16, wch = 5, wst = narrow ? 9 : 13, wdel = narrow ? 0 : 11;
    int wsub = cols - 2 - (wsent + 1) - (wch + 1) - (wst + 1) - (wdel ? wdel + 1 : 0);
    if (wsub < 1)
        wsub = 1;
    int x = 1;
    tui_put(app, w, 3, x, wsent, "Sent", ROLE_LABEL);
    x += wsent + 1;
    tui_put(app, w, 3, x, wch, "Chan", ROLE_LABEL);
    x += wch + 1;
    tui_put(app, w, 3, x, wst, "Status", ROLE_LABEL);
    x += wst + 1;
    if (wdel) {
        tui_put(app, w, 3, x, wdel, "Delivered", ROLE_LABEL);
        x += wdel + 1;
    }
    tui_put(app, w, 3, x, wsub, "Subject / text", ROLE_LABEL);

    int height = list_height(v), y0 = 4;
    if (!s->list) {
        tui_put(app, w, y0, 1, cols - 2, s->error[0] ? s->error : "loading...",
                s->error[0] ? ROLE_ERROR : ROLE_DIM);
    } else if (s->n_rows == 0) {
        tui_put(app, w, y0, 1, cols - 2,
                s->list->n ? "No message of this channel (c shows the next one)"
                           : "No messages sent to this member",
                ROLE_DIM);
    } else {
        list_clamp(&s->pos, (long)s->n_rows, height);
        for (int i = 0; i < height && s->pos.top + i < (long)s->n_rows; i++) {
            long r = s->pos.top + i;
            const struct mc_message *m = &s->list->items[s->rows[r]];
            bool sel = r == s->pos.cursor;
            enum role role = sel ? ROLE_SELECTED : ROLE_NORMAL;
            int y = y0 + i;
            if (sel)
                tui_fill(app, w, y, 0, cols, ROLE_SELECTED);
            char sent[20], del[24];
            const char *st = nz(m->sent);
            if (narrow && strlen(st) >= 16)
                snprintf(sent, sizeof sent, "%.11s", st + 5);
            else
                snprintf(sent, sizeof sent, "%.16s", st);
            delivered_text(m, del, sizeof del);
            x = 1;
            tui_put(app, w, y, x, wsent, sent, sel ? role : ROLE_DIM);
            x += wsent + 1;
            tui_put(app, w, y, x, wch, nz(m->channel), role);
            x += wch + 1;
            tui_put(app, w, y, x, wst, nz(m->status), sel ? role : status_role(m->status));
            x += wst + 1;
            if (wdel) {
                tui_put(app, w, y, x, wdel, del, sel ? role : ROLE_DIM);
                x += wdel + 1;
            }
            tui_put(app, w, y, x, wsub, nz(m->subject), role);
        }
        if (s->error[0])
            tui_put(app, w, y0 + height - 1, 1, cols - 2, s->error, ROLE_ERROR);
    }
    draw_detail(v, w, y0 + height);

    char hint[160], k[32];
    snprintf(hint, sizeof hint, "%s channel (%s)  / filter  q back  ? help",
             keymap_keys_for(app_keymap(app), CTX_INTERACTIONS, ACTION_MESSAGE_CHANNEL, k, sizeof k),
             s->channel >= 0 ? s->channels[s->channel] : "all");
    tui_put(app, w, v->rows - 1, 1, cols - 2, hint, ROLE_DIM);
}

const struct view_ops interactions_view_ops = {
    .name = "interactions",
    .ctx = CTX_INTERACTIONS,
    .priv_size = sizeof(struct interactions),
    .flags = VIEW_FILTERABLE,
    .open = interactions_open,
    .close = interactions_close,
    .draw = interactions_draw,
    .on_action = interactions_action,
    .on_result = interactions_result,
    .reload = interactions_reload,
    .filter = interactions_filter,
    .command = interactions_command,
};
