/*
 * tickets_decode.c - decoders for TICKETS, TICKET_ADD, NOTES, NOTE_SAVE and
 * INTERACTIONS (part2 §0.3, §2).
 *
 * The v1.1 quirks every decoder here accepts:
 *   - the member block is `response.customers.customer` (ticket add) or
 *     `response.customer` (every other call); both are tried everywhere;
 *   - any list may come as a one-element array or as a bare object
 *     (`"ticket": {...}`), and a missing or null list is empty;
 *   - numbers and booleans may be strings ("1300", "true");
 *   - the per-item outcome is `item_status` with `success` (or `status`):
 *     a failure becomes API_REMOTE with the item's own code and message.
 * Each decoder requires the block that proves the body is the documented
 * one (the member block; for interactions the v2 `interaction` list or the
 * v1.1 `interactions` block) and treats everything else as optional.
 *
 * Interactions: GET /v2/customers/interaction documents a v2 shape
 * ({name, interaction:[{name, count, messageList:[...]}]}) but its page
 * also shows a v1.1 body (response.customer.interactions.network[]
 * .interaction[].messages.message[]); the decoder reads both. The v1.1
 * misspelling `reciever` is accepted next to `receiver`.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "api/json.h"

/* Times */

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* Rewrites the documented time forms as "YYYY-MM-DD HH:MM:SS" (or
 * "YYYY-MM-DD") in place; anything else is kept. "null" and "" become
 * NULL. Takes ownership of s. */
static char *norm_time(char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s);
    if (len == 0 || strcasecmp(s, "null") == 0) {
        free(s);
        return NULL;
    }
    /* v2 sentDate: DD-MM-YYYY[ HH:mm:ss] */
    if (len >= 10 && digits(s, 2) && s[2] == '-' && digits(s + 3, 2) && s[5] == '-' &&
        digits(s + 6, 4) && (len == 10 || s[10] == ' ')) {
        char d[11];
        memcpy(d, s + 6, 4);
        d[4] = '-';
        memcpy(d + 5, s + 3, 2);
        d[7] = '-';
        memcpy(d + 8, s, 2);
        memcpy(s, d, 10);
    }
    /* ISO 8601 or v1.1: YYYY-MM-DD[(T| )HH:MM[:SS][.fff][zone]] */
    if (len >= 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
        digits(s + 8, 2)) {
        if (len >= 16 && (s[10] == 'T' || s[10] == ' ') && digits(s + 11, 2) && s[13] == ':' &&
            digits(s + 14, 2)) {
            s[10] = ' ';
            if (len >= 19 && s[16] == ':' && digits(s + 17, 2)) {
                s[19] = '\0';
                return s;
            }
            /* "YYYY-MM-DD HH:MM": seconds are added. */
            char *g = api_xasprintf("%.16s:00", s);
            free(s);
            return g;
        }
    }
    return s;
}

/* Shared v1.1 helpers */

static const json_t *v11_customer(const json_t *root)
{
    const json_t *resp = api_json_get(root, "response");
    const json_t *c = api_json_first(api_json_first(resp, "customers"), "customer");
    if (!c)
        c = api_json_first(resp, "customer");
    return c;
}

/* API_REMOTE when the item's item_status reports a failure. */
static enum api_err item_status(const json_t *item, struct api_error *err)
{
    const json_t *st = api_json_first(item, "item_status");
    if (!st)
        return API_OK;
    const char *key = api_json_get(st, "success") ? "success" : "status";
    if (api_json_bool(st, key, true))
        return API_OK;
    long code = api_json_long(st, "code", 0);
    char *msg = api_json_str(st, "message");
    api_error_set(err, API_REMOTE, err->http_status, code, "%s",
                  msg && msg[0] ? msg : "the server refused the request");
    free(msg);
    return API_REMOTE;
}

/* The first non-empty string among keys of obj (NULL-terminated list). */
static char *str_any(const json_t *obj, const char *const *keys)
{
    for (; *keys; keys++) {
        char *s = api_json_str(obj, *keys);
        if (s && s[0])
            return s;
        free(s);
    }
    return NULL;
}

/* A list under obj[outer][inner], e.g. tickets.ticket: the object-or-array
 * value, or NULL (empty). */
static const json_t *inner_list(const json_t *obj, const char *outer, const char *inner)
{
    return api_json_get(api_json_first(obj, outer), inner);
}

/* Tickets */

static void decode_fields(const json_t *t, struct mc_ticket *out)
{
    const json_t *list = inner_list(t, "custom_fields", "field");
    size_t n = api_json_count(list);
    if (n == 0)
        return;
    out->fields = api_xcalloc(n, sizeof *out->fields);
    for (size_t i = 0; i < n; i++) {
        const json_t *f = api_json_at(list, i);
        char *name = api_json_str(f, "name");
        if (!name || !name[0]) {
            free(name);
            continue;
        }
        struct mc_field *d = &out->fields[out->n_fields++];
        d->name = name;
        d->value = api_json_str(f, "value");
    }
}

static void decode_comments(const json_t *t, struct mc_ticket *out)
{
    static const char *const text_keys[] = {"text", "comment", "description", NULL};
    static const char *const status_keys[] = {"status", "new_status", NULL};
    static const char *const author_keys[] = {"added_by", "created_by", "author", NULL};
    static const char *const date_keys[] = {"added_on", "created_on", "date", NULL};
    const json_t *list = inner_list(t, "comments", "comment");
    size_t n = api_json_count(list);
    if (n == 0)
        return;
    out->comments = api_xcalloc(n, sizeof *out->comments);
    for (size_t i = 0; i < n; i++) {
        const json_t *c = api_json_at(list, i);
        char *text = str_any(c, text_keys);
        if (!text)
            continue;
        struct mc_ticket_comment *d = &out->comments[out->n_comments++];
        d->text = text;
        d->status = str_any(c, status_keys);
        d->author = str_any(c, author_keys);
        d->date = norm_time(str_any(c, date_keys));
    }
}

/* false when the object is not a ticket at all (no code and no subject). */
static bool decode_ticket(const json_t *t, struct mc_ticket *out)
{
    static const char *const code_keys[] = {"code", "ticket_code", "id", NULL};
    static const char *const created_keys[] = {"created_on", "created_date", "added_on", NULL};
    static const char *const updated_keys[] = {"updated_on", "last_updated_on", "modified_on", NULL};
    static const char *const by_keys[] = {"created_by", "added_by", NULL};
    if (!t || !json_is_object(t))
        return false;
    memset(out, 0, sizeof *out);
    out->code = str_any(t, code_keys);
    out->subject = api_json_str(t, "subject");
    if (!out->code && !out->subject)
        return false;
    out->status = api_json_str(t, "status");
    out->priority = api_json_str(t, "priority");
    out->department = api_json_str(t, "department");
    out->message = api_json_str(t, "message");
    out->reported_from = api_json_str(t, "reported_from");
    out->type = api_json_str(t, "type");
    out->assigned_to = api_json_str(t, "assigned_to");
    out->created_by = str_any(t, by_keys);
    out->created_on = norm_time(str_any(t, created_keys));
    out->updated_on = norm_time(str_any(t, updated_keys));
    decode_fields(t, out);
    decode_comments(t, out);
    return true;
}

static struct mc_ticket_list *ticket_list(const json_t *cust, const json_t *list)
{
    struct mc_ticket_list *l = api_xcalloc(1, sizeof *l);
    if (!api_json_int64(cust, "id", &l->customer_id))
        api_json_int64(cust, "user_id", &l->customer_id);
    size_t n = api_json_count(list);
    l->items = api_xcalloc(n ? n : 1, sizeof *l->items);
    for (size_t i = 0; i < n; i++)
        if (decode_ticket(api_json_at(list, i), &l->items[l->n]))
            l->n++;
    return l;
}

enum api_err api_decode_body_TICKETS(const json_t *root, void **out, struct api_error *err)
{
    const json_t *cust = v11_customer(root);
    if (!cust) {
        api_error_set(err, API_DECODE, err->http_status, 0, "tickets response has no customer");
        return API_DECODE;
    }
    if (item_status(cust, err) != API_OK)
        return API_REMOTE;
    *out = ticket_list(cust, inner_list(cust, "tickets", "ticket"));
    return API_OK;
}

enum api_err api_decode_body_TICKET_ADD(const json_t *root, void **out, struct api_error *err)
{
    const json_t *cust = v11_customer(root);
    if (!cust) {
        api_error_set(err, API_DECODE, err->http_status, 0, "add ticket response has no customer");
        return API_DECODE;
    }
    if (item_status(cust, err) != API_OK)
        return API_REMOTE;
    /* The added ticket is `ticket` directly; accept a tickets.ticket list too. */
    const json_t *t = api_json_get(cust, "ticket");
    if (!t)
        t = inner_list(cust, "tickets", "ticket");
    if (item_status(api_json_at(t, 0), err) != API_OK)
        return API_REMOTE;
    struct mc_ticket_list *l = ticket_list(cust, t);
    if (l->n == 0 || !l->items[0].code) {
        mc_ticket_list_free(&l);
        api_error_set(err, API_DECODE, err->http_status, 0,
                      "add ticket response has no ticket code");
        return API_DECODE;
    }
    *out = l;
    return API_OK;
}

/* Notes */

static int note_cmp(const void *a, const void *b)
{
    const struct mc_note *x = a, *y = b;
    /* newest first; undated notes last; then higher ids first */
    if (x->date && y->date) {
        int c = strcmp(y->date, x->date);
        if (c)
            return c;
    } else if (x->date || y->date) {
        return x->date ? -1 : 1;
    }
    return (x->id < y->id) - (x->id > y->id);
}

static enum api_err decode_notes(const json_t *root, void **out, struct api_error *err,
                                 const char *what)
{
    static const char *const text_keys[] = {"description", "text", "note", NULL};
    static const char *const date_keys[] = {"added_on", "date", "created_on", NULL};
    static const char *const author_keys[] = {"associate_name", "added_by", "associate_code",
                                              "associate_id", NULL};
    const json_t *cust = v11_customer(root);
    if (!cust) {
        api_error_set(err, API_DECODE, err->http_status, 0, "%s response has no customer", what);
        return API_DECODE;
    }
    if (item_status(cust, err) != API_OK)
        return API_REMOTE;
    const json_t *list = inner_list(cust, "notes", "note");
    struct mc_note_list *l = api_xcalloc(1, sizeof *l);
    if (!api_json_int64(cust, "user_id", &l->customer_id))
        api_json_int64(cust, "id", &l->customer_id);
    size_t n = api_json_count(list);
    l->items = api_xcalloc(n ? n : 1, sizeof *l->items);
    for (size_t i = 0; i < n; i++) {
        const json_t *it = api_json_at(list, i);
        char *text = str_any(it, text_keys);
        if (!text)
            continue;
        struct mc_note *d = &l->items[l->n++];
        if (!api_json_int64(it, "id", &d->id))
            d->id = -1;
        d->text = text;
        d->date = norm_time(str_any(it, date_keys));
        d->updated = norm_time(api_json_str(it, "updated_on"));
        d->author = str_any(it, author_keys);
        /* A note-level author is the newer form; the save response carries
         * associate_id on the member block. */
        if (!d->author)
            d->author = str_any(cust, author_keys);
    }
    qsort(l->items, l->n, sizeof *l->items, note_cmp);
    *out = l;
    return API_OK;
}

enum api_err api_decode_body_NOTES(const json_t *root, void **out, struct api_error *err)
{
    return decode_notes(root, out, err, "notes");
}

enum api_err api_decode_body_NOTE_SAVE(const json_t *root, void **out, struct api_error *err)
{
    return decode_notes(root, out, err, "save note");
}

/* Interactions */

struct msg_keys {
    const char *list_outer, *list_inner; /* messages.message (v1.1) or messageList (v2) */
    const char *const *receiver, *const *sent, *const *delivered, *const *campaign;
};

static const char *const receiver_keys[] = {"receiver", "reciever", "to", NULL};
static const char *const sent_keys[] = {"sent_time", "sentDate", "sent_date", "sentTime", NULL};
static const char *const delivered_keys[] = {"delivered_time", "deliveredTime", "delivered_date",
                                             NULL};
static const char *const campaign_keys[] = {"campaign_id", "campaignId", NULL};

static char *upper(char *s)
{
    for (char *p = s; p && *p; p++)
        *p = (char)toupper((unsigned char)*p);
    return s;
}

/* Appends the messages of one interaction type (its messages list) to l. */
static void add_messages(struct mc_message_list *l, size_t *cap, const char *type,
                         const json_t *list)
{
    size_t n = api_json_count(list);
    for (size_t i = 0; i < n; i++) {
        const json_t *m = api_json_at(list, i);
        if (!m || !json_is_object(m))
            continue;
        if (l->n == *cap) {
            *cap = *cap ? *cap * 2 : 16;
            l->items = api_xrealloc(l->items, *cap * sizeof *l->items);
        }
        struct mc_message *d = &l->items[l->n++];
        memset(d, 0, sizeof *d);
        api_json_int64(m, "id", &d->id);
        d->channel = upper(api_xstrdup(type));
        d->receiver = str_any(m, receiver_keys);
        d->subject = api_json_str(m, "subject");
        if (!d->subject || !d->subject[0]) {
            free(d->subject);
            d->subject = api_json_str(m, "message");
        }
        d->status = upper(api_json_str(m, "status"));
        d->sent = norm_time(str_any(m, sent_keys));
        d->delivered = norm_time(str_any(m, delivered_keys));
        d->campaign = str_any(m, campaign_keys);
        if (d->campaign && (strcmp(d->campaign, "-1") == 0 || strcmp(d->campaign, "0") == 0)) {
            free(d->campaign);
            d->campaign = NULL;
        }
    }
}

static int message_cmp(const void *a, const void *b)
{
    const struct mc_message *x = a, *y = b;
    if (x->sent && y->sent) {
        int c = strcmp(y->sent, x->sent);
        if (c)
            return c;
    } else if (x->sent || y->sent) {
        return x->sent ? -1 : 1;
    }
    return (x->id < y->id) - (x->id > y->id);
}

/* One interaction block: its type name and messages, in either dialect. */
static void add_interaction(struct mc_message_list *l, size_t *cap, const json_t *it)
{
    char *type = api_json_str(it, "type");
    if (!type || !type[0]) {
        free(type);
        type = api_json_str(it, "name");
    }
    if (!type || !type[0]) {
        free(type);
        return;
    }
    const json_t *list = api_json_get(it, "messageList");
    if (!list)
        list = inner_list(it, "messages", "message");
    add_messages(l, cap, type, list);
    free(type);
}

enum api_err api_decode_body_INTERACTIONS(const json_t *root, void **out, struct api_error *err)
{
    struct mc_message_list *l = api_xcalloc(1, sizeof *l);
    size_t cap = 0;
    const json_t *v2 = api_json_get(root, "interaction");
    if (!v2) {
        const json_t *ent = api_json_first(root, "entity");
        v2 = api_json_get(ent, "interaction");
    }
    if (v2) {
        size_t n = api_json_count(v2);
        for (size_t i = 0; i < n; i++)
            add_interaction(l, &cap, api_json_at(v2, i));
    } else {
        const json_t *cust = v11_customer(root);
        if (cust && item_status(cust, err) != API_OK) {
            mc_message_list_free(&l);
            return API_REMOTE;
        }
        const json_t *ints = api_json_first(cust, "interactions");
        if (!ints) {
            mc_message_list_free(&l);
            api_error_set(err, API_DECODE, err->http_status, 0,
                          "interactions response has no interaction list");
            return API_DECODE;
        }
        const json_t *nets = api_json_get(ints, "network");
        size_t nn = api_json_count(nets);
        for (size_t k = 0; k < nn; k++) {
            const json_t *its = api_json_get(api_json_at(nets, k), "interaction");
            size_t n = api_json_count(its);
            for (size_t i = 0; i < n; i++)
                add_interaction(l, &cap, api_json_at(its, i));
        }
    }
    if (l->n > 1)
        qsort(l->items, l->n, sizeof *l->items, message_cmp);
    *out = l;
    return API_OK;
}
