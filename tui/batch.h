/*
 * batch.h - `membercare --batch FILE`: runs console commands without a
 * screen and prints their results (plain text or JSON lines).
 *
 * The composition root (main.c) signs in exactly as for the console and
 * hands over the api and the till's rights; batch mode never starts curses,
 * so it works with standard input and output redirected.
 */
#ifndef MC_TUI_BATCH_H
#define MC_TUI_BATCH_H

#include <stdbool.h>

struct api;

struct batch_config {
    struct api *api;          /* borrowed */
    const char *file;         /* commands: a path, or "-" for standard input */
    const char *till;         /* the signed-in till (audit records, "mine") */
    const char *audit_path;   /* audit log, NULL for the default */
    bool readonly;            /* --readonly or a read-only profile: writes refused */
    bool can_make, can_check; /* the till's rights, as the console has them */
    bool json;                /* --json: one JSON object a line */
    bool dry_run;             /* --dry-run: print writes instead of sending them */
    bool yes;                 /* --yes: writes are confirmed in advance */
    bool stop_on_error;       /* --stop-on-error: stop at the first failed command */
    bool mask;                /* --mask: personal data partly hidden in the output */
};

/* Runs every command of cfg->file. Returns the exit status: 0 when every
 * command succeeded, 1 when one failed, 2 when the file cannot be read. */
int batch_run(const struct batch_config *cfg);

#endif
