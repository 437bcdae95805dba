/*
 * ledger_store.c - the sparse paged store, fetch planning and running
 * balances (see ledger_store.h).
 *
 * Balances: row i's balance is the Main balance after entry i. Rows are
 * newest first, so for neighbours i (newer) and i + 1 (older):
 *     balance[i + 1] = balance[i] - main[i]
 *     balance[i]     = balance[i + 1] + main[i]
 * A page's balances follow from any one known balance in it, and from the
 * last row of the page above or the first row of the page below; known
 * balances spread through runs of loaded pages and stop at a page not
 * loaded yet, to resume when it arrives.
 */
#include <stdlib.h>
#include <string.h>

#include "views/ledger_store.h"

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

void sparse_init(struct sparse *s, size_t elem)
{
    memset(s, 0, sizeof *s);
    s->elem = elem;
    s->total = -1;
    s->page_size = 1;
}

void sparse_free(struct sparse *s)
{
    free(s->state);
    free(s->rows);
    free(s->strings);
    size_t elem = s->elem;
    sparse_init(s, elem);
}

void sparse_reset(struct sparse *s, long total, int page_size)
{
    size_t elem = s->elem;
    sparse_free(s);
    s->elem = elem;
    s->total = total < 0 ? 0 : total;
    s->page_size = page_size > 0 ? page_size : 1;
    s->n_pages = (s->total + s->page_size - 1) / s->page_size;
    s->state = calloc((size_t)(s->n_pages ? s->n_pages : 1), 1);
    /* calloc of a large block maps fresh zero pages: only pages written by
     * sparse_put become resident. */
    s->rows = calloc((size_t)(s->total ? s->total : 1), elem);
    s->strings_cap = 4096;
    s->strings = malloc(s->strings_cap);
    if (!s->state || !s->rows || !s->strings)
        abort();
    s->strings[0] = '\0';
    s->strings_len = 1;
}

long sparse_page_rows(const struct sparse *s, long page)
{
    if (page < 0 || page >= s->n_pages)
        return 0;
    long left = s->total - page * s->page_size;
    return left < s->page_size ? left : s->page_size;
}

void *sparse_row(const struct sparse *s, long i)
{
    if (i < 0 || i >= s->total || !sparse_has(s, i / s->page_size))
        return NULL;
    return s->rows + (size_t)i * s->elem;
}

void sparse_mark_requested(struct sparse *s, long page)
{
    if (page < 0 || page >= s->n_pages || (s->state[page] & SP_REQUESTED))
        return;
    s->state[page] |= SP_REQUESTED;
    s->in_flight++;
}

void sparse_unrequest(struct sparse *s, long page)
{
    if (page < 0 || page >= s->n_pages || !(s->state[page] & SP_REQUESTED))
        return;
    s->state[page] &= (uint8_t)~SP_REQUESTED;
    s->in_flight--;
}

void sparse_fail(struct sparse *s, long page)
{
    sparse_unrequest(s, page);
    if (page >= 0 && page < s->n_pages)
        s->state[page] |= SP_FAILED;
}

void sparse_unrequest_all(struct sparse *s)
{
    for (long p = 0; p < s->n_pages; p++)
        s->state[p] &= (uint8_t) ~(SP_REQUESTED | SP_ANCHORING);
    s->in_flight = 0;
}

bool sparse_put(struct sparse *s, long page, const void *rows, size_t src_elem, size_t n,
                const char *strings, size_t strings_len, sparse_rebase_fn rebase)
{
    if (page < 0 || page >= s->n_pages || (long)n != sparse_page_rows(s, page) ||
        src_elem > s->elem)
        return false;
    sparse_unrequest(s, page);
    if (s->state[page] & SP_LOADED)
        return true; /* a second answer for the same page: the first one stays */
    /* offset 0 of the page's strings is "" and needs no copy */
    size_t add = strings_len > 1 ? strings_len - 1 : 0;
    if (s->strings_len + add > UINT32_MAX)
        return false;
    if (s->strings_len + add > s->strings_cap) {
        while (s->strings_len + add > s->strings_cap)
            s->strings_cap *= 2;
        s->strings = xrealloc(s->strings, s->strings_cap);
    }
    uint32_t base = (uint32_t)(s->strings_len - 1);
    if (add)
        memcpy(s->strings + s->strings_len, strings + 1, add);
    s->strings_len += add;
    unsigned char *dst = s->rows + (size_t)page * (size_t)s->page_size * s->elem;
    if (src_elem == s->elem) {
        memcpy(dst, rows, n * s->elem);
    } else {
        memset(dst, 0, n * s->elem);
        for (size_t i = 0; i < n; i++)
            memcpy(dst + i * s->elem, (const unsigned char *)rows + i * src_elem, src_elem);
    }
    if (rebase && base)
        for (size_t i = 0; i < n; i++)
            rebase(dst + i * s->elem, base);
    s->state[page] |= SP_LOADED;
    s->loaded += (long)n;
    return true;
}

static bool wanted(const struct sparse *s, long page)
{
    return page >= 0 && page < s->n_pages &&
           !(s->state[page] & (SP_LOADED | SP_REQUESTED | SP_FAILED));
}

static void add_range(const struct sparse *s, long from, long to, int step, long *out, long *n,
                      long max)
{
    /* rows from..to (inclusive, in the order of step) -> their pages */
    if (s->total <= 0)
        return;
    if (from < 0)
        from = 0;
    if (to < 0)
        to = 0;
    if (from >= s->total)
        from = s->total - 1;
    if (to >= s->total)
        to = s->total - 1;
    long pa = from / s->page_size, pb = to / s->page_size;
    for (long p = pa; *n < max; p += step) {
        if (wanted(s, p)) {
            bool dup = false;
            for (long k = 0; k < *n; k++)
                dup |= out[k] == p;
            if (!dup)
                out[(*n)++] = p;
        }
        if (p == pb)
            break;
    }
}

long sparse_plan(const struct sparse *s, long top, int height, int dir, long ahead, long *out,
                 long max)
{
    long n = 0;
    if (s->total <= 0 || max <= 0)
        return 0;
    if (height < 1)
        height = 1;
    long bottom = top + height - 1;
    add_range(s, top, bottom, 1, out, &n, max);
    if (dir >= 0) {
        add_range(s, bottom + 1, bottom + ahead, 1, out, &n, max);
        add_range(s, top - 1, top - height, -1, out, &n, max);
    } else {
        add_range(s, top - 1, top - ahead, -1, out, &n, max);
        add_range(s, bottom + 1, bottom + height, 1, out, &n, max);
    }
    return n;
}

long sparse_next_missing(const struct sparse *s, long from)
{
    if (s->n_pages <= 0)
        return -1;
    if (from < 0 || from >= s->n_pages)
        from = 0;
    for (long k = 0; k < s->n_pages; k++) {
        long p = (from + k) % s->n_pages;
        if (wanted(s, p))
            return p;
    }
    return -1;
}

/* Ledger rows */

void ledger_rebase(void *row, uint32_t base)
{
    struct ledger_row *r = row;
    for (int t = 0; t < MC_LT_COUNT; t++)
        if (r->e.text[t])
            r->e.text[t] += base;
}

static struct ledger_row *lrow(const struct sparse *s, long i)
{
    return (struct ledger_row *)(s->rows + (size_t)i * s->elem);
}

/* Fills page p's balances from row `from`, whose balance is set. */
static void fill_page(struct sparse *s, long p, long from)
{
    long first = p * s->page_size, last = first + sparse_page_rows(s, p) - 1;
    for (long i = from; i < last; i++)
        lrow(s, i + 1)->balance = lrow(s, i)->balance - lrow(s, i)->e.main;
    for (long i = from; i > first; i--)
        lrow(s, i - 1)->balance = lrow(s, i)->balance + lrow(s, i - 1)->e.main;
    s->state[p] |= SP_BALANCED;
}

/* Carries the known balances of page p to loaded neighbours, both ways. */
static void spread(struct sparse *s, long p)
{
    for (long q = p + 1; q < s->n_pages; q++) {
        if (!(s->state[q] & SP_LOADED) || (s->state[q] & SP_BALANCED))
            break;
        long prev_last = q * s->page_size - 1;
        lrow(s, prev_last + 1)->balance = lrow(s, prev_last)->balance - lrow(s, prev_last)->e.main;
        fill_page(s, q, prev_last + 1);
    }
    for (long q = p - 1; q >= 0; q--) {
        if (!(s->state[q] & SP_LOADED) || (s->state[q] & SP_BALANCED))
            break;
        long next_first = (q + 1) * s->page_size;
        lrow(s, next_first - 1)->balance =
            lrow(s, next_first)->balance + lrow(s, next_first - 1)->e.main;
        fill_page(s, q, next_first - 1);
    }
}

bool ledger_put_page(struct sparse *s, long page, const struct mc_ledger_page *p)
{
    if (!sparse_put(s, page, p->entries, sizeof *p->entries, p->n, p->strings, p->strings_len,
                    ledger_rebase))
        return false;
    if (s->state[page] & SP_BALANCED)
        return true;
    long first = page * s->page_size;
    if (page > 0 && (s->state[page - 1] & SP_BALANCED)) {
        lrow(s, first)->balance = lrow(s, first - 1)->balance - lrow(s, first - 1)->e.main;
        fill_page(s, page, first);
    } else if (page + 1 < s->n_pages && (s->state[page + 1] & SP_BALANCED)) {
        long last = first + sparse_page_rows(s, page) - 1;
        lrow(s, last)->balance = lrow(s, last + 1)->balance + lrow(s, last)->e.main;
        fill_page(s, page, last);
    } else {
        return true;
    }
    spread(s, page);
    return true;
}

void ledger_set_balance(struct sparse *s, long row, int64_t balance)
{
    if (row < 0 || row >= s->total)
        return;
    long p = row / s->page_size;
    if (!(s->state[p] & SP_LOADED) || (s->state[p] & SP_BALANCED))
        return; /* a balance already carried from a neighbour stands */
    lrow(s, row)->balance = balance;
    fill_page(s, p, row);
    spread(s, p);
}

int64_t ledger_balance_of(const struct sparse *s, long i)
{
    if (i < 0 || i >= s->total)
        return LEDGER_NO_BALANCE;
    long p = i / s->page_size;
    if ((s->state[p] & (SP_LOADED | SP_BALANCED)) != (SP_LOADED | SP_BALANCED))
        return LEDGER_NO_BALANCE;
    return lrow(s, i)->balance;
}

bool ledger_anchor_row(const struct sparse *s, long page, long *row, int64_t *at)
{
    if (!sparse_has(s, page))
        return false;
    long first = page * s->page_size, n = sparse_page_rows(s, page);
    int64_t top = lrow(s, first)->e.at;
    if (top <= 0)
        return false;
    for (long i = first + 1; i < first + n; i++) {
        int64_t t = lrow(s, i)->e.at;
        if (t <= 0)
            return false;
        if (t / 10 < top / 10) {
            *row = i;
            *at = t;
            return true;
        }
    }
    return false;
}
