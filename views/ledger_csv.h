/*
 * ledger_csv.h - a CSV writer (RFC 4180) for exports.
 *
 * Pure (stdio only), unit-tested directly. Fields are separated by commas
 * and records end with CRLF; a field holding a comma, a double quote, CR or
 * LF, or starting or ending with a space, is enclosed in double quotes with
 * its double quotes doubled. Text is written as it is (UTF-8), with one
 * exception: a NUL would end the field, so none can appear.
 */
#ifndef MC_VIEWS_LEDGER_CSV_H
#define MC_VIEWS_LEDGER_CSV_H

#include <stdbool.h>
#include <stdio.h>

struct csv {
    FILE *f;        /* borrowed */
    int col;        /* fields written in the current record */
    bool failed;    /* a write failed (sticky) */
};

void csv_begin(struct csv *c, FILE *f);
/* One field; NULL is an empty field. */
void csv_field(struct csv *c, const char *s);
/* Ends the record. */
void csv_end_row(struct csv *c);
/* Whether a field needs quotes. */
bool csv_needs_quotes(const char *s);

#endif
