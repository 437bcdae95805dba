/*
 * delayq.h - holds connections back for --latency/--jitter without tying
 * up a worker thread.
 *
 * A delayed request's connection is suspended (libmicrohttpd stops
 * polling it) and a timer thread resumes it when its time is up, so the
 * worker threads keep serving other connections meanwhile.
 */
#ifndef MC_SANDBOX_DELAYQ_H
#define MC_SANDBOX_DELAYQ_H

#include <stdbool.h>

struct MHD_Connection;
struct delayq;

struct delayq *delayq_start(void);
/* Suspends conn and schedules its resumption in delay_ms. False (and conn
 * untouched) when the queue is stopping: answer at once then. Call only
 * from the access handler of conn. */
bool delayq_suspend(struct delayq *q, struct MHD_Connection *conn, long delay_ms);
/* Resumes everything still waiting, stops the timer thread and frees. */
void delayq_stop(struct delayq **q);

#endif
