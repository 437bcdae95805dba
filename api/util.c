/*
 * util.c - allocation that aborts on out-of-memory, and secret wiping.
 *
 * Aborting keeps every call site of the builders and decoders free of NULL
 * checks (STYLE.md §6); the worker's response buffers do not use these, so a
 * huge body is an error value, not a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/internal.h"

static void oom(size_t n)
{
    fprintf(stderr, "membercare: out of memory (%zu bytes)\n", n);
    abort();
}

void *api_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *api_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        oom(count * size);
    return p;
}

void *api_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *api_xstrdup(const char *s)
{
    return api_xstrndup(s, strlen(s));
}

char *api_xstrndup(const char *s, size_t n)
{
    char *p = api_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *api_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        oom(0);
    char *p = api_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void api_wipe(void *p, size_t n)
{
    /* explicit_bzero is glibc/BSD; a volatile store loop is the portable
     * fallback the optimiser cannot drop either. */
#if defined(__GLIBC__) || defined(__OpenBSD__) || defined(__FreeBSD__)
    explicit_bzero(p, n);
#else
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
#endif
}

void api_free_secret(char *s)
{
    if (!s)
        return;
    api_wipe(s, strlen(s));
    free(s);
}

size_t api_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t cut = max;
    /* Back up over continuation bytes to the start of the character that
     * straddles the cut, then drop that character entirely. */
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}
