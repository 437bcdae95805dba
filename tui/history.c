/*
 * history.c - the persistent command history (see history.h).
 *
 * Appending is one write(2) per line with O_APPEND, so two consoles of the
 * same user interleave whole lines. The file is rewritten with only the
 * last HISTORY_MAX lines (a temporary file renamed over it) once it holds
 * twice that many, so it stays small without rewriting it per command.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/history.h"

#define LINE_MAX_BYTES 4096

void history_default_path(char *out, size_t n)
{
    const char *x = getenv("XDG_STATE_HOME");
    if (x && *x)
        snprintf(out, n, "%s/membercare/history", x);
    else
        snprintf(out, n, "%s/.local/state/membercare/history", getenv("HOME") ? getenv("HOME") : ".");
}

static void keep(struct history *h, const char *line)
{
    char *copy = strdup(line);
    if (!copy)
        abort();
    if (h->n == HISTORY_MAX) {
        free(h->lines[0]);
        memmove(h->lines, h->lines + 1, sizeof h->lines[0] * (HISTORY_MAX - 1));
        h->n--;
    }
    h->lines[h->n++] = copy;
}

/* A line fit for the history: printable, no newline, not blank. */
static bool storable(const char *line)
{
    bool blank = true;
    for (const unsigned char *p = (const unsigned char *)line; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return false;
        if (*p != ' ')
            blank = false;
    }
    return !blank && strlen(line) <= LINE_MAX_BYTES;
}

void history_load(struct history *h, const char *path)
{
    memset(h, 0, sizeof *h);
    if (!path || !*path)
        return;
    snprintf(h->path, sizeof h->path, "%s", path);
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char buf[LINE_MAX_BYTES + 2];
    int total = 0;
    while (fgets(buf, sizeof buf, f)) {
        size_t len = strlen(buf);
        if (len > 0 && buf[len - 1] != '\n' && !feof(f)) {
            /* an overlong line: skip the rest of it */
            int c;
            while ((c = fgetc(f)) != EOF && c != '\n')
                ;
            continue;
        }
        buf[strcspn(buf, "\n")] = '\0';
        total++;
        if (storable(buf) && (h->n == 0 || strcmp(h->lines[h->n - 1], buf) != 0))
            keep(h, buf);
    }
    fclose(f);
    h->appended = total > HISTORY_MAX ? total - HISTORY_MAX : 0;
}

static int make_dirs(const char *path)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return 0;
}

/* Rewrites the file with the lines in memory. */
static bool compact(struct history *h)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", h->path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    bool ok = true;
    for (int i = 0; i < h->n && ok; i++) {
        size_t len = strlen(h->lines[i]);
        ok = write(fd, h->lines[i], len) == (ssize_t)len && write(fd, "\n", 1) == 1;
    }
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, h->path) != 0)
        ok = false;
    if (!ok)
        unlink(tmp);
    else
        h->appended = 0;
    return ok;
}

bool history_add(struct history *h, const char *line)
{
    if (!storable(line) || (h->n > 0 && strcmp(h->lines[h->n - 1], line) == 0))
        return true;
    keep(h, line);
    if (!h->path[0])
        return true;
    if (make_dirs(h->path) != 0)
        return false;
    int fd = open(h->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    size_t len = strlen(line);
    char *buf = malloc(len + 1);
    if (!buf)
        abort();
    memcpy(buf, line, len);
    buf[len] = '\n';
    bool ok = write(fd, buf, len + 1) == (ssize_t)(len + 1);
    free(buf);
    ok = close(fd) == 0 && ok;
    if (ok && ++h->appended >= HISTORY_MAX)
        ok = compact(h);
    return ok;
}

void history_free(struct history *h)
{
    for (int i = 0; i < h->n; i++)
        free(h->lines[i]);
    h->n = 0;
}
