/*
 * decode.c - api_decode and api_model_free: dispatch on the request kind.
 *
 * Both tables are generated from API_KIND_LIST, so a kind added to api.h
 * without its decoder (api_decode_body_NAME) or free function does not
 * build. The envelope rules (401, errors arrays, non-2xx, not JSON) are
 * applied once here, before any resource decoder sees the body.
 */
#include "api/coupons_priv.h"
#include "api/internal.h"
#include "api/json.h"
#include "api/requests_priv.h"

typedef enum api_err (*body_decoder)(const json_t *root, void **out, struct api_error *err);

static const body_decoder decoders[API_KIND_COUNT] = {
#define API_DECODER_ENTRY(name, type, free_fn) [API_##name] = api_decode_body_##name,
    API_KIND_LIST(API_DECODER_ENTRY)
#undef API_DECODER_ENTRY
};

enum api_err api_decode(enum api_kind kind, long http_status, const char *body, size_t len,
                        void **out, struct api_error *err)
{
    struct api_error scratch;
    if (!err)
        err = &scratch;
    if (out)
        *out = NULL;
    if (!out || (unsigned)kind >= API_KIND_COUNT) {
        api_error_set(err, API_DECODE, http_status, 0, "unknown response kind %d", (int)kind);
        return API_DECODE;
    }
    json_t *root;
    enum api_err rc = api_json_envelope(http_status, body, len, &root, err);
    if (rc != API_OK)
        return rc;
    rc = decoders[kind](root, out, err);
    json_decref(root);
    if (rc == API_OK)
        api_error_set(err, API_OK, http_status, 0, NULL);
    return rc;
}

void api_model_free(enum api_kind kind, void **data)
{
    if (!data || !*data)
        return;
    switch (kind) {
#define API_FREE_CASE(name, type, free_fn) \
    case API_##name: {                     \
        type *p = *data;                   \
        free_fn(&p);                       \
        break;                             \
    }
        API_KIND_LIST(API_FREE_CASE)
#undef API_FREE_CASE
    case API_KIND_COUNT:
        break;
    }
    *data = NULL;
}
