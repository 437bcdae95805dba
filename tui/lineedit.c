/*
 * lineedit.c - the editing buffer behind every input field.
 *
 * The buffer only ever receives text that passed the filter in
 * filter_into(), so the rest of the file can decode it without checks.
 * Positions move by "character": a code point with a display width plus
 * the zero-width marks after it, which is what a user sees as one letter
 * (e + U+0308 is the ë of "Zoë"). A '\n' is a character of its own and
 * marks never join across it.
 */
#include "tui/lineedit.h"

#include "keymaps/keymap.h"
#include "tui/text.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q) {
        fputs("membercare: out of memory\n", stderr);
        abort();
    }
    return q;
}

void lineedit_init(struct lineedit *le, size_t max_chars, bool multiline)
{
    memset(le, 0, sizeof *le);
    le->max_chars = max_chars;
    le->multiline = multiline;
    le->goal_col = -1;
}

void lineedit_done(struct lineedit *le)
{
    if (!le)
        return;
    free(le->buf);
    lineedit_init(le, le->max_chars, le->multiline);
}

const char *lineedit_text(const struct lineedit *le)
{
    return le->buf ? le->buf : "";
}

size_t lineedit_len(const struct lineedit *le)
{
    return le->len;
}

size_t lineedit_chars(const struct lineedit *le)
{
    return le->chars;
}

/* Character helpers. The buffer is valid UTF-8, so decoding cannot fail. */

static unsigned cp_at(const struct lineedit *le, size_t i)
{
    unsigned cp = 0;
    text_utf8_decode(le->buf + i, le->len - i, &cp);
    return cp;
}

static size_t next_cp(const struct lineedit *le, size_t i)
{
    if (i >= le->len)
        return le->len;
    i++;
    while (i < le->len && ((unsigned char)le->buf[i] & 0xC0) == 0x80)
        i++;
    return i;
}

static size_t prev_cp(const struct lineedit *le, size_t i)
{
    if (i == 0)
        return 0;
    i--;
    while (i > 0 && ((unsigned char)le->buf[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static bool is_mark(unsigned cp)
{
    return cp != '\n' && text_cp_width(cp) == 0;
}

/* Whether a character starts at byte i. */
static bool at_boundary(const struct lineedit *le, size_t i)
{
    if (i == 0 || i >= le->len)
        return true;
    return !is_mark(cp_at(le, i)) || cp_at(le, prev_cp(le, i)) == '\n';
}

static size_t next_char(const struct lineedit *le, size_t i)
{
    do
        i = next_cp(le, i);
    while (!at_boundary(le, i));
    return i;
}

static size_t prev_char(const struct lineedit *le, size_t i)
{
    do
        i = prev_cp(le, i);
    while (!at_boundary(le, i));
    return i;
}

static int char_width(const struct lineedit *le, size_t i)
{
    unsigned cp;

    if (i >= le->len)
        return 0;
    cp = cp_at(le, i);
    return cp == '\n' ? 0 : text_cp_width(cp);
}

/* Columns taken by the bytes [a, b) of one line. */
static int cols_between(const struct lineedit *le, size_t a, size_t b)
{
    long cols = 0;

    for (size_t i = a; i < b; i = next_cp(le, i))
        cols += char_width(le, i);
    return cols > INT_MAX ? INT_MAX : (int)cols;
}

static size_t line_start(const struct lineedit *le, size_t i)
{
    while (i > 0 && le->buf[i - 1] != '\n')
        i--;
    return i;
}

static size_t line_end(const struct lineedit *le, size_t i)
{
    while (i < le->len && le->buf[i] != '\n')
        i++;
    return i;
}

/* Buffer changes */

static void reserve(struct lineedit *le, size_t extra)
{
    size_t need = le->len + extra + 1;

    if (need <= le->cap)
        return;
    size_t cap = le->cap ? le->cap : 64;
    while (cap < need)
        cap *= 2;
    le->buf = xrealloc(le->buf, cap);
    le->cap = cap;
}

static size_t count_cps(const char *s, size_t n)
{
    size_t c = 0;

    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* After an edit the text around the cursor may join into one character:
 * deleting a '\n' before a mark, or inserting before a mark that had no
 * base, gives the mark a base. The cursor moves past the joined marks. */
static void snap_cursor(struct lineedit *le)
{
    while (!at_boundary(le, le->cursor))
        le->cursor = next_cp(le, le->cursor);
}

static void delete_range(struct lineedit *le, size_t a, size_t b)
{
    if (a >= b)
        return;
    le->chars -= count_cps(le->buf + a, b - a);
    memmove(le->buf + a, le->buf + b, le->len - b + 1);
    le->len -= b - a;
    if (le->cursor > b)
        le->cursor -= b - a;
    else if (le->cursor > a)
        le->cursor = a;
    snap_cursor(le);
}

/* Appends the acceptable part of in[0..n) to out (capacity n * 4 bytes is
 * always enough: nothing grows). Returns the bytes written; *cps gets the
 * code points, *full is set when the limit stopped it. */
static size_t filter_into(const struct lineedit *le, const char *in, size_t n, char *out,
                          size_t *cps, bool *full)
{
    size_t room = le->max_chars ? (le->chars < le->max_chars ? le->max_chars - le->chars : 0)
                                : (size_t)-1;
    size_t i = 0, w = 0;

    *cps = 0;
    *full = false;
    while (i < n) {
        unsigned cp;
        size_t used = text_utf8_decode(in + i, n - i, &cp);

        if (used == 0) {
            i++;
            continue;
        }
        i += used;
        if (cp == '\r') {
            if (!le->multiline)
                continue;
            if (i < n && in[i] == '\n')
                continue; /* the '\n' of CR LF follows */
            cp = '\n';
        }
        if (cp == '\t')
            cp = ' ';
        if (cp == '\n' ? !le->multiline : !text_cp_printable(cp))
            continue;
        if (*cps == room) {
            *full = true;
            break;
        }
        w += text_utf8_encode(cp, out + w);
        (*cps)++;
    }
    return w;
}

enum lineedit_result lineedit_insert(struct lineedit *le, const char *utf8, size_t n)
{
    char *tmp;
    size_t w, cps;
    bool full;

    le->goal_col = -1;
    if (!utf8 || n == 0)
        return LINEEDIT_MOVED;
    /* CR turns into '\n' (same size); every other accepted code point is
     * copied as it came, so the filtered text is never longer than n. */
    tmp = xrealloc(NULL, n);
    w = filter_into(le, utf8, n, tmp, &cps, &full);
    if (w > 0) {
        reserve(le, w);
        if (le->len == 0)
            le->buf[0] = '\0';
        memmove(le->buf + le->cursor + w, le->buf + le->cursor, le->len - le->cursor + 1);
        memcpy(le->buf + le->cursor, tmp, w);
        le->len += w;
        le->cursor += w;
        le->chars += cps;
        snap_cursor(le);
    }
    free(tmp);
    if (full)
        return LINEEDIT_FULL;
    return w > 0 ? LINEEDIT_CHANGED : LINEEDIT_MOVED;
}

enum lineedit_result lineedit_set(struct lineedit *le, const char *s)
{
    le->len = 0;
    le->chars = 0;
    le->cursor = 0;
    le->view_first = 0;
    if (le->buf)
        le->buf[0] = '\0';
    if (!s || !*s)
        return LINEEDIT_CHANGED;
    return lineedit_insert(le, s, strlen(s)) == LINEEDIT_FULL ? LINEEDIT_FULL
                                                                : LINEEDIT_CHANGED;
}

/* Moves to the character of the line starting at start whose column is
 * the last one not past goal. */
static size_t column_in_line(const struct lineedit *le, size_t start, int goal)
{
    size_t end = line_end(le, start), i = start;
    int col = 0;

    while (i < end) {
        int w = char_width(le, i);
        size_t next = next_char(le, i);
        if (col + w > goal)
            break;
        col += w;
        i = next;
    }
    return i;
}

static enum lineedit_result move_vertical(struct lineedit *le, bool down)
{
    size_t start = line_start(le, le->cursor);
    size_t target;

    if (!le->multiline)
        return LINEEDIT_IGNORED;
    if (down) {
        size_t end = line_end(le, le->cursor);
        if (end >= le->len)
            return LINEEDIT_IGNORED;
        target = end + 1;
    } else {
        if (start == 0)
            return LINEEDIT_IGNORED;
        target = line_start(le, start - 1);
    }
    if (le->goal_col < 0)
        le->goal_col = cols_between(le, start, le->cursor);
    le->cursor = column_in_line(le, target, le->goal_col);
    return LINEEDIT_MOVED;
}

static bool is_space_at(const struct lineedit *le, size_t i)
{
    return le->buf[i] == ' ' || le->buf[i] == '\n';
}

static enum lineedit_result delete_span(struct lineedit *le, size_t a, size_t b)
{
    if (a >= b)
        return LINEEDIT_MOVED;
    delete_range(le, a, b);
    return LINEEDIT_CHANGED;
}

enum lineedit_result lineedit_key(struct lineedit *le, int key)
{
    size_t end, i;

    key = key_canonical(key);
    if (key != MC_KEY_UP && key != MC_KEY_DOWN)
        le->goal_col = -1;

    switch (key) {
    case MC_KEY_LEFT:
        le->cursor = prev_char(le, le->cursor);
        return LINEEDIT_MOVED;
    case MC_KEY_RIGHT:
        if (le->cursor < le->len)
            le->cursor = next_char(le, le->cursor);
        return LINEEDIT_MOVED;
    case MC_KEY_HOME:
    case MC_KEY_CTRL('a'):
        if (le->len)
            le->cursor = line_start(le, le->cursor);
        return LINEEDIT_MOVED;
    case MC_KEY_END:
    case MC_KEY_CTRL('e'):
        if (le->len)
            le->cursor = line_end(le, le->cursor);
        return LINEEDIT_MOVED;
    case MC_KEY_UP:
        return move_vertical(le, false);
    case MC_KEY_DOWN:
        return move_vertical(le, true);
    case MC_KEY_BACKSPACE:
        return delete_span(le, prev_char(le, le->cursor), le->cursor);
    case MC_KEY_DELETE:
    case MC_KEY_CTRL('d'):
        if (le->cursor >= le->len)
            return LINEEDIT_MOVED;
        return delete_span(le, le->cursor, next_char(le, le->cursor));
    case MC_KEY_CTRL('k'):
        if (le->cursor >= le->len)
            return LINEEDIT_MOVED;
        end = line_end(le, le->cursor);
        /* At the end of a line, C-k joins the next line to it (as in emacs). */
        return delete_span(le, le->cursor, end == le->cursor ? end + 1 : end);
    case MC_KEY_CTRL('u'):
        if (le->cursor == 0)
            return LINEEDIT_MOVED;
        return delete_span(le, line_start(le, le->cursor), le->cursor);
    case MC_KEY_CTRL('w'):
        i = le->cursor;
        while (i > 0 && is_space_at(le, i - 1))
            i--;
        while (i > 0 && !is_space_at(le, i - 1))
            i--;
        return delete_span(le, i, le->cursor);
    case MC_KEY_ENTER:
        if (!le->multiline)
            return LINEEDIT_IGNORED;
        return lineedit_insert(le, "\n", 1);
    default:
        break;
    }
    if (key >= 0 && key < MC_KEY_BASE && text_cp_printable((unsigned)key)) {
        char utf8[4];
        size_t n = text_utf8_encode((unsigned)key, utf8);
        return lineedit_insert(le, utf8, n);
    }
    return LINEEDIT_IGNORED;
}

/* Layout */

void lineedit_cursor_pos(const struct lineedit *le, size_t *line, int *col)
{
    size_t lines = 0;

    for (size_t i = 0; i < le->cursor; i++)
        if (le->buf[i] == '\n')
            lines++;
    if (line)
        *line = lines;
    if (col)
        *col = le->len ? cols_between(le, line_start(le, le->cursor), le->cursor) : 0;
}

void lineedit_view(struct lineedit *le, int width, size_t *first_byte, int *cursor_col)
{
    size_t start, end, first;
    int before, cell, tail;

    if (le->len == 0) {
        le->view_first = 0;
        *first_byte = 0;
        *cursor_col = 0;
        return;
    }
    start = line_start(le, le->cursor);
    end = line_end(le, le->cursor);
    if (width <= 0) {
        le->view_first = le->cursor;
        *first_byte = le->cursor;
        *cursor_col = 0;
        return;
    }

    /* Keep the previous scroll position if it is still on this line,
     * snapped back onto a character boundary (an edit may have moved the
     * text under it). A cursor left of it becomes the leftmost character:
     * the view moves no further than it must. */
    first = le->view_first;
    if (first < start)
        first = start;
    if (first > le->cursor)
        first = le->cursor;
    {
        size_t i = start;
        while (i < first) {
            size_t next = next_char(le, i);
            if (next > first)
                break;
            i = next;
        }
        first = i;
    }

    /* The cursor cell: the character under it, or one column for the caret
     * at the end of the line. */
    cell = le->cursor < end ? char_width(le, le->cursor) : 1;
    if (cell == 0)
        cell = 1;
    before = cols_between(le, first, le->cursor);
    while (before + cell > width && first < le->cursor) {
        size_t next = next_char(le, first);
        before -= cols_between(le, first, next);
        first = next;
    }

    /* Scroll back when what follows no longer fills the field. The column
     * after the text stays reserved for the caret wherever the cursor is,
     * so moving the cursor alone never shifts the text. */
    tail = cols_between(le, first, end) + 1;
    while (first > start) {
        size_t prev = prev_char(le, first);
        int w = cols_between(le, prev, first);
        if (tail + w > width)
            break;
        tail += w;
        before += w;
        first = prev;
    }

    le->view_first = first;
    *first_byte = first;
    *cursor_col = before;
}
