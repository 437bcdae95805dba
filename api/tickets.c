/*
 * tickets.c - tickets, notes and interactions: the checks a form runs
 * before sending, the request builders and the model free functions. The
 * decoders are in tickets_decode.c.
 *
 * Choices where the reference is loose (part2 §2):
 *   - The member is named by its customer id: `id` for tickets, `user_id`
 *     for notes (the identifier keys each call documents). Interactions
 *     take no customer id, so the caller passes an identifier it knows.
 *   - Bodies use the documented v1.1 wrapper {"root":{"customer":[...]}}
 *     with every scalar sent as a string and the inner lists as arrays.
 *   - `associate_id` is not sent with notes: the console does not know the
 *     signed-in till's numeric id, and the reference leaves open whether it
 *     is still required (UNCONFIRMED); the server attributes the note to
 *     the caller.
 *   - Tickets are sent without a `ticket_code`: the server generates one,
 *     which the console shows once it answers.
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "api/json.h"

/* Checks */

bool api_date_valid(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap);
}

static bool blank(const char *s)
{
    if (!s)
        return true;
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return false;
    return true;
}

/* Code points in s (the text is valid UTF-8: it comes from the editor). */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

bool api_ticket_check(const struct mc_ticket_draft *d, char *why, size_t n)
{
    if (blank(d->subject)) {
        snprintf(why, n, "Subject is required");
        return false;
    }
    if (chars(d->subject) > API_TICKET_SUBJECT_MAX) {
        snprintf(why, n, "Subject takes at most %d characters", API_TICKET_SUBJECT_MAX);
        return false;
    }
    if (blank(d->message)) {
        snprintf(why, n, "Message is required: say what the member asked for");
        return false;
    }
    if (chars(d->message) > API_TICKET_MESSAGE_MAX) {
        snprintf(why, n, "Message takes at most %d characters", API_TICKET_MESSAGE_MAX);
        return false;
    }
    if (blank(d->department)) {
        snprintf(why, n, "Department is required");
        return false;
    }
    for (size_t i = 0; i < d->n_fields; i++) {
        const struct mc_draft_field *f = &d->fields[i];
        if (f->value && chars(f->value) > API_TICKET_FIELD_MAX) {
            snprintf(why, n, "%s takes at most %d characters", f->name ? f->name : "A field",
                     API_TICKET_FIELD_MAX);
            return false;
        }
    }
    return true;
}

bool api_note_check(const char *text, char *why, size_t n)
{
    if (blank(text)) {
        snprintf(why, n, "The note is empty");
        return false;
    }
    size_t c = chars(text);
    if (c > API_NOTE_MAX) {
        snprintf(why, n, "A note takes at most %d characters (this one has %zu)", API_NOTE_MAX, c);
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p < 0x20 && *p != '\n') || *p == 0x7f) {
            snprintf(why, n, "The note holds a control character");
            return false;
        }
    }
    return true;
}

bool api_ticket_is_open(const char *status)
{
    static const char *const done[] = {"close", "closed", "resolved", "cancelled", "canceled"};
    if (!status)
        return true;
    while (isspace((unsigned char)*status))
        status++;
    for (size_t i = 0; i < sizeof done / sizeof done[0]; i++) {
        size_t len = strlen(done[i]);
        if (strncasecmp(status, done[i], len) == 0 && !isalnum((unsigned char)status[len]))
            return false;
    }
    return true;
}

/* Builders */

/* A JSON string of s; text that is not UTF-8 (never produced by the
 * editor) has its stray bytes replaced so the body stays valid JSON. */
static json_t *jstr(const char *s)
{
    json_t *j = json_string(s ? s : "");
    if (j)
        return j;
    char *copy = api_xstrdup(s);
    for (unsigned char *p = (unsigned char *)copy; *p; p++)
        if (*p >= 0x80)
            *p = '?';
    j = json_string(copy);
    free(copy);
    if (!j)
        abort();
    return j;
}

static void set_str(json_t *obj, const char *key, const char *value)
{
    if (value && *value)
        json_object_set_new(obj, key, jstr(value));
}

static json_t *id_json(int64_t id)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, id);
    return jstr(buf);
}

static char *dump(json_t *root)
{
    char *text = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    if (!text)
        abort();
    return text;
}

static void add_arg(char **path, const char *key, const char *value)
{
    if (!value || !*value)
        return;
    char *enc = api_url_encode(value);
    char *next = api_xasprintf("%s&%s=%s", *path, key, enc);
    free(enc);
    free(*path);
    *path = next;
}

struct api_request *api_tickets_get(int64_t customer_id, const struct mc_ticket_filter *f)
{
    char *path = api_xasprintf("/v1.1/customer/tickets?format=json&id=%" PRId64, customer_id);
    if (f) {
        add_arg(&path, "status", f->status);
        add_arg(&path, "priority", f->priority);
        add_arg(&path, "department", f->department);
        add_arg(&path, "ticket_code", f->ticket_code);
        add_arg(&path, "reported_from", f->reported_from);
        add_arg(&path, "start_date", f->start_date);
        add_arg(&path, "end_date", f->end_date);
    }
    return api_request_new(API_TICKETS, API_GET, path, NULL);
}

struct api_request *api_ticket_add(int64_t customer_id, const struct mc_ticket_draft *d)
{
    json_t *t = json_object();
    set_str(t, "subject", d->subject);
    set_str(t, "message", d->message);
    set_str(t, "department", d->department);
    set_str(t, "priority", d->priority);
    set_str(t, "status", d->status);
    set_str(t, "reported_from", d->reported_from);
    set_str(t, "type", d->type);
    json_t *fields = json_array();
    for (size_t i = 0; i < d->n_fields; i++) {
        const struct mc_draft_field *f = &d->fields[i];
        if (!f->name || !*f->name || !f->value || !*f->value)
            continue;
        json_t *one = json_object();
        json_object_set_new(one, "name", jstr(f->name));
        json_object_set_new(one, "value", jstr(f->value));
        json_array_append_new(fields, one);
    }
    if (json_array_size(fields) > 0)
        json_object_set_new(t, "custom_fields", json_pack("{s:o}", "field", fields));
    else
        json_decref(fields);
    json_t *cust = json_object();
    json_object_set_new(cust, "id", id_json(customer_id));
    json_object_set_new(cust, "ticket", json_pack("[o]", t));
    char *body = dump(json_pack("{s:{s:[o]}}", "root", "customer", cust));
    return api_request_new(API_TICKET_ADD, API_POST,
                           api_xstrdup("/v1.1/customer/tickets?format=json"), body);
}

struct api_request *api_notes_get(int64_t customer_id)
{
    char *path = api_xasprintf("/v1.1/customer/notes?format=json&user_id=%" PRId64, customer_id);
    return api_request_new(API_NOTES, API_GET, path, NULL);
}

struct api_request *api_note_save(int64_t customer_id, int64_t note_id, const char *text)
{
    json_t *note = json_object();
    if (note_id > 0)
        json_object_set_new(note, "id", id_json(note_id));
    json_object_set_new(note, "description", jstr(text));
    json_t *cust = json_object();
    json_object_set_new(cust, "user_id", id_json(customer_id));
    json_object_set_new(cust, "notes", json_pack("{s:[o]}", "note", note));
    char *body = dump(json_pack("{s:{s:[o]}}", "root", "customer", cust));
    return api_request_new(API_NOTE_SAVE, API_POST,
                           api_xstrdup("/v1.1/customer/notes?format=json"), body);
}

struct api_request *api_interactions_get(const char *idname, const char *value, const char *type)
{
    char *n = api_url_encode(idname ? idname : "mobile");
    char *v = api_url_encode(value ? value : "");
    char *path = api_xasprintf("/v2/customers/interaction?identifierName=%s&identifierValue=%s",
                               n, v);
    free(n);
    free(v);
    add_arg(&path, "type", type);
    return api_request_new(API_INTERACTIONS, API_GET, path, NULL);
}

/* Freeing */

static void ticket_done(struct mc_ticket *t)
{
    free(t->code);
    free(t->status);
    free(t->priority);
    free(t->department);
    free(t->subject);
    free(t->message);
    free(t->reported_from);
    free(t->type);
    free(t->assigned_to);
    free(t->created_by);
    free(t->created_on);
    free(t->updated_on);
    for (size_t i = 0; i < t->n_fields; i++) {
        free(t->fields[i].name);
        free(t->fields[i].value);
    }
    free(t->fields);
    for (size_t i = 0; i < t->n_comments; i++) {
        free(t->comments[i].text);
        free(t->comments[i].status);
        free(t->comments[i].author);
        free(t->comments[i].date);
    }
    free(t->comments);
}

void mc_ticket_list_free(struct mc_ticket_list **lp)
{
    if (!lp || !*lp)
        return;
    struct mc_ticket_list *l = *lp;
    for (size_t i = 0; i < l->n; i++)
        ticket_done(&l->items[i]);
    free(l->items);
    free(l);
    *lp = NULL;
}

void mc_note_list_free(struct mc_note_list **lp)
{
    if (!lp || !*lp)
        return;
    struct mc_note_list *l = *lp;
    for (size_t i = 0; i < l->n; i++) {
        free(l->items[i].text);
        free(l->items[i].date);
        free(l->items[i].updated);
        free(l->items[i].author);
    }
    free(l->items);
    free(l);
    *lp = NULL;
}

void mc_message_list_free(struct mc_message_list **lp)
{
    if (!lp || !*lp)
        return;
    struct mc_message_list *l = *lp;
    for (size_t i = 0; i < l->n; i++) {
        struct mc_message *m = &l->items[i];
        free(m->channel);
        free(m->receiver);
        free(m->subject);
        free(m->status);
        free(m->sent);
        free(m->delivered);
        free(m->campaign);
    }
    free(l->items);
    free(l);
    *lp = NULL;
}
