/*
 * dispatch.c - routing, authentication and the maker/checker permission
 * gate in front of every handler.
 *
 * 401 bodies use the v2 error shape for every API generation (the
 * reference leaves the 401 body unconfirmed; clients must not depend on
 * it). Unknown paths answer 404 and wrong methods 405, both with v2 error
 * bodies, before any authentication.
 */
#include <stdio.h>
#include <string.h>

#include "sandbox/auth.h"
#include "sandbox/dispatch.h"
#include "sandbox/router.h"
#include "sandbox/store.h"

static enum auth_result authenticate(const struct sb_env *env, const struct sb_http_in *in,
                                     struct store_conn *db, struct sb_till *till)
{
    if (in->oauth_token && *in->oauth_token) {
        int64_t id = 0;
        enum auth_result r = auth_tokens_check(env->tokens, in->oauth_token, &id);
        if (r != AUTH_OK)
            return r;
        r = auth_till_by_id(db, id, till);
        return r == AUTH_BAD_CREDENTIALS ? AUTH_BAD_TOKEN : r;
    }
    return auth_basic(db, in->authorization, till);
}

void dispatch(const struct sb_env *env, const struct sb_http_in *in, struct sb_resp *out)
{
    char scratch[2048];
    const struct sb_route *route = NULL;
    struct sb_req req = {
        .method = in->method,
        .path = in->path,
        .args = in->args,
        .n_args = in->n_args,
        .body = in->body,
        .body_len = in->body_len,
        .env = env,
        .now = sbtime_now(&env->clock),
    };
    switch (router_find(env->router, in->method, in->path, scratch, sizeof scratch, &route,
                        req.params, &req.n_params)) {
    case ROUTER_NO_PATH:
        sb_reply_v2_error(out, 404, 404, "Resource not found");
        return;
    case ROUTER_NO_METHOD:
        sb_reply_v2_error(out, 405, 405, "Method not allowed on this resource");
        return;
    case ROUTER_FOUND:
        break;
    }

    struct store_conn *db = store_acquire(env->store);
    req.db = db;
    struct sb_till till;
    if (!(route->flags & SB_ROUTE_PUBLIC)) {
        enum auth_result r = authenticate(env, in, db, &till);
        if (r == AUTH_ERROR) {
            sb_reply_db_error(out, db);
            goto done;
        }
        if (r != AUTH_OK) {
            sb_reply_v2_error(out, 401, 401, auth_message(r));
            out->authenticate = !(in->oauth_token && *in->oauth_token);
            goto done;
        }
        snprintf(out->who, sizeof out->who, "%s", till.code);
        unsigned need = ((route->flags & SB_ROUTE_MAKER) ? SB_PERM_MAKE : 0u) |
                        ((route->flags & SB_ROUTE_CHECKER) ? SB_PERM_CHECK : 0u);
        if ((till.perms & need) != need) {
            char msg[160];
            snprintf(msg, sizeof msg, "Till %s lacks the %s permission", till.code,
                     (need & ~till.perms & SB_PERM_CHECK) ? "CanCheckRequest" : "CanMakeRequest");
            sb_reply_v2_error(out, 403, 403, msg);
            goto done;
        }
        req.till = &till;
    }
    route->handler(&req, out);
    if (out->status == 0)
        sb_reply_v2_error(out, 500, 500, "The handler gave no answer");
done:
    store_release(env->store, db);
}
