/*
 * router.c - pattern compilation and matching for the route table.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/router.h"
#include "sandbox/routes.h"

#define MAX_SEGMENTS 12

struct compiled {
    const struct sb_route *route;
    size_t n_segments;
    const char *seg[MAX_SEGMENTS]; /* literal text, NULL for a {capture} */
    size_t seg_len[MAX_SEGMENTS];
    size_t literals;
};

struct router {
    struct compiled *routes; /* owned */
    size_t n;
    struct sb_route *merged; /* owned by router_new's routers: the entries routes[] point at */
};

static int compile(const struct sb_route *route, struct compiled *c)
{
    memset(c, 0, sizeof *c);
    c->route = route;
    const char *p = route->pattern;
    size_t captures = 0;
    if (*p != '/')
        return -1;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        const char *end = strchr(p, '/');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (c->n_segments == MAX_SEGMENTS)
            return -1;
        if (p[0] == '{') {
            if (len < 3 || p[len - 1] != '}' || ++captures > SB_MAX_PARAMS)
                return -1;
            c->seg[c->n_segments] = NULL;
        } else {
            c->seg[c->n_segments] = p;
            c->seg_len[c->n_segments] = len;
            c->literals++;
        }
        c->n_segments++;
        p += len;
    }
    return 0;
}

struct router *router_new_from(const struct sb_route *routes, size_t n)
{
    struct router *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->routes = calloc(n ? n : 1, sizeof *r->routes);
    if (!r->routes) {
        free(r);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (compile(&routes[i], &r->routes[i])) {
            fprintf(stderr, "membercare-sandbox: bad route pattern '%s'\n", routes[i].pattern);
            router_free(&r);
            return NULL;
        }
    }
    r->n = n;
    return r;
}

struct router *router_new(void)
{
    static const struct {
        const struct sb_route *routes;
        const size_t *count;
    } files[] = {
#define SB_ROUTE_ENTRY(name) {sb_routes_##name, &sb_routes_##name##_count},
        SB_ROUTE_FILES(SB_ROUTE_ENTRY)
#undef SB_ROUTE_ENTRY
    };
    size_t total = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
        total += *files[f].count;
    struct sb_route *all = calloc(total ? total : 1, sizeof *all);
    if (!all)
        return NULL;
    size_t k = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++)
        for (size_t i = 0; i < *files[f].count; i++)
            all[k++] = files[f].routes[i];
    /* The compiled table points into the route entries, so the router keeps
     * this merged copy alive. */
    struct router *r = router_new_from(all, total);
    if (!r) {
        free(all);
        return NULL;
    }
    r->merged = all;
    return r;
}

void router_free(struct router **rp)
{
    struct router *r = *rp;
    if (!r)
        return;
    free(r->routes);
    free(r->merged);
    free(r);
    *rp = NULL;
}

enum router_match router_find(const struct router *r, const char *method, const char *path,
                              char *scratch, size_t scratch_len, const struct sb_route **route,
                              const char *params[SB_MAX_PARAMS], size_t *n_params)
{
    size_t plen = strlen(path);
    if (plen + 1 > scratch_len || path[0] != '/')
        return ROUTER_NO_PATH;
    memcpy(scratch, path, plen + 1);
    char *seg[MAX_SEGMENTS];
    size_t n = 0;
    for (char *p = scratch; *p;) {
        while (*p == '/')
            *p++ = '\0';
        if (!*p)
            break;
        if (n == MAX_SEGMENTS)
            return ROUTER_NO_PATH;
        seg[n++] = p;
        while (*p && *p != '/')
            p++;
    }
    const struct compiled *best = NULL;
    bool path_matched = false;
    for (size_t i = 0; i < r->n; i++) {
        const struct compiled *c = &r->routes[i];
        if (c->n_segments != n)
            continue;
        bool ok = true;
        for (size_t k = 0; k < n && ok; k++)
            ok = !c->seg[k] ||
                 (strlen(seg[k]) == c->seg_len[k] && memcmp(seg[k], c->seg[k], c->seg_len[k]) == 0);
        if (!ok)
            continue;
        if (strcmp(c->route->method, method) != 0) {
            path_matched = true;
            continue;
        }
        if (!best || c->literals > best->literals)
            best = c;
    }
    if (!best)
        return path_matched ? ROUTER_NO_METHOD : ROUTER_NO_PATH;
    *route = best->route;
    *n_params = 0;
    for (size_t k = 0; k < n; k++)
        if (!best->seg[k])
            params[(*n_params)++] = seg[k];
    return ROUTER_FOUND;
}
