/*
 * requests_store.h - the goodwill and change-identifier request store as
 * the request routes (routes_requests*.c) share it: loading a request with
 * its member and tills, rendering it in the v1.1 and v2 shapes, the request
 * log, the org's goodwill settings, and the effects an approval applies.
 */
#ifndef MC_SANDBOX_REQUESTS_STORE_H
#define MC_SANDBOX_REQUESTS_STORE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "sandbox/http.h"

struct store_conn;

#define RQ_MAX_BATCH 10          /* items per add/approve/reject call (code 1060) */
#define RQ_DEFAULT_CAP 5000.0    /* goodwill points per request when org_config has none */

/* One request row with what the responses show about its member and tills. */
struct rq_row {
    int64_t id;
    char reference_id[128];
    int64_t customer_id;
    char type[24], base_type[24];
    bool has_points;
    double points;               /* requested goodwill points */
    int64_t series_id;           /* 0 = none */
    char old_value[256], new_value[256];
    char reason[128];
    char comments[1024];
    char status[16];
    char approved_value[64];
    int64_t program_id;
    int64_t raised_by;
    char raised_code[64], raised_name[96];
    char raised_on[32];          /* stored ISO instant */
    int64_t decided_by;          /* 0 = undecided */
    char decided_code[64], decided_name[96];
    char decided_on[32];
    char updated_comments[1024];
    char first[96], last[96], mobile[64], email[160], external_id[96], fraud_status[32];
};

/* The SELECT list and joins that rq_row_read understands; append WHERE ... */
extern const char rq_select_sql[];
/* Fills r from a row of rq_select_sql. */
void rq_row_read(void *stmt, struct rq_row *r);
/* Loads request id. 1 found, 0 not found, -1 database error. */
int rq_load(struct store_conn *db, int64_t id, struct rq_row *r);

/* v1.1 numbers are strings: "250", or "12.500" when not whole. */
json_t *rq_num(double v);
json_t *rq_id(int64_t v);
/* A one-item list as a bare object, as older v1.1 samples show; else the array. Takes list. */
json_t *rq_list(json_t *list);
/* The v1.1 customer block {firstname,lastname,email,mobile,external_id,fraud_status,id}. */
json_t *rq_customer_v11(const struct rq_row *r);
/* request/get items: the goodwill and change_identifier shapes of §3.5. */
json_t *rq_item_get(const struct rq_row *r);
/* request/logs item of §3.6, with the request's whole history. NULL on a db error. */
json_t *rq_item_logs(struct store_conn *db, const struct rq_row *r);
/* The v2 goodwillRequest item of §3.8. */
json_t *rq_item_goodwill_v2(const struct rq_row *r);

/* {"response":{"status":{...}}} with the given HTTP status. */
void rq_v11_error(struct sb_resp *resp, int http, long code, const char *message);
/* {"success":..,"code":..,"message":..} for an item. */
json_t *rq_item_status(bool ok, long code, const char *message);

/* Appends to request_logs. 0 or -1. */
int rq_log(struct store_conn *db, int64_t request, const char *action, int64_t till, time_t at,
           const char *comments);
/* org_config goodwill_points_cap, or RQ_DEFAULT_CAP. */
double rq_points_cap(struct store_conn *db);
/* Whether series id can be issued now (exists, valid, not exhausted). 1 yes, 0 no, -1 db error. */
int rq_series_usable(struct store_conn *db, int64_t series, time_t now);
/* The identifiers.type that a CHANGE_IDENTIFIER base type changes, or NULL. */
const char *rq_identifier_type(const char *base_type);

/* Effects of an approval; each runs inside the caller's transaction.
 * Return 0, -1 on a database error, or a positive v1.1 code with why. */
int rq_credit_points(struct store_conn *db, const struct rq_row *r, double points,
                     const struct sb_till *till, time_t now, int64_t *event_id);
int rq_issue_coupon(struct store_conn *db, const struct rq_row *r, int64_t series,
                    const struct sb_till *till, time_t now, int64_t *coupon_id, char code[16],
                    char *why, size_t whylen);
int rq_change_identifier(struct store_conn *db, const struct rq_row *r, time_t now, char *why,
                         size_t whylen);

#endif
