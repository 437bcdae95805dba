/*
 * history.h - the command line's history, kept across runs in
 * $XDG_STATE_HOME/membercare/history (default
 * ~/.local/state/membercare/history): one command per line, the last
 * HISTORY_MAX kept, no line repeated twice in a row. The file is created
 * 0600 in a 0700 directory; it holds only what was typed after `:` (the
 * prompt never takes secrets).
 */
#ifndef MC_TUI_HISTORY_H
#define MC_TUI_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#define HISTORY_MAX 500

struct history {
    char *lines[HISTORY_MAX];   /* owned, oldest first */
    int n;
    char path[1024];            /* "" = kept in memory only */
    int appended;               /* lines appended to the file since it was last compacted */
};

/* The default file: $XDG_STATE_HOME/membercare/history or ~/.local/state/... */
void history_default_path(char *out, size_t n);

/* Loads the last HISTORY_MAX lines of path (a missing file is an empty
 * history). path NULL or "" keeps the history in memory only. */
void history_load(struct history *h, const char *path);

/* Adds line (not blank, not the same as the last one): in memory and
 * appended to the file. Returns false when the file could not be written
 * (the line is still kept for this session). */
bool history_add(struct history *h, const char *line);

void history_free(struct history *h);

#endif
