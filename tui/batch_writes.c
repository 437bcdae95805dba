/*
 * batch_writes.c - the write verbs of `membercare --batch`: goodwill,
 * approve, reject, issue-coupon, redeem.
 *
 * Each goes the console's way: the till's rights and read-only mode first,
 * then the reads the write needs (the member, the request being decided),
 * then either --dry-run (the method, path and body printed, nothing sent)
 * or, with --yes, an audit "sent" record, the request, and the audit
 * "done" record with the outcome. Writes are never retried (the worker
 * retries GETs only); each goodwill command gets a reference id of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tui/app_priv.h"
#include "tui/batch_priv.h"
#include "tui/text.h"

static bool parse_amount(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v > 0) || v >= 1e12)
        return false;
    *out = v;
    return true;
}

static bool parse_id(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v <= 0)
        return false;
    *out = v;
    return true;
}

/* The audit "sent" record; refuses the write when the log cannot take it,
 * so nothing reaches the server unrecorded. */
static bool audit_sent(struct batch *b, long *audit, const char *action, int64_t member, const char *ref,
                       const char *detail)
{
    *audit = audit_begin(b->app, action, member, ref, detail);
    if (*audit <= 0)
        return batch_fail(b, "not sent: %s", b->app->msg[0] ? b->app->msg : "cannot write the audit log");
    return true;
}

/* Records and reports a request write that did not come back ok; frees res. */
static bool request_write_failed(struct batch *b, long audit, const char *verb, struct api_result *res,
                                 const struct mc_request_outcome *x)
{
    struct api_error err;
    mc_request_outcome_error(res, x, &err);
    char msg[320];
    api_error_format(&err, msg, sizeof msg);
    audit_end_error(b->app, audit, &err, msg);
    batch_fail_api(b, verb, &err);
    api_result_free(&res);
    return false;
}

/* goodwill [IDENTIFIER] POINTS REASON COMMENT */
bool batch_goodwill(struct batch *b, int argc, char **argv)
{
    if (argc != 4 && argc != 5)
        return batch_fail(b, "usage: goodwill [IDENTIFIER] POINTS REASON COMMENT");
    const char *ident = argc == 5 ? argv[1] : NULL;
    const char *pts = argv[argc - 3], *reason = argv[argc - 2], *comment = argv[argc - 1];
    double points;
    if (!parse_amount(pts, &points))
        return batch_fail(b, "'%s' is not a number of points above 0", pts);
    if (!*reason)
        return batch_fail(b, "a reason is needed (e.g. POINTS_ISSUE, SERVICE_RECOVERY)");
    /* the checker reads it before deciding: the console's form requires it too */
    const char *c = comment;
    while (*c == ' ' || *c == '\t')
        c++;
    if (!*c)
        return batch_fail(b, "a comment is needed: the checker reads it before deciding");
    if (!batch_write_allowed(b, 'm'))
        return false;
    int64_t id;
    if (!batch_member(b, ident, &id))
        return false;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    char ref[64];
    snprintf(ref, sizeof ref, "mc-%lld%03ld-%d-b%u", (long long)ts.tv_sec, ts.tv_nsec / 1000000L,
             (int)getpid() % 100000, ++b->seq);
    struct mc_goodwill_new g = {
        .customer_id = id,
        .reference_id = ref,
        .points = points,
        .reason = reason,
        .comments = comment,
    };
    struct api_request *req = api_request_add_goodwill(&g);
    if (b->cfg->dry_run) {
        batch_show_request(b, req);
        return true;
    }
    char num[32], detail[300];
    text_format_number(points, num, sizeof num);
    snprintf(detail, sizeof detail, "goodwill %s points, %.200s", num, reason);
    long audit;
    if (!audit_sent(b, &audit, "goodwill-raise", id, ref, detail)) {
        api_request_free(&req);
        return false;
    }
    struct api_result *res = batch_call(b, req);
    const struct mc_request_outcomes *o = API_DATA(res, REQUEST_ADD, struct mc_request_outcomes);
    const struct mc_request_outcome *x = o && o->n ? &o->items[0] : NULL;
    if (!x || !x->ok)
        return request_write_failed(b, audit, "goodwill", res, x);
    char rid[32];
    snprintf(rid, sizeof rid, "%lld", (long long)x->id);
    audit_end(b->app, audit, true, rid, NULL);
    bo_int(&b->out, "request_id", x->id);
    bo_str(&b->out, "status", x->status ? x->status : "PENDING");
    bo_int(&b->out, "customer_id", id);
    bo_num(&b->out, "points", points);
    bo_str(&b->out, "reason", reason);
    bo_str(&b->out, "reference_id", ref);
    api_result_free(&res);
    return true;
}

/* What a decision needs to know of the request it decides: the API wants
 * its type and base type, the audit record its member and amount. */
struct pending {
    int64_t customer;
    char type[32], base[32], who[200], amount[64];
};

/* Finds a pending request by id, paging through the pending queue. */
static bool find_pending(struct batch *b, int64_t id, struct pending *pd)
{
    for (long offset = 0; offset < 20L * API_REQUEST_PAGE_MAX; offset += API_REQUEST_PAGE_MAX) {
        struct mc_request_filter f = {.status = "PENDING"};
        struct api_result *res = batch_call(b, api_request_list(&f, offset, API_REQUEST_PAGE_MAX));
        const struct mc_request_page *p = API_DATA(res, REQUEST_LIST, struct mc_request_page);
        if (!p) {
            batch_fail_api(b, "pending requests", &res->err);
            api_result_free(&res);
            return false;
        }
        for (size_t i = 0; i < p->n; i++) {
            const struct mc_request *r = &p->items[i];
            if (r->id != id)
                continue;
            pd->customer = r->customer_id;
            snprintf(pd->type, sizeof pd->type, "%s", r->type ? r->type : "GOODWILL");
            snprintf(pd->base, sizeof pd->base, "%s", r->base_type ? r->base_type : "");
            snprintf(pd->who, sizeof pd->who, "%s%s%s", r->first_name ? r->first_name : "",
                     r->first_name && r->last_name ? " " : "", r->last_name ? r->last_name : "");
            if (r->has_points) {
                text_format_number(r->points, pd->amount, sizeof pd->amount);
                snprintf(pd->amount + strlen(pd->amount), sizeof pd->amount - strlen(pd->amount), " points");
            } else {
                snprintf(pd->amount, sizeof pd->amount, "%s", r->new_value ? r->new_value : pd->base);
            }
            api_result_free(&res);
            return true;
        }
        bool last = p->n < API_REQUEST_PAGE_MAX;
        api_result_free(&res);
        if (last)
            break;
    }
    return batch_fail(b, "request %lld is not pending (or does not exist)", (long long)id);
}

static bool decide(struct batch *b, bool approve, const char *idtext, const char *comment)
{
    int64_t id;
    if (!parse_id(idtext, &id))
        return batch_fail(b, "'%s' is not a request id", idtext);
    if (!batch_write_allowed(b, 'c'))
        return false;
    struct pending pd = {0};
    if (!find_pending(b, id, &pd))
        return false;
    struct mc_request_decision d = {.id = id, .type = pd.type, .base_type = pd.base, .comments = comment};
    struct api_request *req = approve ? api_request_approve(&d) : api_request_reject(&d);
    if (b->cfg->dry_run) {
        batch_show_request(b, req);
        return true;
    }
    char ref[32], detail[300];
    snprintf(ref, sizeof ref, "%lld", (long long)id);
    snprintf(detail, sizeof detail, "request #%lld: %s", (long long)id, pd.amount);
    long audit;
    if (!audit_sent(b, &audit, approve ? "request-approve" : "request-reject", pd.customer, ref, detail)) {
        api_request_free(&req);
        return false;
    }
    struct api_result *res = batch_call(b, req);
    const struct mc_request_outcomes *o = approve
        ? API_DATA(res, REQUEST_APPROVE, struct mc_request_outcomes)
        : API_DATA(res, REQUEST_REJECT, struct mc_request_outcomes);
    const struct mc_request_outcome *x = o && o->n ? &o->items[0] : NULL;
    if (!x || !x->ok)
        return request_write_failed(b, audit, approve ? "approve" : "reject", res, x);
    const char *value = x->approved_value && *x->approved_value ? x->approved_value : NULL;
    audit_end(b->app, audit, true, value ? value : ref, NULL);
    bo_int(&b->out, "request_id", id);
    bo_str(&b->out, "status", x->status ? x->status : approve ? "APPROVED" : "REJECTED");
    bo_int(&b->out, "customer_id", pd.customer);
    bo_str(&b->out, "name", pd.who);
    bo_str(&b->out, "amount", pd.amount);
    bo_str(&b->out, "approved_value", value);
    api_result_free(&res);
    return true;
}

/* approve REQUEST_ID [COMMENT] */
bool batch_approve(struct batch *b, int argc, char **argv)
{
    if (argc != 2 && argc != 3)
        return batch_fail(b, "usage: approve REQUEST_ID [COMMENT]");
    return decide(b, true, argv[1], argc == 3 ? argv[2] : NULL);
}

/* reject REQUEST_ID REASON */
bool batch_reject(struct batch *b, int argc, char **argv)
{
    if (argc != 3 || !*argv[2])
        return batch_fail(b, "usage: reject REQUEST_ID REASON (the member is told why)");
    return decide(b, false, argv[1], argv[2]);
}

/* issue-coupon SERIES_ID [IDENTIFIER] */
bool batch_issue_coupon(struct batch *b, int argc, char **argv)
{
    if (argc != 2 && argc != 3)
        return batch_fail(b, "usage: issue-coupon SERIES_ID [IDENTIFIER]");
    int64_t series;
    if (!parse_id(argv[1], &series))
        return batch_fail(b, "'%s' is not a coupon series id", argv[1]);
    if (!batch_write_allowed(b, 0))
        return false;
    int64_t id;
    if (!batch_member(b, argc == 3 ? argv[2] : NULL, &id))
        return false;
    struct api_request *req = api_coupon_issue(series, id);
    if (b->cfg->dry_run) {
        batch_show_request(b, req);
        return true;
    }
    char detail[80];
    snprintf(detail, sizeof detail, "series %lld", (long long)series);
    long audit;
    if (!audit_sent(b, &audit, "coupon-issue", id, argv[1], detail)) {
        api_request_free(&req);
        return false;
    }
    struct api_result *res = batch_call(b, req);
    const struct mc_coupon *c = API_DATA(res, COUPON_ISSUE, struct mc_coupon);
    if (!c || !c->code) {
        char msg[320];
        api_error_format(&res->err, msg, sizeof msg);
        audit_end_error(b->app, audit, &res->err, c ? "the answer named no coupon code" : msg);
        if (c)
            batch_fail(b, "issue-coupon: the answer named no coupon code");
        else
            batch_fail_api(b, "issue-coupon", &res->err);
        api_result_free(&res);
        return false;
    }
    audit_end(b->app, audit, true, c->code, NULL);
    bo_str(&b->out, "code", c->code);
    bo_int(&b->out, "series_id", series);
    bo_int(&b->out, "customer_id", id);
    bo_str(&b->out, "valid_till", c->valid_till);
    api_result_free(&res);
    return true;
}

/* redeem CODE BILL_NUMBER BILL_AMOUNT [IDENTIFIER] */
bool batch_redeem(struct batch *b, int argc, char **argv)
{
    if (argc != 4 && argc != 5)
        return batch_fail(b, "usage: redeem CODE BILL_NUMBER BILL_AMOUNT [IDENTIFIER]");
    double amount;
    if (!parse_amount(argv[3], &amount))
        return batch_fail(b, "'%s' is not a bill amount above 0", argv[3]);
    if (!*argv[2])
        return batch_fail(b, "a bill number is needed");
    if (!batch_write_allowed(b, 0))
        return false;
    int64_t id;
    if (!batch_member(b, argc == 5 ? argv[4] : NULL, &id))
        return false;
    struct api_request *req = api_coupon_redeem(id, argv[1], argv[2], amount);
    if (b->cfg->dry_run) {
        batch_show_request(b, req);
        return true;
    }
    char detail[200], num[32];
    text_format_number(amount, num, sizeof num);
    snprintf(detail, sizeof detail, "bill %.100s, amount %s", argv[2], num);
    long audit;
    if (!audit_sent(b, &audit, "coupon-redeem", id, argv[1], detail)) {
        api_request_free(&req);
        return false;
    }
    struct api_result *res = batch_call(b, req);
    const struct mc_redeem_result *r = API_DATA(res, COUPON_REDEEM, struct mc_redeem_result);
    if (!r) {
        char msg[320];
        api_error_format(&res->err, msg, sizeof msg);
        audit_end_error(b->app, audit, &res->err, msg);
        batch_fail_api(b, "redeem", &res->err);
        api_result_free(&res);
        return false;
    }
    char rid[32] = "";
    if (r->n && r->items[0].redemption_id > 0)
        snprintf(rid, sizeof rid, "%lld", (long long)r->items[0].redemption_id);
    audit_end(b->app, audit, true, rid[0] ? rid : NULL, r->message);
    bo_str(&b->out, "code", argv[1]);
    bo_int(&b->out, "customer_id", id);
    bo_str(&b->out, "bill", argv[2]);
    bo_num(&b->out, "amount", amount);
    if (rid[0])
        bo_int(&b->out, "redemption_id", r->items[0].redemption_id);
    bo_str(&b->out, "message", r->message);
    api_result_free(&res);
    return true;
}
