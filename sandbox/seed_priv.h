/*
 * seed_priv.h - what seed.c (reference tables, fixed members, requests)
 * and seed_member.c (one member's history) share.
 */
#ifndef MC_SANDBOX_SEED_PRIV_H
#define MC_SANDBOX_SEED_PRIV_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "sandbox/prng.h"
#include "sandbox/seed.h"

#define DAY 86400L

/* Prepared inserts; their SQL lives in seed.c. */
enum seed_ins {
    INS_CUSTOMER, INS_IDENT, INS_SUMMARY, INS_EVENT, INS_ENTRY, INS_EXPIRY, INS_TXN, INS_LINE,
    INS_COUPON, INS_TICKET, INS_TICKET_FIELD, INS_TICKET_COMMENT, INS_NOTE, INS_INTERACTION,
    INS_REQUEST, INS_REQUEST_LOG, INS_COUNT
};

struct seed_lot {        /* points earned together, expiring together */
    double points;
    time_t expires;      /* last second of the expiry day */
    bool promo;          /* goodwill (customer_promotions) vs bill_regular */
};

struct seed_txn_ref {    /* a member's bill, for coupon redemptions */
    time_t at;
    int64_t id;
    int store;
};

struct seeder {
    sqlite3 *db;
    time_t now;
    uint64_t seed;
    sqlite3_stmt *ins[INS_COUNT];   /* owned */
    int64_t next_id[INS_COUNT];     /* next primary key per table */
    int64_t coupon_seq, ticket_seq; /* feed the code scramblers */
    struct seed_stats *stats;
    struct seed_lot *lots;          /* owned scratch, reused per member */
    size_t lots_cap;
    struct seed_txn_ref *txns;      /* owned scratch, reused per member */
    size_t txns_cap;
    bool failed;                    /* sticky: the first error wins */
    char *err;
    size_t errlen;
};

/* What a member is before their history is simulated. Strings borrowed. */
struct member_spec {
    int64_t id;
    const char *first, *last, *gender, *city;
    const char *mobile, *email, *external_id, *card;
    time_t enrolled;
    long events;             /* ledger events to simulate after enrolment */
    double earn_rate;        /* points per rupee */
    double target_points;    /* exact final Main balance when > 0 */
    int tier_serial;         /* 0 = derived from lifetime points */
    int home_store;          /* 1-based */
    int64_t created_till;
    bool delayed_recent;     /* bills of the last 14 days earn promised points */
    bool no_activity;        /* not even a registration event */
    const char *fraud_status;
    /* extras; the fixed members set them explicitly */
    int coupons[4];          /* ACTIVE, REDEEMED, EXPIRED, REVOKED counts */
    int open_tickets, closed_tickets, notes;
    int sms_delivered, sms_failed, emails, pushes;
};

enum seed_coupon_state { CS_ACTIVE, CS_REDEEMED, CS_EXPIRED, CS_REVOKED };

/* seed.c: binding and stepping with sticky error reporting */
void seed_fail(struct seeder *s, const char *what);
sqlite3_stmt *seed_begin(struct seeder *s, enum seed_ins which);
void seed_text(sqlite3_stmt *st, int col, const char *v);
void seed_i64(sqlite3_stmt *st, int col, int64_t v);
void seed_real(sqlite3_stmt *st, int col, double v);
void seed_null(sqlite3_stmt *st, int col);
void seed_step(struct seeder *s, sqlite3_stmt *st, const char *what);
int64_t seed_next_id(struct seeder *s, enum seed_ins which);
void seed_request(struct seeder *s, struct prng *r, int64_t customer, const char *type,
                  const char *base, double points, int64_t series, const char *old_value,
                  const char *new_value, const char *reason, const char *status,
                  int64_t raised_by, time_t raised_on, int64_t decided_by, time_t decided_on);

/* seed_tickets.c: the org's ticket custom fields */
void seed_tickets(struct seeder *s);

/* seed_member.c */
void seed_member(struct seeder *s, const struct member_spec *m, struct prng *r);
/* A generated member's spec from its own stream; strings go into buf. */
void seed_generated_spec(struct seeder *s, long k, struct prng *r, struct member_spec *m,
                         char *buf, size_t buflen);

/* seed_coupons.c: extra series and coupons, and the redemption rows */
void seed_coupons(struct seeder *s, long customers);

#endif
