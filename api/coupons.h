/*
 * coupons.h - coupons and coupon series: models, request kinds and builders.
 * Included by api/api.h; views include api/api.h only.
 *
 * Endpoints (part 2 §1): customer coupons in the detailed dialect, coupon
 * details, coupon lookup by code (v1.1 coupon/get, which names the owner),
 * series (v1.1 list of running series for pickers, v2 by id), issue,
 * redeem, is_redeemable, revoke, reactivate and resend. Every string below
 * is a heap copy owned by its struct (raw server text, sanitised at draw
 * time); a missing field is NULL / 0 / -1 as noted.
 */
#ifndef MC_API_COUPONS_H
#define MC_API_COUPONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Models */

/* One redemption (redemptionInfo / reversedRedemptionInfo entries). */
struct mc_redemption {
    int64_t id;                 /* redemption id (reactivate takes it); 0 when absent */
    char *date;                 /* ISO 8601 as sent */
    char *bill;                 /* transactionNumber */
    char *store_code, *store_name;
    char *reversed_on;          /* reversed entries only, else NULL */
};

/* A coupon series: v2 (camelCase), v1.1 (snake_case) or the block embedded
 * in a detailed coupon. */
struct mc_coupon_series {
    int64_t id;
    char *code;                 /* discountCode / discount_code, e.g. WELCOME20 */
    char *description;
    char *discount_type;        /* ABS or PERC */
    double discount_value, discount_upto;
    char *discount_on;          /* BILL, LINEITEM */
    char *valid_till;           /* validTillDate: ISO (v2) or "YYYY-MM-DD HH:MM:SS" (v1.1) */
    char *expiry_strategy;      /* SERIES_EXPIRY, DAYS, MONTHS_END, or NULL */
    long expiry_value;          /* days or months for the strategy; 0 when absent */
    long max_create;            /* coupons the series may issue; -1 unlimited or unknown */
    long max_redeem;            /* -1 unlimited or unknown */
    long per_coupon_redeem;     /* redemptionPerCouponMaxLimit; -1 unknown */
    long issued, redeemed;      /* numIssued / numRedeemed (v1.1 coupons.issued); -1 unknown */
    char *terms;                /* customPropertyMap.standard_terms_and_conditions */
};

struct mc_series_list {
    struct mc_coupon_series *items;
    size_t n;
};

/* A coupon in any of the v2 dialects (detailed, GET /v2/coupon, issue). */
struct mc_coupon {
    int64_t id;                 /* 0 when absent (GET /v2/coupon, issue) */
    char *code;
    int64_t series_id;
    char *series_name;          /* seriesName, else series.description */
    char *description;
    char *discount_type;        /* ABS or PERC (couponDiscountType, else discountType) */
    double discount_value, discount_upto;
    char *discount_code, *discount_on, *detailed_info; /* GET /v2/coupon, issue */
    char *valid_till;           /* ISO 8601 as sent */
    char *created, *issued_on, *active_from;
    char *issued_store_code, *issued_store_name;
    int64_t issued_by;          /* till id */
    int64_t issued_to;          /* customer id (customer.id for an issue) */
    int64_t ref_id;
    bool redeemed;              /* redeemed or isRedeemed */
    bool has_left;              /* whether redemptionsLeft was sent */
    long redemptions_left;      /* -1 unlimited */
    long status_code;           /* couponStatus.code; 0 when absent */
    char *status_message;       /* couponStatus.message */
    struct mc_redemption *redemptions, *reversed;
    size_t n_redemptions, n_reversed;
    struct mc_coupon_series *series; /* the embedded series, or NULL */
};

struct mc_coupon_list {
    struct mc_coupon *items;
    size_t n;
};

enum mc_coupon_state { MC_COUPON_ACTIVE, MC_COUPON_REDEEMED, MC_COUPON_EXPIRED, MC_COUPON_REVOKED };

/* v1.1 coupon/get: who holds a code. */
struct mc_coupon_owner {
    char *code;
    int64_t coupon_id;
    int64_t customer_id;        /* customer.user_id; 0 when not sent */
    char *name, *mobile, *email;
    bool found;                 /* item_status said success */
    long item_code;
    char *message;
};

struct mc_coupon_owner_list {
    struct mc_coupon_owner *items;
    size_t n;
};

/* POST /v2/coupon/redeem */
struct mc_redeem_item {
    int64_t redemption_id;
    char *code;
    double value;
    bool absolute;
};

struct mc_redeem_result {
    struct mc_redeem_item *items;
    size_t n;
    long status_code;           /* redemptionStatus.code (700) */
    char *message;
};

/* GET /v2/coupon/is_redeemable: one entry per code asked. */
struct mc_redeemable {
    char *code;
    bool redeemable;
    long reason_code;           /* why not: first warning's code, else from appendedErrorMessage */
    char *reason;               /* its message, or NULL when redeemable */
    long left;                  /* redemptionsLeft, -1 unlimited */
    long by_user;               /* numberOfRedemptionsByUser */
};

struct mc_redeemable_list {
    struct mc_redeemable *items;
    size_t n;
};

/* POST /v2/coupon/revoke: per-code outcomes inside a success envelope. */
struct mc_revoke_failure {
    long code;
    char *message;
    char **codes;
    size_t n_codes;
};

struct mc_revoke_result {
    long total, failed;         /* totalCount, failedCount */
    char **revoked;             /* revokedCoupons[].couponCode */
    size_t n_revoked;
    struct mc_revoke_failure *failures;
    size_t n_failures;
};

/* POST /v2/coupon/reactivate */
struct mc_ack {
    bool success;
};

/* GET /v1.1/coupon/resend (a failed item decodes to API_REMOTE) */
struct mc_resend {
    int64_t id;
    char *code;
    char *message;              /* "Coupon Resent" */
};

void mc_coupon_list_free(struct mc_coupon_list **l);
void mc_coupon_free(struct mc_coupon **c);
void mc_series_list_free(struct mc_series_list **l);
void mc_coupon_owner_list_free(struct mc_coupon_owner_list **l);
void mc_redeem_result_free(struct mc_redeem_result **r);
void mc_redeemable_list_free(struct mc_redeemable_list **l);
void mc_revoke_result_free(struct mc_revoke_result **r);
void mc_ack_free(struct mc_ack **a);
void mc_resend_free(struct mc_resend **r);

/* Frees what a coupon or series holds (not the struct itself). */
void mc_coupon_clear(struct mc_coupon *c);
void mc_coupon_series_clear(struct mc_coupon_series *s);
/* A deep copy (out of memory aborts). */
struct mc_coupon *mc_coupon_dup(const struct mc_coupon *c);

/* Pure helpers (any thread) */

/* Parses ISO 8601 "YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z|±HH[:]MM]" or a bare
 * date (midnight) into UTC seconds; no zone means UTC. false when malformed. */
bool mc_time_parse(const char *iso, long long *out);
/* The coupon's state at now (UTC seconds): revoked (couponStatus 660 or a
 * message about revocation), redeemed (redeemed flag, or no redemptions
 * left after one), expired (couponStatus 712/713 or validTill passed),
 * otherwise active. */
enum mc_coupon_state mc_coupon_state(const struct mc_coupon *c, long long now);
/* The latest standing redemption, or NULL. */
const struct mc_redemption *mc_coupon_last_redemption(const struct mc_coupon *c);

/* Kinds of this resource: _(NAME, model type, free function) */
#define API_KINDS_COUPONS(_)                                                   \
    _(COUPONS, struct mc_coupon_list, mc_coupon_list_free)                     \
    _(COUPON_DETAILS, struct mc_coupon_list, mc_coupon_list_free)              \
    _(COUPON_LOOKUP, struct mc_coupon_owner_list, mc_coupon_owner_list_free)   \
    _(COUPON_SERIES, struct mc_series_list, mc_series_list_free)               \
    _(COUPON_SERIES_V11, struct mc_series_list, mc_series_list_free)           \
    _(COUPON_ISSUE, struct mc_coupon, mc_coupon_free)                          \
    _(COUPON_REDEEM, struct mc_redeem_result, mc_redeem_result_free)           \
    _(COUPON_REDEEMABLE, struct mc_redeemable_list, mc_redeemable_list_free)   \
    _(COUPON_REVOKE, struct mc_revoke_result, mc_revoke_result_free)           \
    _(COUPON_REACTIVATE, struct mc_ack, mc_ack_free)                           \
    _(COUPON_RESEND, struct mc_resend, mc_resend_free)

/* Request builders (pure; never NULL). The api.h rules apply. */
struct api_request;

/* GET /v2/customers/{id}/coupons (COUPONS) */
struct api_request *api_customer_coupons(int64_t customer_id);
/* GET /v2/coupon?couponCodes=CODE (COUPON_DETAILS) */
struct api_request *api_coupon_details(const char *code);
/* GET /v1.1/coupon/get?code=CODE&user_id=true&format=json (COUPON_LOOKUP) */
struct api_request *api_coupon_lookup(const char *code);
/* GET /v1.1/coupon/series?expired=false&format=json: the running series (COUPON_SERIES_V11) */
struct api_request *api_coupon_series_active(void);
/* GET /v2/coupon/series?ids=ID (COUPON_SERIES) */
struct api_request *api_coupon_series_get(int64_t series_id);
/* POST /v2/coupon/issue {"seriesId":S,"customer":{"id":C}} (COUPON_ISSUE) */
struct api_request *api_coupon_issue(int64_t series_id, int64_t customer_id);
/* POST /v2/coupon/redeem {"billAmount":A,"transactionNumber":BILL,"user":{"id":C},
 * "redemptionRequestList":[{"code":CODE}]} (COUPON_REDEEM) */
struct api_request *api_coupon_redeem(int64_t customer_id, const char *code, const char *bill,
                                      double amount);
/* GET /v2/coupon/is_redeemable?id=C&code=CODE&details=true (COUPON_REDEEMABLE) */
struct api_request *api_coupon_is_redeemable(int64_t customer_id, const char *code);
/* POST /v2/coupon/revoke {"couponCodes":[CODE]} (COUPON_REVOKE) */
struct api_request *api_coupon_revoke(const char *code);
/* POST /v2/coupon/reactivate {"redemptionIds":[ID]} (COUPON_REACTIVATE) */
struct api_request *api_coupon_reactivate(int64_t redemption_id);
/* GET /v1.1/coupon/resend?IDNAME=VALUE&code=CODE&format=json (COUPON_RESEND);
 * idname: mobile, email or external_id. */
struct api_request *api_coupon_resend(const char *idname, const char *value, const char *code);

#endif
