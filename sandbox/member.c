/*
 * member.c - loading members from the store.
 */
#include <stdlib.h>
#include <string.h>

#include "sandbox/member.h"
#include "sandbox/store.h"

static const char sql_member[] =
    "SELECT c.id, c.first_name, c.last_name, c.source, c.loyalty_type, c.status_label,"
    " c.fraud_status, c.gender, c.city, c.created_on, c.updated_on, c.loyalty_id,"
    " c.lifetime_purchases, t.id, t.code, t.name, s.code, s.name,"
    " tr.serial, tr.name, tr.description, c.tier_expiry,"
    " coalesce(nt.serial, -1), coalesce(nt.name, ''), coalesce(nt.description, ''),"
    " p.loyalty_points, p.lifetime_points, p.redeemed, p.expired, p.returned, p.adjusted,"
    " p.delayed_points"
    " FROM customers c"
    " JOIN tills t ON t.id = c.created_till_id"
    " JOIN stores s ON s.id = c.registered_store_id"
    " JOIN tiers tr ON tr.id = c.tier_id"
    " LEFT JOIN tiers nt ON nt.serial = tr.serial + 1"
    " JOIN points_summary p ON p.customer_id = c.id"
    " WHERE c.id = ?";

static const char sql_identifiers[] =
    "SELECT type, value FROM identifiers WHERE customer_id = ?";

static char *dup_col(sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    if (!t)
        return NULL;
    char *s = strdup((const char *)t);
    if (!s)
        abort(); /* out of memory: nothing sensible to answer with */
    return s;
}

enum member_status member_load(struct store_conn *db, int64_t id, struct member *m)
{
    memset(m, 0, sizeof *m);
    sqlite3_stmt *st = store_stmt(db, sql_member);
    if (!st)
        return MEMBER_DB_ERROR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? MEMBER_NOT_FOUND : MEMBER_DB_ERROR;
    }
    m->id = sqlite3_column_int64(st, 0);
    m->first = dup_col(st, 1);
    m->last = dup_col(st, 2);
    m->source = dup_col(st, 3);
    m->loyalty_type = dup_col(st, 4);
    m->status_label = dup_col(st, 5);
    m->fraud_status = dup_col(st, 6);
    m->gender = dup_col(st, 7);
    m->city = dup_col(st, 8);
    m->created_on = dup_col(st, 9);
    m->updated_on = dup_col(st, 10);
    m->loyalty_id = sqlite3_column_int64(st, 11);
    m->lifetime_purchases = sqlite3_column_double(st, 12);
    m->till_id = sqlite3_column_int64(st, 13);
    m->till_code = dup_col(st, 14);
    m->till_name = dup_col(st, 15);
    m->store_code = dup_col(st, 16);
    m->store_name = dup_col(st, 17);
    m->tier_serial = sqlite3_column_int(st, 18);
    m->tier_name = dup_col(st, 19);
    m->tier_description = dup_col(st, 20);
    m->tier_expiry = dup_col(st, 21);
    m->next_serial = sqlite3_column_int(st, 22);
    m->next_name = dup_col(st, 23);
    m->next_description = dup_col(st, 24);
    m->loyalty_points = sqlite3_column_double(st, 25);
    m->lifetime_points = sqlite3_column_double(st, 26);
    m->redeemed = sqlite3_column_double(st, 27);
    m->expired = sqlite3_column_double(st, 28);
    m->returned = sqlite3_column_double(st, 29);
    m->adjusted = sqlite3_column_double(st, 30);
    m->delayed = sqlite3_column_double(st, 31);
    sqlite3_reset(st);

    st = store_stmt(db, sql_identifiers);
    if (!st) {
        member_free(m);
        return MEMBER_DB_ERROR;
    }
    sqlite3_bind_int64(st, 1, id);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        char **slot = strcmp(type, "mobile") == 0       ? &m->mobile
                      : strcmp(type, "email") == 0      ? &m->email
                      : strcmp(type, "externalId") == 0 ? &m->external_id
                      : strcmp(type, "cardnumber") == 0 ? &m->card
                                                        : NULL;
        if (slot && !*slot)
            *slot = dup_col(st, 1);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        member_free(m);
        return MEMBER_DB_ERROR;
    }
    return MEMBER_OK;
}

void member_free(struct member *m)
{
    char **strings[] = {
        &m->first, &m->last, &m->source, &m->loyalty_type, &m->status_label, &m->fraud_status,
        &m->gender, &m->city, &m->created_on, &m->updated_on, &m->till_code, &m->till_name,
        &m->store_code, &m->store_name, &m->mobile, &m->email, &m->external_id, &m->card,
        &m->tier_name, &m->tier_description, &m->tier_expiry, &m->next_name,
        &m->next_description,
    };
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
        free(*strings[i]);
        *strings[i] = NULL;
    }
}

static enum member_status find_exact(struct store_conn *db, const char *type, const char *value,
                                     int64_t *id)
{
    sqlite3_stmt *st =
        store_stmt(db, "SELECT customer_id FROM identifiers WHERE type = ? AND value = ?");
    if (!st)
        return MEMBER_DB_ERROR;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? MEMBER_OK : rc == SQLITE_DONE ? MEMBER_NOT_FOUND : MEMBER_DB_ERROR;
}

enum member_status member_find(struct store_conn *db, const char *type, const char *value,
                               int64_t *id)
{
    enum member_status s = find_exact(db, type, value, id);
    if (s != MEMBER_NOT_FOUND || strcmp(type, "mobile") != 0 || strlen(value) != 10 ||
        strspn(value, "0123456789") != 10)
        return s;
    char with_code[16] = "91";
    memcpy(with_code + 2, value, 11);
    return find_exact(db, type, with_code, id);
}

enum member_status member_exists(struct store_conn *db, int64_t id)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT 1 FROM customers WHERE id = ?");
    if (!st)
        return MEMBER_DB_ERROR;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? MEMBER_OK : rc == SQLITE_DONE ? MEMBER_NOT_FOUND : MEMBER_DB_ERROR;
}
