/*
 * delayq.c - the timer thread behind delayq_suspend.
 *
 * Waiting entries sit in an unsorted array; the thread sleeps on a
 * monotonic condition variable until the earliest deadline. Connections are
 * resumed outside the mutex; suspension happens under it, so a stop that
 * has started can never miss a connection suspended concurrently.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "sandbox/delayq.h"

struct waiting {
    struct MHD_Connection *conn; /* borrowed from libmicrohttpd */
    int64_t due_ns;
};

struct delayq {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    struct waiting *items; /* owned */
    size_t n, cap;
    bool stopping;
};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void *run(void *arg)
{
    struct delayq *q = arg;
    struct MHD_Connection *due[64];
    pthread_mutex_lock(&q->mu);
    for (;;) {
        size_t n_due = 0;
        int64_t now = mono_ns(), next = INT64_MAX;
        for (size_t i = 0; i < q->n;) {
            if ((q->stopping || q->items[i].due_ns <= now) && n_due < 64) {
                due[n_due++] = q->items[i].conn;
                q->items[i] = q->items[--q->n];
            } else {
                if (q->items[i].due_ns < next)
                    next = q->items[i].due_ns;
                i++;
            }
        }
        if (n_due) {
            pthread_mutex_unlock(&q->mu);
            for (size_t i = 0; i < n_due; i++)
                MHD_resume_connection(due[i]);
            pthread_mutex_lock(&q->mu);
            continue;
        }
        if (q->stopping && q->n == 0)
            break;
        if (next == INT64_MAX) {
            pthread_cond_wait(&q->cv, &q->mu);
        } else {
            struct timespec ts = {.tv_sec = (time_t)(next / 1000000000LL),
                                  .tv_nsec = (long)(next % 1000000000LL)};
            pthread_cond_timedwait(&q->cv, &q->mu, &ts);
        }
    }
    pthread_mutex_unlock(&q->mu);
    return NULL;
}

struct delayq *delayq_start(void)
{
    struct delayq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&q->cv, &ca);
    pthread_condattr_destroy(&ca);
    pthread_mutex_init(&q->mu, NULL);
    if (pthread_create(&q->thread, NULL, run, q) != 0) {
        pthread_cond_destroy(&q->cv);
        pthread_mutex_destroy(&q->mu);
        free(q);
        return NULL;
    }
    return q;
}

bool delayq_suspend(struct delayq *q, struct MHD_Connection *conn, long delay_ms)
{
    pthread_mutex_lock(&q->mu);
    if (q->stopping) {
        pthread_mutex_unlock(&q->mu);
        return false;
    }
    if (q->n == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 64;
        struct waiting *p = realloc(q->items, cap * sizeof *p);
        if (!p) {
            pthread_mutex_unlock(&q->mu);
            return false;
        }
        q->items = p;
        q->cap = cap;
    }
    MHD_suspend_connection(conn);
    q->items[q->n++] = (struct waiting){conn, mono_ns() + (int64_t)delay_ms * 1000000LL};
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
    return true;
}

void delayq_stop(struct delayq **qp)
{
    struct delayq *q = *qp;
    if (!q)
        return;
    pthread_mutex_lock(&q->mu);
    q->stopping = true;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
    pthread_join(q->thread, NULL);
    pthread_cond_destroy(&q->cv);
    pthread_mutex_destroy(&q->mu);
    free(q->items);
    free(q);
    *qp = NULL;
}
