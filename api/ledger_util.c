/*
 * ledger_util.c - the small pure pieces under the ledger decoders: event
 * kinds, calendar arithmetic, the reference's time and points formats, and
 * the per-page string block (see ledger_priv.h).
 *
 * Dates are computed with days-from-civil arithmetic rather than timegm so
 * that decoding never depends on the process's time zone and stays fast
 * (a 1,000-entry page parses 1,000 dates).
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/internal.h"
#include "api/json.h"
#include "api/ledger_priv.h"

/* Kinds */

static const char *const kind_names[MC_LEDGER_KIND_COUNT] = {
#define MC_LEDGER_KIND_NAME(e, name) name,
    MC_LEDGER_KIND_LIST(MC_LEDGER_KIND_NAME)
#undef MC_LEDGER_KIND_NAME
};

const char *mc_ledger_kind_name(enum mc_ledger_kind k)
{
    return (unsigned)k < MC_LEDGER_KIND_COUNT ? kind_names[k] : "";
}

enum mc_ledger_kind mc_ledger_kind_of(const char *name)
{
    if (!name || !*name)
        return MC_LEDGER_OTHER;
    for (int k = 1; k < MC_LEDGER_KIND_COUNT; k++)
        if (strcasecmp(kind_names[k], name) == 0)
            return (enum mc_ledger_kind)k;
    return MC_LEDGER_OTHER;
}

/* Calendar (H. Hinnant's civil-from-days algorithms, proleptic Gregorian) */

int64_t mc_days_from_civil(int y, int m, int d)
{
    int64_t yy = y - (m <= 2);
    int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
    int64_t yoe = yy - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void mc_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int dd = (int)(doy - (153 * mp + 2) / 5 + 1);
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (mm <= 2));
    *m = mm;
    *d = dd;
}

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

bool mc_parse_time(const char *s, bool with_zone, int64_t *tenths)
{
    if (!s)
        return false;
    int y, mo, d, h = 0, mi = 0, sec = 0, frac = 0;
    if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return false;
    if (y < 1900 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
        return false;
    const char *p = s + 10;
    if (*p == ' ' || *p == 'T') {
        if (!digits(p + 1, 2, &h) || p[3] != ':' || !digits(p + 4, 2, &mi))
            return false;
        p += 6;
        if (*p == ':') {
            if (!digits(p + 1, 2, &sec))
                return false;
            p += 3;
            if (*p == '.') {
                p++;
                if (!isdigit((unsigned char)*p))
                    return false;
                frac = *p - '0'; /* tenths; further digits are dropped */
                while (isdigit((unsigned char)*p))
                    p++;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            return false;
    }
    int64_t off = 0;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om = 0;
        int sign = *p == '-' ? -1 : 1;
        if (!digits(p + 1, 2, &oh))
            return false;
        p += 3;
        if (*p == ':')
            p++;
        if (isdigit((unsigned char)*p)) {
            if (!digits(p, 2, &om))
                return false;
            p += 2;
        }
        if (oh > 23 || om > 59)
            return false;
        off = sign * (int64_t)(oh * 3600 + om * 60);
    }
    if (*p != '\0')
        return false;
    int64_t secs = mc_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    if (with_zone)
        secs -= off;
    *tenths = secs * 10 + frac;
    return true;
}

bool mc_parse_milli(const char *s, size_t len, int64_t *out)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0)
        return false;
    size_t i = 0;
    bool neg = false;
    if (s[0] == '-' || s[0] == '+') {
        neg = s[0] == '-';
        i++;
    }
    int64_t whole = 0;
    size_t int_digits = 0;
    for (; i < len && isdigit((unsigned char)s[i]); i++, int_digits++) {
        if (whole > 900000000000LL)
            return false;
        whole = whole * 10 + (s[i] - '0');
    }
    int64_t frac = 0;
    size_t frac_digits = 0;
    int round_digit = 0;
    if (i < len && s[i] == '.') {
        for (i++; i < len && isdigit((unsigned char)s[i]); i++, frac_digits++) {
            if (frac_digits < 3)
                frac = frac * 10 + (s[i] - '0');
            else if (frac_digits == 3)
                round_digit = s[i] - '0';
        }
    }
    if (int_digits + frac_digits == 0)
        return false;
    if (i < len) {
        /* Exponents and the like: not the reference's format, but a number all the same. */
        char buf[64];
        if (len >= sizeof buf)
            return false;
        memcpy(buf, s, len);
        buf[len] = '\0';
        char *end;
        double d = strtod(buf, &end);
        if (*end != '\0' || !isfinite(d) || fabs(d) >= 9e12)
            return false;
        *out = (int64_t)llround(d * 1000.0);
        return true;
    }
    for (size_t k = frac_digits; k < 3; k++)
        frac *= 10;
    int64_t v = whole * 1000 + frac + (round_digit >= 5);
    if (v >= 9000000000000000LL)
        return false;
    *out = neg ? -v : v;
    return true;
}

bool ledger_json_milli(const json_t *v, int64_t *out)
{
    if (!v)
        return false;
    if (json_is_integer(v)) {
        json_int_t i = json_integer_value(v);
        if (i > 9000000000000LL || i < -9000000000000LL)
            return false;
        *out = (int64_t)i * 1000;
        return true;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (!isfinite(d) || fabs(d) >= 9e12)
            return false;
        *out = (int64_t)llround(d * 1000.0);
        return true;
    }
    if (json_is_string(v))
        return mc_parse_milli(json_string_value(v), json_string_length(v), out);
    return false;
}

/* String block */

void strblock_init(struct strblock *b)
{
    memset(b, 0, sizeof *b);
    b->cap = 256;
    b->buf = api_xmalloc(b->cap);
    b->buf[0] = '\0';
    b->len = 1;
}

static uint32_t hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

uint32_t strblock_add(struct strblock *b, const char *s, size_t len)
{
    if (!s)
        return 0;
    const char *nul = memchr(s, '\0', len);
    if (nul)
        len = (size_t)(nul - s);
    len = api_utf8_cut(s, len, API_JSON_STR_MAX);
    if (len == 0)
        return 0;
    /* Only short strings are worth interning: they are the ones that repeat
     * (stores, tills, programs); bill numbers are unique anyway. Once the
     * table is three-quarters full, new strings are simply appended. */
    bool intern = len <= 64 && b->n_interned < LEDGER_STRS_SLOTS * 3 / 4;
    uint32_t h = 0, i = 0;
    if (len <= 64) {
        h = hash(s, len);
        for (i = h & (LEDGER_STRS_SLOTS - 1); b->slot[i]; i = (i + 1) & (LEDGER_STRS_SLOTS - 1)) {
            const char *t = b->buf + b->slot[i];
            if (strncmp(t, s, len) == 0 && t[len] == '\0')
                return b->slot[i];
        }
    }
    if (b->len + len + 1 > UINT32_MAX)
        return 0; /* a page this large is refused by the body cap long before */
    if (b->len + len + 1 > b->cap) {
        while (b->len + len + 1 > b->cap)
            b->cap *= 2;
        b->buf = api_xrealloc(b->buf, b->cap);
    }
    uint32_t off = (uint32_t)b->len;
    memcpy(b->buf + off, s, len);
    b->buf[off + len] = '\0';
    b->len += len + 1;
    if (intern) {
        b->slot[i] = off;
        b->n_interned++;
    }
    return off;
}

uint32_t strblock_add_json(struct strblock *b, const json_t *v)
{
    if (!v)
        return 0;
    if (json_is_string(v))
        return strblock_add(b, json_string_value(v), json_string_length(v));
    if (json_is_number(v)) {
        char *t = api_json_str_value(v);
        uint32_t off = strblock_add(b, t, strlen(t));
        free(t);
        return off;
    }
    return 0;
}

char *strblock_take(struct strblock *b, size_t *len)
{
    char *buf = b->buf;
    *len = b->len;
    b->buf = NULL;
    b->len = b->cap = 0;
    return buf;
}

void strblock_done(struct strblock *b)
{
    free(b->buf);
    b->buf = NULL;
    b->len = b->cap = 0;
}
