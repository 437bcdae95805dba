/*
 * tickets_v11.c - v1.1 rendering and member lookup for the ticket, note
 * and interaction routes (see tickets_v11.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/sbtime.h"
#include "sandbox/store.h"
#include "sandbox/tickets_v11.h"

json_t *tkv_list(json_t *array)
{
    if (json_is_array(array) && json_array_size(array) == 1) {
        json_t *only = json_incref(json_array_get(array, 0));
        json_decref(array);
        return only;
    }
    return array;
}

json_t *tkv_id(int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return json_string(buf);
}

json_t *tkv_time(const char *iso)
{
    char out[SBTIME_V11_LEN];
    if (!iso)
        return json_string("");
    sbtime_iso_to_v11(iso, out);
    return json_string(out);
}

json_t *tkv_status(bool ok, long code, const char *message)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", code);
    return json_pack("{s:s,s:s,s:o}", "success", ok ? "true" : "false", "code", buf, "message",
                     sb_jstr(message));
}

json_t *tkv_outcome(int ok, int total)
{
    if (ok == total)
        return tkv_status(true, 200, "Success");
    if (ok > 0)
        return tkv_status(true, 201, "Some requests have failed");
    return tkv_status(false, 500, "All requests have failed");
}

void tkv_error(struct sb_resp *resp, int http, long code, const char *message)
{
    sb_reply_json(resp, http, json_pack("{s:{s:o}}", "response", "status",
                                        tkv_status(false, code, message)));
}

json_t *tkv_member_block(const struct member *m, const char *id_key)
{
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", id_key, tkv_id(m->id), "firstname",
                     sb_jstr(m->first), "lastname", sb_jstr(m->last), "email", sb_jstr(m->email),
                     "mobile", sb_jstr(m->mobile), "external_id", sb_jstr(m->external_id));
}

size_t tkv_count(const json_t *v)
{
    if (json_is_array(v))
        return json_array_size(v);
    return json_is_object(v) ? 1 : 0;
}

const json_t *tkv_at(const json_t *v, size_t i)
{
    if (json_is_array(v))
        return json_array_get(v, i);
    return json_is_object(v) && i == 0 ? v : NULL;
}

const char *tkv_text(const json_t *obj, const char *key, char *buf, size_t n)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, n, "%lld", (long long)json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        snprintf(buf, n, "%.17g", json_real_value(v));
        return buf;
    }
    return NULL;
}

json_t *tkv_body_items(const struct sb_req *req, const char *entity)
{
    if (!req->body || req->body_len == 0)
        return NULL;
    json_t *doc = json_loadb(req->body, req->body_len, 0, NULL);
    json_t *root = json_object_get(doc, "root");
    json_t *items = json_is_object(root) ? json_object_get(root, entity) : NULL;
    if (items && tkv_count(items) > 0)
        json_incref(items);
    else
        items = NULL;
    json_decref(doc);
    return items;
}

size_t tkv_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Query keys and the identifier type each names (NULL = customer id, "" =
 * a kind of identifier the store never holds). */
static const struct {
    const char *key, *type;
} keys[] = {
    {"mobile", "mobile"},         {"email", "email"},   {"external_id", "externalId"},
    {"externalId", "externalId"}, {"id", NULL},         {"user_id", NULL},
    {"card_number", "cardnumber"}, {"card_external_id", ""},
};
#define N_KEYS (sizeof keys / sizeof keys[0])

static enum tkv_find find(struct store_conn *db, size_t k, const char *value, int64_t *id)
{
    enum member_status s;
    if (!value || !*value)
        return TKV_NOT_FOUND;
    if (!keys[k].type) {
        if (sb_parse_i64(value, 1, INT64_MAX, id))
            return TKV_NOT_FOUND;
        s = member_exists(db, *id);
    } else if (!*keys[k].type) {
        return TKV_NOT_FOUND;
    } else {
        s = member_find(db, keys[k].type, value, id);
    }
    return s == MEMBER_OK ? TKV_FOUND : s == MEMBER_NOT_FOUND ? TKV_NOT_FOUND : TKV_DB_ERROR;
}

enum tkv_find tkv_member_from_query(const struct sb_req *req, int64_t *id, const char **key,
                                    const char **value)
{
    const char *name = sb_arg(req, "identifierName");
    if (name) {
        for (size_t k = 0; k < N_KEYS; k++) {
            if (strcasecmp(keys[k].key, name) != 0)
                continue;
            *key = keys[k].key;
            *value = sb_arg(req, "identifierValue");
            if (!*value || !**value)
                return TKV_NO_IDENTIFIER;
            return find(req->db, k, *value, id);
        }
        return TKV_NO_IDENTIFIER;
    }
    int which = -1;
    for (size_t k = 0; k < N_KEYS; k++) {
        if (!sb_arg(req, keys[k].key))
            continue;
        if (which >= 0)
            return TKV_NO_IDENTIFIER;
        which = (int)k;
    }
    if (which < 0)
        return TKV_NO_IDENTIFIER;
    *key = keys[which].key;
    *value = sb_arg(req, keys[which].key);
    return find(req->db, (size_t)which, *value, id);
}

enum tkv_find tkv_member_from_item(struct store_conn *db, const json_t *item, int64_t *id)
{
    char buf[32];
    for (size_t k = 0; k < N_KEYS; k++) {
        const char *v = tkv_text(item, keys[k].key, buf, sizeof buf);
        if (v && *v)
            return find(db, k, v, id);
    }
    return TKV_NO_IDENTIFIER;
}
