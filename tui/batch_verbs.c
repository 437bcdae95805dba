/*
 * batch_verbs.c - the read verbs of `membercare --batch` and the verb
 * table: find, customer, ledger, coupons, coupon, tickets, requests, audit,
 * help, quit. Each verb checks its words, makes its requests one at a time
 * and describes the result to the writer (batch_out.h); the write verbs
 * are in batch_writes.c.
 *
 * The verb names are the console's `:` command names (tui/commands.c), so
 * a line of a batch file reads as it would at the prompt; where the console
 * acts on the member on screen, a batch verb also takes an identifier.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "tui/app_priv.h"
#include "tui/batch_priv.h"
#include "tui/cmdargs.h"

#define LEDGER_LIMIT_MAX 100 /* the API refuses larger pages (11006) */

/* Takes "--limit N" out of argv (in place); false on a bad value. */
static bool take_limit(struct batch *b, int *argc, char **argv, long *limit, long max)
{
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--limit") != 0)
            continue;
        char *end;
        errno = 0;
        long v = i + 1 < *argc ? strtol(argv[i + 1], &end, 10) : 0;
        if (i + 1 >= *argc || errno || *end || v < 1 || v > max)
            return batch_fail(b, "--limit takes a number from 1 to %ld", max);
        *limit = v;
        /* the two words move to the end, past the new argc, so the caller
         * still frees every word it owns */
        char *a = argv[i], *c = argv[i + 1];
        memmove(&argv[i], &argv[i + 2], (size_t)(*argc - i - 2) * sizeof *argv);
        argv[*argc - 2] = a;
        argv[*argc - 1] = c;
        *argc -= 2;
        return true;
    }
    return true;
}

static bool usage(struct batch *b, const char *verb)
{
    for (const struct batch_verb *v = batch_verbs; v->name; v++)
        if (strcmp(v->name, verb) == 0)
            return batch_fail(b, "usage: %s", v->usage);
    return batch_fail(b, "usage error");
}

static void full_name(const char *first, const char *last, char *out, size_t n)
{
    snprintf(out, n, "%s%s%s", first ? first : "", first && *first && last && *last ? " " : "", last ? last : "");
}

/* find QUERY: members matching a name, mobile, email or id. */
static bool v_find(struct batch *b, int argc, char **argv)
{
    long limit = 20;
    if (!take_limit(b, &argc, argv, &limit, 100))
        return false;
    if (argc < 2)
        return usage(b, argv[0]);
    char q[CMD_MAX_LINE] = "";
    for (int i = 1; i < argc; i++)
        snprintf(q + strlen(q), sizeof q - strlen(q), "%s%s", i > 1 ? " " : "", argv[i]);
    struct api_result *res = batch_call(b, api_customer_search(q, 0, limit));
    const struct mc_search_page *p = API_DATA(res, SEARCH, struct mc_search_page);
    if (!p) {
        batch_fail_api(b, "search", &res->err);
        api_result_free(&res);
        return false;
    }
    bo_int(&b->out, "total", p->total >= 0 ? p->total : (long long)p->n);
    bo_arr(&b->out, "matches");
    for (size_t i = 0; i < p->n; i++) {
        const struct mc_search_hit *h = &p->hits[i];
        char name[256];
        full_name(h->first_name, h->last_name, name, sizeof name);
        bo_obj(&b->out, NULL);
        bo_int(&b->out, "id", h->id);
        bo_str(&b->out, "name", name);
        bo_str(&b->out, "mobile", h->mobile);
        bo_str(&b->out, "email", h->email);
        bo_str(&b->out, "external_id", h->external_id);
        bo_close(&b->out);
    }
    bo_close(&b->out);
    api_result_free(&res);
    return true;
}

/* customer IDENTIFIER: the profile, points and tier; sets the context member. */
static bool v_customer(struct batch *b, int argc, char **argv)
{
    if (argc > 2)
        return usage(b, argv[0]);
    int64_t id;
    if (!batch_member(b, argc == 2 ? argv[1] : NULL, &id))
        return false;
    struct api_result *res = batch_call(b, api_customer_get(id));
    const struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
    if (!c) {
        batch_fail_api(b, "customer", &res->err);
        api_result_free(&res);
        return false;
    }
    char name[256];
    full_name(c->first_name, c->last_name, name, sizeof name);
    b->member_id = c->id;
    struct bout *o = &b->out;
    bo_int(o, "id", c->id);
    bo_str(o, "name", name);
    bo_str(o, "mobile", c->mobile);
    bo_str(o, "email", c->email);
    bo_str(o, "external_id", c->external_id);
    bo_str(o, "card_number", c->card_number);
    bo_str(o, "created_on", c->created_on);
    bo_str(o, "fraud_status", c->fraud_status);
    if (c->has_program) {
        bo_str(o, "program", c->program_name);
        bo_str(o, "tier", c->tier);
        bo_str(o, "next_tier", c->next_tier);
        bo_str(o, "tier_expiry", c->tier_expiry);
        bo_num(o, "points", c->points_current);
        bo_num(o, "points_lifetime", c->points_lifetime);
        bo_num(o, "points_redeemed", c->points_redeemed);
        bo_num(o, "points_expired", c->points_expired);
    }
    bo_num(o, "lifetime_purchases", c->lifetime_purchases);
    if (c->n_expiry) {
        bo_arr(o, "expiry");
        for (size_t i = 0; i < c->n_expiry; i++) {
            bo_obj(o, NULL);
            bo_str(o, "date", c->expiry[i].date);
            bo_num(o, "points", c->expiry[i].points);
            bo_close(o);
        }
        bo_close(o);
    }
    api_result_free(&res);
    return true;
}

static void tenths_time(int64_t at, char *out, size_t n)
{
    if (at <= 0) {
        snprintf(out, n, "-");
        return;
    }
    time_t t = (time_t)(at / 10);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ledger [IDENTIFIER] [--limit N]: the newest ledger entries. */
static bool v_ledger(struct batch *b, int argc, char **argv)
{
    long limit = 20;
    if (!take_limit(b, &argc, argv, &limit, LEDGER_LIMIT_MAX))
        return false;
    if (argc > 2)
        return usage(b, argv[0]);
    int64_t id;
    if (!batch_member(b, argc == 2 ? argv[1] : NULL, &id))
        return false;
    struct api_result *res = batch_call(b, api_ledger_page(id, 0, limit));
    const struct mc_ledger_page *p = API_DATA(res, LEDGER_PAGE, struct mc_ledger_page);
    if (!p) {
        batch_fail_api(b, "ledger", &res->err);
        api_result_free(&res);
        return false;
    }
    struct bout *o = &b->out;
    bo_int(o, "customer_id", id);
    bo_int(o, "total", p->total >= 0 ? p->total : (long long)p->n);
    bo_arr(o, "entries");
    for (size_t i = 0; i < p->n && (long)i < limit; i++) {
        const struct mc_ledger_entry *e = &p->entries[i];
        char when[32];
        tenths_time(e->at, when, sizeof when);
        bo_obj(o, NULL);
        bo_str(o, "date", when);
        bo_str(o, "event", mc_ledger_text(p->strings, e, MC_LT_EVENT));
        bo_num(o, "points", (double)e->main / 1000.0);
        bo_num(o, "promised", (double)e->other / 1000.0);
        bo_str(o, "store", mc_ledger_text(p->strings, e, MC_LT_STORE));
        bo_str(o, "ref", mc_ledger_text(p->strings, e, MC_LT_REF));
        bo_str(o, "detail", mc_ledger_text(p->strings, e, MC_LT_DETAIL));
        bo_int(o, "event_id", e->event_id);
        bo_close(o);
    }
    bo_close(o);
    api_result_free(&res);
    return true;
}

static const char *coupon_state_name(const struct mc_coupon *c)
{
    switch (mc_coupon_state(c, (long long)time(NULL))) {
    case MC_COUPON_REDEEMED: return "redeemed";
    case MC_COUPON_EXPIRED: return "expired";
    case MC_COUPON_REVOKED: return "revoked";
    default: return "active";
    }
}

static void coupon_row(struct bout *o, const struct mc_coupon *c)
{
    bo_str(o, "code", c->code);
    bo_str(o, "state", coupon_state_name(c));
    bo_str(o, "series", c->series_name ? c->series_name : c->description);
    bo_str(o, "discount_type", c->discount_type);
    bo_num(o, "discount", c->discount_value);
    bo_str(o, "valid_till", c->valid_till);
    bo_str(o, "issued_on", c->issued_on ? c->issued_on : c->created);
}

/* coupons [IDENTIFIER]: the member's coupons in every state. */
static bool v_coupons(struct batch *b, int argc, char **argv)
{
    if (argc > 2)
        return usage(b, argv[0]);
    int64_t id;
    if (!batch_member(b, argc == 2 ? argv[1] : NULL, &id))
        return false;
    struct api_result *res = batch_call(b, api_customer_coupons(id));
    const struct mc_coupon_list *l = API_DATA(res, COUPONS, struct mc_coupon_list);
    if (!l) {
        batch_fail_api(b, "coupons", &res->err);
        api_result_free(&res);
        return false;
    }
    bo_int(&b->out, "customer_id", id);
    bo_arr(&b->out, "coupons");
    for (size_t i = 0; i < l->n; i++) {
        bo_obj(&b->out, NULL);
        coupon_row(&b->out, &l->items[i]);
        bo_close(&b->out);
    }
    bo_close(&b->out);
    api_result_free(&res);
    return true;
}

/* coupon CODE: who holds a code, and the coupon's details. */
static bool v_coupon(struct batch *b, int argc, char **argv)
{
    if (argc != 2)
        return usage(b, argv[0]);
    struct api_result *own = batch_call(b, api_coupon_lookup(argv[1]));
    const struct mc_coupon_owner_list *ol = API_DATA(own, COUPON_LOOKUP, struct mc_coupon_owner_list);
    const struct mc_coupon_owner *w = ol && ol->n ? &ol->items[0] : NULL;
    if (!w || !w->found) {
        if (w)
            batch_fail(b, "coupon %s: %s", argv[1], w->message ? w->message : "not found");
        else
            batch_fail_api(b, "coupon lookup", &own->err);
        if (w)
            b->err_code = w->item_code;
        api_result_free(&own);
        return false;
    }
    struct api_result *det = batch_call(b, api_coupon_details(argv[1]));
    const struct mc_coupon_list *dl = API_DATA(det, COUPON_DETAILS, struct mc_coupon_list);
    struct bout *o = &b->out;
    bo_str(o, "code", w->code ? w->code : argv[1]);
    bo_int(o, "customer_id", w->customer_id);
    bo_str(o, "name", w->name);
    bo_str(o, "mobile", w->mobile);
    bo_str(o, "email", w->email);
    if (dl && dl->n) {
        const struct mc_coupon *c = &dl->items[0];
        coupon_row(o, c);
        bo_int(o, "redemptions", (long long)c->n_redemptions);
        if (c->has_left)
            bo_int(o, "redemptions_left", c->redemptions_left);
    }
    api_result_free(&det);
    api_result_free(&own);
    return true;
}

/* tickets [IDENTIFIER]: the member's tickets, open and closed. */
static bool v_tickets(struct batch *b, int argc, char **argv)
{
    if (argc > 2)
        return usage(b, argv[0]);
    int64_t id;
    if (!batch_member(b, argc == 2 ? argv[1] : NULL, &id))
        return false;
    struct api_result *res = batch_call(b, api_tickets_get(id, NULL));
    const struct mc_ticket_list *l = API_DATA(res, TICKETS, struct mc_ticket_list);
    if (!l) {
        batch_fail_api(b, "tickets", &res->err);
        api_result_free(&res);
        return false;
    }
    bo_int(&b->out, "customer_id", id);
    bo_arr(&b->out, "tickets");
    for (size_t i = 0; i < l->n; i++) {
        const struct mc_ticket *t = &l->items[i];
        bo_obj(&b->out, NULL);
        bo_str(&b->out, "code", t->code);
        bo_str(&b->out, "status", t->status);
        bo_bool(&b->out, "open", api_ticket_is_open(t->status));
        bo_str(&b->out, "priority", t->priority);
        bo_str(&b->out, "department", t->department);
        bo_str(&b->out, "subject", t->subject);
        bo_str(&b->out, "created_on", t->created_on);
        bo_close(&b->out);
    }
    bo_close(&b->out);
    api_result_free(&res);
    return true;
}

/* Oldest first: the raising time as sent (one format per server sorts as
 * text), then the id. */
static int request_cmp(const void *a, const void *b)
{
    const struct mc_request *x = *(const struct mc_request *const *)a, *y = *(const struct mc_request *const *)b;
    int c = strcmp(x->added_on ? x->added_on : "", y->added_on ? y->added_on : "");
    if (c)
        return c;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* requests [FILTER...] [--limit N]: goodwill and identifier-change requests. */
static bool v_requests(struct batch *b, int argc, char **argv)
{
    long limit = API_REQUEST_PAGE_MAX;
    if (!take_limit(b, &argc, argv, &limit, API_REQUEST_PAGE_MAX))
        return false;
    struct mc_request_filter f = {0};
    bool newest = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *eq = strchr(a, '=');
        if (!eq) {
            if (strcasecmp(a, "PENDING") == 0 || strcasecmp(a, "APPROVED") == 0 || strcasecmp(a, "REJECTED") == 0)
                f.status = a;
            else if (strcasecmp(a, "mine") == 0)
                f.added_by = b->cfg->till;
            else
                return batch_fail(b, "unknown filter '%s' (status=, type=, base_type=, from=, to=, by=, "
                                     "member=, sort=, pending, approved, rejected, mine)", a);
            continue;
        }
        size_t k = (size_t)(eq - a);
        const char *val = eq + 1;
        if (k == 6 && strncmp(a, "status", k) == 0)
            f.status = val;
        else if (k == 4 && strncmp(a, "type", k) == 0)
            f.type = val;
        else if ((k == 9 && strncmp(a, "base_type", k) == 0) || (k == 4 && strncmp(a, "base", k) == 0))
            f.base_type = val;
        else if (k == 4 && strncmp(a, "from", k) == 0)
            f.start_date = val;
        else if (k == 2 && strncmp(a, "to", k) == 0)
            f.end_date = val;
        else if (k == 2 && strncmp(a, "by", k) == 0)
            f.added_by = val;
        else if ((k == 6 && strncmp(a, "member", k) == 0) || (k == 6 && strncmp(a, "mobile", k) == 0))
            f.member = val;
        else if (k == 4 && strncmp(a, "sort", k) == 0 && (strcmp(val, "oldest") == 0 || strcmp(val, "newest") == 0))
            newest = strcmp(val, "newest") == 0;
        else if (k == 4 && strncmp(a, "sort", k) == 0)
            return batch_fail(b, "sort= takes oldest or newest");
        else
            return batch_fail(b, "unknown filter '%.*s' (status, type, base_type, from, to, by, member, sort)",
                              (int)k, a);
    }
    /* the API takes upper-case statuses; a typed "pending" means the same */
    char status[16] = "";
    if (f.status) {
        snprintf(status, sizeof status, "%s", f.status);
        for (char *p = status; *p; p++)
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
        f.status = status;
    }
    struct api_result *res = batch_call(b, api_request_list(&f, 0, limit));
    const struct mc_request_page *p = API_DATA(res, REQUEST_LIST, struct mc_request_page);
    if (!p) {
        batch_fail_api(b, "requests", &res->err);
        api_result_free(&res);
        return false;
    }
    const struct mc_request **order = calloc(p->n ? p->n : 1, sizeof *order);
    if (!order) {
        api_result_free(&res);
        return batch_fail(b, "out of memory");
    }
    for (size_t i = 0; i < p->n; i++)
        order[i] = &p->items[i];
    if (p->n > 1)
        qsort(order, p->n, sizeof *order, request_cmp);
    struct bout *o = &b->out;
    bo_int(o, "total", p->count >= 0 ? p->count : (long long)p->n);
    bo_arr(o, "requests");
    for (size_t i = 0; i < p->n; i++) {
        const struct mc_request *r = order[newest ? p->n - 1 - i : i];
        char name[256];
        full_name(r->first_name, r->last_name, name, sizeof name);
        bo_obj(o, NULL);
        bo_int(o, "id", r->id);
        bo_str(o, "status", r->status);
        bo_str(o, "type", r->type);
        bo_str(o, "base_type", r->base_type);
        if (r->has_points)
            bo_num(o, "points", r->points);
        else
            bo_str(o, "points", NULL);
        bo_int(o, "customer_id", r->customer_id);
        bo_str(o, "name", name);
        bo_str(o, "mobile", r->mobile);
        bo_str(o, "reason", r->reason);
        bo_str(o, "added_on", r->added_on);
        bo_str(o, "added_by", r->added_by.code);
        bo_close(o);
    }
    bo_close(o);
    free(order);
    api_result_free(&res);
    return true;
}

static const char *audit_state_name(enum mc_audit_state s)
{
    switch (s) {
    case MC_AUDIT_SENT: return "sent";
    case MC_AUDIT_OK: return "ok";
    case MC_AUDIT_FAILED: return "failed";
    default: return "unknown";
    }
}

/* audit [--limit N]: this till's records in the local audit log. */
static bool v_audit(struct batch *b, int argc, char **argv)
{
    long limit = 50;
    if (!take_limit(b, &argc, argv, &limit, 10000))
        return false;
    if (argc != 1)
        return usage(b, argv[0]);
    const char *path = app_audit_path(b->app);
    FILE *f = fopen(path, "r");
    char *text = NULL;
    size_t len = 0;
    if (!f && errno != ENOENT)
        return batch_fail(b, "cannot read the audit log %s: %s", path, strerror(errno));
    if (f) {
        size_t cap = 0;
        char chunk[8192];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (len + n + 1 > cap) {
                cap = (len + n + 1) * 2;
                char *p = realloc(text, cap);
                if (!p) {
                    free(text);
                    fclose(f);
                    return batch_fail(b, "the audit log %s is too large to read", path);
                }
                text = p;
            }
            memcpy(text + len, chunk, n);
            len += n;
        }
        fclose(f);
    }
    struct mc_audit_log *log = api_audit_parse(text ? text : "", len);
    free(text);
    size_t mine = 0;
    for (size_t i = 0; i < log->n; i++)
        if (log->items[i].till && b->cfg->till && strcmp(log->items[i].till, b->cfg->till) == 0)
            mine++;
    struct bout *o = &b->out;
    bo_str(o, "path", path);
    bo_int(o, "records", (long long)mine);
    bo_arr(o, "entries");
    size_t seen = 0;
    for (size_t i = 0; i < log->n; i++) {
        const struct mc_audit_entry *e = &log->items[i];
        if (!e->till || !b->cfg->till || strcmp(e->till, b->cfg->till) != 0)
            continue;
        if (mine - seen++ > (size_t)limit)
            continue;
        bo_obj(o, NULL);
        bo_str(o, "time", e->time);
        bo_str(o, "action", e->action);
        bo_int(o, "member", e->member);
        bo_str(o, "ref", e->ref);
        bo_str(o, "state", audit_state_name(e->state));
        bo_str(o, "detail", e->detail);
        bo_str(o, "response_id", e->response_id);
        bo_str(o, "message", e->message);
        bo_close(o);
    }
    bo_close(o);
    mc_audit_log_free(&log);
    return true;
}

static bool v_help(struct batch *b, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    bo_arr(&b->out, "commands");
    for (const struct batch_verb *v = batch_verbs; v->name; v++) {
        bo_obj(&b->out, NULL);
        bo_str(&b->out, "usage", v->usage);
        bo_str(&b->out, "description", v->description);
        bo_close(&b->out);
    }
    bo_close(&b->out);
    return true;
}

static bool v_quit(struct batch *b, int argc, char **argv)
{
    if (argc != 1)
        return usage(b, argv[0]);
    b->quit = true;
    return true;
}

const struct batch_verb batch_verbs[] = {
    {"find", v_find, "find QUERY [--limit N]", "members matching a name, mobile number, email or external id"},
    {"customer", v_customer, "customer IDENTIFIER",
     "a member's profile, tier and points; later commands use this member"},
    {"ledger", v_ledger, "ledger [IDENTIFIER] [--limit N]", "the newest points ledger entries"},
    {"coupons", v_coupons, "coupons [IDENTIFIER]", "the member's coupons in every state"},
    {"coupon", v_coupon, "coupon CODE", "who holds a coupon code, and its state"},
    {"tickets", v_tickets, "tickets [IDENTIFIER]", "the member's support tickets"},
    {"goodwill", batch_goodwill, "goodwill [IDENTIFIER] POINTS REASON COMMENT",
     "raises a goodwill points request (a write; needs the maker right)"},
    {"requests", v_requests, "requests [FILTER...] [--limit N]",
     "goodwill and identifier-change requests, oldest first; filters: pending|approved|rejected, mine, "
     "status=, type=, base_type=, from=, to=, by=, member=, sort=oldest|newest"},
    {"approve", batch_approve, "approve REQUEST_ID [COMMENT]", "approves a pending request (a write; checker)"},
    {"reject", batch_reject, "reject REQUEST_ID REASON", "rejects a pending request (a write; checker)"},
    {"issue-coupon", batch_issue_coupon, "issue-coupon SERIES_ID [IDENTIFIER]",
     "issues a coupon of a series to the member (a write)"},
    {"redeem", batch_redeem, "redeem CODE BILL_NUMBER BILL_AMOUNT [IDENTIFIER]",
     "redeems a coupon against a bill (a write)"},
    {"audit", v_audit, "audit [--limit N]", "this till's records in the local audit log"},
    {"help", v_help, "help", "lists the commands"},
    {"quit", v_quit, "quit", "stops reading commands"},
    {NULL, NULL, NULL, NULL},
};
