/*
 * sbtime.c - parsing and formatting of the API's timestamps, all in UTC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/sbtime.h"

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_ymd(const char *s, struct tm *tm)
{
    int y, mo, d;
    if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return -1;
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    memset(tm, 0, sizeof *tm);
    tm->tm_year = y - 1900;
    tm->tm_mon = mo - 1;
    tm->tm_mday = d;
    return 0;
}

/* timegm normalises 31 February into March; a round trip catches that. */
static int to_time(struct tm *tm, time_t *out)
{
    struct tm want = *tm, back;
    time_t t = timegm(tm);
    if (t == (time_t)-1 || !gmtime_r(&t, &back) || back.tm_mday != want.tm_mday ||
        back.tm_mon != want.tm_mon)
        return -1;
    *out = t;
    return 0;
}

int sbtime_parse_date(const char *s, time_t *out)
{
    struct tm tm;
    if (!s || strlen(s) != 10 || parse_ymd(s, &tm))
        return -1;
    return to_time(&tm, out);
}

int sbtime_parse_iso(const char *s, time_t *out)
{
    struct tm tm;
    int h, mi, sec;
    if (!s || strlen(s) < 19 || parse_ymd(s, &tm))
        return -1;
    if ((s[10] != 'T' && s[10] != ' ') || digits(s + 11, 2, &h) || s[13] != ':' ||
        digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
        return -1;
    if (h > 23 || mi > 59 || sec > 60)
        return -1;
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    long offset = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return -1;
        offset = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
        p += 6;
    }
    if (*p != '\0')
        return -1;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    time_t t;
    if (to_time(&tm, &t))
        return -1;
    *out = t - offset;
    return 0;
}

int sbtime_clock_from_env(const char *value, struct sbtime_clock *c)
{
    memset(c, 0, sizeof *c);
    if (!value || !*value)
        return 0;
    if (sbtime_parse_iso(value, &c->at))
        return -1;
    c->pinned = true;
    return 0;
}

time_t sbtime_now(const struct sbtime_clock *c)
{
    return c->pinned ? c->at : time(NULL);
}

static void format(time_t t, const char *fmt, char *out, size_t n)
{
    struct tm tm;
    if (!gmtime_r(&t, &tm) || strftime(out, n, fmt, &tm) == 0)
        out[0] = '\0';
}

void sbtime_iso(time_t t, char out[SBTIME_ISO_LEN])
{
    format(t, "%Y-%m-%dT%H:%M:%SZ", out, SBTIME_ISO_LEN);
}

void sbtime_v11(time_t t, char out[SBTIME_V11_LEN])
{
    format(t, "%Y-%m-%d %H:%M:%S", out, SBTIME_V11_LEN);
}

void sbtime_date(time_t t, char out[SBTIME_DATE_LEN])
{
    format(t, "%Y-%m-%d", out, SBTIME_DATE_LEN);
}

void sbtime_iso_to_v11(const char *iso, char out[SBTIME_V11_LEN])
{
    time_t t;
    if (sbtime_parse_iso(iso, &t)) {
        out[0] = '\0';
        return;
    }
    sbtime_v11(t, out);
}
