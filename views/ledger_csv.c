/*
 * ledger_csv.c - the RFC 4180 writer (see ledger_csv.h).
 */
#include <string.h>

#include "views/ledger_csv.h"

void csv_begin(struct csv *c, FILE *f)
{
    c->f = f;
    c->col = 0;
    c->failed = false;
}

bool csv_needs_quotes(const char *s)
{
    if (!s || !*s)
        return false;
    size_t n = strlen(s);
    return strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[n - 1] == ' ';
}

void csv_field(struct csv *c, const char *s)
{
    if (c->col++ > 0 && fputc(',', c->f) == EOF)
        c->failed = true;
    if (!s || !*s)
        return;
    if (!csv_needs_quotes(s)) {
        if (fputs(s, c->f) == EOF)
            c->failed = true;
        return;
    }
    if (fputc('"', c->f) == EOF)
        c->failed = true;
    for (const char *p = s; *p; p++) {
        if (*p == '"' && fputc('"', c->f) == EOF)
            c->failed = true;
        if (fputc(*p, c->f) == EOF)
            c->failed = true;
    }
    if (fputc('"', c->f) == EOF)
        c->failed = true;
}

void csv_end_row(struct csv *c)
{
    if (fputs("\r\n", c->f) == EOF)
        c->failed = true;
    c->col = 0;
}
