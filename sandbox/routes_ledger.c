/*
 * routes_ledger.c - the points ledger and the points expiry schedule
 * (part 1 §5.10, §5.12):
 *   GET /v2/pointsLedger/getCustomerLedgerInfo     a member's ledger, paged
 *   GET /v2/pointsLedger/getCustomerLedgerBalance  closing balance per category
 *   GET /v2/customers/{id}/pointsExpirySchedule    points by expiry date
 *   GET /v2/customers/lookup/pointsExpirySchedule
 *
 * The reference's quirks, kept on purpose:
 *   - `offset` is a page number (0 = first page), `limit` the page size:
 *     default 10, above the cap 400 with 11006. The cap is 100 (the current
 *     docs) unless org_config `ledger_max_limit` says otherwise (10 is the
 *     older docs' value).
 *   - points, netPointsOnEvent and closingBalance are strings with three
 *     decimals; ledgerCreatedDate is "YYYY-MM-DD HH:MM:SS.s" (UTC, no zone).
 *   - Date windows: with isFilterBasedOnDate true (the default) only
 *     startDate..endDate (yyyy-MM-ddTHH:mm:ss, else 11011) is listed; when
 *     one end is missing the window is 90 days from the other (365 with
 *     includeLastOneYearData=true), when both are missing it ends now;
 *     start after end is 11009, a longer window 11010. isFilterBasedOnDate
 *     =false lists the whole history and ignores the dates.
 * Choices where the reference is silent:
 *   - Entries are the member's successful events (a failed redemption never
 *     touched points), newest first: created date, then event id, both
 *     descending. Events without points (registration, profile updates) are
 *     entries with empty entryDetails and netPointsOnEvent "0.000".
 *   - A credit's entryDetails item carries `expiryDate` (YYYY-MM-DD) when
 *     its points expire; goodwill events carry eventDetails.requestId (the
 *     approved request) and eventDetails.reason.
 *   - Identifiers: ledger info takes id, mobile, email, externalId; the
 *     balance mobile, email, externalId, cardnumber/cardExternalId (no id,
 *     as documented). Unknown member: 404 8015; id not a number: 400 11012.
 *   - Filters: tillId (11004 when unknown), storeCode (11001 when unknown),
 *     programId (11005 unless the one program), ledgerEntryType (CREDIT,
 *     DEBIT, OPENING_BALANCE; else 11007) and pointCategoryType (REGULAR,
 *     PROMISED, TRIGGER_BASED; else 11008) keep the events that have such
 *     an entry. tillIds and storeId are 11001 (not emulated).
 *   - No entry matches: 200 with an empty list and warning 11003.
 *   - Balance: Main and DelayedAccrualPointCategory rows always,
 *     ExternalTriggerBasedPointCategory only when not zero; paged like the
 *     ledger (max 10). With endDate the balances are summed from the ledger
 *     up to that second (inclusive); without, they are the points summary,
 *     which every writer updates in the same transaction as the ledger
 *     (migrations.c), so the two agree (tests/integration checks it).
 *   - Expiry schedule: startDate/endDate are YYYY-MM-DD (400 code 400
 *     otherwise); entries from today on, ascending; fetchEarliestExpiryOnly
 *     keeps the soonest per points type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/customer_v2.h"
#include "sandbox/dispatch.h"
#include "sandbox/member.h"
#include "sandbox/org.h"
#include "sandbox/router.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"

#define LEDGER_DEFAULT_LIMIT 10
#define LEDGER_DEFAULT_CAP 100
#define BALANCE_MAX_LIMIT 10
#define WINDOW_DAYS 90
#define WINDOW_DAYS_YEAR 365
#define DAY_S 86400

static bool empty(const char *s)
{
    return !s || !*s;
}

static json_t *points_str(double v)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%.3f", v);
    return json_string(buf);
}

/* "2026-11-25T10:00:00Z" -> "2026-11-25 10:00:00.0" */
static json_t *ledger_time(const char *iso)
{
    time_t t;
    if (!iso || sbtime_parse_iso(iso, &t) != 0)
        return json_string("");
    char v11[SBTIME_V11_LEN], out[SBTIME_V11_LEN + 2];
    sbtime_v11(t, v11);
    snprintf(out, sizeof out, "%s.0", v11);
    return json_string(out);
}

/* Common to the ledger calls: source, identifierName, identifierValue ->
 * member id. Answers the error itself and returns false. */
static bool resolve_member(struct sb_req *req, struct sb_resp *resp, bool allow_id, int64_t *id)
{
    const char *source = sb_arg(req, "source");
    const char *name = sb_arg(req, "identifierName");
    const char *value = sb_arg(req, "identifierValue");
    if (empty(source) || empty(name) || empty(value)) {
        sb_reply_v2_error(resp, 400, 11013,
                          "identifierName, identifierValue, source cannot be empty");
        return false;
    }
    if (!customer_v2_source_valid(source)) {
        sb_reply_v2_error(resp, 400, 8003, "Invalid source");
        return false;
    }
    if (strcmp(source, "INSTORE") != 0 && strcmp(source, "ALL") != 0) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return false;
    }
    enum member_status s;
    if (strcasecmp(name, "id") == 0) {
        if (!allow_id) {
            sb_reply_v2_error(resp, 400, 8013, "Invalid identifier name");
            return false;
        }
        if (sb_parse_i64(value, 1, INT64_MAX, id)) {
            sb_reply_v2_error(resp, 400, 11012, "Invalid userId");
            return false;
        }
        s = member_exists(req->db, *id);
    } else if (strcasecmp(name, "cardExternalId") == 0) {
        s = MEMBER_NOT_FOUND; /* the emulated org issues no external card ids */
    } else {
        const char *type = customer_v2_identifier_type(name);
        if (!type) {
            sb_reply_v2_error(resp, 400, 8013, "Invalid identifier name");
            return false;
        }
        s = member_find(req->db, type, value, id);
    }
    if (s == MEMBER_NOT_FOUND) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return false;
    }
    if (s != MEMBER_OK) {
        sb_reply_db_error(resp, req->db);
        return false;
    }
    return true;
}

/* limit (default 10, 1..cap else 11006) and offset (a page number). */
static bool ledger_paging(struct sb_req *req, struct sb_resp *resp, int64_t cap, int64_t *limit,
                          int64_t *page)
{
    const char *l = sb_arg(req, "limit"), *o = sb_arg(req, "offset");
    *limit = LEDGER_DEFAULT_LIMIT;
    *page = 0;
    if (l && sb_parse_i64(l, 1, INT32_MAX, limit)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid limit");
        return false;
    }
    if (*limit > cap) {
        char msg[80];
        snprintf(msg, sizeof msg, "Limit cannot be greater than %lld", (long long)cap);
        sb_reply_v2_error(resp, 400, 11006, msg);
        return false;
    }
    if (o && sb_parse_i64(o, 0, INT32_MAX, page)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid offset: expected a page number >= 0");
        return false;
    }
    return true;
}

static int64_t ledger_cap(struct store_conn *db)
{
    int64_t cap = LEDGER_DEFAULT_CAP;
    sqlite3_stmt *st =
        store_stmt(db, "SELECT value FROM org_config WHERE key = 'ledger_max_limit'");
    if (st && sqlite3_step(st) == SQLITE_ROW) {
        int64_t v;
        if (sb_parse_i64((const char *)sqlite3_column_text(st, 0), 1, 10000, &v) == 0)
            cap = v;
    }
    if (st)
        sqlite3_reset(st);
    return cap;
}

/* "yyyy-MM-ddTHH:mm:ss" exactly. */
static bool ledger_date(const char *s, time_t *out)
{
    if (!s || strlen(s) != 19 || s[10] != 'T' || s[4] != '-' || s[13] != ':')
        return false;
    return sbtime_parse_iso(s, out) == 0;
}

struct window {
    char from[SBTIME_ISO_LEN], to[SBTIME_ISO_LEN]; /* inclusive, as stored */
};

static bool date_window(struct sb_req *req, struct sb_resp *resp, struct window *w)
{
    if (sb_arg(req, "isFilterBasedOnDate") && !sb_arg_true(req, "isFilterBasedOnDate")) {
        snprintf(w->from, sizeof w->from, "0000");
        snprintf(w->to, sizeof w->to, "9999");
        return true;
    }
    const char *sa = sb_arg(req, "startDate"), *ea = sb_arg(req, "endDate");
    time_t start = 0, end = 0;
    if ((sa && !ledger_date(sa, &start)) || (ea && !ledger_date(ea, &end))) {
        sb_reply_v2_error(resp, 400, 11011, "Invalid date format, expected yyyy-MM-ddTHH:mm:ss");
        return false;
    }
    long days = sb_arg_true(req, "includeLastOneYearData") ? WINDOW_DAYS_YEAR : WINDOW_DAYS;
    if (!sa && !ea)
        end = req->now;
    if (!sa)
        start = end - days * DAY_S;
    if (!ea)
        end = start + days * DAY_S;
    if (start > end) {
        sb_reply_v2_error(resp, 400, 11009, "startDate cannot be after endDate");
        return false;
    }
    if (end - start > days * DAY_S) {
        char msg[80];
        snprintf(msg, sizeof msg, "Date range cannot be more than %ld days", days);
        sb_reply_v2_error(resp, 400, 11010, msg);
        return false;
    }
    sbtime_iso(start, w->from);
    sbtime_iso(end, w->to);
    return true;
}

struct filters {
    const char *entry_type;   /* CREDIT / DEBIT / OPENING_BALANCE or NULL */
    const char *category;     /* stored category or NULL */
    int64_t till_id, store_id;/* 0 = any */
};

static bool ledger_filters(struct sb_req *req, struct sb_resp *resp, struct filters *f)
{
    memset(f, 0, sizeof *f);
    if (sb_arg(req, "tillIds") || sb_arg(req, "storeId")) {
        sb_reply_v2_error(resp, 400, 11001, "Unsupported parameter combination");
        return false;
    }
    const char *program = sb_arg(req, "programId");
    int64_t pid;
    if (program && (sb_parse_i64(program, 1, INT64_MAX, &pid) || pid != SB_PROGRAM_ID)) {
        sb_reply_v2_error(resp, 400, 11005, "Invalid programId");
        return false;
    }
    const char *type = sb_arg(req, "ledgerEntryType");
    if (type) {
        if (strcmp(type, "CREDIT") && strcmp(type, "DEBIT") && strcmp(type, "OPENING_BALANCE")) {
            sb_reply_v2_error(resp, 400, 11007, "Invalid ledgerEntryType");
            return false;
        }
        f->entry_type = type;
    }
    const char *cat = sb_arg(req, "pointCategoryType");
    if (cat) {
        if (strcmp(cat, "REGULAR") == 0)
            f->category = "Main";
        else if (strcmp(cat, "PROMISED") == 0)
            f->category = "DelayedAccrualPointCategory";
        else if (strcmp(cat, "TRIGGER_BASED") == 0)
            f->category = "ExternalTriggerBasedPointCategory";
        else {
            sb_reply_v2_error(resp, 400, 11008, "Invalid pointCategoryType");
            return false;
        }
    }
    const char *till = sb_arg(req, "tillId");
    if (till) {
        sqlite3_stmt *st = store_stmt(req->db, "SELECT id FROM tills WHERE id = ?");
        if (!st) {
            sb_reply_db_error(resp, req->db);
            return false;
        }
        int64_t tid = 0;
        int rc = SQLITE_DONE;
        if (sb_parse_i64(till, 1, INT64_MAX, &tid) == 0) {
            sqlite3_bind_int64(st, 1, tid);
            rc = sqlite3_step(st);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW) {
            sb_reply_v2_error(resp, 400, 11004, "Invalid tillId");
            return false;
        }
        f->till_id = tid;
    }
    const char *store = sb_arg(req, "storeCode");
    if (store) {
        sqlite3_stmt *st = store_stmt(req->db, "SELECT id FROM stores WHERE code = ?");
        if (!st) {
            sb_reply_db_error(resp, req->db);
            return false;
        }
        sqlite3_bind_text(st, 1, store, -1, SQLITE_TRANSIENT);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            f->store_id = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW) {
            sb_reply_v2_error(resp, 400, 11001, "Unknown storeCode");
            return false;
        }
    }
    return true;
}

/* The events a ledger request selects; ?1 customer, ?2..?3 window, ?4 entry
 * type, ?5 category, ?6 till, ?7 store (NULL = any). The index
 * ledger_events_status serves it alone. Without filters the simpler
 * text matters: a filter column in the WHERE makes SQLite read every row of
 * the table instead of walking the index alone, ten times slower on 100,000
 * events. */
#define LEDGER_WHERE                                                                     \
    " WHERE customer_id = ?1 AND status = 'SUCCESS' AND created_on >= ?2"                \
    " AND created_on <= ?3"
#define LEDGER_FILTERS                                                                   \
    " AND (?4 IS NULL OR EXISTS (SELECT 1 FROM ledger_entries x"                         \
    "      WHERE x.event_id = ledger_events.id AND x.entry_type = ?4))"                  \
    " AND (?5 IS NULL OR EXISTS (SELECT 1 FROM ledger_entries x"                         \
    "      WHERE x.event_id = ledger_events.id AND x.category = ?5))"                    \
    " AND (?6 IS NULL OR till_id = ?6) AND (?7 IS NULL OR store_id = ?7)"

#define LEDGER_COUNT(where) "SELECT count(*) FROM ledger_events" where

/* Ids first (an index-only walk past the skipped pages), details for the
 * page's own rows only. */
#define LEDGER_PAGE(where)                                                               \
    "WITH page AS (SELECT id FROM ledger_events" where                                   \
    " ORDER BY created_on DESC, id DESC LIMIT ?8 OFFSET ?9)"                             \
    " SELECT e.id, e.event_name, e.created_on, e.net_points, e.transaction_id,"          \
    " e.bill_number, s.name, s.code, t.code, e.reason, tx.billing_time, tx.amount,"      \
    " tx.gross_amount,"                                                                  \
    " CASE WHEN e.event_name = 'AllocateGoodwillPoints' THEN"                            \
    "   (SELECT r.id FROM requests r WHERE r.customer_id = e.customer_id"                \
    "    AND r.type = 'GOODWILL' AND r.base_type = 'POINTS' AND r.status = 'APPROVED'"   \
    "    AND r.decided_on = e.created_on AND r.points = e.net_points ORDER BY r.id LIMIT 1)" \
    " END"                                                                               \
    " FROM page JOIN ledger_events e ON e.id = page.id"                                  \
    " LEFT JOIN stores s ON s.id = e.store_id"                                           \
    " LEFT JOIN tills t ON t.id = e.till_id"                                             \
    " LEFT JOIN transactions tx ON tx.id = e.transaction_id"                             \
    " ORDER BY e.created_on DESC, e.id DESC"

static const char sql_count[] = LEDGER_COUNT(LEDGER_WHERE);
static const char sql_count_filtered[] = LEDGER_COUNT(LEDGER_WHERE LEDGER_FILTERS);
static const char sql_page[] = LEDGER_PAGE(LEDGER_WHERE);
static const char sql_page_filtered[] = LEDGER_PAGE(LEDGER_WHERE LEDGER_FILTERS);

static const char sql_entries[] =
    "SELECT entry_type, category, points, expiry_date FROM ledger_entries"
    " WHERE event_id = ? ORDER BY id";

static bool any_filter(const struct filters *f)
{
    return f->entry_type || f->category || f->till_id || f->store_id;
}

static void bind_where(sqlite3_stmt *st, int64_t id, const struct window *w,
                       const struct filters *f)
{
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, w->from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, w->to, -1, SQLITE_TRANSIENT);
    if (!any_filter(f))
        return;
    if (f->entry_type)
        sqlite3_bind_text(st, 4, f->entry_type, -1, SQLITE_STATIC);
    if (f->category)
        sqlite3_bind_text(st, 5, f->category, -1, SQLITE_STATIC);
    if (f->till_id)
        sqlite3_bind_int64(st, 6, f->till_id);
    if (f->store_id)
        sqlite3_bind_int64(st, 7, f->store_id);
}

/* entryDetails of one event and their signed sum. NULL on a database error. */
static json_t *entry_details(struct store_conn *db, int64_t event, double *net)
{
    sqlite3_stmt *st = store_stmt(db, sql_entries);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, event);
    json_t *list = json_array();
    *net = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *type = (const char *)sqlite3_column_text(st, 0);
        double pts = sqlite3_column_double(st, 2);
        *net += strcmp(type, "DEBIT") == 0 ? -pts : pts;
        json_t *d = json_pack("{s:s,s:o,s:s,s:s,s:i}", "ledgerEntryType", type, "points",
                              points_str(pts), "pointsCategory",
                              (const char *)sqlite3_column_text(st, 1), "programName",
                              SB_PROGRAM_TITLE, "programId", SB_PROGRAM_ID);
        if (sqlite3_column_type(st, 3) != SQLITE_NULL)
            json_object_set_new(d, "expiryDate", sb_jstr((const char *)sqlite3_column_text(st, 3)));
        json_array_append_new(list, d);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        return NULL;
    }
    return list;
}

static json_t *col_str_or_null(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL
               ? json_null()
               : sb_jstr((const char *)sqlite3_column_text(st, col));
}

static json_t *ledger_entry(struct store_conn *db, sqlite3_stmt *st, int64_t customer)
{
    int64_t event = sqlite3_column_int64(st, 0);
    double net;
    json_t *details = entry_details(db, event, &net);
    if (!details)
        return NULL;
    json_t *txn = json_object();
    if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
        json_object_set_new(txn, "transactionId", json_integer(sqlite3_column_int64(st, 4)));
        json_object_set_new(txn, "transactionNumber", col_str_or_null(st, 5));
        json_object_set_new(txn, "date", ledger_time((const char *)sqlite3_column_text(st, 10)));
        json_object_set_new(txn, "amount", json_real(sqlite3_column_double(st, 11)));
        json_object_set_new(txn, "grossBillAmount", json_real(sqlite3_column_double(st, 12)));
        json_object_set_new(txn, "source", json_string("INSTORE"));
    }
    json_t *ev = json_object();
    if (sqlite3_column_type(st, 9) != SQLITE_NULL)
        json_object_set_new(ev, "reason", sb_jstr((const char *)sqlite3_column_text(st, 9)));
    if (sqlite3_column_type(st, 13) != SQLITE_NULL) {
        char rid[24];
        snprintf(rid, sizeof rid, "%lld", (long long)sqlite3_column_int64(st, 13));
        json_object_set_new(ev, "requestId", json_string(rid));
    }
    return json_pack("{s:I,s:s,s:I,s:o,s:n,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:i}", "eventLogId",
                     (json_int_t)event, "eventName", (const char *)sqlite3_column_text(st, 1),
                     "customerId", (json_int_t)customer, "ledgerCreatedDate",
                     ledger_time((const char *)sqlite3_column_text(st, 2)), "customerDetails",
                     "entryDetails", details, "netPointsOnEvent", points_str(net),
                     "transactionDetails", txn, "store", col_str_or_null(st, 6), "storeCode",
                     col_str_or_null(st, 7), "tillCode", col_str_or_null(st, 8), "eventDetails",
                     ev, "orgId", SB_ORG_ID);
}

static json_t *customer_details(struct store_conn *db, int64_t id, bool names)
{
    json_t *o = json_pack("{s:I,s:s}", "userId", (json_int_t)id, "entityType", "CUSTOMER");
    sqlite3_stmt *st = store_stmt(
        db, "SELECT c.first_name, c.last_name,"
            " (SELECT value FROM identifiers WHERE customer_id = c.id AND type = 'externalId')"
            " FROM customers c WHERE c.id = ?");
    if (!st)
        return o;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        if (names) {
            json_object_set_new(o, "firstName", sb_jstr((const char *)sqlite3_column_text(st, 0)));
            json_object_set_new(o, "lastName", sb_jstr((const char *)sqlite3_column_text(st, 1)));
        } else {
            json_object_set_new(o, "externalId", col_str_or_null(st, 2));
        }
    }
    sqlite3_reset(st);
    return o;
}

static json_t *ledger_details(int64_t page, int64_t limit, int64_t total)
{
    return json_pack("{s:I,s:I,s:I,s:I}", "pageNumber", (json_int_t)page, "pageSize",
                     (json_int_t)limit, "totalEntries", (json_int_t)total, "pageCount",
                     (json_int_t)((total + limit - 1) / limit));
}

static json_t *no_entries_warning(void)
{
    return json_pack("[{s:b,s:i,s:s}]", "status", 0, "code", 11003,
                     "message", "No ledger entries found for the given parameters");
}

static void ledger_info(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id, limit, page;
    struct window w;
    struct filters f;
    if (!resolve_member(req, resp, true, &id) ||
        !ledger_paging(req, resp, ledger_cap(req->db), &limit, &page) ||
        !date_window(req, resp, &w) || !ledger_filters(req, resp, &f))
        return;
    bool filtered = any_filter(&f);
    sqlite3_stmt *st = store_stmt(req->db, filtered ? sql_count_filtered : sql_count);
    if (!st) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    bind_where(st, id, &w, &f);
    int rc = sqlite3_step(st);
    int64_t total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    if (rc != SQLITE_ROW) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    json_t *entries = json_array();
    if (page * limit < total) {
        st = store_stmt(req->db, filtered ? sql_page_filtered : sql_page);
        if (!st) {
            json_decref(entries);
            sb_reply_db_error(resp, req->db);
            return;
        }
        bind_where(st, id, &w, &f);
        sqlite3_bind_int64(st, 8, limit);
        sqlite3_bind_int64(st, 9, page * limit);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            json_t *e = ledger_entry(req->db, st, id);
            if (!e)
                break;
            json_array_append_new(entries, e);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_DONE) {
            json_decref(entries);
            sb_reply_db_error(resp, req->db);
            return;
        }
    }
    json_t *warnings = total == 0 ? no_entries_warning() : json_array();
    sb_reply_json(resp, 200,
                  json_pack("{s:o,s:o,s:o,s:o}", "customerDetails",
                            customer_details(req->db, id, true), "ledgerDetails",
                            ledger_details(page, limit, total), "ledgerEntries", entries,
                            "warnings", warnings));
}

/* Balance */

static const char sql_balance[] =
    "SELECT x.category, sum(CASE WHEN x.entry_type = 'DEBIT' THEN -x.points ELSE x.points END)"
    " FROM ledger_events e JOIN ledger_entries x ON x.event_id = e.id"
    " WHERE e.customer_id = ?1 AND e.status = 'SUCCESS' AND e.created_on <= ?2"
    " GROUP BY x.category";

static const char sql_summary[] =
    "SELECT 'Main', loyalty_points FROM points_summary WHERE customer_id = ?1"
    " UNION ALL SELECT 'DelayedAccrualPointCategory', delayed_points FROM points_summary"
    " WHERE customer_id = ?1";

static void ledger_balance(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id, limit, page;
    if (!resolve_member(req, resp, false, &id) ||
        !ledger_paging(req, resp, BALANCE_MAX_LIMIT, &limit, &page))
        return;
    const char *ea = sb_arg(req, "endDate");
    char until[SBTIME_ISO_LEN] = "";
    if (ea) {
        time_t end;
        if (!ledger_date(ea, &end)) {
            sb_reply_v2_error(resp, 400, 11011,
                              "Invalid date format, expected yyyy-MM-ddTHH:mm:ss");
            return;
        }
        sbtime_iso(end, until);
    }
    sqlite3_stmt *st = store_stmt(req->db, ea ? sql_balance : sql_summary);
    if (!st) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    if (ea)
        sqlite3_bind_text(st, 2, until, -1, SQLITE_TRANSIENT);
    double main_pts = 0, delayed = 0, trigger = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cat = (const char *)sqlite3_column_text(st, 0);
        double v = sqlite3_column_double(st, 1);
        if (strcmp(cat, "Main") == 0)
            main_pts = v;
        else if (strcmp(cat, "DelayedAccrualPointCategory") == 0)
            delayed = v;
        else
            trigger = v;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    static const char *const cats[] = {"Main", "DelayedAccrualPointCategory",
                                       "ExternalTriggerBasedPointCategory"};
    double vals[] = {main_pts, delayed, trigger};
    int64_t n = trigger != 0 ? 3 : 2;
    json_t *rows = json_array();
    for (int64_t i = page * limit; i < n && i < (page + 1) * limit; i++)
        json_array_append_new(rows, json_pack("{s:s,s:s,s:i,s:o}", "pointsCategory", cats[i],
                                              "programName", SB_PROGRAM_TITLE, "programId",
                                              SB_PROGRAM_ID, "closingBalance",
                                              points_str(vals[i])));
    json_t *det = ledger_details(page, limit, n);
    json_object_set_new(det, "ledgerClosingBalance", rows);
    sb_reply_json(resp, 200,
                  json_pack("{s:o,s:o,s:[]}", "customerDetails", customer_details(req->db, id, false),
                            "ledgerDetails", det, "warnings"));
}

/* Expiry schedule */

static void expiry_reply(struct sb_req *req, struct sb_resp *resp, int64_t id)
{
    const char *program = sb_arg(req, "programId");
    int64_t pid;
    if (program && !sb_arg_true(req, "fetchDataForAllPrograms") &&
        (sb_parse_i64(program, 1, INT64_MAX, &pid) || pid != SB_PROGRAM_ID)) {
        sb_reply_v2_error(resp, 400, 1218, "Customer is not part of the program");
        return;
    }
    char from[SBTIME_DATE_LEN], to[SBTIME_DATE_LEN] = "9999-12-31";
    sbtime_date(req->now, from);
    const char *sa = sb_arg(req, "startDate"), *ea = sb_arg(req, "endDate");
    time_t t;
    if ((sa && sbtime_parse_date(sa, &t)) || (ea && sbtime_parse_date(ea, &t))) {
        sb_reply_v2_error(resp, 400, 400, "Invalid date, expected YYYY-MM-DD");
        return;
    }
    if (sa)
        snprintf(from, sizeof from, "%s", sa);
    if (ea)
        snprintf(to, sizeof to, "%s", ea);
    bool earliest = sb_arg_true(req, "fetchEarliestExpiryOnly");
    sqlite3_stmt *st = store_stmt(req->db,
                                  "SELECT expiry_date, points_type, points FROM expiry_schedule"
                                  " WHERE customer_id = ? AND expiry_date >= ? AND expiry_date <= ?"
                                  " AND points > 0 ORDER BY expiry_date, points_type");
    if (!st) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
    json_t *list = json_array();
    json_t *seen = json_object();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *date = (const char *)sqlite3_column_text(st, 0);
        const char *type = (const char *)sqlite3_column_text(st, 1);
        if (earliest) {
            if (json_object_get(seen, type))
                continue;
            json_object_set_new(seen, type, json_true());
        }
        char iso[32];
        snprintf(iso, sizeof iso, "%sT00:00:00Z", date);
        json_array_append_new(
            list, json_pack("{s:f,s:s,s:s,s:i,s:s,s:s}", "points", sqlite3_column_double(st, 2),
                            "expiryDate", date, "expiryDateISO", iso, "programId", SB_PROGRAM_ID,
                            "pointsType", type, "expiryType", "fixed"));
    }
    sqlite3_reset(st);
    json_decref(seen);
    if (rc != SQLITE_DONE) {
        json_decref(list);
        sb_reply_db_error(resp, req->db);
        return;
    }
    sb_reply_json(resp, 200,
                  json_pack("{s:I,s:[],s:{s:s},s:{},s:{},s:o,s:[]}", "id", (json_int_t)id,
                            "profiles", "loyaltyInfo", "loyaltyType", "loyalty", "segments",
                            "extendedFields", "expirySchedules", list, "warnings"));
}

static void expiry_by_id(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id;
    if (sb_parse_i64(req->params[0], 1, INT64_MAX, &id)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid customer id");
        return;
    }
    enum member_status s = member_exists(req->db, id);
    if (s == MEMBER_NOT_FOUND) {
        sb_reply_v2_error(resp, 404, 8015, "Customer not found for the given identifiers");
        return;
    }
    if (s != MEMBER_OK) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    expiry_reply(req, resp, id);
}

static void expiry_lookup(struct sb_req *req, struct sb_resp *resp)
{
    int64_t id;
    if (resolve_member(req, resp, false, &id))
        expiry_reply(req, resp, id);
}

const struct sb_route sb_routes_ledger[] = {
    {"GET", "/v2/pointsLedger/getCustomerLedgerInfo", ledger_info, 0},
    {"GET", "/v2/pointsLedger/getCustomerLedgerBalance", ledger_balance, 0},
    {"GET", "/v2/customers/{id}/pointsExpirySchedule", expiry_by_id, 0},
    {"GET", "/v2/customers/lookup/pointsExpirySchedule", expiry_lookup, 0},
};
SB_ROUTES_END(ledger);
