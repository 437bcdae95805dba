/*
 * routes_tickets.c - the member's tickets (part 2 §2.1, §2.2):
 *   GET  /v1.1/customer/tickets   one identifier (mobile, email, external_id,
 *                                 id, user_id, card_number); filters status,
 *                                 priority, department, ticket_code,
 *                                 reported_from, type, start_date, end_date
 *                                 (YYYY-MM-DD, on the creation date); newest
 *                                 first; no paging (none is documented)
 *   POST /v1.1/customer/tickets   {"root":{"customer":[{<identifier>,
 *                                 "ticket":[{...}]}]}}, lists or bare objects
 *
 * Envelopes as the reference shows them: `response.customer` on GET,
 * `response.customers.customer` on POST, every scalar a string, a one-item
 * list as a bare object (tickets_v11.h). Departments, statuses and
 * priorities are the org's configuration (ticket_* tables, matched without
 * regard to case and stored in the org's spelling); custom field names
 * are the org's `ticket_custom_fields` setting (comma-separated).
 *
 * Choices where the reference is silent (UNCONFIRMED there):
 *   - Tickets carry reported_from, type, created_on, updated_on, created_by
 *     (till code) and comments {comment:[{text,status,added_by,added_on}]}.
 *   - Defaults: status = the org's first open status, priority = the
 *     middle-ranked one, reported_from = CLIENT, type = Customer; the code
 *     is generated (9 characters of [0-9a-z]) unless ticket_code is given.
 *   - Item-level errors (HTTP 200, request status 500 or 201):
 *       1012 customer not found
 *       1301 department missing or not the org's (the message lists the
 *            org's departments; 1302 and 1303 list theirs too)
 *       1302 status not the org's       1303 priority not the org's
 *       1304 reported_from unknown      1305 subject missing or over 255
 *       1306 type not STORE or Customer      characters, message over 2000
 *       1307 ticket_code malformed      1308 ticket_code already used
 *       1309 custom field not the org's, or its value over 255 characters
 *     GET filters with values the org does not define fail the same way.
 *   - Request-level errors (HTTP 400): 1015 no or several identifiers,
 *     400 malformed body or date, 1060 more than 100 customers.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/router.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"
#include "sandbox/tickets_v11.h"

#define BATCH_MAX 100
#define SUBJECT_MAX 255
#define MESSAGE_MAX 2000
#define FIELD_MAX 255
#define CODE_MAX 40
#define TICKETS_MAX 20 /* per customer item */

static const char *const reported_from_values[] = {"EMAIL", "INTOUCH", "CALLCENTER",
                                                   "CLIENT", "MICROSITE", "SOCIAL"};

/* An item-level failure: its code and message. */
struct fail {
    long code;
    char message[200];
};

static bool failf(struct fail *f, long code, const char *fmt, const char *arg)
{
    f->code = code;
    snprintf(f->message, sizeof f->message, fmt, arg ? arg : "");
    return false;
}

/* The org's spelling of value in the name column of table (one of the
 * ticket_* tables); false when it has none. */
static bool org_value(sqlite3 *db, const char *sql, const char *value, char *out, size_t n,
                      bool *db_error)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
        *db_error = true;
        return false;
    }
    sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
        found = true;
    } else if (rc != SQLITE_DONE) {
        *db_error = true;
    }
    sqlite3_finalize(st);
    return found;
}

static const char sql_department[] =
    "SELECT name FROM ticket_departments WHERE name = ?1 COLLATE NOCASE";
static const char sql_status[] = "SELECT name FROM ticket_statuses WHERE name = ?1 COLLATE NOCASE";
static const char sql_priority[] =
    "SELECT name FROM ticket_priorities WHERE name = ?1 COLLATE NOCASE";
static const char sql_default_status[] =
    "SELECT name FROM ticket_statuses WHERE is_open AND ?1 IS NOT NULL ORDER BY id LIMIT 1";
static const char sql_default_priority[] =
    "SELECT name FROM ticket_priorities WHERE ?1 IS NOT NULL ORDER BY rank"
    " LIMIT 1 OFFSET (SELECT count(*) / 2 FROM ticket_priorities)";
static const char sql_custom_fields[] =
    "SELECT value FROM org_config WHERE key = 'ticket_custom_fields' AND ?1 IS NOT NULL";

/* The org's values of a ticket_* table, for an error message that says
 * what would have been accepted. */
static void org_values(sqlite3 *db, const char *sql, char *out, size_t n, bool *db_error)
{
    out[0] = '\0';
    org_value(db, sql, "", out, n, db_error);
}

static const char sql_departments[] =
    "SELECT group_concat(name, ', ') FROM (SELECT name FROM ticket_departments"
    " WHERE ?1 IS NOT NULL ORDER BY name)";
static const char sql_priorities[] =
    "SELECT group_concat(name, ', ') FROM (SELECT name FROM ticket_priorities"
    " WHERE ?1 IS NOT NULL ORDER BY rank)";
static const char sql_statuses[] =
    "SELECT group_concat(name, ', ') FROM (SELECT name FROM ticket_statuses"
    " WHERE ?1 IS NOT NULL ORDER BY id)";

static const char *enum_value(const char *const *values, size_t n, const char *v)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(values[i], v) == 0)
            return values[i];
    return NULL;
}

static const char *type_value(const char *v)
{
    static const char *const types[] = {"STORE", "Customer"};
    return enum_value(types, 2, v);
}

/* Whether name is one of the org's comma-separated custom field names;
 * its configured spelling goes into out. */
static bool custom_field_defined(const char *config, const char *name, char *out, size_t n)
{
    size_t len = strlen(name);
    for (const char *p = config; p && *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        while (l && isspace((unsigned char)*p))
            p++, l--;
        while (l && isspace((unsigned char)p[l - 1]))
            l--;
        if (l == len && strncasecmp(p, name, len) == 0) {
            snprintf(out, n, "%.*s", (int)l, p);
            return true;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

/* GET */

static json_t *ticket_fields(struct store_conn *db, int64_t ticket)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT name, value FROM ticket_custom_fields"
                                      " WHERE ticket_id = ? ORDER BY rowid");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, ticket);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(list, json_pack("{s:o,s:o}", "name",
                                              sb_jstr((const char *)sqlite3_column_text(st, 0)),
                                              "value",
                                              sb_jstr((const char *)sqlite3_column_text(st, 1))));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "field", tkv_list(list));
}

static json_t *ticket_comments(struct store_conn *db, int64_t ticket)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT c.text, c.new_status, t.code, c.created_on"
                                      " FROM ticket_comments c JOIN tills t ON t.id = c.till_id"
                                      " WHERE c.ticket_id = ? ORDER BY c.created_on, c.id");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, ticket);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(
            list, json_pack("{s:o,s:o,s:o,s:o}", "text",
                            sb_jstr((const char *)sqlite3_column_text(st, 0)), "status",
                            sb_jstr((const char *)sqlite3_column_text(st, 1)), "added_by",
                            sb_jstr((const char *)sqlite3_column_text(st, 2)), "added_on",
                            tkv_time((const char *)sqlite3_column_text(st, 3))));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "comment", tkv_list(list));
}

/* Columns: 0 id, 1 code, 2 status, 3 priority, 4 department, 5 subject,
 * 6 message, 7 reported_from, 8 type, 9 created_on, 10 updated_on, 11 till. */
#define TICKET_COLUMNS                                                                    \
    "SELECT t.id, t.code, t.status, t.priority, t.department, t.subject, t.message,"     \
    " t.reported_from, t.type, t.created_on, t.updated_on, tl.code"                       \
    " FROM tickets t JOIN tills tl ON tl.id = t.created_till_id"

static json_t *ticket_json(struct store_conn *db, sqlite3_stmt *st)
{
    int64_t id = sqlite3_column_int64(st, 0);
    json_t *fields = ticket_fields(db, id);
    json_t *comments = fields ? ticket_comments(db, id) : NULL;
    if (!fields || !comments) {
        json_decref(fields);
        return NULL;
    }
#define COL(i) sb_jstr((const char *)sqlite3_column_text(st, i))
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "code", COL(1),
                     "status", COL(2), "priority", COL(3), "department", COL(4), "subject",
                     COL(5), "message", COL(6), "reported_from", COL(7), "type", COL(8),
                     "created_on", tkv_time((const char *)sqlite3_column_text(st, 9)),
                     "updated_on", tkv_time((const char *)sqlite3_column_text(st, 10)),
                     "created_by", COL(11), "custom_fields", fields, "comments", comments);
#undef COL
}

/* A GET filter naming a value the org does not define fails like an
 * unknown value on add. */
static bool filter_value(struct sb_req *req, const char *key, const char *sql, long code,
                         const char *what, char *out, size_t n, struct fail *f, bool *db_error)
{
    const char *v = sb_arg(req, key);
    out[0] = '\0';
    if (!v || !*v)
        return true;
    if (org_value(req->db->db, sql, v, out, n, db_error) || *db_error)
        return true;
    char msg[160];
    snprintf(msg, sizeof msg, "Invalid %s '%%s': not defined for this organization", what);
    return failf(f, code, msg, v);
}

static void not_found_reply(struct sb_resp *resp, const char *key, const char *value,
                            json_t *status)
{
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:{s:o,s:o}}}", "response", "status", status, "customer",
                            key, sb_jstr(value), "item_status",
                            tkv_status(false, 1012, "Customer not found for the given identifier")));
}

static void get_tickets(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id = 0;
    const char *key = NULL, *value = NULL;
    switch (tkv_member_from_query(req, &id, &key, &value)) {
    case TKV_NO_IDENTIFIER:
        tkv_error(resp, 400, 1015,
                  "Give exactly one customer identifier: mobile, email, external_id or id");
        return;
    case TKV_DB_ERROR:
        sb_reply_db_error(resp, req->db);
        return;
    case TKV_NOT_FOUND:
        not_found_reply(resp, key, value, tkv_outcome(0, 1));
        return;
    case TKV_FOUND:
        break;
    }
    const char *start = sb_arg(req, "start_date"), *end = sb_arg(req, "end_date");
    time_t t;
    if ((start && *start && sbtime_parse_date(start, &t)) || (end && *end && sbtime_parse_date(end, &t))) {
        tkv_error(resp, 400, 400, "Invalid start_date or end_date: expected YYYY-MM-DD");
        return;
    }
    char status[64], priority[64], department[64];
    struct fail f = {0};
    bool db_error = false;
    bool ok = filter_value(req, "status", sql_status, 1302, "status", status, sizeof status, &f,
                           &db_error) &&
              filter_value(req, "priority", sql_priority, 1303, "priority", priority,
                           sizeof priority, &f, &db_error) &&
              filter_value(req, "department", sql_department, 1301, "department", department,
                           sizeof department, &f, &db_error);
    const char *from = sb_arg(req, "reported_from"), *type = sb_arg(req, "type");
    const char *from_v = from && *from ? enum_value(reported_from_values, 6, from) : NULL;
    const char *type_v = type && *type ? type_value(type) : NULL;
    if (ok && from && *from && !from_v)
        ok = failf(&f, 1304, "Invalid reported_from '%s'", from);
    if (ok && type && *type && !type_v)
        ok = failf(&f, 1306, "Invalid type '%s': expected STORE or Customer", type);
    if (db_error) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    struct member m;
    enum member_status ms = member_load(req->db, id, &m);
    if (ms != MEMBER_OK) {
        if (ms == MEMBER_NOT_FOUND)
            not_found_reply(resp, key, value, tkv_outcome(0, 1));
        else
            sb_reply_db_error(resp, req->db);
        return;
    }
    json_t *cust = tkv_member_block(&m, "id");
    member_free(&m);
    if (!ok) {
        json_object_set_new(cust, "item_status", tkv_status(false, f.code, f.message));
        sb_reply_json(resp, 200, json_pack("{s:{s:o,s:o}}", "response", "status",
                                           tkv_outcome(0, 1), "customer", cust));
        return;
    }

    /* Each filter is a fixed fragment; "?N IS NULL OR" lets one statement
     * serve every combination, so every value stays a bound parameter. */
    static const char sql[] = TICKET_COLUMNS
        " WHERE t.customer_id = ?1"
        " AND (?2 IS NULL OR t.status = ?2) AND (?3 IS NULL OR t.priority = ?3)"
        " AND (?4 IS NULL OR t.department = ?4) AND (?5 IS NULL OR t.code = ?5)"
        " AND (?6 IS NULL OR t.reported_from = ?6) AND (?7 IS NULL OR t.type = ?7)"
        " AND (?8 IS NULL OR substr(t.created_on, 1, 10) >= ?8)"
        " AND (?9 IS NULL OR substr(t.created_on, 1, 10) <= ?9)"
        " ORDER BY t.created_on DESC, t.id DESC";
    sqlite3_stmt *st = store_stmt(req->db, sql);
    if (!st) {
        json_decref(cust);
        sb_reply_db_error(resp, req->db);
        return;
    }
    const char *code = sb_arg(req, "ticket_code");
    const char *binds[] = {status, priority, department, code, from_v, type_v, start, end};
    sqlite3_bind_int64(st, 1, id);
    for (int i = 0; i < 8; i++)
        if (binds[i] && *binds[i])
            sqlite3_bind_text(st, i + 2, binds[i], -1, SQLITE_TRANSIENT);
    /* Rows are collected first: ticket_json runs other cached statements. */
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *one = ticket_json(req->db, st);
        if (!one)
            break;
        json_array_append_new(list, one);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        json_decref(cust);
        sb_reply_db_error(resp, req->db);
        return;
    }
    json_object_set_new(cust, "tickets", json_pack("{s:o}", "ticket", tkv_list(list)));
    json_object_set_new(cust, "item_status",
                        tkv_status(true, 1300, "Ticket retrieved successfully"));
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:o}}", "response", "status",
                            tkv_status(true, 200, "SUCCESS"), "customer", cust));
}

/* POST */

struct new_ticket {
    char subject[1024], message[8192];
    char department[64], status[64], priority[64];
    const char *reported_from, *type;
    char code[CODE_MAX + 1];
    size_t n_fields;
    struct {
        char name[64], value[1024];
    } fields[16];
};

static bool valid_code(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CODE_MAX)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

/* Validates one ticket object into t. false + f on a business error (or
 * when *db_error is set). */
static bool read_ticket(sqlite3 *db, const json_t *in, struct new_ticket *t, struct fail *f,
                        bool *db_error)
{
    char buf[32];
    const char *v;
    memset(t, 0, sizeof *t);
    if (!json_is_object(in))
        return failf(f, 1305, "A ticket must be an object%s", NULL);
    v = tkv_text(in, "subject", buf, sizeof buf);
    while (v && isspace((unsigned char)*v))
        v++;
    if (!v || !*v)
        return failf(f, 1305, "Ticket subject is required%s", NULL);
    if (tkv_chars(v) > SUBJECT_MAX || strlen(v) >= sizeof t->subject)
        return failf(f, 1305, "Ticket subject exceeds 255 characters%s", NULL);
    snprintf(t->subject, sizeof t->subject, "%s", v);
    v = tkv_text(in, "message", buf, sizeof buf);
    if (v && (tkv_chars(v) > MESSAGE_MAX || strlen(v) >= sizeof t->message))
        return failf(f, 1305, "Ticket message exceeds 2000 characters%s", NULL);
    snprintf(t->message, sizeof t->message, "%s", v ? v : "");

    v = tkv_text(in, "department", buf, sizeof buf);
    if (!v || !*v)
        return failf(f, 1301, "Department is required%s", NULL);
    if (!org_value(db, sql_department, v, t->department, sizeof t->department, db_error)) {
        char known[160];
        if (*db_error)
            return false;
        org_values(db, sql_departments, known, sizeof known, db_error);
        f->code = 1301;
        snprintf(f->message, sizeof f->message, "Invalid department '%.40s': the departments are %.100s",
                 v, known);
        return false;
    }

    v = tkv_text(in, "status", buf, sizeof buf);
    const char *sql = v && *v ? sql_status : sql_default_status;
    if (!org_value(db, sql, v && *v ? v : "", t->status, sizeof t->status, db_error)) {
        char known[160];
        if (*db_error)
            return false;
        org_values(db, sql_statuses, known, sizeof known, db_error);
        f->code = 1302;
        snprintf(f->message, sizeof f->message, "Invalid status '%.40s': the statuses are %.100s",
                 v, known);
        return false;
    }

    v = tkv_text(in, "priority", buf, sizeof buf);
    sql = v && *v ? sql_priority : sql_default_priority;
    if (!org_value(db, sql, v && *v ? v : "", t->priority, sizeof t->priority, db_error)) {
        char known[160];
        if (*db_error)
            return false;
        org_values(db, sql_priorities, known, sizeof known, db_error);
        f->code = 1303;
        snprintf(f->message, sizeof f->message, "Invalid priority '%.40s': the priorities are %.100s",
                 v, known);
        return false;
    }

    v = tkv_text(in, "reported_from", buf, sizeof buf);
    t->reported_from = v && *v ? enum_value(reported_from_values, 6, v) : "CLIENT";
    if (!t->reported_from)
        return failf(f, 1304, "Invalid reported_from '%s'", v);
    v = tkv_text(in, "type", buf, sizeof buf);
    t->type = v && *v ? type_value(v) : "Customer";
    if (!t->type)
        return failf(f, 1306, "Invalid type '%s': expected STORE or Customer", v);

    v = tkv_text(in, "ticket_code", buf, sizeof buf);
    if (v && *v) {
        if (!valid_code(v))
            return failf(f, 1307, "Invalid ticket code '%.60s': 1 to 40 letters, digits, - or _", v);
        snprintf(t->code, sizeof t->code, "%s", v);
    }

    const json_t *cf = json_object_get(in, "custom_fields");
    const json_t *list = json_is_object(cf) ? json_object_get(cf, "field") : NULL;
    size_t n = tkv_count(list);
    if (n == 0)
        return true;
    char config[1024] = "";
    org_value(db, sql_custom_fields, "", config, sizeof config, db_error);
    if (*db_error)
        return false;
    for (size_t i = 0; i < n; i++) {
        const json_t *one = tkv_at(list, i);
        const char *name = tkv_text(one, "name", buf, sizeof buf);
        if (!name || !*name)
            return failf(f, 1309, "A custom field has no name%s", NULL);
        char canonical[64];
        if (!custom_field_defined(config, name, canonical, sizeof canonical))
            return failf(f, 1309, "Custom field '%.60s' is not defined for this organization", name);
        char vbuf[32];
        const char *value = tkv_text(one, "value", vbuf, sizeof vbuf);
        if (value && (tkv_chars(value) > FIELD_MAX || strlen(value) >= sizeof t->fields[0].value))
            return failf(f, 1309, "Custom field '%.60s' exceeds 255 characters", canonical);
        size_t k = 0;
        while (k < t->n_fields && strcmp(t->fields[k].name, canonical) != 0)
            k++;
        if (k == sizeof t->fields / sizeof t->fields[0])
            return failf(f, 1309, "Too many custom fields%s", NULL);
        if (k == t->n_fields)
            t->n_fields++;
        snprintf(t->fields[k].name, sizeof t->fields[k].name, "%s", canonical);
        snprintf(t->fields[k].value, sizeof t->fields[k].value, "%s", value ? value : "");
    }
    return true;
}

static int one_int(sqlite3 *db, const char *sql, const char *text, int64_t *out)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    *out = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

/* A fresh code: 9 characters of [0-9a-z] scrambled from the next ticket id
 * and "now", tried again on the rare clash. */
static int new_code(sqlite3 *db, time_t now, char out[CODE_MAX + 1])
{
    static const char alphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    int64_t next;
    if (one_int(db, "SELECT coalesce(max(id), 0) + 1 FROM tickets", NULL, &next))
        return -1;
    for (uint64_t attempt = 0; attempt < 50; attempt++) {
        uint64_t x = (uint64_t)next * 0x9E3779B97F4A7C15ULL ^ (uint64_t)now ^
                     (attempt * 0xBF58476D1CE4E5B9ULL);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
        x ^= x >> 31;
        for (int i = 0; i < 9; i++, x /= 36)
            out[i] = alphabet[x % 36];
        out[9] = '\0';
        int64_t used;
        if (one_int(db, "SELECT count(*) FROM tickets WHERE code = ?1", out, &used))
            return -1;
        if (!used)
            return 0;
    }
    return -1;
}

/* Inserts t for customer; fills its code and returns the new row id, or
 * -1 on a database error, 0 when its code is already taken. */
static int64_t insert_ticket(struct sb_req *req, int64_t customer, struct new_ticket *t)
{
    sqlite3 *db = req->db->db;
    int64_t used = 0;
    if (t->code[0]) {
        if (one_int(db, "SELECT count(*) FROM tickets WHERE code = ?1", t->code, &used))
            return -1;
        if (used)
            return 0;
    } else if (new_code(db, req->now, t->code)) {
        return -1;
    }
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(req->now, iso);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO tickets (code, customer_id, status, priority, department,"
                           " subject, message, reported_from, type, created_on, updated_on,"
                           " created_till_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    const char *text[] = {t->code, NULL, t->status, t->priority, t->department, t->subject,
                          t->message, t->reported_from, t->type, iso, iso};
    for (int i = 0; i < 11; i++)
        if (i != 1)
            sqlite3_bind_text(st, i + 1, text[i], -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 2, customer);
    sqlite3_bind_int64(st, 12, req->till ? req->till->id : 0);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    int64_t id = sqlite3_last_insert_rowid(db);
    for (size_t i = 0; i < t->n_fields; i++) {
        if (sqlite3_prepare_v2(db,
                               "INSERT OR REPLACE INTO ticket_custom_fields (ticket_id, name, value)"
                               " VALUES (?,?,?)",
                               -1, &st, NULL) != SQLITE_OK)
            return -1;
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, t->fields[i].name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, t->fields[i].value, -1, SQLITE_TRANSIENT);
        rc = sqlite3_step(st);
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return -1;
    }
    return id;
}

static json_t *added_ticket(struct store_conn *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, TICKET_COLUMNS " WHERE t.id = ?", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    json_t *one = sqlite3_step(st) == SQLITE_ROW ? ticket_json(db, st) : NULL;
    sqlite3_finalize(st);
    return one;
}

/* Handles one customer item; returns the response item, NULL on a database
 * error. *ok tells whether it succeeded. */
static json_t *add_for_customer(struct sb_req *req, const json_t *item, bool *ok)
{
    *ok = false;
    struct fail f = {0};
    bool db_error = false;
    int64_t id = 0;
    json_t *out = NULL;
    enum tkv_find found = tkv_member_from_item(req->db, item, &id);
    if (found == TKV_DB_ERROR)
        return NULL;
    struct member m;
    if (found == TKV_FOUND) {
        enum member_status ms = member_load(req->db, id, &m);
        if (ms == MEMBER_DB_ERROR)
            return NULL;
        if (ms == MEMBER_OK) {
            out = tkv_member_block(&m, "id");
            member_free(&m);
        }
    }
    if (!out) {
        /* echo the identifiers the caller sent */
        out = json_object();
        static const char *const echo[] = {"mobile", "email", "external_id", "id", "user_id"};
        char buf[32];
        for (size_t i = 0; i < 5; i++) {
            const char *v = tkv_text(item, echo[i], buf, sizeof buf);
            if (v)
                json_object_set_new(out, echo[i], sb_jstr(v));
        }
        failf(&f, found == TKV_NO_IDENTIFIER ? 1015 : 1012,
              found == TKV_NO_IDENTIFIER ? "No customer identifier given%s"
                                         : "Customer not found for the given identifier%s",
              NULL);
        json_object_set_new(out, "item_status", tkv_status(false, f.code, f.message));
        return out;
    }

    const json_t *tickets = json_object_get(item, "ticket");
    size_t n = tkv_count(tickets);
    if (n > TICKETS_MAX) {
        json_object_set_new(out, "item_status",
                            tkv_status(false, 1305, "At most 20 tickets per customer"));
        return out;
    }
    struct new_ticket *t = n ? calloc(n, sizeof *t) : NULL;
    if (n && !t)
        abort();
    bool valid = n > 0 || failf(&f, 1305, "No ticket given%s", NULL);
    for (size_t i = 0; valid && i < n; i++)
        valid = read_ticket(req->db->db, tkv_at(tickets, i), &t[i], &f, &db_error);
    if (db_error) {
        free(t);
        json_decref(out);
        return NULL;
    }
    json_t *added = json_array();
    for (size_t i = 0; valid && i < n; i++) {
        int64_t row = insert_ticket(req, id, &t[i]);
        if (row < 0)
            db_error = true;
        else if (row == 0)
            valid = failf(&f, 1308, "Ticket code '%s' already exists", t[i].code);
        json_t *one = row > 0 ? added_ticket(req->db, row) : NULL;
        if (row > 0 && !one)
            db_error = true;
        if (one)
            json_array_append_new(added, one);
        if (db_error)
            break;
    }
    free(t);
    if (db_error) {
        json_decref(added);
        json_decref(out);
        return NULL;
    }
    if (!valid) {
        json_decref(added);
        json_object_set_new(out, "item_status", tkv_status(false, f.code, f.message));
        return out;
    }
    json_object_set_new(out, "ticket", tkv_list(added));
    json_object_set_new(out, "item_status", tkv_status(true, 1300, "Ticket added successfully"));
    *ok = true;
    return out;
}

static void add_tickets(struct sb_req *req, struct sb_resp *resp)
{
    json_t *items = tkv_body_items(req, "customer");
    if (!items) {
        tkv_error(resp, 400, 400,
                  "Invalid request body: expected {\"root\":{\"customer\":[{...,\"ticket\":[...]}]}}");
        return;
    }
    size_t n = tkv_count(items);
    if (n > BATCH_MAX) {
        json_decref(items);
        tkv_error(resp, 400, 1060, "At most 100 customers per request");
        return;
    }
    sqlite3 *db = req->db->db;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
        json_decref(items);
        sb_reply_db_error(resp, req->db);
        return;
    }
    /* A failed item leaves no row behind: each one runs in a savepoint. */
    json_t *out = json_array();
    int ok_count = 0;
    bool failed = false;
    for (size_t i = 0; i < n && !failed; i++) {
        bool ok;
        sqlite3_exec(db, "SAVEPOINT item", NULL, NULL, NULL);
        json_t *one = add_for_customer(req, tkv_at(items, i), &ok);
        if (!one) {
            failed = true;
            break;
        }
        sqlite3_exec(db, ok ? "RELEASE item" : "ROLLBACK TO item; RELEASE item", NULL, NULL, NULL);
        ok_count += ok;
        json_array_append_new(out, one);
    }
    json_decref(items);
    if (failed || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        sb_reply_db_error(resp, req->db);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        json_decref(out);
        return;
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:{s:o}}}", "response", "status",
                            tkv_outcome(ok_count, (int)n), "customers", "customer",
                            tkv_list(out)));
}

const struct sb_route sb_routes_tickets[] = {
    {"GET", "/v1.1/customer/tickets", get_tickets, 0},
    {"POST", "/v1.1/customer/tickets", add_tickets, 0},
};
SB_ROUTES_END(tickets);
