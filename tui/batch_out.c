/*
 * batch_out.c - renders batch results as plain text or JSON lines (see
 * batch_out.h for the shapes).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tui/batch_out.h"
#include "tui/text.h"

static void buf_add(struct bout_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            fputs("membercare: out of memory\n", stderr);
            abort();
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void buf_puts(struct bout_buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_printf(struct bout_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void buf_printf(struct bout_buf *b, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0)
        buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A JSON string: controls escaped, invalid UTF-8 replaced, so the line
 * always parses whatever the server sent. */
static void json_string(struct bout_buf *b, const char *s)
{
    buf_add(b, "\"", 1);
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char e[2] = {'\\', (char)c};
            buf_add(b, e, 2);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            buf_printf(b, "\\u%04x", c);
            i++;
        } else if (c < 0x80) {
            buf_add(b, (const char *)&s[i], 1);
            i++;
        } else {
            unsigned cp;
            size_t k = text_utf8_decode(s + i, n - i, &cp);
            if (k == 0) {
                buf_puts(b, "\\ufffd");
                i++;
            } else {
                buf_add(b, s + i, k);
                i += k;
            }
        }
    }
    buf_add(b, "\"", 1);
}

/* Terminal-safe text: placeholders for controls, one line. */
static void plain_text(struct bout *o, struct bout_buf *b, const char *s)
{
    size_t len = strlen(s);
    size_t cap = len * 4 + 8;
    char *tmp = malloc(cap);
    if (!tmp) {
        fputs("membercare: out of memory\n", stderr);
        abort();
    }
    text_fit(s, len, -1, o->ascii, tmp, cap);
    buf_puts(b, tmp);
    free(tmp);
}

void bo_init(struct bout *o, FILE *out, FILE *err, bool json, bool ascii)
{
    memset(o, 0, sizeof *o);
    o->out = out;
    o->err = err;
    o->json = json;
    o->ascii = ascii;
}

void bo_set_mask(struct bout *o, bool on) { o->mask = on; }

/* The masked copy of s (heap, owned by the caller), or NULL when masking
 * is off. */
static char *masked(struct bout *o, const char *key, const char *s)
{
    if (!o->mask || !s)
        return NULL;
    if (key && strcmp(key, "name") == 0)
        mask_names_add(&o->names, s);
    size_t cap = strlen(s) * 4 + 16;
    char *out = malloc(cap);
    if (!out) {
        fputs("membercare: out of memory\n", stderr);
        abort();
    }
    mask_text(s, &o->names, o->ascii && !o->json, out, cap);
    return out;
}

void bo_done(struct bout *o)
{
    free(o->body.s);
    o->body.s = NULL;
    o->body.len = o->body.cap = 0;
}

void bo_begin(struct bout *o)
{
    o->body.len = 0;
    if (o->body.s)
        o->body.s[0] = '\0';
    o->depth = 0;
    o->first[0] = true;
    o->array[0] = false;
    o->row[0] = false;
}

static void indent(struct bout *o)
{
    for (int i = 0; i < o->depth; i++)
        buf_puts(&o->body, "  ");
}

/* The start of a member or element: comma and key in JSON; separator,
 * indentation and "key: " in plain text. */
static void member(struct bout *o, const char *key, bool scalar)
{
    struct bout_buf *b = &o->body;
    bool first = o->first[o->depth];
    o->first[o->depth] = false;
    if (o->json) {
        if (!first)
            buf_add(b, ",", 1);
        if (key && !o->array[o->depth]) {
            json_string(b, key);
            buf_add(b, ":", 1);
        }
        return;
    }
    if (o->row[o->depth]) {
        if (scalar && (!first || o->row[o->depth] == 2))
            buf_add(b, "\t", 1);
        return;
    }
    if (!scalar)
        return;
    indent(o);
    if (key && !o->array[o->depth]) {
        buf_puts(b, key);
        buf_puts(b, ": ");
    }
}

static void push(struct bout *o, bool array)
{
    bool parent_row = o->row[o->depth] != 0;
    bool parent_array = o->array[o->depth];
    if (o->depth + 1 >= BO_MAX_DEPTH)
        return;
    o->depth++;
    o->first[o->depth] = true;
    o->array[o->depth] = array;
    /* plain: 1 = a row starts here, 2 = part of an enclosing row */
    o->row[o->depth] = parent_row ? 2 : (!array && parent_array) ? 1 : 0;
}

void bo_obj(struct bout *o, const char *key)
{
    member(o, key, false);
    if (o->json)
        buf_add(&o->body, "{", 1);
    else if (!o->row[o->depth] && key && !o->array[o->depth]) {
        indent(o);
        buf_puts(&o->body, key);
        buf_puts(&o->body, ":\n");
    }
    push(o, false);
    if (!o->json && o->row[o->depth] == 1)
        for (int i = 1; i < o->depth; i++)
            buf_puts(&o->body, "  ");
}

void bo_arr(struct bout *o, const char *key)
{
    member(o, key, false);
    if (o->json)
        buf_add(&o->body, "[", 1);
    else if (!o->row[o->depth] && key) {
        indent(o);
        buf_puts(&o->body, key);
        buf_puts(&o->body, ":\n");
    }
    push(o, true);
}

void bo_close(struct bout *o)
{
    if (o->depth == 0)
        return;
    if (o->json)
        buf_add(&o->body, o->array[o->depth] ? "]" : "}", 1);
    else if (o->row[o->depth] == 1)
        buf_add(&o->body, "\n", 1);
    o->depth--;
}

static void str_value(struct bout *o, const char *key, const char *val);

void bo_str(struct bout *o, const char *key, const char *val)
{
    char *m = masked(o, key, val);
    str_value(o, key, m ? m : val);
    free(m);
}

static void str_value(struct bout *o, const char *key, const char *val)
{
    if (!o->json && (!val || (!*val && o->row[o->depth]))) {
        /* a row keeps its columns in place: an absent value is "-" */
        if (o->row[o->depth]) {
            member(o, key, true);
            buf_add(&o->body, "-", 1);
        }
        return;
    }
    member(o, key, true);
    if (o->json) {
        if (val)
            json_string(&o->body, val);
        else
            buf_puts(&o->body, "null");
        return;
    }
    plain_text(o, &o->body, val);
    if (!o->row[o->depth])
        buf_add(&o->body, "\n", 1);
}

void bo_int(struct bout *o, const char *key, long long v)
{
    member(o, key, true);
    buf_printf(&o->body, "%lld", v);
    if (!o->json && !o->row[o->depth])
        buf_add(&o->body, "\n", 1);
}

void bo_num(struct bout *o, const char *key, double v)
{
    member(o, key, true);
    if (o->json) {
        if (v == (double)(long long)v)
            buf_printf(&o->body, "%lld", (long long)v);
        else
            buf_printf(&o->body, "%.3f", v);
        return;
    }
    char num[48];
    text_format_number(v, num, sizeof num);
    buf_puts(&o->body, num);
    if (!o->row[o->depth])
        buf_add(&o->body, "\n", 1);
}

void bo_bool(struct bout *o, const char *key, bool v)
{
    member(o, key, true);
    buf_puts(&o->body, o->json ? (v ? "true" : "false") : (v ? "yes" : "no"));
    if (!o->json && !o->row[o->depth])
        buf_add(&o->body, "\n", 1);
}

void bo_raw(struct bout *o, const char *key, const char *json)
{
    member(o, key, true);
    buf_puts(&o->body, json && *json ? json : "null");
    if (!o->json && !o->row[o->depth])
        buf_add(&o->body, "\n", 1);
}

static void record_head(struct bout *o, struct bout_buf *b, const char *command, long line, bool ok)
{
    (void)o;
    buf_puts(b, "{\"command\":");
    json_string(b, command);
    buf_printf(b, ",\"line\":%ld,\"ok\":%s", line, ok ? "true" : "false");
}

void bo_end_ok(struct bout *o, const char *command, long line)
{
    char *mc = masked(o, NULL, command);
    if (mc)
        command = mc;
    while (o->depth > 0)
        bo_close(o);
    if (!o->json) {
        if (o->body.len) {
            if (o->printed)
                fputc('\n', o->out);
            fputs(o->body.s, o->out);
            o->printed = true;
        }
        fflush(o->out);
        free(mc);
        return;
    }
    struct bout_buf rec = {0};
    record_head(o, &rec, command, line, true);
    buf_puts(&rec, ",\"result\":{");
    buf_puts(&rec, o->body.s ? o->body.s : "");
    buf_puts(&rec, "}}\n");
    fputs(rec.s, o->out);
    fflush(o->out);
    free(rec.s);
    free(mc);
}

void bo_end_error(struct bout *o, const char *command, long line, const char *message, long code,
                  long http_status)
{
    char *mc = masked(o, NULL, command), *mm = masked(o, NULL, message);
    if (mc)
        command = mc;
    if (mm)
        message = mm;
    o->depth = 0;
    if (!o->json) {
        struct bout_buf b = {0};
        buf_printf(&b, "membercare: line %ld: ", line);
        plain_text(o, &b, command);
        buf_puts(&b, ": ");
        plain_text(o, &b, message);
        buf_puts(&b, "\n");
        fflush(o->out);
        fputs(b.s, o->err);
        fflush(o->err);
        free(b.s);
        free(mc);
        free(mm);
        return;
    }
    struct bout_buf rec = {0};
    record_head(o, &rec, command, line, false);
    buf_puts(&rec, ",\"error\":{\"message\":");
    json_string(&rec, message);
    buf_printf(&rec, ",\"code\":%ld,\"http_status\":%ld}}\n", code, http_status);
    fputs(rec.s, o->out);
    fflush(o->out);
    free(rec.s);
    free(mc);
    free(mm);
}
