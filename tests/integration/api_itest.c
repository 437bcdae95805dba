/*
 * api_itest.c - helpers shared by the api integration tests (see api_itest.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tests/integration/api_itest.h"

int itest_failures;

bool itest_check(bool ok, const char *file, int line, const char *expr, const char *fmt, ...)
{
    if (ok)
        return true;
    itest_failures++;
    fprintf(stderr, "%s:%d: check failed: %s: ", file, line, expr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return false;
}

double itest_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

size_t itest_collect(struct api *api, struct api_result **out, size_t n, long timeout_ms)
{
    size_t got = 0;
    double end = itest_now_ms() + (double)timeout_ms;
    while (got < n) {
        double left = end - itest_now_ms();
        if (left <= 0)
            break;
        struct pollfd pfd = { .fd = api_wake_fd(api), .events = POLLIN };
        int rc = poll(&pfd, 1, (int)left + 1);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            continue;
        /* A wake may find no result: the last job in flight was dropped
         * (cancelled) before the caller submitted more (api.h). */
        struct api_result *res;
        while (got < n && (res = api_take_result(api)) != NULL)
            out[got++] = res;
    }
    return got;
}

void itest_free_results(struct api_result **out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        api_result_free(&out[i]);
}

struct api *itest_client(const char *base_url, const char *user, const char *password,
                         int max_retries, long timeout_ms)
{
    struct api_config cfg = {
        .base_url = base_url,
        .auth = API_AUTH_BASIC,
        .user = user,
        .password = password,
        .connect_timeout_ms = 2000,
        .timeout_ms = timeout_ms,
        .retry_deadline_ms = 15000,
        .max_retries = max_retries,
    };
    struct api_error err;
    struct api *api = api_new(&cfg, &err);
    if (!api) {
        char line[300];
        api_error_format(&err, line, sizeof line);
        CHECK(api != NULL, "api_new: %s", line);
    }
    return api;
}

uint64_t itest_submit(struct api *api, struct api_request *req, int owner, unsigned gen, int tag)
{
    req->owner = owner;
    req->generation = gen;
    req->tag = tag;
    uint64_t id = api_submit(api, req);
    CHECK(id > 0, "api_submit refused a request");
    return id;
}
