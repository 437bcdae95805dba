/*
 * seed.c - seed_run: the reference tables, the fixed members, the
 * generated members and the pending requests, in one transaction.
 *
 * The fixed members, which tests rely on:
 *   565000001 Asha Rao     Gold, exactly 12,450 points, ~300 ledger events,
 *                          coupons in every state, 3 tickets (1 open),
 *                          messages (SMS delivered and one failed), 2 notes
 *   565000002 Ravi Kumar   Silver, one pending goodwill points request
 *   565000003 Neha Singh   enrolled today, no activity at all
 *   565000004 Zoë Ångström 山田  non-ASCII and double-width name
 *   565000100 Meera Iyer   Platinum, over 100,000 ledger entries in ten years
 * Generated member k is 565100000 + k. Insert speed comes from one
 * transaction, cached prepared statements and synchronous=OFF while seeding.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/org.h"
#include "sandbox/sbtime.h"
#include "sandbox/seed_data.h"
#include "sandbox/seed_priv.h"

static const char *const ins_sql[INS_COUNT] = {
    [INS_CUSTOMER] =
        "INSERT INTO customers (id, first_name, last_name, fraud_status, gender, city, tier_id,"
        " tier_expiry, loyalty_id, lifetime_purchases, created_on, updated_on, created_till_id,"
        " registered_store_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [INS_IDENT] = "INSERT INTO identifiers (customer_id, type, value) VALUES (?,?,?)",
    [INS_SUMMARY] =
        "INSERT INTO points_summary (customer_id, loyalty_points, lifetime_points, redeemed,"
        " expired, returned, adjusted, delayed_points) VALUES (?,?,?,?,?,?,?,?)",
    [INS_EVENT] =
        "INSERT INTO ledger_events (id, customer_id, event_name, status, created_on, net_points,"
        " transaction_id, bill_number, store_id, till_id, reason, unique_id)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    [INS_ENTRY] =
        "INSERT INTO ledger_entries (id, event_id, entry_type, category, points, expiry_date)"
        " VALUES (?,?,?,?,?,?)",
    [INS_EXPIRY] =
        "INSERT INTO expiry_schedule (customer_id, expiry_date, points_type, points)"
        " VALUES (?,?,?,?)",
    [INS_TXN] =
        "INSERT INTO transactions (id, customer_id, bill_number, billing_time, amount,"
        " gross_amount, discount, store_id, till_id, points_earned) VALUES (?,?,?,?,?,?,?,?,?,?)",
    [INS_LINE] =
        "INSERT INTO transaction_lines (id, transaction_id, serial, item_code, description, qty,"
        " rate, value, discount, amount) VALUES (?,?,?,?,?,?,?,?,?,?)",
    [INS_COUPON] =
        "INSERT INTO coupons (id, code, series_id, customer_id, status, issued_on,"
        " issued_store_id, issued_till_id, valid_till, redeemed_on, redeemed_store_id,"
        " redeemed_till_id, redeemed_bill, revoked_on, revoked_till_id)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [INS_TICKET] =
        "INSERT INTO tickets (id, code, customer_id, status, priority, department, subject,"
        " message, reported_from, created_on, updated_on, created_till_id)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    [INS_TICKET_FIELD] = "INSERT INTO ticket_custom_fields (ticket_id, name, value) VALUES (?,?,?)",
    [INS_TICKET_COMMENT] =
        "INSERT INTO ticket_comments (id, ticket_id, till_id, text, new_status, created_on)"
        " VALUES (?,?,?,?,?,?)",
    [INS_NOTE] =
        "INSERT INTO notes (id, customer_id, text, till_id, created_on, updated_on)"
        " VALUES (?,?,?,?,?,?)",
    [INS_INTERACTION] =
        "INSERT INTO interactions (id, customer_id, channel, receiver, subject, message, sent_on,"
        " delivered_on, status, campaign_id) VALUES (?,?,?,?,?,?,?,?,?,?)",
    [INS_REQUEST] =
        "INSERT INTO requests (id, reference_id, customer_id, type, base_type, points, series_id,"
        " old_value, new_value, reason, comments, status, approved_value, program_id,"
        " raised_by_till_id, raised_on, decided_by_till_id, decided_on, updated_comments)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    [INS_REQUEST_LOG] =
        "INSERT INTO request_logs (id, request_id, action, till_id, at, comments)"
        " VALUES (?,?,?,?,?,?)",
};

/* First primary key per table, in the ranges of the reference samples. */
static const int64_t first_id[INS_COUNT] = {
    [INS_EVENT] = 500000001, [INS_ENTRY] = 1, [INS_TXN] = 180000001, [INS_LINE] = 1,
    [INS_COUPON] = 4100001, [INS_TICKET] = 1, [INS_TICKET_COMMENT] = 1, [INS_NOTE] = 1,
    [INS_INTERACTION] = 1750000000001, [INS_REQUEST] = 7001, [INS_REQUEST_LOG] = 1,
};

void seed_fail(struct seeder *s, const char *what)
{
    if (s->failed)
        return;
    s->failed = true;
    snprintf(s->err, s->errlen, "seeding failed at %s: %s", what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *seed_begin(struct seeder *s, enum seed_ins which)
{
    return s->ins[which];
}

void seed_text(sqlite3_stmt *st, int col, const char *v)
{
    /* Every bound string outlives the seed_step that follows, so SQLite
     * need not copy it. */
    if (v)
        sqlite3_bind_text(st, col, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, col);
}

void seed_i64(sqlite3_stmt *st, int col, int64_t v)
{
    sqlite3_bind_int64(st, col, v);
}

void seed_real(sqlite3_stmt *st, int col, double v)
{
    sqlite3_bind_double(st, col, v);
}

void seed_null(sqlite3_stmt *st, int col)
{
    sqlite3_bind_null(st, col);
}

void seed_step(struct seeder *s, sqlite3_stmt *st, const char *what)
{
    if (!s->failed && sqlite3_step(st) != SQLITE_DONE)
        seed_fail(s, what);
    sqlite3_reset(st);
}

int64_t seed_next_id(struct seeder *s, enum seed_ins which)
{
    return s->next_id[which]++;
}

static void request_log(struct seeder *s, int64_t request, const char *action, int64_t till,
                        time_t at, const char *comments)
{
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(at, iso);
    sqlite3_stmt *st = seed_begin(s, INS_REQUEST_LOG);
    seed_i64(st, 1, seed_next_id(s, INS_REQUEST_LOG));
    seed_i64(st, 2, request);
    seed_text(st, 3, action);
    seed_i64(st, 4, till);
    seed_text(st, 5, iso);
    seed_text(st, 6, comments);
    seed_step(s, st, "request log");
}

void seed_request(struct seeder *s, struct prng *r, int64_t customer, const char *type,
                  const char *base, double points, int64_t series, const char *old_value,
                  const char *new_value, const char *reason, const char *status,
                  int64_t raised_by, time_t raised_on, int64_t decided_by, time_t decided_on)
{
    if (s->failed)
        return;
    int64_t id = seed_next_id(s, INS_REQUEST);
    const char *comments = seed_request_comments[prng_range(r, 0, (int64_t)seed_request_comments_count - 1)];
    char ref[32], iso_r[SBTIME_ISO_LEN], iso_d[SBTIME_ISO_LEN], approved[32];
    snprintf(ref, sizeof ref, "REF-%08lld", (long long)id);
    sbtime_iso(raised_on, iso_r);
    sbtime_iso(decided_on, iso_d);
    bool decided = strcmp(status, "PENDING") != 0;
    bool approved_points = strcmp(status, "APPROVED") == 0 && strcmp(base, "POINTS") == 0;
    snprintf(approved, sizeof approved, "%.0f", points);
    const char *verdict = strcmp(status, "APPROVED") == 0 ? "Approved" : "Rejected";

    sqlite3_stmt *st = seed_begin(s, INS_REQUEST);
    seed_i64(st, 1, id);
    seed_text(st, 2, ref);
    seed_i64(st, 3, customer);
    seed_text(st, 4, type);
    seed_text(st, 5, base);
    if (strcmp(base, "POINTS") == 0)
        seed_real(st, 6, points);
    else
        seed_null(st, 6);
    if (series)
        seed_i64(st, 7, series);
    else
        seed_null(st, 7);
    seed_text(st, 8, old_value);
    seed_text(st, 9, new_value);
    seed_text(st, 10, reason);
    seed_text(st, 11, comments);
    seed_text(st, 12, status);
    seed_text(st, 13, approved_points ? approved : NULL);
    if (strcmp(type, "GOODWILL") == 0)
        seed_i64(st, 14, SB_PROGRAM_ID);
    else
        seed_null(st, 14);
    seed_i64(st, 15, raised_by);
    seed_text(st, 16, iso_r);
    if (decided) {
        seed_i64(st, 17, decided_by);
        seed_text(st, 18, iso_d);
    } else {
        seed_null(st, 17);
        seed_null(st, 18);
    }
    seed_text(st, 19, decided ? verdict : "");
    seed_step(s, st, "request");
    s->stats->requests++;
    request_log(s, id, "RAISED", raised_by, raised_on, comments);
    if (decided)
        request_log(s, id, strcmp(status, "APPROVED") == 0 ? "APPROVED" : "REJECTED",
                    decided_by, decided_on, verdict);
}

static int exec(struct seeder *s, const char *sql)
{
    if (s->failed)
        return -1;
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(s->err, s->errlen, "seeding failed: %s", msg ? msg : sqlite3_errmsg(s->db));
        sqlite3_free(msg);
        s->failed = true;
        return -1;
    }
    return 0;
}

/* Runs one parameterised statement over a row of text/integer values.
 * fmt has one letter per column: 't' text, 'i' integer, 'r' real. */
static void row(struct seeder *s, const char *sql, const char *fmt, ...)
{
    if (s->failed)
        return;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        seed_fail(s, sql);
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    for (int i = 0; fmt[i]; i++) {
        if (fmt[i] == 't')
            seed_text(st, i + 1, va_arg(ap, const char *));
        else if (fmt[i] == 'i')
            seed_i64(st, i + 1, va_arg(ap, int64_t));
        else
            seed_real(st, i + 1, va_arg(ap, double));
    }
    va_end(ap);
    if (sqlite3_step(st) != SQLITE_DONE)
        seed_fail(s, sql);
    sqlite3_finalize(st);
}

static void reference_tables(struct seeder *s, const struct seed_opts *o)
{
    char iso[SBTIME_ISO_LEN], buf[32];
    sbtime_iso(s->now, iso);
    const char *cfg = "INSERT INTO org_config (key, value) VALUES (?, ?)";
    snprintf(buf, sizeof buf, "%d", SB_ORG_ID);
    row(s, cfg, "tt", "org_id", buf);
    snprintf(buf, sizeof buf, "%d", SB_PROGRAM_ID);
    row(s, cfg, "tt", "program_id", buf);
    row(s, cfg, "tt", "program_title", SB_PROGRAM_TITLE);
    row(s, cfg, "tt", "currency", "INR");
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)o->seed);
    row(s, cfg, "tt", "seed", buf);
    snprintf(buf, sizeof buf, "%ld", o->customers);
    row(s, cfg, "tt", "customers", buf);

    for (size_t i = 0; i < seed_stores_count; i++) {
        const struct seed_store *st = &seed_stores[i];
        row(s, "INSERT INTO stores (id, code, name, city) VALUES (?,?,?,?)", "ittt",
            (int64_t)i + 1, st->code, st->name, st->city);
        char code[32], name[64];
        snprintf(code, sizeof code, "%s.pos1", st->code);
        snprintf(name, sizeof name, "%s POS 1", st->name);
        row(s, "INSERT INTO tills (id, code, name, password_md5, store_id) VALUES (?,?,?,?,?)",
            "ittti", SB_TILL_POS + (int64_t)i + 1, code, name, SB_DEMO_MD5, (int64_t)i + 1);
    }
    static const struct {
        int64_t id;
        const char *code, *name;
        int make, check;
    } tills[] = {
        {SB_TILL_AGENT, "demo.agent", "Demo Agent", 1, 0},
        {SB_TILL_SUPERVISOR, "demo.supervisor", "Demo Supervisor", 1, 1},
        {SB_TILL_VIEWER, "demo.viewer", "Demo Viewer", 0, 0},
    };
    for (size_t i = 0; i < sizeof tills / sizeof tills[0]; i++) {
        row(s, "INSERT INTO tills (id, code, name, password_md5, store_id) VALUES (?,?,?,?,?)",
            "ittti", tills[i].id, tills[i].code, tills[i].name, SB_DEMO_MD5, (int64_t)1);
        const char *perm = "INSERT INTO till_permissions (till_id, permission) VALUES (?,?)";
        if (tills[i].make)
            row(s, perm, "it", tills[i].id, "CanMakeRequest");
        if (tills[i].check)
            row(s, perm, "it", tills[i].id, "CanCheckRequest");
    }
    const char *client = "INSERT INTO oauth_clients (key, secret, till_id) VALUES (?,?,?)";
    row(s, client, "tti", "demo-key", "demo-secret", SB_TILL_AGENT);
    row(s, client, "tti", "demo-supervisor-key", "demo-supervisor-secret", SB_TILL_SUPERVISOR);

    static const struct {
        const char *name, *description;
        double floor;
    } tiers[] = {
        {"Bronze", "Bronze tier", 0},
        {"Silver", "Silver tier", 2500},
        {"Gold", "Gold tier", 10000},
        {"Platinum", "Platinum tier", 25000},
    };
    for (int i = 0; i < 4; i++)
        row(s,
            "INSERT INTO tiers (id, serial, name, description, min_lifetime_points)"
            " VALUES (?,?,?,?,?)",
            "iittr", (int64_t)i + 1, (int64_t)i + 1, tiers[i].name, tiers[i].description,
            tiers[i].floor);

    for (size_t i = 0; i < seed_series_list_count; i++) {
        const struct seed_series *sr = &seed_series_list[i];
        char valid[SBTIME_ISO_LEN], created[SBTIME_ISO_LEN];
        time_t end = s->now + sr->valid_days * DAY;
        sbtime_iso(end - end % DAY + DAY - 1, valid);
        sbtime_iso(s->now - 3650 * DAY, created);
        row(s,
            "INSERT INTO coupon_series (id, code, description, discount_type, discount_value,"
            " discount_upto, valid_till, max_issue, created_on) VALUES (?,?,?,?,?,?,?,?,?)",
            "itttrrtit", (int64_t)i + 1, sr->code, sr->description, sr->discount_type, sr->value,
            sr->upto, valid, (int64_t)sr->max_issue, created);
    }
    for (size_t i = 0; i < seed_departments_count; i++)
        row(s, "INSERT INTO ticket_departments (id, name) VALUES (?,?)", "it", (int64_t)i + 1,
            seed_departments[i]);
    for (size_t i = 0; i < seed_ticket_statuses_count; i++)
        row(s, "INSERT INTO ticket_statuses (id, name, is_open) VALUES (?,?,?)", "iti",
            (int64_t)i + 1, seed_ticket_statuses[i].code,
            (int64_t)(seed_ticket_statuses[i].description[0] == '1'));
    for (size_t i = 0; i < seed_priorities_count; i++)
        row(s, "INSERT INTO ticket_priorities (id, name, rank) VALUES (?,?,?)", "iti",
            (int64_t)i + 1, seed_priorities[i], (int64_t)i + 1);
    for (size_t i = 0; i < seed_goodwill_reasons_count; i++)
        row(s, "INSERT INTO goodwill_reasons (code, description) VALUES (?,?)", "tt",
            seed_goodwill_reasons[i].code, seed_goodwill_reasons[i].description);
}

static void fixed_members(struct seeder *s)
{
    time_t now = s->now;
    struct prng r;
    struct member_spec m;

    memset(&m, 0, sizeof m);
    m.id = SB_ID_ASHA;
    m.first = "Asha";
    m.last = "Rao";
    m.gender = "Female";
    m.city = "Bengaluru";
    m.mobile = "919845000001";
    m.email = "asha.rao@example.com";
    m.external_id = "MC-000001";
    m.card = "6080000000000001";
    m.enrolled = now - 2190 * DAY - 5 * 3600;
    m.events = 300;
    m.earn_rate = 0.12;
    m.target_points = 12450;
    m.tier_serial = 3;
    m.home_store = 1;
    m.created_till = SB_TILL_POS + 1;
    m.delayed_recent = true;
    m.coupons[CS_ACTIVE] = 2;
    m.coupons[CS_REDEEMED] = 2;
    m.coupons[CS_EXPIRED] = 1;
    m.coupons[CS_REVOKED] = 1;
    m.open_tickets = 1;
    m.closed_tickets = 2;
    m.notes = 2;
    m.sms_delivered = 4;
    m.sms_failed = 1;
    m.emails = 2;
    m.pushes = 1;
    prng_seed2(&r, s->seed, (uint64_t)m.id);
    seed_member(s, &m, &r);

    memset(&m, 0, sizeof m);
    m.id = SB_ID_RAVI;
    m.first = "Ravi";
    m.last = "Kumar";
    m.gender = "Male";
    m.city = "Mumbai";
    m.mobile = "919845000002";
    m.email = "ravi.kumar@example.com";
    m.external_id = "MC-000002";
    m.card = "6080000000000002";
    m.enrolled = now - 1100 * DAY;
    m.events = 60;
    m.earn_rate = 0.04;
    m.tier_serial = 2;
    m.home_store = 2;
    m.created_till = SB_TILL_POS + 2;
    m.coupons[CS_ACTIVE] = 1;
    m.coupons[CS_REDEEMED] = 1;
    m.sms_delivered = 1;
    prng_seed2(&r, s->seed, (uint64_t)m.id);
    seed_member(s, &m, &r);

    memset(&m, 0, sizeof m);
    m.id = SB_ID_NEHA;
    m.first = "Neha";
    m.last = "Singh";
    m.gender = "Female";
    m.city = "Delhi";
    m.mobile = "919845000003";
    m.email = "neha.singh@example.com";
    m.external_id = "MC-000003";
    m.card = "6080000000000003";
    /* Today, whatever the hour: half-way between midnight and now. */
    m.enrolled = now - (now % DAY) / 2;
    m.earn_rate = 0.05;
    m.tier_serial = 1;
    m.home_store = 3;
    m.created_till = SB_TILL_AGENT;
    m.no_activity = true;
    prng_seed2(&r, s->seed, (uint64_t)m.id);
    seed_member(s, &m, &r);

    memset(&m, 0, sizeof m);
    m.id = SB_ID_ZOE;
    m.first = "Zoë";
    m.last = "Ångström 山田";
    m.gender = "Female";
    m.city = "Bengaluru";
    m.mobile = "919845000004";
    m.email = "zoe@example.com";
    m.external_id = "MC-000004";
    m.card = "6080000000000004";
    m.enrolled = now - 700 * DAY;
    m.events = 30;
    m.earn_rate = 0.05;
    m.home_store = 8;
    m.created_till = SB_TILL_POS + 8;
    m.coupons[CS_ACTIVE] = 1;
    m.emails = 1;
    prng_seed2(&r, s->seed, (uint64_t)m.id);
    seed_member(s, &m, &r);

    memset(&m, 0, sizeof m);
    m.id = SB_ID_MEERA;
    m.first = "Meera";
    m.last = "Iyer";
    m.gender = "Female";
    m.city = "Chennai";
    m.mobile = "919845000100";
    m.email = "meera.iyer@example.com";
    m.external_id = "MC-000100";
    m.card = "6080000000000100";
    m.enrolled = now - 3652 * DAY;
    m.events = 107000;
    m.earn_rate = 0.05;
    m.tier_serial = 4;
    m.home_store = 4;
    m.created_till = SB_TILL_POS + 4;
    m.coupons[CS_ACTIVE] = 1;
    m.coupons[CS_REDEEMED] = 2;
    m.coupons[CS_EXPIRED] = 1;
    m.closed_tickets = 1;
    m.notes = 1;
    m.sms_delivered = 2;
    prng_seed2(&r, s->seed, (uint64_t)m.id);
    seed_member(s, &m, &r);
}

/* About 40 pending goodwill requests spread over the generated members,
 * Ravi's one, and a few pending email changes; a few raised by the
 * supervisor, who then cannot approve them (maker/checker). */
static void pending_requests(struct seeder *s, long customers)
{
    struct prng r;
    prng_seed2(&r, s->seed, 0x7265717565737473ULL);
    time_t now = s->now;
    seed_request(s, &r, SB_ID_RAVI, "GOODWILL", "POINTS", 500, 0, NULL, NULL, "POINTS_ISSUE",
                 "PENDING", SB_TILL_AGENT, now - 2 * DAY - 3 * 3600, 0, 0);
    long n = customers < 40 ? customers : 40;
    for (long k = 0; k < n && !s->failed; k++) {
        int64_t customer = SB_ID_GENERATED + k * customers / n;
        bool coupon = k % 7 == 3;
        const char *reason = seed_goodwill_reasons[prng_range(&r, 0, (int64_t)seed_goodwill_reasons_count - 1)].code;
        int64_t raised_by = k % 10 == 9 ? SB_TILL_SUPERVISOR : SB_TILL_AGENT;
        time_t raised = now - prng_range(&r, 3600, 20 * DAY);
        if (coupon)
            seed_request(s, &r, customer, "GOODWILL", "COUPON", 0,
                         (k % 2 ? 6 : 3), NULL, NULL, reason, "PENDING", raised_by, raised, 0, 0);
        else
            seed_request(s, &r, customer, "GOODWILL", "POINTS",
                         50.0 * (double)prng_range(&r, 2, 20), 0, NULL, NULL, reason, "PENDING",
                         raised_by, raised, 0, 0);
    }
    long changes = customers < 5 ? customers : 5;
    sqlite3_stmt *st = NULL;
    if (changes > 0 &&
        sqlite3_prepare_v2(s->db,
                           "SELECT value FROM identifiers WHERE customer_id = ? AND type = 'email'",
                           -1, &st, NULL) != SQLITE_OK) {
        seed_fail(s, "email lookup");
        return;
    }
    for (long k = 0; k < changes && !s->failed; k++) {
        int64_t customer = SB_ID_GENERATED + (2 * k + 1) * customers / (2 * changes);
        sqlite3_bind_int64(st, 1, customer);
        if (sqlite3_step(st) == SQLITE_ROW) {
            char old_value[128], new_value[140];
            snprintf(old_value, sizeof old_value, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(new_value, sizeof new_value, "new.%s", old_value);
            seed_request(s, &r, customer, "CHANGE_IDENTIFIER", "EMAIL", 0, 0, old_value,
                         new_value, NULL, "PENDING", SB_TILL_AGENT,
                         now - prng_range(&r, 3600, 10 * DAY), 0, 0);
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

int seed_run(sqlite3 *db, const struct seed_opts *o, struct seed_stats *stats, char *err,
             size_t errlen)
{
    struct seeder s = {.db = db, .now = o->now, .seed = o->seed, .stats = stats, .err = err,
                       .errlen = errlen};
    memset(stats, 0, sizeof *stats);
    memcpy(s.next_id, first_id, sizeof s.next_id);
    /* Members are written after their history, so references point forward
     * until the commit; the generator keeps them consistent by construction. */
    int fk = 0;
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA foreign_keys", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        fk = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    sqlite3_exec(db, "PRAGMA foreign_keys=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-4096",
                 NULL, NULL, NULL);
    if (exec(&s, "BEGIN IMMEDIATE"))
        goto out;
    for (int i = 0; i < INS_COUNT; i++) {
        if (sqlite3_prepare_v3(db, ins_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &s.ins[i], NULL) !=
            SQLITE_OK) {
            seed_fail(&s, "preparing the inserts");
            goto rollback;
        }
    }
    reference_tables(&s, o);
    fixed_members(&s);
    seed_tickets(&s);
    char buf[256];
    for (long k = 0; k < o->customers && !s.failed; k++) {
        struct prng r;
        struct member_spec m;
        prng_seed2(&r, s.seed, (uint64_t)(SB_ID_GENERATED + k));
        seed_generated_spec(&s, k, &r, &m, buf, sizeof buf);
        seed_member(&s, &m, &r);
    }
    pending_requests(&s, o->customers);
    seed_coupons(&s, o->customers);
    exec(&s, "UPDATE coupon_series SET issued_count ="
             " (SELECT count(*) FROM coupons WHERE coupons.series_id = coupon_series.id)");
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(s.now, iso);
    row(&s, "INSERT INTO org_config (key, value) VALUES ('seeded_at', ?)", "t", iso);
    if (s.failed)
        goto rollback;
    if (exec(&s, "COMMIT") == 0)
        goto out;
rollback:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
    for (int i = 0; i < INS_COUNT; i++)
        sqlite3_finalize(s.ins[i]);
    free(s.lots);
    free(s.txns);
    sqlite3_exec(db, "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-2000", NULL, NULL, NULL);
    if (fk)
        sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
    return s.failed ? -1 : 0;
}
