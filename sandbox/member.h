/*
 * member.h - one member as the customer routes need it: profile,
 * identifiers, tier and points summary, loaded from the store.
 */
#ifndef MC_SANDBOX_MEMBER_H
#define MC_SANDBOX_MEMBER_H

#include <stdint.h>

struct store_conn;

enum member_status { MEMBER_OK, MEMBER_NOT_FOUND, MEMBER_DB_ERROR };

struct member {
    int64_t id;
    char *first, *last, *source, *loyalty_type, *status_label, *fraud_status;
    char *gender, *city;                  /* may be NULL */
    char *created_on, *updated_on;        /* stored ISO instants */
    int64_t loyalty_id;
    double lifetime_purchases;
    int64_t till_id;                      /* enrolling till */
    char *till_code, *till_name;
    char *store_code, *store_name;        /* registration store */
    char *mobile, *email, *external_id, *card; /* NULL when the member has none */
    int tier_serial;                      /* 1 = lowest */
    char *tier_name, *tier_description, *tier_expiry;
    int next_serial;                      /* -1 at the top tier */
    char *next_name, *next_description;   /* "" at the top tier */
    double loyalty_points, lifetime_points, redeemed, expired, returned, adjusted, delayed;
};

/* Loads member id into m (zeroed first; free with member_free on MEMBER_OK). */
enum member_status member_load(struct store_conn *db, int64_t id, struct member *m);
/* Frees the strings; m can be loaded again. */
void member_free(struct member *m);
/* Finds the member holding an identifier (type as stored: mobile, email,
 * externalId, cardnumber). A 10-digit mobile is also tried with the org's
 * country code 91, as Capillary normalises mobiles. */
enum member_status member_find(struct store_conn *db, const char *type, const char *value,
                               int64_t *id);
/* Whether the customer id exists. */
enum member_status member_exists(struct store_conn *db, int64_t id);

#endif
