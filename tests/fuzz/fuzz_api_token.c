/*
 * fuzz_api_token.c - the OAuth token response decoder (api_decode_token).
 *
 * Input: byte 0 picks the HTTP status, the rest is the body. The token it
 * returns goes verbatim into a request header, so on API_OK it must be
 * non-empty visible ASCII of bounded length: a server must not be able to
 * inject a header line or a control character through it.
 */
#include <stdint.h>
#include <string.h>

#include "api/internal.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long statuses[] = {200, 201, 400, 401, 403, 429, 500, 503, 302, 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    long status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
    struct api_error err;
    memset(&err, 0x5A, sizeof err);
    char *token = (char *)&err;
    long ttl = -12345;
    enum api_err rc = api_decode_token(status, (const char *)data + 1, size - 1, &token, &ttl, &err);

    FUZZ_ASSERT(memchr(err.message, '\0', sizeof err.message) != NULL,
                "err.message is terminated");
    if (rc == API_OK) {
        FUZZ_ASSERT(token != NULL, "API_OK comes with a token");
        size_t n = strlen(token);
        FUZZ_ASSERT(n > 0 && n <= 8192, "the token has a sane length");
        for (size_t i = 0; i < n; i++)
            FUZZ_ASSERT(token[i] > 0x20 && token[i] < 0x7F, "the token is header-safe");
    } else {
        FUZZ_ASSERT(rc == err.kind, "the return value is err.kind");
        FUZZ_ASSERT(token == NULL, "an error comes without a token");
    }
    api_free_secret(token);
    return 0;
}
