/*
 * json.c - tolerant getters and the shared response envelope (see json.h).
 *
 * Parsing limits: jansson refuses nesting deeper than JSON_PARSER_MAX_DEPTH
 * (2048 in the packaged build), so a hostile "[[[[..." body is a parse
 * error rather than a stack overflow; the body size itself is capped by the
 * worker (max_body) before it gets here. JSON_ALLOW_NUL keeps a member with
 * a stray \u0000 in one field decodable; the string getters stop at the NUL.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "api/json.h"

json_t *api_json_get(const json_t *obj, const char *key)
{
    if (!obj || !json_is_object(obj) || !key)
        return NULL;
    return json_object_get(obj, key);
}

static char *copy_capped(const char *s, size_t len)
{
    const char *nul = memchr(s, '\0', len);
    if (nul)
        len = (size_t)(nul - s);
    return api_xstrndup(s, api_utf8_cut(s, len, API_JSON_STR_MAX));
}

char *api_json_str_value(const json_t *v)
{
    if (!v)
        return NULL;
    if (json_is_string(v))
        return copy_capped(json_string_value(v), json_string_length(v));
    if (json_is_integer(v))
        return api_xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
    if (json_is_real(v)) {
        double d = json_real_value(v);
        /* An id sent as 565000111.0 should read as the integer it is. */
        if (d == floor(d) && fabs(d) < 9.0e15)
            return api_xasprintf("%.0f", d);
        return api_xasprintf("%.17g", d);
    }
    return NULL;
}

char *api_json_str(const json_t *obj, const char *key)
{
    return api_json_str_value(api_json_get(obj, key));
}

/* Parses a whole decimal string (surrounding blanks allowed) as int64;
 * "123.0" is accepted, "123.5", "", "12abc" and overflow are not. */
static bool parse_int64(const char *s, size_t len, int64_t *out)
{
    char buf[64];
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0 || len >= sizeof buf)
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end;
    errno = 0;
    long long v = strtoll(buf, &end, 10);
    if (end != buf && *end == '\0' && errno == 0) {
        *out = (int64_t)v;
        return true;
    }
    errno = 0;
    double d = strtod(buf, &end);
    if (end == buf || *end != '\0' || errno != 0 || !isfinite(d) || d != floor(d) ||
        fabs(d) >= 9.2e18)
        return false;
    *out = (int64_t)d;
    return true;
}

bool api_json_int64_value(const json_t *v, int64_t *out)
{
    if (!v)
        return false;
    if (json_is_integer(v)) {
        *out = (int64_t)json_integer_value(v);
        return true;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (!isfinite(d) || d != floor(d) || fabs(d) >= 9.2e18)
            return false;
        *out = (int64_t)d;
        return true;
    }
    if (json_is_string(v))
        return parse_int64(json_string_value(v), json_string_length(v), out);
    return false;
}

bool api_json_int64(const json_t *obj, const char *key, int64_t *out)
{
    return api_json_int64_value(api_json_get(obj, key), out);
}

long api_json_long(const json_t *obj, const char *key, long dflt)
{
    int64_t v;
    if (!api_json_int64(obj, key, &v))
        return dflt;
    if (v > (int64_t)LONG_MAX)
        return LONG_MAX;
    if (v < (int64_t)LONG_MIN)
        return LONG_MIN;
    return (long)v;
}

double api_json_double(const json_t *obj, const char *key, double dflt)
{
    const json_t *v = api_json_get(obj, key);
    if (!v)
        return dflt;
    if (json_is_number(v)) {
        double d = json_number_value(v);
        return isfinite(d) ? d : dflt;
    }
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        size_t len = json_string_length(v);
        char buf[64];
        if (len == 0 || len >= sizeof buf)
            return dflt;
        memcpy(buf, s, len);
        buf[len] = '\0';
        char *end;
        errno = 0;
        double d = strtod(buf, &end);
        while (isspace((unsigned char)*end))
            end++;
        if (end == buf || *end != '\0' || errno != 0 || !isfinite(d))
            return dflt;
        return d;
    }
    return dflt;
}

bool api_json_bool(const json_t *obj, const char *key, bool dflt)
{
    const json_t *v = api_json_get(obj, key);
    if (!v)
        return dflt;
    if (json_is_boolean(v))
        return json_is_true(v);
    if (json_is_integer(v))
        return json_integer_value(v) != 0;
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0)
            return true;
        if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0)
            return false;
    }
    return dflt;
}

json_t *api_json_first(const json_t *obj, const char *key)
{
    json_t *v = api_json_get(obj, key);
    if (v && json_is_array(v))
        v = json_array_get(v, 0);
    return v && json_is_object(v) ? v : NULL;
}

size_t api_json_count(const json_t *v)
{
    if (!v)
        return 0;
    if (json_is_array(v))
        return json_array_size(v);
    return json_is_object(v) ? 1 : 0;
}

json_t *api_json_at(const json_t *v, size_t i)
{
    if (!v)
        return NULL;
    if (json_is_array(v))
        return json_array_get(v, i);
    return json_is_object(v) && i == 0 ? (json_t *)v : NULL;
}

json_t *api_json_path(const json_t *obj, ...)
{
    va_list ap;
    va_start(ap, obj);
    json_t *v = (json_t *)obj;
    const char *key;
    while (v && (key = va_arg(ap, const char *)) != NULL)
        v = api_json_first(v, key) ? api_json_first(v, key) : api_json_get(v, key);
    va_end(ap);
    return v;
}

static bool is_2xx(long status)
{
    return status >= 200 && status <= 299;
}

/* First entry of a non-empty errors array (object-or-array), or NULL. */
static json_t *first_error(const json_t *root)
{
    json_t *errs = api_json_get(root, "errors");
    size_t n = api_json_count(errs);
    for (size_t i = 0; i < n; i++) {
        json_t *e = api_json_at(errs, i);
        if (e && json_is_object(e))
            return e;
    }
    return NULL;
}

/* The item_status of the first failed item of a v1.1 batch response
 * (response.<plural>.<entity>[i].item_status, object-or-array), or NULL. */
static json_t *first_failed_item(const json_t *response)
{
    const char *k1, *k2;
    json_t *block, *list;
    if (!response || !json_is_object(response))
        return NULL;
    json_object_foreach((json_t *)response, k1, block) {
        if (!json_is_object(block) || strcmp(k1, "status") == 0)
            continue;
        json_object_foreach(block, k2, list) {
            size_t n = api_json_count(list);
            for (size_t i = 0; i < n; i++) {
                json_t *is = api_json_get(api_json_at(list, i), "item_status");
                if (is && json_is_object(is) &&
                    !api_json_bool(is, "success", api_json_bool(is, "status", true)))
                    return is;
            }
        }
    }
    return NULL;
}

static const char *reason(long status)
{
    switch (status) {
    case 400: return " (bad request)";
    case 403: return " (access denied)";
    case 404: return " (not found)";
    case 429: return " (rate limited)";
    case 461: return " (search busy, try again)";
    case 500: return " (server error)";
    case 502: return " (bad gateway)";
    case 503: return " (service unavailable)";
    case 504: return " (gateway timeout)";
    case 521: return " (member busy, try again)";
    default: return "";
    }
}

enum api_err api_json_envelope(long http_status, const char *body, size_t len, json_t **root,
                               struct api_error *err)
{
    json_error_t jerr;
    json_t *doc = NULL;
    *root = NULL;
    if (body && len > 0)
        doc = json_loadb(body, len, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);

    if (http_status == 401) {
        /* Capillary may answer 401 in XML (part1 §4.2), so the body is only
         * mined for a code; the words are ours because they say what to fix. */
        json_t *e = doc && json_is_object(doc) ? first_error(doc) : NULL;
        long code = e ? api_json_long(e, "code", 0) : 0;
        json_decref(doc);
        api_error_set(err, API_HTTP, 401, code,
                      "authentication failed (401): check the till id and password");
        return API_HTTP;
    }

    if (doc && json_is_object(doc)) {
        /* v1.1 (part1 §4.3): {"response":{"status":{"success":"false",
         * "code":..,"message":..}}}; success may be a string or a bool. */
        json_t *st = api_json_path(doc, "response", "status", NULL);
        if (st && json_is_object(st) && !api_json_bool(st, "success", true)) {
            /* "All requests have failed" (500) says nothing; the first failed
             * item's own code and message say why. */
            json_t *item = first_failed_item(api_json_get(doc, "response"));
            if (item)
                st = item;
            long code = api_json_long(st, "code", 0);
            char *msg = api_json_str(st, "message");
            api_error_set(err, API_REMOTE, http_status, code, "%s",
                          msg && msg[0] ? msg : "the server reported an error");
            free(msg);
            json_decref(doc);
            return API_REMOTE;
        }
        json_t *e = first_error(doc);
        if (e) {
            long code = api_json_long(e, "code", 0);
            char *msg = api_json_str(e, "message");
            api_error_set(err, API_REMOTE, http_status, code, "%s",
                          msg && msg[0] ? msg : "the server reported an error");
            free(msg);
            json_decref(doc);
            return API_REMOTE;
        }
    }

    if (!is_2xx(http_status)) {
        json_decref(doc);
        api_error_set(err, API_HTTP, http_status, 0, "HTTP %ld%s", http_status,
                      reason(http_status));
        return API_HTTP;
    }

    if (!body || len == 0) {
        api_error_set(err, API_DECODE, http_status, 0, "empty response body");
        return API_DECODE;
    }
    if (!doc) {
        api_error_set(err, API_DECODE, http_status, 0, "response is not JSON: %s (line %d)",
                      jerr.text, jerr.line);
        return API_DECODE;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        api_error_set(err, API_DECODE, http_status, 0, "response is not a JSON object");
        return API_DECODE;
    }
    *root = doc;
    api_error_set(err, API_OK, http_status, 0, NULL);
    return API_OK;
}
