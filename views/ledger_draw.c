/*
 * ledger_draw.c - drawing the ledger screen from its state: the tab line
 * with the position ("row X of Y (Z loaded)"), and the ledger, expiry
 * schedule and bills tables. Only the rows on screen are visited, so a
 * frame costs the same with 300 rows or 100,000; rows not loaded yet are
 * drawn as dim placeholders.
 *
 * Layout: row 0 tabs and position, row 1 column titles (the expiry tab
 * puts a summary there and its titles on row 2), the list, and the key
 * hint on the last row. Columns widen with the terminal: at 80 columns
 * the ledger shows date, event, points, balance, source and reference;
 * from 96 the expiry of earned points; from 110 the time of day.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "tui/text.h"
#include "views/ledger_view.h"

void ledger_points_text(int64_t milli, bool sign, char *buf, size_t n)
{
    char num[40];
    text_format_number((double)milli / 1000.0, num, sizeof num);
    snprintf(buf, n, "%s%s", sign && milli > 0 ? "+" : "", num);
}

void ledger_day_text(int32_t day, char *buf, size_t n)
{
    if (day == 0) {
        snprintf(buf, n, "%s", "");
        return;
    }
    int y, m, d;
    mc_civil_from_days(day, &y, &m, &d);
    snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

void ledger_time_text(int64_t at, bool with_time, char *buf, size_t n)
{
    if (at <= 0) {
        snprintf(buf, n, "%s", "");
        return;
    }
    int64_t s = at / 10;
    int y, m, d;
    mc_civil_from_days(s / 86400, &y, &m, &d);
    int64_t r = s % 86400;
    if (with_time)
        snprintf(buf, n, "%04d-%02d-%02d %02d:%02d", y, m, d, (int)(r / 3600), (int)(r / 60 % 60));
    else
        snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
}

/* Tabs and position */

static void draw_tabs(struct view *v, WINDOW *w, const char *where)
{
    struct ledger_view *s = LV(v);
    static const char *const names[TAB_COUNT] = {"Ledger", "Expiry schedule", "Bills"};
    const struct app *app = v->app;
    int x = 1;
    for (int t = 0; t < TAB_COUNT; t++) {
        char label[32];
        snprintf(label, sizeof label, " %d %s ", t + 1, names[t]);
        x += tui_put(app, w, 0, x, v->cols - x, label, t == (int)s->tab ? ROLE_SELECTED : ROLE_LABEL);
        x += 1;
    }
    int room = v->cols - x - 1;
    if (room > 0)
        tui_put_right(app, w, 0, x, room, where, ROLE_DIM);
}

/* The first key bound to a (a keymap lists "q, Esc"). buf holds 64 bytes. */
static void first_key(struct view *v, enum action a, char buf[64])
{
    keymap_keys_for(app_keymap(v->app), CTX_LEDGER, a, buf, 64);
    buf[strcspn(buf, ",")] = '\0';
    if (!buf[0])
        snprintf(buf, 64, "-");
}

static void draw_hint(struct view *v, WINDOW *w)
{
    struct ledger_view *s = LV(v);
    char tab[64], filt[64], next[64], open[64], back[64], hint[512];
    first_key(v, ACTION_RIGHT, tab);
    first_key(v, ACTION_FILTER, filt);
    first_key(v, ACTION_FIND_NEXT, next);
    first_key(v, ACTION_OPEN, open);
    first_key(v, ACTION_BACK, back);
    if (s->tab == TAB_LEDGER && s->filter.n)
        snprintf(hint, sizeof hint, "filter '%s'  %s clears  %s find  %s bill  :export FILE",
                 s->filter.source, back, next, open);
    else if (s->tab == TAB_EXPIRY)
        snprintf(hint, sizeof hint, "%s next view  %s back", tab, back);
    else
        snprintf(hint, sizeof hint, "%s views  %s filter  %s find  %s bill  :export FILE  %s back",
                 tab, filt, next, open, back);
    tui_put(v->app, w, v->rows - 1, 1, v->cols - 2, hint, ROLE_DIM);
}

/* Ledger tab */

struct lcols {
    bool time;
    int date, event, points, balance, source, ref, expiry, till, detail; /* 0: not shown */
};

static void ledger_cols(int cols, struct lcols *c)
{
    memset(c, 0, sizeof *c);
    c->time = cols >= 110;
    c->date = c->time ? 16 : 10;
    c->event = 12;
    c->points = 9;
    c->balance = 10;
    c->expiry = cols >= 96 ? 10 : 0;
    int fixed = 1 + c->date + 1 + c->event + 1 + c->points + 1 + c->balance + 1 +
                (c->expiry ? c->expiry + 1 : 0) + 1 + 1;
    int rest = cols - fixed;
    if (rest < 8)
        rest = 8;
    c->ref = rest * 45 / 100;
    if (c->ref > 18)
        c->ref = 18;
    c->source = rest - c->ref;
    if (c->source > 24) {
        /* wide terminals: the till and the details get their own columns */
        int spare = c->source - 24;
        c->source = 24;
        c->till = spare > 17 ? 16 : spare > 9 ? spare - 1 : 0;
        spare -= c->till ? c->till + 1 : 0;
        c->detail = spare > 9 ? spare - 1 : 0;
        c->source += spare - (c->detail ? c->detail + 1 : 0);
    }
}

static void placeholder(struct view *v, WINDOW *w, int y, const struct lcols *c, uint8_t state,
                        bool selected)
{
    const struct app *app = v->app;
    if (LV(v)->gen != v->generation)
        state &= (uint8_t)~SP_REQUESTED; /* cancelled with Esc; asked again on the next key */
    if (selected)
        tui_fill(app, w, y, 0, v->cols, ROLE_SELECTED);
    const char *what = state & SP_FAILED    ? "not loaded: the server failed (F5 retries)"
                       : state & SP_REQUESTED ? "loading..."
                                              : "not loaded";
    tui_put(app, w, y, 1, c->date, app_ascii(app) ? "." : "\xc2\xb7", selected ? ROLE_SELECTED : ROLE_DIM);
    tui_put(app, w, y, 2 + c->date, v->cols - 3 - c->date, what, selected ? ROLE_SELECTED : ROLE_DIM);
}

static void ledger_row_draw(struct view *v, WINDOW *w, int y, long row, const struct lcols *c,
                            bool selected)
{
    struct ledger_view *s = LV(v);
    const struct app *app = v->app;
    const struct ledger_row *r = sparse_row(&s->st, row);
    if (!r) {
        placeholder(v, w, y, c, s->st.state[sparse_page_of(&s->st, row)], selected);
        return;
    }
    const char *str = s->st.strings;
    enum role base = selected ? ROLE_SELECTED : ROLE_NORMAL;
    if (selected)
        tui_fill(app, w, y, 0, v->cols, ROLE_SELECTED);
    int x = 1;
    char buf[64];
    ledger_time_text(r->e.at, c->time, buf, sizeof buf);
    tui_put(app, w, y, x, c->date, buf[0] ? buf : "?", selected ? base : ROLE_DIM);
    x += c->date + 1;
    const char *event = r->e.kind == MC_LEDGER_OTHER ? mc_ledger_text(str, &r->e, MC_LT_EVENT)
                                                     : ledger_kind_label((enum mc_ledger_kind)r->e.kind);
    tui_put(app, w, y, x, c->event, *event ? event : "?", base);
    x += c->event + 1;
    enum role pr = selected ? base : r->e.main > 0 ? ROLE_OK : r->e.main < 0 ? ROLE_ERROR : ROLE_DIM;
    if (r->e.main == 0 && r->e.other != 0) {
        char p[48];
        ledger_points_text(r->e.other, true, p, sizeof p);
        snprintf(buf, sizeof buf, "(%s)", p); /* promised, not yet in the balance */
        pr = selected ? base : ROLE_DIM;
    } else {
        ledger_points_text(r->e.main, true, buf, sizeof buf);
    }
    tui_put_right(app, w, y, x, c->points, buf, pr);
    x += c->points + 1;
    int64_t bal = ledger_balance_of(&s->st, row);
    if (bal == LEDGER_NO_BALANCE)
        snprintf(buf, sizeof buf, "%s", app_ascii(app) ? "..." : "\xe2\x80\xa6");
    else
        ledger_points_text(bal, false, buf, sizeof buf);
    tui_put_right(app, w, y, x, c->balance, buf, bal == LEDGER_NO_BALANCE && !selected ? ROLE_DIM : base);
    x += c->balance + 1;
    const char *src = mc_ledger_text(str, &r->e, MC_LT_STORE);
    if (!*src && !c->till)
        src = mc_ledger_text(str, &r->e, MC_LT_TILL);
    if (!*src)
        src = mc_ledger_text(str, &r->e, MC_LT_PROGRAM);
    tui_put(app, w, y, x, c->source, src, base);
    x += c->source + 1;
    if (c->till) {
        tui_put(app, w, y, x, c->till, mc_ledger_text(str, &r->e, MC_LT_TILL),
                selected ? base : ROLE_DIM);
        x += c->till + 1;
    }
    const char *ref = mc_ledger_text(str, &r->e, MC_LT_REF);
    if (!*ref && !c->detail)
        ref = mc_ledger_text(str, &r->e, MC_LT_DETAIL);
    tui_put(app, w, y, x, c->ref, ref, selected ? base : ROLE_DIM);
    x += c->ref + 1;
    if (c->expiry) {
        if (r->e.expiry) {
            ledger_day_text(r->e.expiry, buf, sizeof buf);
            tui_put(app, w, y, x, c->expiry, buf, selected ? base : ROLE_DIM);
        }
        x += c->expiry + 1;
    }
    if (c->detail) {
        const char *d = mc_ledger_text(str, &r->e, MC_LT_DETAIL);
        if (!*d && r->e.kind == MC_LEDGER_OTHER)
            d = mc_ledger_text(str, &r->e, MC_LT_EVENT);
        tui_put(app, w, y, x, c->detail, d, selected ? base : ROLE_DIM);
    }
}

static void draw_ledger(struct view *v, WINDOW *w)
{
    struct ledger_view *s = LV(v);
    const struct app *app = v->app;
    int h = ledger_body_rows(v);
    long n = ledger_shown(s);
    list_clamp(&s->pos, n, h);

    char where[160], a[32], b[32], c3[32];
    if (!s->started) {
        snprintf(where, sizeof where, "%s", s->failed ? "not loaded" : "loading...");
    } else if (s->filter.n) {
        text_format_number((double)(s->pos.cursor + 1), a, sizeof a);
        text_format_number((double)s->n_match, b, sizeof b);
        text_format_number((double)s->st.loaded, c3, sizeof c3);
        char tot[32];
        text_format_number((double)s->st.total, tot, sizeof tot);
        if (s->n_match)
            snprintf(where, sizeof where, "match %s of %s (%s of %s loaded)", a, b, c3, tot);
        else
            snprintf(where, sizeof where, "no match (%s of %s loaded)", c3, tot);
    } else {
        text_format_number((double)(s->pos.cursor + 1), a, sizeof a);
        text_format_number((double)s->st.total, b, sizeof b);
        text_format_number((double)s->st.loaded, c3, sizeof c3);
        snprintf(where, sizeof where, "row %s of %s (%s loaded)", s->st.total ? a : "0", b, c3);
    }
    draw_tabs(v, w, where);

    struct lcols c;
    ledger_cols(v->cols, &c);
    int x = 1;
    tui_put(app, w, 1, x, c.date, c.time ? "Date and time" : "Date", ROLE_TITLE);
    x += c.date + 1;
    tui_put(app, w, 1, x, c.event, "Event", ROLE_TITLE);
    x += c.event + 1;
    tui_put_right(app, w, 1, x, c.points, "Points", ROLE_TITLE);
    x += c.points + 1;
    tui_put_right(app, w, 1, x, c.balance, "Balance", ROLE_TITLE);
    x += c.balance + 1;
    tui_put(app, w, 1, x, c.source, "Source", ROLE_TITLE);
    x += c.source + 1;
    if (c.till) {
        tui_put(app, w, 1, x, c.till, "Till", ROLE_TITLE);
        x += c.till + 1;
    }
    tui_put(app, w, 1, x, c.ref, "Reference", ROLE_TITLE);
    x += c.ref + 1;
    if (c.expiry) {
        tui_put(app, w, 1, x, c.expiry, "Expires", ROLE_TITLE);
        x += c.expiry + 1;
    }
    if (c.detail)
        tui_put(app, w, 1, x, c.detail, "Details", ROLE_TITLE);

    if (!s->started) {
        if (s->failed) {
            tui_put(app, w, 2, 1, v->cols - 2, s->error, ROLE_ERROR);
            tui_put(app, w, 3, 1, v->cols - 2, "F5 tries again", ROLE_DIM);
        } else {
            tui_put(app, w, 2, 1, v->cols - 2, "Loading the ledger...", ROLE_DIM);
        }
    } else if (s->st.total == 0) {
        tui_put(app, w, 2, 1, v->cols - 2, "No points activity yet.", ROLE_DIM);
    } else if (n == 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "No row matches '%s'%s", s->filter.source,
                 s->st.loaded < s->st.total ? " yet: still loading the rest of the ledger" : ".");
        tui_put(app, w, 2, 1, v->cols - 2, msg, ROLE_DIM);
    }
    for (int i = 0; i < h; i++) {
        long k = s->pos.top + i;
        if (k >= n)
            break;
        ledger_row_draw(v, w, 2 + i, ledger_row_at(s, k), &c, k == s->pos.cursor);
    }
    draw_hint(v, w);
}

/* Expiry tab */

static void draw_expiry(struct view *v, WINDOW *w)
{
    struct ledger_view *s = LV(v);
    const struct app *app = v->app;
    const struct mc_expiry_schedule *e = s->expiry;
    char where[64] = "";
    if (e)
        snprintf(where, sizeof where, "%zu date%s", e->n, e->n == 1 ? "" : "s");
    draw_tabs(v, w, e ? where : s->expiry_failed ? "not loaded" : "loading...");
    if (!e) {
        tui_put(app, w, 2, 1, v->cols - 2,
                s->expiry_failed ? s->expiry_error : "Loading the expiry schedule...",
                s->expiry_failed ? ROLE_ERROR : ROLE_DIM);
        draw_hint(v, w);
        return;
    }
    long long now = app_wall_time(app);
    int64_t today = now / 86400, soon = today + EXPIRING_DAYS;
    double total = 0, within = 0;
    char first_soon[16] = "";
    for (size_t i = 0; i < e->n; i++) {
        total += e->items[i].points;
        int64_t t;
        if (e->items[i].date && mc_parse_time(e->items[i].date, false, &t) && t / 864000 <= soon) {
            within += e->items[i].points;
            if (!first_soon[0])
                snprintf(first_soon, sizeof first_soon, "%.10s", e->items[i].date);
        }
    }
    char a[32], b[32], line[200];
    text_format_number(total, a, sizeof a);
    text_format_number(within, b, sizeof b);
    if (within > 0)
        snprintf(line, sizeof line, "%s points due to expire; %s in the next %d days (from %s)", a,
                 b, EXPIRING_DAYS, first_soon);
    else
        snprintf(line, sizeof line, "%s points due to expire; none in the next %d days", a,
                 EXPIRING_DAYS);
    tui_put(app, w, 1, 1, v->cols - 2, line, within > 0 ? ROLE_WARN : ROLE_NORMAL);

    int x = 1;
    tui_put(app, w, 2, x, 10, "Expires on", ROLE_TITLE);
    x += 11;
    tui_put_right(app, w, 2, x, 8, "In", ROLE_TITLE);
    x += 9;
    tui_put_right(app, w, 2, x, 11, "Points", ROLE_TITLE);
    x += 12;
    tui_put_right(app, w, 2, x, 11, "Running", ROLE_TITLE);
    x += 13;
    tui_put(app, w, 2, x, v->cols - x - 1, "Type", ROLE_TITLE);
    if (e->n == 0) {
        tui_put(app, w, 3, 1, v->cols - 2, "No points are due to expire.", ROLE_DIM);
        draw_hint(v, w);
        return;
    }
    int h = ledger_body_rows(v) - 1;
    list_clamp(&s->epos, (long)e->n, h);
    double running = 0;
    for (long i = 0; i < s->epos.top && i < (long)e->n; i++)
        running += e->items[i].points;
    for (int i = 0; i < h; i++) {
        long k = s->epos.top + i;
        if (k >= (long)e->n)
            break;
        const struct mc_expiry_entry *it = &e->items[k];
        running += it->points;
        bool sel = k == s->epos.cursor;
        int y = 3 + i;
        int64_t t = 0;
        bool dated = it->date && mc_parse_time(it->date, false, &t);
        int64_t days = dated ? t / 864000 - today : 0;
        enum role r = sel ? ROLE_SELECTED : dated && days <= EXPIRING_DAYS ? ROLE_WARN : ROLE_NORMAL;
        if (sel)
            tui_fill(app, w, y, 0, v->cols, ROLE_SELECTED);
        char buf[64];
        x = 1;
        tui_put(app, w, y, x, 10, it->date ? it->date : "?", r);
        x += 11;
        if (dated)
            snprintf(buf, sizeof buf, "%lldd", (long long)days);
        else
            snprintf(buf, sizeof buf, "?");
        tui_put_right(app, w, y, x, 8, buf, r);
        x += 9;
        text_format_number(it->points, buf, sizeof buf);
        tui_put_right(app, w, y, x, 11, buf, r);
        x += 12;
        text_format_number(running, buf, sizeof buf);
        tui_put_right(app, w, y, x, 11, buf, sel ? r : ROLE_DIM);
        x += 13;
        snprintf(buf, sizeof buf, "%s%s%s", it->points_type ? it->points_type : "",
                 it->expiry_type ? ", " : "", it->expiry_type ? it->expiry_type : "");
        tui_put(app, w, y, x, v->cols - x - 1, buf, sel ? r : ROLE_DIM);
    }
    draw_hint(v, w);
}

/* Bills tab */

static void draw_txns(struct view *v, WINDOW *w)
{
    struct ledger_view *s = LV(v);
    const struct app *app = v->app;
    int h = ledger_body_rows(v);
    long n = s->tx_started ? s->tx.total : 0;
    list_clamp(&s->tpos, n, h);
    char where[120], a[32], b[32], c3[32];
    if (!s->tx_started) {
        snprintf(where, sizeof where, "%s", s->tx_failed ? "not loaded" : "loading...");
    } else {
        text_format_number((double)(s->tpos.cursor + 1), a, sizeof a);
        text_format_number((double)s->tx.total, b, sizeof b);
        text_format_number((double)s->tx.loaded, c3, sizeof c3);
        snprintf(where, sizeof where, "bill %s of %s (%s loaded)", n ? a : "0", b, c3);
    }
    draw_tabs(v, w, where);
    bool wide = v->cols >= 110;
    int wdate = wide ? 16 : 10, wbill = 16, wtype = 8, wamt = 12, wpts = 8;
    int wstore = v->cols - (1 + wdate + 1 + wbill + 1 + wtype + 1 + wamt + 1 + wpts + 1 + 1);
    if (wstore < 4)
        wstore = 4;
    int x = 1;
    tui_put(app, w, 1, x, wdate, wide ? "Date and time" : "Date", ROLE_TITLE);
    x += wdate + 1;
    tui_put(app, w, 1, x, wbill, "Bill", ROLE_TITLE);
    x += wbill + 1;
    tui_put(app, w, 1, x, wtype, "Type", ROLE_TITLE);
    x += wtype + 1;
    tui_put_right(app, w, 1, x, wamt, "Amount", ROLE_TITLE);
    x += wamt + 1;
    tui_put_right(app, w, 1, x, wpts, "Points", ROLE_TITLE);
    x += wpts + 1;
    tui_put(app, w, 1, x, wstore, "Store", ROLE_TITLE);
    if (!s->tx_started) {
        tui_put(app, w, 2, 1, v->cols - 2, s->tx_failed ? s->tx_error : "Loading the bills...",
                s->tx_failed ? ROLE_ERROR : ROLE_DIM);
    } else if (n == 0) {
        tui_put(app, w, 2, 1, v->cols - 2, "No bills yet.", ROLE_DIM);
    }
    struct lcols pc = {.date = wdate};
    for (int i = 0; i < h; i++) {
        long k = s->tpos.top + i;
        if (k >= n)
            break;
        int y = 2 + i;
        bool sel = k == s->tpos.cursor;
        const struct mc_txn *t = sparse_row(&s->tx, k);
        if (!t) {
            placeholder(v, w, y, &pc, s->tx.state[sparse_page_of(&s->tx, k)], sel);
            continue;
        }
        enum role r = sel ? ROLE_SELECTED : ROLE_NORMAL;
        if (sel)
            tui_fill(app, w, y, 0, v->cols, ROLE_SELECTED);
        char buf[64];
        x = 1;
        ledger_time_text(t->at * 10, wide, buf, sizeof buf);
        tui_put(app, w, y, x, wdate, buf[0] ? buf : "?", sel ? r : ROLE_DIM);
        x += wdate + 1;
        tui_put(app, w, y, x, wbill, mc_txn_text(s->tx.strings, t, MC_TT_BILL), r);
        x += wbill + 1;
        const char *type = mc_txn_text(s->tx.strings, t, MC_TT_TYPE);
        tui_put(app, w, y, x, wtype, type, sel ? r : strcmp(type, "REGULAR") ? ROLE_WARN : ROLE_DIM);
        x += wtype + 1;
        text_format_number(t->amount, buf, sizeof buf);
        tui_put_right(app, w, y, x, wamt, buf, r);
        x += wamt + 1;
        if (isnan(t->points))
            snprintf(buf, sizeof buf, "-");
        else
            text_format_number(t->points, buf, sizeof buf);
        tui_put_right(app, w, y, x, wpts, buf, sel ? r : ROLE_OK);
        x += wpts + 1;
        tui_put(app, w, y, x, wstore, mc_txn_text(s->tx.strings, t, MC_TT_STORE), r);
    }
    draw_hint(v, w);
}

void ledger_draw(struct view *v, WINDOW *w)
{
    switch (LV(v)->tab) {
    case TAB_LEDGER: draw_ledger(v, w); break;
    case TAB_EXPIRY: draw_expiry(v, w); break;
    case TAB_TXNS: draw_txns(v, w); break;
    case TAB_COUNT: break;
    }
}
