/*
 * secret.h - getting a secret without ever taking it from argv.
 */
#ifndef MC_TUI_SECRET_H
#define MC_TUI_SECRET_H

#include <stddef.h>

/* Fills buf with the secret from, in order: the environment variable
 * env_name (which is then removed, so no child inherits it), the output of
 * command (first line, run with /bin/sh -c; NULL = none), or a prompt on
 * /dev/tty with echo off. Returns 0, or -1 with a message in err. */
int secret_get(const char *env_name, const char *command, const char *prompt, char *buf,
               size_t n, char *err, size_t errsz);
/* Overwrites n bytes in a way the compiler may not drop. */
void secret_wipe(void *p, size_t n);
/* No core dumps and no ptrace by others while secrets are in memory. */
void secret_protect_process(void);

#endif
