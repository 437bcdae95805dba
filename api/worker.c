/*
 * worker.c - the request worker: one thread owning one libcurl multi handle
 * (DESIGN.md "The event loop and the request worker", STYLE.md §5).
 *
 * Threads. The UI thread calls api_new/api_free/api_submit/api_cancel_owner/
 * api_take_result/api_in_flight; everything named worker_* or static below
 * api_submit runs on the worker thread, which alone touches curl easy
 * handles, jansson and the job lists in `struct api` marked worker-only.
 * The two meet in a mutex-guarded inbox (requests down), a list of pending
 * cancellations, and a completion queue (results up); curl_multi_wakeup is
 * the only curl call the UI thread makes.
 *
 * Completion fd. The worker writes one byte to a pipe when it posts a result
 * and the "pending" flag was clear; api_take_result drains the pipe and
 * clears the flag when the queue runs empty. So the UI's poll() wakes once
 * per batch, never per result. The worker also writes it when it drops the
 * last job in flight unseen (a cancelled transfer), so the UI can clear its
 * busy indicator; api_take_result then simply returns NULL.
 *
 * Job life. inbox -> ready -> (token_wait ->) active -> posted, or ->
 * sleeping (retry timer) -> ready again. At most max_parallel transfers run
 * at once: curl's own queueing would start the per-request timeout while a
 * transfer merely waits for a connection slot. Connections are kept alive
 * in the multi handle's cache; HTTP/2 is asked for on https (ALPN), where
 * PIPEWAIT makes concurrent requests share one multiplexed connection. On
 * plain http PIPEWAIT is left off: curl would hold every request until the
 * first response proved the server speaks only HTTP/1.1.
 *
 * Cancellation. api_cancel_owner drops the owner's queued jobs and its
 * finished-but-untaken results at once, and records (owner, last id issued).
 * The worker aborts matching transfers, retries and token waits on its next
 * turn; a result it finishes in between is checked against the record under
 * the lock and freed unseen. A request the same owner submits after the
 * cancel has a larger id and is unaffected.
 *
 * Retries. Only GETs, on network errors, timeouts, 429, 461 and 5xx:
 * full-jitter exponential backoff (random in [0, 250 ms * 2^n], capped at
 * 8 s; from 1 s for a 429 without Retry-After, per part1 §3), never sooner
 * than Retry-After (seconds), within retry_deadline_ms and max_retries.
 * Writes are never retried: the user decides.
 *
 * OAuth. The worker fetches the token itself (POST /v3/oauth/token/generate)
 * before the first request, again once 80% of ttlSeconds has passed, and
 * once more when a request comes back 401 with the current token. Requests
 * wait in token_wait meanwhile. A failed fetch fails the waiting requests
 * with its error; GETs among them follow the retry rules, which fetch again.
 *
 * libcurl globals. api_new calls curl_global_init and api_free
 * curl_global_cleanup; libcurl reference-counts them and since 7.84 makes
 * them thread-safe. With an older libcurl the composition root must create
 * the api before it starts any other thread that uses curl.
 *
 * Signals. The worker thread blocks every signal: the UI's self-pipe sees
 * SIGWINCH/SIGTERM, and a SIGPIPE raised by a write to a dead socket stays
 * pending on the worker (the write still fails with EPIPE) instead of
 * killing the process, which CURLOPT_NOSIGNAL would otherwise allow.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "api/internal.h"

#define DEFAULT_CONNECT_MS 5000
#define DEFAULT_TIMEOUT_MS 20000
#define DEFAULT_DEADLINE_MS 30000
#define DEFAULT_RETRIES 4
#define DEFAULT_MAX_BODY ((size_t)8 << 20)
#define DEFAULT_PARALLEL 8
#define BACKOFF_BASE_MS 250.0
#define BACKOFF_429_MS 1000.0
#define BACKOFF_CAP_MS 8000.0
#define RETRY_AFTER_CAP_S 3600L
#define IDLE_POLL_MS 60000
#define TOKEN_TTL_DEFAULT_S 300L
#define TOKEN_TTL_MAX_S 86400L

struct job {
    struct job *next;
    uint64_t id;
    struct api_request *req;    /* owned */
    bool token_fetch;           /* the worker's own token request (body holds the secret) */
    double submitted;           /* monotonic ms at api_submit */
    double due;                 /* sleeping: monotonic ms when it may run again */
    int attempts;               /* sends, plus token fetches that failed it */
    bool auth_retried;          /* the one re-send after a 401 has been used */
    unsigned token_gen;         /* which token this attempt carried */
    size_t limit;               /* max_body */
    CURL *easy;                 /* while active */
    struct curl_slist *headers; /* while active; wiped (may hold credentials) */
    char *buf;                  /* response body, NUL-terminated; plain realloc */
    size_t len, cap;
    bool oversize, oom;
    long retry_after_ms;        /* from Retry-After, -1 when none */
    char errbuf[CURL_ERROR_SIZE];
};

struct job_list {
    struct job *head, *tail;
};

struct done {
    struct done *next;
    struct api_result *res;     /* owned until taken */
};

struct cancel {
    int owner;
    uint64_t upto;              /* jobs of owner with id <= upto are cancelled */
};

struct api {
    /* Configuration: written by api_new, read-only afterwards. */
    char *base_url;             /* no trailing slash */
    bool https;
    enum api_auth auth;
    char *auth_header;          /* basic: "Authorization: Basic ..." (secret, wiped) */
    char *client_key;           /* oauth (wiped) */
    char *client_secret;        /* oauth (secret, wiped) */
    long connect_ms, timeout_ms, deadline_ms;
    int max_retries;
    size_t max_body;
    int max_parallel;

    CURLM *multi;
    bool curl_ready;            /* curl_global_init succeeded */
    pthread_t thread;
    bool started;
    bool lock_ready;
    int wake[2];                /* completion pipe: [0] UI reads, [1] worker writes */

    pthread_mutex_t lock;
    /* Guarded by lock. */
    struct job_list inbox;
    struct cancel *cancels;
    size_t n_cancels, cap_cancels;
    struct done *done_head, *done_tail;
    bool wake_pending;
    bool stopping;
    uint64_t last_id;

    atomic_size_t in_flight;    /* submitted and not yet taken or dropped */

    /* Worker-only. */
    struct job_list ready, token_wait, sleeping;
    struct job *active;         /* in the multi handle (unordered) */
    int n_active;
    struct job *token_job;      /* the token fetch in progress, or NULL */
    char *token;                /* current OAuth token (wiped), or NULL */
    unsigned token_gen;         /* bumped on every new token */
    double token_refresh_at;    /* monotonic ms: 80% of its ttl */
    uint64_t rng;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* splitmix64: jitter only needs to spread clients apart, not be secret. */
static double rand_unit(struct api *api)
{
    uint64_t z = (api->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* Lists */

static void list_push(struct job_list *l, struct job *j)
{
    j->next = NULL;
    if (l->tail)
        l->tail->next = j;
    else
        l->head = j;
    l->tail = j;
}

static void list_push_front(struct job_list *l, struct job *j)
{
    j->next = l->head;
    l->head = j;
    if (!l->tail)
        l->tail = j;
}

static struct job *list_pop(struct job_list *l)
{
    struct job *j = l->head;
    if (j) {
        l->head = j->next;
        if (!l->head)
            l->tail = NULL;
        j->next = NULL;
    }
    return j;
}

/* Moves all of src to the front of dst, keeping src's order. */
static void list_prepend_all(struct job_list *dst, struct job_list *src)
{
    if (!src->head)
        return;
    src->tail->next = dst->head;
    if (!dst->tail)
        dst->tail = src->tail;
    dst->head = src->head;
    src->head = src->tail = NULL;
}

static void job_free(struct job *j)
{
    if (!j)
        return;
    if (j->token_fetch && j->req) {
        api_free_secret(j->req->body);
        j->req->body = NULL;
    }
    api_request_free(&j->req);
    if (j->buf && j->token_fetch)
        api_wipe(j->buf, j->len);
    free(j->buf);
    free(j);
}

static void result_free_node(struct done *d)
{
    api_result_free(&d->res);
    free(d);
}

/* Transfers (worker thread) */

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    struct job *j = ud;
    size_t len = size * n;
    if (len > j->limit - j->len) {
        j->oversize = true;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    if (j->len + len + 1 > j->cap) {
        size_t cap = j->cap ? j->cap : 4096;
        while (cap < j->len + len + 1)
            cap *= 2;
        if (cap > j->limit + 1)
            cap = j->limit + 1;
        char *b = realloc(j->buf, cap);
        if (!b) {
            j->oom = true;
            return 0;
        }
        j->buf = b;
        j->cap = cap;
    }
    memcpy(j->buf + j->len, p, len);
    j->len += len;
    j->buf[j->len] = '\0';
    return len;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct job *j = ud;
    size_t len = size * n;
    static const char name[] = "Retry-After:";
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
        j->retry_after_ms = -1; /* a new response (e.g. after 100 Continue) */
    } else if (len > sizeof name - 1 && strncasecmp(p, name, sizeof name - 1) == 0) {
        /* Only the delta-seconds form; an HTTP-date falls back to backoff. */
        const char *v = p + sizeof name - 1, *e = p + len;
        while (v < e && (*v == ' ' || *v == '\t'))
            v++;
        long secs = 0;
        int digits = 0;
        while (v < e && *v >= '0' && *v <= '9' && digits < 9) {
            secs = secs * 10 + (*v++ - '0');
            digits++;
        }
        while (v < e && (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'))
            v++;
        if (digits > 0 && v == e)
            j->retry_after_ms = (secs > RETRY_AFTER_CAP_S ? RETRY_AFTER_CAP_S : secs) * 1000;
    }
    return len;
}

static void wipe_headers(struct curl_slist *h)
{
    for (struct curl_slist *s = h; s; s = s->next)
        api_wipe(s->data, strlen(s->data));
    curl_slist_free_all(h);
}

static void transfer_release(struct job *j)
{
    if (j->easy)
        curl_easy_cleanup(j->easy);
    j->easy = NULL;
    wipe_headers(j->headers);
    j->headers = NULL;
}

static bool append_header(struct curl_slist **h, const char *line)
{
    struct curl_slist *n = curl_slist_append(*h, line);
    if (!n)
        return false;
    *h = n;
    return true;
}

static bool token_valid(const struct api *api, double now)
{
    return api->token && now < api->token_refresh_at;
}

/* Builds the easy handle for one attempt. false when curl could not (out of
 * memory); errbuf then says so. */
static bool transfer_setup(struct api *api, struct job *j)
{
    const struct api_request *req = j->req;
    CURL *e = curl_easy_init();
    if (!e)
        return false;
    j->easy = e;
    bool ok = true;
    ok &= append_header(&j->headers, "Accept: application/json");
    if (req->method != API_GET)
        ok &= append_header(&j->headers, "Content-Type: application/json");
    ok &= append_header(&j->headers, "Expect:");
    if (!j->token_fetch) {
        if (api->auth == API_AUTH_BASIC) {
            ok &= append_header(&j->headers, api->auth_header);
        } else {
            char *h = api_xasprintf("X-CAP-API-OAUTH-TOKEN: %s", api->token);
            ok &= append_header(&j->headers, h);
            api_free_secret(h);
            j->token_gen = api->token_gen;
        }
    }
    if (!ok)
        return false;

    char *url = api_xasprintf("%s%s", api->base_url, req->path);
    long timeout = req->timeout_ms > 0 ? req->timeout_ms : api->timeout_ms;
    if (j->attempts > 1 && !j->token_fetch) {
        /* A retry may not run past the deadline by a whole timeout; one
         * second is left so that it can still complete. */
        double left = j->submitted + (double)api->deadline_ms - now_ms();
        long cap = left < 1000 ? 1000 : (long)left;
        if (cap < timeout)
            timeout = cap;
    }
    CURLcode rc = CURLE_OK;
#define SET(opt, val) (rc = rc != CURLE_OK ? rc : curl_easy_setopt(e, opt, val))
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PRIVATE, (void *)j);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_CONNECTTIMEOUT_MS, api->connect_ms);
    SET(CURLOPT_TIMEOUT_MS, timeout);
#if LIBCURL_VERSION_NUM >= 0x075500
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
#else
    SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    if (api->https)
        SET(CURLOPT_PIPEWAIT, 1L);
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)j->limit);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_USERAGENT, "membercare/" MC_VERSION);
    SET(CURLOPT_HTTPHEADER, j->headers);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, (void *)j);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, (void *)j);
    SET(CURLOPT_ERRORBUFFER, j->errbuf);
    if (req->method == API_GET) {
        SET(CURLOPT_HTTPGET, 1L);
    } else {
        /* PUT sends its body the way POST does, under another verb. */
        SET(CURLOPT_POST, 1L);
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body ? strlen(req->body) : 0));
        SET(CURLOPT_POSTFIELDS, req->body ? req->body : "");
        if (req->method == API_PUT)
            SET(CURLOPT_CUSTOMREQUEST, "PUT");
    }
#undef SET
    free(url); /* curl copied it */
    return rc == CURLE_OK;
}

static void post_result(struct api *api, struct job *j, struct api_error *err, void *data);
static void worker_job_gone(struct api *api);
static void attempt_failed(struct api *api, struct job *j, struct api_error *err);
static void token_fail_waiters(struct api *api, const struct api_error *err);

/* Starts one attempt of j (its token, if any, is valid). */
static void transfer_start(struct api *api, struct job *j)
{
    j->attempts++;
    j->len = 0;
    j->oversize = j->oom = false;
    j->retry_after_ms = -1;
    j->errbuf[0] = '\0';
    if (!transfer_setup(api, j) || curl_multi_add_handle(api->multi, j->easy) != CURLM_OK) {
        transfer_release(j);
        struct api_error err;
        api_error_set(&err, API_NETWORK, 0, 0, "could not start the transfer (out of memory)");
        if (j->token_fetch) {
            api->token_job = NULL;
            job_free(j);
            token_fail_waiters(api, &err);
        } else {
            attempt_failed(api, j, &err);
        }
        return;
    }
    j->next = api->active;
    api->active = j;
    api->n_active++;
}

static void token_fetch_start(struct api *api)
{
    if (api->token_job)
        return;
    struct job *t = api_xcalloc(1, sizeof *t);
    t->token_fetch = true;
    t->limit = api->max_body;
    t->submitted = now_ms();
    t->req = api_request_new(API_CUSTOMER, API_POST, api_xstrdup("/v3/oauth/token/generate"),
                             api_oauth_body(api->client_key, api->client_secret));
    api->token_job = t;
    transfer_start(api, t);
}

static void active_remove(struct api *api, struct job *j)
{
    for (struct job **pp = &api->active; *pp; pp = &(*pp)->next) {
        if (*pp == j) {
            *pp = j->next;
            j->next = NULL;
            api->n_active--;
            return;
        }
    }
}

/* Starts ready jobs while slots are free; OAuth jobs without a valid token
 * wait for one. */
static void start_ready(struct api *api, double now)
{
    while (api->ready.head && api->n_active < api->max_parallel) {
        struct job *j = list_pop(&api->ready);
        if (api->auth == API_AUTH_OAUTH && !token_valid(api, now)) {
            list_push(&api->token_wait, j);
            token_fetch_start(api);
            continue;
        }
        transfer_start(api, j);
    }
}

/* Error values from the transfer itself (no HTTP answer to decode). */
static void transfer_error(const struct job *j, CURLcode rc, long status, struct api_error *err)
{
    const char *why = j->errbuf[0] ? j->errbuf : curl_easy_strerror(rc);
    if (j->oversize || rc == CURLE_FILESIZE_EXCEEDED)
        api_error_set(err, API_DECODE, status, 0, "response larger than %zu bytes refused",
                      j->limit);
    else if (j->oom)
        api_error_set(err, API_DECODE, status, 0, "out of memory reading the response");
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        api_error_set(err, API_TIMEOUT, status, 0, "%s", why);
    else if (rc == CURLE_BAD_CONTENT_ENCODING)
        api_error_set(err, API_DECODE, status, 0, "response could not be decompressed: %s", why);
    else
        api_error_set(err, API_NETWORK, status, 0, "%s", why);
}

static bool retryable(const struct api_error *err)
{
    if (err->kind == API_NETWORK || err->kind == API_TIMEOUT)
        return true;
    if (err->kind != API_HTTP && err->kind != API_REMOTE)
        return false;
    long s = err->http_status;
    return s == 429 || s == 461 || (s >= 500 && s <= 599);
}

/* Schedules another attempt of a GET when the rules allow; false when the
 * failure is final. */
static bool schedule_retry(struct api *api, struct job *j, const struct api_error *err)
{
    if (j->token_fetch || j->req->method != API_GET || !retryable(err))
        return false;
    if (api->max_retries < 0 || j->attempts > api->max_retries)
        return false;
    double base = err->http_status == 429 && j->retry_after_ms < 0 ? BACKOFF_429_MS
                                                                   : BACKOFF_BASE_MS;
    double ceiling = base;
    for (int i = 1; i < j->attempts && ceiling < BACKOFF_CAP_MS; i++)
        ceiling *= 2;
    if (ceiling > BACKOFF_CAP_MS)
        ceiling = BACKOFF_CAP_MS;
    double delay = rand_unit(api) * ceiling;
    if (j->retry_after_ms >= 0 && delay < (double)j->retry_after_ms)
        delay = (double)j->retry_after_ms;
    double now = now_ms();
    if (now + delay > j->submitted + (double)api->deadline_ms)
        return false;
    j->due = now + delay;
    list_push(&api->sleeping, j);
    return true;
}

/* One attempt failed without a decodable answer, or with an error answer:
 * retry, or report. */
static void attempt_failed(struct api *api, struct job *j, struct api_error *err)
{
    if (j->token_fetch)
        return; /* token_finish reports on behalf of the waiting jobs */
    if (!schedule_retry(api, j, err))
        post_result(api, j, err, NULL);
}

static bool cancelled_locked(const struct api *api, const struct job *j)
{
    for (size_t i = 0; i < api->n_cancels; i++)
        if (api->cancels[i].owner == j->req->owner && j->id <= api->cancels[i].upto)
            return true;
    return false;
}

/* Hands a finished job's result to the UI (or drops it when its owner has
 * cancelled since). Takes ownership of j and data. */
/* A job the worker drops unseen (cancelled) posts nothing, yet the UI shows
 * "loading" for as long as anything is in flight: when the last one goes,
 * wake the UI so it can look again. */
static void worker_job_gone(struct api *api)
{
    if (atomic_fetch_sub(&api->in_flight, 1) != 1)
        return;
    pthread_mutex_lock(&api->lock);
    if (!api->wake_pending) {
        api->wake_pending = true;
        ssize_t w;
        do
            w = write(api->wake[1], "r", 1);
        while (w < 0 && errno == EINTR);
    }
    pthread_mutex_unlock(&api->lock);
}

static void post_result(struct api *api, struct job *j, struct api_error *err, void *data)
{
    struct api_result *res = api_xcalloc(1, sizeof *res);
    res->id = j->id;
    res->owner = j->req->owner;
    res->generation = j->req->generation;
    res->tag = j->req->tag;
    res->method = j->req->method;
    res->kind = j->req->kind;
    res->err = *err;
    res->data = err->kind == API_OK ? data : NULL;
    if (err->kind != API_OK)
        api_model_free(j->req->kind, &data);
    res->elapsed_ms = now_ms() - j->submitted;
    res->attempts = j->attempts > 0 ? j->attempts : 1;
    struct done *d = api_xmalloc(sizeof *d);
    d->next = NULL;
    d->res = res;

    pthread_mutex_lock(&api->lock);
    bool drop = cancelled_locked(api, j);
    if (!drop) {
        if (api->done_tail)
            api->done_tail->next = d;
        else
            api->done_head = d;
        api->done_tail = d;
        if (!api->wake_pending) {
            api->wake_pending = true;
            ssize_t w;
            do
                w = write(api->wake[1], "r", 1);
            while (w < 0 && errno == EINTR);
        }
    }
    pthread_mutex_unlock(&api->lock);
    if (drop) {
        result_free_node(d);
        worker_job_gone(api);
    }
    job_free(j);
}

static void token_finish(struct api *api, struct job *t, CURLcode rc, long status)
{
    struct api_error err;
    char *tok = NULL;
    long ttl = 0;
    api->token_job = NULL;
    if (rc != CURLE_OK)
        transfer_error(t, rc, status, &err);
    else
        api_decode_token(status, t->buf, t->len, &tok, &ttl, &err);
    job_free(t);

    if (err.kind == API_OK) {
        api_free_secret(api->token);
        api->token = tok;
        api->token_gen++;
        if (ttl <= 0)
            ttl = TOKEN_TTL_DEFAULT_S;
        if (ttl > TOKEN_TTL_MAX_S)
            ttl = TOKEN_TTL_MAX_S;
        api->token_refresh_at = now_ms() + (double)ttl * 800.0;
        list_prepend_all(&api->ready, &api->token_wait);
        return;
    }
    token_fail_waiters(api, &err);
}

/* The token could not be had: every request waiting for it fails this
 * attempt with the token's error (GETs may retry, which fetches again). */
static void token_fail_waiters(struct api *api, const struct api_error *err)
{
    struct job_list waiting = api->token_wait;
    api->token_wait.head = api->token_wait.tail = NULL;
    struct job *j;
    while ((j = list_pop(&waiting)) != NULL) {
        struct api_error e = *err;
        j->attempts++;
        j->retry_after_ms = -1;
        attempt_failed(api, j, &e);
    }
}

/* A transfer ended (worker thread): decode, then retry, re-authenticate or
 * report. */
static void transfer_done(struct api *api, struct job *j, CURLcode rc)
{
    long status = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_multi_remove_handle(api->multi, j->easy);
    active_remove(api, j);
    transfer_release(j);
    if (j->token_fetch) {
        token_finish(api, j, rc, status);
        return;
    }

    struct api_error err;
    void *data = NULL;
    if (rc != CURLE_OK)
        transfer_error(j, rc, status, &err);
    else
        api_decode(j->req->kind, status, j->buf, j->len, &data, &err);
    free(j->buf);
    j->buf = NULL;
    j->len = j->cap = 0;

    if (err.kind == API_HTTP && status == 401 && api->auth == API_AUTH_OAUTH) {
        if (!j->auth_retried) {
            /* A refused token is replaced once; a request is safe to resend
             * because a 401 means the server did not act on it. */
            j->auth_retried = true;
            if (j->token_gen == api->token_gen) {
                api_free_secret(api->token);
                api->token = NULL;
            }
            list_push_front(&api->ready, j);
            return;
        }
        api_error_set(&err, API_HTTP, 401, err.code,
                      "authentication failed (401): the OAuth token was refused");
    }
    bool never_sent = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
                      rc == CURLE_COULDNT_RESOLVE_PROXY;
    api_error_mark_outcome(&err, j->req->method, never_sent);
    if (err.kind == API_OK)
        post_result(api, j, &err, data);
    else
        attempt_failed(api, j, &err);
}

static void drop_job(struct api *api, struct job *j)
{
    job_free(j);
    worker_job_gone(api);
}

static bool matches(const struct job *j, const struct cancel *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].owner == j->req->owner && j->id <= c[i].upto)
            return true;
    return false;
}

static void cancel_in_list(struct api *api, struct job_list *l, const struct cancel *c, size_t n)
{
    struct job_list keep = { NULL, NULL };
    struct job *j;
    while ((j = list_pop(l)) != NULL) {
        if (matches(j, c, n))
            drop_job(api, j);
        else
            list_push(&keep, j);
    }
    *l = keep;
}

static void apply_cancels(struct api *api, const struct cancel *c, size_t n)
{
    if (n == 0)
        return;
    cancel_in_list(api, &api->ready, c, n);
    cancel_in_list(api, &api->token_wait, c, n);
    cancel_in_list(api, &api->sleeping, c, n);
    struct job **pp = &api->active;
    while (*pp) {
        struct job *j = *pp;
        if (!j->token_fetch && matches(j, c, n)) {
            *pp = j->next;
            api->n_active--;
            curl_multi_remove_handle(api->multi, j->easy);
            transfer_release(j);
            drop_job(api, j);
        } else {
            pp = &j->next;
        }
    }
}

static void wake_sleepers(struct api *api, double now)
{
    struct job_list keep = { NULL, NULL };
    struct job *j;
    while ((j = list_pop(&api->sleeping)) != NULL) {
        if (j->due <= now)
            list_push(&api->ready, j);
        else
            list_push(&keep, j);
    }
    api->sleeping = keep;
}

static void worker_shutdown(struct api *api)
{
    struct job *j;
    while ((j = api->active) != NULL) {
        api->active = j->next;
        curl_multi_remove_handle(api->multi, j->easy);
        transfer_release(j);
        job_free(j);
    }
    api->n_active = 0;
    api->token_job = NULL;
    while ((j = list_pop(&api->ready)) != NULL)
        job_free(j);
    while ((j = list_pop(&api->token_wait)) != NULL)
        job_free(j);
    while ((j = list_pop(&api->sleeping)) != NULL)
        job_free(j);
    api_free_secret(api->token);
    api->token = NULL;
}

static void *worker_main(void *arg)
{
    struct api *api = arg;
    for (;;) {
        pthread_mutex_lock(&api->lock);
        bool stop = api->stopping;
        struct job_list in = api->inbox;
        api->inbox.head = api->inbox.tail = NULL;
        struct cancel *c = api->cancels;
        size_t nc = api->n_cancels;
        api->cancels = NULL;
        api->n_cancels = api->cap_cancels = 0;
        pthread_mutex_unlock(&api->lock);

        if (stop) {
            free(c);
            struct job *j;
            while ((j = list_pop(&in)) != NULL)
                job_free(j);
            break;
        }
        apply_cancels(api, c, nc);
        free(c);
        struct job *j;
        while ((j = list_pop(&in)) != NULL)
            list_push(&api->ready, j);

        double now = now_ms();
        wake_sleepers(api, now);
        start_ready(api, now);

        int running = 0;
        curl_multi_perform(api->multi, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(api->multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURLcode rc = msg->data.result;
            char *priv = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
            if (priv)
                transfer_done(api, (struct job *)(void *)priv, rc);
        }

        /* Finished transfers may have put jobs back to ready (a new token,
         * a 401 re-send) or to sleep (a retry): the wait depends on both. */
        int timeout = IDLE_POLL_MS;
        if (api->ready.head && api->n_active < api->max_parallel)
            timeout = 0;
        if (api->sleeping.head && timeout > 0) {
            double due = -1;
            for (struct job *s = api->sleeping.head; s; s = s->next)
                if (due < 0 || s->due < due)
                    due = s->due;
            double wait = due - now_ms();
            int t = wait <= 0 ? 0 : (int)wait + 1;
            if (t < timeout)
                timeout = t;
        }
        if (timeout > 0)
            curl_multi_poll(api->multi, NULL, 0, timeout, NULL);
    }
    worker_shutdown(api);
    return NULL;
}

/* UI-thread API */

static bool header_safe(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

static bool set_fd_flags(int fd)
{
    int fl = fcntl(fd, F_GETFL);
    int fdfl = fcntl(fd, F_GETFD);
    return fl >= 0 && fdfl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0 &&
           fcntl(fd, F_SETFD, fdfl | FD_CLOEXEC) == 0;
}

static bool config_check(const struct api_config *cfg, struct api_error *err)
{
    if (!cfg || !cfg->base_url) {
        api_error_set(err, API_NETWORK, 0, 0, "no server address configured");
        return false;
    }
    const char *u = cfg->base_url;
    if ((strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0) || !header_safe(u) ||
        strchr(u, ' ')) {
        api_error_set(err, API_NETWORK, 0, 0,
                      "server address must start with https:// or http:// (got \"%.80s\")", u);
        return false;
    }
    char why[160];
    if (!api_host_allowed(u, why, sizeof why)) {
        api_error_set(err, API_NETWORK, 0, 0, "%s", why);
        return false;
    }
    if (cfg->auth == API_AUTH_BASIC) {
        if (!cfg->user || !cfg->user[0] || !cfg->password) {
            api_error_set(err, API_HTTP, 0, 0, "basic authentication needs a till id and password");
            return false;
        }
        if (strchr(cfg->user, ':') || !header_safe(cfg->user)) {
            api_error_set(err, API_HTTP, 0, 0,
                          "the till id must not contain ':' or control characters");
            return false;
        }
    } else if (cfg->auth == API_AUTH_OAUTH) {
        if (!cfg->client_key || !cfg->client_key[0] || !cfg->client_secret ||
            !cfg->client_secret[0]) {
            api_error_set(err, API_HTTP, 0, 0, "OAuth needs a client key and secret");
            return false;
        }
    } else {
        api_error_set(err, API_HTTP, 0, 0, "unknown authentication kind");
        return false;
    }
    return true;
}

struct api *api_new(const struct api_config *cfg, struct api_error *err)
{
    struct api_error scratch;
    if (!err)
        err = &scratch;
    if (!config_check(cfg, err))
        return NULL;

    struct api *api = api_xcalloc(1, sizeof *api);
    api->wake[0] = api->wake[1] = -1;
    atomic_init(&api->in_flight, 0);
    size_t ulen = strlen(cfg->base_url);
    while (ulen > 0 && cfg->base_url[ulen - 1] == '/')
        ulen--;
    api->base_url = api_xstrndup(cfg->base_url, ulen);
    api->https = strncmp(api->base_url, "https://", 8) == 0;
    api->auth = cfg->auth;
    api->connect_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : DEFAULT_CONNECT_MS;
    api->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : DEFAULT_TIMEOUT_MS;
    api->deadline_ms = cfg->retry_deadline_ms > 0 ? cfg->retry_deadline_ms : DEFAULT_DEADLINE_MS;
    api->max_retries = cfg->max_retries < 0 ? -1 : cfg->max_retries > 0 ? cfg->max_retries
                                                                          : DEFAULT_RETRIES;
    api->max_body = cfg->max_body > 0 ? cfg->max_body : DEFAULT_MAX_BODY;
    api->max_parallel = cfg->max_parallel > 0 ? cfg->max_parallel : DEFAULT_PARALLEL;
    api->rng = (uint64_t)now_ms() ^ (uint64_t)(uintptr_t)api ^ ((uint64_t)getpid() << 32);

    if (cfg->auth == API_AUTH_BASIC) {
        api->auth_header = api_basic_auth_header(cfg->user, cfg->password);
    } else {
        api->client_key = api_xstrdup(cfg->client_key);
        api->client_secret = api_xstrdup(cfg->client_secret);
    }

    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        api_error_set(err, API_NETWORK, 0, 0, "libcurl could not be initialised");
        goto fail;
    }
    api->curl_ready = true;
    api->multi = curl_multi_init();
    if (!api->multi) {
        api_error_set(err, API_NETWORK, 0, 0, "libcurl could not be initialised");
        goto fail;
    }
    curl_multi_setopt(api->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(api->multi, CURLMOPT_MAXCONNECTS, (long)api->max_parallel * 2);

    if (pipe(api->wake) != 0 || !set_fd_flags(api->wake[0]) || !set_fd_flags(api->wake[1])) {
        api_error_set(err, API_NETWORK, 0, 0, "could not create the completion pipe: %s",
                      strerror(errno));
        goto fail;
    }
    if (pthread_mutex_init(&api->lock, NULL) != 0) {
        api_error_set(err, API_NETWORK, 0, 0, "could not create a mutex");
        goto fail;
    }
    api->lock_ready = true;

    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&api->thread, NULL, worker_main, api);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        api_error_set(err, API_NETWORK, 0, 0, "could not start the request worker: %s",
                      strerror(rc));
        goto fail;
    }
    api->started = true;
    api_error_set(err, API_OK, 0, 0, NULL);
    return api;

fail:
    api_free(&api);
    return NULL;
}

void api_free(struct api **pp)
{
    if (!pp || !*pp)
        return;
    struct api *api = *pp;
    if (api->started) {
        pthread_mutex_lock(&api->lock);
        api->stopping = true;
        pthread_mutex_unlock(&api->lock);
        curl_multi_wakeup(api->multi);
        pthread_join(api->thread, NULL);
    }
    struct job *j;
    while ((j = list_pop(&api->inbox)) != NULL)
        job_free(j);
    while (api->done_head) {
        struct done *d = api->done_head;
        api->done_head = d->next;
        result_free_node(d);
    }
    free(api->cancels);
    if (api->multi)
        curl_multi_cleanup(api->multi);
    if (api->curl_ready)
        curl_global_cleanup();
    if (api->wake[0] >= 0)
        close(api->wake[0]);
    if (api->wake[1] >= 0)
        close(api->wake[1]);
    if (api->lock_ready)
        pthread_mutex_destroy(&api->lock);
    api_free_secret(api->auth_header);
    api_free_secret(api->client_key);
    api_free_secret(api->client_secret);
    api_free_secret(api->token);
    free(api->base_url);
    api_wipe(api, sizeof *api);
    free(api);
    *pp = NULL;
}

uint64_t api_submit(struct api *api, struct api_request *req)
{
    if (!api || !req || (unsigned)req->kind >= API_KIND_COUNT || !req->path ||
        req->path[0] != '/' || !header_safe(req->path) || strchr(req->path, ' ') ||
        (req->method != API_GET && req->method != API_POST && req->method != API_PUT)) {
        api_request_free(&req);
        return 0;
    }
    struct job *j = api_xcalloc(1, sizeof *j);
    j->req = req;
    j->submitted = now_ms();
    j->limit = api->max_body;
    j->retry_after_ms = -1;
    pthread_mutex_lock(&api->lock);
    j->id = ++api->last_id;
    uint64_t id = j->id;
    list_push(&api->inbox, j);
    atomic_fetch_add(&api->in_flight, 1);
    pthread_mutex_unlock(&api->lock);
    curl_multi_wakeup(api->multi);
    return id;
}

static void drain_locked(struct api *api)
{
    char buf[64];
    while (read(api->wake[0], buf, sizeof buf) > 0)
        ;
    api->wake_pending = false;
}

void api_cancel_owner(struct api *api, int owner)
{
    if (!api)
        return;
    pthread_mutex_lock(&api->lock);
    struct job_list keep = { NULL, NULL };
    struct job *j;
    while ((j = list_pop(&api->inbox)) != NULL) {
        if (j->req->owner == owner) {
            job_free(j);
            atomic_fetch_sub(&api->in_flight, 1);
        } else {
            list_push(&keep, j);
        }
    }
    api->inbox = keep;

    struct done **pp = &api->done_head;
    api->done_tail = NULL;
    while (*pp) {
        struct done *d = *pp;
        if (d->res->owner == owner) {
            *pp = d->next;
            result_free_node(d);
            atomic_fetch_sub(&api->in_flight, 1);
        } else {
            api->done_tail = d;
            pp = &d->next;
        }
    }
    if (!api->done_head)
        drain_locked(api);

    size_t i;
    for (i = 0; i < api->n_cancels && api->cancels[i].owner != owner; i++)
        ;
    if (i == api->n_cancels) {
        if (api->n_cancels == api->cap_cancels) {
            api->cap_cancels = api->cap_cancels ? api->cap_cancels * 2 : 8;
            api->cancels = api_xrealloc(api->cancels, api->cap_cancels * sizeof *api->cancels);
        }
        api->cancels[api->n_cancels++].owner = owner;
    }
    api->cancels[i].upto = api->last_id;
    pthread_mutex_unlock(&api->lock);
    curl_multi_wakeup(api->multi);
}

int api_wake_fd(const struct api *api)
{
    return api ? api->wake[0] : -1;
}

struct api_result *api_take_result(struct api *api)
{
    if (!api)
        return NULL;
    pthread_mutex_lock(&api->lock);
    struct done *d = api->done_head;
    if (d) {
        api->done_head = d->next;
        if (!api->done_head)
            api->done_tail = NULL;
    }
    if (!api->done_head)
        drain_locked(api);
    pthread_mutex_unlock(&api->lock);
    if (!d)
        return NULL;
    struct api_result *res = d->res;
    free(d);
    atomic_fetch_sub(&api->in_flight, 1);
    return res;
}

size_t api_in_flight(const struct api *api)
{
    return api ? atomic_load(&((struct api *)api)->in_flight) : 0;
}

void api_result_free(struct api_result **res)
{
    if (!res || !*res)
        return;
    api_model_free((*res)->kind, &(*res)->data);
    free(*res);
    *res = NULL;
}
