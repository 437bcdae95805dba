/*
 * bench_decode.c - decoding one 1,000-entry ledger page (the body the
 * sandbox sends for getCustomerLedgerInfo, built by bench_page.h) with the
 * console's decoder, as the request worker does for every page.
 *
 * Usage: bench_decode [ENTRIES [RUNS]]  (default 1000 entries, 50 runs)
 * Prints one JSON object: {"entries":..,"bytes":..,"runs":..,"median_ms":..,
 * "min_ms":..,"us_per_entry":..}
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "api/api.h"
#include "tests/bench/bench_page.h"

/* CPU time of this thread: on a shared machine wall time mostly measures
 * the other processes. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000;
    int runs = argc > 2 ? atoi(argv[2]) : 50;
    if (n < 1 || runs < 1)
        return 2;
    size_t len;
    char *body = bench_ledger_body(0, n, n * 100, &len);
    double *t = malloc(sizeof *t * (size_t)runs);
    if (!t)
        return 1;
    for (int r = 0; r < runs; r++) {
        void *out;
        struct api_error err;
        double t0 = now_ms();
        enum api_err rc = api_decode(API_LEDGER_PAGE, 200, body, len, &out, &err);
        t[r] = now_ms() - t0;
        if (rc != API_OK || ((struct mc_ledger_page *)out)->n != (size_t)n) {
            fprintf(stderr, "bench_decode: decoding failed: %s\n", err.message);
            return 1;
        }
        api_model_free(API_LEDGER_PAGE, &out);
    }
    qsort(t, (size_t)runs, sizeof *t, cmp);
    double med = t[runs / 2];
    printf("{\"entries\":%ld,\"bytes\":%zu,\"runs\":%d,\"median_ms\":%.3f,\"min_ms\":%.3f,"
           "\"us_per_entry\":%.3f}\n",
           n, len, runs, med, t[0], med * 1000.0 / (double)n);
    free(t);
    free(body);
    return 0;
}
