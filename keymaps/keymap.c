/*
 * keymap.c - key bindings: the key-file parser, lookup and iteration.
 *
 * Each context keeps its bindings in an array sorted by key code: a few
 * dozen entries, looked up by binary search on every key press and walked
 * in order by the help overlay. A context other than `generic` may hold a
 * binding to ACTION_NONE; it hides the generic binding of that key, which
 * is how `bind customer q none` unbinds q on one screen only.
 *
 * Key files come from the user's home directory and are untrusted: lines
 * and files have size limits, NUL bytes are refused, and the words quoted
 * back in error messages are reduced to printable ASCII.
 */
#include "keymaps/keymap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEYMAP_MAX_FILE (1024 * 1024)
#define KEYMAP_MAX_LINE 1024
#define KEYMAP_QUOTE_MAX 40

struct binding {
    int key;
    enum action action;
};

struct binding_set {
    struct binding *v; /* owned, sorted by key */
    size_t n;
    size_t cap;
};

struct keymap {
    struct binding_set ctx[CTX_COUNT];
};

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q) {
        fputs("membercare: out of memory\n", stderr);
        abort();
    }
    return q;
}

struct keymap *keymap_new(void)
{
    struct keymap *km = xrealloc(NULL, sizeof *km);
    memset(km, 0, sizeof *km);
    return km;
}

void keymap_free(struct keymap **km)
{
    if (!km || !*km)
        return;
    for (size_t i = 0; i < CTX_COUNT; i++)
        free((*km)->ctx[i].v);
    free(*km);
    *km = NULL;
}

/* Index of key in set, or of the slot where it would be inserted. */
static size_t set_search(const struct binding_set *set, int key, bool *found)
{
    size_t lo = 0, hi = set->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->v[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < set->n && set->v[lo].key == key;
    return lo;
}

static void set_bind(struct binding_set *set, int key, enum action a, bool keep_none)
{
    bool found;
    size_t i = set_search(set, key, &found);

    if (found) {
        if (a == ACTION_NONE && !keep_none) {
            memmove(&set->v[i], &set->v[i + 1], (set->n - i - 1) * sizeof set->v[0]);
            set->n--;
        } else {
            set->v[i].action = a;
        }
        return;
    }
    if (a == ACTION_NONE && !keep_none)
        return;
    if (set->n == set->cap) {
        set->cap = set->cap ? set->cap * 2 : 16;
        set->v = xrealloc(set->v, set->cap * sizeof set->v[0]);
    }
    memmove(&set->v[i + 1], &set->v[i], (set->n - i) * sizeof set->v[0]);
    set->v[i].key = key;
    set->v[i].action = a;
    set->n++;
}

static const struct binding *set_find(const struct binding_set *set, int key)
{
    bool found;
    size_t i = set_search(set, key, &found);
    return found ? &set->v[i] : NULL;
}

static void set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;

    if (!err || errsz == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

/* A word from the file, safe to show on a terminal: printable ASCII only,
 * and short, so a hostile file cannot paint escape sequences through an
 * error message. */
static const char *quote_word(const char *w, char *buf, size_t n)
{
    size_t out = 0;

    for (size_t i = 0; w[i] && out + 1 < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (i == KEYMAP_QUOTE_MAX) {
            if (out + 3 < n) {
                memcpy(buf + out, "...", 3);
                out += 3;
            }
            break;
        }
        buf[out++] = (c > ' ' && c < 0x7f) ? (char)c : '?';
    }
    buf[out] = '\0';
    return buf;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Splits line (modified in place) into at most max words; `#` at the start
 * of a word begins a comment. Returns the word count, max + 1 if there are
 * more. */
static size_t split_words(char *line, char **words, size_t max)
{
    size_t n = 0;
    char *p = line;

    for (;;) {
        while (is_blank(*p))
            p++;
        if (*p == '\0' || *p == '#')
            return n;
        if (n == max)
            return max + 1;
        words[n++] = p;
        while (*p && !is_blank(*p))
            p++;
        if (*p == '\0')
            return n;
        *p++ = '\0';
    }
}

static int parse_line(struct keymap *km, char *line, const char *file, size_t lineno,
                      char *err, size_t errsz)
{
    char *w[4];
    char q[KEYMAP_QUOTE_MAX + 4];
    size_t n = split_words(line, w, 4);
    enum key_context ctx;
    enum action a;
    int key;

    if (n == 0)
        return 0;
    if (strcmp(w[0], "bind") != 0) {
        set_err(err, errsz, "%s:%zu: unknown command '%s' (expected 'bind CONTEXT KEY ACTION')",
                file, lineno, quote_word(w[0], q, sizeof q));
        return -1;
    }
    if (n != 4) {
        set_err(err, errsz, "%s:%zu: %s words: expected 'bind CONTEXT KEY ACTION'", file,
                lineno, n < 4 ? "too few" : "too many");
        return -1;
    }
    ctx = key_context_by_name(w[1]);
    if (ctx == CTX_COUNT) {
        set_err(err, errsz, "%s:%zu: unknown context '%s'", file, lineno,
                quote_word(w[1], q, sizeof q));
        return -1;
    }
    key = key_parse(w[2]);
    if (key < 0) {
        set_err(err, errsz, "%s:%zu: unknown key '%s'", file, lineno,
                quote_word(w[2], q, sizeof q));
        return -1;
    }
    a = action_by_name(w[3]);
    if (a == ACTION_COUNT) {
        set_err(err, errsz, "%s:%zu: unknown action '%s'", file, lineno,
                quote_word(w[3], q, sizeof q));
        return -1;
    }
    set_bind(&km->ctx[ctx], key, a, ctx != CTX_GENERIC);
    return 0;
}

int keymap_parse(struct keymap *km, const char *text, size_t len, const char *filename,
                 char *err, size_t errsz)
{
    char line[KEYMAP_MAX_LINE + 1];
    size_t pos = 0, lineno = 0;

    if (!filename)
        filename = "keys";
    if (err && errsz)
        err[0] = '\0';
    if (!km || (!text && len)) {
        set_err(err, errsz, "%s: nothing to parse", filename);
        return -1;
    }
    if (len > KEYMAP_MAX_FILE) {
        set_err(err, errsz, "%s: file too large (limit %d bytes)", filename, KEYMAP_MAX_FILE);
        return -1;
    }
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;

        pos += n + (nl ? 1 : 0);
        lineno++;
        if (n > 0 && start[n - 1] == '\r')
            n--;
        if (n > KEYMAP_MAX_LINE) {
            set_err(err, errsz, "%s:%zu: line too long (limit %d bytes)", filename, lineno,
                    KEYMAP_MAX_LINE);
            return -1;
        }
        if (memchr(start, '\0', n)) {
            set_err(err, errsz, "%s:%zu: NUL byte in line", filename, lineno);
            return -1;
        }
        memcpy(line, start, n);
        line[n] = '\0';
        if (parse_line(km, line, filename, lineno, err, errsz) < 0)
            return -1;
    }
    return 0;
}

int keymap_load_file(struct keymap *km, const char *path, char *err, size_t errsz)
{
    struct stat st;
    char *buf = NULL;
    size_t len = 0, cap;
    int fd, rc = -1;

    if (err && errsz)
        err[0] = '\0';
    /* No HOME to find the file in: there is no file to miss. */
    if (!path)
        return 0;
    /* O_NONBLOCK: a FIFO planted at the path must not hang start-up. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        set_err(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) < 0) {
        set_err(err, errsz, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        set_err(err, errsz, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_size > KEYMAP_MAX_FILE) {
        set_err(err, errsz, "%s: file too large (limit %d bytes)", path, KEYMAP_MAX_FILE);
        goto out;
    }
    /* The file may grow after fstat: read to EOF, but never past the limit. */
    cap = (size_t)st.st_size + 1;
    buf = xrealloc(NULL, cap);
    for (;;) {
        ssize_t r;
        if (len == cap) {
            if (cap > KEYMAP_MAX_FILE) {
                set_err(err, errsz, "%s: file too large (limit %d bytes)", path,
                        KEYMAP_MAX_FILE);
                goto out;
            }
            cap = cap * 2 > KEYMAP_MAX_FILE + 1 ? KEYMAP_MAX_FILE + 1 : cap * 2;
            buf = xrealloc(buf, cap);
        }
        r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            set_err(err, errsz, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    rc = keymap_parse(km, buf, len, path, err, errsz);
out:
    free(buf);
    close(fd);
    return rc;
}

int keymap_load_defaults(struct keymap *km, char *err, size_t errsz)
{
    return keymap_parse(km, keymap_default_text, keymap_default_len, "default.keys", err,
                        errsz);
}

enum action keymap_lookup(const struct keymap *km, enum key_context ctx, int key)
{
    const struct binding *b;

    if (!km)
        return ACTION_NONE;
    key = key_canonical(key);
    if ((unsigned)ctx < CTX_COUNT && ctx != CTX_GENERIC) {
        b = set_find(&km->ctx[ctx], key);
        if (b)
            return b->action;
    }
    b = set_find(&km->ctx[CTX_GENERIC], key);
    return b ? b->action : ACTION_NONE;
}

void keymap_foreach(const struct keymap *km, enum key_context ctx,
                    void (*fn)(void *ud, int key, enum action a), void *ud)
{
    const struct binding_set *set;

    if (!km || !fn || (unsigned)ctx >= CTX_COUNT)
        return;
    set = &km->ctx[ctx];
    for (size_t i = 0; i < set->n; i++)
        if (set->v[i].action != ACTION_NONE)
            fn(ud, set->v[i].key, set->v[i].action);
}

/* Appends ", name" (or "name" first); false once a name no longer fits, so
 * the list is cut between names, never inside one. */
static bool append_key(char *buf, size_t n, size_t *used, int key)
{
    char name[32];
    size_t len;
    const char *sep = *used ? ", " : "";

    key_to_name(key, name, sizeof name);
    len = strlen(sep) + strlen(name);
    if (*used + len + 1 > n)
        return false;
    memcpy(buf + *used, sep, strlen(sep));
    memcpy(buf + *used + strlen(sep), name, strlen(name));
    *used += len;
    buf[*used] = '\0';
    return true;
}

const char *keymap_keys_for(const struct keymap *km, enum key_context ctx, enum action a,
                            char *buf, size_t n)
{
    size_t used = 0;
    const struct binding_set *own, *gen;

    if (!buf || n == 0)
        return "";
    buf[0] = '\0';
    if (!km || a == ACTION_NONE || (unsigned)a >= ACTION_COUNT)
        return buf;
    if ((unsigned)ctx >= CTX_COUNT)
        ctx = CTX_GENERIC;
    own = &km->ctx[ctx];
    gen = &km->ctx[CTX_GENERIC];
    if (ctx != CTX_GENERIC)
        for (size_t i = 0; i < own->n; i++)
            if (own->v[i].action == a && !append_key(buf, n, &used, own->v[i].key))
                return buf;
    for (size_t i = 0; i < gen->n; i++) {
        if (gen->v[i].action != a)
            continue;
        /* Any binding of the same key in ctx (even `none`) shadows this one. */
        if (ctx != CTX_GENERIC && set_find(own, gen->v[i].key))
            continue;
        if (!append_key(buf, n, &used, gen->v[i].key))
            return buf;
    }
    return buf;
}
