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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
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

int demo_start(struct demo *d, const char *sandbox_path, const char *extra_args, int timeout_ms,
               char *err, size_t errsz)
{
    memset(d, 0, sizeof *d);
    if (access(sandbox_path, X_OK) != 0) {
        snprintf(err, errsz, "cannot run the demo sandbox %s: %s", sandbox_path, strerror(errno));
        return -1;
    }
    char extra[1024];
    snprintf(extra, sizeof extra, "%s", extra_args ? extra_args : "");
    char *argv[DEMO_MAX_ARGS + 8];
    int argc = 0;
    argv[argc++] = (char *)sandbox_path;
    argv[argc++] = "--port";
    argv[argc++] = "0";
    argv[argc++] = "--bind";
    argv[argc++] = "127.0.0.1";
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

void demo_stop(struct demo *d)
{
    if (d->pid <= 0)
        return;
    kill(d->pid, SIGTERM);
    for (int i = 0; i < 300; i++) {
        int st;
        pid_t r = waitpid(d->pid, &st, WNOHANG);
        if (r == d->pid || (r < 0 && errno == ECHILD)) {
            d->pid = 0;
            return;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(d->pid, SIGKILL);
    waitpid(d->pid, NULL, 0);
    d->pid = 0;
}
