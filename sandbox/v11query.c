/*
 * v11query.c - parsing and SQL generation for the v1.1 search language.
 *
 * Supported attributes: firstname, lastname, mobile, email, external_id,
 * slab (text); loyalty_points, lifetime_points, lifetime_purchases
 * (numbers); registered_date (YYYY-MM-DD). Operators: STARTS, ENDS, EXACT,
 * EQUALS, IN for text; EXACT, EQUALS, IN, LESS, GREATER, RANGE for numbers
 * and dates, plus ON for dates. Text comparisons ignore ASCII case; EXACT
 * and EQUALS are the same test.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/v11query.h"

enum kind { TEXT, NUMBER, DATE };
enum v11q_op { OP_STARTS, OP_ENDS, OP_EXACT, OP_EQUALS, OP_IN, OP_LESS, OP_GREATER, OP_RANGE, OP_ON };

static const struct {
    const char *name;
    enum kind kind;
    const char *expr;  /* SQL for the attribute, or the identifier type */
    int identifier;    /* compared through the identifiers table */
} attrs[] = {
    {"firstname", TEXT, "c.first_name", 0},
    {"lastname", TEXT, "c.last_name", 0},
    {"mobile", TEXT, "mobile", 1},
    {"email", TEXT, "email", 1},
    {"external_id", TEXT, "externalId", 1},
    {"slab", TEXT, "t.name", 0},
    {"loyalty_points", NUMBER, "p.loyalty_points", 0},
    {"lifetime_points", NUMBER, "p.lifetime_points", 0},
    {"lifetime_purchases", NUMBER, "c.lifetime_purchases", 0},
    {"registered_date", DATE, "substr(c.created_on, 1, 10)", 0},
};

static const char *const op_names[] = {"STARTS", "ENDS", "EXACT", "EQUALS", "IN",
                                       "LESS", "GREATER", "RANGE", "ON"};

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static bool valid_number(const char *s)
{
    char *end;
    if (!*s)
        return false;
    strtod(s, &end);
    return *end == '\0';
}

static bool valid_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static int parse_cond(struct v11q *q, char *c, char *err, size_t errlen)
{
    c = trim(c);
    size_t len = strlen(c);
    if (len < 2 || c[0] != '(' || c[len - 1] != ')') {
        snprintf(err, errlen, "each condition must be in parentheses");
        return -1;
    }
    c[len - 1] = '\0';
    c++;
    char *op = strchr(c, ':');
    char *vals = op ? strchr(op + 1, ':') : NULL;
    if (!op || !vals) {
        snprintf(err, errlen, "a condition is ATTRIBUTE:OPERATOR:VALUES");
        return -1;
    }
    *op++ = '\0';
    *vals++ = '\0';
    c = trim(c);
    op = trim(op);
    if (q->n == V11Q_MAX_CONDS) {
        snprintf(err, errlen, "at most %d conditions", V11Q_MAX_CONDS);
        return -1;
    }
    struct v11q_cond *cond = &q->conds[q->n];
    memset(cond, 0, sizeof *cond);
    cond->attr = -1;
    for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
        if (strcasecmp(c, attrs[i].name) == 0)
            cond->attr = (int)i;
    if (cond->attr < 0) {
        snprintf(err, errlen, "unknown attribute '%.40s'", c);
        return -1;
    }
    cond->op = -1;
    for (size_t i = 0; i < sizeof op_names / sizeof op_names[0]; i++)
        if (strcasecmp(op, op_names[i]) == 0)
            cond->op = (int)i;
    enum kind kind = attrs[cond->attr].kind;
    bool ok_op = cond->op >= 0 &&
                 (kind == TEXT ? cond->op <= OP_IN
                               : cond->op >= OP_EXACT && (cond->op != OP_ON || kind == DATE));
    if (!ok_op) {
        snprintf(err, errlen, "operator '%.20s' does not apply to %s", op, attrs[cond->attr].name);
        return -1;
    }
    for (char *save = NULL, *v = strtok_r(vals, ";", &save); v; v = strtok_r(NULL, ";", &save)) {
        v = trim(v);
        if (!*v)
            continue;
        if (cond->n_values == V11Q_MAX_VALUES) {
            snprintf(err, errlen, "at most %d values per condition", V11Q_MAX_VALUES);
            return -1;
        }
        if ((kind == NUMBER && !valid_number(v)) || (kind == DATE && !valid_date(v))) {
            snprintf(err, errlen, "'%.40s' is not a valid %s for %s", v,
                     kind == NUMBER ? "number" : "date (YYYY-MM-DD)", attrs[cond->attr].name);
            return -1;
        }
        cond->values[cond->n_values++] = v;
    }
    size_t need = cond->op == OP_RANGE ? 2 : 1;
    if (cond->n_values < need || (cond->op != OP_IN && cond->n_values > need)) {
        snprintf(err, errlen, "%s takes %s", op_names[cond->op],
                 cond->op == OP_RANGE ? "two values (low;high)"
                 : cond->op == OP_IN  ? "one or more values"
                                      : "one value");
        return -1;
    }
    q->n++;
    return 0;
}

int v11q_parse(struct v11q *q, const char *text, char *err, size_t errlen)
{
    memset(q, 0, sizeof *q);
    q->text = strdup(text);
    if (!q->text) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (char *save = NULL, *c = strtok_r(q->text, "&", &save); c; c = strtok_r(NULL, "&", &save))
        if (parse_cond(q, c, err, errlen))
            return -1;
    if (q->n == 0) {
        snprintf(err, errlen, "no condition given");
        return -1;
    }
    return 0;
}

void v11q_free(struct v11q *q)
{
    free(q->text);
    memset(q, 0, sizeof *q);
}

static int append(char *sql, size_t cap, size_t *at, const char *text)
{
    size_t n = strlen(text);
    if (*at + n + 1 > cap)
        return -1;
    memcpy(sql + *at, text, n + 1);
    *at += n;
    return 0;
}

static int append_param(char *sql, size_t cap, size_t *at, int p)
{
    char ph[16];
    snprintf(ph, sizeof ph, "?%d", p);
    return append(sql, cap, at, ph);
}

int v11q_sql(const struct v11q *q, char *sql, size_t cap, int first_param)
{
    size_t at = strlen(sql);
    int p = first_param;
    for (size_t i = 0; i < q->n; i++) {
        const struct v11q_cond *c = &q->conds[i];
        char head[160];
        if (attrs[c->attr].identifier)
            snprintf(head, sizeof head,
                     " AND c.id IN (SELECT i.customer_id FROM identifiers i"
                     " WHERE i.type = '%s' AND i.value",
                     attrs[c->attr].expr);
        else
            snprintf(head, sizeof head, " AND (%s", attrs[c->attr].expr);
        bool text = attrs[c->attr].kind == TEXT;
        int rc = append(sql, cap, &at, head);
        switch (c->op) {
        case OP_STARTS:
            rc |= append(sql, cap, &at, " LIKE (");
            rc |= append_param(sql, cap, &at, p++);
            rc |= append(sql, cap, &at, " || '%') ESCAPE '\\'");
            break;
        case OP_ENDS:
            rc |= append(sql, cap, &at, " LIKE ('%' || ");
            rc |= append_param(sql, cap, &at, p++);
            rc |= append(sql, cap, &at, ") ESCAPE '\\'");
            break;
        case OP_EXACT:
        case OP_EQUALS:
        case OP_ON:
            rc |= append(sql, cap, &at, text ? " COLLATE NOCASE = " : " = ");
            rc |= append_param(sql, cap, &at, p++);
            break;
        case OP_LESS:
            rc |= append(sql, cap, &at, " < ");
            rc |= append_param(sql, cap, &at, p++);
            break;
        case OP_GREATER:
            rc |= append(sql, cap, &at, " > ");
            rc |= append_param(sql, cap, &at, p++);
            break;
        case OP_RANGE:
            rc |= append(sql, cap, &at, " BETWEEN ");
            rc |= append_param(sql, cap, &at, p++);
            rc |= append(sql, cap, &at, " AND ");
            rc |= append_param(sql, cap, &at, p++);
            break;
        case OP_IN:
            rc |= append(sql, cap, &at, text ? " COLLATE NOCASE IN (" : " IN (");
            for (size_t k = 0; k < c->n_values; k++) {
                if (k)
                    rc |= append(sql, cap, &at, ", ");
                rc |= append_param(sql, cap, &at, p++);
            }
            rc |= append(sql, cap, &at, ")");
            break;
        default:
            return -1;
        }
        rc |= append(sql, cap, &at, ")");
        if (rc)
            return -1;
    }
    return p - first_param;
}

/* LIKE patterns need the value's own wildcards escaped. */
static void like_escape(const char *v, char *out, size_t cap)
{
    size_t k = 0;
    for (; *v && k + 2 < cap; v++) {
        if (*v == '\\' || *v == '%' || *v == '_')
            out[k++] = '\\';
        out[k++] = *v;
    }
    out[k] = '\0';
}

int v11q_bind(const struct v11q *q, sqlite3_stmt *st, int first_param)
{
    int p = first_param;
    for (size_t i = 0; i < q->n; i++) {
        const struct v11q_cond *c = &q->conds[i];
        for (size_t k = 0; k < c->n_values; k++, p++) {
            const char *v = c->values[k];
            int rc;
            if (attrs[c->attr].kind == NUMBER) {
                rc = sqlite3_bind_double(st, p, strtod(v, NULL));
            } else if (c->op == OP_STARTS || c->op == OP_ENDS) {
                char esc[512];
                like_escape(v, esc, sizeof esc);
                rc = sqlite3_bind_text(st, p, esc, -1, SQLITE_TRANSIENT);
            } else {
                rc = sqlite3_bind_text(st, p, v, -1, SQLITE_TRANSIENT);
            }
            if (rc != SQLITE_OK)
                return -1;
        }
    }
    return 0;
}
