/*
 * api_worker_test.c - the api worker against a real membercare-sandbox.
 *
 * Usage: api_worker_test [SANDBOX]   (default: $MC_SANDBOX)
 *
 * Each scenario starts its own sandbox on port 0 with the fault flags it
 * needs, reads the "listening on http://127.0.0.1:PORT" line, and stops it
 * afterwards. The first start seeds a database in a private temporary
 * directory; later starts reuse it, so seeding happens once. Requests are
 * counted from the sandbox's side through its --log file (one line per
 * request), which is how "a POST is never retried" is observed.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/integration/api_itest.h"

#define ASHA_ID 565000001
#define ASHA_MOBILE "919845000001"

struct sandbox {
    pid_t pid;
    char url[128];
    char log[512];
    char out[512];
};

static const char *sandbox_bin;
static char workdir[256];
static char dbpath[512];

static bool read_file(const char *path, char *buf, size_t n)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    ssize_t r = read(fd, buf, n - 1);
    close(fd);
    buf[r > 0 ? r : 0] = '\0';
    return r > 0;
}

static bool sandbox_start(struct sandbox *sb, const char *name, const char *const *extra)
{
    memset(sb, 0, sizeof *sb);
    snprintf(sb->log, sizeof sb->log, "%s/%s.log", workdir, name);
    snprintf(sb->out, sizeof sb->out, "%s/%s.out", workdir, name);
    const char *argv[32];
    int n = 0;
    argv[n++] = sandbox_bin;
    argv[n++] = "--port";
    argv[n++] = "0";
    argv[n++] = "--db";
    argv[n++] = dbpath;
    argv[n++] = "--log";
    argv[n++] = sb->log;
    /* The fixed members are all the scenarios need; fewer generated ones
     * make the one-time seeding quicker. */
    argv[n++] = "--customers";
    argv[n++] = "200";
    for (; extra && *extra && n < 30; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;

    sb->pid = fork();
    if (sb->pid < 0)
        return false;
    if (sb->pid == 0) {
        /* A test killed by its timeout must not leave a sandbox behind. */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        int fd = open(sb->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
            _exit(126);
        execv(sandbox_bin, (char *const *)argv);
        _exit(127);
    }
    /* The first start seeds the database, which takes a while. */
    double end = itest_now_ms() + 120000;
    while (itest_now_ms() < end) {
        char buf[512];
        int port;
        if (read_file(sb->out, buf, sizeof buf) && strchr(buf, '\n') &&
            sscanf(buf, "listening on http://127.0.0.1:%d", &port) == 1) {
            snprintf(sb->url, sizeof sb->url, "http://127.0.0.1:%d", port);
            return true;
        }
        int status;
        if (waitpid(sb->pid, &status, WNOHANG) == sb->pid) {
            fprintf(stderr, "sandbox %s exited before listening (status %d)\n", name, status);
            sb->pid = 0;
            return false;
        }
        usleep(20000);
    }
    fprintf(stderr, "sandbox %s did not print its address in time\n", name);
    kill(sb->pid, SIGKILL);
    waitpid(sb->pid, NULL, 0);
    sb->pid = 0;
    return false;
}

static void sandbox_stop(struct sandbox *sb)
{
    if (sb->pid <= 0)
        return;
    kill(sb->pid, SIGTERM);
    double end = itest_now_ms() + 10000;
    int status;
    while (waitpid(sb->pid, &status, WNOHANG) == 0) {
        if (itest_now_ms() > end) {
            kill(sb->pid, SIGKILL);
            waitpid(sb->pid, &status, 0);
            break;
        }
        usleep(10000);
    }
    sb->pid = 0;
}

/* Lines of the request log that contain needle (and method, when given). */
static int log_count(const struct sandbox *sb, const char *method, const char *needle)
{
    FILE *f = fopen(sb->log, "r");
    if (!f)
        return -1;
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, needle) && (!method || strstr(line, method)))
            n++;
    fclose(f);
    return n;
}

static struct api_result *one(struct api *api, struct api_request *req, long wait_ms)
{
    uint64_t id = itest_submit(api, req, 1, 1, 0);
    struct api_result *res = NULL;
    if (itest_collect(api, &res, 1, wait_ms) != 1) {
        CHECK(false, "no result within %ld ms", wait_ms);
        return NULL;
    }
    CHECK(res->id == id, "result id");
    return res;
}

static bool ok(const struct api_result *res, const char *what)
{
    if (!res)
        return false;
    char line[300];
    api_error_format(&res->err, line, sizeof line);
    return CHECK(res->err.kind == API_OK && res->data, "%s: %s", what, line);
}

/* Scenarios */

static void reads(const struct sandbox *sb)
{
    struct api *api = itest_client(sb->url, "demo.agent", "demo", 2, 10000);
    REQUIRE(api, "client");

    struct api_request *req = api_customer_lookup("mobile", ASHA_MOBILE);
    uint64_t id = itest_submit(api, req, 4, 7, 3);
    CHECK(api_in_flight(api) == 1, "in flight %zu", api_in_flight(api));
    struct api_result *res = NULL;
    REQUIRE(itest_collect(api, &res, 1, 15000) == 1, "lookup result");
    CHECK(res->id == id && res->owner == 4 && res->generation == 7 && res->tag == 3 &&
              res->kind == API_CUSTOMER,
          "routing fields copied (owner %d gen %u tag %d)", res->owner, res->generation, res->tag);
    CHECK(res->attempts == 1 && res->elapsed_ms > 0, "attempts %d", res->attempts);
    CHECK(api_in_flight(api) == 0, "in flight after take %zu", api_in_flight(api));
    struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
    if (ok(res, "lookup") && c) {
        CHECK(c->id == ASHA_ID, "id %lld", (long long)c->id);
        CHECK(c->first_name && strcmp(c->first_name, "Asha") == 0, "first name");
        CHECK(c->last_name && strcmp(c->last_name, "Rao") == 0, "last name");
        CHECK(c->mobile && strcmp(c->mobile, ASHA_MOBILE) == 0, "mobile");
        CHECK(c->has_program && c->tier && strcmp(c->tier, "Gold") == 0, "tier %s",
              c->tier ? c->tier : "(none)");
        CHECK(c->points_current == 12450, "points %.2f", c->points_current);
    }
    CHECK(API_DATA(res, SEARCH, struct mc_search_page) == NULL, "API_DATA checks the kind");
    api_result_free(&res);

    res = one(api, api_customer_get(ASHA_ID), 15000);
    c = res ? API_DATA(res, CUSTOMER, struct mc_customer) : NULL;
    if (ok(res, "get by id") && c)
        CHECK(c->id == ASHA_ID && c->first_name && strcmp(c->first_name, "Asha") == 0, "by id");
    api_result_free(&res);

    res = one(api, api_points_balance(ASHA_ID), 15000);
    struct mc_balance *b = res ? API_DATA(res, BALANCE, struct mc_balance) : NULL;
    if (ok(res, "balance") && b)
        CHECK(b->id == ASHA_ID && b->main == 12450 && b->total >= b->main,
              "balance id %lld main %.2f total %.2f", (long long)b->id, b->main, b->total);
    api_result_free(&res);

    res = one(api, api_loyalty_events(ASHA_ID, 0, 10), 15000);
    struct mc_event_page *ev = res ? API_DATA(res, EVENTS, struct mc_event_page) : NULL;
    if (ok(res, "events") && ev) {
        CHECK(ev->n > 0 && ev->n <= 10, "events %zu", ev->n);
        CHECK(ev->n == 0 || (ev->items[0].name && ev->items[0].date), "event fields");
    }
    api_result_free(&res);

    res = one(api, api_customer_search("asha", 0, 10), 15000);
    struct mc_search_page *sp = res ? API_DATA(res, SEARCH, struct mc_search_page) : NULL;
    if (ok(res, "search") && sp) {
        bool found = false;
        for (size_t i = 0; i < sp->n; i++)
            found |= sp->hits[i].id == ASHA_ID;
        CHECK(found, "Asha among %zu hits", sp->n);
        CHECK(sp->total >= (long)sp->n && sp->n <= 10, "total %ld n %zu", sp->total, sp->n);
    }
    api_result_free(&res);

    /* Not found: the server's own code and words. */
    res = one(api, api_customer_lookup("mobile", "910000000099"), 15000);
    if (res) {
        CHECK(res->err.kind == API_REMOTE && res->err.code == 8015, "8015: kind %s code %ld",
              api_err_name(res->err.kind), res->err.code);
        CHECK(res->attempts == 1, "a 4xx is not retried");
        CHECK(res->data == NULL, "no data on error");
    }
    api_result_free(&res);
    api_free(&api);

    /* Wrong password: 401, our words, no retry. */
    api = itest_client(sb->url, "demo.agent", "not-the-password", 3, 10000);
    REQUIRE(api, "client");
    res = one(api, api_customer_lookup("mobile", ASHA_MOBILE), 15000);
    if (res) {
        CHECK(res->err.kind == API_HTTP && res->err.http_status == 401, "401: kind %s status %ld",
              api_err_name(res->err.kind), res->err.http_status);
        CHECK(strstr(res->err.message, "authentication failed (401)") != NULL, "message %s",
              res->err.message);
        CHECK(res->attempts == 1, "attempts %d", res->attempts);
    }
    api_result_free(&res);
    api_free(&api);
}

static void oauth(const struct sandbox *sb)
{
    struct api_config cfg = { .base_url = sb->url, .auth = API_AUTH_OAUTH,
                              .client_key = "demo-key", .client_secret = "demo-secret",
                              .timeout_ms = 10000 };
    struct api_error err;
    struct api *api = api_new(&cfg, &err);
    REQUIRE(api, "oauth client");
    int before = log_count(sb, NULL, "/v3/oauth/token/generate");
    /* Three at once: they all wait for one token. */
    for (int i = 0; i < 3; i++)
        itest_submit(api, api_customer_lookup("mobile", ASHA_MOBILE), 1, 1, i);
    struct api_result *res[3];
    size_t n = itest_collect(api, res, 3, 15000);
    CHECK(n == 3, "oauth results %zu", n);
    for (size_t i = 0; i < n; i++)
        ok(res[i], "oauth lookup");
    itest_free_results(res, n);
    int calls = log_count(sb, NULL, "/v3/oauth/token/generate") - before;
    CHECK(calls == 1, "token requests %d, want 1", calls);
    api_free(&api);

    cfg.client_secret = "wrong-secret";
    api = api_new(&cfg, &err);
    REQUIRE(api, "oauth client");
    struct api_result *r = one(api, api_customer_lookup("mobile", ASHA_MOBILE), 15000);
    if (r) {
        CHECK((r->err.kind == API_REMOTE || r->err.kind == API_HTTP) && r->err.http_status == 401,
              "bad secret: kind %s status %ld (%s)", api_err_name(r->err.kind),
              r->err.http_status, r->err.message);
        CHECK(r->err.message[0] != '\0', "a message for the status line");
    }
    api_result_free(&r);
    api_free(&api);
}

/* Short token lifetime: a new token once 80% of it has passed. */
static void oauth_refresh(const struct sandbox *sb)
{
    struct api_config cfg = { .base_url = sb->url, .auth = API_AUTH_OAUTH,
                              .client_key = "demo-key", .client_secret = "demo-secret",
                              .timeout_ms = 10000 };
    struct api_error err;
    struct api *api = api_new(&cfg, &err);
    REQUIRE(api, "oauth client");
    struct api_result *r = one(api, api_points_balance(ASHA_ID), 15000);
    ok(r, "first");
    api_result_free(&r);
    r = one(api, api_points_balance(ASHA_ID), 15000);
    ok(r, "second, same token");
    api_result_free(&r);
    CHECK(log_count(sb, NULL, "/v3/oauth/token/generate") == 1, "one token so far");
    usleep(1800 * 1000); /* ttl 2 s: refresh due after 1.6 s */
    r = one(api, api_points_balance(ASHA_ID), 15000);
    ok(r, "after refresh");
    api_result_free(&r);
    CHECK(log_count(sb, NULL, "/v3/oauth/token/generate") == 2, "token refreshed (%d calls)",
          log_count(sb, NULL, "/v3/oauth/token/generate"));
    api_free(&api);
}

static void concurrency(const struct sandbox *sb)
{
    struct api *api = itest_client(sb->url, "demo.agent", "demo", 2, 10000);
    REQUIRE(api, "client");
    uint64_t ids[20];
    for (int i = 0; i < 20; i++) {
        struct api_request *req = i % 3 == 0 ? api_customer_search("a", 0, 5)
                                : i % 3 == 1 ? api_points_balance(ASHA_ID)
                                             : api_customer_lookup("mobile", ASHA_MOBILE);
        ids[i] = itest_submit(api, req, 2, 1, i);
    }
    CHECK(api_in_flight(api) == 20, "in flight %zu", api_in_flight(api));
    struct api_result *res[20];
    size_t n = itest_collect(api, res, 20, 30000);
    CHECK(n == 20, "results %zu of 20", n);
    bool seen[20] = { false };
    for (size_t i = 0; i < n; i++) {
        ok(res[i], "concurrent");
        int tag = res[i]->tag;
        if (CHECK(tag >= 0 && tag < 20 && !seen[tag] && res[i]->id == ids[tag], "tag %d", tag))
            seen[tag] = true;
    }
    itest_free_results(res, n);
    CHECK(api_in_flight(api) == 0, "in flight %zu", api_in_flight(api));
    api_free(&api);
}

static void parallel_and_cancel(const struct sandbox *sb)
{
    struct api *api = itest_client(sb->url, "demo.agent", "demo", 0, 10000);
    REQUIRE(api, "client");
    /* Warm the connection cache so connects do not count. */
    struct api_result *r = one(api, api_points_balance(ASHA_ID), 15000);
    ok(r, "warm-up");
    api_result_free(&r);

    double t0 = itest_now_ms();
    for (int i = 0; i < 5; i++)
        itest_submit(api, api_points_balance(ASHA_ID), 1, 1, i);
    struct api_result *res[5];
    size_t n = itest_collect(api, res, 5, 15000);
    double elapsed = itest_now_ms() - t0;
    CHECK(n == 5, "results %zu", n);
    for (size_t i = 0; i < n; i++) {
        ok(res[i], "parallel");
        CHECK(res[i]->elapsed_ms >= 190, "each waited the latency (%.0f ms)", res[i]->elapsed_ms);
    }
    itest_free_results(res, n);
    CHECK(elapsed < 3 * 200, "5 requests at 200 ms latency took %.0f ms (serial would be 1000)",
          elapsed);

    /* Cancel while queued or running: owner 1 hears nothing, owner 2 all. */
    for (int i = 0; i < 4; i++)
        itest_submit(api, api_points_balance(ASHA_ID), 1, 2, i);
    for (int i = 0; i < 2; i++)
        itest_submit(api, api_customer_search("asha", 0, 5), 2, 1, i);
    usleep(50000); /* let some of owner 1's transfers start */
    api_cancel_owner(api, 1);
    struct api_result *got[6];
    n = itest_collect(api, got, 6, 1500);
    CHECK(n == 2, "results after cancel %zu, want 2", n);
    for (size_t i = 0; i < n; i++)
        CHECK(got[i]->owner == 2, "result for owner %d", got[i]->owner);
    itest_free_results(got, n);
    CHECK(api_in_flight(api) == 0, "in flight %zu", api_in_flight(api));

    /* Finished but not taken yet: dropped by the cancel too. */
    itest_submit(api, api_points_balance(ASHA_ID), 3, 1, 0);
    struct pollfd p = { .fd = api_wake_fd(api), .events = POLLIN };
    CHECK(poll(&p, 1, 5000) == 1, "result posted");
    api_cancel_owner(api, 3);
    CHECK(api_take_result(api) == NULL, "a cancelled owner's finished result is dropped");
    CHECK(poll(&p, 1, 0) == 0, "wake fd drained");
    CHECK(api_in_flight(api) == 0, "in flight %zu", api_in_flight(api));

    /* The owner may submit again after a cancel (a reload). */
    uint64_t id = itest_submit(api, api_points_balance(ASHA_ID), 3, 2, 0);
    r = NULL;
    CHECK(itest_collect(api, &r, 1, 5000) == 1 && r->id == id && r->generation == 2,
          "a request after the cancel is answered");
    api_result_free(&r);
    api_free(&api);
}

static void retries(const struct sandbox *sb)
{
    struct api_config cfg = { .base_url = sb->url, .user = "demo.agent", .password = "demo",
                              .timeout_ms = 10000, .retry_deadline_ms = 30000,
                              .max_retries = 8 };
    struct api_error err;
    struct api *api = api_new(&cfg, &err);
    REQUIRE(api, "client");
    for (int i = 0; i < 10; i++)
        itest_submit(api, api_points_balance(ASHA_ID), 1, 1, i);
    struct api_result *res[10];
    size_t n = itest_collect(api, res, 10, 60000);
    CHECK(n == 10, "results %zu", n);
    int attempts = 0, good = 0;
    for (size_t i = 0; i < n; i++) {
        attempts += res[i]->attempts;
        good += res[i]->err.kind == API_OK;
        if (res[i]->err.kind != API_OK)
            CHECK(res[i]->attempts > 1, "a failure only after retries (%d)", res[i]->attempts);
    }
    itest_free_results(res, n);
    CHECK(good >= 9, "GETs succeed through retries (%d of 10)", good);
    CHECK(attempts > 10, "some requests were retried (%d attempts)", attempts);
    int logged = log_count(sb, "GET", "/points/balance");
    CHECK(logged == attempts, "sandbox saw %d GETs, client made %d attempts", logged, attempts);

    /* POSTs: each reaches the server exactly once, failed or not. */
    int failed = 0;
    for (int i = 0; i < 10; i++) {
        struct api_request *req = api_points_balance(ASHA_ID);
        free(req->path);
        req->path = strdup("/v3/oauth/token/generate");
        req->method = API_POST;
        req->body = strdup("{\"key\":\"demo-key\",\"secret\":\"demo-secret\"}");
        struct api_result *r = one(api, req, 15000);
        if (r) {
            CHECK(r->attempts == 1, "POST attempts %d", r->attempts);
            failed += r->err.http_status >= 500;
        }
        api_result_free(&r);
    }
    CHECK(failed > 0, "the fault injection failed some POSTs");
    int posts = log_count(sb, "POST", "/v3/oauth/token/generate");
    CHECK(posts == 10, "sandbox saw %d POSTs, want 10", posts);
    api_free(&api);
}

static void rate_limited(const struct sandbox *sb)
{
    struct api_config cfg = { .base_url = sb->url, .user = "demo.agent", .password = "demo",
                              .timeout_ms = 10000, .retry_deadline_ms = 30000,
                              .max_retries = 10 };
    struct api_error err;
    struct api *api = api_new(&cfg, &err);
    REQUIRE(api, "client");
    for (int i = 0; i < 8; i++)
        itest_submit(api, api_points_balance(ASHA_ID), 1, 1, i);
    struct api_result *res[8];
    size_t n = itest_collect(api, res, 8, 60000);
    CHECK(n == 8, "results %zu", n);
    int retried = 0;
    for (size_t i = 0; i < n; i++) {
        ok(res[i], "rate limited GET");
        retried += res[i]->attempts > 1;
    }
    itest_free_results(res, n);
    CHECK(retried > 0, "429s were retried");
    CHECK(log_count(sb, NULL, " 429") > 0 || retried > 0, "the sandbox limited");
    api_free(&api);
}

static void malformed(const struct sandbox *sb)
{
    struct api *api = itest_client(sb->url, "demo.agent", "demo", 1, 10000);
    REQUIRE(api, "client");
    for (int i = 0; i < 12; i++) {
        struct api_request *req = i % 4 == 0 ? api_customer_lookup("mobile", ASHA_MOBILE)
                                : i % 4 == 1 ? api_customer_search("asha", 0, 10)
                                : i % 4 == 2 ? api_points_balance(ASHA_ID)
                                             : api_loyalty_events(ASHA_ID, 0, 10);
        itest_submit(api, req, 1, 1, i);
    }
    struct api_result *res[12];
    size_t n = itest_collect(api, res, 12, 60000);
    CHECK(n == 12, "every malformed answer completes (%zu)", n);
    int failed = 0;
    for (size_t i = 0; i < n; i++) {
        CHECK((res[i]->err.kind == API_OK) == (res[i]->data != NULL), "data iff ok");
        failed += res[i]->err.kind != API_OK;
    }
    CHECK(failed > 0, "malformed answers are reported");
    itest_free_results(res, n);
    api_free(&api);
}

static void timeout(const struct sandbox *sb)
{
    struct api *api = itest_client(sb->url, "demo.agent", "demo", -1, 10000);
    REQUIRE(api, "client");
    struct api_request *req = api_points_balance(ASHA_ID);
    req->timeout_ms = 500;
    struct api_result *r = one(api, req, 10000);
    if (r) {
        CHECK(r->err.kind == API_TIMEOUT, "kind %s (%s)", api_err_name(r->err.kind),
              r->err.message);
        CHECK(r->elapsed_ms >= 450 && r->elapsed_ms < 1500, "elapsed %.0f", r->elapsed_ms);
        CHECK(r->attempts == 1, "attempts %d", r->attempts);
    }
    api_result_free(&r);
    api_free(&api);
}

static void refused(const char *dead_url)
{
    struct api *api = itest_client(dead_url, "demo.agent", "demo", -1, 5000);
    REQUIRE(api, "client");
    struct api_result *r = one(api, api_points_balance(ASHA_ID), 10000);
    if (r) {
        CHECK(r->err.kind == API_NETWORK && r->err.http_status == 0, "kind %s (%s)",
              api_err_name(r->err.kind), r->err.message);
        CHECK(r->attempts == 1, "attempts %d", r->attempts);
    }
    api_result_free(&r);
    api_free(&api);
}

/* Removes the flat temporary directory (databases, logs, outputs). */
static void rm_workdir(void)
{
    DIR *d = opendir(workdir);
    if (d) {
        struct dirent *e;
        char path[1024];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", workdir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(workdir);
}

int main(int argc, char **argv)
{
    sandbox_bin = argc > 1 ? argv[1] : getenv("MC_SANDBOX");
    if (!sandbox_bin || access(sandbox_bin, X_OK) != 0) {
        fprintf(stderr, "api_worker_test: membercare-sandbox not found (%s); build it first\n",
                sandbox_bin ? sandbox_bin : "set MC_SANDBOX or pass its path");
        return 1;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(workdir, sizeof workdir, "%s/api-worker-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(workdir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(dbpath, sizeof dbpath, "%s/sandbox.db", workdir);

    struct sandbox sb;
    char dead[128] = "";
    const char *const plain[] = { "--threads", "8", NULL };
    if (sandbox_start(&sb, "plain", plain)) {
        reads(&sb);
        oauth(&sb);
        concurrency(&sb);
        snprintf(dead, sizeof dead, "%s", sb.url);
        sandbox_stop(&sb);
    } else {
        CHECK(false, "the plain sandbox started");
    }
    if (dead[0])
        refused(dead); /* the stopped sandbox's port refuses connections */

    const char *const ttl[] = { "--token-ttl", "2", NULL };
    if (CHECK(sandbox_start(&sb, "ttl", ttl), "ttl sandbox")) {
        oauth_refresh(&sb);
        sandbox_stop(&sb);
    }
    const char *const slow[] = { "--latency", "200", "--threads", "8", NULL };
    if (CHECK(sandbox_start(&sb, "latency", slow), "latency sandbox")) {
        parallel_and_cancel(&sb);
        sandbox_stop(&sb);
    }
    const char *const flaky[] = { "--fail-rate", "0.4", "--fault-seed", "7", NULL };
    if (CHECK(sandbox_start(&sb, "flaky", flaky), "flaky sandbox")) {
        retries(&sb);
        sandbox_stop(&sb);
    }
    const char *const limited[] = { "--rate-limit", "3", NULL };
    if (CHECK(sandbox_start(&sb, "limited", limited), "rate-limited sandbox")) {
        rate_limited(&sb);
        sandbox_stop(&sb);
    }
    const char *const bad[] = { "--malformed-rate", "1", "--fault-seed", "3", NULL };
    if (CHECK(sandbox_start(&sb, "malformed", bad), "malformed sandbox")) {
        malformed(&sb);
        sandbox_stop(&sb);
    }
    const char *const stuck[] = { "--latency", "3000", NULL };
    if (CHECK(sandbox_start(&sb, "stuck", stuck), "slow sandbox")) {
        timeout(&sb);
        sandbox_stop(&sb);
    }

    rm_workdir();
    if (itest_failures) {
        fprintf(stderr, "api_worker_test: %d check(s) failed\n", itest_failures);
        return 1;
    }
    printf("api_worker_test: all checks passed\n");
    return 0;
}
