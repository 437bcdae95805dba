/*
 * ledger.h - points ledger, ledger balance, points expiry schedule and
 * transactions: models, request kinds and builders.
 * Included by api/api.h; views include api/api.h only.
 *
 * Endpoints (part1 §5.10, §5.12, §5.13, §5.14):
 *   GET /v2/pointsLedger/getCustomerLedgerInfo      LEDGER_PAGE
 *   GET /v2/pointsLedger/getCustomerLedgerBalance   LEDGER_BALANCE
 *   GET /v2/customers/{id}/pointsExpirySchedule     POINTS_EXPIRY
 *   GET /v2/customers/{id}/transactions             TXN_PAGE
 *   GET /v1.1/customer/transactions?transaction_id  TXN_DETAIL (line items)
 *
 * Long histories are the point of these models: a ledger or transactions
 * page is one array of fixed-size entries plus one block of strings the
 * entries point into by offset (repeated strings such as store names are
 * stored once per page), so a holder can keep a hundred thousand rows with
 * one allocation per page and copy a page with two memcpy calls. Points
 * are integers in thousandths (the API sends three decimals as strings),
 * so sums over a long history are exact.
 */
#ifndef MC_API_LEDGER_H
#define MC_API_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Kinds of this resource: _(NAME, model type, free function) */
#define API_KINDS_LEDGER(_)                                          \
    _(LEDGER_PAGE, struct mc_ledger_page, mc_ledger_page_free)       \
    _(LEDGER_BALANCE, struct mc_ledger_balance, mc_ledger_balance_free) \
    _(POINTS_EXPIRY, struct mc_expiry_schedule, mc_expiry_schedule_free) \
    _(TXN_PAGE, struct mc_txn_page, mc_txn_page_free)                \
    _(TXN_DETAIL, struct mc_txn_detail, mc_txn_detail_free)

/* Ledger event names of the reference (§5.12.2). _(ENUM, "eventName") */
#define MC_LEDGER_KIND_LIST(_)                         \
    _(OTHER, "")                                       \
    _(TRANSACTION_ADD, "TransactionAdd")               \
    _(TRANSACTION_UPDATE, "TransactionUpdate")         \
    _(RETURN_BILL, "ReturnBill")                       \
    _(POINTS_REDEMPTION, "PointsRedemption")           \
    _(REDEMPTION_REVERSAL, "PointsRedemptionReversal") \
    _(VOUCHER_REDEMPTION, "VoucherRedemption")         \
    _(POINTS_EXPIRY, "PointsExpiry")                   \
    _(GOODWILL, "AllocateGoodwillPoints")              \
    _(TARGET_COMPLETED, "TargetCompleted")             \
    _(DELAYED_ACCRUAL, "DelayedAccrual")               \
    _(POINTS_TRANSFER, "PointsTransfer")               \
    _(REGISTRATION, "CustomerRegistration")            \
    _(CUSTOMER_UPDATE, "CustomerUpdate")               \
    _(GENERIC, "GenericEvent")

enum mc_ledger_kind {
#define MC_LEDGER_KIND_ENUM(e, name) MC_LEDGER_##e,
    MC_LEDGER_KIND_LIST(MC_LEDGER_KIND_ENUM)
#undef MC_LEDGER_KIND_ENUM
    MC_LEDGER_KIND_COUNT
};

/* The reference's eventName of a kind ("" for OTHER). */
const char *mc_ledger_kind_name(enum mc_ledger_kind k);
/* The kind of an eventName (case-insensitive); MC_LEDGER_OTHER when unknown. */
enum mc_ledger_kind mc_ledger_kind_of(const char *name);

/* The strings of a ledger entry. */
enum mc_ledger_text {
    MC_LT_EVENT,    /* eventName as sent */
    MC_LT_STORE,    /* store (name), else storeCode */
    MC_LT_TILL,     /* tillCode */
    MC_LT_REF,      /* transactionDetails.transactionNumber, else eventDetails.requestId */
    MC_LT_PROGRAM,  /* entryDetails[].programName, else sourceProgramName */
    MC_LT_DETAIL,   /* eventDetails.reason, else promotionName / eventDisplayName */
    MC_LT_COUNT
};

/* One ledger entry (one event of §5.12.2 with its entryDetails folded). */
struct mc_ledger_entry {
    int64_t event_id;       /* eventLogId; 0 when absent */
    int64_t txn_id;         /* transactionDetails.transactionId; 0 when none */
    int64_t at;             /* ledgerCreatedDate in tenths of a second since 1970, read as
                             * UTC (the reference sends no zone); 0 when absent/malformed */
    int64_t main;           /* net points of category Main, thousandths (+ credit, - debit) */
    int64_t other;          /* net points of the other (promised) categories, thousandths */
    int32_t expiry;         /* earliest expiry of the points credited, days since
                             * 1970-01-01; 0 when none */
    uint32_t text[MC_LT_COUNT]; /* offsets into the page's strings; 0 is "" (absent) */
    uint8_t kind;           /* enum mc_ledger_kind */
};

/* GET /v2/pointsLedger/getCustomerLedgerInfo: one page. */
struct mc_ledger_page {
    int64_t customer_id;        /* customerDetails.userId; 0 when absent */
    char *first_name, *last_name; /* customerDetails; may be NULL */
    long page_number;           /* ledgerDetails; -1 when absent */
    long page_size;             /* ledgerDetails.pageSize; -1 when absent */
    long total;                 /* totalEntries; -1 when absent */
    long page_count;            /* -1 when absent */
    struct mc_ledger_entry *entries; /* newest first: ledgerCreatedDate, then eventLogId,
                                      * both descending (owned) */
    size_t n;
    char *strings;              /* NUL-terminated strings the entries point into (owned) */
    size_t strings_len;         /* bytes used, >= 1 (offset 0 holds "") */
};

/* The text t of entry e, which belongs to a page whose strings are `strings`. */
static inline const char *mc_ledger_text(const char *strings, const struct mc_ledger_entry *e,
                                         enum mc_ledger_text t)
{
    return strings + e->text[t];
}

/* GET /v2/pointsLedger/getCustomerLedgerBalance */
struct mc_ledger_balance {
    int64_t customer_id;        /* customerDetails.userId; 0 when absent */
    bool has_main;              /* a Main row was sent */
    int64_t main;               /* closingBalance of Main, summed over programs, thousandths */
    int64_t promised;           /* closingBalance of the other categories, thousandths */
};

/* GET /v2/customers/{id}/pointsExpirySchedule */
struct mc_expiry_entry {
    double points;
    char *date;                 /* YYYY-MM-DD (from expiryDate or expiryDateISO); may be NULL */
    char *points_type;          /* bill_regular, customer_promotions, ...; may be NULL */
    char *expiry_type;          /* fixed / rolling; may be NULL */
    long program_id;            /* 0 when absent */
};

struct mc_expiry_schedule {
    int64_t customer_id;        /* id; 0 when absent */
    struct mc_expiry_entry *items; /* date ascending, undated last (owned) */
    size_t n;
};

/* GET /v2/customers/{id}/transactions: one bill of a page. */
enum mc_txn_text {
    MC_TT_BILL,       /* billNumber */
    MC_TT_TYPE,       /* REGULAR, RETURN, ... */
    MC_TT_STORE,      /* billingStore.name, else description, else code */
    MC_TT_STORE_CODE, /* billingStore.code */
    MC_TT_NOTES,      /* notes */
    MC_TT_COUNT
};

struct mc_txn {
    int64_t id;                 /* 0 when absent */
    int64_t at;                 /* billingTime, seconds since 1970 UTC (zone applied); 0 when
                                 * absent or malformed */
    double amount, gross, discount;
    double points;              /* billPoints issued; NAN when the server sent none */
    uint32_t text[MC_TT_COUNT]; /* offsets into the page's strings; 0 is "" */
};

struct mc_txn_page {
    long offset, limit, total;  /* pagination; total is offset + n when absent */
    struct mc_txn *items;       /* server order (owned) */
    size_t n;
    char *strings;              /* (owned) */
    size_t strings_len;
};

static inline const char *mc_txn_text(const char *strings, const struct mc_txn *t,
                                      enum mc_txn_text which)
{
    return strings + t->text[which];
}

/* GET /v1.1/customer/transactions?transaction_id=..: one bill with its lines. */
struct mc_txn_line {
    long serial;
    char *item_code, *description; /* may be NULL */
    double qty, rate, value, discount, amount;
};

struct mc_txn_detail {
    bool found;                 /* false: the server listed no such bill */
    int64_t id;
    char *number, *type, *billing_time, *store, *store_code, *notes; /* may be NULL */
    double amount, gross, discount;
    double points_issued, points_redeemed, points_returned, points_expired;
    char *points_expiry;        /* points.expiry_date as sent; may be NULL */
    struct mc_txn_line *lines;  /* server order (owned) */
    size_t n_lines;
};

void mc_ledger_page_free(struct mc_ledger_page **p);
void mc_ledger_balance_free(struct mc_ledger_balance **b);
void mc_expiry_schedule_free(struct mc_expiry_schedule **s);
void mc_txn_page_free(struct mc_txn_page **p);
void mc_txn_detail_free(struct mc_txn_detail **d);

/* Request builders (pure; never NULL). */

/* GET /v2/pointsLedger/getCustomerLedgerInfo?source=INSTORE&identifierName=id
 * &identifierValue=ID&isFilterBasedOnDate=false&offset=PAGE&limit=LIMIT.
 * page is a page number (0 = newest), as the reference pages the ledger.
 * isFilterBasedOnDate=false asks for the whole history instead of the
 * default window of at most 90 days, so a screen can page through all of it. */
struct api_request *api_ledger_page(int64_t customer_id, long page, long limit);
/* GET /v2/pointsLedger/getCustomerLedgerBalance?source=INSTORE&identifierName=..
 * &identifierValue=..[&endDate=YYYY-MM-DDThh:mm:ss]. idname: mobile, email,
 * externalId, cardnumber (the reference accepts no customer id here).
 * end_at (tenths of a second, as mc_ledger_entry.at; 0 = now) asks for the
 * closing balance as of the end of that second. */
struct api_request *api_ledger_balance(const char *idname, const char *value, int64_t end_at);
/* GET /v2/customers/{id}/pointsExpirySchedule */
struct api_request *api_points_expiry(int64_t customer_id);
/* GET /v2/customers/{id}/transactions?limit=..&offset=..&sortOrder=DESC
 * &embed=BILL_STORE_DETAILS,BILL_POINTS (offset in records). */
struct api_request *api_transactions(int64_t customer_id, long offset, long limit);
/* GET /v1.1/customer/transactions?format=json&id=CUSTOMER&transaction_id=TXN */
struct api_request *api_transaction_detail(int64_t customer_id, int64_t txn_id);

/* Helpers the decoders use, public for the views' own parsing (filters,
 * dates typed by the user). Pure. */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t mc_days_from_civil(int y, int m, int d);
/* The date of a day number. */
void mc_civil_from_days(int64_t days, int *y, int *m, int *d);
/* "YYYY-MM-DD[( |T)HH:MM[:SS[.f...]]][Z|(+|-)HH[:]MM]" -> tenths of a second since
 * 1970. with_zone: apply a zone offset when one is given (else it is ignored).
 * false when s is not such a text or a field is out of range. */
bool mc_parse_time(const char *s, bool with_zone, int64_t *tenths);
/* "300.000", "-12.5", "42" -> thousandths, rounded half away from zero.
 * false on anything else or when |value| >= 9e12. */
bool mc_parse_milli(const char *s, size_t len, int64_t *out);

#endif
