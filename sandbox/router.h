/*
 * router.h - the table of routes: (method, path pattern, handler, flags).
 *
 * A pattern is a path whose segments are literals or {name} captures, e.g.
 * "/v2/customers/{id}/points/balance". When several patterns match a path,
 * the one with more literal segments wins, so "/v2/customers/search" beats
 * "/v2/customers/{id}" whatever the table order.
 *
 * Route files register themselves in routes.h; see there for how to add one.
 */
#ifndef MC_SANDBOX_ROUTER_H
#define MC_SANDBOX_ROUTER_H

#include <stddef.h>

#include "sandbox/http.h"

typedef void (*sb_handler)(struct sb_req *req, struct sb_resp *resp);

enum sb_route_flags {
    SB_ROUTE_PUBLIC = 1u << 0,  /* no authentication (the token endpoint) */
    SB_ROUTE_MAKER = 1u << 1,   /* caller needs CanMakeRequest */
    SB_ROUTE_CHECKER = 1u << 2, /* caller needs CanCheckRequest */
};

struct sb_route {
    const char *method;
    const char *pattern;
    sb_handler handler;
    unsigned flags;
};

/* Ends a route file: defines sb_routes_<name>_count next to the table. */
#define SB_ROUTES_END(name) \
    const size_t sb_routes_##name##_count = sizeof sb_routes_##name / sizeof sb_routes_##name[0]

enum router_match { ROUTER_FOUND, ROUTER_NO_PATH, ROUTER_NO_METHOD };

struct router;

/* Builds the router from the tables listed in routes.h. NULL when a pattern
 * is malformed (a programming error, reported on stderr) or out of memory. */
struct router *router_new(void);
/* Same, from an explicit table (tests). The table is borrowed. */
struct router *router_new_from(const struct sb_route *routes, size_t n);
void router_free(struct router **r);

/* Matches method + path. On ROUTER_FOUND, *route is set and params[] point
 * into scratch (which must hold strlen(path) + 1 bytes; longer paths do not
 * match). */
enum router_match router_find(const struct router *r, const char *method, const char *path,
                              char *scratch, size_t scratch_len, const struct sb_route **route,
                              const char *params[SB_MAX_PARAMS], size_t *n_params);

#endif
