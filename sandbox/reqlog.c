/*
 * reqlog.c - appending request lines. Each line goes out in one write()
 * on an O_APPEND descriptor, so lines from concurrent workers never mix.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/reqlog.h"

#define LINE_MAX_LEN 1024

struct reqlog {
    int fd;
};

struct reqlog *reqlog_open(const char *path, char *err, size_t errlen)
{
    struct reqlog *l = calloc(1, sizeof *l);
    if (!l) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    l->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (l->fd < 0) {
        snprintf(err, errlen, "cannot open log %s: %s", path, strerror(errno));
        free(l);
        return NULL;
    }
    return l;
}

void reqlog_close(struct reqlog **lp)
{
    struct reqlog *l = *lp;
    if (!l)
        return;
    close(l->fd);
    free(l);
    *lp = NULL;
}

/* Appends s, replacing bytes that would break the line format. */
static size_t put(char *buf, size_t at, size_t cap, const char *s)
{
    for (; s && *s && at + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        buf[at++] = (c <= ' ' || c == 0x7f) ? '_' : (char)c;
    }
    return at;
}

void reqlog_write(struct reqlog *l, const char *method, const char *path, const struct sb_kv *args,
                  size_t n_args, int status, size_t bytes, double ms, const char *who,
                  const char *fault)
{
    if (!l)
        return;
    char line[LINE_MAX_LEN];
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    gmtime_r(&tv.tv_sec, &tm);
    size_t at = strftime(line, sizeof line, "%Y-%m-%dT%H:%M:%S", &tm);
    at += (size_t)snprintf(line + at, sizeof line - at, ".%03ldZ ", (long)(tv.tv_usec / 1000));
    /* 200 bytes stay free for the fixed-size tail. */
    const size_t cap = sizeof line - 200;
    at = put(line, at, cap, method);
    line[at++] = ' ';
    at = put(line, at, cap, path);
    for (size_t i = 0; i < n_args; i++) {
        at = put(line, at, cap, i ? "&" : "?");
        at = put(line, at, cap, args[i].key);
        if (args[i].value) {
            at = put(line, at, cap, "=");
            at = put(line, at, cap, args[i].value);
        }
    }
    at += (size_t)snprintf(line + at, sizeof line - at, " %d %zu %.1fms till=%s fault=%s\n",
                           status, bytes, ms, who && *who ? who : "-", fault ? fault : "-");
    if (at >= sizeof line)
        at = sizeof line - 1;
    ssize_t w;
    do
        w = write(l->fd, line, at);
    while (w < 0 && errno == EINTR);
}
