/*
 * main.c - membercare-sandbox: flags, the database (created and seeded, or
 * reused), the server, and a clean stop on SIGTERM/SIGINT.
 *
 * SIGTERM and SIGINT are blocked in every thread before any is created and
 * taken with sigwait() here, so no signal handler and no global state are
 * needed. SIGPIPE is ignored: the parent may close our stdout after the
 * first line, and clients may vanish mid-answer.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/auth.h"
#include "sandbox/dispatch.h"
#include "sandbox/faults.h"
#include "sandbox/options.h"
#include "sandbox/reqlog.h"
#include "sandbox/router.h"
#include "sandbox/sbtime.h"
#include "sandbox/seed.h"
#include "sandbox/server.h"
#include "sandbox/store.h"

#define TOKEN_SLOTS 4096

static double mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int seed(sqlite3 *db, const struct sb_options *o, time_t now, char *err, size_t errlen)
{
    struct seed_opts so = {.seed = o->seed, .customers = o->customers, .now = now};
    struct seed_stats st;
    double t0 = mono_s();
    if (seed_run(db, &so, &st, err, errlen))
        return -1;
    fprintf(stderr,
            "membercare-sandbox: seeded %ld members, %ld ledger events, %ld ledger entries,"
            " %ld transactions, %ld coupons, %ld requests in %.2f s\n",
            st.members, st.ledger_events, st.ledger_entries, st.transactions, st.coupons,
            st.requests, mono_s() - t0);
    return 0;
}

/* A new database is built beside its final name without a journal (a
 * third faster) and renamed into place when complete, so a crash while
 * seeding leaves no half-built file under that name. */
static int build_db(const char *path, const struct sb_options *o, time_t now, char *err,
                    size_t errlen)
{
    char building[PATH_MAX + 16];
    snprintf(building, sizeof building, "%s.building", path);
    unlink(building);
    sqlite3 *db = store_open_build(building, err, errlen);
    if (!db)
        return -1;
    int rc = store_migrate(db, err, errlen) < 0 || seed(db, o, now, err, errlen) ? -1 : 0;
    if (sqlite3_close(db) != SQLITE_OK && rc == 0) {
        snprintf(err, errlen, "cannot close %.200s", building);
        rc = -1;
    }
    if (rc == 0 && rename(building, path) != 0) {
        snprintf(err, errlen, "cannot rename %.200s to %.200s: %s", building, path, strerror(errno));
        rc = -1;
    }
    if (rc)
        unlink(building);
    return rc;
}

/* Creates and seeds a new database, or migrates an existing one (seeding
 * it only if a seed never completed there). 0 or -1 with err. */
static int prepare_db(const char *path, const struct sb_options *o, time_t now, char *err,
                      size_t errlen)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || sb.st_size == 0) {
        if (build_db(path, o, now, err, errlen))
            return -1;
    }
    sqlite3 *db = store_open_db(path, err, errlen);
    if (!db)
        return -1;
    int rc = -1;
    if (store_migrate(db, err, errlen) < 0)
        goto out;
    if (store_is_seeded(db)) {
        rc = 0;
        goto out;
    }
    rc = seed(db, o, now, err, errlen);
out:
    sqlite3_close(db);
    return rc;
}

static void remove_db(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char name[PATH_MAX + 16];
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(name, sizeof name, "%s%s", path, suffixes[i]);
        if (unlink(name) != 0 && errno != ENOENT)
            fprintf(stderr, "membercare-sandbox: cannot remove %s: %s\n", name, strerror(errno));
    }
}

/* A stop asked for while seeding is honoured before the server starts. */
static bool stop_pending(void)
{
    sigset_t pending;
    sigpending(&pending);
    return sigismember(&pending, SIGTERM) || sigismember(&pending, SIGINT);
}

int main(int argc, char **argv)
{
    struct sb_options o;
    char err[512];
    if (options_parse(argc, argv, &o, err, sizeof err)) {
        fprintf(stderr, "membercare-sandbox: %s\n", err);
        return 2;
    }
    if (o.help) {
        options_usage(stdout);
        return 0;
    }
    if (o.version) {
        printf("membercare-sandbox %s\n", MC_VERSION);
        return 0;
    }
    struct sbtime_clock clock;
    if (sbtime_clock_from_env(getenv("MEMBERCARE_NOW"), &clock)) {
        fprintf(stderr, "membercare-sandbox: MEMBERCARE_NOW is not an ISO 8601 instant"
                        " like 2026-11-25T10:00:00Z\n");
        return 2;
    }

    sigset_t stops;
    sigemptyset(&stops);
    sigaddset(&stops, SIGTERM);
    sigaddset(&stops, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stops, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* Allocation statistics cost a global mutex per malloc; nobody reads them. */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);

    int status = 1;
    char temp_path[PATH_MAX] = "";
    const char *path = o.db_path;
    struct store *pool = NULL;
    struct auth_tokens *tokens = NULL;
    struct router *router = NULL;
    struct faults *faults = NULL;
    struct reqlog *log = NULL;
    struct server *server = NULL;

    if (!path) {
        const char *dir = getenv("TMPDIR");
        snprintf(temp_path, sizeof temp_path, "%s/membercare-sandbox-XXXXXX.db",
                 dir && *dir ? dir : "/tmp");
        int fd = mkstemps(temp_path, 3);
        if (fd < 0) {
            fprintf(stderr, "membercare-sandbox: cannot create a temporary database in %s: %s\n",
                    dir && *dir ? dir : "/tmp", strerror(errno));
            return 1;
        }
        close(fd);
        path = temp_path;
    }
    if (prepare_db(path, &o, sbtime_now(&clock), err, sizeof err)) {
        fprintf(stderr, "membercare-sandbox: %s\n", err);
        goto out;
    }
    if (stop_pending()) {
        status = 0;
        goto out;
    }
    pool = store_pool_new(path, (size_t)o.threads + 1, err, sizeof err);
    tokens = auth_tokens_new(o.token_ttl, TOKEN_SLOTS);
    router = router_new();
    struct faults_cfg fc = {
        .latency_ms = o.latency_ms,
        .jitter_ms = o.jitter_ms,
        .fail_rate = o.fail_rate,
        .malformed_rate = o.malformed_rate,
        .rate_limit = o.rate_limit,
        .fail_next_writes = o.fail_next_writes,
        .seeded = o.fault_seed_set,
        .seed = o.fault_seed,
    };
    faults = faults_new(&fc);
    if (!pool || !tokens || !router || !faults) {
        fprintf(stderr, "membercare-sandbox: %s\n", pool ? "out of memory" : err);
        goto out;
    }
    if (o.log_path && !(log = reqlog_open(o.log_path, err, sizeof err))) {
        fprintf(stderr, "membercare-sandbox: %s\n", err);
        goto out;
    }
    struct sb_env env = {.store = pool, .tokens = tokens, .router = router, .clock = clock};
    struct server_cfg sc = {
        .bind = o.bind, .port = o.port, .threads = o.threads, .max_body = o.max_body};
    server = server_start(&env, faults, log, &sc, err, sizeof err);
    if (!server) {
        fprintf(stderr, "membercare-sandbox: %s\n", err);
        goto out;
    }
    printf("listening on %s\n", server_url(server));
    fflush(stdout);

    int sig = 0;
    sigwait(&stops, &sig);
    status = 0;
out:
    server_stop(&server);
    reqlog_close(&log);
    faults_free(&faults);
    router_free(&router);
    auth_tokens_free(&tokens);
    store_pool_free(&pool);
    if (temp_path[0])
        remove_db(temp_path);
    return status;
}
