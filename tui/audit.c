/*
 * audit.c - the local audit log of every write the console sends.
 *
 * One JSON object per line in $XDG_STATE_HOME/membercare/audit.jsonl
 * (default ~/.local/state/membercare/audit.jsonl). A write gets a "sent"
 * record before the request leaves and a "done" record with the outcome
 * after the answer; each record is one write(2) with O_APPEND and is
 * flushed to disk, so a crash mid-call leaves the "sent" record behind.
 * A disk flush costs milliseconds, so records written together (a bulk
 * decision's, the answers of one pass of the event loop) share one.
 * A "done" record's outcome is "ok", "failed" or "unknown": a write whose
 * answer was lost or could not be read may have been carried out, and the
 * log must not claim it was not.
 * Secrets never pass through here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tui/app_priv.h"

static void json_str(char *out, size_t n, const char *s)
{
    size_t o = 0;
    if (n < 3)
        return;
    out[o++] = '"';
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && o + 8 < n; p++) {
        if (*p == '"' || *p == '\\') {
            out[o++] = '\\';
            out[o++] = (char)*p;
        } else if (*p < 0x20 || *p == 0x7f) {
            o += (size_t)snprintf(out + o, n - o, "\\u%04x", *p);
        } else {
            out[o++] = (char)*p;
        }
    }
    out[o++] = '"';
    out[o] = '\0';
}

static int mkdirs(char *path)
{
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        int r = mkdir(path, 0700);
        *p = '/';
        if (r != 0 && errno != EEXIST)
            return -1;
    }
    return 0;
}

static const char *audit_file(struct app *app)
{
    if (app->audit_path[0])
        return app->audit_path;
    if (app->cfg.audit_path) {
        snprintf(app->audit_path, sizeof app->audit_path, "%s", app->cfg.audit_path);
    } else {
        const char *x = getenv("XDG_STATE_HOME");
        if (x && *x)
            snprintf(app->audit_path, sizeof app->audit_path, "%s/membercare/audit.jsonl", x);
        else
            snprintf(app->audit_path, sizeof app->audit_path, "%s/.local/state/membercare/audit.jsonl",
                     getenv("HOME") ? getenv("HOME") : ".");
    }
    return app->audit_path;
}

const char *app_audit_path(struct app *app) { return audit_file(app); }

static bool append(struct app *app, const char *line)
{
    char path[1024];
    snprintf(path, sizeof path, "%s", audit_file(app));
    if (mkdirs(path) != 0)
        return false;
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return false;
    size_t len = strlen(line);
    bool ok = write(fd, line, len) == (ssize_t)len;
    if (app->audit_holds > 0)
        app->audit_unsynced = true;
    else
        fdatasync(fd);
    close(fd);
    return ok;
}

void audit_hold(struct app *app) { app->audit_holds++; }

void audit_release(struct app *app)
{
    if (app->audit_holds > 0 && --app->audit_holds > 0)
        return;
    if (!app->audit_unsynced)
        return;
    app->audit_unsynced = false;
    int fd = open(audit_file(app), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0)
        return;
    fdatasync(fd);
    close(fd);
}

static void now_iso(char *buf, size_t n)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char base[32];
    strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, n, "%s.%03uZ", base, (unsigned)(ts.tv_nsec / 1000000) % 1000u);
}

long audit_begin(struct app *app, const char *action, int64_t member_id, const char *ref, const char *detail)
{
    if (app->audit_next_id == 0)
        app->audit_next_id = (long)time(NULL) * 1000;
    long id = ++app->audit_next_id;
    char t[40], till[160], act[96], r[200], d[600], line[1400];
    now_iso(t, sizeof t);
    json_str(till, sizeof till, app->cfg.till);
    json_str(act, sizeof act, action);
    json_str(r, sizeof r, ref);
    json_str(d, sizeof d, detail);
    snprintf(line, sizeof line,
             "{\"id\":%ld,\"phase\":\"sent\",\"time\":\"%s\",\"till\":%s,\"action\":%s,"
             "\"member\":%lld,\"ref\":%s,\"detail\":%s}\n",
             id, t, till, act, (long long)member_id, r, d);
    if (!append(app, line)) {
        app_status(app, STATUS_ERROR, "Cannot write the audit log %s: %s", audit_file(app), strerror(errno));
        return 0;
    }
    session_log_sent(&app->writes, id, action, member_id, ref, detail); /* for :wrapup */
    return id;
}

/* outcome: "ok", "failed" (the write was not done) or "unknown" (it may
 * have been: the answer was lost or unreadable); "ok" stays a boolean too
 * for readers that predate the outcome. */
static void audit_done(struct app *app, long id, const char *outcome, const char *response_id,
                       const char *message)
{
    if (id <= 0)
        return;
    session_log_done(&app->writes, id, outcome, response_id, message);
    char t[40], rid[200], msg[600], line[1000];
    now_iso(t, sizeof t);
    json_str(rid, sizeof rid, response_id);
    json_str(msg, sizeof msg, message);
    snprintf(line, sizeof line,
             "{\"id\":%ld,\"phase\":\"done\",\"time\":\"%s\",\"ok\":%s,\"outcome\":\"%s\","
             "\"response_id\":%s,\"message\":%s}\n",
             id, t, strcmp(outcome, "ok") == 0 ? "true" : "false", outcome, rid, msg);
    if (!append(app, line))
        app_status(app, STATUS_ERROR, "Cannot write the audit log %s: %s", audit_file(app), strerror(errno));
}

void audit_end(struct app *app, long id, bool ok, const char *response_id, const char *message)
{
    audit_done(app, id, ok ? "ok" : "failed", response_id, message);
}

void audit_end_error(struct app *app, long id, const struct api_error *err, const char *message)
{
    audit_done(app, id, err && err->unknown_outcome ? "unknown" : "failed", NULL, message);
}

void audit_end_unknown(struct app *app, long id, const char *message)
{
    audit_done(app, id, "unknown", NULL, message);
}
