/*
 * faults.c - the fault injector behind --latency, --jitter, --fail-rate,
 * --malformed-rate, --rate-limit and --fail-next-writes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sandbox/faults.h"
#include "sandbox/prng.h"

struct faults {
    struct faults_cfg cfg;
    pthread_mutex_t mu;    /* guards rng and the window */
    struct prng rng;
    int64_t *window;       /* owned ring of admission times (ns), rate_limit slots */
    size_t head, used;
    long writes_to_fail;   /* --fail-next-writes still to spend */
};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct faults *faults_new(const struct faults_cfg *cfg)
{
    struct faults *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->cfg = *cfg;
    f->writes_to_fail = cfg->fail_next_writes;
    if (cfg->rate_limit > 0) {
        f->window = calloc((size_t)cfg->rate_limit, sizeof *f->window);
        if (!f->window) {
            free(f);
            return NULL;
        }
    }
    uint64_t seed = cfg->seeded ? cfg->seed
                                : (uint64_t)mono_ns() ^ ((uint64_t)time(NULL) << 20) ^
                                      (uint64_t)getpid();
    prng_seed(&f->rng, seed);
    pthread_mutex_init(&f->mu, NULL);
    return f;
}

void faults_free(struct faults **fp)
{
    struct faults *f = *fp;
    if (!f)
        return;
    pthread_mutex_destroy(&f->mu);
    free(f->window);
    free(f);
    *fp = NULL;
}

bool faults_admit(struct faults *f, int *retry_after)
{
    if (f->cfg.rate_limit <= 0)
        return true;
    size_t cap = (size_t)f->cfg.rate_limit;
    int64_t now = mono_ns();
    bool ok = true;
    pthread_mutex_lock(&f->mu);
    if (f->used < cap) {
        f->window[(f->head + f->used) % cap] = now;
        f->used++;
    } else {
        int64_t oldest = f->window[f->head];
        if (now - oldest >= 1000000000LL) {
            f->window[f->head] = now;
            f->head = (f->head + 1) % cap;
        } else {
            ok = false;
            int64_t wait_ns = oldest + 1000000000LL - now;
            *retry_after = (int)((wait_ns + 999999999LL) / 1000000000LL);
            if (*retry_after < 1)
                *retry_after = 1;
        }
    }
    pthread_mutex_unlock(&f->mu);
    return ok;
}

static double draw(struct faults *f)
{
    pthread_mutex_lock(&f->mu);
    double v = prng_unit(&f->rng);
    pthread_mutex_unlock(&f->mu);
    return v;
}

long faults_delay_ms(struct faults *f)
{
    long d = f->cfg.latency_ms;
    if (f->cfg.jitter_ms > 0)
        d += (long)(draw(f) * (double)(f->cfg.jitter_ms + 1));
    return d;
}

bool faults_fail(struct faults *f)
{
    return f->cfg.fail_rate > 0 && draw(f) < f->cfg.fail_rate;
}

bool faults_fail_write(struct faults *f, const char *method)
{
    if (!method || strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0)
        return false;
    pthread_mutex_lock(&f->mu);
    bool fail = f->writes_to_fail > 0;
    if (fail)
        f->writes_to_fail--;
    pthread_mutex_unlock(&f->mu);
    return fail;
}

/* Every top-level value turns into a type a decoder does not expect. */
static json_t *wrong_types(const char *body, size_t len)
{
    json_t *in = json_loadb(body ? body : "", len, 0, NULL);
    json_t *out = json_object();
    if (json_is_object(in)) {
        const char *key;
        json_t *v;
        json_object_foreach(in, key, v) {
            json_t *w;
            if (json_is_string(v))
                w = json_integer(0);
            else if (json_is_number(v))
                w = json_string("not a number");
            else if (json_is_null(v))
                w = json_string("null");
            else
                w = json_string("unexpected");
            json_object_set_new(out, key, w);
        }
        if (json_object_size(out) == 0)
            json_object_set_new(out, "data", json_string("unexpected"));
    } else {
        json_decref(out);
        out = json_pack("[s]", "unexpected");
    }
    json_decref(in);
    return out;
}

const char *faults_malform(struct faults *f, struct sb_resp *resp)
{
    if (f->cfg.malformed_rate <= 0 || draw(f) >= f->cfg.malformed_rate)
        return NULL;
    pthread_mutex_lock(&f->mu);
    int kind = (int)prng_range(&f->rng, 0, 3);
    bool gateway = prng_chance(&f->rng, 0.5);
    pthread_mutex_unlock(&f->mu);
    switch (kind) {
    case 0:
        /* Cut inside the document, never at its end, so it cannot parse. */
        if (resp->len > 1) {
            resp->len /= 2;
        } else {
            sb_reply_raw(resp, resp->status ? resp->status : 200, "application/json", "{\"id\":",
                         6);
        }
        return "truncated";
    case 1: {
        static const char page[] =
            "<html><head><title>502 Bad Gateway</title></head><body>"
            "<h1>502 Bad Gateway</h1><hr><center>nginx</center></body></html>\n";
        sb_reply_raw(resp, gateway ? 502 : 200, "text/html", page, sizeof page - 1);
        return "html";
    }
    case 2: {
        int status = resp->status;
        sb_reply_json(resp, status, wrong_types(resp->body, resp->len));
        return "wrong-types";
    }
    default:
        free(resp->body);
        resp->body = NULL;
        resp->len = 0;
        return "empty";
    }
}
