/*
 * customer_v2.h - the v2 customer object of part 1 §5.1/§5.2 and the
 * parameter vocabularies the v2 customer routes share.
 */
#ifndef MC_SANDBOX_CUSTOMER_V2_H
#define MC_SANDBOX_CUSTOMER_V2_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

struct member;
struct store_conn;

/* Which optional blocks the `embed` parameter asks for. */
struct v2_embed {
    bool points, mlp, expiry;
};

/* Parses a comma list such as "points,mlp,expirySchedules" (case-insensitive;
 * unknown names are ignored, as the emulator serves only these three). */
struct v2_embed customer_v2_embed(const char *list);
/* A v2 `source` value of the reference. */
bool customer_v2_source_valid(const char *source);
/* The stored identifier type for a v2 identifierName (mobile, email,
 * externalId, cardnumber / cardNumber), or NULL. */
const char *customer_v2_identifier_type(const char *name);
/* [{type, value}] of the member, in the order mobile, email, externalId,
 * cardNumber (with seriesId and statusLabel, as in the reference sample). */
json_t *customer_v2_identifiers(const struct member *m);
/* The whole customer object. NULL on a database error. */
json_t *customer_v2_object(const struct member *m, struct store_conn *db,
                           const struct v2_embed *embed, time_t now);

#endif
