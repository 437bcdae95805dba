/*
 * requests_priv.h - what the requests resource's own files share inside
 * api/ (the decoders in requests_decode.c, the audit parser in
 * requests_audit.c). Included by api/decode.c with the other areas'.
 */
#ifndef MC_API_REQUESTS_PRIV_H
#define MC_API_REQUESTS_PRIV_H

#include "api/json.h"

/* {code, name} (or a v2 org entity) into a; absent parts stay NULL. */
void api_requests_actor(const json_t *o, struct mc_actor *a);
void api_requests_actor_clear(struct mc_actor *a);

#endif
