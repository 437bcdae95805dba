/*
 * errors.c - error values in human words for the status line.
 *
 * api_error_format keeps the server's own code in front of its message
 * ("8015: Customer not found ...") because agents quote that code to
 * support; our own failures are prefixed with the error kind instead.
 * api_error_mark_outcome tells a write that failed for certain from one
 * whose answer was lost or unreadable and so may have been carried out.
 */
#include <stdio.h>
#include <string.h>

#include "api/internal.h"

const char *api_err_name(enum api_err kind)
{
    switch (kind) {
    case API_OK: return "ok";
    case API_NETWORK: return "network";
    case API_TIMEOUT: return "timeout";
    case API_HTTP: return "http";
    case API_DECODE: return "decode";
    case API_REMOTE: return "remote";
    case API_CANCELLED: return "cancelled";
    }
    return "unknown";
}

void api_error_format(const struct api_error *err, char *buf, size_t n)
{
    if (!buf || n == 0)
        return;
    if (!err) {
        buf[0] = '\0';
        return;
    }
    const char *msg = err->message;
    if (err->kind == API_OK)
        snprintf(buf, n, "ok");
    else if (err->kind == API_REMOTE && err->code != 0)
        snprintf(buf, n, "%ld: %s", err->code, msg[0] ? msg : "server error");
    else if (err->kind == API_HTTP && msg[0])
        /* Our HTTP messages already start with "HTTP NNN" or say what failed. */
        snprintf(buf, n, "%s", msg);
    else if (msg[0])
        snprintf(buf, n, "%s: %s", api_err_name(err->kind), msg);
    else
        snprintf(buf, n, "%s", api_err_name(err->kind));
}

void api_error_set(struct api_error *err, enum api_err kind, long http_status, long code,
                   const char *fmt, ...)
{
    if (!err)
        return;
    err->kind = kind;
    err->http_status = http_status;
    err->code = code;
    err->unknown_outcome = false;
    err->message[0] = '\0';
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        if (n >= (int)sizeof err->message) {
            size_t len = strlen(err->message);
            err->message[api_utf8_cut(err->message, len, len - 1)] = '\0';
        }
    }
}

void api_error_mark_outcome(struct api_error *err, enum api_method method, bool never_sent)
{
    if (!err)
        return;
    bool unknown = false;
    if (method != API_GET && !never_sent) {
        switch (err->kind) {
        case API_NETWORK: case API_TIMEOUT: case API_DECODE:
            unknown = true;
            break;
        case API_HTTP:
            /* 4xx says the request was refused as sent; a bare 5xx (a
             * gateway's page) says nothing about what the server behind did. */
            unknown = err->http_status == 0 || err->http_status >= 500;
            break;
        case API_OK: case API_REMOTE: case API_CANCELLED:
            break;
        }
    }
    err->unknown_outcome = unknown;
}
