/*
 * wrap.h - word wrapping of untrusted text for the screens that show long
 * server text (a ticket's message, a note, a message's subject).
 *
 * Pure (no curses): widths are those text_fit() draws with, so a wrapped
 * line drawn with tui_put() never needs the ellipsis.
 */
#ifndef MC_VIEWS_WRAP_H
#define MC_VIEWS_WRAP_H

#include <stdbool.h>
#include <stddef.h>

/* The first display line of s[0..len) wrapped at width columns (width < 1
 * counts as 1): returns its length in bytes and sets *next to where the
 * following line starts. Lines break at '\n' (which is consumed), else
 * after the last space that fits (the space is consumed), else before the
 * first character that does not fit; a character never loses its
 * combining marks and a line always takes at least one character. ascii:
 * measure as the ASCII drawing mode does. */
size_t wrap_line(const char *s, size_t len, int width, bool ascii, size_t *next);
/* How many lines s needs at width (0 for NULL or ""). */
int wrap_count(const char *s, int width, bool ascii);

#endif
