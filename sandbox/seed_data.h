/*
 * seed_data.h - the constant vocabularies the seeder draws from: names,
 * cities, stores, products, coupon series, ticket and goodwill texts.
 *
 * Everything is const data; the seeder picks from it with its own PRNG, so
 * changing a list changes the generated data (and the determinism test's
 * expected behaviour stays: same seed, same rows).
 */
#ifndef MC_SANDBOX_SEED_DATA_H
#define MC_SANDBOX_SEED_DATA_H

#include <stddef.h>

struct seed_name {
    const char *name;
    char gender; /* 'F' or 'M' */
};

struct seed_store {
    const char *code, *name, *city;
};

struct seed_product {
    const char *code, *description;
    int min_price, max_price; /* rupees */
};

struct seed_series {
    const char *code, *description, *discount_type; /* ABS or PERC */
    double value, upto;
    int valid_days;   /* series valid till now + this (negative: already over) */
    int max_issue;    /* -1 = unlimited */
};

struct seed_text {
    const char *subject, *message;
};

struct seed_pair {
    const char *code, *description;
};

#define SEED_LIST(name, type) \
    extern const type name[]; \
    extern const size_t name##_count;

SEED_LIST(seed_indian_first, struct seed_name)
SEED_LIST(seed_indian_last, char *const)
SEED_LIST(seed_intl_first, struct seed_name)
SEED_LIST(seed_intl_last, char *const)
SEED_LIST(seed_cities, char *const)
SEED_LIST(seed_stores, struct seed_store)
SEED_LIST(seed_products, struct seed_product)
SEED_LIST(seed_series_list, struct seed_series)
SEED_LIST(seed_departments, char *const)
SEED_LIST(seed_ticket_statuses, struct seed_pair)
SEED_LIST(seed_priorities, char *const)
SEED_LIST(seed_goodwill_reasons, struct seed_pair)
SEED_LIST(seed_ticket_texts, struct seed_text)
SEED_LIST(seed_note_texts, char *const)
SEED_LIST(seed_sms_texts, char *const)
SEED_LIST(seed_email_texts, struct seed_text)
SEED_LIST(seed_push_texts, char *const)
SEED_LIST(seed_email_domains, char *const)
SEED_LIST(seed_request_comments, char *const)

#undef SEED_LIST

#endif
