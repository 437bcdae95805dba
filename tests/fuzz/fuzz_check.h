/*
 * fuzz_check.h - invariant checks shared by the fuzz targets.
 *
 * A violated invariant aborts, which libFuzzer reports as a crash and saves
 * the input, exactly as it does for a sanitizer finding. The UTF-8 walker
 * here is written independently of tui/text.c on purpose: checking the
 * sanitiser's output with the sanitiser's own decoder would prove nothing.
 */
#ifndef MC_TESTS_FUZZ_CHECK_H
#define MC_TESTS_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond, what)                                                   \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__,       \
                    __LINE__, what, #cond);                                       \
            abort();                                                              \
        }                                                                         \
    } while (0)

/* Strict UTF-8 decoding of one code point (no overlongs, no surrogates,
 * nothing above U+10FFFF). Returns the bytes used, 0 when invalid. */
static inline size_t fuzz_utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    unsigned c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, c = s[0] & 0x1Fu, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, c = s[0] & 0x0Fu, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, c = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3Fu);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Code points that must never reach the terminal raw: C0 controls (ESC
 * among them), DEL, C1 controls (0x9B is an 8-bit CSI), the bidi
 * embeddings, overrides, isolates and marks, and the line separators. */
static inline bool fuzz_cp_dangerous(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
           cp == 0x061C || cp == 0x2028 || cp == 0x2029;
}

/* s[0..n) is valid UTF-8 holding nothing dangerous (allow_newline lets '\n'
 * through, for multi-line editors). */
static inline bool fuzz_text_safe(const char *s, size_t n, bool allow_newline)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned cp;
        size_t used = fuzz_utf8_next(u + i, n - i, &cp);
        if (used == 0)
            return false;
        if (fuzz_cp_dangerous(cp) && !(allow_newline && cp == '\n'))
            return false;
        i += used;
    }
    return true;
}

#endif
