/*
 * coupon_db.h - one coupon store behind every coupon route (part 2 §5:
 * "keep one coupon store and render it through the three dialects").
 *
 * A coupon row joins its series and issuing store; its state is derived,
 * never trusted from the stored status alone:
 *   REVOKED   the row says so (a revoke is final);
 *   REDEEMED  no redemptions left (the series allows max_redeem per coupon,
 *             -1 = unlimited; reversed redemptions give theirs back);
 *   EXPIRED   valid_till is in the past (or the row was stored expired);
 *   ACTIVE    otherwise.
 * The stored status column is kept in step on every write so plain SQL on
 * the database (tests, demos) reads the same answer.
 */
#ifndef MC_SANDBOX_COUPON_DB_H
#define MC_SANDBOX_COUPON_DB_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "sandbox/sbtime.h"

struct store_conn;
struct sb_req;

enum coupon_state { COUPON_ACTIVE, COUPON_REDEEMED, COUPON_EXPIRED, COUPON_REVOKED };

struct coupon_series_row {
    int64_t id;
    char code[64], description[160], discount_type[8];
    double value, upto;
    char valid_till[SBTIME_ISO_LEN];
    int64_t max_issue, issued, max_redeem, redeemed;
    char created_on[SBTIME_ISO_LEN];
};

struct coupon_row {
    int64_t id;
    char code[64];
    int64_t customer_id;
    char status[12];                       /* the stored status column */
    char issued_on[SBTIME_ISO_LEN], valid_till[SBTIME_ISO_LEN];
    char revoked_on[SBTIME_ISO_LEN];       /* "" when not revoked */
    int64_t issued_till_id, issued_store_id;
    char store_code[32], store_name[96];
    int64_t used;                          /* redemptions not reversed */
    struct coupon_series_row series;
};

enum coupon_db_result { COUPON_DB_OK, COUPON_DB_NOT_FOUND, COUPON_DB_ERROR };

/* Loads one coupon by code (case-insensitive) or by id. */
enum coupon_db_result coupon_by_code(struct store_conn *db, const char *code, struct coupon_row *c);
enum coupon_db_result coupon_by_id(struct store_conn *db, int64_t id, struct coupon_row *c);
/* Loads one series. */
enum coupon_db_result coupon_series_by_id(struct store_conn *db, int64_t id,
                                          struct coupon_series_row *s);

/* Redemptions left on c: -1 = unlimited. */
int64_t coupon_redemptions_left(const struct coupon_row *c);
enum coupon_state coupon_state(const struct coupon_row *c, time_t now);
/* The stored status word for a state. */
const char *coupon_state_word(enum coupon_state s);
/* True when the instant text is before now (malformed text counts as past). */
bool coupon_time_past(const char *iso, time_t now);

/* Why c cannot be redeemed by customer (0 when it can), with the §1.17
 * code's message. customer 0 skips the ownership check. */
long coupon_refusal(const struct coupon_row *c, int64_t customer, time_t now, const char **message);

/* Writes `case` (LOWER, UPPER, AS_IT_IS; any case; NULL = UPPER) of code
 * into out. Returns false for an unknown case word. */
bool coupon_code_case(const char *code, const char *mode, char *out, size_t n);

/* The member one of id, mobile, email or external id names (the first one
 * given wins; NULL or "" means not given). NOT_FOUND also when none is
 * given; *given tells the two apart. */
enum coupon_db_result coupon_customer(struct store_conn *db, const char *id, const char *mobile,
                                      const char *email, const char *external, bool *given,
                                      int64_t *out);

/* Every value of query key `key`, repeated keys and comma lists alike
 * (?k=a&k=b,c -> a, b, c), copied into buf; empty items are skipped. Returns
 * how many were found (may exceed max: only max are stored), or -1 when buf
 * is too small. */
long coupon_arg_values(const struct sb_req *req, const char *key, char *buf, size_t buflen,
                       const char **out, size_t max);

#endif
