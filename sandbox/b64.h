/*
 * b64.h - standard base64 decoding, for the Basic Authorization header.
 */
#ifndef MC_SANDBOX_B64_H
#define MC_SANDBOX_B64_H

#include <stddef.h>

/* Decodes len characters of in (trailing '=' padding optional). Writes at
 * most cap-1 bytes plus a NUL. Returns the decoded length, or -1 on a
 * character outside the alphabet, an impossible length, or when the result
 * does not fit. */
long b64_decode(const char *in, size_t len, char *out, size_t cap);

#endif
