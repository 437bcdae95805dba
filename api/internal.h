/*
 * internal.h - helpers shared by the api layer's own files, never included
 * outside api/ (and its unit tests).
 *
 * Out-of-memory aborts (STYLE.md §6): every allocation below either succeeds
 * or ends the process with a message, so call sites stay free of NULL checks.
 * The worker's response buffers are the one exception and use plain realloc
 * so a hostile body ends as an error, not an abort.
 */
#ifndef MC_API_INTERNAL_H
#define MC_API_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

#include "api/api.h"

/* Allocation that aborts on out-of-memory. */
void *api_xmalloc(size_t n);
void *api_xcalloc(size_t count, size_t size);
void *api_xrealloc(void *p, size_t n);
char *api_xstrdup(const char *s);
char *api_xstrndup(const char *s, size_t n);
char *api_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The longest prefix of s[0..len) no longer than max bytes that does not
 * end inside a UTF-8 sequence (so a cut never leaves half a character). */
size_t api_utf8_cut(const char *s, size_t len, size_t max);

/* Overwrites n bytes in a way the compiler may not drop (secrets). */
void api_wipe(void *p, size_t n);
/* Wipes and frees a NUL-terminated secret; NULL is fine. */
void api_free_secret(char *s);

/* Fills err: kind, http status, server code and a formatted message
 * (truncated to fit). */
void api_error_set(struct api_error *err, enum api_err kind, long http_status, long code,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Sets err->unknown_outcome for a finished request of method: never for
 * GET; for a write, true unless err is a success, a refusal the server
 * stated, or never_sent (the connection was never made). */
void api_error_mark_outcome(struct api_error *err, enum api_method method, bool never_sent);

/* Builds a request (pure); takes ownership of path and body. */
struct api_request *api_request_new(enum api_kind kind, enum api_method method, char *path,
                                    char *body);

/* Percent-encodes s for a query value: everything but RFC 3986 unreserved
 * characters becomes %XX (upper-case hex). Runs on any thread; never NULL. */
char *api_url_encode(const char *s);

/* Basic auth: "Authorization: Basic base64(user:md5hex(password))". The
 * intermediate "user:md5hex" text is wiped before returning. */
char *api_basic_auth_header(const char *user, const char *password);
/* Lower-case hex MD5 of s into out (33 bytes). */
void api_md5_hex(const char *s, size_t len, char out[33]);

/* The body of POST /v3/oauth/token/generate, {"key":..,"secret":..}, JSON
 * escaped. The caller wipes it (api_free_secret) after use. */
char *api_oauth_body(const char *key, const char *secret);
/* Decodes a token response (§2.2). On API_OK *token is a heap copy of
 * data.accessToken (checked to be header-safe) and *ttl_s its lifetime. */
enum api_err api_decode_token(long http_status, const char *body, size_t len, char **token,
                              long *ttl_s, struct api_error *err);

#endif
