/*
 * seed_member.c - one member's history: enrolment, a simulated points
 * ledger, bills with line items, coupons, tickets, notes and messages.
 *
 * The ledger is simulated in time order with points kept in FIFO lots:
 * a bill earns a lot that expires a year later, a redemption or return
 * spends the oldest lots first, a lot still holding points when its day
 * ends produces a PointsExpiry event. The summary and the expiry schedule
 * are then read off the simulation, so by construction
 *   loyalty points = sum(Main CREDIT) - sum(Main DEBIT)
 *                  = sum of the expiry schedule
 *                  = lifetime - redeemed - expired - returned + adjusted,
 * where lifetime counts earned (bill) points and adjusted counts goodwill.
 * Bills of the last 14 days of some members earn promised points
 * (DelayedAccrualPointCategory), which stay out of the Main balance.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/org.h"
#include "sandbox/sbtime.h"
#include "sandbox/seed_data.h"
#include "sandbox/seed_priv.h"

#define PROMISE_WINDOW (14 * DAY)
#define LOT_LIFE (365 * DAY)

struct sim {
    struct seeder *s;
    const struct member_spec *m;
    struct prng *r;
    size_t head, n_lots;  /* live lots are s->lots[head .. n_lots) */
    size_t n_txns;        /* s->txns[0 .. n_txns), in time order */
    double balance, lifetime, redeemed, expired, returned, adjusted, delayed, purchases;
    int64_t last_txn;     /* for ReturnBill: the latest bill */
    double last_points;
    bool last_returned, last_delayed;
    int last_store;
    time_t updated;
};

static time_t end_of_day(time_t t)
{
    return t - t % DAY + DAY - 1;
}

static int64_t pick(struct prng *r, size_t n)
{
    return prng_range(r, 0, (int64_t)n - 1);
}

static void unique_id(struct prng *r, char out[11])
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 10; i++)
        out[i] = alnum[pick(r, sizeof alnum - 1)];
    out[10] = '\0';
}

/* Distinct sequence numbers give distinct codes: an odd multiplier is a
 * bijection on 40 bits, and nchars digits of base hold all 40 bits. */
static void scrambled_code(uint64_t seq, const char *alphabet, unsigned base, int nchars,
                           char *out)
{
    uint64_t v = (seq * 0x9E3779B97F4ULL + 0x5BD1E995ULL) & ((1ULL << 40) - 1);
    v = (v * 0xD6E8FEB86659FD93ULL + 0x2545F491ULL) & ((1ULL << 40) - 1);
    for (int i = 0; i < nchars; i++) {
        out[i] = alphabet[v % base];
        v /= base;
    }
    out[nchars] = '\0';
}

static int64_t add_event(struct sim *x, const char *name, const char *status, time_t at,
                         double net, int64_t txn, const char *bill, int store, int64_t till,
                         const char *reason)
{
    struct seeder *s = x->s;
    if (s->failed)
        return 0;
    int64_t id = seed_next_id(s, INS_EVENT);
    char iso[SBTIME_ISO_LEN], uid[11];
    sbtime_iso(at, iso);
    unique_id(x->r, uid);
    sqlite3_stmt *st = seed_begin(s, INS_EVENT);
    seed_i64(st, 1, id);
    seed_i64(st, 2, x->m->id);
    seed_text(st, 3, name);
    seed_text(st, 4, status);
    seed_text(st, 5, iso);
    seed_real(st, 6, net);
    if (txn)
        seed_i64(st, 7, txn);
    else
        seed_null(st, 7);
    seed_text(st, 8, bill);
    if (store)
        seed_i64(st, 9, store);
    else
        seed_null(st, 9);
    if (till)
        seed_i64(st, 10, till);
    else
        seed_null(st, 10);
    seed_text(st, 11, reason);
    seed_text(st, 12, uid);
    seed_step(s, st, "ledger event");
    s->stats->ledger_events++;
    return id;
}

static void add_entry(struct sim *x, int64_t event, const char *type, const char *category,
                      double points, time_t expires)
{
    struct seeder *s = x->s;
    if (s->failed)
        return;
    char date[SBTIME_DATE_LEN]; /* bound without a copy: lives until the step */
    sqlite3_stmt *st = seed_begin(s, INS_ENTRY);
    seed_i64(st, 1, seed_next_id(s, INS_ENTRY));
    seed_i64(st, 2, event);
    seed_text(st, 3, type);
    seed_text(st, 4, category);
    seed_real(st, 5, points);
    if (expires) {
        sbtime_date(expires, date);
        seed_text(st, 6, date);
    } else {
        seed_null(st, 6);
    }
    seed_step(s, st, "ledger entry");
    s->stats->ledger_entries++;
}

static void push_lot(struct sim *x, double points, time_t expires, bool promo)
{
    struct seeder *s = x->s;
    if (x->n_lots == s->lots_cap) {
        size_t cap = s->lots_cap ? s->lots_cap * 2 : 1024;
        struct seed_lot *p = realloc(s->lots, cap * sizeof *p);
        if (!p) {
            seed_fail(s, "out of memory");
            return;
        }
        s->lots = p;
        s->lots_cap = cap;
    }
    s->lots[x->n_lots++] = (struct seed_lot){points, expires, promo};
    x->balance += points;
}

static void consume(struct sim *x, double points)
{
    struct seed_lot *lots = x->s->lots;
    while (points > 0 && x->head < x->n_lots) {
        struct seed_lot *l = &lots[x->head];
        double take = l->points < points ? l->points : points;
        l->points -= take;
        points -= take;
        x->balance -= take;
        if (l->points <= 0)
            x->head++;
    }
}

static void expire_until(struct sim *x, time_t t)
{
    struct seed_lot *lots = x->s->lots;
    while (x->head < x->n_lots && lots[x->head].expires < t && !x->s->failed) {
        time_t when = lots[x->head].expires;
        double points = 0;
        while (x->head < x->n_lots && lots[x->head].expires == when) {
            points += lots[x->head].points;
            lots[x->head].points = 0;
            x->head++;
        }
        if (points <= 0)
            continue;
        x->balance -= points;
        x->expired += points;
        int64_t ev = add_event(x, "PointsExpiry", "SUCCESS", when, -points, 0, NULL, 0, 0, NULL);
        add_entry(x, ev, "DEBIT", "Main", points, 0);
    }
}

static void remember_txn(struct sim *x, time_t at, int64_t id, int store)
{
    struct seeder *s = x->s;
    if (x->n_txns == s->txns_cap) {
        size_t cap = s->txns_cap ? s->txns_cap * 2 : 1024;
        struct seed_txn_ref *p = realloc(s->txns, cap * sizeof *p);
        if (!p) {
            seed_fail(s, "out of memory");
            return;
        }
        s->txns = p;
        s->txns_cap = cap;
    }
    s->txns[x->n_txns++] = (struct seed_txn_ref){at, id, store};
}

/* forced > 0: a bill sized to earn exactly that many Main points. */
static void do_bill(struct sim *x, time_t t, double forced)
{
    struct seeder *s = x->s;
    const struct member_spec *m = x->m;
    struct prng *r = x->r;
    int store = prng_chance(r, 0.8) ? m->home_store : (int)prng_range(r, 1, (int64_t)seed_stores_count);
    int64_t till = SB_TILL_POS + store;
    int64_t txn = seed_next_id(s, INS_TXN);
    char bill[32];
    snprintf(bill, sizeof bill, "BILL-%lld", (long long)txn);

    struct line {
        const struct seed_product *p;
        double qty, rate, value, discount;
    } lines[2];
    int n = forced > 0 ? 1 : 1 + prng_chance(r, 0.25);
    double gross = 0, discount = 0;
    for (int i = 0; i < n; i++) {
        struct line *l = &lines[i];
        l->p = &seed_products[pick(r, seed_products_count)];
        l->qty = prng_chance(r, 0.15) ? 2 : 1;
        l->rate = (double)prng_range(r, l->p->min_price, l->p->max_price);
        if (forced > 0) {
            l->qty = 1;
            l->rate = ceil(forced / m->earn_rate);
        }
        l->value = l->qty * l->rate;
        l->discount = forced <= 0 && prng_chance(r, 0.3)
                          ? floor(l->value * (double)prng_range(r, 5, 15) / 100.0)
                          : 0;
        gross += l->value;
        discount += l->discount;
    }
    double amount = gross - discount;
    double points = forced > 0 ? forced : floor(amount * m->earn_rate);
    bool promised = forced <= 0 && m->delayed_recent && s->now - t < PROMISE_WINDOW;
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(t, iso);

    sqlite3_stmt *st = seed_begin(s, INS_TXN);
    seed_i64(st, 1, txn);
    seed_i64(st, 2, m->id);
    seed_text(st, 3, bill);
    seed_text(st, 4, iso);
    seed_real(st, 5, amount);
    seed_real(st, 6, gross);
    seed_real(st, 7, discount);
    seed_i64(st, 8, store);
    seed_i64(st, 9, till);
    seed_real(st, 10, points);
    seed_step(s, st, "transaction");
    s->stats->transactions++;
    for (int i = 0; i < n; i++) {
        st = seed_begin(s, INS_LINE);
        seed_i64(st, 1, seed_next_id(s, INS_LINE));
        seed_i64(st, 2, txn);
        seed_i64(st, 3, i + 1);
        seed_text(st, 4, lines[i].p->code);
        seed_text(st, 5, lines[i].p->description);
        seed_real(st, 6, lines[i].qty);
        seed_real(st, 7, lines[i].rate);
        seed_real(st, 8, lines[i].value);
        seed_real(st, 9, lines[i].discount);
        seed_real(st, 10, lines[i].value - lines[i].discount);
        seed_step(s, st, "line item");
        s->stats->lines++;
    }

    int64_t ev = add_event(x, "TransactionAdd", "SUCCESS", t, points, txn, bill, store, till, NULL);
    if (promised) {
        add_entry(x, ev, "CREDIT", "DelayedAccrualPointCategory", points, 0);
        x->delayed += points;
    } else {
        time_t expires = end_of_day(t + LOT_LIFE);
        add_entry(x, ev, "CREDIT", "Main", points, expires);
        push_lot(x, points, expires, false);
        x->lifetime += points;
    }
    x->purchases += amount;
    x->last_txn = txn;
    x->last_points = points;
    x->last_returned = false;
    x->last_delayed = promised;
    x->last_store = store;
    remember_txn(x, t, txn, store);
}

static void redeem(struct sim *x, time_t t, double points)
{
    const struct member_spec *m = x->m;
    consume(x, points);
    x->redeemed += points;
    int64_t ev = add_event(x, "PointsRedemption", "SUCCESS", t, -points, 0, NULL, m->home_store,
                           SB_TILL_POS + m->home_store, NULL);
    add_entry(x, ev, "DEBIT", "Main", points, 0);
}

/* Now and then a redemption fails at the till: an event without entries. */
static void do_redemption(struct sim *x, time_t t, double points)
{
    const struct member_spec *m = x->m;
    if (prng_chance(x->r, 0.015))
        add_event(x, "PointsRedemption", "FAILED", t, 0, 0, NULL, m->home_store,
                  SB_TILL_POS + m->home_store, NULL);
    else
        redeem(x, t, points);
}

static void do_goodwill(struct sim *x, time_t t)
{
    struct prng *r = x->r;
    double points = 50.0 * (double)prng_range(r, 1, 10);
    const char *reason = seed_goodwill_reasons[pick(r, seed_goodwill_reasons_count)].code;
    time_t raised = t - prng_range(r, 3600, 2 * DAY);
    if (raised < x->m->enrolled)
        raised = x->m->enrolled;
    seed_request(x->s, r, x->m->id, "GOODWILL", "POINTS", points, 0, NULL, NULL, reason,
                 "APPROVED", SB_TILL_AGENT, raised, SB_TILL_SUPERVISOR, t);
    time_t expires = end_of_day(t + LOT_LIFE);
    int64_t ev = add_event(x, "AllocateGoodwillPoints", "SUCCESS", t, points, 0, NULL, 1,
                           SB_TILL_SUPERVISOR, reason);
    add_entry(x, ev, "CREDIT", "Main", points, expires);
    push_lot(x, points, expires, true);
    x->adjusted += points;
}

static void do_return(struct sim *x, time_t t)
{
    double points = x->last_points;
    char bill[32];
    snprintf(bill, sizeof bill, "BILL-%lld", (long long)x->last_txn);
    consume(x, points);
    x->returned += points;
    x->last_returned = true;
    int64_t ev = add_event(x, "ReturnBill", "SUCCESS", t, -points, x->last_txn, bill,
                           x->last_store, SB_TILL_POS + x->last_store, NULL);
    add_entry(x, ev, "DEBIT", "Main", points, 0);
}

enum step_kind { STEP_BILL, STEP_REDEEM, STEP_GOODWILL, STEP_RETURN, STEP_UPDATE };

static void step(struct sim *x, time_t t)
{
    static const unsigned weights[] = {68, 14, 3, 2, 3};
    struct prng *r = x->r;
    switch ((enum step_kind)prng_weighted(r, weights, sizeof weights / sizeof weights[0])) {
    case STEP_REDEEM:
        /* Members spend at most half of what they hold, so balances build up. */
        if (x->balance >= 500) {
            double cap = x->balance / 2 < 3000 ? x->balance / 2 : 3000;
            do_redemption(x, t, 50.0 * (double)prng_range(r, 2, (int64_t)(cap / 50)));
            return;
        }
        break;
    case STEP_GOODWILL:
        do_goodwill(x, t);
        return;
    case STEP_RETURN:
        if (x->last_txn && !x->last_returned && !x->last_delayed && x->last_points > 0 &&
            x->balance >= x->last_points) {
            do_return(x, t);
            return;
        }
        break;
    case STEP_UPDATE:
        add_event(x, "CustomerUpdate", "SUCCESS", t, 0, 0, NULL, x->m->home_store,
                  SB_TILL_AGENT, NULL);
        x->updated = t;
        return;
    case STEP_BILL:
        break;
    }
    do_bill(x, t, 0);
}

static void simulate(struct sim *x)
{
    struct seeder *s = x->s;
    const struct member_spec *m = x->m;
    add_event(x, "CustomerRegistration", "SUCCESS", m->enrolled, 0, 0, NULL, m->home_store,
              m->created_till, NULL);
    time_t stop = s->now - 2 * 3600;
    time_t t = m->enrolled;
    if (m->events > 0 && stop > t) {
        int64_t gap = (int64_t)((double)(stop - t) / (double)(m->events + 1));
        if (gap < 2)
            gap = 2;
        for (long i = 0; i < m->events && !s->failed; i++) {
            t += prng_range(x->r, 1, 2 * gap - 1);
            if (t >= stop)
                break;
            expire_until(x, t);
            step(x, t);
        }
    }
    expire_until(x, s->now);
    if (m->target_points > 0) {
        /* One last bill or redemption lands the balance on the target. */
        double diff = m->target_points - x->balance;
        if (diff > 0)
            do_bill(x, s->now - 3600, diff);
        else if (diff < 0)
            redeem(x, s->now - 3600, -diff);
    }
}

static void write_schedule(struct sim *x)
{
    struct seeder *s = x->s;
    struct seed_lot *lots = s->lots;
    size_t i = x->head;
    while (i < x->n_lots && !s->failed) {
        time_t when = lots[i].expires;
        double bill = 0, promo = 0;
        for (; i < x->n_lots && lots[i].expires == when; i++) {
            if (lots[i].promo)
                promo += lots[i].points;
            else
                bill += lots[i].points;
        }
        char date[SBTIME_DATE_LEN];
        sbtime_date(when, date);
        for (int k = 0; k < 2; k++) {
            double points = k ? promo : bill;
            if (points <= 0)
                continue;
            sqlite3_stmt *st = seed_begin(s, INS_EXPIRY);
            seed_i64(st, 1, x->m->id);
            seed_text(st, 2, date);
            seed_text(st, 3, k ? "customer_promotions" : "bill_regular");
            seed_real(st, 4, points);
            seed_step(s, st, "expiry schedule");
        }
    }
}

static int tier_for(double lifetime)
{
    static const double floors[] = {0, 2500, 10000, 25000};
    int serial = 1;
    for (int i = 0; i < 4; i++)
        if (lifetime >= floors[i])
            serial = i + 1;
    return serial;
}

static void write_member(struct sim *x)
{
    struct seeder *s = x->s;
    const struct member_spec *m = x->m;
    char created[SBTIME_ISO_LEN], updated[SBTIME_ISO_LEN], tier_expiry[SBTIME_ISO_LEN];
    sbtime_iso(m->enrolled, created);
    sbtime_iso(x->updated, updated);
    sbtime_iso(end_of_day(s->now + 365 * DAY), tier_expiry);
    int tier = m->tier_serial ? m->tier_serial : tier_for(x->lifetime + x->adjusted);

    sqlite3_stmt *st = seed_begin(s, INS_CUSTOMER);
    seed_i64(st, 1, m->id);
    seed_text(st, 2, m->first);
    seed_text(st, 3, m->last);
    seed_text(st, 4, m->fraud_status ? m->fraud_status : "NOT_FRAUD");
    seed_text(st, 5, m->gender);
    seed_text(st, 6, m->city);
    seed_i64(st, 7, tier);
    seed_text(st, 8, tier_expiry);
    seed_i64(st, 9, 143000000 + (m->id - 565000000));
    seed_real(st, 10, x->purchases);
    seed_text(st, 11, created);
    seed_text(st, 12, updated);
    seed_i64(st, 13, m->created_till);
    seed_i64(st, 14, m->home_store);
    seed_step(s, st, "customer");
    s->stats->members++;

    const char *types[] = {"mobile", "email", "externalId", "cardnumber"};
    const char *values[] = {m->mobile, m->email, m->external_id, m->card};
    for (int i = 0; i < 4; i++) {
        st = seed_begin(s, INS_IDENT);
        seed_i64(st, 1, m->id);
        seed_text(st, 2, types[i]);
        seed_text(st, 3, values[i]);
        seed_step(s, st, "identifier");
    }

    st = seed_begin(s, INS_SUMMARY);
    seed_i64(st, 1, m->id);
    seed_real(st, 2, x->balance);
    seed_real(st, 3, x->lifetime);
    seed_real(st, 4, x->redeemed);
    seed_real(st, 5, x->expired);
    seed_real(st, 6, x->returned);
    seed_real(st, 7, x->adjusted);
    seed_real(st, 8, x->delayed);
    seed_step(s, st, "points summary");
}

/* The first bill after `from` and before `until`, or NULL. */
static const struct seed_txn_ref *bill_between(struct sim *x, time_t from, time_t until)
{
    size_t lo = 0, hi = x->n_txns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->s->txns[mid].at <= from)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < x->n_txns && x->s->txns[lo].at < until)
        return &x->s->txns[lo];
    return NULL;
}

static void add_coupon(struct sim *x, enum seed_coupon_state state)
{
    struct seeder *s = x->s;
    const struct member_spec *m = x->m;
    struct prng *r = x->r;
    time_t now = s->now;
    bool live = state == CS_ACTIVE || state == CS_REVOKED;
    size_t idx = 0;
    time_t series_end = 0, lo = 0, hi = 0;
    for (int attempt = 0; attempt < 32; attempt++) {
        idx = attempt < 31 ? (size_t)pick(r, seed_series_list_count) : 0;
        series_end = end_of_day(now + seed_series_list[idx].valid_days * DAY);
        if (live) {
            lo = now - 80 * DAY > m->enrolled ? now - 80 * DAY : m->enrolled;
            hi = now - 3600;
            if (series_end > now + 7 * DAY && lo < hi)
                break;
        } else {
            lo = m->enrolled;
            hi = (series_end < now ? series_end : now) - 2 * DAY;
            if (lo < hi)
                break;
        }
    }
    if (lo >= hi)
        return; /* enrolled too recently for a coupon in this state */
    time_t issued = prng_range(r, lo, hi);
    time_t valid = issued + 90 * DAY < series_end ? issued + 90 * DAY : series_end;
    if (state == CS_EXPIRED && valid >= now)
        valid = now - DAY;
    valid = end_of_day(valid);

    const char *status = "ACTIVE";
    time_t redeemed = 0, revoked = 0;
    int redeemed_store = 0;
    char bill[32] = "";
    if (state == CS_REDEEMED) {
        status = "REDEEMED";
        time_t until = valid < now ? valid : now;
        const struct seed_txn_ref *b = bill_between(x, issued, until);
        if (b) {
            redeemed = b->at;
            redeemed_store = b->store;
            snprintf(bill, sizeof bill, "BILL-%lld", (long long)b->id);
        } else {
            redeemed = issued + prng_range(r, 3600, (until - issued) / 2 + 3600);
            redeemed_store = m->home_store;
        }
    } else if (state == CS_EXPIRED) {
        status = "EXPIRED";
    } else if (state == CS_REVOKED) {
        status = "REVOKED";
        revoked = issued + prng_range(r, 3600, 3 * DAY);
        if (revoked >= now)
            revoked = now - 60;
    }

    char code[9], iso_issued[SBTIME_ISO_LEN], iso_valid[SBTIME_ISO_LEN];
    char iso_redeemed[SBTIME_ISO_LEN], iso_revoked[SBTIME_ISO_LEN];
    scrambled_code((uint64_t)++s->coupon_seq, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789", 32, 8, code);
    sbtime_iso(issued, iso_issued);
    sbtime_iso(valid, iso_valid);
    sqlite3_stmt *st = seed_begin(s, INS_COUPON);
    seed_i64(st, 1, seed_next_id(s, INS_COUPON));
    seed_text(st, 2, code);
    seed_i64(st, 3, (int64_t)idx + 1);
    seed_i64(st, 4, m->id);
    seed_text(st, 5, status);
    seed_text(st, 6, iso_issued);
    seed_i64(st, 7, m->home_store);
    seed_i64(st, 8, prng_chance(r, 0.5) ? SB_TILL_AGENT : SB_TILL_POS + m->home_store);
    seed_text(st, 9, iso_valid);
    for (int c = 10; c <= 15; c++)
        seed_null(st, c);
    if (redeemed) {
        sbtime_iso(redeemed, iso_redeemed);
        seed_text(st, 10, iso_redeemed);
        seed_i64(st, 11, redeemed_store);
        seed_i64(st, 12, SB_TILL_POS + redeemed_store);
        seed_text(st, 13, bill[0] ? bill : NULL);
    }
    if (revoked) {
        sbtime_iso(revoked, iso_revoked);
        seed_text(st, 14, iso_revoked);
        seed_i64(st, 15, SB_TILL_AGENT);
    }
    seed_step(s, st, "coupon");
    s->stats->coupons++;
}

static void add_ticket(struct sim *x, bool open)
{
    static const char *const from[] = {"CALLCENTER", "EMAIL", "INTOUCH", "SOCIAL", "MICROSITE"};
    static const char *const channels[] = {"phone", "email", "walk-in", "chat"};
    struct seeder *s = x->s;
    const struct member_spec *m = x->m;
    struct prng *r = x->r;
    time_t now = s->now;
    time_t created;
    if (open)
        created = now - prng_range(r, 2 * 3600, 5 * DAY);
    else
        created = m->enrolled < now - 8 * DAY ? prng_range(r, m->enrolled, now - 8 * DAY)
                                              : m->enrolled;
    if (created < m->enrolled)
        created = m->enrolled;
    time_t updated = open ? created : created + prng_range(r, DAY, 6 * DAY);
    if (updated > now)
        updated = now;
    const struct seed_text *text = &seed_ticket_texts[pick(r, seed_ticket_texts_count)];
    const char *status = open ? (prng_chance(r, 0.7) ? "Open" : "InProgress") : "Closed";
    char code[10], iso_c[SBTIME_ISO_LEN], iso_u[SBTIME_ISO_LEN];
    scrambled_code((uint64_t)++s->ticket_seq, "0123456789abcdefghijklmnopqrstuvwxyz", 36, 9, code);
    sbtime_iso(created, iso_c);
    sbtime_iso(updated, iso_u);
    int64_t id = seed_next_id(s, INS_TICKET);
    int64_t till = prng_chance(r, 0.5) ? SB_TILL_AGENT : SB_TILL_SUPERVISOR;

    sqlite3_stmt *st = seed_begin(s, INS_TICKET);
    seed_i64(st, 1, id);
    seed_text(st, 2, code);
    seed_i64(st, 3, m->id);
    seed_text(st, 4, status);
    seed_text(st, 5, open ? "HIGH" : seed_priorities[pick(r, seed_priorities_count)]);
    seed_text(st, 6, seed_departments[pick(r, seed_departments_count)]);
    seed_text(st, 7, text->subject);
    seed_text(st, 8, text->message);
    seed_text(st, 9, from[pick(r, sizeof from / sizeof from[0])]);
    seed_text(st, 10, iso_c);
    seed_text(st, 11, iso_u);
    seed_i64(st, 12, till);
    seed_step(s, st, "ticket");
    s->stats->tickets++;

    st = seed_begin(s, INS_TICKET_FIELD);
    seed_i64(st, 1, id);
    seed_text(st, 2, "channel");
    seed_text(st, 3, channels[pick(r, sizeof channels / sizeof channels[0])]);
    seed_step(s, st, "ticket field");
    if (!open) {
        st = seed_begin(s, INS_TICKET_COMMENT);
        seed_i64(st, 1, seed_next_id(s, INS_TICKET_COMMENT));
        seed_i64(st, 2, id);
        seed_i64(st, 3, till);
        seed_text(st, 4, "Resolved and informed the customer.");
        seed_text(st, 5, "Closed");
        seed_text(st, 6, iso_u);
        seed_step(s, st, "ticket comment");
    }
}

static void add_note(struct sim *x)
{
    struct seeder *s = x->s;
    struct prng *r = x->r;
    time_t lo = x->m->enrolled, hi = s->now - 3600;
    time_t at = lo < hi ? prng_range(r, lo, hi) : lo;
    char iso[SBTIME_ISO_LEN];
    sbtime_iso(at, iso);
    sqlite3_stmt *st = seed_begin(s, INS_NOTE);
    seed_i64(st, 1, seed_next_id(s, INS_NOTE));
    seed_i64(st, 2, x->m->id);
    seed_text(st, 3, seed_note_texts[pick(r, seed_note_texts_count)]);
    seed_i64(st, 4, prng_chance(r, 0.6) ? SB_TILL_AGENT : SB_TILL_SUPERVISOR);
    seed_text(st, 5, iso);
    seed_text(st, 6, iso);
    seed_step(s, st, "note");
    s->stats->notes++;
}

static void add_interaction(struct sim *x, const char *channel, const char *status)
{
    struct seeder *s = x->s;
    struct prng *r = x->r;
    const struct member_spec *m = x->m;
    const char *subject, *message;
    if (strcmp(channel, "EMAIL") == 0) {
        const struct seed_text *t = &seed_email_texts[pick(r, seed_email_texts_count)];
        subject = t->subject;
        message = t->message;
    } else if (strcmp(channel, "PUSH") == 0) {
        subject = message = seed_push_texts[pick(r, seed_push_texts_count)];
    } else {
        subject = message = seed_sms_texts[pick(r, seed_sms_texts_count)];
    }
    time_t lo = m->enrolled, hi = s->now - 600;
    time_t sent = lo < hi ? prng_range(r, lo > hi - 365 * DAY ? lo : hi - 365 * DAY, hi) : lo;
    char iso_s[SBTIME_ISO_LEN], iso_d[SBTIME_ISO_LEN];
    sbtime_iso(sent, iso_s);
    sbtime_iso(sent + prng_range(r, 2, 90), iso_d);
    sqlite3_stmt *st = seed_begin(s, INS_INTERACTION);
    seed_i64(st, 1, seed_next_id(s, INS_INTERACTION));
    seed_i64(st, 2, m->id);
    seed_text(st, 3, channel);
    seed_text(st, 4, strcmp(channel, "EMAIL") == 0 ? m->email : m->mobile);
    seed_text(st, 5, subject);
    seed_text(st, 6, message);
    seed_text(st, 7, iso_s);
    seed_text(st, 8, strcmp(status, "DELIVERED") == 0 ? iso_d : NULL);
    seed_text(st, 9, status);
    seed_i64(st, 10, prng_chance(r, 0.6) ? prng_range(r, 3000, 3999) : -1);
    seed_step(s, st, "interaction");
    s->stats->interactions++;
}

static void extras(struct sim *x)
{
    const struct member_spec *m = x->m;
    for (int state = CS_ACTIVE; state <= CS_REVOKED; state++)
        for (int k = 0; k < m->coupons[state]; k++)
            add_coupon(x, (enum seed_coupon_state)state);
    for (int k = 0; k < m->closed_tickets; k++)
        add_ticket(x, false);
    for (int k = 0; k < m->open_tickets; k++)
        add_ticket(x, true);
    for (int k = 0; k < m->notes; k++)
        add_note(x);
    for (int k = 0; k < m->sms_delivered; k++)
        add_interaction(x, "SMS", "DELIVERED");
    for (int k = 0; k < m->sms_failed; k++)
        add_interaction(x, "SMS", "FAILED");
    for (int k = 0; k < m->emails; k++)
        add_interaction(x, "EMAIL", "DELIVERED");
    for (int k = 0; k < m->pushes; k++)
        add_interaction(x, "PUSH", "SENT");
}

void seed_member(struct seeder *s, const struct member_spec *m, struct prng *r)
{
    struct sim x = {.s = s, .m = m, .r = r, .updated = m->enrolled};
    if (!m->no_activity)
        simulate(&x);
    write_schedule(&x);
    write_member(&x);
    extras(&x);
}

/* Lower-case ASCII for an email local part: common Latin letters lose their
 * accents, anything else (apostrophes, CJK) is dropped. */
static void ascii_fold(const char *in, char *out, size_t n)
{
    static const struct {
        const char *utf8;
        char ascii;
    } map[] = {
        {"é", 'e'}, {"è", 'e'}, {"ê", 'e'}, {"ë", 'e'}, {"á", 'a'}, {"à", 'a'}, {"â", 'a'},
        {"ä", 'a'}, {"å", 'a'}, {"Å", 'a'}, {"í", 'i'}, {"ï", 'i'}, {"ó", 'o'}, {"ö", 'o'},
        {"ø", 'o'}, {"ú", 'u'}, {"ü", 'u'}, {"ç", 'c'}, {"ñ", 'n'},
    };
    size_t k = 0;
    while (*in && k + 1 < n) {
        unsigned char c = (unsigned char)*in;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            out[k++] = (char)c;
            in++;
            continue;
        }
        if (c >= 'A' && c <= 'Z') {
            out[k++] = (char)(c - 'A' + 'a');
            in++;
            continue;
        }
        size_t step = 1;
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
            size_t len = strlen(map[i].utf8);
            if (strncmp(in, map[i].utf8, len) == 0) {
                out[k++] = map[i].ascii;
                step = len;
                break;
            }
        }
        in += step;
    }
    out[k] = '\0';
}

void seed_generated_spec(struct seeder *s, long k, struct prng *r, struct member_spec *m,
                         char *buf, size_t buflen)
{
    memset(m, 0, sizeof *m);
    m->id = SB_ID_GENERATED + k;
    const struct seed_name *first;
    if (prng_chance(r, 0.7)) {
        first = &seed_indian_first[pick(r, seed_indian_first_count)];
        m->last = seed_indian_last[pick(r, seed_indian_last_count)];
    } else {
        first = &seed_intl_first[pick(r, seed_intl_first_count)];
        m->last = seed_intl_last[pick(r, seed_intl_last_count)];
    }
    m->first = first->name;
    m->gender = first->gender == 'F' ? "Female" : "Male";
    m->city = seed_cities[pick(r, seed_cities_count)];

    char fa[48], la[48];
    ascii_fold(m->first, fa, sizeof fa);
    ascii_fold(m->last, la, sizeof la);
    /* Four strings side by side in buf; each is NUL-terminated. */
    size_t used = 0;
    char *mobile = buf + used;
    /* A bijection of k keeps mobiles unique and away from the fixed 9198450000xx block. */
    used += (size_t)snprintf(mobile, buflen - used, "9198%08lld",
                             46000000LL + ((long long)k * 7919LL + 12345LL) % 54000000LL) + 1;
    char *email = buf + used;
    used += (size_t)snprintf(email, buflen - used, "%s.%s%ld@%s", fa, la, k,
                             seed_email_domains[pick(r, seed_email_domains_count)]) + 1;
    char *ext = buf + used;
    used += (size_t)snprintf(ext, buflen - used, "MC-%06ld", 100000 + k) + 1;
    char *card = buf + used;
    snprintf(card, buflen - used, "6080%012lld", 100000000000LL + k);
    m->mobile = mobile;
    m->email = email;
    m->external_id = ext;
    m->card = card;

    m->enrolled = s->now - prng_range(r, 30 * DAY, 3650 * DAY);
    m->events = (long)prng_range(r, 16, 40);
    static const double rates[] = {0.03, 0.04, 0.05, 0.06, 0.08, 0.12};
    m->earn_rate = rates[pick(r, sizeof rates / sizeof rates[0])];
    m->home_store = (int)prng_range(r, 1, (int64_t)seed_stores_count);
    m->created_till = prng_chance(r, 0.7) ? SB_TILL_POS + m->home_store : SB_TILL_AGENT;
    m->delayed_recent = prng_chance(r, 0.3);
    m->fraud_status = prng_chance(r, 0.005) ? "MARKED" : "NOT_FRAUD";
    static const unsigned coupon_weights[] = {45, 30, 15, 10};
    int n_coupons = (int)prng_weighted(r, coupon_weights, 4);
    static const unsigned state_weights[] = {40, 30, 22, 8};
    for (int i = 0; i < n_coupons; i++)
        m->coupons[prng_weighted(r, state_weights, 4)]++;
    if (prng_chance(r, 0.08)) {
        if (prng_chance(r, 0.25))
            m->open_tickets = 1;
        else
            m->closed_tickets = 1;
    }
    m->notes = prng_chance(r, 0.05);
    if (prng_chance(r, 0.2)) {
        m->sms_delivered = (int)prng_range(r, 1, 2);
        m->emails = (int)prng_range(r, 0, 1);
        m->sms_failed = prng_chance(r, 0.1);
    }
}
