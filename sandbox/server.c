/*
 * server.c - libmicrohttpd glue: reading a request (body bounded by
 * --max-body), the rate limit and delays before dispatch, injected
 * failures and malformed answers around it, response headers, the log.
 *
 * The daemon runs an internal thread pool with epoll; a delayed request is
 * suspended rather than slept on, so --latency never blocks a worker.
 * Every response carries X-Cap-Requestid (as Capillary's v1.1 does) and
 * Cache-Control: no-store.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/delayq.h"
#include "sandbox/dispatch.h"
#include "sandbox/faults.h"
#include "sandbox/reqlog.h"
#include "sandbox/server.h"

#define MAX_ARGS 64
#define MAX_DISCARD (64L * 1024 * 1024) /* then the connection is dropped */

struct server {
    const struct sb_env *env;  /* borrowed */
    struct faults *faults;     /* borrowed */
    struct reqlog *log;        /* borrowed, may be NULL */
    struct delayq *delays;     /* owned */
    struct MHD_Daemon *mhd;    /* owned */
    size_t max_body;
    char url[96];
    unsigned id_prefix;        /* per process, for request ids */
    atomic_ullong next_id;
};

/* Per-request state, freed when the request completes. */
struct exchange {
    char *body;        /* owned */
    size_t len, cap;
    bool too_large;
    long discarded;
    bool admitted;     /* past the rate limit and the delay */
    double started_ms;
};

struct args {
    struct sb_kv kv[MAX_ARGS];
    size_t n;
    bool overflow;
};

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    (void)kind;
    struct args *a = cls;
    if (a->n == MAX_ARGS) {
        a->overflow = true;
        return MHD_NO;
    }
    a->kv[a->n++] = (struct sb_kv){key, value};
    return MHD_YES;
}

static enum MHD_Result answer(struct server *srv, struct MHD_Connection *conn,
                              struct exchange *ex, const char *method, const char *url,
                              const struct args *args, struct sb_resp *resp, const char *fault)
{
    struct MHD_Response *r;
    size_t len = resp->len;
    if (len == 0) {
        free(resp->body);
        resp->body = NULL;
        r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else {
        r = MHD_create_response_from_buffer(len, resp->body, MHD_RESPMEM_MUST_FREE);
        if (r)
            resp->body = NULL; /* libmicrohttpd frees it now */
    }
    if (!r) {
        sb_resp_clear(resp);
        return MHD_NO;
    }
    char id[48];
    snprintf(id, sizeof id, "%08x-%llu", srv->id_prefix,
             (unsigned long long)atomic_fetch_add(&srv->next_id, 1));
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
                            resp->content_type ? resp->content_type : "application/json");
    MHD_add_response_header(r, "X-Cap-Requestid", id);
    MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    if (resp->retry_after > 0) {
        char secs[16];
        snprintf(secs, sizeof secs, "%d", resp->retry_after);
        MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, secs);
    }
    if (resp->authenticate)
        MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
                                "Basic realm=\"membercare-sandbox\"");
    enum MHD_Result ok = MHD_queue_response(conn, (unsigned)resp->status, r);
    MHD_destroy_response(r);
    reqlog_write(srv->log, method, url, args ? args->kv : NULL, args ? args->n : 0, resp->status,
                 len, mono_ms() - ex->started_ms, resp->who, fault);
    sb_resp_clear(resp);
    return ok;
}

static bool append_body(struct server *srv, struct exchange *ex, const char *data, size_t n)
{
    if (ex->too_large || ex->len + n > srv->max_body) {
        ex->too_large = true;
        free(ex->body);
        ex->body = NULL;
        ex->len = ex->cap = 0;
        ex->discarded += (long)n;
        return ex->discarded <= MAX_DISCARD;
    }
    if (ex->len + n > ex->cap) {
        size_t cap = ex->cap ? ex->cap : 4096;
        while (cap < ex->len + n)
            cap *= 2;
        char *p = realloc(ex->body, cap);
        if (!p)
            return false;
        ex->body = p;
        ex->cap = cap;
    }
    memcpy(ex->body + ex->len, data, n);
    ex->len += n;
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    (void)version;
    struct server *srv = cls;
    struct exchange *ex = *con_cls;
    struct sb_resp resp = {0};
    if (!ex) {
        ex = calloc(1, sizeof *ex);
        if (!ex)
            return MHD_NO;
        ex->started_ms = mono_ms();
        *con_cls = ex;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        int64_t declared;
        if (cl && sb_parse_i64(cl, 0, INT64_MAX, &declared) == 0 &&
            declared > (int64_t)srv->max_body) {
            /* Refuse before reading a byte of it. */
            ex->too_large = true;
            sb_reply_v2_error(&resp, 413, 413, "Request body too large");
            return answer(srv, conn, ex, method, url, NULL, &resp, NULL);
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        return append_body(srv, ex, upload_data, n) ? MHD_YES : MHD_NO;
    }

    if (!ex->admitted) {
        ex->admitted = true;
        int retry = 1;
        if (!faults_admit(srv->faults, &retry)) {
            sb_reply_v2_error(&resp, 429, 429, "Rate limit exceeded");
            resp.retry_after = retry;
            return answer(srv, conn, ex, method, url, NULL, &resp, "rate-limit");
        }
        long delay = faults_delay_ms(srv->faults);
        if (delay > 0 && delayq_suspend(srv->delays, conn, delay))
            return MHD_YES; /* called again once resumed */
    }

    struct args args = {.n = 0};
    MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, &args);
    const char *fault = NULL;
    if (ex->too_large) {
        sb_reply_v2_error(&resp, 413, 413, "Request body too large");
    } else if (args.overflow) {
        sb_reply_v2_error(&resp, 400, 400, "Too many query parameters");
    } else if (faults_fail(srv->faults) || faults_fail_write(srv->faults, method)) {
        sb_reply_v2_error(&resp, 500, 500, "Request failed (injected fault)");
        fault = "fail";
    } else {
        const char *token = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                        "X-CAP-API-OAUTH-TOKEN");
        if (!token)
            token = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "CAP-API-ACCESS-TOKEN");
        struct sb_http_in in = {
            .method = method,
            .path = url,
            .args = args.kv,
            .n_args = args.n,
            .authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                         MHD_HTTP_HEADER_AUTHORIZATION),
            .oauth_token = token,
            .body = ex->body,
            .body_len = ex->len,
        };
        dispatch(srv->env, &in, &resp);
        fault = faults_malform(srv->faults, &resp);
    }
    return answer(srv, conn, ex, method, url, &args, &resp, fault);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct exchange *ex = *con_cls;
    if (ex) {
        free(ex->body);
        free(ex);
        *con_cls = NULL;
    }
}

static int listen_on(const char *bind_addr, long port, char *url, size_t url_len, char *err,
                     size_t errlen)
{
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t sl;
    bool v6 = false;
    struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
    if (inet_pton(AF_INET, bind_addr, &in4->sin_addr) == 1) {
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)port);
        sl = sizeof *in4;
    } else if (inet_pton(AF_INET6, bind_addr, &in6->sin6_addr) == 1) {
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)port);
        sl = sizeof *in6;
        v6 = true;
    } else {
        snprintf(err, errlen, "--bind: '%.60s' is not an IPv4 or IPv6 address", bind_addr);
        return -1;
    }
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        snprintf(err, errlen, "socket: %s", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (v6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 256) != 0) {
        snprintf(err, errlen, "cannot listen on %s port %ld: %s", bind_addr, port,
                 strerror(errno));
        close(fd);
        return -1;
    }
    sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    unsigned actual = ntohs(v6 ? in6->sin6_port : in4->sin_port);
    snprintf(url, url_len, v6 ? "http://[%s]:%u" : "http://%s:%u", bind_addr, actual);
    return fd;
}

struct server *server_start(const struct sb_env *env, struct faults *faults, struct reqlog *log,
                            const struct server_cfg *cfg, char *err, size_t errlen)
{
    struct server *srv = calloc(1, sizeof *srv);
    if (!srv) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    srv->env = env;
    srv->faults = faults;
    srv->log = log;
    srv->max_body = (size_t)cfg->max_body;
    srv->id_prefix = (unsigned)(time(NULL) ^ (getpid() << 16));
    atomic_init(&srv->next_id, 1);
    int fd = listen_on(cfg->bind, cfg->port, srv->url, sizeof srv->url, err, errlen);
    if (fd < 0) {
        free(srv);
        return NULL;
    }
    srv->delays = delayq_start();
    if (!srv->delays) {
        snprintf(err, errlen, "cannot start the delay thread");
        close(fd);
        free(srv);
        return NULL;
    }
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME;
    srv->mhd = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)1000, MHD_OPTION_END);
    if (!srv->mhd) {
        snprintf(err, errlen, "cannot start the HTTP server on %s", srv->url);
        delayq_stop(&srv->delays);
        close(fd);
        free(srv);
        return NULL;
    }
    return srv;
}

const char *server_url(const struct server *s)
{
    return s->url;
}

void server_stop(struct server **sp)
{
    struct server *s = *sp;
    if (!s)
        return;
    /* Suspended connections must be resumed before the daemon stops. */
    delayq_stop(&s->delays);
    MHD_stop_daemon(s->mhd);
    free(s);
    *sp = NULL;
}
