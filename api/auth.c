/*
 * auth.c - credentials turned into request headers (part1 §2).
 *
 * Basic: the till password is never sent or kept; Capillary wants
 * base64(till:md5hex(password)) with lower-case hex and no blanks (§2.1).
 * Every intermediate copy (the hex digest, "till:hex") is wiped before it is
 * freed, so only the finished header stays in memory.
 *
 * OAuth: the body {"key","secret"} for /v3/oauth/token/generate and the
 * decoder for its answer. The token goes into a header verbatim, so it is
 * checked to be visible ASCII: a server cannot inject header lines.
 */
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"
#include "api/json.h"
#include "api/md5.h"

/* Tokens are JWTs of a few hundred bytes; anything longer is refused. */
#define TOKEN_MAX 8192

void api_md5_hex(const char *s, size_t len, char out[33])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[16];
    api_md5(s, len, md);
    for (unsigned i = 0; i < 16; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[32] = '\0';
    api_wipe(md, sizeof md);
}

char *api_basic_auth_header(const char *user, const char *password)
{
    static const char prefix[] = "Authorization: Basic ";
    char hex[33];
    api_md5_hex(password, strlen(password), hex);
    size_t ulen = strlen(user);
    size_t plain_len = ulen + 1 + 32;
    char *plain = api_xmalloc(plain_len + 1);
    memcpy(plain, user, ulen);
    plain[ulen] = ':';
    memcpy(plain + ulen + 1, hex, 33);
    api_wipe(hex, sizeof hex);

    size_t b64_len = 4 * ((plain_len + 2) / 3);
    char *header = api_xmalloc(sizeof prefix - 1 + b64_len + 1);
    memcpy(header, prefix, sizeof prefix - 1);
    EVP_EncodeBlock((unsigned char *)header + sizeof prefix - 1, (const unsigned char *)plain,
                    (int)plain_len);
    header[sizeof prefix - 1 + b64_len] = '\0';
    api_wipe(plain, plain_len);
    free(plain);
    return header;
}

/* Appends s to out as a JSON string literal; out has room for 6x + 2. */
static char *quote(char *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    *o++ = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') {
            *o++ = '\\';
            *o++ = (char)*p;
        } else if (*p < 0x20) {
            memcpy(o, "\\u00", 4);
            o[4] = hex[*p >> 4];
            o[5] = hex[*p & 15];
            o += 6;
        } else {
            *o++ = (char)*p;
        }
    }
    *o++ = '"';
    return o;
}

char *api_oauth_body(const char *key, const char *secret)
{
    /* Built by hand rather than with json_dumps so that no copy of the
     * secret is left behind in jansson's (unwiped) allocations. */
    size_t n = 6 * (strlen(key) + strlen(secret)) + 32;
    char *body = api_xcalloc(1, n);
    char *o = body;
    memcpy(o, "{\"key\":", 7);
    o = quote(o + 7, key);
    memcpy(o, ",\"secret\":", 10);
    o = quote(o + 10, secret);
    *o++ = '}';
    *o = '\0';
    return body;
}

static bool token_ok(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > TOKEN_MAX)
        return false;
    for (const unsigned char *p = (const unsigned char *)t; *p; p++)
        if (*p < 0x21 || *p > 0x7e)
            return false;
    return true;
}

enum api_err api_decode_token(long http_status, const char *body, size_t len, char **token,
                              long *ttl_s, struct api_error *err)
{
    json_t *root;
    *token = NULL;
    *ttl_s = 0;
    enum api_err rc = api_json_envelope(http_status, body, len, &root, err);
    if (rc == API_HTTP && http_status == 401) {
        api_error_set(err, API_HTTP, 401, err->code,
                      "authentication failed (401): check the OAuth client key and secret");
        return rc;
    }
    if (rc == API_REMOTE) {
        char msg[sizeof err->message];
        memcpy(msg, err->message, sizeof msg);
        api_error_set(err, API_REMOTE, http_status, err->code,
                      "OAuth token refused: %s", msg);
        return rc;
    }
    if (rc != API_OK)
        return rc;

    json_t *data = api_json_first(root, "data");
    json_t *tok = api_json_get(data, "accessToken");
    if (!tok || !json_is_string(tok) || json_string_length(tok) != strlen(json_string_value(tok)) ||
        !token_ok(json_string_value(tok))) {
        json_decref(root);
        api_error_set(err, API_DECODE, http_status, 0,
                      "OAuth token response has no usable data.accessToken");
        return API_DECODE;
    }
    *token = api_xstrdup(json_string_value(tok));
    *ttl_s = api_json_long(data, "ttlSeconds", 0);
    json_decref(root);
    return API_OK;
}
