/*
 * ledger_store.h - the rows behind the ledger screen's long lists: a sparse,
 * paged store, the choice of pages to fetch, and the running balance.
 *
 * Pure (no curses, no I/O), so it is unit-tested directly.
 *
 * A store knows how many rows the server has (total) and holds them in one
 * array of fixed-size rows indexed by row number, allocated for the whole
 * list at once: memory is only touched (and so only counted by the system)
 * for the pages actually loaded, so jumping to the last page of a
 * 100,000-row ledger costs that page and nothing in between. The rows'
 * strings live in one block (each loaded page's strings appended, the rows'
 * offsets moved to match), so a loaded row costs its fixed size plus its
 * share of the strings, with no allocation of its own.
 */
#ifndef MC_VIEWS_LEDGER_STORE_H
#define MC_VIEWS_LEDGER_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"

/* Page states (bits). */
enum {
    SP_REQUESTED = 1u << 0, /* a fetch is in flight */
    SP_LOADED = 1u << 1,    /* rows are here */
    SP_BALANCED = 1u << 2,  /* (ledger) running balances of the page are known */
    SP_ANCHORING = 1u << 3, /* (ledger) a balance-as-of request is in flight, or failed */
    SP_FAILED = 1u << 4,    /* the fetch failed after the worker's retries: not planned
                             * again until the screen reloads */
};

struct sparse {
    size_t elem;            /* bytes per row */
    long total;             /* rows the server has; -1 until known */
    int page_size;          /* rows per page (the request's limit) */
    long n_pages;
    uint8_t *state;         /* n_pages states (owned) */
    unsigned char *rows;    /* total * elem bytes, zeroed (owned) */
    char *strings;          /* the loaded rows' strings; offset 0 is "" (owned) */
    size_t strings_len, strings_cap;
    long loaded;            /* rows loaded */
    int in_flight;          /* pages with SP_REQUESTED */
};

/* Moves a row's string offsets by base (each text offset that is not 0). */
typedef void (*sparse_rebase_fn)(void *row, uint32_t base);

void sparse_init(struct sparse *s, size_t elem);
/* Forgets every row and sizes the store for total rows in pages of page_size. */
void sparse_reset(struct sparse *s, long total, int page_size);
void sparse_free(struct sparse *s);

static inline long sparse_page_of(const struct sparse *s, long row) { return row / s->page_size; }
/* Rows page p holds: page_size, fewer for the last page. */
long sparse_page_rows(const struct sparse *s, long page);
/* Row i, or NULL when its page is not loaded (or i is out of range). */
void *sparse_row(const struct sparse *s, long i);
static inline bool sparse_has(const struct sparse *s, long page)
{
    return page >= 0 && page < s->n_pages && (s->state[page] & SP_LOADED);
}

void sparse_mark_requested(struct sparse *s, long page);
/* Clears SP_REQUESTED (the fetch was cancelled). */
void sparse_unrequest(struct sparse *s, long page);
/* Clears SP_REQUESTED and sets SP_FAILED. */
void sparse_fail(struct sparse *s, long page);
/* Clears SP_REQUESTED and SP_ANCHORING everywhere (after cancelling every fetch). */
void sparse_unrequest_all(struct sparse *s);

/* Stores a fetched page: n rows of src_elem bytes (each the start of a
 * store row; the rest of the row is zeroed) and the strings they point
 * into (strings_len bytes, offset 0 being ""). Returns false, storing
 * nothing, when n is not what the page must hold (the list changed on the
 * server) or the page is out of range. */
bool sparse_put(struct sparse *s, long page, const void *rows, size_t src_elem, size_t n,
                const char *strings, size_t strings_len, sparse_rebase_fn rebase);

/* Pages worth fetching now, nearest first, at most max of them into out:
 * the visible rows [top, top + height), then the rows ahead in the
 * direction of travel (dir > 0 down, < 0 up) up to `ahead` rows past the
 * visible ones, then one screen behind. Pages loaded, in flight or failed
 * are skipped. Returns how many. */
long sparse_plan(const struct sparse *s, long top, int height, int dir, long ahead, long *out,
                 long max);
/* The first page at or after `from` that is neither loaded, in flight nor
 * failed (wrapping to 0), or -1 when there is none. */
long sparse_next_missing(const struct sparse *s, long from);

/* Ledger rows */

#define LEDGER_NO_BALANCE INT64_MIN

struct ledger_row {
    struct mc_ledger_entry e; /* text offsets point into the store's strings */
    int64_t balance;          /* Main balance after this entry, thousandths; valid when the
                               * page is SP_BALANCED */
};

void ledger_rebase(void *row, uint32_t base);
/* Stores a ledger page (as sparse_put) and works out its running balances
 * from a neighbouring page whose balances are known, carrying them on to
 * loaded neighbours after it. */
bool ledger_put_page(struct sparse *s, long page, const struct mc_ledger_page *p);
/* The balance after row `row` is `balance`: fills its page and carries on
 * to loaded neighbours. */
void ledger_set_balance(struct sparse *s, long row, int64_t balance);
/* Balance after row i, or LEDGER_NO_BALANCE when not known yet. */
int64_t ledger_balance_of(const struct sparse *s, long i);
/* For a loaded page whose balances are unknown: the row whose balance the
 * server can tell ("closing balance as of the end of second T", T this
 * row's second) without knowing the pages around it: the first row of the
 * page whose second is earlier than the second of the page's first row,
 * since every entry newer than it then belongs to a later second, and
 * every entry older than it of its own second follows it in the list.
 * false when no row of the page qualifies (all of one second, or undated). */
bool ledger_anchor_row(const struct sparse *s, long page, long *row, int64_t *at);

#endif
