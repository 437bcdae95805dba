/*
 * v11query.h - the query language of GET /v1.1/customer/search (part 1
 * §5.7): QUERY := (CONDITION) | (CONDITION & (CONDITION)*),
 * CONDITION := ATTRIBUTE:OPERATOR:VALUES with VALUES separated by ';'.
 *
 * The parser turns conditions into SQL made only of fixed fragments (the
 * attribute and operator pick them) with every value left to a bound
 * parameter, so nothing from the query string reaches the SQL text.
 */
#ifndef MC_SANDBOX_V11QUERY_H
#define MC_SANDBOX_V11QUERY_H

#include <sqlite3.h>
#include <stddef.h>

#define V11Q_MAX_CONDS 8
#define V11Q_MAX_VALUES 16

struct v11q_cond {
    int attr;                              /* index into the attribute table */
    int op;                                /* enum v11q_op */
    const char *values[V11Q_MAX_VALUES];   /* point into the parser's copy */
    size_t n_values;
};

struct v11q {
    char *text;                            /* owned copy the conditions point into */
    struct v11q_cond conds[V11Q_MAX_CONDS];
    size_t n;
};

/* Parses conditions "(a:OP:v)" joined by '&' into q (which it zeroes
 * first). Free q with v11q_free whatever the result. Returns 0, or -1 with
 * a reason in err. */
int v11q_parse(struct v11q *q, const char *text, char *err, size_t errlen);
void v11q_free(struct v11q *q);

/* Appends one " AND (...)" fragment per condition to the NUL-terminated
 * sql (capacity cap), numbering placeholders ?N from first_param. The SQL
 * must provide the aliases c (customers), p (points_summary) and t (tiers).
 * Returns the number of placeholders used, or -1 when sql is too small. */
int v11q_sql(const struct v11q *q, char *sql, size_t cap, int first_param);
/* Binds the values to the placeholders v11q_sql numbered. 0 or -1. */
int v11q_bind(const struct v11q *q, sqlite3_stmt *st, int first_param);

#endif
