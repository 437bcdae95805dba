/*
 * prng.h - a small deterministic pseudo-random generator (xoshiro256**,
 * seeded through splitmix64).
 *
 * The seeder must produce the same rows for the same seed on every libc and
 * platform, which rand() does not promise; the fault injector needs a stream
 * that --fault-seed can reproduce. Not for secrets: tokens come from the
 * kernel (getrandom).
 */
#ifndef MC_SANDBOX_PRNG_H
#define MC_SANDBOX_PRNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct prng {
    uint64_t s[4];
};

void prng_seed(struct prng *p, uint64_t seed);
/* Seeds from two numbers: a stream per (seed, member) stays the same when
 * other members are added or removed. */
void prng_seed2(struct prng *p, uint64_t seed, uint64_t stream);
uint64_t prng_next(struct prng *p);
/* Uniform in [lo, hi], both included; requires lo <= hi. */
int64_t prng_range(struct prng *p, int64_t lo, int64_t hi);
/* Uniform in [0, 1). */
double prng_unit(struct prng *p);
/* True with the given probability (<= 0 never, >= 1 always). */
bool prng_chance(struct prng *p, double probability);
/* Index in [0, n) drawn with the given integer weights; n > 0, sum > 0. */
size_t prng_weighted(struct prng *p, const unsigned *weights, size_t n);

#endif
