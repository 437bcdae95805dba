/*
 * fuzz_lineedit.c - the line editor behind every input field, fed pastes
 * (lineedit_insert), replacements (lineedit_set) and keys.
 *
 * Input: byte 0 sets the mode (bit 0: multiline) and the character limit;
 * the rest is a program of operations, one opcode byte each:
 *   0-3   insert the next N bytes (N from the following byte) as a paste
 *   4     set the text to the next N bytes
 *   5-9   a special key (arrows, Home/End, Backspace, Delete, Enter, C-k...)
 *   10-11 a code point from the next three bytes (any value, even invalid)
 *   12    lineedit_view with a width from the next byte
 * After every operation the invariants of lineedit.h must hold: the buffer
 * is valid UTF-8 with no control character (bar '\n' when multiline), the
 * counts are right, the limit holds, and the cursor sits on a character
 * boundary.
 */
#include <stdint.h>
#include <string.h>

#include "keymaps/keymap.h"
#include "tests/fuzz/fuzz_check.h"
#include "tui/lineedit.h"
#include "tui/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int special[] = {
    MC_KEY_LEFT, MC_KEY_RIGHT, MC_KEY_UP, MC_KEY_DOWN, MC_KEY_HOME, MC_KEY_END,
    MC_KEY_BACKSPACE, MC_KEY_DELETE, MC_KEY_ENTER, MC_KEY_ESC, MC_KEY_TAB, MC_KEY_PGUP,
    MC_KEY_CTRL('a'), MC_KEY_CTRL('e'), MC_KEY_CTRL('k'), MC_KEY_CTRL('u'), MC_KEY_CTRL('w'),
    MC_KEY_CTRL('d'), MC_KEY_CTRL('h'), 8, 9, 10, 13, 27, 127, 0, MC_KEY_F1, MC_KEY_RESIZE,
};

static bool is_mark(const char *s, size_t n)
{
    unsigned cp;
    size_t used = fuzz_utf8_next((const unsigned char *)s, n, &cp);
    return used > 0 && cp != '\n' && text_cp_width(cp) == 0;
}

static void check(const struct lineedit *le)
{
    const char *t = lineedit_text(le);
    size_t len = lineedit_len(le);
    FUZZ_ASSERT(strlen(t) == len, "len matches the text");
    FUZZ_ASSERT(fuzz_text_safe(t, len, le->multiline),
                "the buffer is valid UTF-8 without control characters");
    size_t cps = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)t[i] & 0xC0) != 0x80)
            cps++;
    FUZZ_ASSERT(cps == lineedit_chars(le), "chars counts the code points");
    if (le->max_chars)
        FUZZ_ASSERT(cps <= le->max_chars, "the limit holds");
    size_t c = le->cursor;
    FUZZ_ASSERT(c <= len, "the cursor is inside the text");
    if (c > 0 && c < len) {
        FUZZ_ASSERT(((unsigned char)t[c] & 0xC0) != 0x80, "the cursor is on a code point");
        /* Not between a base and its marks (a mark after '\n' has no base). */
        if (is_mark(t + c, len - c))
            FUZZ_ASSERT(t[c - 1] == '\n', "the cursor is not inside a character");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const size_t limits[] = {0, 1, 2, 3, 8, 16, 255};
    struct lineedit le;
    lineedit_init(&le, limits[(data[0] >> 1) % (sizeof limits / sizeof limits[0])], data[0] & 1);
    size_t i = 1;
    int ops = 0;
    while (i < size && ops++ < 256) {
        unsigned op = data[i++] % 13;
        if (op <= 4) {
            size_t n = i < size ? data[i++] : 0;
            if (n > size - i)
                n = size - i;
            char *chunk = NULL;
            if (op == 4) {
                chunk = malloc(n + 1);
                FUZZ_ASSERT(chunk != NULL, "allocation");
                memcpy(chunk, data + i, n);
                chunk[n] = '\0';
                lineedit_set(&le, chunk);
                free(chunk);
            } else {
                lineedit_insert(&le, (const char *)data + i, n);
            }
            i += n;
        } else if (op <= 9) {
            unsigned k = i < size ? data[i++] : 0;
            lineedit_key(&le, special[k % (sizeof special / sizeof special[0])]);
        } else if (op <= 11) {
            unsigned cp = 0;
            for (int b = 0; b < 3 && i < size; b++)
                cp = (cp << 8) | data[i++];
            lineedit_key(&le, (int)cp);
        } else {
            int width = i < size ? data[i++] % 40 : 0;
            size_t first = 0;
            int col = -1;
            lineedit_view(&le, width, &first, &col);
            FUZZ_ASSERT(first <= lineedit_len(&le), "the view starts inside the text");
            if (width > 0)
                FUZZ_ASSERT(col >= 0 && col <= width, "the cursor column is inside the field");
        }
        check(&le);
    }
    lineedit_done(&le);
    return 0;
}
