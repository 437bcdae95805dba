/*
 * text.h - making untrusted text safe and fitting it into columns.
 *
 * Pure functions (no curses), so they are unit-tested and fuzzed directly.
 * Everything from the server or a file passes through text_fit() before it
 * is drawn: C0/C1 controls, DEL, ESC (and so every escape sequence), bidi
 * overrides and isolates, and invalid UTF-8 become visible placeholders;
 * the result is laid out by display width (wide CJK counts 2, combining
 * marks 0) and cut with an ellipsis when it does not fit.
 */
#ifndef MC_TUI_TEXT_H
#define MC_TUI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Placeholders: in UTF-8 mode a control character C0 shows as the matching
 * Unicode "control picture" (U+2400 + c, e.g. ESC -> U+241B), DEL as U+2421,
 * C1, bidi controls and other format characters as U+FFFD, invalid bytes
 * as U+FFFD. In ASCII mode every one of them shows as '?', and every
 * non-ASCII character too. The ellipsis is U+2026 in UTF-8, "~" in ASCII. */

/* Writes the sanitised, width-fitted form of in[0..len) into out (always
 * NUL-terminated when outsz > 0), using at most maxcols display columns
 * (a negative maxcols means no limit). Tabs and newlines become a single
 * space. Returns the columns used. */
int text_fit(const char *in, size_t len, int maxcols, bool ascii, char *out, size_t outsz);

/* Display columns the sanitised form of s would take, without limit. */
int text_width(const char *s, size_t len, bool ascii);

/* Display width of one Unicode code point: 0 (combining, zero-width), 1 or 2.
 * Controls and invalid values count 1: they are drawn as one placeholder. */
int text_cp_width(unsigned cp);

/* Whether cp may be shown and stored as it is: false for C0/C1 controls,
 * DEL, bidi controls, invisible format characters, line and paragraph
 * separators, noncharacters, surrogates and values above U+10FFFF. Display
 * replaces what it refuses; input fields drop it. */
bool text_cp_printable(unsigned cp);

/* At most this many zero-width code points stay attached to one character
 * (a curses cell holds a base and four marks); the rest of a longer run,
 * such as stacked "zalgo" marks, is dropped. */
#define TEXT_MAX_MARKS 4

/* Decodes one UTF-8 sequence at s (n bytes available) into *cp. Returns the
 * bytes consumed (1..4), or 0 for an invalid or truncated sequence
 * (overlong forms, surrogates and values above U+10FFFF are invalid). */
size_t text_utf8_decode(const char *s, size_t n, unsigned *cp);
/* Encodes cp into out (at least 4 bytes); returns the bytes written. */
size_t text_utf8_encode(unsigned cp, char *out);

/* Formats points / amounts for display: 12450 -> "12,450", 12.5 -> "12.50"
 * (two decimals only when there is a fraction), negative with '-'. */
void text_format_number(double v, char *buf, size_t n);

#endif
