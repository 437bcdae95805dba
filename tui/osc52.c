/*
 * osc52.c - base64 and the OSC 52 clipboard sequence.
 */
#include "tui/osc52.h"

#include <string.h>

size_t osc52_base64(const unsigned char *in, size_t len, char *out, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t need = (len + 2) / 3 * 4;
    if (need + 1 > n)
        return 0;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)in[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)in[i + 1] << 8;
        if (i + 2 < len)
            v |= in[i + 2];
        out[o++] = tab[(v >> 18) & 63];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < len ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? tab[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

static size_t cut_at_char(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    size_t k = max;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return k;
}

size_t osc52_sequence(const char *text, bool tmux, char *out, size_t n)
{
    /* ESC doubled inside the passthrough: tmux strips one of each pair */
    const char *open = tmux ? "\033Ptmux;\033\033]52;c;" : "\033]52;c;";
    const char *close = tmux ? "\a\033\\" : "\a";
    size_t len = cut_at_char(text, strlen(text), OSC52_MAX_TEXT);
    size_t head = strlen(open), tail = strlen(close);
    if (n < head + tail + 1)
        return 0;
    memcpy(out, open, head);
    size_t b = osc52_base64((const unsigned char *)text, len, out + head, n - head - tail);
    if (b == 0 && len > 0)
        return 0;
    memcpy(out + head + b, close, tail + 1);
    return head + b + tail;
}
