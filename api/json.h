/*
 * json.h - tolerant accessors over jansson values, and the response envelope
 * every decoder shares. Internal to api/.
 *
 * Capillary's payloads are loosely typed (part1 §4.3, §7): numbers and ids
 * arrive as numbers or strings, booleans as true or "true", single items as
 * an object or a one-element array. The getters accept all of those and
 * turn anything else into "absent" rather than an error, so one odd field
 * never hides a whole member. Strings are capped at API_JSON_STR_MAX bytes
 * (cut on a UTF-8 character boundary) and stop at an embedded NUL.
 */
#ifndef MC_API_JSON_H
#define MC_API_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"

#define API_JSON_STR_MAX 4096

/* obj[key] when obj is an object, else NULL. */
json_t *api_json_get(const json_t *obj, const char *key);
/* A heap copy of a string (or of a number's text), or NULL. */
char *api_json_str(const json_t *obj, const char *key);
char *api_json_str_value(const json_t *v);
/* Integer from an integer, an integral real or a decimal string. */
bool api_json_int64(const json_t *obj, const char *key, int64_t *out);
bool api_json_int64_value(const json_t *v, int64_t *out);
/* Finite double from a number or a numeric string; dflt otherwise. */
double api_json_double(const json_t *obj, const char *key, double dflt);
/* long from the integer getter, clamped; dflt when absent. */
long api_json_long(const json_t *obj, const char *key, long dflt);
/* true/false, "true"/"false" (any case), 1/0; dflt otherwise. */
bool api_json_bool(const json_t *obj, const char *key, bool dflt);
/* Object-or-array: the object itself, or an array's first element when it
 * is an object; NULL otherwise. */
json_t *api_json_first(const json_t *obj, const char *key);
/* Object-or-array iteration: an array has json_array_size items, an
 * object counts as one item, anything else as none. */
size_t api_json_count(const json_t *v);
json_t *api_json_at(const json_t *v, size_t i);
/* obj[a][b]... along a NULL-terminated path of object keys. */
json_t *api_json_path(const json_t *obj, ...);

/* Parses a response body and applies the rules every endpoint shares:
 *   - 401: API_HTTP "authentication failed (401): ..." (JSON not required);
 *   - a non-empty `errors` array (any status, 200 included): API_REMOTE with
 *     the first error's code and message;
 *   - a v1.1 body whose response.status.success is false: API_REMOTE with
 *     that status's code and message (item_status failures are left to the
 *     resource decoder, which knows its item container);
 *   - other non-2xx: API_HTTP "HTTP NNN";
 *   - 2xx that is not JSON, or not an object: API_DECODE.
 * On API_OK *root is the parsed object (caller decrefs). */
enum api_err api_json_envelope(long http_status, const char *body, size_t len, json_t **root,
                               struct api_error *err);

/* One body decoder per request kind, generated from API_KIND_LIST so a new
 * kind without a decoder fails to link. Each gets the envelope-checked root
 * object; on failure it returns API_DECODE with err filled in (err's
 * http_status is already set by the envelope). */
#define API_JSON_DECODER_DECL(name, type, free_fn) \
    enum api_err api_decode_body_##name(const json_t *root, void **out, struct api_error *err);
API_KIND_LIST(API_JSON_DECODER_DECL)
#undef API_JSON_DECODER_DECL

#endif
