/*
 * routes.h - the registry of route files.
 *
 * To add routes: write sandbox/routes_<name>.c with
 *
 *     const struct sb_route sb_routes_<name>[] = {
 *         {"GET", "/v2/customers/{id}/coupons", get_coupons, 0},
 *         {"POST", "/v1.1/request/approve", approve, SB_ROUTE_CHECKER},
 *     };
 *     SB_ROUTES_END(<name>);
 *
 * add `_(<name>)` to SB_ROUTE_FILES below and the file to
 * sandbox/CMakeLists.txt. The router picks it up; nothing else changes.
 */
#ifndef MC_SANDBOX_ROUTES_H
#define MC_SANDBOX_ROUTES_H

#include "sandbox/router.h"

#define SB_ROUTE_FILES(_) \
    _(oauth)              \
    _(customer)           \
    _(customer_search)    \
    _(customer_v11)       \
    _(tickets)            \
    _(notes)              \
    _(interactions)       \
    _(requests)           \
    _(requests_read)      \
    _(coupons)            \
    _(coupon_write)       \
    _(ledger)             \
    _(ledger_txn)

#define SB_ROUTE_DECLARE(name)                        \
    extern const struct sb_route sb_routes_##name[]; \
    extern const size_t sb_routes_##name##_count;
SB_ROUTE_FILES(SB_ROUTE_DECLARE)
#undef SB_ROUTE_DECLARE

#endif
