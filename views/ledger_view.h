/*
 * ledger_view.h - the ledger screen's state, shared by its files:
 * ledger.c (life, keys, fetching, results), ledger_draw.c (drawing) and
 * ledger_export.c (CSV export). Nothing outside views/ledger*.c includes it.
 */
#ifndef MC_VIEWS_LEDGER_VIEW_H
#define MC_VIEWS_LEDGER_VIEW_H

#include "views/ledger_filter.h"
#include "views/ledger_store.h"
#include "views/views.h"

#define LEDGER_ROWS_ASKED 100   /* ledger rows per page (current docs' maximum) */
#define LEDGER_ROWS_OLD 10      /* ... after a server refuses that with 11006 */
#define TXN_ROWS_ASKED 100      /* bills per page */
#define AHEAD_MIN_ROWS 400      /* rows fetched ahead of the screen, at least */
#define AHEAD_MAX_ROWS 6000     /* ... and at most, however fast the travel */
#define AHEAD_SECONDS 1.5       /* ... or as many as this long of travel at the current speed */
#define MAX_IN_FLIGHT 6         /* pages of one list in flight at once */
#define EXPIRING_DAYS 30

enum ledger_tab { TAB_LEDGER, TAB_EXPIRY, TAB_TXNS, TAB_COUNT };

/* Request tags: what an answer is for, and which page. */
enum { TAG_PAGE = 1, TAG_ANCHOR, TAG_CLOSING, TAG_EXPIRY, TAG_TXN, TAG_MEMBER };
#define TAG(kind, page) ((int)(kind) << 24 | (int)(page))
#define TAG_KIND(t) ((t) >> 24)
#define TAG_PAGE_OF(t) ((long)((t) & 0xffffff))

struct ledger_view {
    int64_t id;                     /* the member */
    unsigned gen;                   /* the view's generation the requests below belong to */
    char idname[16];                /* identifier for the balance calls; "" until known */
    char idvalue[128];
    bool id_lookup;                 /* fetching the member to learn an identifier */
    enum ledger_tab tab;

    /* ledger */
    struct sparse st;               /* struct ledger_row rows */
    int limit;                      /* rows asked per page */
    bool started;                   /* the first page arrived and sized st */
    bool first_requested;
    bool failed;                    /* the first page failed: error is shown */
    char error[200];
    bool closing_known, closing_requested, closing_failed;
    int64_t closing;                /* Main balance now, thousandths */
    struct list_pos pos;            /* over the shown rows */
    int dir;                        /* last direction of travel: 1 down, -1 up */
    double speed;                   /* rows per second of recent travel (decaying average) */
    double moved_at;                /* app_now_ms() of the last move */

    /* filter (`/`) and find (n/N) */
    struct ledger_filter filter;    /* n == 0: no filter */
    long *match;                    /* rows passing the filter, ascending (owned) */
    long n_match, cap_match;
    struct ledger_filter find;      /* the last filter typed, kept for n/N */
    int find_dir;                   /* a find waiting for pages: 1 / -1; 0 none */
    long find_at;                   /* the row it continues after */

    /* fetching everything: for a filter, or an export */
    bool fill;
    bool export_all;
    char export_path[1024];

    /* expiry schedule */
    struct mc_expiry_schedule *expiry; /* (owned) */
    bool expiry_requested, expiry_failed;
    char expiry_error[200];
    struct list_pos epos;

    /* transactions */
    struct sparse tx;               /* struct mc_txn rows */
    bool tx_started, tx_first_requested, tx_failed;
    char tx_error[200];
    struct list_pos tpos;
    int tdir;
};

static inline struct ledger_view *LV(struct view *v) { return v->priv; }

/* The ledger rows on screen: the filter's matches, or every row. */
static inline long ledger_shown(const struct ledger_view *s)
{
    if (s->filter.n)
        return s->n_match;
    return s->started ? s->st.total : 0;
}

static inline long ledger_row_at(const struct ledger_view *s, long k)
{
    return s->filter.n ? s->match[k] : k;
}

/* Rows of the list area (below the tab line and the column titles, above the hint). */
static inline int ledger_body_rows(const struct view *v)
{
    return v->rows - 3 > 1 ? v->rows - 3 : 1;
}

/* ledger_draw.c */
void ledger_draw(struct view *v, WINDOW *w);
/* "+1,234", "-50.50", "0" from thousandths. */
void ledger_points_text(int64_t milli, bool sign, char *buf, size_t n);
/* "2026-11-25 09:00" (with_time) or "2026-11-25" from tenths of a second; "" for 0. */
void ledger_time_text(int64_t at, bool with_time, char *buf, size_t n);
/* "2026-11-25" from a day number; "" for 0. */
void ledger_day_text(int32_t day, char *buf, size_t n);

/* ledger_export.c: writes the shown loaded rows to path as CSV. Returns the
 * rows written, or -1 with a reason in err. */
long ledger_export_write(struct view *v, const char *path, char *err, size_t errlen);

/* ledger_txn.c: the bill screen over v. */
extern const struct view_ops ledger_bill_view_ops;
void ledger_open_bill(struct view *v, int64_t txn_id, const char *bill);

#endif
