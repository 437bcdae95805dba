/*
 * ledger_filter.h - what `/` and n/N look for in the points ledger, and the
 * short names the table shows for event kinds.
 *
 * Pure (no curses), unit-tested directly.
 *
 * A filter is words separated by spaces; a row must match every word:
 *   kind:NAME        the event kind: the reference's eventName or the table's
 *                    label, case-insensitive, a prefix is enough
 *                    (kind:PointsExpiry, kind:expiry, kind:Points)
 *   FROM..TO         entries dated from FROM to TO inclusive; each side is
 *                    YYYY, YYYY-MM or YYYY-MM-DD and may be left out
 *                    (2024-01-01..2024-06-30, 2024-03.., ..2023)
 *   YYYY[-MM[-DD]]   entries of that year, month or day
 *   anything else    text found (ignoring case) in the event name or label,
 *                    store, till, reference, program or details
 */
#ifndef MC_VIEWS_LEDGER_FILTER_H
#define MC_VIEWS_LEDGER_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "views/ledger_store.h"

#define LFILTER_MAX_TERMS 8

enum lterm_kind { LTERM_KIND, LTERM_DATES, LTERM_TEXT };

struct lterm {
    enum lterm_kind kind;
    char text[64];          /* LTERM_KIND: the name prefix; LTERM_TEXT: the words */
    int64_t from, to;       /* LTERM_DATES: days since 1970, inclusive */
};

struct ledger_filter {
    char source[128];       /* the text as typed */
    struct lterm terms[LFILTER_MAX_TERMS];
    int n;                  /* 0: matches everything */
};

/* Parses text into f. false with a reason in err (f then matches nothing
 * useful and should not be applied). */
bool lfilter_parse(struct ledger_filter *f, const char *text, char *err, size_t errlen);
/* Whether row r (its strings in `strings`) passes every term. */
bool lfilter_match(const struct ledger_filter *f, const struct ledger_row *r,
                   const char *strings);

/* The table's short name of a kind: "Purchase", "Expiry", ... */
const char *ledger_kind_label(enum mc_ledger_kind k);

#endif
