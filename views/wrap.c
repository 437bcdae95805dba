/*
 * wrap.c - word wrapping by display width (see wrap.h).
 */
#include <string.h>

#include "tui/text.h"
#include "views/wrap.h"

size_t wrap_line(const char *s, size_t len, int width, bool ascii, size_t *next)
{
    size_t i = 0, space = 0;
    bool have_space = false;
    int col = 0;
    if (width < 1)
        width = 1;
    while (i < len) {
        if (s[i] == '\n') {
            *next = i + 1;
            return i;
        }
        unsigned cp;
        size_t used = text_utf8_decode(s + i, len - i, &cp);
        if (used == 0)
            used = 1; /* an invalid byte: drawn as one placeholder */
        int w = text_width(s + i, used, ascii);
        if (w > 0 && col + w > width && i > 0) {
            if (s[i] == ' ') {
                *next = i + 1;
                return i;
            }
            if (have_space) {
                *next = space + 1;
                return space;
            }
            *next = i;
            return i;
        }
        if (s[i] == ' ' && i > 0) {
            space = i;
            have_space = true;
        }
        col += w;
        i += used;
    }
    *next = len;
    return len;
}

int wrap_count(const char *s, int width, bool ascii)
{
    if (!s || !*s)
        return 0;
    size_t len = strlen(s), at = 0;
    int lines = 0;
    while (at < len) {
        size_t next;
        wrap_line(s + at, len - at, width, ascii, &next);
        lines++;
        at += next;
    }
    return lines;
}
