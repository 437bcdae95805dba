/*
 * lineedit.h - the editing buffer behind every input field.
 *
 * The search form, the `:` and `/` prompts and the notes editor all edit
 * text through this one buffer, so every field has the same keys (readline
 * basics: C-a C-e C-k C-u C-w C-d) and the same UTF-8 rules. It is pure
 * (no curses): a field feeds it keys and pastes and draws what
 * lineedit_view() says.
 *
 * Invariants: buf always holds valid UTF-8 without control characters
 * (except '\n' in multiline mode), never more than max_chars code points,
 * and the cursor always sits on a character boundary, never between a base
 * character and its combining marks.
 */
#ifndef MC_TUI_LINEEDIT_H
#define MC_TUI_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>

struct lineedit {
    char *buf;          /* owned, NUL-terminated UTF-8; NULL until the first edit */
    size_t len;         /* bytes in buf, without the NUL */
    size_t cap;         /* bytes allocated for buf */
    size_t chars;       /* code points in buf */
    size_t max_chars;   /* limit in code points; 0 means no limit */
    size_t cursor;      /* byte offset into buf */
    size_t view_first;  /* first byte shown, kept between lineedit_view() calls */
    int goal_col;       /* column Up/Down aim for while moving vertically; -1 otherwise */
    bool multiline;     /* Enter inserts '\n'; Up/Down move between lines */
};

enum lineedit_result {
    LINEEDIT_IGNORED = 0, /* not an editing key here: the caller may use it */
    LINEEDIT_MOVED,       /* consumed; the text is unchanged */
    LINEEDIT_CHANGED,     /* the text changed */
    LINEEDIT_FULL,        /* input refused, wholly or in part, at max_chars */
};

/* Lifetime */
void lineedit_init(struct lineedit *le, size_t max_chars, bool multiline);
/* Frees the buffer; le may be initialised again. */
void lineedit_done(struct lineedit *le);

/* Editing */
/* Applies one key (a code point or an MC_KEY_* value of keymaps/keymap.h;
 * raw 8/127, 9, 10/13 and 27 are taken as Backspace, Tab, Enter and Esc).
 * Printable characters insert; Left/Right move by character (a base and
 * its combining marks together); Home/End and C-a/C-e go to the start/end
 * of the line; C-k kills to the end of the line, C-u to its start, C-w the
 * previous word; Backspace/C-h and Delete/C-d delete the character before
 * or under the cursor; in multiline mode Enter inserts a newline and
 * Up/Down change lines (IGNORED on the first/last line, so a form can move
 * focus). Tab, Esc, function keys and other controls are IGNORED. */
enum lineedit_result lineedit_key(struct lineedit *le, int key);
/* Inserts pasted or programmatic text at the cursor. Invalid UTF-8 and
 * control characters are dropped, tabs become spaces, CR LF and CR become
 * '\n' in multiline mode ('\n' is dropped in a single-line field). Stops at
 * max_chars and returns LINEEDIT_FULL then. */
enum lineedit_result lineedit_insert(struct lineedit *le, const char *utf8, size_t n);
/* Replaces the text with s (NULL for empty), filtered as lineedit_insert(),
 * and puts the cursor at the end. */
enum lineedit_result lineedit_set(struct lineedit *le, const char *s);

/* Reading */
/* The text, NUL-terminated; "" when empty. Valid until the next edit. */
const char *lineedit_text(const struct lineedit *le);
size_t lineedit_len(const struct lineedit *le);
/* Code points in the text, for a live "12/255" counter. */
size_t lineedit_chars(const struct lineedit *le);

/* Layout */
/* For a one-line field width columns wide: the first byte to draw and the
 * cursor's column relative to it. Scrolls only as far as needed to keep the
 * cursor cell visible (a wide character under the cursor shows whole), and
 * scrolls back when text to the right no longer fills the field. first
 * always lies on a character boundary, so no wide character is cut at the
 * left edge; the drawer stops before the first character that does not fit
 * whole at the right edge. In multiline mode it applies to the cursor's
 * line. */
void lineedit_view(struct lineedit *le, int width, size_t *first_byte, int *cursor_col);
/* The cursor's line (0-based, counted by '\n') and display column. */
void lineedit_cursor_pos(const struct lineedit *le, size_t *line, int *col);

#endif
