/*
 * fuzz_api_decode.c - every response decoder of the api layer.
 *
 * Input: byte 0 picks the request kind (modulo the number of kinds, so
 * kinds added to API_KIND_LIST are covered without touching this file;
 * 0xFF tries an out-of-range kind), byte 1 the HTTP status, the rest is the
 * body exactly as the worker would pass it (not NUL-terminated).
 *
 * Beyond the sanitizers, it checks the decoder contract of api/api.h: the
 * return value equals err.kind, the message is a terminated string, *out is
 * set exactly on API_OK, and api_model_free releases it and NULLs it.
 */
#include <stdint.h>
#include <string.h>

#include "api/api.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long statuses[] = {200, 201, 202, 204, 206, 301, 302, 400, 401, 403,
                                404, 409, 413, 429, 461, 500, 502, 503, 0,   999};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    enum api_kind kind = data[0] == 0xFF ? API_KIND_COUNT : (enum api_kind)(data[0] % API_KIND_COUNT);
    long status = statuses[data[1] % (sizeof statuses / sizeof statuses[0])];
    const char *body = (const char *)data + 2;
    size_t len = size - 2;

    struct api_error err;
    memset(&err, 0x5A, sizeof err); /* a decoder must not rely on a zeroed err */
    void *out = &err;               /* nor on a NULL *out */
    enum api_err rc = api_decode(kind, status, body, len, &out, &err);

    FUZZ_ASSERT(rc == err.kind, "the return value is err.kind");
    FUZZ_ASSERT(memchr(err.message, '\0', sizeof err.message) != NULL,
                "err.message is terminated");
    if (kind == API_KIND_COUNT)
        FUZZ_ASSERT(rc == API_DECODE && out == NULL, "an unknown kind is refused");
    if (rc == API_OK)
        FUZZ_ASSERT(out != NULL, "API_OK comes with a model");
    else
        FUZZ_ASSERT(out == NULL, "an error comes without a model");
    if (rc == API_REMOTE || rc == API_HTTP)
        FUZZ_ASSERT(err.http_status == status, "the status is reported");

    char line[400];
    api_error_format(&err, line, sizeof line);
    FUZZ_ASSERT(memchr(line, '\0', sizeof line) != NULL, "the formatted error is terminated");

    if (kind != API_KIND_COUNT) {
        api_model_free(kind, &out);
        FUZZ_ASSERT(out == NULL, "api_model_free NULLs the pointer");
    }
    return 0;
}
