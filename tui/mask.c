/*
 * mask.c - partly masking mobile numbers, emails and names.
 *
 * The scan works on bytes: a "word" is a run of ASCII letters and UTF-8
 * bytes (so Zoë, Ångström and 山田 are words), digits are ASCII digits. A
 * masked piece is only ever written whole, so a short buffer cuts the text
 * between characters, never inside one.
 */
#include "tui/mask.h"

#include <string.h>

#define DOT_UTF8 "\xe2\x80\xa2\xe2\x80\xa2\xe2\x80\xa2"
#define DOT_ASCII "***"
#define MASK_KEEP_LEAD 7

struct out {
    char *buf;
    size_t n, len;
    bool full;
};

static void put(struct out *o, const char *s, size_t k)
{
    if (o->full || o->n == 0)
        return;
    if (o->len + k >= o->n) {
        o->full = true;
        return;
    }
    memcpy(o->buf + o->len, s, k);
    o->len += k;
    o->buf[o->len] = '\0';
}

static const char *dots(bool ascii) { return ascii ? DOT_ASCII : DOT_UTF8; }

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}
static bool is_local(unsigned char c)
{
    return is_word(c) || is_digit(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}
static bool is_domain(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '.' || c == '-';
}

/* Bytes of the UTF-8 sequence that starts with c (1 for stray bytes). */
static size_t seq_len(const char *s, size_t left)
{
    unsigned char c = (unsigned char)s[0];
    size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    if (k > left)
        k = left;
    for (size_t i = 1; i < k; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            return i;
    return k;
}

/* Plain text, a character at a time, so a short buffer cuts between characters. */
static void put_chars(struct out *o, const char *s, size_t k)
{
    for (size_t i = 0; i < k;) {
        size_t c = seq_len(s + i, k - i);
        put(o, s + i, c);
        i += c;
    }
}

static void put_digits(struct out *o, const char *d, size_t k, bool ascii)
{
    /* the last two stay and the three before them go, so rows stay apart;
     * longer runs (cards) keep no more than a country code and area */
    size_t keep = k - 5 < MASK_KEEP_LEAD ? k - 5 : MASK_KEEP_LEAD;
    put(o, d, keep);
    put(o, dots(ascii), strlen(dots(ascii)));
    put(o, d + k - 2, 2);
}

static void put_first_char(struct out *o, const char *s, size_t k, bool ascii)
{
    put(o, s, seq_len(s, k));
    put(o, dots(ascii), strlen(dots(ascii)));
}

/* Length of an email address starting at s (a local part, '@', a domain
 * with a dot), or 0. */
static size_t email_at(const char *s, size_t left)
{
    size_t i = 0;
    while (i < left && is_local((unsigned char)s[i]))
        i++;
    if (i == 0 || i >= left || s[i] != '@')
        return 0;
    size_t at = i++;
    bool dot = false;
    while (i < left && is_domain((unsigned char)s[i])) {
        if (s[i] == '.' && i > at + 1)
            dot = true;
        i++;
    }
    while (i > at + 1 && s[i - 1] == '.')
        i--; /* a sentence's full stop is not part of the domain */
    /* the last label is a name (com, in, uk), not a number: till@127.0.0.1 is no address */
    size_t tld = i;
    while (tld > at + 1 && s[tld - 1] != '.')
        tld--;
    for (size_t k = tld; k < i; k++)
        if (is_digit((unsigned char)s[k]))
            return 0;
    return dot && i > at + 1 && i - tld >= 2 ? i : 0;
}

static void put_email(struct out *o, const char *s, size_t k, bool ascii)
{
    const char *at = memchr(s, '@', k);
    put_first_char(o, s, (size_t)(at - s), ascii);
    put(o, at, k - (size_t)(at - s));
}

static bool is_name(const struct mask_names *names, const char *w, size_t k)
{
    if (!names)
        return false;
    size_t n = names->n < MASK_MAX_NAMES ? names->n : MASK_MAX_NAMES;
    for (size_t i = 0; i < n; i++)
        if (strlen(names->words[i]) == k && memcmp(names->words[i], w, k) == 0)
            return true;
    return false;
}

const char *mask_text(const char *text, const struct mask_names *names, bool ascii, char *out,
                      size_t n)
{
    struct out o = {out, n, 0, false};
    if (n)
        out[0] = '\0';
    if (!text)
        return out;
    size_t len = strlen(text);
    size_t i = 0;
    while (i < len && !o.full) {
        unsigned char c = (unsigned char)text[i];
        bool start = i == 0 || !is_local((unsigned char)text[i - 1]);
        if (start && is_local(c)) {
            size_t e = email_at(text + i, len - i);
            if (e) {
                put_email(&o, text + i, e, ascii);
                i += e;
                continue;
            }
        }
        if (is_digit(c) && (i == 0 || !is_digit((unsigned char)text[i - 1]))) {
            size_t k = 0;
            while (i + k < len && is_digit((unsigned char)text[i + k]))
                k++;
            if (k >= MASK_MIN_DIGITS)
                put_digits(&o, text + i, k, ascii);
            else
                put(&o, text + i, k);
            i += k;
            continue;
        }
        if (is_word(c) && (i == 0 || !is_word((unsigned char)text[i - 1]))) {
            size_t k = 0;
            while (i + k < len && is_word((unsigned char)text[i + k]))
                k++;
            if (is_name(names, text + i, k))
                put_first_char(&o, text + i, k, ascii);
            else
                put_chars(&o, text + i, k);
            i += k;
            continue;
        }
        size_t k = seq_len(text + i, len - i);
        put(&o, text + i, k);
        i += k;
    }
    return out;
}

const char *mask_value(const char *value, enum pii_kind kind, bool ascii, char *out, size_t n)
{
    struct out o = {out, n, 0, false};
    if (n)
        out[0] = '\0';
    if (!value)
        return out;
    size_t len = strlen(value);
    switch (kind) {
    case PII_MOBILE: {
        size_t digits = strspn(value, "0123456789");
        if (digits == len && len >= 6)
            put_digits(&o, value, len, ascii);
        else
            mask_text(value, NULL, ascii, out, n);
        break;
    }
    case PII_EMAIL: {
        size_t e = email_at(value, len);
        if (e == len)
            put_email(&o, value, len, ascii);
        else
            mask_text(value, NULL, ascii, out, n);
        break;
    }
    case PII_NAME: {
        struct mask_names one = {0};
        mask_names_add(&one, value);
        mask_text(value, &one, ascii, out, n);
        break;
    }
    }
    return out;
}

void mask_names_add(struct mask_names *set, const char *name)
{
    if (!set || !name)
        return;
    const char *p = name;
    while (*p) {
        while (*p && !is_word((unsigned char)*p))
            p++;
        const char *w = p;
        while (*p && is_word((unsigned char)*p))
            p++;
        size_t k = (size_t)(p - w);
        /* one letter says nothing; an overlong word is not a name */
        if (k < 2 || k >= MASK_NAME_MAX || (k == seq_len(w, k)) || is_name(set, w, k))
            continue;
        memcpy(set->words[set->next], w, k);
        set->words[set->next][k] = '\0';
        set->next = (set->next + 1) % MASK_MAX_NAMES;
        if (set->n < MASK_MAX_NAMES)
            set->n++;
    }
}
