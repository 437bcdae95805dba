/*
 * bench_rows.c - memory per loaded ledger row in the ledger screen's row
 * store (views/ledger_store.c): a store sized for TOTAL rows is filled
 * with LOADED rows from decoded 100-entry pages, and the growth is read
 * both from the allocator's books (exact bytes in use) and from the
 * process's resident set (VmRSS), before and after.
 *
 * Usage: bench_rows [TOTAL [LOADED]]  (default 106613 and 100000)
 * Prints one JSON object with bytes_per_row (allocator) and
 * rss_bytes_per_row, and the fixed row size.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/bench/bench_page.h"
#include "views/ledger_store.h"

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = atol(line + 6);
    if (f)
        fclose(f);
    return kb;
}

static size_t in_use(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

int main(int argc, char **argv)
{
    long total = argc > 1 ? atol(argv[1]) : 106613;
    long loaded = argc > 2 ? atol(argv[2]) : 100000;
    const long ps = 100;
    if (total < 1 || loaded < 1 || loaded > total)
        return 2;
    /* decode the pages first, so only the store's growth is measured */
    long pages = (loaded + ps - 1) / ps;
    struct mc_ledger_page **decoded = calloc((size_t)pages, sizeof *decoded);
    if (!decoded)
        return 1;
    for (long p = 0; p < pages; p++) {
        size_t len;
        char *body = bench_ledger_body(p, ps, total, &len);
        void *out;
        struct api_error err;
        if (api_decode(API_LEDGER_PAGE, 200, body, len, &out, &err) != API_OK)
            return 1;
        decoded[p] = out;
        free(body);
    }
    malloc_trim(0);
    size_t heap0 = in_use();
    long rss0 = rss_kb();
    struct sparse s;
    sparse_init(&s, sizeof(struct ledger_row));
    sparse_reset(&s, total, (int)ps);
    for (long p = 0; p < pages; p++) {
        struct mc_ledger_page *pg = decoded[p];
        if (p * ps + (long)pg->n > loaded)
            pg->n = (size_t)(loaded - p * ps); /* the last page of a partial load */
        if ((long)pg->n == sparse_page_rows(&s, p) && !ledger_put_page(&s, p, pg))
            return 1;
    }
    size_t heap1 = in_use();
    long rss1 = rss_kb();
    /* the calloc'd row array counts in full in the allocator's books but
     * only its touched pages in RSS */
    double per_row = (double)(heap1 - heap0 - (size_t)(total - s.loaded) * sizeof(struct ledger_row)) /
                     (double)s.loaded;
    printf("{\"total\":%ld,\"loaded\":%ld,\"row_bytes\":%zu,\"string_bytes_per_row\":%.1f,"
           "\"bytes_per_row\":%.1f,\"rss_bytes_per_row\":%.1f}\n",
           total, s.loaded, sizeof(struct ledger_row), (double)s.strings_len / (double)s.loaded,
           per_row, (double)(rss1 - rss0) * 1024.0 / (double)s.loaded);
    sparse_free(&s);
    for (long p = 0; p < pages; p++)
        mc_ledger_page_free(&decoded[p]);
    free(decoded);
    return 0;
}
