/*
 * requests_bulk.c - deciding the marked requests of the approval queue.
 *
 * A (approve-marked) or R (reject-marked) shows a preview of the marked
 * pending requests with the totals ("Approve 12 requests, 4,350 points in
 * all"); requests the signed-in till raised are left out of an approval,
 * and the preview says so. y or Enter asks for the comment (required for a
 * rejection) and sends one POST /v1.1/request/approve (or reject) per
 * request, all at once: the worker runs them concurrently, each with its
 * own audit record. The result screen lists every request's outcome as it
 * arrives; successes are never hidden by failures, and failed requests stay
 * marked for another try once back in the queue. Leaving the results waits
 * for the last answer, so no write is cancelled half way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/text.h"
#include "views/requests_priv.h"

void rq_bulk_free(struct queue *q)
{
    free(q->bulk);
    q->bulk = NULL;
    q->n_bulk = 0;
}

static bool pending(const struct rq_row *row)
{
    return row->r.status && strcmp(row->r.status, "PENDING") == 0 && !row->decided[0];
}

void rq_bulk_start(struct view *v, bool approve)
{
    struct queue *q = Q(v);
    size_t marked = 0, mine = 0;
    for (size_t i = 0; i < q->n; i++) {
        if (!q->rows[i].marked || !pending(&q->rows[i]))
            continue;
        marked++;
        if (approve && request_is_mine(v->app, &q->rows[i].r))
            mine++;
    }
    if (marked == 0) {
        app_status(v->app, STATUS_INFO, "Nothing marked: Space marks the request under the cursor");
        return;
    }
    if (marked == mine) {
        app_status(v->app, STATUS_WARN, "You raised all %zu marked requests: another checker must approve them",
                   marked);
        return;
    }
    rq_bulk_free(q);
    q->bulk = calloc(marked, sizeof *q->bulk);
    if (!q->bulk)
        abort();
    for (size_t i = 0; i < q->n; i++) {
        const struct rq_row *row = &q->rows[i];
        if (!row->marked || !pending(row) || (approve && request_is_mine(v->app, &row->r)))
            continue;
        struct rq_bulk *b = &q->bulk[q->n_bulk++];
        b->id = row->r.id;
        b->customer = row->r.customer_id;
        snprintf(b->type, sizeof b->type, "%s", row->r.type ? row->r.type : "GOODWILL");
        snprintf(b->base, sizeof b->base, "%s", row->r.base_type ? row->r.base_type : "");
        b->has_points = row->r.has_points && strcmp(b->base, "POINTS") == 0;
        b->points = row->r.points;
        char who[160], amount[64];
        request_member_text(&row->r, who, sizeof who);
        request_amount_text(&row->r, amount, sizeof amount);
        snprintf(b->line, sizeof b->line, "%.130s, %.60s", who, amount);
    }
    q->left_out_mine = mine;
    q->bulk_approve = approve;
    q->bulk_waiting = 0;
    q->bulk_pos.cursor = 0;
    q->bulk_pos.top = 0;
    q->mode = RQ_PREVIEW;
    view_dirty(v);
}

static void totals(const struct queue *q, char *buf, size_t n)
{
    double points = 0;
    size_t coupons = 0, others = 0;
    for (size_t i = 0; i < q->n_bulk; i++) {
        if (q->bulk[i].has_points)
            points += q->bulk[i].points;
        else if (strcmp(q->bulk[i].base, "COUPON") == 0)
            coupons++;
        else
            others++;
    }
    char num[32];
    text_format_number(points, num, sizeof num);
    size_t len = (size_t)snprintf(buf, n, "%s %zu request%s, %s points in all", q->bulk_approve ? "approve" : "reject",
                                  q->n_bulk, q->n_bulk == 1 ? "" : "s", num);
    if (coupons && len < n)
        len += (size_t)snprintf(buf + len, n - len, ", %zu coupon%s", coupons, coupons == 1 ? "" : "s");
    if (others && len < n)
        snprintf(buf + len, n - len, ", %zu identifier change%s", others, others == 1 ? "" : "s");
}

static void send_all(struct view *v, const char *comment)
{
    struct queue *q = Q(v);
    /* every "sent" record on disk, in one flush, before the first request leaves */
    audit_hold(v->app);
    for (size_t i = 0; i < q->n_bulk; i++) {
        struct rq_bulk *b = &q->bulk[i];
        char ref[32], detail[240];
        snprintf(ref, sizeof ref, "%lld", (long long)b->id);
        snprintf(detail, sizeof detail, "request #%lld (bulk of %zu): %s", (long long)b->id, q->n_bulk, b->line);
        b->audit = audit_begin(v->app, q->bulk_approve ? "request-approve" : "request-reject", b->customer, ref,
                               detail);
    }
    audit_release(v->app);
    for (size_t i = 0; i < q->n_bulk; i++) {
        struct rq_bulk *b = &q->bulk[i];
        struct mc_request_decision d = {.id = b->id, .type = b->type, .base_type = b->base, .comments = comment};
        view_submit(v, q->bulk_approve ? api_request_approve(&d) : api_request_reject(&d),
                    RQ_TAG(RQ_K_BULK, (int)i));
        b->out = RQ_OUT_WAIT;
        b->msg[0] = '\0';
    }
    q->bulk_waiting = q->n_bulk;
    q->mode = RQ_RESULTS;
    app_status(v->app, STATUS_INFO, "Sending %zu decisions...", q->n_bulk);
    view_dirty(v);
}

static void comment_submit(struct view *v, struct form *f)
{
    char comment[600];
    snprintf(comment, sizeof comment, "%s", form_value(f, 0));
    form_close(f);
    if (Q(v)->mode == RQ_PREVIEW)
        send_all(v, comment);
}

static void confirm_preview(struct view *v)
{
    struct queue *q = Q(v);
    char title[200], t[160];
    totals(q, t, sizeof t);
    snprintf(title, sizeof title, "%c%s: comment%s", t[0] - 32, t + 1, q->bulk_approve ? " (optional)" : "");
    struct form_field_spec field = {.label = "Comment", .kind = FIELD_MULTILINE, .max_chars = 500,
                                    .required = !q->bulk_approve, .counter = true};
    app_form_open(v, title, &field, 1, comment_submit, NULL);
}

static void leave(struct view *v)
{
    struct queue *q = Q(v);
    if (q->mode == RQ_RESULTS && q->bulk_waiting > 0) {
        app_status(v->app, STATUS_WARN, "Waiting for %zu more answer%s before leaving the results", q->bulk_waiting,
                   q->bulk_waiting == 1 ? "" : "s");
        return;
    }
    bool reload = q->mode == RQ_RESULTS;
    q->mode = RQ_LIST;
    rq_bulk_free(q);
    if (reload)
        rq_reload(v);
    view_dirty(v);
}

bool rq_bulk_key(struct view *v, int key)
{
    struct queue *q = Q(v);
    if (q->mode == RQ_PREVIEW && (key == 'y' || key == 'Y' || key == MC_KEY_ENTER)) {
        confirm_preview(v);
        return true;
    }
    if (q->mode == RQ_PREVIEW && (key == 'n' || key == 'N')) {
        leave(v);
        return true;
    }
    if (q->mode == RQ_RESULTS && key == MC_KEY_ENTER) {
        leave(v);
        return true;
    }
    return false;
}

bool rq_bulk_action(struct view *v, enum action a)
{
    struct queue *q = Q(v);
    if (a == ACTION_BACK) {
        leave(v);
        return true;
    }
    if (list_nav(&q->bulk_pos, a, (long)q->n_bulk, rq_list_height(v) - 1))
        return true;
    /* everything else waits until the preview or results are closed */
    return a != ACTION_HELP && a != ACTION_QUIT && a != ACTION_COMMAND;
}

void rq_bulk_result(struct view *v, struct api_result *res)
{
    struct queue *q = Q(v);
    size_t i = (size_t)RQ_TAG_IDX(res->tag);
    if (i >= q->n_bulk)
        return;
    struct rq_bulk *b = &q->bulk[i];
    const struct mc_request_outcomes *o = API_DATA(res, REQUEST_APPROVE, struct mc_request_outcomes);
    if (!o)
        o = API_DATA(res, REQUEST_REJECT, struct mc_request_outcomes);
    const struct mc_request_outcome *x = o && o->n ? &o->items[0] : NULL;
    if (q->bulk_waiting > 0)
        q->bulk_waiting--;
    if (x && x->ok) {
        b->out = RQ_OUT_OK;
        char rid[32];
        snprintf(rid, sizeof rid, "%lld", (long long)b->id);
        audit_end(v->app, b->audit, true, x->approved_value && *x->approved_value ? x->approved_value : rid, NULL);
        if (x->approved_value && *x->approved_value && strcmp(b->base, "COUPON") == 0)
            snprintf(b->msg, sizeof b->msg, "coupon %s", x->approved_value);
        requests_view_decided(v, b->id, q->bulk_approve ? "APPROVED" : "REJECTED");
    } else {
        struct api_error err;
        mc_request_outcome_error(res, x, &err);
        api_error_format(&err, b->msg, sizeof b->msg);
        audit_end_error(v->app, b->audit, &err, b->msg);
        b->out = err.unknown_outcome ? RQ_OUT_UNKNOWN : RQ_OUT_FAILED;
        if (err.http_status == 403) {
            app_revoke_right(v->app, ACT_NEEDS_CHECKER);
            app_status_error(v->app, "Deciding the marked requests", &err);
        }
    }
    if (q->bulk_waiting == 0) {
        size_t ok = 0, unknown = 0;
        for (size_t k = 0; k < q->n_bulk; k++) {
            ok += q->bulk[k].out == RQ_OUT_OK;
            unknown += q->bulk[k].out == RQ_OUT_UNKNOWN;
        }
        const char *done = q->bulk_approve ? "Approved" : "Rejected";
        if (ok == q->n_bulk)
            app_status(v->app, STATUS_OK, "%s all %zu requests", done, ok);
        else if (unknown == 0)
            app_status(v->app, STATUS_WARN, "%s %zu of %zu requests; %zu did not go through and stay marked",
                       done, ok, q->n_bulk, q->n_bulk - ok);
        else
            /* an unanswered decision may have been made: the reload tells */
            app_status(v->app, STATUS_WARN,
                       "%s %zu of %zu requests; %zu failed, %zu unanswered (may have been made: F5 shows)", done,
                       ok, q->n_bulk, q->n_bulk - ok - unknown, unknown);
    }
    view_dirty(v);
}

void rq_bulk_draw(struct view *v, WINDOW *w)
{
    struct queue *q = Q(v);
    const struct app *app = v->app;
    char head[300], t[200];
    totals(q, t, sizeof t);
    size_t ok = 0, failed = 0, unknown = 0;
    for (size_t i = 0; i < q->n_bulk; i++) {
        ok += q->bulk[i].out == RQ_OUT_OK;
        failed += q->bulk[i].out == RQ_OUT_FAILED;
        unknown += q->bulk[i].out == RQ_OUT_UNKNOWN;
    }
    if (q->mode == RQ_PREVIEW) {
        snprintf(head, sizeof head, "%c%s?", t[0] - 32, t + 1);
    } else if (q->bulk_waiting) {
        snprintf(head, sizeof head, "%s %zu requests: %zu done, %zu waiting", q->bulk_approve ? "Approving" : "Rejecting",
                 q->n_bulk, q->n_bulk - q->bulk_waiting, q->bulk_waiting);
    } else {
        int len = snprintf(head, sizeof head, "%s %zu of %zu requests; %zu failed",
                           q->bulk_approve ? "Approved" : "Rejected", ok, q->n_bulk, failed);
        if (unknown && len > 0 && (size_t)len < sizeof head)
            snprintf(head + len, sizeof head - (size_t)len, ", %zu unanswered", unknown);
    }
    tui_put(app, w, 0, 1, v->cols - 2, head, ROLE_TITLE);
    if (q->mode == RQ_PREVIEW && q->left_out_mine)
        tui_putf(app, w, 1, 1, v->cols - 2, ROLE_WARN,
                 "%zu marked request%s raised by you %s left out: another checker must approve %s",
                 q->left_out_mine, q->left_out_mine == 1 ? "" : "s", q->left_out_mine == 1 ? "is" : "are",
                 q->left_out_mine == 1 ? "it" : "them");
    else
        tui_hline(app, w, 1, 0, v->cols);
    int height = rq_list_height(v) - 1;
    if (height < 1)
        height = 1;
    list_clamp(&q->bulk_pos, (long)q->n_bulk, height);
    int wid = 8, wout = q->mode == RQ_PREVIEW ? 0 : (v->cols - 10) * 2 / 5;
    for (int i = 0; i < height && q->bulk_pos.top + i < (long)q->n_bulk; i++) {
        long k = q->bulk_pos.top + i;
        const struct rq_bulk *b = &q->bulk[k];
        int y = 2 + i;
        bool sel = k == q->bulk_pos.cursor;
        if (sel)
            tui_fill(app, w, y, 0, v->cols, ROLE_SELECTED);
        enum role r = sel ? ROLE_SELECTED : ROLE_NORMAL;
        tui_putf(app, w, y, 1, wid, r, "#%lld", (long long)b->id);
        tui_put(app, w, y, 2 + wid, v->cols - wid - wout - 4, b->line, r);
        if (!wout)
            continue;
        const char *word = b->out == RQ_OUT_WAIT      ? "waiting..."
                           : b->out == RQ_OUT_OK       ? (q->bulk_approve ? "approved" : "rejected")
                           : b->out == RQ_OUT_UNKNOWN ? "no answer:"
                                                      : "FAILED:";
        enum role wr = sel ? r : b->out == RQ_OUT_OK ? ROLE_OK : b->out == RQ_OUT_WAIT ? ROLE_DIM : ROLE_ERROR;
        tui_putf(app, w, y, v->cols - wout - 1, wout, wr, "%s%s%s", word, b->msg[0] ? " " : "", b->msg);
    }
    const char *hint;
    char buf[200];
    if (q->mode == RQ_PREVIEW) {
        snprintf(buf, sizeof buf, "y or Enter: %s these %zu (a comment is asked next)   n or Esc: back",
                 q->bulk_approve ? "approve" : "reject", q->n_bulk);
        hint = buf;
    } else if (q->bulk_waiting) {
        hint = "Waiting for the answers...";
    } else {
        hint = failed ? "Enter or Esc: back to the queue (the failed ones stay marked)" : "Enter or Esc: back to the queue";
    }
    tui_put(app, w, v->rows - 1, 1, v->cols - 2, hint, ROLE_DIM);
}
