/*
 * ledger_export.c - the ledger as CSV (`:export FILE`, `:export! FILE`).
 *
 * One header row, then one row per ledger entry shown (every loaded row, or
 * the filter's matches), newest first. Dates are ISO 8601: the entry's time
 * as the server sent it (no zone: the reference gives none), tenths of a
 * second only when not zero; the points' expiry as a calendar date. Points
 * are plain decimals ("-120.5"), Main and promised apart; the balance is
 * empty where it is not known yet. The file is written beside its name and
 * renamed into place, so a failed export never leaves half a file behind
 * or destroys an earlier one.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "views/ledger_csv.h"
#include "views/ledger_view.h"

static const char *const header[] = {
    "event_id",  "date",     "event",     "label",          "points",  "promised_points",
    "balance",   "store",    "till",      "reference",      "transaction_id", "program",
    "details",   "points_expire_on",
};

static void milli_text(int64_t v, char *buf, size_t n)
{
    uint64_t mag = v < 0 ? (uint64_t)(-(v + 1)) + 1 : (uint64_t)v;
    unsigned frac = (unsigned)(mag % 1000);
    int len = snprintf(buf, n, "%s%" PRIu64, v < 0 ? "-" : "", mag / 1000);
    if (frac && len > 0 && (size_t)len < n) {
        char f[8];
        snprintf(f, sizeof f, ".%03u", frac);
        for (int k = 3; k > 0 && f[k] == '0'; k--)
            f[k] = '\0';
        snprintf(buf + len, n - (size_t)len, "%s", f);
    }
}

static void iso_time(int64_t at, char *buf, size_t n)
{
    if (at <= 0) {
        snprintf(buf, n, "%s", "");
        return;
    }
    int64_t s = at / 10;
    int y, m, d;
    mc_civil_from_days(s / 86400, &y, &m, &d);
    int64_t r = s % 86400;
    int len = snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, (int)(r / 3600),
                       (int)(r / 60 % 60), (int)(r % 60));
    if (at % 10 && len > 0 && (size_t)len < n)
        snprintf(buf + len, n - (size_t)len, ".%d", (int)(at % 10));
}

static void write_row(struct csv *c, const struct ledger_row *r, const char *str, int64_t balance)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%" PRId64, r->e.event_id);
    csv_field(c, r->e.event_id ? buf : "");
    iso_time(r->e.at, buf, sizeof buf);
    csv_field(c, buf);
    csv_field(c, mc_ledger_text(str, &r->e, MC_LT_EVENT));
    csv_field(c, ledger_kind_label((enum mc_ledger_kind)r->e.kind));
    milli_text(r->e.main, buf, sizeof buf);
    csv_field(c, buf);
    milli_text(r->e.other, buf, sizeof buf);
    csv_field(c, buf);
    if (balance == LEDGER_NO_BALANCE)
        buf[0] = '\0';
    else
        milli_text(balance, buf, sizeof buf);
    csv_field(c, buf);
    csv_field(c, mc_ledger_text(str, &r->e, MC_LT_STORE));
    csv_field(c, mc_ledger_text(str, &r->e, MC_LT_TILL));
    csv_field(c, mc_ledger_text(str, &r->e, MC_LT_REF));
    snprintf(buf, sizeof buf, "%" PRId64, r->e.txn_id);
    csv_field(c, r->e.txn_id ? buf : "");
    csv_field(c, mc_ledger_text(str, &r->e, MC_LT_PROGRAM));
    csv_field(c, mc_ledger_text(str, &r->e, MC_LT_DETAIL));
    ledger_day_text(r->e.expiry, buf, sizeof buf);
    csv_field(c, buf);
    csv_end_row(c);
}

long ledger_export_write(struct view *v, const char *path, char *err, size_t errlen)
{
    struct ledger_view *s = LV(v);
    char tmp[1100];
    if (snprintf(tmp, sizeof tmp, "%s.part", path) >= (int)sizeof tmp) {
        snprintf(err, errlen, "the file name is too long");
        return -1;
    }
    FILE *f = fopen(tmp, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    struct csv c;
    csv_begin(&c, f);
    for (size_t i = 0; i < sizeof header / sizeof header[0]; i++)
        csv_field(&c, header[i]);
    csv_end_row(&c);
    long written = 0, n = ledger_shown(s);
    for (long k = 0; k < n; k++) {
        long row = ledger_row_at(s, k);
        const struct ledger_row *r = sparse_row(&s->st, row);
        if (!r)
            continue;
        write_row(&c, r, s->st.strings, ledger_balance_of(&s->st, row));
        written++;
    }
    int saved = 0;
    if (c.failed || ferror(f))
        saved = errno ? errno : EIO;
    if (fclose(f) != 0 && !saved)
        saved = errno;
    if (!saved && rename(tmp, path) != 0)
        saved = errno;
    if (saved) {
        unlink(tmp);
        snprintf(err, errlen, "%s: %s", path, strerror(saved));
        return -1;
    }
    return written;
}
