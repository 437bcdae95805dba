/*
 * http.h - the request and response as route handlers see them.
 *
 * Handlers never touch libmicrohttpd: server.c turns a connection into an
 * sb_req and an sb_resp back into an HTTP answer, so dispatching and every
 * handler can be exercised without a socket.
 */
#ifndef MC_SANDBOX_HTTP_H
#define MC_SANDBOX_HTTP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define SB_MAX_PARAMS 4 /* {captures} in one route pattern */

struct store_conn;
struct sb_env;

struct sb_kv {
    const char *key;
    const char *value; /* NULL for "?flag" without '=' */
};

/* The authenticated caller. */
struct sb_till {
    int64_t id;
    char code[64];
    char name[96];
    int64_t store_id;
    unsigned perms;    /* SB_PERM_* */
};

enum { SB_PERM_MAKE = 1u << 0, SB_PERM_CHECK = 1u << 1 };

struct sb_req {
    const char *method;
    const char *path;                   /* decoded, without the query */
    const struct sb_kv *args;           /* decoded query arguments, in order */
    size_t n_args;
    const char *params[SB_MAX_PARAMS];  /* the pattern's {captures}, in order */
    size_t n_params;
    const char *body;                   /* request body (not NUL-terminated) or NULL */
    size_t body_len;
    const struct sb_till *till;         /* NULL on public routes */
    struct store_conn *db;              /* this request's connection */
    const struct sb_env *env;
    time_t now;                         /* "now" for this request */
};

struct sb_resp {
    int status;               /* 0 until a handler answers */
    char *body;               /* owned, malloc'd; NULL = empty */
    size_t len;
    const char *content_type; /* static string */
    int retry_after;          /* seconds; 0 = no Retry-After header */
    bool authenticate;        /* add WWW-Authenticate (401) */
    char who[64];             /* caller's till code, for the request log */
};

/* Request side */

/* The first value of a query argument; "" for a bare "?key"; NULL if absent. */
const char *sb_arg(const struct sb_req *req, const char *key);
/* True when the argument is "true" (any case). */
bool sb_arg_true(const struct sb_req *req, const char *key);
/* Strict decimal integer within [lo, hi]. Returns 0 or -1. */
int sb_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out);
/* `limit` (default def_limit, 1..max_limit) and `offset` (records, >= 0).
 * On a bad value answers 400 (v2 error, code 400) and returns false. */
bool sb_paging(const struct sb_req *req, struct sb_resp *resp, int64_t def_limit,
               int64_t max_limit, int64_t *limit, int64_t *offset);

/* Response side */

/* Serialises body (takes ownership) as the response. */
void sb_reply_json(struct sb_resp *resp, int status, json_t *body);
/* Copies len bytes of body as the response. */
void sb_reply_raw(struct sb_resp *resp, int status, const char *content_type, const char *body,
                  size_t len);
/* {"errors":[{"status":false,"code":code,"message":...}],"warnings":[]} */
json_t *sb_v2_errors(long code, const char *message);
void sb_reply_v2_error(struct sb_resp *resp, int status, long code, const char *message);
/* 500 after a database failure; logs the SQLite message to stderr. */
void sb_reply_db_error(struct sb_resp *resp, struct store_conn *db);
/* v1.1 {"success":"true|false","code":N,"message":...} */
json_t *sb_v11_status(bool success, long code, const char *message);
void sb_resp_clear(struct sb_resp *resp);

/* JSON building that never stores NULL: a missing string becomes "". */
json_t *sb_jstr(const char *s);
/* A string or JSON null. */
json_t *sb_jstr_or_null(const char *s);

#endif
