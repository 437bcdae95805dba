/*
 * ledger_priv.h - what the ledger resource's files (ledger.c, ledger_txn.c)
 * share: the string block builder behind the pages' text offsets.
 * Internal to api/ (and its unit tests).
 *
 * A page keeps its strings in one block; each string is NUL-terminated
 * and named by its offset, offset 0 being "". Strings repeated within a
 * page (store names, till codes, program names) are stored once: a small
 * open-addressing table remembers where each one went.
 */
#ifndef MC_API_LEDGER_PRIV_H
#define MC_API_LEDGER_PRIV_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define LEDGER_STRS_SLOTS 512 /* power of two; a page has far fewer distinct short strings */

struct strblock {
    char *buf;                      /* owned until strblock_take */
    size_t len, cap;
    uint32_t slot[LEDGER_STRS_SLOTS]; /* offsets of interned strings; 0 = empty slot */
    size_t n_interned;
};

void strblock_init(struct strblock *b);
/* Appends s[0..len) (cut at an embedded NUL, at API_JSON_STR_MAX bytes on a
 * UTF-8 boundary) unless an equal string is already there; returns its offset.
 * An empty string is offset 0. Out of memory aborts. */
uint32_t strblock_add(struct strblock *b, const char *s, size_t len);
/* The text of a JSON string or number (as api_json_str_value writes it), added;
 * 0 for anything else or NULL. */
uint32_t strblock_add_json(struct strblock *b, const json_t *v);
/* Gives the block to the caller (*len = bytes used) and resets b. */
char *strblock_take(struct strblock *b, size_t *len);
void strblock_done(struct strblock *b);

/* Thousandths from a JSON number or numeric string. */
bool ledger_json_milli(const json_t *v, int64_t *out);

#endif
