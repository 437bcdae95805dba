/*
 * options.h - the command line of membercare-sandbox.
 */
#ifndef MC_SANDBOX_OPTIONS_H
#define MC_SANDBOX_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct sb_options {
    const char *bind;       /* listen address (argv string) */
    long port;              /* 0 = any free port */
    const char *db_path;    /* NULL = temporary database removed at exit */
    uint64_t seed;          /* generator seed for a new database */
    long customers;         /* generated members for a new database */
    long latency_ms;        /* added before every answer */
    long jitter_ms;         /* plus uniform 0..jitter_ms */
    double fail_rate;       /* probability of an injected HTTP 500 */
    double malformed_rate;  /* probability of a malformed answer */
    long rate_limit;        /* requests per second, 0 = unlimited */
    long fail_next_writes;  /* the next N non-GET requests answer 500 unapplied */
    const char *log_path;   /* one line per request, NULL = none */
    long token_ttl;         /* OAuth token lifetime, seconds */
    bool fault_seed_set;
    uint64_t fault_seed;    /* reproducible fault stream when set */
    long threads;           /* HTTP worker threads */
    long max_body;          /* request body limit, bytes */
    bool help;
    bool version;
};

/* Fills o from argv (argv strings are borrowed, not copied). Returns 0, or
 * -1 with a one-line message in err. */
int options_parse(int argc, char **argv, struct sb_options *o, char *err, size_t errlen);
void options_usage(FILE *f);

#endif
