/*
 * auth.h - who is calling: Basic till credentials and OAuth tokens.
 *
 * Basic follows Capillary: user = till code, password = lowercase MD5 hex
 * of the till password (compared with the hex stored in tills, so the
 * sandbox needs no MD5 code). OAuth clients trade key/secret for an opaque
 * random token that expires after the configured TTL on the monotonic
 * clock. Tokens live in memory only: after a restart clients generate a
 * new one, as they must anyway when a token expires.
 */
#ifndef MC_SANDBOX_AUTH_H
#define MC_SANDBOX_AUTH_H

#include <stdint.h>

#include "sandbox/http.h"

#define AUTH_TOKEN_LEN 64 /* hex characters */

enum auth_result {
    AUTH_OK,
    AUTH_MISSING,         /* no credentials at all */
    AUTH_MALFORMED,       /* an Authorization header we cannot read */
    AUTH_BAD_CREDENTIALS, /* unknown till or wrong password / key or secret */
    AUTH_BAD_TOKEN,       /* token never issued (or forgotten) */
    AUTH_EXPIRED_TOKEN,
    AUTH_ERROR,           /* database or system failure */
};

struct auth_tokens;

/* A token table issuing tokens valid for ttl_seconds; at most cap are kept
 * (the oldest is forgotten first). NULL on out-of-memory. */
struct auth_tokens *auth_tokens_new(long ttl_seconds, size_t cap);
void auth_tokens_free(struct auth_tokens **t);
long auth_tokens_ttl(const struct auth_tokens *t);
/* Issues a fresh token for till_id into out. Thread-safe. 0 or -1. */
int auth_tokens_issue(struct auth_tokens *t, int64_t till_id, char out[AUTH_TOKEN_LEN + 1]);
/* Resolves a token. Thread-safe. */
enum auth_result auth_tokens_check(struct auth_tokens *t, const char *token, int64_t *till_id);

/* Checks an "Authorization: Basic ..." header against the tills table. */
enum auth_result auth_basic(struct store_conn *db, const char *header, struct sb_till *out);
/* Checks OAuth client credentials; fills the till the client acts as. */
enum auth_result auth_client(struct store_conn *db, const char *key, const char *secret,
                             struct sb_till *out);
/* Loads a till with its permissions. */
enum auth_result auth_till_by_id(struct store_conn *db, int64_t id, struct sb_till *out);

/* Human words for a failed result, for 401 bodies. */
const char *auth_message(enum auth_result r);

#endif
