/*
 * tickets.h - tickets, notes and interactions: models, request kinds,
 * builders and the checks a form runs before sending.
 * Included by api/api.h; views include api/api.h only.
 *
 * Endpoints (part2 §2): GET/POST /v1.1/customer/tickets, GET/POST
 * /v1.1/customer/notes, GET /v2/customers/interaction (whose decoder also
 * reads the v1.1 interaction body the reference shows as an alternative).
 *
 * Strings are heap copies owned by the struct that holds them, raw server
 * text (sanitised when drawn). Times are normalised to "YYYY-MM-DD
 * HH:MM:SS" when the server sent one of the documented forms (v1.1
 * "YYYY-MM-DD HH:MM:SS", ISO 8601, v2 "DD-MM-YYYY HH:mm:ss"; the zone is
 * dropped, not converted) and kept as sent otherwise, so they sort as text.
 */
#ifndef MC_API_TICKETS_H
#define MC_API_TICKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits the client enforces before sending. The note limit is the
 * reference's (255 characters); subject and message are the sandbox's. */
#define API_NOTE_MAX 255
#define API_TICKET_SUBJECT_MAX 255
#define API_TICKET_MESSAGE_MAX 2000
#define API_TICKET_FIELD_MAX 255

struct mc_field {
    char *name, *value;
};

/* A comment on a ticket (UNCONFIRMED in the reference; the sandbox sends them). */
struct mc_ticket_comment {
    char *text;
    char *status;   /* status set with the comment, or NULL */
    char *author;   /* who wrote it, or NULL */
    char *date;     /* normalised time, or NULL */
};

struct mc_ticket {
    char *code;                 /* the ticket code, e.g. "7ab2kq01"; NULL when absent */
    char *status, *priority, *department;
    char *subject, *message;
    char *reported_from, *type; /* EMAIL, CALLCENTER, ... / STORE, Customer; may be NULL */
    char *assigned_to, *created_by; /* UNCONFIRMED fields; may be NULL */
    char *created_on, *updated_on;  /* normalised times, or NULL */
    struct mc_field *fields;    /* custom_fields.field, in server order (owned) */
    size_t n_fields;
    struct mc_ticket_comment *comments; /* oldest first (owned) */
    size_t n_comments;
};

/* GET /v1.1/customer/tickets, or the ticket POST /v1.1/customer/tickets
 * created (then n is 1). */
struct mc_ticket_list {
    int64_t customer_id;        /* 0 when the server did not say */
    struct mc_ticket *items;    /* server order (owned) */
    size_t n;
};

struct mc_note {
    int64_t id;                 /* -1 when the server did not give a real id */
    char *text;                 /* description */
    char *date;                 /* added_on / date, normalised; may be NULL */
    char *updated;              /* updated_on (UNCONFIRMED), or NULL */
    char *author;               /* associate name, code or id, or NULL */
};

/* GET /v1.1/customer/notes (newest first whatever the server's order), or
 * the note POST /v1.1/customer/notes saved. */
struct mc_note_list {
    int64_t customer_id;
    struct mc_note *items;      /* owned */
    size_t n;
};

/* One message the platform sent to the member. */
struct mc_message {
    int64_t id;
    char *channel;              /* upper-cased type: SMS, EMAIL, PUSH, WHATSAPP, ... */
    char *receiver;             /* mobile or address; may be NULL */
    char *subject;              /* subject, or the text of an SMS; may be NULL */
    char *status;               /* DELIVERED, FAILED, NOT-DELIVERED, SENT, OPENED, ...; may be NULL */
    char *sent, *delivered;     /* normalised times, or NULL */
    char *campaign;             /* campaign id, NULL when none (-1) */
};

/* GET /v2/customers/interaction: every message of every type, newest first. */
struct mc_message_list {
    struct mc_message *items;   /* owned */
    size_t n;
};

/* Kinds of this resource: _(NAME, model type, free function) */
#define API_KINDS_TICKETS(_)                                   \
    _(TICKETS, struct mc_ticket_list, mc_ticket_list_free)     \
    _(TICKET_ADD, struct mc_ticket_list, mc_ticket_list_free)  \
    _(NOTES, struct mc_note_list, mc_note_list_free)           \
    _(NOTE_SAVE, struct mc_note_list, mc_note_list_free)       \
    _(INTERACTIONS, struct mc_message_list, mc_message_list_free)

void mc_ticket_list_free(struct mc_ticket_list **l);
void mc_note_list_free(struct mc_note_list **l);
void mc_message_list_free(struct mc_message_list **l);

/* Filters of GET /v1.1/customer/tickets; NULL or "" leaves one out. Dates
 * are YYYY-MM-DD. */
struct mc_ticket_filter {
    const char *status, *priority, *department;
    const char *ticket_code, *reported_from;
    const char *start_date, *end_date;
};

/* A custom field as a form collected it (borrowed strings). */
struct mc_draft_field {
    const char *name, *value;
};

/* A new ticket as the form collected it. Strings borrowed; NULL or "" is
 * not sent (the server then applies its defaults). Custom fields with an
 * empty value are not sent. */
struct mc_ticket_draft {
    const char *subject, *message;
    const char *department, *priority, *status;
    const char *reported_from, *type;
    const struct mc_draft_field *fields;
    size_t n_fields;
};

/* Checks (pure) */

/* Whether s is a valid calendar date written YYYY-MM-DD. */
bool api_date_valid(const char *s);
/* Checks a draft before it is sent: subject and message present (not only
 * blanks) and within their limits, a department chosen, custom field
 * values within API_TICKET_FIELD_MAX. true when fine; otherwise false and
 * the reason, for the agent, in why. */
bool api_ticket_check(const struct mc_ticket_draft *d, char *why, size_t n);
/* Checks a note's text: not only blanks, at most API_NOTE_MAX characters
 * (code points), no control characters besides newlines. */
bool api_note_check(const char *text, char *why, size_t n);
/* Whether a ticket status means the ticket is still open. Statuses are the
 * org's own words; Close, Closed, Resolved, Cancelled and Canceled (any
 * case) count as done, everything else (and NULL) as open. */
bool api_ticket_is_open(const char *status);

/* Builders (pure; never NULL) */

/* GET /v1.1/customer/tickets?format=json&id=..[&filters] */
struct api_request *api_tickets_get(int64_t customer_id, const struct mc_ticket_filter *f);
/* POST /v1.1/customer/tickets?format=json with
 * {"root":{"customer":[{"id":"..","ticket":[{..}]}]}} */
struct api_request *api_ticket_add(int64_t customer_id, const struct mc_ticket_draft *d);
/* GET /v1.1/customer/notes?format=json&user_id=.. */
struct api_request *api_notes_get(int64_t customer_id);
/* POST /v1.1/customer/notes?format=json: adds a note (note_id <= 0) or
 * replaces the description of note note_id. */
struct api_request *api_note_save(int64_t customer_id, int64_t note_id, const char *text);
/* GET /v2/customers/interaction?identifierName=..&identifierValue=..[&type=..];
 * idname is mobile, email or external_id; type NULL for every type. */
struct api_request *api_interactions_get(const char *idname, const char *value, const char *type);

#endif
