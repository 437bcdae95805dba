/*
 * api_edge_test.c - the worker against a scripted HTTP server in this
 * process, for the wire situations the sandbox does not produce on demand:
 * Retry-After, a dropped connection, oversize bodies (with and without
 * Content-Length), broken gzip, a redirect, a revoked OAuth token, a
 * request that never gets an answer (timeout and cancellation), and the
 * exact headers the client sends. The server answers one connection at a
 * time with "Connection: close"; each route counts its hits so retries can
 * be counted from the server's side.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/integration/api_itest.h"

#define MAX_HELD 16

struct srv {
    int lfd;
    int port;
    int stop[2];
    pthread_t thread;
    pthread_mutex_t lock;
    /* Guarded by lock. */
    int hits[32];
    int token_calls;
    char last_headers[4096];   /* request head of the last /echo call */
    char last_token_body[256]; /* body of the last token call */
    int held[MAX_HELD];        /* connections never answered */
    int n_held;
};

enum route {
    R_RETRY_AFTER, R_429, R_ALWAYS_500, R_POST_500, R_BIG_CL, R_BIG_CHUNKED, R_BAD_GZIP,
    R_REDIRECT, R_DROP, R_HTML, R_ECHO, R_OAUTH_CHECK, R_OAUTH_POST_401, R_HOLD,
    R_FAR_RETRY, R_UNKNOWN,
};

static const char *const route_paths[] = {
    [R_RETRY_AFTER] = "/v2/retry-after",
    [R_429] = "/v2/rate-limited",
    [R_ALWAYS_500] = "/v2/always-500",
    [R_POST_500] = "/v2/post-500",
    [R_BIG_CL] = "/v2/big-length",
    [R_BIG_CHUNKED] = "/v2/big-chunked",
    [R_BAD_GZIP] = "/v2/bad-gzip",
    [R_REDIRECT] = "/v2/redirect",
    [R_DROP] = "/v2/drop-once",
    [R_HTML] = "/v2/html",
    [R_ECHO] = "/v2/echo",
    [R_OAUTH_CHECK] = "/v2/oauth-check",
    [R_OAUTH_POST_401] = "/v2/oauth-post-401",
    [R_HOLD] = "/v2/hold",
    [R_FAR_RETRY] = "/v2/far-retry",
};

static const char balance_body[] = "{\"entityId\":1,\"totalPoints\":5,\"mainPoints\":5}";

static void send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return; /* the client gave up (oversize): fine */
        p += w;
        n -= (size_t)w;
    }
}

static void reply(int fd, int status, const char *extra, const char *body, size_t len)
{
    char head[512];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n%s\r\n",
                     status, len, extra ? extra : "");
    send_all(fd, head, (size_t)n);
    send_all(fd, body, len);
}

static void reply_str(int fd, int status, const char *extra, const char *body)
{
    reply(fd, status, extra, body, strlen(body));
}

static void big(int fd, bool chunked)
{
    size_t total = 2u << 20;
    char *body = malloc(total);
    memset(body, ' ', total);
    body[0] = '{';
    body[total - 1] = '}';
    if (!chunked) {
        reply(fd, 200, NULL, body, total);
    } else {
        const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
        send_all(fd, head, strlen(head));
        for (size_t off = 0; off < total; off += 65536) {
            char sz[32];
            int n = snprintf(sz, sizeof sz, "%x\r\n", 65536);
            send_all(fd, sz, (size_t)n);
            send_all(fd, body + off, 65536);
            send_all(fd, "\r\n", 2);
        }
        send_all(fd, "0\r\n\r\n", 5);
    }
    free(body);
}

/* The value of header name in a request head, copied into out. */
static bool header(const char *head, const char *name, char *out, size_t n)
{
    size_t nl = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, nl) == 0 && p[2 + nl] == ':') {
            const char *v = p + 3 + nl;
            while (*v == ' ')
                v++;
            size_t len = strcspn(v, "\r\n");
            if (len >= n)
                len = n - 1;
            memcpy(out, v, len);
            out[len] = '\0';
            return true;
        }
    }
    return false;
}

static void serve(struct srv *s, int fd)
{
    char req[16384];
    size_t len = 0;
    char *end = NULL;
    while (!end && len < sizeof req - 1) {
        struct pollfd p = { .fd = fd, .events = POLLIN };
        if (poll(&p, 1, 3000) <= 0)
            break;
        ssize_t r = recv(fd, req + len, sizeof req - 1 - len, 0);
        if (r <= 0)
            break;
        len += (size_t)r;
        req[len] = '\0';
        end = strstr(req, "\r\n\r\n");
    }
    if (!end) {
        close(fd);
        return;
    }
    char clen[32] = "0";
    header(req, "Content-Length", clen, sizeof clen);
    size_t want = (size_t)(end + 4 - req) + (size_t)atol(clen);
    while (len < want && len < sizeof req - 1) {
        ssize_t r = recv(fd, req + len, sizeof req - 1 - len, 0);
        if (r <= 0)
            break;
        len += (size_t)r;
        req[len] = '\0';
    }
    const char *body = end + 4;
    char method[8] = "", path[512] = "";
    sscanf(req, "%7s %511s", method, path);
    char *q = strchr(path, '?');
    if (q)
        *q = '\0';
    bool post = strcmp(method, "POST") == 0;

    if (strcmp(path, "/v3/oauth/token/generate") == 0) {
        pthread_mutex_lock(&s->lock);
        int n = ++s->token_calls;
        snprintf(s->last_token_body, sizeof s->last_token_body, "%s", body);
        pthread_mutex_unlock(&s->lock);
        char out[128];
        snprintf(out, sizeof out, "{\"data\":{\"accessToken\":\"tok-%d\",\"ttlSeconds\":3600},"
                                  "\"errors\":null}", n);
        reply_str(fd, 200, NULL, out);
        close(fd);
        return;
    }
    enum route r = R_UNKNOWN;
    for (int i = 0; i < R_UNKNOWN; i++)
        if (strcmp(path, route_paths[i]) == 0)
            r = (enum route)i;
    pthread_mutex_lock(&s->lock);
    int hit = ++s->hits[r];
    if (r == R_ECHO)
        snprintf(s->last_headers, sizeof s->last_headers, "%.*s", (int)(end - req), req);
    pthread_mutex_unlock(&s->lock);

    char tok[128] = "";
    header(req, "X-CAP-API-OAUTH-TOKEN", tok, sizeof tok);
    switch (r) {
    case R_RETRY_AFTER:
        if (hit == 1)
            reply_str(fd, 503, "Retry-After: 1\r\n", "{}");
        else
            reply_str(fd, 200, NULL, balance_body);
        break;
    case R_429:
        if (hit == 1)
            reply_str(fd, 429, NULL,
                      "{\"errors\":[{\"status\":false,\"code\":429,\"message\":\"Rate limit exceeded\"}]}");
        else
            reply_str(fd, 200, NULL, balance_body);
        break;
    case R_ALWAYS_500:
    case R_POST_500:
        reply_str(fd, 500, NULL, "{\"errors\":[{\"code\":500,\"message\":\"injected\"}]}");
        break;
    case R_FAR_RETRY:
        reply_str(fd, 503, "Retry-After: 30\r\n", "");
        break;
    case R_BIG_CL:
        big(fd, false);
        break;
    case R_BIG_CHUNKED:
        big(fd, true);
        break;
    case R_BAD_GZIP:
        reply_str(fd, 200, "Content-Encoding: gzip\r\n", "this is not gzip at all");
        break;
    case R_REDIRECT:
        reply_str(fd, 302, "Location: http://127.0.0.1:1/elsewhere\r\n", "");
        break;
    case R_DROP:
        if (hit == 1)
            break; /* close without a word */
        reply_str(fd, 200, NULL, balance_body);
        break;
    case R_HTML:
        reply_str(fd, 200, NULL, "<html><body>Maintenance</body></html>");
        break;
    case R_ECHO:
        reply_str(fd, 200, NULL, balance_body);
        break;
    case R_OAUTH_CHECK:
        /* The first token is "revoked": the client must fetch another. */
        if (strcmp(tok, "tok-1") == 0)
            reply_str(fd, 401, NULL, "<response><code>401</code></response>");
        else if (tok[0])
            reply_str(fd, 200, NULL, balance_body);
        else
            reply_str(fd, 400, NULL, "{}");
        break;
    case R_OAUTH_POST_401:
        reply_str(fd, 401, NULL, "");
        break;
    case R_HOLD:
        pthread_mutex_lock(&s->lock);
        if (s->n_held < MAX_HELD) {
            s->held[s->n_held++] = fd;
            fd = -1;
        }
        pthread_mutex_unlock(&s->lock);
        break;
    case R_UNKNOWN:
        reply_str(fd, 404, NULL, post ? "{\"errors\":[{\"code\":404,\"message\":\"no route\"}]}"
                                      : "{}");
        break;
    }
    if (fd >= 0)
        close(fd);
}

static void *srv_main(void *arg)
{
    struct srv *s = arg;
    for (;;) {
        struct pollfd p[2] = { { .fd = s->lfd, .events = POLLIN },
                               { .fd = s->stop[0], .events = POLLIN } };
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            break;
        if (p[1].revents)
            break;
        if (p[0].revents & POLLIN) {
            int fd = accept(s->lfd, NULL, NULL);
            if (fd >= 0)
                serve(s, fd);
        }
    }
    return NULL;
}

static bool srv_start(struct srv *s)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t al = sizeof a;
    if (s->lfd < 0 || bind(s->lfd, (struct sockaddr *)&a, sizeof a) != 0 ||
        listen(s->lfd, 64) != 0 || getsockname(s->lfd, (struct sockaddr *)&a, &al) != 0 ||
        pipe(s->stop) != 0)
        return false;
    s->port = ntohs(a.sin_port);
    return pthread_create(&s->thread, NULL, srv_main, s) == 0;
}

static void srv_stop(struct srv *s)
{
    if (write(s->stop[1], "x", 1) != 1)
        perror("srv_stop");
    pthread_join(s->thread, NULL);
    for (int i = 0; i < s->n_held; i++)
        close(s->held[i]);
    close(s->lfd);
    close(s->stop[0]);
    close(s->stop[1]);
    pthread_mutex_destroy(&s->lock);
}

static int hits(struct srv *s, enum route r)
{
    pthread_mutex_lock(&s->lock);
    int n = s->hits[r];
    pthread_mutex_unlock(&s->lock);
    return n;
}

/* A GET (or POST) of kind BALANCE to one of the scripted paths. */
static struct api_request *req_for(enum route r, enum api_method m)
{
    struct api_request *req = api_points_balance(1);
    free(req->path);
    req->path = strdup(route_paths[r]);
    req->method = m;
    if (m != API_GET)
        req->body = strdup("{\"a\":1}");
    return req;
}

/* Submits one request and waits for its single result. */
static struct api_result *one(struct api *api, struct api_request *req, long wait_ms)
{
    uint64_t id = itest_submit(api, req, 1, 1, 0);
    struct api_result *res = NULL;
    if (itest_collect(api, &res, 1, wait_ms) != 1) {
        CHECK(false, "no result within %ld ms", wait_ms);
        return NULL;
    }
    CHECK(res->id == id, "result id %llu, want %llu", (unsigned long long)res->id,
          (unsigned long long)id);
    return res;
}

static void expect_err(struct api_result *res, enum api_err kind, long status, const char *needle)
{
    if (!res)
        return;
    char line[300];
    api_error_format(&res->err, line, sizeof line);
    CHECK(res->err.kind == kind, "got \"%s\" (%s), want %s", line, api_err_name(res->err.kind),
          api_err_name(kind));
    CHECK(res->err.http_status == status, "status %ld, want %ld", res->err.http_status, status);
    if (needle)
        CHECK(strstr(res->err.message, needle) != NULL, "message \"%s\" lacks \"%s\"",
              res->err.message, needle);
    if (kind != API_OK)
        CHECK(res->data == NULL, "an error result carries data");
}

static void retries(struct srv *s, const char *url)
{
    struct api *api = itest_client(url, "demo.agent", "demo", 4, 5000);
    REQUIRE(api, "client");
    struct api_result *res;

    res = one(api, req_for(R_RETRY_AFTER, API_GET), 10000);
    expect_err(res, API_OK, 200, NULL);
    if (res) {
        CHECK(res->attempts == 2, "attempts %d", res->attempts);
        CHECK(res->elapsed_ms >= 950, "Retry-After: 1 honoured, elapsed %.0f ms", res->elapsed_ms);
        struct mc_balance *b = API_DATA(res, BALANCE, struct mc_balance);
        CHECK(b && b->total == 5, "decoded after the retry");
    }
    api_result_free(&res);

    res = one(api, req_for(R_429, API_GET), 10000);
    expect_err(res, API_OK, 200, NULL);
    CHECK(res && res->attempts == 2, "429 retried once");
    api_result_free(&res);

    res = one(api, req_for(R_DROP, API_GET), 10000);
    expect_err(res, API_OK, 200, NULL);
    CHECK(res && res->attempts == 2, "a dropped connection is retried");
    api_result_free(&res);

    /* Writes are never retried, whatever the failure. */
    res = one(api, req_for(R_POST_500, API_POST), 10000);
    expect_err(res, API_REMOTE, 500, "injected");
    CHECK(res && res->attempts == 1, "POST attempts %d", res ? res->attempts : -1);
    CHECK(hits(s, R_POST_500) == 1, "POST reached the server %d times", hits(s, R_POST_500));
    api_result_free(&res);
    api_free(&api);

    /* max_retries bounds the attempts: 1 + 2. */
    api = itest_client(url, "demo.agent", "demo", 2, 5000);
    REQUIRE(api, "client");
    res = one(api, req_for(R_ALWAYS_500, API_GET), 20000);
    expect_err(res, API_REMOTE, 500, "injected");
    CHECK(res && res->attempts == 3, "attempts %d, want 3", res ? res->attempts : -1);
    CHECK(hits(s, R_ALWAYS_500) == 3, "server saw %d", hits(s, R_ALWAYS_500));
    api_result_free(&res);

    /* A Retry-After beyond the deadline ends the retries at once. */
    res = one(api, req_for(R_FAR_RETRY, API_GET), 10000);
    expect_err(res, API_HTTP, 503, "HTTP 503");
    CHECK(res && res->attempts == 1 && res->elapsed_ms < 5000, "no 30 s wait (attempts %d)",
          res ? res->attempts : -1);
    api_result_free(&res);
    api_free(&api);
}

static void bodies(struct srv *s, const char *url)
{
    (void)s;
    struct api_config cfg = { .base_url = url, .user = "demo.agent", .password = "demo",
                              .max_body = 1u << 20, .timeout_ms = 5000 };
    struct api_error err;
    struct api *api = api_new(&cfg, &err);
    REQUIRE(api, "client");
    struct api_result *res;

    res = one(api, req_for(R_BIG_CL, API_GET), 10000);
    expect_err(res, API_DECODE, 200, "response larger than 1048576 bytes refused");
    CHECK(res && res->attempts == 1, "oversize is not retried");
    api_result_free(&res);

    res = one(api, req_for(R_BIG_CHUNKED, API_GET), 10000);
    expect_err(res, API_DECODE, 200, "response larger than 1048576 bytes refused");
    api_result_free(&res);

    res = one(api, req_for(R_BAD_GZIP, API_GET), 10000);
    expect_err(res, API_DECODE, 200, "decompressed");
    api_result_free(&res);

    res = one(api, req_for(R_HTML, API_GET), 10000);
    expect_err(res, API_DECODE, 200, "not JSON");
    api_result_free(&res);

    res = one(api, req_for(R_REDIRECT, API_GET), 10000);
    expect_err(res, API_HTTP, 302, "HTTP 302");
    api_result_free(&res);
    api_free(&api);
}

static void headers_sent(struct srv *s, const char *url)
{
    struct api *api = itest_client(url, "demo.till", "secret", 0, 5000);
    REQUIRE(api, "client");
    struct api_result *res = one(api, req_for(R_ECHO, API_POST), 10000);
    expect_err(res, API_OK, 200, NULL);
    api_result_free(&res);
    pthread_mutex_lock(&s->lock);
    char head[4096];
    memcpy(head, s->last_headers, sizeof head);
    pthread_mutex_unlock(&s->lock);
    char v[256];
    CHECK(header(head, "Authorization", v, sizeof v) &&
              strcmp(v, "Basic ZGVtby50aWxsOjVlYmUyMjk0ZWNkMGUwZjA4ZWFiNzY5MGQyYTZlZTY5") == 0,
          "Authorization: %s", v);
    CHECK(header(head, "Accept", v, sizeof v) && strcmp(v, "application/json") == 0, "Accept");
    CHECK(header(head, "Content-Type", v, sizeof v) && strcmp(v, "application/json") == 0,
          "Content-Type on a body");
    CHECK(header(head, "Accept-Encoding", v, sizeof v) && strstr(v, "gzip"), "gzip accepted");
    CHECK(!header(head, "Expect", v, sizeof v), "no Expect: 100-continue");
    CHECK(strncmp(head, "POST /v2/echo HTTP/1.1", 22) == 0, "request line: %.40s", head);
    api_free(&api);
}

static void oauth(struct srv *s, const char *url)
{
    struct api_config cfg = { .base_url = url, .auth = API_AUTH_OAUTH,
                              .client_key = "demo-key", .client_secret = "demo-secret",
                              .timeout_ms = 5000 };
    struct api_error err;
    struct api *api = api_new(&cfg, &err);
    REQUIRE(api, "oauth client");

    /* tok-1 is refused: one new token, one re-send, success. */
    struct api_result *res = one(api, req_for(R_OAUTH_CHECK, API_GET), 10000);
    expect_err(res, API_OK, 200, NULL);
    CHECK(res && res->attempts == 2, "attempts %d", res ? res->attempts : -1);
    api_result_free(&res);
    pthread_mutex_lock(&s->lock);
    int calls = s->token_calls;
    char body[256];
    memcpy(body, s->last_token_body, sizeof body);
    pthread_mutex_unlock(&s->lock);
    CHECK(calls == 2, "token calls %d, want 2", calls);
    CHECK(strcmp(body, "{\"key\":\"demo-key\",\"secret\":\"demo-secret\"}") == 0, "token body %s",
          body);

    /* The new token is reused: more requests, no new token call. */
    for (int i = 0; i < 3; i++)
        itest_submit(api, req_for(R_OAUTH_CHECK, API_GET), 1, 1, i);
    struct api_result *many[3];
    size_t n = itest_collect(api, many, 3, 10000);
    CHECK(n == 3, "results %zu", n);
    for (size_t i = 0; i < n; i++)
        expect_err(many[i], API_OK, 200, NULL);
    itest_free_results(many, n);
    pthread_mutex_lock(&s->lock);
    calls = s->token_calls;
    pthread_mutex_unlock(&s->lock);
    CHECK(calls == 2, "token calls %d after reuse, want 2", calls);

    /* A write refused twice: one re-authentication, then the error. */
    res = one(api, req_for(R_OAUTH_POST_401, API_POST), 10000);
    expect_err(res, API_HTTP, 401, "OAuth token was refused");
    CHECK(hits(s, R_OAUTH_POST_401) == 2, "server saw %d", hits(s, R_OAUTH_POST_401));
    api_result_free(&res);
    api_free(&api);
}

static void timeout_and_cancel(struct srv *s, const char *url)
{
    struct api *api = itest_client(url, "demo.agent", "demo", -1, 5000);
    REQUIRE(api, "client");

    struct api_request *req = req_for(R_HOLD, API_GET);
    req->timeout_ms = 400;
    struct api_result *res = one(api, req, 5000);
    expect_err(res, API_TIMEOUT, 0, NULL);
    CHECK(res && res->elapsed_ms >= 350 && res->elapsed_ms < 3000, "elapsed %.0f",
          res ? res->elapsed_ms : -1.0);
    api_result_free(&res);

    /* A running transfer is aborted; its owner hears nothing, others do. */
    itest_submit(api, req_for(R_HOLD, API_GET), 9, 1, 0);
    itest_submit(api, req_for(R_HOLD, API_GET), 9, 1, 1);
    double t0 = itest_now_ms();
    while (hits(s, R_HOLD) < 3 && itest_now_ms() - t0 < 3000)
        usleep(10000);
    CHECK(hits(s, R_HOLD) == 3, "held requests reached the server (%d)", hits(s, R_HOLD));
    api_cancel_owner(api, 9);
    uint64_t other = itest_submit(api, req_for(R_ECHO, API_GET), 10, 1, 0);
    struct api_result *got[4];
    size_t n = itest_collect(api, got, 4, 1500);
    CHECK(n == 1 && got[0]->id == other, "only the other owner's result (%zu results)", n);
    itest_free_results(got, n);
    CHECK(api_in_flight(api) == 0, "in flight %zu", api_in_flight(api));
    api_free(&api);
}

static void refused(void)
{
    struct api *api = itest_client("http://127.0.0.1:1", "demo.agent", "demo", 2, 2000);
    REQUIRE(api, "client");
    struct api_result *res = one(api, api_points_balance(1), 20000);
    expect_err(res, API_NETWORK, 0, NULL);
    CHECK(res && res->attempts == 3, "attempts %d, want 3", res ? res->attempts : -1);
    if (res) {
        char line[300];
        api_error_format(&res->err, line, sizeof line);
        CHECK(strncmp(line, "network: ", 9) == 0, "formatted: %s", line);
    }
    api_result_free(&res);
    api_free(&api);
}

int main(void)
{
    struct srv s;
    if (!srv_start(&s)) {
        perror("api_edge_test: cannot start the scripted server");
        return 1;
    }
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", s.port);

    retries(&s, url);
    bodies(&s, url);
    headers_sent(&s, url);
    oauth(&s, url);
    timeout_and_cancel(&s, url);
    refused();

    srv_stop(&s);
    if (itest_failures) {
        fprintf(stderr, "api_edge_test: %d check(s) failed\n", itest_failures);
        return 1;
    }
    printf("api_edge_test: all checks passed\n");
    return 0;
}
