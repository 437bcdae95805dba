/*
 * faults.h - deliberate misbehaviour: delay, failures, malformed answers
 * and a global rate limit, as the command-line flags ask.
 *
 * Decisions come from one PRNG behind a mutex, seeded from --fault-seed
 * (reproducible) or from the clock. The rate limit is a sliding window:
 * at most N requests are admitted in any one second, across all clients;
 * refused ones do not count.
 */
#ifndef MC_SANDBOX_FAULTS_H
#define MC_SANDBOX_FAULTS_H

#include <stdbool.h>
#include <stdint.h>

#include "sandbox/http.h"

struct faults_cfg {
    long latency_ms, jitter_ms;
    double fail_rate, malformed_rate;
    long rate_limit;     /* per second; 0 = none */
    long fail_next_writes; /* the next N non-GET/HEAD requests fail */
    bool seeded;
    uint64_t seed;
};

struct faults;

struct faults *faults_new(const struct faults_cfg *cfg);
void faults_free(struct faults **f);

/* Counts a request against the rate limit. False when over it, with the
 * seconds until a slot frees in *retry_after (at least 1). */
bool faults_admit(struct faults *f, int *retry_after);
/* Milliseconds to hold this request back (latency plus jitter). */
long faults_delay_ms(struct faults *f);
/* True when this request should fail with an injected 500. */
bool faults_fail(struct faults *f);
/* True (and counts one down) while --fail-next-writes has writes left to
 * fail and method is not GET or HEAD. Deterministic, unlike --fail-rate, so
 * a test can fail exactly one write before the handler runs. */
bool faults_fail_write(struct faults *f, const char *method);
/* With the malformed rate's probability, replaces resp with a malformed
 * answer and returns what kind ("truncated", "html", "wrong-types",
 * "empty"); otherwise NULL and resp is untouched. */
const char *faults_malform(struct faults *f, struct sb_resp *resp);

#endif
