/*
 * routes_customer_search.c - GET /v2/customers/search (part 1 §5.4).
 *
 * q is a prefix matched, ignoring ASCII case, against the start of any word
 * of the full name (so first name, last name and "first last" all work),
 * against any identifier, and against mobiles without their country code.
 * limit defaults to 10 (1..100), offset is a record offset; results are in
 * customer-id order. Each hit lists what matched (matchedIdentifiers) and
 * one INSTORE profile whose identifiers carry mobile and email, so a result
 * list can show them without a second call.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/customer_v2.h"
#include "sandbox/dispatch.h"
#include "sandbox/member.h"
#include "sandbox/router.h"
#include "sandbox/store.h"

#define Q_MAX 100
#define LIMIT_MAX 100

#define MATCHING                                                                    \
    "SELECT id FROM customers"                                                      \
    " WHERE (' ' || first_name || ' ' || last_name) LIKE ?1 ESCAPE '\\'"            \
    " UNION SELECT customer_id FROM identifiers"                                    \
    " WHERE value LIKE ?2 ESCAPE '\\'"                                              \
    "    OR (type = 'mobile' AND substr(value, 3) LIKE ?2 ESCAPE '\\')"

static const char sql_count[] = "SELECT count(*) FROM (" MATCHING ")";
static const char sql_page[] = MATCHING " ORDER BY 1 LIMIT ?3 OFFSET ?4";

/* q with LIKE's wildcards and the escape character escaped. */
static void like_escape(const char *q, char *out)
{
    size_t k = 0;
    for (; *q; q++) {
        if (*q == '\\' || *q == '%' || *q == '_')
            out[k++] = '\\';
        out[k++] = *q;
    }
    out[k] = '\0';
}

static bool prefix(const char *s, const char *q)
{
    return s && strncasecmp(s, q, strlen(q)) == 0;
}

static bool word_prefix(const char *s, const char *q)
{
    for (const char *p = s; p && *p; p++)
        if ((p == s || p[-1] == ' ') && prefix(p, q))
            return true;
    return false;
}

static void add_match(json_t *a, const char *type, const char *value)
{
    json_array_append_new(a, json_pack("{s:s,s:o,s:s,s:s}", "idType", type, "idValue",
                                       sb_jstr(value), "source", "INSTORE", "accountId", ""));
}

static json_t *matches(const struct member *m, const char *q)
{
    json_t *a = json_array();
    bool first = word_prefix(m->first, q), last = word_prefix(m->last, q);
    if (first)
        add_match(a, "firstName", m->first);
    if (last)
        add_match(a, "lastName", m->last);
    if (!first && !last) {
        char full[512];
        snprintf(full, sizeof full, "%s %s", m->first, m->last);
        if (word_prefix(full, q))
            add_match(a, "fullName", full);
    }
    if (prefix(m->mobile, q) || (m->mobile && strlen(m->mobile) > 2 && prefix(m->mobile + 2, q)))
        add_match(a, "mobile", m->mobile);
    if (prefix(m->email, q))
        add_match(a, "email", m->email);
    if (prefix(m->external_id, q))
        add_match(a, "externalId", m->external_id);
    if (prefix(m->card, q))
        add_match(a, "cardNumber", m->card);
    return a;
}

static void search(struct sb_req *req, struct sb_resp *resp)
{
    const char *q = sb_arg(req, "q");
    if (!q || !*q) {
        sb_reply_v2_error(resp, 400, 400, "q cannot be empty");
        return;
    }
    if (strlen(q) > Q_MAX) {
        sb_reply_v2_error(resp, 400, 400, "q is longer than 100 characters");
        return;
    }
    int64_t limit, offset;
    if (!sb_paging(req, resp, 10, LIMIT_MAX, &limit, &offset))
        return;
    char esc[2 * Q_MAX + 1], name_pat[2 * Q_MAX + 4], id_pat[2 * Q_MAX + 2];
    like_escape(q, esc);
    snprintf(name_pat, sizeof name_pat, "%% %s%%", esc);
    snprintf(id_pat, sizeof id_pat, "%s%%", esc);

    sqlite3_stmt *st = store_stmt(req->db, sql_count);
    if (!st)
        goto db_error;
    sqlite3_bind_text(st, 1, name_pat, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, id_pat, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto db_error;
    int64_t total = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);

    int64_t ids[LIMIT_MAX];
    size_t n = 0;
    st = store_stmt(req->db, sql_page);
    if (!st)
        goto db_error;
    sqlite3_bind_text(st, 1, name_pat, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, id_pat, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, limit);
    sqlite3_bind_int64(st, 4, offset);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < LIMIT_MAX)
        ids[n++] = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        goto db_error;

    json_t *data = json_array();
    for (size_t i = 0; i < n; i++) {
        struct member m;
        enum member_status s = member_load(req->db, ids[i], &m);
        if (s == MEMBER_NOT_FOUND)
            continue; /* removed between the two statements */
        if (s != MEMBER_OK) {
            json_decref(data);
            goto db_error;
        }
        json_array_append_new(
            data, json_pack("{s:I,s:o,s:[{s:o,s:o,s:o,s:o}]}", "userId", (json_int_t)m.id,
                            "matchedIdentifiers", matches(&m, q), "profiles", "source",
                            sb_jstr(m.source), "firstName", sb_jstr(m.first), "lastName",
                            sb_jstr(m.last), "identifiers", customer_v2_identifiers(&m)));
        member_free(&m);
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:I,s:I,s:I},s:o,s:[],s:[]}", "pagination", "limit",
                            (json_int_t)limit, "offset", (json_int_t)offset, "total",
                            (json_int_t)total, "data", data, "warnings", "errors"));
    return;
db_error:
    if (st)
        sqlite3_reset(st);
    sb_reply_db_error(resp, req->db);
}

const struct sb_route sb_routes_customer_search[] = {
    {"GET", "/v2/customers/search", search, 0},
};
SB_ROUTES_END(customer_search);
