/*
 * model.h - the plain C structs the api layer decodes responses into.
 *
 * Views receive these and nothing else: no json_t, no curl handle. Every
 * string is a NUL-terminated heap copy owned by the struct that holds it
 * and freed by that struct's *_free function; strings are raw server text
 * (unsanitised): the tui layer sanitises at draw time. A missing optional
 * field decodes to NULL (strings) or 0 / NAN (numbers) as documented per
 * field, never to an error.
 */
#ifndef MC_API_MODEL_H
#define MC_API_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Errors are values. API_REMOTE means the server answered with its own
 * error code and message (an `errors` array, an item_status failure). */
enum api_err {
    API_OK = 0,
    API_NETWORK,   /* could not connect, connection reset, TLS failure */
    API_TIMEOUT,   /* connect or total timeout */
    API_HTTP,      /* unexpected HTTP status with no decodable error body */
    API_DECODE,    /* body is not what the endpoint documents */
    API_REMOTE,    /* server-reported error: code + message */
    API_CANCELLED, /* cancelled by its owner before completion */
};

struct api_error {
    enum api_err kind;
    long http_status; /* 0 when no response arrived */
    long code;        /* server's code (8015, 9052, ...) or 0 */
    char message[256];/* human-readable, raw server text or our own words */
    /* A write (POST/PUT) that may have been carried out although no answer
     * the console could read said so: the connection broke after sending, it
     * timed out, or the answer was a 5xx without the API's error envelope or
     * a body that does not decode. Set by the worker; false for reads and for
     * refusals the server stated (an error envelope, 4xx, 429) or requests
     * that never left (connection refused). */
    bool unknown_outcome;
};

/* A member as the customer screen shows it (v2 lookup/customerDetails or
 * v2 customers/{id}, with embed=points,mlp,expirySchedules). */
struct mc_expiry {
    double points;
    char *date;                 /* YYYY-MM-DD */
};

struct mc_customer {
    int64_t id;
    char *first_name, *last_name;
    char *mobile, *email, *external_id, *card_number; /* NULL when absent */
    char *source;               /* profile source, e.g. INSTORE */
    char *created_on;           /* ISO 8601 as sent */
    char *created_by;           /* till code that enrolled the member */
    char *loyalty_type;         /* loyalty / non_loyalty */
    char *fraud_status;         /* NOT_FRAUD, ... or NULL */
    double lifetime_purchases;
    /* tier and points: from loyaltyProgramDetails[0] (or pointsSummary).
     * has_program is false when neither block was sent: the tier fields are
     * then NULL / 0 / -1 and the points 0 because they are unknown, not zero. */
    bool has_program;
    char *program_name;
    char *tier, *next_tier, *tier_expiry;
    int tier_serial, next_tier_serial; /* next_tier_serial == -1 at the top */
    /* points: from loyaltyProgramDetails[0] */
    double points_current, points_lifetime, points_redeemed, points_expired;
    double points_adjusted, points_returned, points_delayed, points_available;
    struct mc_expiry *expiry;   /* expirySchedules, date ascending (owned) */
    size_t n_expiry;
};

/* One row of GET /v2/customers/search. */
struct mc_search_hit {
    int64_t id;
    char *first_name, *last_name;
    char *mobile, *email, *external_id; /* from profiles[].identifiers, may be NULL */
    char *matched_type, *matched_value; /* first matchedIdentifiers entry */
};

struct mc_search_page {
    struct mc_search_hit *hits;
    size_t n;
    long offset, limit, total;
};

/* GET /v2/customers/{id}/points/balance */
struct mc_balance {
    int64_t id;
    double total, main, promised;
};

/* One loyalty event (GET /v2/customers/{id}/loyaltyEvents). */
struct mc_event {
    int64_t id;
    char *date;       /* ISO 8601 */
    char *name;       /* CustomerRegistration, TransactionAdd, ... */
    char *status;     /* SUCCESS / FAILED */
};

struct mc_event_page {
    struct mc_event *items;
    size_t n;
};

void mc_customer_free(struct mc_customer **c);
void mc_search_page_free(struct mc_search_page **p);
void mc_balance_free(struct mc_balance **b);
void mc_event_page_free(struct mc_event_page **p);

#endif
