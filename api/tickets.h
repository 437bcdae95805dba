/*
 * tickets.h - tickets, notes and interactions: models, request kinds and builders.
 * Included by api/api.h; views include api/api.h only.
 */
#ifndef MC_API_TICKETS_H
#define MC_API_TICKETS_H

#include <stddef.h>
#include <stdint.h>

/* Kinds of this resource: _(NAME, model type, free function) */
#define API_KINDS_TICKETS(_)

#endif
