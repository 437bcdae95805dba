/*
 * routes_oauth.c - POST /v3/oauth/token/generate (part 1 §2.2).
 *
 * Body {"key","secret"} -> {"data":{"accessToken","ttlSeconds"},"errors":null}.
 * The failure shape is unconfirmed in the reference; this follows its
 * suggestion: {"data":null,"errors":[{"code":N,"message":...}]}, HTTP 401
 * for missing or wrong credentials and 400 for a body that is not a JSON
 * object. Tokens are opaque random strings (see auth.h).
 */
#include <stdio.h>

#include "sandbox/auth.h"
#include "sandbox/dispatch.h"
#include "sandbox/router.h"
#include "sandbox/store.h"

static void token_error(struct sb_resp *resp, int status, const char *message)
{
    sb_reply_json(resp, status,
                  json_pack("{s:n,s:[{s:i,s:s}]}", "data", "errors", "code", status, "message",
                            message));
}

static void generate(struct sb_req *req, struct sb_resp *resp)
{
    json_t *body = req->body ? json_loadb(req->body, req->body_len, 0, NULL) : NULL;
    if (!json_is_object(body)) {
        json_decref(body);
        token_error(resp, 400, "The body must be a JSON object with key and secret");
        return;
    }
    const char *key = json_string_value(json_object_get(body, "key"));
    const char *secret = json_string_value(json_object_get(body, "secret"));
    struct sb_till till;
    enum auth_result r = key && secret && *key && *secret
                             ? auth_client(req->db, key, secret, &till)
                             : AUTH_BAD_CREDENTIALS;
    json_decref(body);
    if (r == AUTH_ERROR) {
        sb_reply_db_error(resp, req->db);
        return;
    }
    if (r != AUTH_OK) {
        token_error(resp, 401, "Failed to generate OAuth token");
        return;
    }
    char token[AUTH_TOKEN_LEN + 1];
    if (auth_tokens_issue(req->env->tokens, till.id, token)) {
        token_error(resp, 500, "Failed to generate OAuth token");
        return;
    }
    snprintf(resp->who, sizeof resp->who, "%s", till.code);
    sb_reply_json(resp, 200,
                  json_pack("{s:{s:s,s:I},s:n}", "data", "accessToken", token, "ttlSeconds",
                            (json_int_t)auth_tokens_ttl(req->env->tokens), "errors"));
}

const struct sb_route sb_routes_oauth[] = {
    {"POST", "/v3/oauth/token/generate", generate, SB_ROUTE_PUBLIC},
};
SB_ROUTES_END(oauth);
