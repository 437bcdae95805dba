/*
 * coupons_priv.h - what the coupon files of api/ share: the tolerant
 * element decoders (one coupon, one series, one redemption) behind the
 * COUPON* body decoders. Internal to api/ (and its unit tests).
 */
#ifndef MC_API_COUPONS_PRIV_H
#define MC_API_COUPONS_PRIV_H

#include <jansson.h>

#include "api/api.h"

/* Fills c from any v2 coupon object (detailed, basic, issue result).
 * Absent fields stay zero/NULL; c must start zeroed. */
void api_coupon_fill(const json_t *o, struct mc_coupon *c);
/* Fills s from a v2 (camelCase) or v1.1 (snake_case) series object. */
void api_coupon_series_fill(const json_t *o, struct mc_coupon_series *s);

/* Body decoders (declared for every kind in api/json.h as well). */
enum api_err api_decode_body_COUPONS(const json_t *root, void **out, struct api_error *err);
enum api_err api_decode_body_COUPON_DETAILS(const json_t *root, void **out, struct api_error *err);
enum api_err api_decode_body_COUPON_LOOKUP(const json_t *root, void **out, struct api_error *err);
enum api_err api_decode_body_COUPON_SERIES(const json_t *root, void **out, struct api_error *err);
enum api_err api_decode_body_COUPON_SERIES_V11(const json_t *root, void **out,
                                               struct api_error *err);
enum api_err api_decode_body_COUPON_ISSUE(const json_t *root, void **out, struct api_error *err);
enum api_err api_decode_body_COUPON_REDEEM(const json_t *root, void **out, struct api_error *err);
enum api_err api_decode_body_COUPON_REDEEMABLE(const json_t *root, void **out,
                                               struct api_error *err);
enum api_err api_decode_body_COUPON_REVOKE(const json_t *root, void **out, struct api_error *err);
enum api_err api_decode_body_COUPON_REACTIVATE(const json_t *root, void **out,
                                               struct api_error *err);
enum api_err api_decode_body_COUPON_RESEND(const json_t *root, void **out, struct api_error *err);

#endif
