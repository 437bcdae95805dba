/*
 * prng.c - xoshiro256** with splitmix64 seeding (public-domain algorithms
 * by Blackman and Vigna), plus unbiased range helpers.
 */
#include "sandbox/prng.h"

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void prng_seed(struct prng *p, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++)
        p->s[i] = splitmix64(&x);
}

void prng_seed2(struct prng *p, uint64_t seed, uint64_t stream)
{
    uint64_t x = stream;
    prng_seed(p, seed ^ splitmix64(&x));
}

uint64_t prng_next(struct prng *p)
{
    uint64_t *s = p->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

int64_t prng_range(struct prng *p, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;
    if (span == 0)
        return (int64_t)prng_next(p);
    /* Rejection keeps every value equally likely (plain modulo favours the low ones). */
    uint64_t limit = UINT64_MAX - (UINT64_MAX % span);
    uint64_t v;
    do
        v = prng_next(p);
    while (v >= limit);
    return (int64_t)((uint64_t)lo + v % span);
}

double prng_unit(struct prng *p)
{
    return (double)(prng_next(p) >> 11) * 0x1.0p-53;
}

bool prng_chance(struct prng *p, double probability)
{
    if (probability <= 0.0)
        return false;
    if (probability >= 1.0)
        return true;
    return prng_unit(p) < probability;
}

size_t prng_weighted(struct prng *p, const unsigned *weights, size_t n)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += weights[i];
    uint64_t r = (uint64_t)prng_range(p, 0, (int64_t)sum - 1);
    for (size_t i = 0; i < n; i++) {
        if (r < weights[i])
            return i;
        r -= weights[i];
    }
    return n - 1;
}
