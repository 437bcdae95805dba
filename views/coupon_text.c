/*
 * coupon_text.c - see coupon_text.h.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tui/text.h"
#include "views/coupon_text.h"

static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static bool num_at(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + s[i] - '0';
    }
    *out = v;
    return true;
}

/* Writes "31 Dec 2026" and, when the text has a time and with_time, " 23:59". */
static void fmt(const char *iso, bool with_time, char *buf, size_t n)
{
    int y, m, d, h, mi;
    if (!iso || !*iso) {
        snprintf(buf, n, "-");
        return;
    }
    if (strlen(iso) < 10 || !num_at(iso, 4, &y) || iso[4] != '-' || !num_at(iso + 5, 2, &m) ||
        iso[7] != '-' || !num_at(iso + 8, 2, &d) || m < 1 || m > 12) {
        snprintf(buf, n, "%s", iso);
        return;
    }
    bool has_time = (iso[10] == 'T' || iso[10] == ' ') && strlen(iso) >= 16 &&
                    num_at(iso + 11, 2, &h) && iso[13] == ':' && num_at(iso + 14, 2, &mi);
    if (with_time && has_time)
        snprintf(buf, n, "%d %s %04d %02d:%02d", d, months[m - 1], y, h, mi);
    else
        snprintf(buf, n, "%d %s %04d", d, months[m - 1], y);
}

void coupon_fmt_time(const char *iso, char *buf, size_t n)
{
    fmt(iso, true, buf, n);
}

void coupon_fmt_date(const char *iso, char *buf, size_t n)
{
    fmt(iso, false, buf, n);
}

/* 20 -> "20", 12.5 -> "12.5", 7.25 -> "7.25" */
static void percent(double v, char *buf, size_t n)
{
    snprintf(buf, n, "%.2f", v);
    char *dot = strchr(buf, '.');
    if (!dot)
        return;
    char *end = buf + strlen(buf);
    while (end > dot + 1 && end[-1] == '0')
        *--end = '\0';
    if (end == dot + 1)
        *dot = '\0';
}

void coupon_fmt_discount(const char *type, double value, double upto, bool with_cap, char *buf,
                         size_t n)
{
    char v[32], cap[32];
    text_format_number(value, v, sizeof v);
    if (type && strcasecmp(type, "PERC") == 0) {
        percent(value, v, sizeof v);
        if (with_cap && upto > 0) {
            text_format_number(upto, cap, sizeof cap);
            snprintf(buf, n, "%s%% off, up to %s", v, cap);
        } else {
            snprintf(buf, n, "%s%% off", v);
        }
    } else if (type && *type) {
        snprintf(buf, n, "%s off", v);
    } else {
        snprintf(buf, n, "%s", value != 0 ? v : "-");
    }
}

const char *coupon_series_label(const struct mc_coupon_series *s, char *buf, size_t n)
{
    if (s->code && *s->code)
        snprintf(buf, n, "%s", s->code);
    else if (s->description && *s->description)
        snprintf(buf, n, "%s", s->description);
    else
        snprintf(buf, n, "#%lld", (long long)s->id);
    return buf;
}

const char *coupon_state_name(enum mc_coupon_state s)
{
    switch (s) {
    case MC_COUPON_REDEEMED: return "Redeemed";
    case MC_COUPON_EXPIRED: return "Expired";
    case MC_COUPON_REVOKED: return "Revoked";
    case MC_COUPON_ACTIVE: break;
    }
    return "Active";
}

bool coupon_series_ended(const struct mc_coupon_series *s, long long now)
{
    long long end;
    return mc_time_parse(s->valid_till, &end) && end < now;
}

bool coupon_issue_valid_till(const struct mc_coupon_series *s, long long now, char *buf, size_t n)
{
    long long end;
    bool has_end = mc_time_parse(s->valid_till, &end);
    long long t = 0;
    bool has_t = false;
    const char *strategy = s->expiry_strategy ? s->expiry_strategy : "";
    if (strcasecmp(strategy, "DAYS") == 0 && s->expiry_value > 0) {
        t = now + (long long)s->expiry_value * 86400;
        has_t = true;
    } else if (strcasecmp(strategy, "MONTHS_END") == 0 && s->expiry_value > 0) {
        time_t tt = (time_t)now;
        struct tm tm;
        gmtime_r(&tt, &tm);
        tm.tm_mon += (int)s->expiry_value + 1;
        tm.tm_mday = 1;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        t = (long long)timegm(&tm) - 1;
        has_t = true;
    }
    buf[0] = '\0';
    if (has_end && (!has_t || end <= t)) {
        coupon_fmt_date(s->valid_till, buf, n);
        return true;
    }
    if (!has_t)
        return false;
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    snprintf(buf, n, "%d %s %04d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
    return true;
}

long coupon_find_new(const struct mc_coupon_list *list, char *const *known, size_t n_known,
                     int64_t series_id)
{
    if (!list)
        return -1;
    for (size_t i = 0; i < list->n; i++) {
        const struct mc_coupon *c = &list->items[i];
        if (c->series_id != series_id || !c->code)
            continue;
        bool old = false;
        for (size_t k = 0; k < n_known && !old; k++)
            old = known[k] && strcasecmp(known[k], c->code) == 0;
        if (!old)
            return (long)i;
    }
    return -1;
}
