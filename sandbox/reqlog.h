/*
 * reqlog.h - the --log file: one line per request.
 *
 * Line format (space-separated, the path and query sanitised so a line is
 * always one line):
 *   2026-11-25T10:00:00.123Z GET /v2/customers/search?q=asha 200 1234 3.2ms till=demo.agent fault=-
 */
#ifndef MC_SANDBOX_REQLOG_H
#define MC_SANDBOX_REQLOG_H

#include <stddef.h>

#include "sandbox/http.h"

struct reqlog;

/* Opens path for appending. NULL with err on failure. */
struct reqlog *reqlog_open(const char *path, char *err, size_t errlen);
void reqlog_close(struct reqlog **l);
/* Appends one line with a single write(2); any thread. */
void reqlog_write(struct reqlog *l, const char *method, const char *path, const struct sb_kv *args,
                  size_t n_args, int status, size_t bytes, double ms, const char *who,
                  const char *fault);

#endif
