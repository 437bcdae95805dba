/*
 * seed.h - the deterministic demo-data generator.
 *
 * seed_run fills a freshly migrated database in one transaction: the org's
 * reference tables (stores, tills and permissions, OAuth clients, tiers,
 * coupon series, ticket departments/statuses/priorities, goodwill reasons),
 * the fixed members of org.h, `customers` generated members, and about 40
 * pending goodwill requests. The same (seed, customers, now) always gives
 * the same rows; each generated member draws from its own PRNG stream, so
 * member k is the same whatever the member count.
 */
#ifndef MC_SANDBOX_SEED_H
#define MC_SANDBOX_SEED_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct seed_opts {
    uint64_t seed;
    long customers; /* generated members, besides the fixed ones */
    time_t now;     /* "today" for every generated date */
};

struct seed_stats {
    long members, ledger_events, ledger_entries, transactions, lines;
    long coupons, tickets, notes, interactions, requests;
};

/* Returns 0, or -1 with err filled (the transaction is rolled back). */
int seed_run(sqlite3 *db, const struct seed_opts *o, struct seed_stats *stats, char *err,
             size_t errlen);

#endif
