/*
 * ledger.c - "where did my points go?": a member's points ledger with the
 * running balance, the points expiry schedule and the bills behind the
 * points, as three tabs of one screen.
 *
 * Endpoints:
 *   GET /v2/pointsLedger/getCustomerLedgerInfo (isFilterBasedOnDate=false:
 *       the whole history, newest first, 100 rows a page, 10 when the server
 *       refuses 100 with 11006; `offset` is a page number)
 *   GET /v2/pointsLedger/getCustomerLedgerBalance (the closing balance now,
 *       and as of a given second for pages reached without their
 *       neighbours, e.g. after G)
 *   GET /v2/customers/{id}/pointsExpirySchedule
 *   GET /v2/customers/{id}/transactions (record offset, 100 a page)
 *   GET /v2/customers/{id} (only when opened without an identifier for the
 *       balance calls, which take no customer id)
 *
 * Long histories: pages are fetched lazily, several in parallel: the rows on
 * screen, then at least two screens (and 400 rows) ahead in the direction
 * of travel, then a screen behind, so holding PgDn never outruns the
 * fetches by more than one round trip. G computes the last page from the
 * page count and fetches it directly; the rows in between stay "not loaded"
 * until scrolled into view. Rows live in one array of fixed-size rows with
 * their strings in one block (ledger_store.h).
 *
 * Running balance: the balance after the newest entry is the closing
 * balance; older rows follow by subtracting each entry's Main points
 * (ledger_store.c). A page reached without its neighbours asks the balance
 * as of one of its rows' second (ledger_anchor_row), so equal timestamps
 * never make it ambiguous.
 *
 * Keys (ledger context): Left/Right, h, Tab / S-Tab or 1 2 3 switch tabs;
 * arrows, PgUp/PgDn, g/G move; Enter opens the bill of a purchase or return
 * (line items) and shows the details of other entries; / filters (kind:,
 * date ranges, text; ledger_filter.h), n/N find the next/previous match
 * (loading pages as needed); Esc and q stop an export or a search, then
 * clear the filter, then go back (the framework's rules apply first: Esc
 * with fetches in flight cancels them, which also stops an export, a
 * search or a filter's loading; going back with fetches in flight cancels
 * them instead, so a second press leaves); F5 reloads.
 * Commands: :export FILE (the rows loaded, filtered if a filter is on),
 * :export! FILE or :export --all FILE (fetches the whole ledger first, with
 * a progress bar in the status line; Esc cancels).
 * Children: the bill screen (ledger_txn.c).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/text.h"
#include "views/ledger_view.h"

static void schedule(struct view *v);

/* Identifier for the balance calls */

static void take_identifier(struct ledger_view *s, const struct mc_customer *c)
{
    const char *names[] = {"mobile", "email", "externalId", "cardnumber"};
    const char *values[] = {c->mobile, c->email, c->external_id, c->card_number};
    for (int i = 0; i < 4; i++) {
        if (values[i] && *values[i]) {
            snprintf(s->idname, sizeof s->idname, "%s", names[i]);
            snprintf(s->idvalue, sizeof s->idvalue, "%s", values[i]);
            return;
        }
    }
}

/* Requests */

static void request_page(struct view *v, long page)
{
    struct ledger_view *s = LV(v);
    sparse_mark_requested(&s->st, page);
    view_submit(v, api_ledger_page(s->id, page, s->limit), TAG(TAG_PAGE, page));
}

static void request_txn_page(struct view *v, long page)
{
    struct ledger_view *s = LV(v);
    if (s->tx_started)
        sparse_mark_requested(&s->tx, page);
    view_submit(v, api_transactions(s->id, page * TXN_ROWS_ASKED, TXN_ROWS_ASKED),
                TAG(TAG_TXN, page));
}

static void request_anchor(struct view *v, long page)
{
    struct ledger_view *s = LV(v);
    long row;
    int64_t at;
    if (!s->idname[0] || (s->st.state[page] & (SP_BALANCED | SP_ANCHORING)) ||
        !ledger_anchor_row(&s->st, page, &row, &at))
        return;
    s->st.state[page] |= SP_ANCHORING;
    view_submit(v, api_ledger_balance(s->idname, s->idvalue, at), TAG(TAG_ANCHOR, page));
}

/* Forgets that anything was asked (the answers will not come), so
 * schedule() asks again what is needed. */
static void forget_requests(struct ledger_view *s)
{
    sparse_unrequest_all(&s->st);
    sparse_unrequest_all(&s->tx);
    if (!s->started)
        s->first_requested = false;
    if (!s->tx_started)
        s->tx_first_requested = false;
    s->closing_requested = false;
    if (!s->expiry)
        s->expiry_requested = false;
    s->id_lookup = false;
}

/* Drops every answer still coming (they would belong to an older state). */
static void cancel_all(struct view *v)
{
    struct ledger_view *s = LV(v);
    view_cancel(v);
    s->gen = v->generation;
    forget_requests(s);
}

/* Esc with requests in flight cancels them in the framework (tui/app.c),
 * which bumps the view's generation without telling the view: on the next
 * event the screen notices, forgets what it had asked, and stops the
 * export, search or filter loading that Esc was meant to stop. */
static void sync_cancelled(struct view *v)
{
    struct ledger_view *s = LV(v);
    if (s->gen == v->generation)
        return;
    s->gen = v->generation;
    forget_requests(s);
    if (s->export_all)
        app_status(v->app, STATUS_WARN, "Export cancelled");
    s->export_all = false;
    s->find_dir = 0;
    s->fill = false;
}

/* The ledger from scratch (a page size change, a ledger that changed under
 * us). The cursor row is kept. */
static void ledger_restart(struct view *v)
{
    struct ledger_view *s = LV(v);
    cancel_all(v);
    sparse_free(&s->st);
    s->started = s->failed = false;
    s->first_requested = true;
    s->n_match = 0;
    s->find_dir = 0;
    request_page(v, 0);
}

static long shown_row(const struct ledger_view *s)
{
    long n = ledger_shown(s);
    if (s->pos.cursor < 0 || s->pos.cursor >= n)
        return -1;
    return ledger_row_at(s, s->pos.cursor);
}

/* Filter matches */

static long lower_bound(const long *a, long n, long x)
{
    long lo = 0, hi = n;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (a[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void match_reserve(struct ledger_view *s, long need)
{
    if (need <= s->cap_match)
        return;
    long cap = s->cap_match ? s->cap_match : 256;
    while (cap < need)
        cap *= 2;
    long *m = realloc(s->match, sizeof *m * (size_t)cap);
    if (!m)
        abort();
    s->match = m;
    s->cap_match = cap;
}

/* Adds the matching rows of a page just loaded, keeping the cursor on its row. */
static void match_page(struct view *v, long page)
{
    struct ledger_view *s = LV(v);
    if (!s->filter.n)
        return;
    long first = page * s->st.page_size, n = sparse_page_rows(&s->st, page);
    long found[LEDGER_ROWS_ASKED], k = 0;
    for (long i = first; i < first + n && k < LEDGER_ROWS_ASKED; i++) {
        const struct ledger_row *r = sparse_row(&s->st, i);
        if (r && lfilter_match(&s->filter, r, s->st.strings))
            found[k++] = i;
    }
    if (!k)
        return;
    match_reserve(s, s->n_match + k);
    long at = lower_bound(s->match, s->n_match, first);
    memmove(s->match + at + k, s->match + at, sizeof *s->match * (size_t)(s->n_match - at));
    memcpy(s->match + at, found, sizeof *found * (size_t)k);
    s->n_match += k;
    if (s->pos.cursor >= at && s->n_match > k) {
        s->pos.cursor += k;
        s->pos.top += k;
    }
}

static void match_all(struct ledger_view *s)
{
    s->n_match = 0;
    if (!s->filter.n || !s->started)
        return;
    for (long i = 0; i < s->st.total; i++) {
        const struct ledger_row *r = sparse_row(&s->st, i);
        if (!r) {
            i = (i / s->st.page_size + 1) * s->st.page_size - 1; /* skip the page */
            continue;
        }
        if (lfilter_match(&s->filter, r, s->st.strings)) {
            match_reserve(s, s->n_match + 1);
            s->match[s->n_match++] = i;
        }
    }
}

/* Points the cursor at `row` (or the nearest shown row after it). */
static void cursor_to_row(struct view *v, long row)
{
    struct ledger_view *s = LV(v);
    if (row < 0)
        row = 0;
    s->pos.cursor = s->filter.n ? lower_bound(s->match, s->n_match, row) : row;
    int h = ledger_body_rows(v);
    s->pos.top = s->pos.cursor - h / 2;
    list_clamp(&s->pos, ledger_shown(s), h);
}

/* Find (n / N) */

static void find_continue(struct view *v)
{
    struct ledger_view *s = LV(v);
    if (!s->find_dir || !s->started)
        return;
    for (long i = s->find_at + s->find_dir; i >= 0 && i < s->st.total; i += s->find_dir) {
        long p = sparse_page_of(&s->st, i);
        if (!sparse_has(&s->st, p)) {
            if (s->st.state[p] & SP_FAILED)
                continue;
            s->find_at = i - s->find_dir; /* resumes here when the page arrives */
            if (!(s->st.state[p] & SP_REQUESTED) && s->st.in_flight < MAX_IN_FLIGHT)
                request_page(v, p);
            return;
        }
        const struct ledger_row *r = sparse_row(&s->st, i);
        if (lfilter_match(&s->find, r, s->st.strings)) {
            s->find_dir = 0;
            cursor_to_row(v, i);
            app_status(v->app, STATUS_OK, "Row %ld of %ld matches '%s'", i + 1, s->st.total,
                       s->find.source);
            return;
        }
    }
    app_status(v->app, STATUS_WARN, "No more matches for '%s' %s", s->find.source,
               s->find_dir > 0 ? "below" : "above");
    s->find_dir = 0;
}

static void find_step(struct view *v, int dir)
{
    struct ledger_view *s = LV(v);
    if (!s->find.n) {
        app_status(v->app, STATUS_INFO, "Nothing to find yet: / types a filter, n and N find it");
        return;
    }
    if (s->filter.n) {
        /* every shown row matches: the next match is the next row */
        long to = s->pos.cursor + dir;
        if (to >= 0 && to < s->n_match) {
            s->pos.cursor = to;
            list_clamp(&s->pos, s->n_match, ledger_body_rows(v));
        } else {
            app_status(v->app, STATUS_WARN, "No more matches for '%s' %s%s", s->filter.source,
                       dir > 0 ? "below" : "above",
                       s->started && s->st.loaded < s->st.total ? " yet (still loading)" : "");
        }
        return;
    }
    long row = shown_row(s);
    if (row < 0)
        return;
    s->find_at = row;
    s->find_dir = dir;
    app_status(v->app, STATUS_INFO, "Searching for '%s'...", s->find.source);
    find_continue(v);
}

/* Fetch planning */

static void export_progress(struct view *v)
{
    struct ledger_view *s = LV(v);
    long total = s->st.total > 0 ? s->st.total : 1;
    int pct = (int)(s->st.loaded * 100 / total);
    char bar[24];
    int filled = pct / 5;
    for (int i = 0; i < 20; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[20] = '\0';
    char a[32], b[32];
    text_format_number((double)s->st.loaded, a, sizeof a);
    text_format_number((double)s->st.total, b, sizeof b);
    app_status(v->app, STATUS_INFO, "Exporting [%s] %d%% (%s of %s rows) - Esc cancels", bar, pct,
               a, b);
}

static void export_finish(struct view *v)
{
    struct ledger_view *s = LV(v);
    s->export_all = false;
    s->fill = s->filter.n > 0;
    char err[256];
    long n = ledger_export_write(v, s->export_path, err, sizeof err);
    if (n < 0) {
        app_status(v->app, STATUS_ERROR, "Export failed: %s", err);
        return;
    }
    char num[32];
    text_format_number((double)n, num, sizeof num);
    if (s->filter.n)
        app_status(v->app, STATUS_OK, "Exported %s rows matching '%s' to %s", num,
                   s->filter.source, s->export_path);
    else
        app_status(v->app, STATUS_OK, "Exported %s rows to %s", num, s->export_path);
}

/* How far ahead to fetch: two screens and AHEAD_MIN_ROWS at least, more
 * when the agent travels fast (PgDn held), so the fetches stay ahead by
 * more than a round trip of a loaded server. */
static long lookahead(const struct ledger_view *s, int h)
{
    long ahead = 2L * h > AHEAD_MIN_ROWS ? 2L * h : AHEAD_MIN_ROWS;
    long fast = (long)(s->speed * AHEAD_SECONDS);
    if (fast > ahead)
        ahead = fast > AHEAD_MAX_ROWS ? AHEAD_MAX_ROWS : fast;
    return ahead;
}

/* Updates the travel speed after the cursor moved by `rows`. */
static void note_travel(struct ledger_view *s, long rows)
{
    double now = app_now_ms(), dt = now - s->moved_at;
    if (rows < 0)
        rows = -rows;
    /* a move more than a second after the last starts afresh */
    if (dt > 1000 || dt <= 0)
        s->speed = 0;
    else
        s->speed = 0.7 * s->speed + 0.3 * ((double)rows * 1000.0 / dt);
    s->moved_at = now;
}

/* An export of everything is written once every page is in and the
 * closing balance has answered (so the balance column is filled). */
static void export_check(struct view *v)
{
    struct ledger_view *s = LV(v);
    if (!s->export_all)
        return;
    if (s->st.loaded >= s->st.total && s->closing_known)
        export_finish(v);
    else
        export_progress(v);
}

static void schedule_ledger(struct view *v)
{
    struct ledger_view *s = LV(v);
    if (!s->started)
        return;
    int h = ledger_body_rows(v);
    long slots = MAX_IN_FLIGHT - s->st.in_flight;
    if (s->fill) {
        long from = 0;
        while (slots > 0) {
            long p = sparse_next_missing(&s->st, from);
            if (p < 0)
                break;
            request_page(v, p);
            from = p + 1;
            slots--;
        }
    } else if (s->find_dir) {
        find_continue(v);
    } else if (!s->filter.n) {
        long pages[MAX_IN_FLIGHT];
        long n = sparse_plan(&s->st, s->pos.top, h, s->dir, lookahead(s, h), pages, slots);
        for (long i = 0; i < n; i++)
            request_page(v, pages[i]);
    }
    /* balances for what is on screen */
    if (!s->filter.n && s->closing_known) {
        long first = sparse_page_of(&s->st, s->pos.top);
        long last = sparse_page_of(&s->st, s->pos.top + h - 1);
        for (long p = first; p <= last && p < s->st.n_pages; p++)
            if (sparse_has(&s->st, p))
                request_anchor(v, p);
    }
}

static void schedule_txns(struct view *v)
{
    struct ledger_view *s = LV(v);
    if (!s->tx_started) {
        if (!s->tx_first_requested) {
            s->tx_first_requested = true;
            request_txn_page(v, 0);
        }
        return;
    }
    int h = ledger_body_rows(v);
    long pages[MAX_IN_FLIGHT];
    long ahead = 2L * h > AHEAD_MIN_ROWS ? 2L * h : AHEAD_MIN_ROWS;
    long n = sparse_plan(&s->tx, s->tpos.top, h, s->tdir, ahead, pages,
                         MAX_IN_FLIGHT - s->tx.in_flight);
    for (long i = 0; i < n; i++)
        request_txn_page(v, pages[i]);
}

static void schedule(struct view *v)
{
    struct ledger_view *s = LV(v);
    if (!s->first_requested) {
        s->first_requested = true;
        request_page(v, 0);
    }
    if (!s->idname[0] && !s->id_lookup) {
        s->id_lookup = true;
        view_submit(v, api_customer_get(s->id), TAG(TAG_MEMBER, 0));
    }
    if (s->idname[0] && !s->closing_known && !s->closing_requested) {
        s->closing_requested = true;
        view_submit(v, api_ledger_balance(s->idname, s->idvalue, 0), TAG(TAG_CLOSING, 0));
    }
    if (!s->expiry_requested) {
        s->expiry_requested = true;
        view_submit(v, api_points_expiry(s->id), TAG(TAG_EXPIRY, 0));
    }
    schedule_ledger(v);
    if (s->tab == TAB_TXNS)
        schedule_txns(v);
}

/* Life */

static int ledger_open(struct view *v, const struct view_args *args)
{
    struct ledger_view *s = LV(v);
    s->id = args->customer_id;
    if (s->id <= 0) {
        app_status(v->app, STATUS_ERROR, "No member to show the ledger of");
        return -1;
    }
    if (args->query) {
        const char *eq = strchr(args->query, '=');
        if (eq && eq != args->query && (size_t)(eq - args->query) < sizeof s->idname && eq[1]) {
            snprintf(s->idname, sizeof s->idname, "%.*s", (int)(eq - args->query), args->query);
            snprintf(s->idvalue, sizeof s->idvalue, "%s", eq + 1);
        }
    }
    sparse_init(&s->st, sizeof(struct ledger_row));
    sparse_init(&s->tx, sizeof(struct mc_txn));
    s->limit = LEDGER_ROWS_ASKED;
    s->dir = s->tdir = 1;
    s->gen = v->generation;
    view_set_crumb(v, "Ledger");
    /* Lets ncurses move rows with the terminal's scrolling (insert/delete
     * line, scroll regions) when the list scrolls, instead of rewriting them. */
    idlok(v->win, TRUE);
    schedule(v);
    return 0;
}

static void ledger_close(struct view *v)
{
    struct ledger_view *s = LV(v);
    sparse_free(&s->st);
    sparse_free(&s->tx);
    free(s->match);
    s->match = NULL;
    mc_expiry_schedule_free(&s->expiry);
}

struct view *open_ledger_view(struct app *app, int64_t id, const struct mc_customer *c)
{
    char query[160] = "";
    struct ledger_view tmp;
    memset(&tmp, 0, sizeof tmp);
    if (c)
        take_identifier(&tmp, c);
    if (tmp.idname[0])
        snprintf(query, sizeof query, "%s=%s", tmp.idname, tmp.idvalue);
    struct view_args args = {.customer_id = id, .query = query[0] ? query : NULL};
    return app_push(app, &ledger_view_ops, &args);
}

static void ledger_reload(struct view *v)
{
    struct ledger_view *s = LV(v);
    cancel_all(v);
    long row = shown_row(s);
    ledger_close(v);
    sparse_init(&s->st, sizeof(struct ledger_row));
    sparse_init(&s->tx, sizeof(struct mc_txn));
    s->cap_match = s->n_match = 0;
    s->started = s->failed = s->first_requested = false;
    s->closing_known = s->closing_requested = s->closing_failed = false;
    s->id_lookup = false;
    s->expiry_requested = s->expiry_failed = false;
    s->tx_started = s->tx_first_requested = s->tx_failed = false;
    s->find_dir = 0;
    s->export_all = false;
    s->fill = s->filter.n > 0;
    s->pos.cursor = row > 0 ? row : 0;
    s->tpos.cursor = s->tpos.top = 0;
    s->epos.cursor = s->epos.top = 0;
    app_status(v->app, STATUS_INFO, "Reloading the ledger...");
    schedule(v);
}

/* Results */

static void on_page(struct view *v, struct api_result *res, long page)
{
    struct ledger_view *s = LV(v);
    struct mc_ledger_page *p = API_DATA(res, LEDGER_PAGE, struct mc_ledger_page);
    if (!p) {
        if (res->err.code == 11006 && s->limit > LEDGER_ROWS_OLD) {
            /* the older limit of the reference: ask again in pages of 10 */
            s->limit = LEDGER_ROWS_OLD;
            ledger_restart(v);
            return;
        }
        if (!s->started) {
            s->failed = true;
            s->first_requested = false; /* F5 or a key asks again */
            api_error_format(&res->err, s->error, sizeof s->error);
            app_status_error(v->app, "Loading the ledger failed", &res->err);
            return;
        }
        sparse_fail(&s->st, page);
        char what[64];
        snprintf(what, sizeof what, "Loading ledger page %ld failed", page + 1);
        app_status_error(v->app, what, &res->err);
        if (s->export_all) {
            s->export_all = false;
            s->fill = s->filter.n > 0;
            app_status_error(v->app, "Export stopped: a page could not be fetched", &res->err);
        }
        return;
    }
    if (!s->started && page != 0)
        return; /* from before a restart */
    if (!s->started) {
        long total = p->total >= 0 ? p->total : (long)p->n;
        long keep = s->pos.cursor;
        sparse_reset(&s->st, total, s->limit);
        s->started = true;
        s->failed = false;
        s->pos.cursor = keep;
        list_clamp(&s->pos, ledger_shown(s), ledger_body_rows(v));
    } else if (p->total >= 0 && p->total != s->st.total) {
        app_status(v->app, STATUS_INFO, "The ledger changed while loading: reloading it");
        ledger_restart(v);
        return;
    }
    if (page >= s->st.n_pages && p->n == 0)
        return; /* an empty ledger, or a page past its end: nothing to store */
    if (!ledger_put_page(&s->st, page, p)) {
        app_status(v->app, STATUS_INFO, "The ledger changed while loading: reloading it");
        ledger_restart(v);
        return;
    }
    if (page == 0 && s->closing_known)
        ledger_set_balance(&s->st, 0, s->closing);
    match_page(v, page);
    if (s->find_dir)
        find_continue(v);
}

static void txn_rebase(void *row, uint32_t base)
{
    struct mc_txn *t = row;
    for (int k = 0; k < MC_TT_COUNT; k++)
        if (t->text[k])
            t->text[k] += base;
}

static void on_txn_page(struct view *v, struct api_result *res, long page)
{
    struct ledger_view *s = LV(v);
    struct mc_txn_page *p = API_DATA(res, TXN_PAGE, struct mc_txn_page);
    if (!p) {
        if (!s->tx_started) {
            s->tx_failed = true;
            s->tx_first_requested = false;
            api_error_format(&res->err, s->tx_error, sizeof s->tx_error);
        } else {
            sparse_fail(&s->tx, page);
        }
        app_status_error(v->app, "Loading the transactions failed", &res->err);
        return;
    }
    if (!s->tx_started) {
        sparse_reset(&s->tx, p->total >= 0 ? p->total : (long)p->n, TXN_ROWS_ASKED);
        s->tx_started = true;
        s->tx_failed = false;
    }
    if (page >= s->tx.n_pages && p->n == 0)
        return; /* no bills, or a page past the end */
    if (!sparse_put(&s->tx, page, p->items, sizeof *p->items, p->n, p->strings, p->strings_len,
                    txn_rebase)) {
        /* bills arrived or went while paging: start over */
        cancel_all(v);
        sparse_free(&s->tx);
        s->tx_started = false;
        s->tx_first_requested = false;
    }
}

static void ledger_result(struct view *v, struct api_result *res)
{
    struct ledger_view *s = LV(v);
    sync_cancelled(v);
    int kind = TAG_KIND(res->tag);
    long page = TAG_PAGE_OF(res->tag);
    switch (kind) {
    case TAG_PAGE:
        if (s->started)
            sparse_unrequest(&s->st, page);
        on_page(v, res, page);
        break;
    case TAG_CLOSING: {
        s->closing_requested = false;
        struct mc_ledger_balance *b = API_DATA(res, LEDGER_BALANCE, struct mc_ledger_balance);
        if (!b) {
            s->closing_failed = true;
            s->closing_known = true; /* not asked again until F5 */
            s->closing = LEDGER_NO_BALANCE;
            app_status_error(v->app, "Loading the balance failed", &res->err);
            break;
        }
        s->closing = b->main;
        s->closing_known = true;
        if (s->started && sparse_has(&s->st, 0))
            ledger_set_balance(&s->st, 0, s->closing);
        break;
    }
    case TAG_ANCHOR: {
        struct mc_ledger_balance *b = API_DATA(res, LEDGER_BALANCE, struct mc_ledger_balance);
        long row;
        int64_t at;
        if (b && s->started && ledger_anchor_row(&s->st, page, &row, &at)) {
            s->st.state[page] &= (uint8_t)~SP_ANCHORING;
            ledger_set_balance(&s->st, row, b->main);
        }
        break;
    }
    case TAG_MEMBER: {
        struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
        if (c)
            take_identifier(s, c);
        if (!s->idname[0]) {
            s->closing_known = s->closing_failed = true;
            s->closing = LEDGER_NO_BALANCE;
            app_status(v->app, STATUS_WARN,
                       "No identifier to ask the balance with: running balances unavailable");
        }
        break;
    }
    case TAG_EXPIRY: {
        struct mc_expiry_schedule *e = API_DATA(res, POINTS_EXPIRY, struct mc_expiry_schedule);
        if (e) {
            mc_expiry_schedule_free(&s->expiry);
            s->expiry = e;
            res->data = NULL;
            s->expiry_failed = false;
        } else {
            s->expiry_failed = true;
            api_error_format(&res->err, s->expiry_error, sizeof s->expiry_error);
            if (s->tab == TAB_EXPIRY)
                app_status_error(v->app, "Loading the expiry schedule failed", &res->err);
        }
        break;
    }
    case TAG_TXN:
        if (s->tx_started)
            sparse_unrequest(&s->tx, page);
        on_txn_page(v, res, page);
        break;
    default:
        break;
    }
    api_result_free(&res);
    export_check(v);
    schedule(v);
}

/* Actions */

static void show_entry(struct view *v, const struct ledger_row *r)
{
    struct ledger_view *s = LV(v);
    const char *str = s->st.strings;
    char when[32], pts[64], exp[16];
    ledger_time_text(r->e.at, true, when, sizeof when);
    ledger_points_text(r->e.main, true, pts, sizeof pts);
    ledger_day_text(r->e.expiry, exp, sizeof exp);
    const char *event = mc_ledger_text(str, &r->e, MC_LT_EVENT);
    const char *detail = mc_ledger_text(str, &r->e, MC_LT_DETAIL);
    const char *ref = mc_ledger_text(str, &r->e, MC_LT_REF);
    const char *program = mc_ledger_text(str, &r->e, MC_LT_PROGRAM);
    app_status(v->app, STATUS_INFO, "%s %s: %s points%s%s%s%s%s%s%s%s (event %" PRId64 ")",
               *event ? event : "?", when, pts, *detail ? ", " : "", detail,
               *ref ? ", ref " : "", ref, *program ? ", " : "", program,
               *exp ? ", expires " : "", exp, r->e.event_id);
}

static void open_row(struct view *v)
{
    struct ledger_view *s = LV(v);
    if (s->tab == TAB_TXNS) {
        const struct mc_txn *t = sparse_row(&s->tx, s->tpos.cursor);
        if (t)
            ledger_open_bill(v, t->id, mc_txn_text(s->tx.strings, t, MC_TT_BILL));
        return;
    }
    if (s->tab != TAB_LEDGER)
        return;
    long row = shown_row(s);
    const struct ledger_row *r = row >= 0 ? sparse_row(&s->st, row) : NULL;
    if (!r) {
        app_status(v->app, STATUS_INFO, "This row is still loading");
        return;
    }
    if (r->e.txn_id > 0)
        ledger_open_bill(v, r->e.txn_id, mc_ledger_text(s->st.strings, &r->e, MC_LT_REF));
    else
        show_entry(v, r);
}

static void set_tab(struct view *v, enum ledger_tab t)
{
    struct ledger_view *s = LV(v);
    s->tab = t;
    if (t == TAB_EXPIRY && s->expiry_failed)
        s->expiry_requested = false; /* ask again */
    view_dirty(v);
}

static void clear_filter(struct view *v)
{
    struct ledger_view *s = LV(v);
    long row = shown_row(s);
    memset(&s->filter, 0, sizeof s->filter);
    s->n_match = 0;
    s->fill = s->export_all;
    cursor_to_row(v, row);
}

static bool ledger_action(struct view *v, enum action a)
{
    struct ledger_view *s = LV(v);
    int h = ledger_body_rows(v);
    sync_cancelled(v);
    switch (a) {
    case ACTION_BACK:
        if (s->export_all) {
            s->export_all = false;
            s->fill = s->filter.n > 0;
            app_status(v->app, STATUS_WARN, "Export cancelled");
        } else if (s->find_dir) {
            s->find_dir = 0;
            app_status(v->app, STATUS_WARN, "Search stopped");
        } else if (s->filter.n && s->tab == TAB_LEDGER) {
            clear_filter(v);
            app_status(v->app, STATUS_INFO, "Filter cleared");
        } else {
            return false; /* the framework cancels what is in flight, else goes back */
        }
        return true;
    case ACTION_LEFT:
        set_tab(v, (enum ledger_tab)((s->tab + TAB_COUNT - 1) % TAB_COUNT));
        break;
    case ACTION_RIGHT:
        set_tab(v, (enum ledger_tab)((s->tab + 1) % TAB_COUNT));
        break;
    case ACTION_LEDGER:
        set_tab(v, TAB_LEDGER);
        break;
    case ACTION_LEDGER_EXPIRY:
        set_tab(v, TAB_EXPIRY);
        break;
    case ACTION_LEDGER_TRANSACTIONS:
        set_tab(v, TAB_TXNS);
        break;
    case ACTION_OPEN:
        open_row(v);
        return true;
    case ACTION_FIND_NEXT:
    case ACTION_FIND_PREV:
        if (s->tab != TAB_LEDGER)
            set_tab(v, TAB_LEDGER);
        find_step(v, a == ACTION_FIND_NEXT ? 1 : -1);
        break;
    default:
        if (s->tab == TAB_LEDGER) {
            long before = s->pos.cursor;
            if (!list_nav(&s->pos, a, ledger_shown(s), h))
                return false;
            if (a != ACTION_FIRST && a != ACTION_LAST)
                note_travel(s, s->pos.cursor - before);
            if (a == ACTION_UP || a == ACTION_PAGE_UP || a == ACTION_LAST)
                s->dir = -1;
            else if (a == ACTION_DOWN || a == ACTION_PAGE_DOWN || a == ACTION_FIRST)
                s->dir = 1;
        } else if (s->tab == TAB_TXNS) {
            if (!list_nav(&s->tpos, a, s->tx_started ? s->tx.total : 0, h))
                return false;
            s->tdir = a == ACTION_UP || a == ACTION_PAGE_UP || a == ACTION_LAST ? -1 : 1;
        } else {
            if (!list_nav(&s->epos, a, s->expiry ? (long)s->expiry->n : 0, ledger_body_rows(v) - 1))
                return false;
        }
        break;
    }
    schedule(v);
    view_dirty(v);
    return true;
}

static void ledger_filter_apply(struct view *v, const char *text)
{
    struct ledger_view *s = LV(v);
    sync_cancelled(v);
    struct ledger_filter f;
    char err[160];
    if (!lfilter_parse(&f, text, err, sizeof err)) {
        app_status(v->app, STATUS_WARN, "Filter: %s", err);
        return;
    }
    long row = shown_row(s);
    if (!f.n) {
        clear_filter(v);
        schedule(v);
        return;
    }
    s->tab = TAB_LEDGER;
    s->filter = f;
    s->find = f;
    s->find_dir = 0;
    s->fill = true; /* matches can be anywhere in the history */
    match_all(s);
    cursor_to_row(v, row);
    schedule(v);
}

static bool ledger_command(struct view *v, const char *verb, const char *arg)
{
    struct ledger_view *s = LV(v);
    bool all = strcmp(verb, "export!") == 0;
    if (!all && strcmp(verb, "export") != 0)
        return false;
    sync_cancelled(v);
    if (strncmp(arg, "--all", 5) == 0 && (arg[5] == ' ' || arg[5] == '\0')) {
        all = true;
        arg += 5;
        while (*arg == ' ')
            arg++;
    }
    if (!*arg) {
        app_status(v->app, STATUS_WARN,
                   "Usage: :export FILE (rows loaded) or :export! FILE (the whole ledger)");
        return true;
    }
    char path[1024];
    const char *home = getenv("HOME");
    if (strncmp(arg, "~/", 2) == 0 && home)
        snprintf(path, sizeof path, "%s/%s", home, arg + 2);
    else
        snprintf(path, sizeof path, "%s", arg);
    if (!s->started) {
        app_status(v->app, STATUS_WARN, "The ledger has not loaded yet");
        return true;
    }
    snprintf(s->export_path, sizeof s->export_path, "%s", path);
    if (!all) {
        export_finish(v);
        return true;
    }
    for (long p = 0; p < s->st.n_pages; p++)
        s->st.state[p] &= (uint8_t)~SP_FAILED; /* an export tries every page again */
    s->export_all = true;
    s->fill = true;
    export_check(v);
    schedule(v);
    return true;
}

/* y: the focused entry's event id; Y: the entry as a line of text. */
static bool ledger_copy(struct view *v, bool whole_row, char *label, size_t labellen, char *text,
                        size_t textlen)
{
    struct ledger_view *s = LV(v);
    if (s->tab != TAB_LEDGER || s->pos.cursor < 0 || s->pos.cursor >= ledger_shown(s))
        return false;
    long row = ledger_row_at(s, s->pos.cursor);
    const struct ledger_row *r = sparse_row(&s->st, row);
    if (!r)
        return false;
    if (!whole_row) {
        snprintf(label, labellen, "ledger entry id");
        snprintf(text, textlen, "%lld", (long long)r->e.event_id);
        return r->e.event_id != 0;
    }
    const char *str = s->st.strings;
    char when[64], pts[48], bal[48] = "";
    ledger_time_text(r->e.at, true, when, sizeof when);
    ledger_points_text(r->e.main != 0 || r->e.other == 0 ? r->e.main : r->e.other, true, pts, sizeof pts);
    int64_t b = ledger_balance_of(&s->st, row);
    if (b != LEDGER_NO_BALANCE)
        ledger_points_text(b, false, bal, sizeof bal);
    snprintf(label, labellen, "ledger entry");
    snprintf(text, textlen, "%lld  %s  %s  %s  %s  %s  %s", (long long)r->e.event_id, when,
             mc_ledger_text(str, &r->e, MC_LT_EVENT), pts, bal, mc_ledger_text(str, &r->e, MC_LT_STORE),
             mc_ledger_text(str, &r->e, MC_LT_REF));
    return true;
}

const struct view_ops ledger_view_ops = {
    .name = "ledger",
    .ctx = CTX_LEDGER,
    .priv_size = sizeof(struct ledger_view),
    .flags = VIEW_FILTERABLE,
    .open = ledger_open,
    .close = ledger_close,
    .draw = ledger_draw,
    .on_action = ledger_action,
    .on_result = ledger_result,
    .reload = ledger_reload,
    .filter = ledger_filter_apply,
    .command = ledger_command,
    .copy = ledger_copy,
};
