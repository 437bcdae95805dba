/*
 * tickets_v11.h - what the ticket, note and interaction routes share: the
 * v1.1 rendering quirks of part 2 §0.3 and finding the member a request
 * names.
 *
 * Rendering: scalars go out as strings ("1300", "565000001"), and a list
 * with exactly one item goes out as a bare object while every other list is
 * an array, the way the reference samples show them. So the same call
 * shows both forms depending on the data, always the same way for the same
 * data.
 */
#ifndef MC_SANDBOX_TICKETS_V11_H
#define MC_SANDBOX_TICKETS_V11_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sandbox/http.h"
#include "sandbox/member.h"

/* Rendering */

/* The list as v1.1 sends it: its only item when it has exactly one, else
 * the array itself. Takes ownership of array. */
json_t *tkv_list(json_t *array);
/* An integer as a JSON string. */
json_t *tkv_id(int64_t v);
/* A stored ISO instant as "YYYY-MM-DD HH:MM:SS"; "" for NULL. */
json_t *tkv_time(const char *iso);
/* item_status / status block: {"success":"true|false","code":"N","message":..}. */
json_t *tkv_status(bool ok, long code, const char *message);
/* The request-level status of a call that handled `total` items of which
 * `ok` succeeded: 200 Success, 201 some failed, 500 all failed. */
json_t *tkv_outcome(int ok, int total);
/* A request-level failure: {"response":{"status":{success false, code, message}}}. */
void tkv_error(struct sb_resp *resp, int http, long code, const char *message);
/* The member's identity block of v1.1 responses: firstname, lastname,
 * email, mobile, external_id and the id under id_key ("id" or "user_id"). */
json_t *tkv_member_block(const struct member *m, const char *id_key);

/* Reading bodies and queries */

/* Items of an object-or-array value. */
size_t tkv_count(const json_t *v);
const json_t *tkv_at(const json_t *v, size_t i);
/* obj[key] as text when it is a string or a number, else NULL. The result
 * points into obj or into buf. */
const char *tkv_text(const json_t *obj, const char *key, char *buf, size_t n);
/* Parses a request body {"root":{entity:[...]}} and returns its items
 * (object or array; a new reference the caller drops) or NULL. */
json_t *tkv_body_items(const struct sb_req *req, const char *entity);
/* Code points of a UTF-8 string. */
size_t tkv_chars(const char *s);

/* Finding the member. The identifier keys: mobile, email, external_id,
 * card_number (stored identifiers) and id / user_id (the customer id). */
enum tkv_find {
    TKV_FOUND,
    TKV_NOT_FOUND,
    TKV_NO_IDENTIFIER,   /* none of the keys given, or several */
    TKV_DB_ERROR,
};
/* From the query: exactly one identifier key, or identifierName +
 * identifierValue. *key and *value say what was used (borrowed from req). */
enum tkv_find tkv_member_from_query(const struct sb_req *req, int64_t *id, const char **key,
                                    const char **value);
/* From one customer item of a body: the first identifier key present. */
enum tkv_find tkv_member_from_item(struct store_conn *db, const json_t *item, int64_t *id);

#endif
