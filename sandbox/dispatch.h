/*
 * dispatch.h - from a parsed HTTP request to a response: routing,
 * authentication, permissions, the handler. No sockets here (server.c
 * does those), so it runs the same under a test as under the server.
 */
#ifndef MC_SANDBOX_DISPATCH_H
#define MC_SANDBOX_DISPATCH_H

#include <stddef.h>

#include "sandbox/http.h"
#include "sandbox/sbtime.h"

struct store;
struct auth_tokens;
struct router;

/* The shared services every request uses; each is internally synchronised,
 * the struct itself is read-only while the server runs. */
struct sb_env {
    struct store *store;
    struct auth_tokens *tokens;
    const struct router *router;
    struct sbtime_clock clock;
};

/* One request as read off the wire. All pointers borrowed. */
struct sb_http_in {
    const char *method;
    const char *path;
    const struct sb_kv *args;
    size_t n_args;
    const char *authorization; /* Authorization header or NULL */
    const char *oauth_token;   /* X-CAP-API-OAUTH-TOKEN / CAP-API-ACCESS-TOKEN or NULL */
    const char *body;
    size_t body_len;
};

/* Fills out (which must start zeroed); any thread. */
void dispatch(const struct sb_env *env, const struct sb_http_in *in, struct sb_resp *out);

#endif
