/*
 * routes_notes.c - notes on a member (part 2 §2.3, §2.4):
 *   GET  /v1.1/customer/notes   one identifier (mobile, email, external_id,
 *                               user_id, id, card_number, or the generic
 *                               identifier= tried as mobile, email, then
 *                               external id); optional associate_id keeps
 *                               only that associate's notes; newest first
 *   POST /v1.1/customer/notes   {"root":{"customer":[{<identifier>,
 *                               "associate_id":..,"notes":{"note":[{"id"?,
 *                               "date"?,"description"}]}}]}}: a note without
 *                               id is added, one with id is updated
 *
 * Both answer under `response.customer` (a bare object for one member),
 * scalars as strings, one-item lists as bare objects (tickets_v11.h).
 *
 * Choices where the reference is silent (UNCONFIRMED there):
 *   - The associate is a till: associate_id, when sent, must be a till id;
 *     otherwise the note is the caller's. Notes carry associate_id and
 *     associate_name (the till's name), and updated_on.
 *   - A saved note comes back with its real id, never -1.
 *   - Item-level errors (HTTP 200, request status 500 or 201):
 *       1012 customer not found          1503 date not a date
 *       1501 description missing/blank   1504 no such note for the member
 *       1502 description over 255        1505 associate_id not a till
 *            characters (code points)
 *     Request-level (HTTP 400): 1015 no or several identifiers, 400 a
 *     malformed body, 1060 more than 100 customers.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/router.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"
#include "sandbox/tickets_v11.h"

#define BATCH_MAX 100
#define NOTES_MAX 20 /* per customer item */
#define NOTE_MAX 255

static json_t *note_json(sqlite3_stmt *st)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "id", tkv_id(sqlite3_column_int64(st, 0)),
                     "description", sb_jstr((const char *)sqlite3_column_text(st, 1)),
                     "added_on", tkv_time((const char *)sqlite3_column_text(st, 2)),
                     "updated_on", tkv_time((const char *)sqlite3_column_text(st, 3)),
                     "associate_id", tkv_id(sqlite3_column_int64(st, 4)), "associate_name",
                     sb_jstr((const char *)sqlite3_column_text(st, 5)));
}

#define NOTE_COLUMNS                                                                       \
    "SELECT n.id, n.text, n.created_on, n.updated_on, n.till_id, t.name FROM notes n"     \
    " JOIN tills t ON t.id = n.till_id"

/* The generic identifier= form: a mobile, an email or an external id. */
static enum tkv_find find_generic(struct sb_req *req, const char *value, int64_t *id)
{
    static const char *const types[] = {"mobile", "email", "externalId"};
    for (size_t i = 0; i < 3; i++) {
        enum member_status s = member_find(req->db, types[i], value, id);
        if (s == MEMBER_OK)
            return TKV_FOUND;
        if (s == MEMBER_DB_ERROR)
            return TKV_DB_ERROR;
    }
    return TKV_NOT_FOUND;
}

static void get_notes(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id = 0, associate = 0;
    const char *key = "identifier", *value = sb_arg(req, "identifier");
    enum tkv_find found = value && *value ? find_generic(req, value, &id)
                                          : tkv_member_from_query(req, &id, &key, &value);
    const char *assoc = sb_arg(req, "associate_id");
    if (found == TKV_NO_IDENTIFIER) {
        tkv_error(resp, 400, 1015,
                  "Give exactly one customer identifier: mobile, email, external_id or user_id");
        return;
    }
    if (assoc && *assoc && sb_parse_i64(assoc, 1, INT64_MAX, &associate)) {
        tkv_error(resp, 400, 400, "Invalid associate_id");
        return;
    }
    struct member m;
    enum member_status ms = found == TKV_FOUND ? member_load(req->db, id, &m)
                            : found == TKV_NOT_FOUND ? MEMBER_NOT_FOUND : MEMBER_DB_ERROR;
    if (ms == MEMBER_DB_ERROR) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    if (ms == MEMBER_NOT_FOUND) {
        sb_reply_json(resp, 200,
                      json_pack("{s:{s:o,s:{s:o,s:o}}}", "response", "status",
                                tkv_outcome(0, 1), "customer", key, sb_jstr(value),
                                "item_status",
                                tkv_status(false, 1012, "Customer not found for the given identifier")));
        return;
    }
    json_t *cust = tkv_member_block(&m, "user_id");
    member_free(&m);
    sqlite3_stmt *st = store_stmt(req->db, NOTE_COLUMNS " WHERE n.customer_id = ?1"
                                                         " AND (?2 = 0 OR n.till_id = ?2)"
                                                         " ORDER BY n.created_on DESC, n.id DESC");
    if (!st) {
        json_decref(cust);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, associate);
    json_t *list = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        json_array_append_new(list, note_json(st));
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        json_decref(cust);
        sb_reply_db_error(resp, req->db);
        return;
    }
    json_object_set_new(cust, "notes", json_pack("{s:o}", "note", tkv_list(list)));
    json_object_set_new(cust, "item_status", tkv_status(true, 1000, "Operation Successful"));
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:o,s:o}}", "response", "status",
                            tkv_status(true, 200, "Operation Successful"), "customer", cust));
}

/* POST */

struct fail {
    long code;
    char message[160];
};

static bool fail(struct fail *f, long code, const char *message)
{
    f->code = code;
    snprintf(f->message, sizeof f->message, "%s", message);
    return false;
}

struct note_in {
    int64_t id;               /* 0 = new */
    const char *description;  /* borrowed from the body */
    char date[SBTIME_ISO_LEN];/* "" = now (add) / unchanged (update) */
};

static bool read_note(struct sb_req *req, int64_t customer, const json_t *in, struct note_in *n,
                      struct fail *f, bool *db_error)
{
    char buf[32];
    memset(n, 0, sizeof *n);
    const char *id = tkv_text(in, "id", buf, sizeof buf);
    if (id && *id) {
        if (sb_parse_i64(id, 1, INT64_MAX, &n->id))
            return fail(f, 1504, "Note not found for this customer");
        sqlite3_stmt *st = store_stmt(req->db, "SELECT 1 FROM notes WHERE id = ? AND customer_id = ?");
        if (!st) {
            *db_error = true;
            return false;
        }
        sqlite3_bind_int64(st, 1, n->id);
        sqlite3_bind_int64(st, 2, customer);
        int rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            *db_error = true;
            return false;
        }
        if (rc == SQLITE_DONE)
            return fail(f, 1504, "Note not found for this customer");
    }
    /* Only a string is a description (a number is not plain text). */
    const char *d = json_string_value(json_object_get(in, "description"));
    const char *p = d;
    while (p && *p && isspace((unsigned char)*p))
        p++;
    if (!p || !*p)
        return fail(f, 1501, "Note description is required");
    if (tkv_chars(d) > NOTE_MAX)
        return fail(f, 1502, "Note description exceeds 255 characters");
    n->description = d;
    const char *date = tkv_text(in, "date", buf, sizeof buf);
    if (date && *date) {
        time_t t;
        if (sbtime_parse_iso(date, &t) && sbtime_parse_date(date, &t))
            return fail(f, 1503, "Invalid note date: expected YYYY-MM-DD HH:MM:SS");
        sbtime_iso(t, n->date);
    }
    return true;
}

/* Writes n; returns its id, or -1 on a database error. */
static int64_t save_note(struct sb_req *req, int64_t customer, int64_t till, const struct note_in *n)
{
    char now[SBTIME_ISO_LEN];
    sbtime_iso(req->now, now);
    sqlite3 *db = req->db->db;
    sqlite3_stmt *st = NULL;
    const char *sql = n->id ? "UPDATE notes SET text = ?1, updated_on = ?2,"
                              " created_on = coalesce(?3, created_on) WHERE id = ?4"
                            : "INSERT INTO notes (text, updated_on, created_on, customer_id, till_id)"
                              " VALUES (?1, ?2, coalesce(?3, ?2), ?4, ?5)";
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, n->description, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    if (n->date[0])
        sqlite3_bind_text(st, 3, n->date, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 4, n->id ? n->id : customer);
    if (!n->id)
        sqlite3_bind_int64(st, 5, till);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return -1;
    return n->id ? n->id : sqlite3_last_insert_rowid(db);
}

static json_t *saved_note(struct store_conn *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, NOTE_COLUMNS " WHERE n.id = ?", -1, &st, NULL) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    json_t *one = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        one = json_pack("{s:o,s:o,s:o}", "id", tkv_id(sqlite3_column_int64(st, 0)), "date",
                        tkv_time((const char *)sqlite3_column_text(st, 2)), "description",
                        sb_jstr((const char *)sqlite3_column_text(st, 1)));
    sqlite3_finalize(st);
    return one;
}

/* The associate of the notes: the till named by associate_id, else the caller. */
static bool associate(struct sb_req *req, const json_t *item, int64_t *till, struct fail *f,
                      bool *db_error)
{
    char buf[32];
    const char *a = tkv_text(item, "associate_id", buf, sizeof buf);
    *till = req->till ? req->till->id : 0;
    if (!a || !*a)
        return true;
    int64_t id;
    if (sb_parse_i64(a, 1, INT64_MAX, &id))
        return fail(f, 1505, "Invalid associate_id: not a till of this organization");
    sqlite3_stmt *st = store_stmt(req->db, "SELECT 1 FROM tills WHERE id = ?");
    if (!st) {
        *db_error = true;
        return false;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        *db_error = true;
        return false;
    }
    if (rc == SQLITE_DONE)
        return fail(f, 1505, "Invalid associate_id: not a till of this organization");
    *till = id;
    return true;
}

/* One customer item: the response item, or NULL on a database error. */
static json_t *save_for_customer(struct sb_req *req, const json_t *item, bool *ok)
{
    *ok = false;
    struct fail f = {0};
    bool db_error = false;
    int64_t id = 0, till = 0;
    enum tkv_find found = tkv_member_from_item(req->db, item, &id);
    if (found == TKV_DB_ERROR)
        return NULL;
    struct member m;
    enum member_status ms = found == TKV_FOUND ? member_load(req->db, id, &m) : MEMBER_NOT_FOUND;
    if (ms == MEMBER_DB_ERROR)
        return NULL;
    if (ms == MEMBER_NOT_FOUND) {
        json_t *out = json_object();
        static const char *const echo[] = {"mobile", "email", "external_id", "user_id", "id"};
        char buf[32];
        for (size_t i = 0; i < 5; i++) {
            const char *v = tkv_text(item, echo[i], buf, sizeof buf);
            if (v)
                json_object_set_new(out, echo[i], sb_jstr(v));
        }
        json_object_set_new(out, "item_status",
                            found == TKV_NO_IDENTIFIER
                                ? tkv_status(false, 1015, "No customer identifier given")
                                : tkv_status(false, 1012, "Customer not found for the given identifier"));
        return out;
    }
    json_t *out = tkv_member_block(&m, "user_id");
    member_free(&m);

    const json_t *notes = json_object_get(item, "notes");
    const json_t *list = json_is_object(notes) ? json_object_get(notes, "note") : NULL;
    size_t n = tkv_count(list);
    struct note_in in[NOTES_MAX];
    bool valid = associate(req, item, &till, &f, &db_error);
    if (valid && n == 0)
        valid = fail(&f, 1501, "No note given");
    if (valid && n > NOTES_MAX)
        valid = fail(&f, 1501, "At most 20 notes per customer");
    for (size_t i = 0; valid && i < n; i++)
        valid = read_note(req, id, tkv_at(list, i), &in[i], &f, &db_error);
    json_object_set_new(out, "associate_id", tkv_id(till));
    json_t *saved = json_array();
    for (size_t i = 0; valid && !db_error && i < n; i++) {
        int64_t note = save_note(req, id, till, &in[i]);
        json_t *one = note > 0 ? saved_note(req->db, note) : NULL;
        if (!one)
            db_error = true;
        else
            json_array_append_new(saved, one);
    }
    if (db_error) {
        json_decref(saved);
        json_decref(out);
        return NULL;
    }
    if (!valid) {
        json_decref(saved);
        json_object_set_new(out, "item_status", tkv_status(false, f.code, f.message));
        return out;
    }
    json_object_set_new(out, "notes", json_pack("{s:o}", "note", tkv_list(saved)));
    json_object_set_new(out, "item_status", tkv_status(true, 200, "Operation Successful"));
    *ok = true;
    return out;
}

static void save_notes(struct sb_req *req, struct sb_resp *resp)
{
    json_t *items = tkv_body_items(req, "customer");
    if (!items) {
        tkv_error(resp, 400, 400,
                  "Invalid request body: expected {\"root\":{\"customer\":[{...,\"notes\":{\"note\":[...]}}]}}");
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
    json_t *out = json_array();
    int ok_count = 0;
    bool failed = false;
    for (size_t i = 0; i < n; i++) {
        bool ok;
        sqlite3_exec(db, "SAVEPOINT item", NULL, NULL, NULL);
        json_t *one = save_for_customer(req, tkv_at(items, i), &ok);
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
                  json_pack("{s:{s:o,s:o}}", "response", "status", tkv_outcome(ok_count, (int)n),
                            "customer", tkv_list(out)));
}

const struct sb_route sb_routes_notes[] = {
    {"GET", "/v1.1/customer/notes", get_notes, 0},
    {"POST", "/v1.1/customer/notes", save_notes, 0},
};
SB_ROUTES_END(notes);
