/*
 * demo.h - the demo sandbox child of `membercare --demo`.
 */
#ifndef MC_TUI_DEMO_H
#define MC_TUI_DEMO_H

#include <stddef.h>
#include <sys/types.h>

struct demo {
    pid_t pid;          /* 0 when not running */
    char url[64];       /* http://127.0.0.1:PORT */
    char dir[512];      /* this session's database folder, removed by demo_stop; "" = none */
};

/* Starts `sandbox_path --port 0 --bind 127.0.0.1 [extra args]` with a fresh
 * seeded database, waits for its listening line (at most timeout_ms) and
 * fills d. Seeding takes seconds, so the first start of the day seeds a
 * template in $XDG_CACHE_HOME/membercare and every start copies it into a
 * private folder (extra args that change the seed bypass the template).
 * The child gets SIGTERM when this process dies, however it dies; folders
 * left by a console that was killed are removed by the next start.
 * Returns 0, or -1 with a message in err. */
int demo_start(struct demo *d, const char *sandbox_path, const char *extra_args, int timeout_ms,
               char *err, size_t errsz);
/* Stops the child (SIGTERM, then SIGKILL after 3 s) and reaps it. */
void demo_stop(struct demo *d);
/* The sandbox binary next to our own executable, into buf. */
const char *demo_default_sandbox(char *buf, size_t n);

#endif
