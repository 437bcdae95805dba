/*
 * coupon_json.h - the coupon store rendered in the dialects of part 2
 * §1.1: v2 detailed (customer coupons), v2 basic (GET /v2/coupon), v1.1
 * (coupon/get), and coupon series in v2 (camelCase) and v1.1 (snake_case,
 * numbers and flags as strings).
 *
 * Choices where the reference is silent (UNCONFIRMED there):
 *   - redemptionInfo / reversedRedemptionInfo entries mirror the basic
 *     dialect's `redemptions` entries: {id, date, transactionNumber,
 *     redeemedAt{code,name}}; reversed ones add `reversedOn`.
 *   - couponStatus carries the coupon's state as a §1.17 code: 200
 *     "Success" while usable, 711 redeemed, 713 expired, 660 revoked; the
 *     sibling `status` is the row's fetch status (always 200).
 *   - Series objects carry numIssued / numRedeemed next to maxCreate, and
 *     expiryStrategyType DAYS with expiryStrategyValue 90: an issued coupon
 *     is valid for 90 days, never past the series' validTillDate.
 */
#ifndef MC_SANDBOX_COUPON_JSON_H
#define MC_SANDBOX_COUPON_JSON_H

#include <jansson.h>
#include <time.h>

#include "sandbox/coupon_db.h"

#define COUPON_VALID_DAYS 90

struct store_conn;

/* The validity of a coupon issued now from s: end of day in 90 days, but
 * not after the series ends. */
void coupon_valid_till_for(const struct coupon_series_row *s, time_t now,
                           char out[SBTIME_ISO_LEN]);

json_t *coupon_json_series_v2(const struct coupon_series_row *s);
json_t *coupon_json_series_v11(const struct coupon_series_row *s, bool extended);

/* The §1.2 object; NULL on a database error. code_case as for coupon_code_case. */
json_t *coupon_json_detailed(struct store_conn *db, const struct coupon_row *c, time_t now,
                             const char *code_case);
/* The §1.5 data item. */
json_t *coupon_json_basic(const struct coupon_row *c, const char *code_case);
/* The §1.6 item (without item_status); NULL on a database error. */
json_t *coupon_json_v11(struct store_conn *db, const struct coupon_row *c, bool with_user_id);

#endif
