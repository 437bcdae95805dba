/*
 * keyref.h - the key reference (docs/KEYS.md) printed from the keymap
 * itself: `membercare --print-keys`.
 */
#ifndef MC_TUI_KEYREF_H
#define MC_TUI_KEYREF_H

#include <stdio.h>

struct keymap;

/* Writes the bindings of km as Markdown: one table per context (key,
 * action, what it does, whether it writes), then the actions that have no
 * key and are reached as `:` commands. */
void keyref_print(const struct keymap *km, FILE *f);

#endif
