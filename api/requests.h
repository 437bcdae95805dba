/*
 * requests.h - goodwill and change-identifier requests, their approval,
 * the request log, a member's goodwill history, the org's goodwill
 * settings, and the local audit log's records: models, request kinds and
 * builders. Included by api/api.h; views include api/api.h only.
 *
 * Endpoints (part 2 §3.2-§3.8, part 1 §5.16):
 *   POST /v1.1/request/add, /v1.1/request/approve, /v1.1/request/reject
 *   GET  /v1.1/request/get, /v1.1/request/logs
 *   GET  /v2/customers/{id}/goodwillRequest
 *   GET  /v1.1/request/goodwill_config (UNCONFIRMED: see requests.c)
 *
 * Strings are heap copies owned by the struct that holds them, raw server
 * text (sanitised when drawn); a missing string is NULL. Times are kept as
 * the server sent them (v1.1 "YYYY-MM-DD HH:MM:SS" or ISO 8601).
 */
#ifndef MC_API_REQUESTS_H
#define MC_API_REQUESTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* request/get returns at most this many rows a page (§3.5). */
#define API_REQUEST_PAGE_MAX 50

/* Who raised or decided a request (a till, or a user for decisions). */
struct mc_actor {
    char *code;                 /* till code, or NULL */
    char *name;                 /* display name, or NULL */
};

/* One request as request/get and request/logs describe it. */
struct mc_request {
    int64_t id;
    char *reference_id;         /* the maker's reference (UNCONFIRMED field), or NULL */
    char *type;                 /* GOODWILL, CHANGE_IDENTIFIER */
    char *base_type;            /* POINTS, COUPON, MOBILE, EMAIL, EXTERNAL_ID, ... */
    char *status;               /* PENDING, APPROVED, REJECTED */
    bool has_points;
    double points;              /* requested goodwill points (UNCONFIRMED field) */
    int64_t series_id;          /* goodwill coupon series (UNCONFIRMED field), 0 = none */
    char *reason, *comments;
    char *old_value, *new_value;        /* identifier changes */
    char *approved_value;       /* points granted or coupon code, when approved */
    char *updated_comments;     /* the checker's comment */
    char *added_on, *last_action_on;
    struct mc_actor added_by, updated_by;
    int64_t customer_id;        /* customer.id (UNCONFIRMED field), 0 when not sent */
    char *first_name, *last_name, *mobile, *email, *external_id, *fraud_status;
};

/* GET /v1.1/request/get: goodwill then change_identifier rows, as sent. */
struct mc_request_page {
    struct mc_request *items;   /* owned */
    size_t n;
    long count;                 /* total matches, -1 when not sent */
};

/* One step of a request's history. */
struct mc_request_step {
    char *action;               /* RAISED, APPROVED, REJECTED, ... */
    char *who;                  /* till code or user name, or NULL */
    char *time;
    char *comments;
};

/* GET /v1.1/request/logs for one request: the request and its history. */
struct mc_request_trail {
    bool found;                 /* false: the server listed no such request */
    struct mc_request req;
    struct mc_request_step *steps; /* oldest first (owned) */
    size_t n_steps;
};

/* One item's outcome of add / approve / reject. */
struct mc_request_outcome {
    bool ok;
    long code;                  /* item_status code: 9100 / 9000 on success */
    char *message;
    int64_t id;                 /* the request's id, 0 when not sent */
    char *reference_id;
    char *status;               /* PENDING / APPROVED / REJECTED, or NULL */
    char *approved_value;
    char *assoc_id;
};

struct mc_request_outcomes {
    struct mc_request_outcome *items; /* in request order (owned) */
    size_t n;
    long code;                  /* request-level status code: 200, 201, 500 */
    char *message;
};

/* One goodwill request of a member (GET /v2/customers/{id}/goodwillRequest). */
struct mc_goodwill {
    int64_t id, request_id;
    char *type;                 /* POINTS / COUPON */
    char *status;               /* PENDING / APPROVED / REJECTED */
    char *reason, *comments, *updated_comments;
    char *approved_value;       /* only when approved */
    char *added_on, *updated_on;
    struct mc_actor added_by, updated_by;
    bool has_points;
    double points;              /* requested points (UNCONFIRMED field) */
    int64_t series_id;
};

struct mc_goodwill_page {
    struct mc_goodwill *items;  /* newest first, as sent (owned) */
    size_t n;
    long offset, limit, total;  /* total -1 when not sent */
};

struct mc_reason {
    char *code;
    char *description;          /* may be NULL */
};

struct mc_series_choice {
    int64_t id;
    char *code, *description;   /* may be NULL */
};

/* The org's goodwill settings (UNCONFIRMED endpoint). */
struct mc_goodwill_config {
    struct mc_reason *reasons;  /* owned */
    size_t n_reasons;
    struct mc_series_choice *series; /* goodwill-enabled coupon series (owned) */
    size_t n_series;
    double points_cap;          /* points per request; 0 = not known */
};

/* Kinds of this resource: _(NAME, model type, free function) */
#define API_KINDS_REQUESTS(_)                                               \
    _(REQUEST_LIST, struct mc_request_page, mc_request_page_free)           \
    _(REQUEST_TRAIL, struct mc_request_trail, mc_request_trail_free)        \
    _(REQUEST_ADD, struct mc_request_outcomes, mc_request_outcomes_free)    \
    _(REQUEST_APPROVE, struct mc_request_outcomes, mc_request_outcomes_free)\
    _(REQUEST_REJECT, struct mc_request_outcomes, mc_request_outcomes_free) \
    _(GOODWILL_HISTORY, struct mc_goodwill_page, mc_goodwill_page_free)     \
    _(GOODWILL_CONFIG, struct mc_goodwill_config, mc_goodwill_config_free)

void mc_request_page_free(struct mc_request_page **p);
void mc_request_trail_free(struct mc_request_trail **t);
void mc_request_outcomes_free(struct mc_request_outcomes **o);

/*
 * The error of a request write whose item `x` (NULL when the answer listed
 * none) was not ok: the item's own refusal, else the transport's error; a
 * success that names no request may still have been carried out, so it is
 * an unknown outcome.
 */
struct api_result;
void mc_request_outcome_error(const struct api_result *res, const struct mc_request_outcome *x,
                              struct api_error *err);
void mc_goodwill_page_free(struct mc_goodwill_page **p);
void mc_goodwill_config_free(struct mc_goodwill_config **c);
/* Frees the strings of one request (not r itself). */
void mc_request_clear(struct mc_request *r);

/* Builders (pure; never NULL). */

/* Filters of GET /v1.1/request/get. NULL or "" leaves a filter out. */
struct mc_request_filter {
    const char *type;           /* GOODWILL, CHANGE_IDENTIFIER */
    const char *base_type;      /* POINTS, COUPON, EMAIL, ... */
    const char *status;         /* PENDING, APPROVED, REJECTED */
    const char *start_date;     /* YYYY-MM-DD, raised on or after */
    const char *end_date;       /* YYYY-MM-DD, raised on or before */
    const char *added_by;       /* the raising till's code */
    const char *member;         /* a member identifier: mobile, email, external id or id:NNN */
};

/* GET /v1.1/request/get?format=json&..&start_limit=offset&limit=limit (limit 1..50). */
struct api_request *api_request_list(const struct mc_request_filter *f, long offset, long limit);
/* GET /v1.1/request/logs?format=json&request_id=ID&type=..&base_type=..&start_date=..&end_date=..
 * (the dates bracket the day the request was raised). */
struct api_request *api_request_trail(int64_t id, const char *type, const char *base_type,
                                      const char *start_date, const char *end_date);

/* A goodwill request to raise. */
struct mc_goodwill_new {
    int64_t customer_id;        /* sent as customer.id when > 0 */
    const char *mobile;         /* else customer.mobile */
    const char *reference_id;   /* client-generated, the same for a resubmission */
    bool coupon;                /* COUPON (series_id) rather than POINTS (points) */
    double points;
    int64_t series_id;
    const char *reason, *comments;
};
/* POST /v1.1/request/add?format=json with one GOODWILL item. */
struct api_request *api_request_add_goodwill(const struct mc_goodwill_new *g);

/* A checker's decision on one request. */
struct mc_request_decision {
    int64_t id;
    const char *type, *base_type;
    const char *comments;       /* updated_comments, may be NULL */
    double points;              /* approve: another amount than requested, 0 = as requested */
    int64_t series_id;          /* approve: the coupon series, 0 = none sent */
};
/* POST /v1.1/request/approve?format=json with one item. */
struct api_request *api_request_approve(const struct mc_request_decision *d);
/* POST /v1.1/request/reject?format=json with one item (points/series ignored). */
struct api_request *api_request_reject(const struct mc_request_decision *d);

/* GET /v2/customers/{id}/goodwillRequest?offset=..&limit=.. */
struct api_request *api_goodwill_history(int64_t customer_id, long offset, long limit);
/* GET /v1.1/request/goodwill_config?format=json */
struct api_request *api_goodwill_config(void);

/* Item codes with a meaning the console acts on (part 2 §3.7). */
#define API_REQ_DUPLICATE 9055      /* reference_id already used: already raised */
#define API_REQ_NOT_PENDING 9052    /* decided already */
#define API_REQ_SAME_USER 9051      /* also 9056: the maker cannot approve */

/* The local audit log (tui writes it as JSON lines); parsed here because
 * only api/ reads JSON. */
enum mc_audit_state { MC_AUDIT_SENT, MC_AUDIT_OK, MC_AUDIT_FAILED, MC_AUDIT_UNKNOWN };

struct mc_audit_entry {
    long id;
    char *time, *till, *action, *ref, *detail; /* from the "sent" record */
    int64_t member;
    enum mc_audit_state state;  /* SENT: no outcome recorded (crash or still running) */
    char *done_time, *response_id, *message; /* from the "done" record, or NULL */
};

struct mc_audit_log {
    struct mc_audit_entry *items; /* in the order they were sent (owned) */
    size_t n;
    size_t bad_lines;           /* lines that were not audit records */
};

/* Parses audit.jsonl text (pure). Never NULL. */
struct mc_audit_log *api_audit_parse(const char *text, size_t len);
void mc_audit_log_free(struct mc_audit_log **l);

#endif
