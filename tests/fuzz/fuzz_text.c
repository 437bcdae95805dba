/*
 * fuzz_text.c - the sanitiser and width code every server string passes
 * through on its way to the terminal (text_fit, text_width).
 *
 * Input: byte 0 is the column budget (0xFF: unlimited), byte 1 picks the
 * mode (bit 0: ASCII) and the output buffer size (the rest), then the text.
 *
 * The check that matters is the security one: whatever comes in, what goes
 * out is valid UTF-8 (or printable ASCII) with no control character, no
 * escape, no C1 and no bidi control, so nothing a server sends can move the
 * cursor, set a title, write the clipboard or reorder a line. Then the
 * layout contract: the width returned is within the budget and is what
 * text_width measures on the output, and sanitising twice changes nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "tui/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const size_t out_sizes[] = {1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 33, 64, 256, 4096, 65536};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    int maxcols = data[0] == 0xFF ? -1 : data[0];
    bool ascii = data[1] & 1;
    size_t outsz = out_sizes[(data[1] >> 1) % (sizeof out_sizes / sizeof out_sizes[0])];
    const char *in = (const char *)data + 2;
    size_t len = size - 2;

    char *out = malloc(outsz);
    FUZZ_ASSERT(out != NULL, "allocation");
    int cols = text_fit(in, len, maxcols, ascii, out, outsz);
    size_t olen = strnlen(out, outsz);
    FUZZ_ASSERT(olen < outsz, "the output is NUL-terminated inside the buffer");
    FUZZ_ASSERT(cols >= 0, "the width is not negative");
    if (maxcols >= 0)
        FUZZ_ASSERT(cols <= maxcols, "the output fits the column budget");
    if (ascii) {
        for (size_t i = 0; i < olen; i++)
            FUZZ_ASSERT(out[i] >= 0x20 && out[i] < 0x7F, "ASCII mode emits printable ASCII only");
    } else {
        FUZZ_ASSERT(fuzz_text_safe(out, olen, false),
                    "the output is valid UTF-8 without controls, escapes or bidi controls");
    }
    FUZZ_ASSERT(text_width(out, olen, ascii) == cols, "text_width agrees with text_fit");

    /* Sanitised text is a fixed point. */
    char *again = malloc(olen + 1);
    FUZZ_ASSERT(again != NULL, "allocation");
    int cols2 = text_fit(out, olen, -1, ascii, again, olen + 1);
    FUZZ_ASSERT(cols2 == cols && strcmp(again, out) == 0, "sanitising twice changes nothing");
    free(again);

    /* Unlimited width: everything is measured, nothing is cut. A cut made
     * because the buffer is full (not the columns) may end in an ellipsis
     * one column wider than what it replaced. */
    int w = text_width(in, len, ascii);
    const char *ell = ascii ? "~" : "\xE2\x80\xA6";
    bool cut = olen >= strlen(ell) && strcmp(out + olen - strlen(ell), ell) == 0;
    FUZZ_ASSERT(w >= cols || (cut && w + 1 >= cols),
                "the full width is at least the fitted width");
    if (maxcols < 0 && outsz == 65536 && len < 4096)
        FUZZ_ASSERT(w == cols, "with room to spare nothing is cut");
    free(out);
    return 0;
}
