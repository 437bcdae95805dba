/*
 * demo.c - starting and stopping the sandbox child for `--demo`.
 *
 * The child is tied to us by PR_SET_PDEATHSIG, so a crash or SIGKILL of
 * the console still stops the sandbox, and the sandbox removes its
 * temporary database when it stops.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tui/demo.h"

#define DEMO_MAX_ARGS 32

const char *demo_default_sandbox(char *buf, size_t n)
{
    char self[4096];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) {
        snprintf(buf, n, "membercare-sandbox");
        return buf;
    }
    self[len] = '\0';
    snprintf(buf, n, "%s/membercare-sandbox", dirname(self));
    return buf;
}

static double mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* Starts the sandbox with db (or a temporary one when NULL) and extra args. */
static int spawn(struct demo *d, const char *sandbox_path, const char *db, const char *extra_args,
                 int timeout_ms, char *err, size_t errsz)
{
    char extra[1024];
    snprintf(extra, sizeof extra, "%s", extra_args ? extra_args : "");
    char *argv[DEMO_MAX_ARGS + 8];
    int argc = 0;
    argv[argc++] = (char *)sandbox_path;
    argv[argc++] = "--port";
    argv[argc++] = "0";
    argv[argc++] = "--bind";
    argv[argc++] = "127.0.0.1";
    if (db) {
        argv[argc++] = "--db";
        argv[argc++] = (char *)db;
    }
    char *save = NULL;
    for (char *t = strtok_r(extra, " ", &save); t && argc < DEMO_MAX_ARGS; t = strtok_r(NULL, " ", &save))
        argv[argc++] = t;
    argv[argc] = NULL;

    int out[2];
    if (pipe(out) != 0) {
        snprintf(err, errsz, "pipe: %s", strerror(errno));
        return -1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errsz, "fork: %s", strerror(errno));
        close(out[0]);
        close(out[1]);
        return -1;
    }
    if (pid == 0) {
        /* Its own process group: a hangup of our terminal must not kill it
         * before we stop it (it removes its database only on SIGTERM). */
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent)
            _exit(1);
        int devnull = open("/dev/null", O_RDWR);
        dup2(devnull, STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        dup2(devnull, STDERR_FILENO);
        close(out[0]);
        close(out[1]);
        if (devnull > 2)
            close(devnull);
        /* the sandbox needs no secret of ours */
        unsetenv("MEMBERCARE_PASSWORD");
        unsetenv("MEMBERCARE_CLIENT_SECRET");
        execv(sandbox_path, argv);
        _exit(127);
    }
    close(out[1]);
    d->pid = pid;

    char line[256];
    size_t len = 0;
    double deadline = mono_ms() + timeout_ms;
    for (;;) {
        double left = deadline - mono_ms();
        if (left <= 0) {
            snprintf(err, errsz, "the demo sandbox did not start within %d ms", timeout_ms);
            goto fail;
        }
        struct pollfd pfd = {.fd = out[0], .events = POLLIN};
        int r = poll(&pfd, 1, (int)left);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        ssize_t n = read(out[0], line + len, sizeof line - 1 - len);
        if (n <= 0) {
            snprintf(err, errsz, "the demo sandbox exited before it was ready");
            goto fail;
        }
        len += (size_t)n;
        line[len] = '\0';
        char *nl = strchr(line, '\n');
        if (nl) {
            *nl = '\0';
            break;
        }
        if (len >= sizeof line - 1) {
            snprintf(err, errsz, "the demo sandbox said something unexpected");
            goto fail;
        }
    }
    close(out[0]);
    const char *prefix = "listening on ";
    if (strncmp(line, prefix, strlen(prefix)) != 0 || strlen(line + strlen(prefix)) >= sizeof d->url) {
        snprintf(err, errsz, "the demo sandbox said '%.100s' instead of its address", line);
        demo_stop(d);
        return -1;
    }
    snprintf(d->url, sizeof d->url, "%s", line + strlen(prefix));
    return 0;
fail:
    close(out[0]);
    demo_stop(d);
    return -1;
}

static const char *cache_dir(char *buf, size_t n)
{
    const char *x = getenv("XDG_CACHE_HOME");
    if (x && *x)
        snprintf(buf, n, "%s/membercare", x);
    else
        snprintf(buf, n, "%s/.cache/membercare", getenv("HOME") ? getenv("HOME") : "/tmp");
    return buf;
}

static int mkdir_p(const char *path)
{
    char tmp[1024];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static void remove_db_files(const char *db)
{
    char p[1400];
    unlink(db);
    if (snprintf(p, sizeof p, "%s-wal", db) < (int)sizeof p)
        unlink(p);
    if (snprintf(p, sizeof p, "%s-shm", db) < (int)sizeof p)
        unlink(p);
}

/* Removes a session folder: its database files, pid file, and itself. */
static void remove_session_dir(const char *dir)
{
    char p[1100];
    snprintf(p, sizeof p, "%s/demo.db", dir);
    remove_db_files(p);
    snprintf(p, sizeof p, "%s/pid", dir);
    unlink(p);
    rmdir(dir);
}

static const char *tmp_root(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

/* Folders of consoles that died without cleaning up. */
static void sweep_stale_sessions(void)
{
    DIR *dir = opendir(tmp_root());
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (strncmp(e->d_name, "membercare-demo-", 16) != 0)
            continue;
        char path[1024], pidfile[1100];
        snprintf(path, sizeof path, "%s/%s", tmp_root(), e->d_name);
        snprintf(pidfile, sizeof pidfile, "%s/pid", path);
        FILE *f = fopen(pidfile, "r");
        long pid = 0;
        if (f) {
            if (fscanf(f, "%ld", &pid) != 1)
                pid = 0;
            fclose(f);
        }
        struct stat st;
        if (pid > 0 && kill((pid_t)pid, 0) == 0)
            continue;
        if (pid <= 0 && stat(path, &st) == 0 && st.st_uid != getuid())
            continue;
        remove_session_dir(path);
    }
    closedir(dir);
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return -1;
    }
    char buf[1 << 16];
    ssize_t n;
    int rc = 0;
    while ((n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, (size_t)n) != n) {
            rc = -1;
            break;
        }
    }
    if (n < 0)
        rc = -1;
    close(in);
    if (close(out) != 0)
        rc = -1;
    return rc;
}

/* Flags that change what is seeded: such a sandbox seeds its own database. */
static bool changes_seed(const char *extra)
{
    return extra && (strstr(extra, "--seed") || strstr(extra, "--customers") || strstr(extra, "--db"));
}

/* The template for today and this sandbox binary, seeding it when missing. */
static int ensure_template(const char *sandbox_path, char *tpl, size_t n, int timeout_ms, char *err,
                           size_t errsz)
{
    char dir[1024];
    cache_dir(dir, sizeof dir);
    if (mkdir_p(dir) != 0) {
        snprintf(err, errsz, "cannot create %s: %s", dir, strerror(errno));
        return -1;
    }
    struct stat st;
    if (stat(sandbox_path, &st) != 0) {
        snprintf(err, errsz, "%s: %s", sandbox_path, strerror(errno));
        return -1;
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char day[16];
    strftime(day, sizeof day, "%Y%m%d", &tm);
    /* The seed is relative to today ("enrolled today"), so a template lasts a day. */
    if (snprintf(tpl, n, "%s/demo-%s-%lld-%lld.db", dir, day, (long long)st.st_size,
                 (long long)st.st_mtime) >= (int)n) {
        snprintf(err, errsz, "the cache folder path is too long");
        return -1;
    }
    if (access(tpl, R_OK) == 0)
        return 0;
    char building[1100];
    snprintf(building, sizeof building, "%s.%ld.tmp", tpl, (long)getpid());
    struct demo seeder = {0};
    if (spawn(&seeder, sandbox_path, building, NULL, timeout_ms, err, errsz) != 0) {
        remove_db_files(building);
        return -1;
    }
    demo_stop(&seeder); /* SIGTERM: the sandbox checkpoints and closes cleanly */
    char wal[1200];
    snprintf(wal, sizeof wal, "%s-wal", building);
    unlink(wal);
    snprintf(wal, sizeof wal, "%s-shm", building);
    unlink(wal);
    if (rename(building, tpl) != 0) {
        snprintf(err, errsz, "cannot store the demo template %s: %s", tpl, strerror(errno));
        remove_db_files(building);
        return -1;
    }
    /* older templates are of no further use */
    DIR *dd = opendir(dir);
    if (dd) {
        struct dirent *e;
        const char *base = strrchr(tpl, '/') + 1;
        while ((e = readdir(dd)) != NULL) {
            if (strncmp(e->d_name, "demo-", 5) == 0 && strcmp(e->d_name, base) != 0) {
                char old[1400];
                snprintf(old, sizeof old, "%s/%s", dir, e->d_name);
                unlink(old);
            }
        }
        closedir(dd);
    }
    return 0;
}

int demo_start(struct demo *d, const char *sandbox_path, const char *extra_args, int timeout_ms,
               char *err, size_t errsz)
{
    memset(d, 0, sizeof *d);
    if (access(sandbox_path, X_OK) != 0) {
        snprintf(err, errsz, "cannot run the demo sandbox %s: %s", sandbox_path, strerror(errno));
        return -1;
    }
    if (changes_seed(extra_args))
        return spawn(d, sandbox_path, NULL, extra_args, timeout_ms, err, errsz);
    sweep_stale_sessions();
    char tpl[1024];
    if (ensure_template(sandbox_path, tpl, sizeof tpl, timeout_ms, err, errsz) != 0)
        return -1;
    snprintf(d->dir, sizeof d->dir, "%s/membercare-demo-XXXXXX", tmp_root());
    if (!mkdtemp(d->dir)) {
        snprintf(err, errsz, "cannot create a folder in %s: %s", tmp_root(), strerror(errno));
        d->dir[0] = '\0';
        return -1;
    }
    char pidfile[600], db[600];
    snprintf(pidfile, sizeof pidfile, "%s/pid", d->dir);
    FILE *f = fopen(pidfile, "w");
    if (f) {
        fprintf(f, "%ld\n", (long)getpid());
        fclose(f);
    }
    snprintf(db, sizeof db, "%s/demo.db", d->dir);
    if (copy_file(tpl, db) != 0) {
        snprintf(err, errsz, "cannot copy the demo database: %s", strerror(errno));
        remove_session_dir(d->dir);
        d->dir[0] = '\0';
        return -1;
    }
    char dir[sizeof d->dir];
    snprintf(dir, sizeof dir, "%s", d->dir);
    if (spawn(d, sandbox_path, db, extra_args, timeout_ms, err, errsz) != 0) {
        remove_session_dir(dir);
        return -1;
    }
    snprintf(d->dir, sizeof d->dir, "%s", dir);
    return 0;
}

void demo_stop(struct demo *d)
{
    if (d->pid <= 0) {
        if (d->dir[0])
            remove_session_dir(d->dir);
        d->dir[0] = '\0';
        return;
    }
    kill(d->pid, SIGTERM);
    for (int i = 0; i < 300; i++) {
        int st;
        pid_t r = waitpid(d->pid, &st, WNOHANG);
        if (r == d->pid || (r < 0 && errno == ECHILD)) {
            d->pid = 0;
            if (d->dir[0])
                remove_session_dir(d->dir);
            d->dir[0] = '\0';
            return;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(d->pid, SIGKILL);
    waitpid(d->pid, NULL, 0);
    d->pid = 0;
    if (d->dir[0])
        remove_session_dir(d->dir);
    d->dir[0] = '\0';
}
