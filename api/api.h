/*
 * api.h - the only api header views and the composition root include.
 *
 * The api layer owns one worker thread with a libcurl multi handle. The UI
 * thread builds requests with the builders below, submits them (ownership
 * passes to the worker), polls api_wake_fd() and takes decoded results with
 * api_take_result(). Only the worker thread calls libcurl or jansson.
 *
 * Every result carries the (owner, generation) its request was submitted
 * with: owners are view ids, so a view that is gone or has reloaded since can
 * recognise and drop a stale answer.
 */
#ifndef MC_API_API_H
#define MC_API_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/model.h"
/* Resource headers: their models, kinds (API_KINDS_<AREA>) and builders. */
#include "api/ledger.h"
#include "api/coupons.h"
#include "api/tickets.h"
#include "api/requests.h"

/* Request kinds: one per decoder. _(NAME, model type freed by free_fn).
 * Later resources append their kinds here. */
#define API_KIND_LIST(_)                                               \
    _(CUSTOMER, struct mc_customer, mc_customer_free)                  \
    _(SEARCH, struct mc_search_page, mc_search_page_free)              \
    _(BALANCE, struct mc_balance, mc_balance_free)                     \
    _(EVENTS, struct mc_event_page, mc_event_page_free)                \
    API_KINDS_LEDGER(_)                                                \
    API_KINDS_COUPONS(_)                                               \
    API_KINDS_TICKETS(_)                                               \
    API_KINDS_REQUESTS(_)

enum api_kind {
#define API_KIND_ENUM(name, type, free_fn) API_##name,
    API_KIND_LIST(API_KIND_ENUM)
#undef API_KIND_ENUM
    API_KIND_COUNT
};

enum api_method { API_GET, API_POST, API_PUT };

struct api_request {
    enum api_kind kind;
    enum api_method method;
    char *path;          /* path + encoded query, e.g. "/v2/customers/search?q=asha" (owned) */
    char *body;          /* JSON body for writes, or NULL (owned) */
    int owner;           /* view id that will receive the result */
    unsigned generation; /* the owner's generation when submitted */
    int tag;             /* free for the owner: which part of a screen, which row */
    long timeout_ms;     /* 0 = the api's default */
};

struct api_result {
    uint64_t id;         /* what api_submit returned */
    int owner;
    unsigned generation;
    int tag;
    enum api_kind kind;
    struct api_error err;/* err.kind == API_OK on success */
    void *data;          /* decoded model of `kind` (owned), NULL unless API_OK */
    double elapsed_ms;   /* submit to completion, retries included */
    int attempts;        /* 1 unless retried */
    enum api_method method; /* the request's method: writes are not GET */
};

/* The decoded model of a result, or NULL when it failed or is of another kind. */
#define API_DATA(res, NAME, type) \
    ((res)->kind == API_##NAME && (res)->err.kind == API_OK ? (type *)(res)->data : NULL)

enum api_auth { API_AUTH_BASIC, API_AUTH_OAUTH };

struct api_config {
    const char *base_url;       /* "https://eu.api.capillarytech.com" or "http://127.0.0.1:PORT" */
    enum api_auth auth;
    const char *user;           /* till id (basic) */
    const char *password;       /* plain password (basic): hashed to MD5 hex in api_new, never kept */
    const char *client_key;     /* oauth */
    const char *client_secret;  /* oauth: kept in memory only, wiped by api_free */
    long connect_timeout_ms;    /* 0 = 5000 */
    long timeout_ms;            /* total per attempt; 0 = 20000 */
    long retry_deadline_ms;     /* GET retries stop after this; 0 = 30000 */
    int max_retries;            /* 0 = 4; -1 = none */
    size_t max_body;            /* responses larger are refused; 0 = 8 MiB */
    int max_parallel;           /* transfers running at once; 0 = 8 */
};

/* Lifecycle (UI thread) */

/* Starts the worker. Copies everything it needs from cfg (the password only
 * as the finished Basic header). NULL + err on failure: a missing or
 * malformed base_url, missing credentials, or no thread/pipe/libcurl.
 * Calls curl_global_init (reference-counted; thread-safe in libcurl >= 7.84,
 * otherwise call api_new before starting other curl-using threads). */
struct api *api_new(const struct api_config *cfg, struct api_error *err);
/* true when the console may send a till's credentials to url: https://, or
 * http:// to a loopback host (127.0.0.0/8, localhost, [::1]) with at most a
 * port. Otherwise false, with the reason in err. api_new applies it too. */
bool api_host_allowed(const char *url, char *err, size_t errlen);
/* Stops the worker, cancels every job, wipes secrets, frees. NULLs *api. */
void api_free(struct api **api);

/* Submitting and receiving (UI thread) */

/* Queues req (takes ownership, even on failure) and wakes the worker.
 * Returns the job id (> 0), or 0 when api or req is NULL or req is malformed
 * (unknown kind or method, a path that does not start with '/' or holds
 * spaces or control characters); req is then freed and no result follows.
 * Exactly one result follows every id > 0 unless its owner cancels. */
uint64_t api_submit(struct api *api, struct api_request *req);
/* Cancels every queued, running or retry-waiting job of owner submitted so
 * far, and drops its results not yet taken: the owner sees none of them.
 * Jobs the owner submits afterwards are unaffected. */
void api_cancel_owner(struct api *api, int owner);
/* Readable when results are waiting, and also when the last job in flight
 * was dropped unseen (cancelled), so a busy indicator can clear: a wake may
 * then find no result to take. */
int api_wake_fd(const struct api *api);
/* Next finished result, or NULL. The caller owns it. Drains the wake fd
 * once the queue is empty, so call it until NULL after each wake. */
struct api_result *api_take_result(struct api *api);
/* Jobs submitted and not yet taken (cancelled ones no longer count). */
size_t api_in_flight(const struct api *api);
void api_result_free(struct api_result **res);

/* Human words for an error, for the status line: "network: connection
 * refused", "8015: Customer not found for the given identifiers". */
const char *api_err_name(enum api_err kind);
void api_error_format(const struct api_error *err, char *buf, size_t n);

/* Request builders (any thread; pure). They never return NULL (out of
 * memory aborts). owner, generation, tag and timeout_ms start at 0. */

/* Frees a request that was built but never submitted; NULLs *req. */
void api_request_free(struct api_request **req);

/* GET /v2/customers/lookup/customerDetails?source=INSTORE&identifierName=..&identifierValue=..
 * &embed=points,mlp,expirySchedules&includedFraudDetails=true.
 * idname: mobile, email, externalId, cardnumber. */
struct api_request *api_customer_lookup(const char *idname, const char *value);
/* GET /v2/customers/{id}?source=INSTORE&embed=points,mlp,expirySchedules&includedFraudDetails=true */
struct api_request *api_customer_get(int64_t id);
/* GET /v2/customers/search?q=..&offset=..&limit=.. */
struct api_request *api_customer_search(const char *q, long offset, long limit);
/* GET /v2/customers/{id}/points/balance */
struct api_request *api_points_balance(int64_t id);
/* GET /v2/customers/{id}/loyaltyEvents?offset=..&limit=.. */
struct api_request *api_loyalty_events(int64_t id, long offset, long limit);

/* Which identifier a typed query looks like: "mobile", "email", "externalId",
 * "cardnumber", or NULL for a free-text (name) search. Pure. */
const char *api_guess_identifier(const char *query);

/* Decoders (pure functions of a body; used by the worker, tests and fuzzers).
 * Each returns API_OK and sets *out, or another api_err with err filled in;
 * http_status is what the server sent (a 4xx with an errors array decodes to
 * API_REMOTE with the server's code and message). */
enum api_err api_decode(enum api_kind kind, long http_status, const char *body, size_t len,
                        void **out, struct api_error *err);
void api_model_free(enum api_kind kind, void **data);

#endif
