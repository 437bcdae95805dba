/*
 * mask.h - partly masking personal data (mobile numbers, emails, names)
 * for demos and screen sharing.
 *
 * Pure functions (no curses), unit-tested. The console masks centrally:
 * every string drawn while masking is on passes through mask_text(), which
 * masks digit runs of 8 or more (mobile numbers, wherever they appear:
 * fields, ticket text, notes, comments), anything@domain, and every word
 * of the names the views have registered in a mask_names set. A masked
 * value keeps enough to tell rows apart: 9198450•••01, a•••@example.com,
 * A••• R•••.
 */
#ifndef MC_TUI_MASK_H
#define MC_TUI_MASK_H

#include <stdbool.h>
#include <stddef.h>

#define MASK_MIN_DIGITS 8
#define MASK_MAX_NAMES 128
#define MASK_NAME_MAX 64

/* Name words seen on screen (first and last names), masked wherever they
 * appear as a whole word. Oldest words give way when the set is full. */
struct mask_names {
    char words[MASK_MAX_NAMES][MASK_NAME_MAX];
    size_t n, next;
};

/* Adds every word of name (split at blanks) of at least two characters. */
void mask_names_add(struct mask_names *set, const char *name);

/* Writes text with its personal data masked into out (always terminated
 * when n > 0; cut at a character boundary when out is too small). names
 * may be NULL. ascii: '*' instead of '•'. Returns out. */
const char *mask_text(const char *text, const struct mask_names *names, bool ascii, char *out,
                      size_t n);

/* One value of a known kind, masked as a whole. */
enum pii_kind { PII_MOBILE, PII_EMAIL, PII_NAME };
const char *mask_value(const char *value, enum pii_kind kind, bool ascii, char *out, size_t n);

#endif
