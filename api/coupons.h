/*
 * coupons.h - coupons and coupon series: models, request kinds and builders.
 * Included by api/api.h; views include api/api.h only.
 */
#ifndef MC_API_COUPONS_H
#define MC_API_COUPONS_H

#include <stddef.h>
#include <stdint.h>

/* Kinds of this resource: _(NAME, model type, free function) */
#define API_KINDS_COUPONS(_)

#endif
