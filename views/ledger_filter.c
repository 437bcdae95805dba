/*
 * ledger_filter.c - parsing and matching the ledger's filter words (see
 * ledger_filter.h), and the kind labels.
 *
 * Dates compare by day number: a row's day is its ledgerCreatedDate's date
 * as sent (the reference sends no zone), so a range typed by an agent means
 * the dates the agent sees in the table.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "views/ledger_filter.h"

static const char *const labels[MC_LEDGER_KIND_COUNT] = {
    [MC_LEDGER_OTHER] = "Other",
    [MC_LEDGER_TRANSACTION_ADD] = "Purchase",
    [MC_LEDGER_TRANSACTION_UPDATE] = "Bill update",
    [MC_LEDGER_RETURN_BILL] = "Return",
    [MC_LEDGER_POINTS_REDEMPTION] = "Redemption",
    [MC_LEDGER_REDEMPTION_REVERSAL] = "Redeem undo",
    [MC_LEDGER_VOUCHER_REDEMPTION] = "Voucher",
    [MC_LEDGER_POINTS_EXPIRY] = "Expiry",
    [MC_LEDGER_GOODWILL] = "Goodwill",
    [MC_LEDGER_TARGET_COMPLETED] = "Target bonus",
    [MC_LEDGER_DELAYED_ACCRUAL] = "Promised",
    [MC_LEDGER_POINTS_TRANSFER] = "Transfer",
    [MC_LEDGER_REGISTRATION] = "Enrolment",
    [MC_LEDGER_CUSTOMER_UPDATE] = "Profile edit",
    [MC_LEDGER_GENERIC] = "Event",
};

const char *ledger_kind_label(enum mc_ledger_kind k)
{
    return (unsigned)k < MC_LEDGER_KIND_COUNT && labels[k] ? labels[k] : labels[MC_LEDGER_OTHER];
}

static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

/* "YYYY", "YYYY-MM" or "YYYY-MM-DD" (s[0..len)) -> first and last day. */
static bool parse_period(const char *s, size_t len, int64_t *first, int64_t *last)
{
    int y = 0, m = 0, d = 0;
    if (len != 4 && len != 7 && len != 10)
        return false;
    for (size_t i = 0; i < len; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    }
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (y < 1900)
        return false;
    if (len >= 7) {
        m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12)
            return false;
    }
    if (len == 10) {
        d = (s[8] - '0') * 10 + (s[9] - '0');
        if (d < 1 || d > days_in(y, m))
            return false;
    }
    if (len == 4) {
        *first = mc_days_from_civil(y, 1, 1);
        *last = mc_days_from_civil(y, 12, 31);
    } else if (len == 7) {
        *first = mc_days_from_civil(y, m, 1);
        *last = mc_days_from_civil(y, m, days_in(y, m));
    } else {
        *first = *last = mc_days_from_civil(y, m, d);
    }
    return true;
}

static bool looks_like_date(const char *w, size_t len)
{
    return len >= 4 && isdigit((unsigned char)w[0]) && isdigit((unsigned char)w[1]) &&
           isdigit((unsigned char)w[2]) && isdigit((unsigned char)w[3]) &&
           (len == 4 || w[4] == '-' || w[4] == '.');
}

static bool parse_word(struct lterm *t, const char *w, size_t len, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    if (len > 5 && strncasecmp(w, "kind:", 5) == 0) {
        t->kind = LTERM_KIND;
        snprintf(t->text, sizeof t->text, "%.*s", (int)(len - 5), w + 5);
        return true;
    }
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < len; i++)
        if (w[i] == '.' && w[i + 1] == '.') {
            dots = w + i;
            break;
        }
    if (dots || looks_like_date(w, len)) {
        t->kind = LTERM_DATES;
        int64_t a, b;
        if (!dots) {
            if (!parse_period(w, len, &t->from, &t->to))
                goto bad_date;
            return true;
        }
        size_t la = (size_t)(dots - w), lb = len - la - 2;
        t->from = INT64_MIN;
        t->to = INT64_MAX;
        if (la && !parse_period(w, la, &t->from, &b))
            goto bad_date;
        if (lb && !parse_period(dots + 2, lb, &a, &t->to))
            goto bad_date;
        if (!la && !lb)
            goto bad_date;
        if (t->from > t->to) {
            snprintf(err, errlen, "the range %.*s ends before it starts", (int)len, w);
            return false;
        }
        return true;
    bad_date:
        snprintf(err, errlen, "'%.*s' is not a date or range (YYYY-MM-DD..YYYY-MM-DD)",
                 (int)(len > 40 ? 40 : len), w);
        return false;
    }
    t->kind = LTERM_TEXT;
    snprintf(t->text, sizeof t->text, "%.*s", (int)len, w);
    return true;
}

bool lfilter_parse(struct ledger_filter *f, const char *text, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    snprintf(f->source, sizeof f->source, "%s", text ? text : "");
    const char *p = f->source;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        size_t len = strcspn(p, " ");
        if (f->n == LFILTER_MAX_TERMS) {
            snprintf(err, errlen, "at most %d words", LFILTER_MAX_TERMS);
            return false;
        }
        if (!parse_word(&f->terms[f->n], p, len, err, errlen))
            return false;
        f->n++;
        p += len;
    }
    return true;
}

static bool has_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return true;
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

static bool match_term(const struct lterm *t, const struct ledger_row *r, const char *strings)
{
    const char *event = mc_ledger_text(strings, &r->e, MC_LT_EVENT);
    const char *label = ledger_kind_label((enum mc_ledger_kind)r->e.kind);
    switch (t->kind) {
    case LTERM_KIND: {
        size_t n = strlen(t->text);
        return strncasecmp(event, t->text, n) == 0 || strncasecmp(label, t->text, n) == 0;
    }
    case LTERM_DATES: {
        if (r->e.at <= 0)
            return false;
        int64_t day = r->e.at / 10 / 86400;
        return day >= t->from && day <= t->to;
    }
    case LTERM_TEXT:
        if (has_ci(event, t->text) || has_ci(label, t->text))
            return true;
        for (int k = MC_LT_STORE; k < MC_LT_COUNT; k++)
            if (has_ci(mc_ledger_text(strings, &r->e, (enum mc_ledger_text)k), t->text))
                return true;
        return false;
    }
    return false;
}

bool lfilter_match(const struct ledger_filter *f, const struct ledger_row *r,
                   const char *strings)
{
    for (int i = 0; i < f->n; i++)
        if (!match_term(&f->terms[i], r, strings))
            return false;
    return true;
}
