/*
 * netfault_test.c - the real api layer against a hostile server.
 *
 * Usage: netfault_test PYTHON HOSTILE_SERVER_PY
 *
 * tests/integration/lib/hostile_server.py runs as a child process with a
 * main host on 127.0.0.1, "another host" on 127.0.0.2 and a TLS listener
 * whose certificate names other.example; it records every request it gets
 * (listener, path, whether credentials came along) in a file read here.
 *
 * For each fault the request must end in a clear error value (kind and
 * words), within the worker's timeouts (elapsed time checked), in bounded
 * memory (the process's peak RSS checked against max_body), and without
 * following a redirect to another host with the credentials.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/integration/api_itest.h"

#define MAX_BODY ((size_t)1 << 20)
/* Peak RSS may grow by the body limit and the libraries' own buffers, never
 * by the hundreds of megabytes a 2 GB length, an endless stream or a gzip
 * bomb would take if they were read. Generous enough for valgrind. */
#define RSS_GROWTH_MAX_KB (48L * 1024)

struct hostile {
    pid_t pid;
    char dir[128];
    char record[256];
    char url[128];   /* main host */
    char other[128]; /* the redirect target */
    char tls[128];
};

static struct hostile H;

static bool slurp(const char *path, char *buf, size_t n)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    size_t len = 0;
    ssize_t r;
    while (len + 1 < n && (r = read(fd, buf + len, n - 1 - len)) > 0)
        len += (size_t)r;
    close(fd);
    buf[len] = '\0';
    return len > 0;
}

static bool line_value(const char *text, const char *prefix, char *out, size_t n)
{
    const char *p = strstr(text, prefix);
    if (!p)
        return false;
    p += strlen(prefix);
    size_t len = strcspn(p, "\r\n");
    if (!p[len] || len >= n)
        return false; /* not a whole line yet */
    memcpy(out, p, len);
    out[len] = '\0';
    return true;
}

static bool hostile_start(const char *python, const char *script)
{
    memset(&H, 0, sizeof H);
    snprintf(H.dir, sizeof H.dir, "/tmp/mc-netfault-XXXXXX");
    if (!mkdtemp(H.dir))
        return false;
    snprintf(H.record, sizeof H.record, "%s/record.jsonl", H.dir);
    char out[256];
    snprintf(out, sizeof out, "%s/server.out", H.dir);
    H.pid = fork();
    if (H.pid < 0)
        return false;
    if (H.pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM); /* a killed test leaves no server */
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
            _exit(126);
        execl(python, python, script, "--tls", "--record", H.record, "--stall-limit", "60",
              (char *)NULL);
        _exit(127);
    }
    double end = itest_now_ms() + 30000;
    while (itest_now_ms() < end) {
        char buf[1024];
        if (slurp(out, buf, sizeof buf) && line_value(buf, "listening on ", H.url, sizeof H.url) &&
            line_value(buf, "other on ", H.other, sizeof H.other) &&
            line_value(buf, "tls on ", H.tls, sizeof H.tls))
            return true;
        int st;
        if (waitpid(H.pid, &st, WNOHANG) == H.pid) {
            fprintf(stderr, "hostile server exited before listening (status %d)\n", st);
            H.pid = 0;
            return false;
        }
        usleep(20000);
    }
    fprintf(stderr, "hostile server did not print its addresses in time\n");
    return false;
}

static void hostile_stop(void)
{
    if (H.pid > 0) {
        kill(H.pid, SIGTERM);
        double end = itest_now_ms() + 10000;
        while (waitpid(H.pid, NULL, WNOHANG) == 0) {
            if (itest_now_ms() > end) {
                kill(H.pid, SIGKILL);
                waitpid(H.pid, NULL, 0);
                break;
            }
            usleep(10000);
        }
        H.pid = 0;
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", H.dir);
    if (H.dir[0] && system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", H.dir);
}

/* How many recorded requests hold every one of the needles (NULL-ended). */
static int recorded(const char *first, ...)
{
    static char buf[1 << 20];
    if (!slurp(H.record, buf, sizeof buf))
        return 0;
    int n = 0;
    for (char *line = buf; *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        bool all = true;
        va_list ap;
        va_start(ap, first);
        for (const char *needle = first; needle; needle = va_arg(ap, const char *))
            if (!strstr(line, needle))
                all = false;
        va_end(ap);
        n += all;
        if (!nl)
            break;
        line = nl + 1;
    }
    return n;
}

static long peak_rss_kb(void)
{
    char buf[4096];
    if (!slurp("/proc/self/status", buf, sizeof buf))
        return -1;
    const char *p = strstr(buf, "VmHWM:");
    return p ? strtol(p + 6, NULL, 10) : -1;
}

static struct api *client(const char *base, enum api_auth auth, int retries, long timeout_ms,
                          long deadline_ms)
{
    struct api_config cfg = {
        .base_url = base,
        .auth = auth,
        .user = "demo.agent",
        .password = "demo",
        .client_key = "demo-key",
        .client_secret = "demo-secret",
        .connect_timeout_ms = 2000,
        .timeout_ms = timeout_ms,
        .retry_deadline_ms = deadline_ms,
        .max_retries = retries,
        .max_body = MAX_BODY,
    };
    struct api_error err;
    struct api *api = api_new(&cfg, &err);
    CHECK(api != NULL, "api_new(%s): %s", base, err.message);
    return api;
}

/* One request of kind BALANCE to path; its single result, and the wall time. */
static struct api_result *one(struct api *api, const char *path, enum api_method m,
                              double *wall_ms)
{
    struct api_request *req = api_points_balance(1);
    free(req->path);
    req->path = strdup(path);
    req->method = m;
    if (m != API_GET)
        req->body = strdup("{\"points\":1}");
    double t0 = itest_now_ms();
    uint64_t id = itest_submit(api, req, 1, 1, 0);
    struct api_result *res = NULL;
    size_t got = itest_collect(api, &res, 1, 60000);
    *wall_ms = itest_now_ms() - t0;
    if (got != 1) {
        CHECK(false, "%s: no result within 60 s", path);
        return NULL;
    }
    CHECK(res->id == id, "%s: result for another request", path);
    return res;
}

/* Checks kind, status and words of a failed result; false when res is NULL. */
static bool expect(const char *what, struct api_result *res, enum api_err kind, long status,
                   const char *needle)
{
    if (!res)
        return false;
    char line[320];
    api_error_format(&res->err, line, sizeof line);
    CHECK(res->err.kind == kind, "%s: got %s \"%s\", want %s", what, api_err_name(res->err.kind),
          line, api_err_name(kind));
    CHECK(res->err.http_status == status, "%s: status %ld, want %ld", what, res->err.http_status,
          status);
    if (needle)
        CHECK(strstr(line, needle) != NULL, "%s: message \"%s\" lacks \"%s\"", what, line, needle);
    if (kind != API_OK)
        CHECK(res->data == NULL, "%s: an error result carries data", what);
    printf("  %-28s %-8s %6.0f ms  attempts %d  \"%s\"\n", what, api_err_name(res->err.kind),
           res->elapsed_ms, res->attempts, line);
    return true;
}

static void control(void)
{
    struct api *api = client(H.url, API_AUTH_BASIC, -1, 5000, 10000);
    REQUIRE(api, "client");
    double wall;
    struct api_result *res = one(api, "/fault/ok", API_GET, &wall);
    if (expect("control: ok", res, API_OK, 200, NULL))
        CHECK(API_DATA(res, BALANCE, struct mc_balance) != NULL, "the balance decodes");
    api_result_free(&res);
    api_free(&api);
    /* The recorder sees credentials when they are sent, so "none arrived"
     * below means something. */
    CHECK(recorded("\"main\"", "/fault/ok", "\"authorization\": true", NULL) == 1,
          "the main host saw the Authorization header");
}

static void close_mid_body(void)
{
    struct api *api = client(H.url, API_AUTH_BASIC, 2, 5000, 10000);
    REQUIRE(api, "client");
    double wall;
    struct api_result *res = one(api, "/fault/close-mid-body", API_GET, &wall);
    if (expect("close mid-body", res, API_NETWORK, 200, "network: ")) {
        CHECK(strstr(res->err.message, "closed") || strstr(res->err.message, "Partial") ||
                  strstr(res->err.message, "bytes remaining"),
              "the message says the transfer was cut: \"%s\"", res->err.message);
        CHECK(res->attempts == 3, "a GET is retried up to max_retries (attempts %d)", res->attempts);
        CHECK(wall < 10000, "bounded by the retry deadline: %.0f ms", wall);
    }
    api_result_free(&res);

    /* A write is never resent after a cut connection. */
    int before = recorded("/fault/close-mid-body", "\"POST\"", NULL);
    res = one(api, "/fault/close-mid-body", API_POST, &wall);
    if (expect("close mid-body (POST)", res, API_NETWORK, 200, NULL))
        CHECK(res->attempts == 1, "a POST is not retried (attempts %d)", res->attempts);
    CHECK(recorded("/fault/close-mid-body", "\"POST\"", NULL) == before + 1,
          "the server saw the POST once");
    api_result_free(&res);
    api_free(&api);
}

static void stall(void)
{
    /* One attempt: the total timeout ends it. */
    struct api *api = client(H.url, API_AUTH_BASIC, -1, 1500, 10000);
    REQUIRE(api, "client");
    double wall;
    struct api_result *res = one(api, "/fault/stall-after-headers", API_GET, &wall);
    if (expect("stall after headers", res, API_TIMEOUT, 200, "timeout: ")) {
        CHECK(res->elapsed_ms >= 1400 && wall < 4000,
              "ends at the 1.5 s timeout: %.0f ms (wall %.0f ms)", res->elapsed_ms, wall);
    }
    api_result_free(&res);
    api_free(&api);

    /* Retries stop at the deadline, however many are allowed. */
    api = client(H.url, API_AUTH_BASIC, 10, 1500, 4000);
    REQUIRE(api, "client");
    res = one(api, "/fault/stall-after-headers", API_GET, &wall);
    if (expect("stall, retried", res, API_TIMEOUT, 200, "timeout: "))
        CHECK(wall < 4000 + 1500 + 2000, "bounded by the 4 s deadline: %.0f ms (attempts %d)",
              wall, res->attempts);
    api_result_free(&res);
    api_free(&api);
}

static void oversize(void)
{
    static const struct {
        const char *path, *what;
        enum api_err kind;
        const char *needle;
    } cases[] = {
        {"/fault/huge-length", "2 GB Content-Length", API_DECODE,
         "response larger than 1048576 bytes refused"},
        {"/fault/endless-chunked", "endless chunked body", API_DECODE,
         "response larger than 1048576 bytes refused"},
        {"/fault/gzip-bomb", "gzip bomb (64 MiB)", API_DECODE,
         "response larger than 1048576 bytes refused"},
        {"/fault/bad-gzip", "gzip that does not inflate", API_DECODE, "decompressed"},
    };
    struct api *api = client(H.url, API_AUTH_BASIC, 3, 10000, 20000);
    REQUIRE(api, "client");
    long base = peak_rss_kb();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double wall;
        struct api_result *res = one(api, cases[i].path, API_GET, &wall);
        if (expect(cases[i].what, res, cases[i].kind, 200, cases[i].needle)) {
            CHECK(res->attempts == 1, "%s: refused without a retry (attempts %d)", cases[i].what,
                  res->attempts);
            CHECK(wall < 5000, "%s: refused at once, not after reading it: %.0f ms", cases[i].what,
                  wall);
        }
        api_result_free(&res);
        long peak = peak_rss_kb();
        CHECK(base > 0 && peak - base < RSS_GROWTH_MAX_KB,
              "%s: peak RSS grew by %ld kB (limit %ld kB)", cases[i].what, peak - base,
              RSS_GROWTH_MAX_KB);
        printf("  %-28s peak RSS %ld kB (+%ld kB)\n", "", peak, peak - base);
    }
    api_free(&api);
}

static void redirects(void)
{
    static const struct {
        const char *path;
        enum api_method m;
        enum api_auth auth;
        long status;
        const char *what;
    } cases[] = {
        {"/fault/redirect", API_GET, API_AUTH_BASIC, 302, "302 to another host"},
        {"/fault/redirect-307", API_POST, API_AUTH_BASIC, 307, "307 POST to another host"},
        {"/fault/redirect", API_GET, API_AUTH_OAUTH, 302, "302, OAuth token"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct api *api = client(H.url, cases[i].auth, 2, 5000, 10000);
        REQUIRE(api, "client");
        double wall;
        struct api_result *res = one(api, cases[i].path, cases[i].m, &wall);
        char want[32];
        snprintf(want, sizeof want, "HTTP %ld", cases[i].status);
        if (expect(cases[i].what, res, API_HTTP, cases[i].status, want))
            CHECK(res->attempts == 1, "%s: a redirect is final (attempts %d)", cases[i].what,
                  res->attempts);
        api_result_free(&res);
        api_free(&api);
    }
    CHECK(recorded("\"main\"", "/fault/redirect", "\"authorization\": true", NULL) == 2,
          "the main host got the Basic credentials with both Basic redirects");
    CHECK(recorded("\"main\"", "/fault/redirect", "\"oauth_token\": true", NULL) == 1,
          "the main host got the OAuth token with the OAuth redirect");
    CHECK(recorded("\"other\"", NULL) == 0,
          "the other host received no request at all (so no credentials)");
}

static void tls_wrong_name(void)
{
    /* One attempt; the timeout is generous because loading the system's CA
     * bundle is slow under valgrind, but the wait stays bounded by it. */
    struct api *api = client(H.tls, API_AUTH_BASIC, -1, 15000, 20000);
    REQUIRE(api, "client");
    double wall;
    struct api_result *res = one(api, "/fault/ok", API_GET, &wall);
    if (expect("TLS, certificate for other.example", res, API_NETWORK, 0, "network: ")) {
        CHECK(strstr(res->err.message, "SSL") || strstr(res->err.message, "certificate"),
              "the message names the TLS failure: \"%s\"", res->err.message);
        CHECK(wall < 15000 + 2000, "bounded by the timeout: %.0f ms", wall);
    }
    api_result_free(&res);
    api_free(&api);
    CHECK(recorded("\"tls\"", "\"path\"", NULL) == 0,
          "no request (and so no credentials) went over the untrusted connection");
    CHECK(recorded("\"tls\"", "handshake", NULL) >= 1, "the client refused during the handshake");
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PYTHON HOSTILE_SERVER_PY\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    if (!hostile_start(argv[1], argv[2])) {
        hostile_stop();
        fprintf(stderr, "FAILED: the hostile server did not start\n");
        return 1;
    }
    printf("hostile server: %s, other host %s, tls %s\n", H.url, H.other, H.tls);
    control();
    close_mid_body();
    stall();
    oversize();
    redirects();
    tls_wrong_name();
    hostile_stop();
    if (itest_failures) {
        fprintf(stderr, "%d check(s) failed\n", itest_failures);
        return 1;
    }
    printf("netfault_test: all checks passed\n");
    return 0;
}
