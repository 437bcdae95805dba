/*
 * api_itest.h - helpers shared by the api integration tests: checks that
 * report and carry on, and a result collector that waits on the api's wake
 * fd with poll() exactly as the UI loop does.
 */
#ifndef MC_TESTS_API_ITEST_H
#define MC_TESTS_API_ITEST_H

#include <stdbool.h>
#include <stddef.h>

#include "api/api.h"

extern int itest_failures;

#define CHECK(cond, ...) itest_check((cond), __FILE__, __LINE__, #cond, __VA_ARGS__)
/* A failed REQUIRE ends the current scenario (the caller returns). */
#define REQUIRE(cond, ...) \
    if (!itest_check((cond), __FILE__, __LINE__, #cond, __VA_ARGS__)) return

bool itest_check(bool ok, const char *file, int line, const char *expr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Milliseconds on the monotonic clock. */
double itest_now_ms(void);

/* Waits (poll() on api_wake_fd) until n results have been taken or
 * timeout_ms has passed; stores them in out[] and returns how many. Every
 * wake of the fd must yield at least one result: a wake with nothing to
 * take is reported as a failure (the coalescing contract). */
size_t itest_collect(struct api *api, struct api_result **out, size_t n, long timeout_ms);

/* Frees results[0..n). */
void itest_free_results(struct api_result **out, size_t n);

/* A Basic-auth client for base_url with test-friendly timeouts. */
struct api *itest_client(const char *base_url, const char *user, const char *password,
                         int max_retries, long timeout_ms);

/* Submits req with the given routing fields; fails the test when refused. */
uint64_t itest_submit(struct api *api, struct api_request *req, int owner, unsigned gen, int tag);

#endif
