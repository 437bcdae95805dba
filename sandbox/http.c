/*
 * http.c - query-argument access and response building for handlers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/http.h"
#include "sandbox/store.h"

const char *sb_arg(const struct sb_req *req, const char *key)
{
    for (size_t i = 0; i < req->n_args; i++)
        if (strcmp(req->args[i].key, key) == 0)
            return req->args[i].value ? req->args[i].value : "";
    return NULL;
}

bool sb_arg_true(const struct sb_req *req, const char *key)
{
    const char *v = sb_arg(req, key);
    return v && strcasecmp(v, "true") == 0;
}

int sb_parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
        return -1;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    *out = (int64_t)v;
    return 0;
}

bool sb_paging(const struct sb_req *req, struct sb_resp *resp, int64_t def_limit,
               int64_t max_limit, int64_t *limit, int64_t *offset)
{
    const char *l = sb_arg(req, "limit"), *o = sb_arg(req, "offset");
    *limit = def_limit;
    *offset = 0;
    if (l && sb_parse_i64(l, 1, max_limit, limit)) {
        char msg[96];
        snprintf(msg, sizeof msg, "Invalid limit: expected 1..%lld", (long long)max_limit);
        sb_reply_v2_error(resp, 400, 400, msg);
        return false;
    }
    if (o && sb_parse_i64(o, 0, INT32_MAX, offset)) {
        sb_reply_v2_error(resp, 400, 400, "Invalid offset: expected a record offset >= 0");
        return false;
    }
    return true;
}

void sb_resp_clear(struct sb_resp *resp)
{
    free(resp->body);
    resp->body = NULL;
    resp->len = 0;
    resp->status = 0;
    resp->retry_after = 0;
    resp->authenticate = false;
}

void sb_reply_raw(struct sb_resp *resp, int status, const char *content_type, const char *body,
                  size_t len)
{
    free(resp->body);
    resp->body = NULL;
    resp->len = 0;
    if (len) {
        resp->body = malloc(len);
        if (!resp->body) {
            resp->status = 500;
            resp->content_type = "text/plain";
            return;
        }
        memcpy(resp->body, body, len);
        resp->len = len;
    }
    resp->status = status;
    resp->content_type = content_type;
}

void sb_reply_json(struct sb_resp *resp, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(body);
    if (!text) {
        static const char oom[] =
            "{\"errors\":[{\"status\":false,\"code\":500,\"message\":\"Out of memory\"}],"
            "\"warnings\":[]}";
        sb_reply_raw(resp, 500, "application/json", oom, sizeof oom - 1);
        return;
    }
    free(resp->body);
    resp->body = text;
    resp->len = strlen(text);
    resp->status = status;
    resp->content_type = "application/json";
}

json_t *sb_v2_errors(long code, const char *message)
{
    return json_pack("{s:[{s:b,s:I,s:s}],s:[]}", "errors", "status", 0, "code", (json_int_t)code,
                     "message", message, "warnings");
}

void sb_reply_v2_error(struct sb_resp *resp, int status, long code, const char *message)
{
    sb_reply_json(resp, status, sb_v2_errors(code, message));
}

void sb_reply_db_error(struct sb_resp *resp, struct store_conn *db)
{
    fprintf(stderr, "membercare-sandbox: database error: %s\n",
            db && db->db ? sqlite3_errmsg(db->db) : "no connection");
    sb_reply_v2_error(resp, 500, 500, "Internal error while reading the store");
}

json_t *sb_v11_status(bool success, long code, const char *message)
{
    return json_pack("{s:s,s:I,s:s}", "success", success ? "true" : "false", "code",
                     (json_int_t)code, "message", message);
}

/* Length of the valid UTF-8 sequence at s, or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s)
{
    if (s[0] < 0x80)
        return 1;
    size_t n;
    unsigned min;
    unsigned cp;
    if ((s[0] & 0xe0) == 0xc0) {
        n = 2, min = 0x80, cp = s[0] & 0x1f;
    } else if ((s[0] & 0xf0) == 0xe0) {
        n = 3, min = 0x800, cp = s[0] & 0x0f;
    } else if ((s[0] & 0xf8) == 0xf0) {
        n = 4, min = 0x10000, cp = s[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

json_t *sb_jstr(const char *s)
{
    if (!s)
        return json_string("");
    json_t *j = json_string(s);
    if (j)
        return j;
    /* Bytes from the network may not be UTF-8; JSON must be. */
    size_t len = strlen(s);
    char *clean = malloc(len + 1);
    if (!clean)
        return NULL;
    size_t k = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t n = utf8_seq(p);
        if (n == 0) {
            clean[k++] = '?';
            p++;
        } else {
            memcpy(clean + k, p, n);
            k += n;
            p += n;
        }
    }
    clean[k] = '\0';
    j = json_string(clean);
    free(clean);
    return j;
}

json_t *sb_jstr_or_null(const char *s)
{
    return s ? sb_jstr(s) : json_null();
}
