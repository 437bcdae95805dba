/*
 * server.h - the HTTP server: libmicrohttpd with an internal thread pool,
 * request bodies bounded, faults applied, one log line per request.
 */
#ifndef MC_SANDBOX_SERVER_H
#define MC_SANDBOX_SERVER_H

#include <stddef.h>

struct sb_env;
struct faults;
struct reqlog;

struct server_cfg {
    const char *bind;  /* IPv4 or IPv6 literal */
    long port;         /* 0 = any free port */
    long threads;      /* worker threads */
    long max_body;     /* bytes; larger bodies get 413 */
};

struct server;

/* Binds, listens and starts serving; env, faults and log (may be NULL)
 * are borrowed and must outlive the server. NULL with err on failure. */
struct server *server_start(const struct sb_env *env, struct faults *faults, struct reqlog *log,
                            const struct server_cfg *cfg, char *err, size_t errlen);
/* "http://127.0.0.1:PORT" (brackets around IPv6). */
const char *server_url(const struct server *s);
/* Stops accepting, releases delayed requests, waits for the workers, frees. */
void server_stop(struct server **s);

#endif
