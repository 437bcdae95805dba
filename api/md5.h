/*
 * md5.h - MD5 (RFC 1321) of one buffer, for the Basic credentials of part1
 * §2.1 (base64(till:md5hex(password))).
 *
 * Computed here rather than through OpenSSL's EVP: fetching a digest from
 * OpenSSL 3's provider builds its whole digest table, which costs a quarter
 * of a megabyte of resident memory and a millisecond of start-up for one
 * hash of a password.
 */
#ifndef MC_API_MD5_H
#define MC_API_MD5_H

#include <stddef.h>

/* The 16-byte digest of s[0..len) into out. */
void api_md5(const void *s, size_t len, unsigned char out[16]);

#endif
