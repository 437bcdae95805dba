/*
 * auth.c - Basic and OAuth authentication against the tills and
 * oauth_clients tables, and the in-memory token table.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "sandbox/auth.h"
#include "sandbox/b64.h"
#include "sandbox/store.h"

struct token {
    char value[AUTH_TOKEN_LEN + 1]; /* "" = free slot */
    int64_t till;
    double expires;                 /* monotonic seconds */
};

struct auth_tokens {
    pthread_mutex_t mu;
    struct token *ring; /* owned, cap slots; next is the oldest */
    size_t cap, next;
    long ttl;
};

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Compares without an early exit, so timing does not reveal the prefix. */
static bool same_secret(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char diff = la != lb;
    for (size_t i = 0; i < la && i < lb; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

struct auth_tokens *auth_tokens_new(long ttl_seconds, size_t cap)
{
    struct auth_tokens *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->ring = calloc(cap, sizeof *t->ring);
    if (!t->ring) {
        free(t);
        return NULL;
    }
    t->cap = cap;
    t->ttl = ttl_seconds;
    pthread_mutex_init(&t->mu, NULL);
    return t;
}

void auth_tokens_free(struct auth_tokens **tp)
{
    struct auth_tokens *t = *tp;
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    free(t->ring);
    free(t);
    *tp = NULL;
}

long auth_tokens_ttl(const struct auth_tokens *t)
{
    return t->ttl;
}

int auth_tokens_issue(struct auth_tokens *t, int64_t till_id, char out[AUTH_TOKEN_LEN + 1])
{
    unsigned char raw[AUTH_TOKEN_LEN / 2];
    size_t got = 0;
    while (got < sizeof raw) {
        ssize_t n = getrandom(raw + got, sizeof raw - got, 0);
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof raw; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[AUTH_TOKEN_LEN] = '\0';
    pthread_mutex_lock(&t->mu);
    struct token *slot = &t->ring[t->next];
    t->next = (t->next + 1) % t->cap;
    memcpy(slot->value, out, AUTH_TOKEN_LEN + 1);
    slot->till = till_id;
    slot->expires = mono_s() + (double)t->ttl;
    pthread_mutex_unlock(&t->mu);
    return 0;
}

enum auth_result auth_tokens_check(struct auth_tokens *t, const char *token, int64_t *till_id)
{
    if (strlen(token) != AUTH_TOKEN_LEN)
        return AUTH_BAD_TOKEN;
    enum auth_result r = AUTH_BAD_TOKEN;
    pthread_mutex_lock(&t->mu);
    for (size_t i = 0; i < t->cap; i++) {
        if (t->ring[i].value[0] && same_secret(t->ring[i].value, token)) {
            if (mono_s() >= t->ring[i].expires) {
                r = AUTH_EXPIRED_TOKEN;
            } else {
                r = AUTH_OK;
                *till_id = t->ring[i].till;
            }
            break;
        }
    }
    pthread_mutex_unlock(&t->mu);
    return r;
}

static const char sql_till_by_code[] =
    "SELECT t.id, t.code, t.name, t.password_md5, t.store_id,"
    " EXISTS (SELECT 1 FROM till_permissions p WHERE p.till_id = t.id"
    "         AND p.permission = 'CanMakeRequest'),"
    " EXISTS (SELECT 1 FROM till_permissions p WHERE p.till_id = t.id"
    "         AND p.permission = 'CanCheckRequest')"
    " FROM tills t WHERE t.code = ?";

static const char sql_till_by_id[] =
    "SELECT t.id, t.code, t.name, t.password_md5, t.store_id,"
    " EXISTS (SELECT 1 FROM till_permissions p WHERE p.till_id = t.id"
    "         AND p.permission = 'CanMakeRequest'),"
    " EXISTS (SELECT 1 FROM till_permissions p WHERE p.till_id = t.id"
    "         AND p.permission = 'CanCheckRequest')"
    " FROM tills t WHERE t.id = ?";

/* Reads one till row; copies its password hash into md5 when asked. */
static enum auth_result read_till(sqlite3_stmt *st, struct sb_till *out, char md5[33])
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE)
        return AUTH_BAD_CREDENTIALS;
    if (rc != SQLITE_ROW)
        return AUTH_ERROR;
    memset(out, 0, sizeof *out);
    out->id = sqlite3_column_int64(st, 0);
    snprintf(out->code, sizeof out->code, "%s", (const char *)sqlite3_column_text(st, 1));
    snprintf(out->name, sizeof out->name, "%s", (const char *)sqlite3_column_text(st, 2));
    if (md5)
        snprintf(md5, 33, "%s", (const char *)sqlite3_column_text(st, 3));
    out->store_id = sqlite3_column_int64(st, 4);
    out->perms = (sqlite3_column_int(st, 5) ? SB_PERM_MAKE : 0u) |
                 (sqlite3_column_int(st, 6) ? SB_PERM_CHECK : 0u);
    return AUTH_OK;
}

enum auth_result auth_till_by_id(struct store_conn *db, int64_t id, struct sb_till *out)
{
    sqlite3_stmt *st = store_stmt(db, sql_till_by_id);
    if (!st)
        return AUTH_ERROR;
    sqlite3_bind_int64(st, 1, id);
    enum auth_result r = read_till(st, out, NULL);
    sqlite3_reset(st);
    return r;
}

enum auth_result auth_basic(struct store_conn *db, const char *header, struct sb_till *out)
{
    if (!header || !*header)
        return AUTH_MISSING;
    if (strncasecmp(header, "Basic ", 6) != 0)
        return AUTH_MALFORMED;
    const char *b64 = header + 6;
    while (*b64 == ' ')
        b64++;
    size_t len = strlen(b64);
    while (len && b64[len - 1] == ' ')
        len--;
    char plain[256];
    long n = b64_decode(b64, len, plain, sizeof plain);
    if (n < 0 || memchr(plain, '\0', (size_t)n))
        return AUTH_MALFORMED;
    char *colon = strchr(plain, ':');
    if (!colon)
        return AUTH_MALFORMED;
    *colon = '\0';
    const char *user = plain, *password = colon + 1;
    sqlite3_stmt *st = store_stmt(db, sql_till_by_code);
    if (!st)
        return AUTH_ERROR;
    sqlite3_bind_text(st, 1, user, -1, SQLITE_TRANSIENT);
    char md5[33] = "";
    enum auth_result r = read_till(st, out, md5);
    sqlite3_reset(st);
    if (r != AUTH_OK)
        return r;
    return same_secret(md5, password) ? AUTH_OK : AUTH_BAD_CREDENTIALS;
}

enum auth_result auth_client(struct store_conn *db, const char *key, const char *secret,
                             struct sb_till *out)
{
    sqlite3_stmt *st = store_stmt(db, "SELECT secret, till_id FROM oauth_clients WHERE key = ?");
    if (!st)
        return AUTH_ERROR;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return rc == SQLITE_DONE ? AUTH_BAD_CREDENTIALS : AUTH_ERROR;
    }
    bool ok = same_secret((const char *)sqlite3_column_text(st, 0), secret);
    int64_t till = sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    if (!ok)
        return AUTH_BAD_CREDENTIALS;
    return auth_till_by_id(db, till, out);
}

const char *auth_message(enum auth_result r)
{
    switch (r) {
    case AUTH_OK:
        return "OK";
    case AUTH_MISSING:
        return "Authentication required: send Basic till credentials or X-CAP-API-OAUTH-TOKEN";
    case AUTH_MALFORMED:
        return "Unreadable Authorization header";
    case AUTH_BAD_CREDENTIALS:
        return "Invalid username or password";
    case AUTH_BAD_TOKEN:
        return "Invalid OAuth token";
    case AUTH_EXPIRED_TOKEN:
        return "OAuth token expired";
    case AUTH_ERROR:
        break;
    }
    return "Authentication could not be checked";
}
