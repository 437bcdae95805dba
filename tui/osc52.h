/*
 * osc52.h - the terminal escape that sets the system clipboard.
 *
 * OSC 52 (ESC ] 52 ; c ; <base64> BEL) is answered by the terminal the
 * user sits at, so it works over SSH. Inside tmux the sequence is wrapped
 * in tmux's passthrough (ESC P tmux; ... ESC \, every ESC inside doubled)
 * so it reaches the outer terminal even where tmux's own set-clipboard is
 * off; with set-clipboard on, tmux also keeps it as a paste buffer.
 * Pure functions, unit-tested.
 */
#ifndef MC_TUI_OSC52_H
#define MC_TUI_OSC52_H

#include <stdbool.h>
#include <stddef.h>

/* Longest text copied: terminals cap OSC 52 payloads (xterm: 100,000 bytes). */
#define OSC52_MAX_TEXT 65536

/* Standard base64 (RFC 4648, with padding) of in[0..len) into out.
 * Returns the length written, or 0 when out is too small. */
size_t osc52_base64(const unsigned char *in, size_t len, char *out, size_t n);

/* The full sequence for text (cut to OSC52_MAX_TEXT bytes at a character
 * boundary), wrapped for tmux when tmux is true. Returns the length, or 0
 * when out is too small. */
size_t osc52_sequence(const char *text, bool tmux, char *out, size_t n);

#endif
