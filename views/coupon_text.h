/*
 * coupon_text.h - the words and small decisions the coupon screens share:
 * dates, discounts, states, the validity a new coupon will get, and how a
 * retried issue recognises a coupon the lost attempt created. Pure
 * functions of their arguments (no curses, no I/O), so they are unit
 * tested on their own.
 */
#ifndef MC_VIEWS_COUPON_TEXT_H
#define MC_VIEWS_COUPON_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"

/* "31 Dec 2026 23:59" from an ISO instant, in the wall-clock time the server
 * wrote (a coupon valid till 23:59 stays 23:59 whatever the terminal's
 * zone); "31 Dec 2026" for a bare date; the text itself when it is neither;
 * "-" for NULL or "". */
void coupon_fmt_time(const char *iso, char *buf, size_t n);
/* The date part only: "31 Dec 2026". */
void coupon_fmt_date(const char *iso, char *buf, size_t n);
/* "20% off", "250 off"; with_cap adds ", up to 1,000" when a percentage is capped. */
void coupon_fmt_discount(const char *type, double value, double upto, bool with_cap, char *buf,
                         size_t n);
/* The series' name for sentences: its code, else its description, else "#id". */
const char *coupon_series_label(const struct mc_coupon_series *s, char *buf, size_t n);
/* "Active", "Redeemed", "Expired", "Revoked". */
const char *coupon_state_name(enum mc_coupon_state s);

/* Whether the series ended before now (UTC seconds). Unknown end: false. */
bool coupon_series_ended(const struct mc_coupon_series *s, long long now);
/* The date a coupon issued now from s will be valid till ("31 Dec 2026"):
 * the series end, or sooner for a DAYS / MONTHS_END expiry strategy.
 * false (buf "") when the series gives no end date. */
bool coupon_issue_valid_till(const struct mc_coupon_series *s, long long now, char *buf, size_t n);

/* The index in list of a coupon of series_id whose code is not among
 * known[0..n_known), or -1. After an issue whose answer was lost, such a
 * coupon is the one the attempt created. */
long coupon_find_new(const struct mc_coupon_list *list, char *const *known, size_t n_known,
                     int64_t series_id);

#endif
