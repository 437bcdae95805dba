/*
 * sbtime.h - the sandbox's notion of "now" and the timestamp formats of the
 * API.
 *
 * MEMBERCARE_NOW pins "now" for the whole run (seeding and every timestamp a
 * route writes or compares against), so tests and golden screens see the
 * same dates on every run; a pinned clock does not advance. Without it the
 * real clock is used. Token expiry never uses this clock: it runs on the
 * monotonic clock so a pinned "now" cannot make tokens immortal.
 *
 * The database stores instants as "YYYY-MM-DDTHH:MM:SSZ" (UTC, sorts as
 * text) and dates as "YYYY-MM-DD".
 */
#ifndef MC_SANDBOX_SBTIME_H
#define MC_SANDBOX_SBTIME_H

#include <stdbool.h>
#include <time.h>

#define SBTIME_ISO_LEN 21  /* "2026-11-25T10:00:00Z" + NUL */
#define SBTIME_V11_LEN 20  /* "2026-11-25 10:00:00" + NUL */
#define SBTIME_DATE_LEN 11 /* "2026-11-25" + NUL */

struct sbtime_clock {
    bool pinned;
    time_t at; /* the pinned instant when pinned */
};

/* Parses ISO 8601 "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)" (also a
 * space instead of T, and no zone = UTC). Returns 0, or -1 when malformed. */
int sbtime_parse_iso(const char *s, time_t *out);
/* Parses "YYYY-MM-DD" as midnight UTC. Returns 0 or -1. */
int sbtime_parse_date(const char *s, time_t *out);
/* Reads MEMBERCARE_NOW (NULL or empty = real clock). -1 when malformed. */
int sbtime_clock_from_env(const char *value, struct sbtime_clock *c);
time_t sbtime_now(const struct sbtime_clock *c);

void sbtime_iso(time_t t, char out[SBTIME_ISO_LEN]);
void sbtime_v11(time_t t, char out[SBTIME_V11_LEN]);
void sbtime_date(time_t t, char out[SBTIME_DATE_LEN]);
/* Rewrites a stored ISO instant in the v1.1 style; "" when malformed. */
void sbtime_iso_to_v11(const char *iso, char out[SBTIME_V11_LEN]);

#endif
