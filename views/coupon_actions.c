/*
 * coupon_actions.c - the coupons screen's writes and checks: issue,
 * check redeemable, redeem, revoke, reactivate, resend.
 *
 * Every write goes form (when the API needs input) -> confirmation that
 * says what will happen -> audit_begin -> request -> audit_end, status
 * line, list reload. One write at a time (s->busy). What the console knows
 * already is checked before asking anything (a redeemed coupon is not
 * offered for redemption, with the date, store and bill that used it); the
 * server's refusals are reported with its own code and message next to
 * what they mean. How an unanswered issue is kept from turning into two
 * coupons is described in coupons.c's header; the code is the lost_* and
 * recheck parts below.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/text.h"
#include "views/coupon_text.h"
#include "views/coupons_priv.h"

static long long now_of(struct view *v)
{
    return app_wall_time(v->app);
}

static const char *write_name(enum coupon_write w)
{
    switch (w) {
    case CW_ISSUE: return "issue";
    case CW_REDEEM: return "redemption";
    case CW_REVOKE: return "revocation";
    case CW_REACTIVATE: return "reactivation";
    case CW_RESEND: return "resend";
    case CW_NONE: break;
    }
    return "write";
}

static bool idle(struct view *v)
{
    struct coupons *s = coupons_of(v);
    if (s->busy == CW_NONE)
        return true;
    app_status(v->app, STATUS_WARN, "Still waiting for the answer to the %s just sent",
               write_name(s->busy));
    return false;
}

/* Why there is no list to act on: it may be on its way, have failed, or
 * have been cancelled. */
static const char *no_list_reason(const struct coupons *s)
{
    if (s->loading)
        return "The coupons are still loading";
    return s->failed ? "The coupons did not load: F5 tries again" : "The coupons are not loaded: F5 loads them";
}

/* The selected coupon, or a word why there is none. */
static const struct mc_coupon *target(struct view *v)
{
    const struct mc_coupon *c = coupons_selected(v);
    if (!c)
        app_status(v->app, STATUS_INFO, "%s",
                   coupons_of(v)->list ? "No coupon selected" : no_list_reason(coupons_of(v)));
    return c;
}

static void key_of(struct view *v, enum action a, char *buf, size_t n)
{
    keymap_keys_for(app_keymap(v->app), CTX_COUPONS, a, buf, n);
    char *comma = strchr(buf, ',');
    if (comma)
        *comma = '\0';
}

/* What a refusal code means, for sentences. NULL when unknown. */
static const char *meaning(long code)
{
    switch (code) {
    case 711: case 716: case 747: case 728: case 736: return "it has already been redeemed";
    case 713: return "it has expired";
    case 712: return "its series has ended";
    case 660: return "it has been revoked";
    case 703: case 710: case 723: return "it was not issued to this member";
    case 702: case 719: case 780: case 404: case 682: return "the server does not know this code";
    case 405: return "it has been redeemed, and only unredeemed coupons can be revoked";
    case 718: return "the bill number is missing";
    case 733: return "the bill amount is not valid";
    case 735: return "it cannot be redeemed at this store";
    case 714: return "the campaign's redemptions are used up";
    case 722: return "the series cannot issue more coupons";
    case 707: case 755: return "the series is not valid";
    case 701: case 721: return "the server does not know this member";
    case 742: case 740: case 750: return "the member is blocked for coupons";
    default: return NULL;
    }
}

/* "<what>: it has expired (server: 713 Coupon expired)" into buf. */
static void refusal_text(const char *what, const struct api_error *err, char *buf, size_t n)
{
    char server[300];
    api_error_format(err, server, sizeof server);
    const char *m = err->kind == API_REMOTE ? meaning(err->code) : NULL;
    if (m)
        snprintf(buf, n, "%s: %s (server: %s)", what, m, server);
    else
        snprintf(buf, n, "%s: %s", what, server);
}

/* Whether the server may have done the write although no answer said so. */
static bool outcome_unknown(const struct api_error *err)
{
    switch (err->kind) {
    case API_NETWORK: case API_TIMEOUT: case API_DECODE: case API_CANCELLED:
        return true;
    case API_HTTP:
        return err->http_status == 0 || err->http_status >= 500;
    case API_REMOTE:
        return err->http_status >= 500;
    case API_OK:
        break;
    }
    return false;
}

static void start_write(struct view *v, enum coupon_write w, const char *action, const char *ref,
                        const char *detail, struct api_request *req, int tag)
{
    struct coupons *s = coupons_of(v);
    s->busy = w;
    s->busy_gen = v->generation;
    s->audit = audit_begin(v->app, action, s->id, ref, detail);
    view_submit(v, req, tag);
}

static void finish_write(struct view *v, bool ok, const char *response_id, const char *message)
{
    struct coupons *s = coupons_of(v);
    if (s->audit > 0)
        audit_end(v->app, s->audit, ok, response_id, message);
    s->audit = 0;
    s->busy = CW_NONE;
}

/* A write that ended with err: its audit record says "unknown" when the
 * server may have done it, so the log never claims a lost answer failed. */
static void finish_failed(struct view *v, const struct api_error *err, const char *message)
{
    struct coupons *s = coupons_of(v);
    if (s->audit > 0) {
        if (outcome_unknown(err))
            audit_end_unknown(v->app, s->audit, message);
        else
            audit_end(v->app, s->audit, false, NULL, message);
    }
    s->audit = 0;
    s->busy = CW_NONE;
}

/* Issue: the picker */

static void lost_clear(struct coupons *s)
{
    for (size_t i = 0; i < s->lost.n_known; i++)
        free(s->lost.known[i]);
    free(s->lost.known);
    memset(&s->lost, 0, sizeof s->lost);
}

/* Notes the codes the member holds now, before an issue is sent. */
static void note_known(struct coupons *s, char ***known, size_t *n)
{
    *known = NULL;
    *n = 0;
    if (!s->list || s->list->n == 0)
        return;
    *known = calloc(s->list->n, sizeof **known);
    if (!*known)
        abort();
    for (size_t i = 0; i < s->list->n; i++) {
        if (!s->list->items[i].code)
            continue;
        (*known)[*n] = strdup(s->list->items[i].code);
        if (!(*known)[*n])
            abort();
        (*n)++;
    }
}

static const struct mc_coupon_series *series_by_id(struct coupons *s, int64_t id)
{
    for (size_t i = 0; s->series && i < s->series->n; i++)
        if (s->series->items[i].id == id)
            return &s->series->items[i];
    return NULL;
}

static void issue_submit(struct view *v, struct form *f);
static void form_closed(struct view *v);

static void open_issue_form(struct view *v)
{
    struct coupons *s = coupons_of(v);
    long long now = now_of(v);
    size_t n = s->series ? s->series->n : 0;
    char **labels = calloc(n ? n : 1, sizeof *labels);
    free(s->form_series);
    s->form_series = calloc(n ? n : 1, sizeof *s->form_series);
    if (!labels || !s->form_series)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct mc_coupon_series *sr = &s->series->items[i];
        if (coupon_series_ended(sr, now))
            continue;
        char code[64], disc[64], left[48] = "", buf[320];
        coupon_fmt_discount(sr->discount_type, sr->discount_value, sr->discount_upto, false, disc,
                            sizeof disc);
        long remaining = sr->max_create > sr->issued ? sr->max_create - sr->issued : 0;
        if (sr->max_create >= 0 && sr->issued >= 0 && remaining <= 100)
            snprintf(left, sizeof left, ", only %ld left", remaining);
        /* No dates: typing narrows the choices by any part of the text, and
         * "20" should find WELCOME20, not every series ending in 2026. The
         * confirmation says how long the coupon will be valid. */
        snprintf(buf, sizeof buf, "%s %s%s%s%s", coupon_series_label(sr, code, sizeof code), disc,
                 left, sr->description ? " - " : "", sr->description ? sr->description : "");
        labels[k] = strdup(buf);
        if (!labels[k])
            abort();
        s->form_series[k++] = sr->id;
    }
    s->n_form_series = k;
    if (k == 0) {
        app_status(v->app, STATUS_WARN, "No running coupon series to issue from");
        free(labels);
        return;
    }
    char title[256];
    snprintf(title, sizeof title, "Issue a coupon to %s", s->name);
    struct form_field_spec spec = {
        .label = "Series", .kind = FIELD_CHOICE, .choices = (const char *const *)labels,
        .n_choices = k, .required = true,
    };
    s->form_kind = CW_ISSUE;
    app_form_open(v, title, &spec, 1, issue_submit, form_closed);
    for (size_t i = 0; i < k; i++)
        free(labels[i]);
    free(labels);
    app_status(v->app, STATUS_INFO, "Type to narrow the series, Left/Right to pick, Enter to issue");
}

static void issue_start(struct view *v)
{
    struct coupons *s = coupons_of(v);
    if (!idle(v))
        return;
    if (!s->list) {
        /* The codes held before an issue are what tells a lost answer apart. */
        app_status(v->app, STATUS_INFO, "%s%s", no_list_reason(s), s->loading ? "; issue once they show" : "");
        return;
    }
    if (!s->series) {
        s->issue_waits_series = true;
        if (!s->series_loading) {
            s->series_loading = true;
            view_submit(v, api_coupon_series_active(), CTAG_SERIES);
        }
        app_status(v->app, STATUS_INFO, "Loading the coupon series...");
        return;
    }
    open_issue_form(v);
}

static void issue_answer(struct view *v, bool yes);

static void ask_issue(struct view *v)
{
    struct coupons *s = coupons_of(v);
    char text[512];
    if (s->pick_valid[0])
        snprintf(text, sizeof text, "Issue \"%s\" (%s, valid till %s) to %s?", s->pick_label,
                 s->pick_discount, s->pick_valid, s->name);
    else
        snprintf(text, sizeof text, "Issue \"%s\" (%s) to %s?", s->pick_label, s->pick_discount, s->name);
    app_confirm(v, text, issue_answer);
}

static void issue_submit(struct view *v, struct form *f)
{
    struct coupons *s = coupons_of(v);
    int choice = form_choice(f, 0);
    const struct mc_coupon_series *sr =
        choice >= 0 && (size_t)choice < s->n_form_series ? series_by_id(s, s->form_series[choice]) : NULL;
    if (!sr) {
        form_set_error(f, "Pick a series");
        return;
    }
    if (s->busy != CW_NONE) {
        form_set_error(f, "Still waiting for the answer to the %s just sent", write_name(s->busy));
        return;
    }
    long long now = now_of(v);
    s->pick_series = sr->id;
    coupon_series_label(sr, s->pick_label, sizeof s->pick_label);
    coupon_fmt_discount(sr->discount_type, sr->discount_value, sr->discount_upto, false,
                        s->pick_discount, sizeof s->pick_discount);
    coupon_issue_valid_till(sr, now, s->pick_valid, sizeof s->pick_valid);
    if (coupon_series_ended(sr, now)) {
        char end[32];
        coupon_fmt_date(sr->valid_till, end, sizeof end);
        form_set_error(f, "%s ended on %s: pick another series", s->pick_label, end);
        return;
    }
    form_set_busy(f, true);
    if (s->lost.open) {
        app_status(v->app, STATUS_INFO,
                   "Checking %s's coupons for the unanswered issue of %s before issuing...",
                   s->name, s->lost.label);
        view_submit(v, api_customer_coupons(s->id), CTAG_RECHECK);
        return;
    }
    ask_issue(v);
}

static void issue_answer(struct view *v, bool yes)
{
    if (!v)
        return;
    struct coupons *s = coupons_of(v);
    struct form *f = app_form_of(v);
    if (!yes) {
        if (f)
            form_set_busy(f, false);
        app_status(v->app, STATUS_INFO, "Nothing issued");
        return;
    }
    lost_clear(s);
    note_known(s, &s->lost.known, &s->lost.n_known);
    s->lost.series = s->pick_series;
    snprintf(s->lost.label, sizeof s->lost.label, "%s", s->pick_label);
    char detail[200];
    snprintf(detail, sizeof detail, "series %lld: %s, valid till %s", (long long)s->pick_series,
             s->pick_discount, s->pick_valid[0] ? s->pick_valid : "-");
    start_write(v, CW_ISSUE, "coupon-issue", s->pick_label, detail,
                api_coupon_issue(s->pick_series, s->id), CTAG_ISSUE);
    app_status(v->app, STATUS_INFO, "Issuing %s to %s...", s->pick_label, s->name);
}

/* The attempt's coupon turned up: say so, select it, close the attempt. */
static void lost_found(struct view *v, const struct mc_coupon *c)
{
    struct coupons *s = coupons_of(v);
    char code[64];
    snprintf(code, sizeof code, "%s", c->code);
    if (s->lost.audit > 0)
        audit_end(v->app, s->lost.audit, true, code,
                  "the answer was lost; the coupon was found in the member's coupons");
    app_status(v->app, STATUS_OK, "Issued after all: %s (%s) to %s; not issued again", code,
               s->lost.label, s->name);
    lost_clear(s);
    coupons_select(v, code);
}

void coupon_actions_list_arrived(struct view *v)
{
    struct coupons *s = coupons_of(v);
    struct form *f = app_form_of(v);
    if (!s->lost.open || s->busy != CW_NONE)
        return;
    long i = coupon_find_new(s->list, s->lost.known, s->lost.n_known, s->lost.series);
    if (i < 0)
        return;
    lost_found(v, &s->list->items[i]);
    /* The form still open is the retry of that very issue: it is done. */
    if (f && s->form_kind == CW_ISSUE)
        form_close(f);
}

static void on_recheck(struct view *v, struct api_result *res)
{
    struct coupons *s = coupons_of(v);
    struct form *f = app_form_of(v);
    struct mc_coupon_list *l = API_DATA(res, COUPONS, struct mc_coupon_list);
    if (!l) {
        char buf[300];
        api_error_format(&res->err, buf, sizeof buf);
        if (f) {
            form_set_busy(f, false);
            form_set_error(f, "Could not check the coupons (%s); nothing sent. Submit to try again.", buf);
        }
        app_status(v->app, STATUS_ERROR, "Not issued: checking %s's coupons first failed: %s",
                   s->name, buf);
        return;
    }
    res->data = NULL;
    coupons_set_list(v, l);
    bool was_open = s->lost.open;
    if (s->lost.open) {
        long i = coupon_find_new(s->list, s->lost.known, s->lost.n_known, s->lost.series);
        if (i >= 0) {
            bool same = s->lost.series == s->pick_series;
            lost_found(v, &s->list->items[i]);
            if (same) {
                if (f)
                    form_close(f);
                return;
            }
        } else {
            char why[300];
            snprintf(why, sizeof why, "%s; the member's coupons show no coupon from it", s->lost.why);
            if (s->lost.audit > 0)
                audit_end(v->app, s->lost.audit, false, NULL, why);
            lost_clear(s);
        }
    }
    if (f)
        ask_issue(v);
    else if (was_open)
        app_status(v->app, STATUS_INFO, "Nothing issued: the form was closed");
}

static void on_issue(struct view *v, struct api_result *res)
{
    struct coupons *s = coupons_of(v);
    struct form *f = app_form_of(v);
    struct mc_coupon *c = API_DATA(res, COUPON_ISSUE, struct mc_coupon);
    char buf[400];
    if (c) {
        finish_write(v, true, c->code, NULL);
        lost_clear(s);
        char till[32] = "";
        if (c->valid_till)
            coupon_fmt_date(c->valid_till, till, sizeof till);
        app_status(v->app, STATUS_OK, "Issued %s (%s, %s%s) to %s", c->code, s->pick_label,
                   till[0] ? "valid till " : "", till[0] ? till : s->pick_discount, s->name);
        if (f)
            form_close(f);
        coupons_reload_list(v, c->code);
        /* The series' issued counts changed: the next picker reloads them. */
        mc_series_list_free(&s->series);
        return;
    }
    api_error_format(&res->err, buf, sizeof buf);
    if (outcome_unknown(&res->err)) {
        /* Keep the attempt open with its audit record: see coupons.c. */
        s->lost.open = true;
        s->lost.audit = s->audit;
        snprintf(s->lost.why, sizeof s->lost.why, "no answer: %.140s", buf);
        s->audit = 0;
        s->busy = CW_NONE;
        if (f) {
            form_set_busy(f, false);
            form_set_error(f, "Outcome unknown. Enter checks the coupons first, then retries (%s)",
                           buf);
        }
        app_status(v->app, STATUS_ERROR, "Issue of %s not confirmed (%s); retrying checks %s's "
                   "coupons first, so it is never issued twice", s->pick_label, buf, s->name);
        coupons_reload_list(v, NULL);
        return;
    }
    finish_write(v, false, NULL, buf);
    lost_clear(s);
    char text[512];
    char what[128];
    snprintf(what, sizeof what, "%s was not issued", s->pick_label);
    refusal_text(what, &res->err, text, sizeof text);
    if (f) {
        form_set_busy(f, false);
        form_set_error(f, "%s", text);
    }
    app_status(v->app, STATUS_ERROR, "%s", text);
}

/* Check redeemable */

static void check_start(struct view *v)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *c = target(v);
    if (!c)
        return;
    view_submit(v, api_coupon_is_redeemable(s->id, c->code), CTAG_CHECK);
    app_status(v->app, STATUS_INFO, "Asking whether %s can be redeemed...", c->code);
}

static void on_check(struct view *v, struct api_result *res)
{
    struct mc_redeemable_list *l = API_DATA(res, COUPON_REDEEMABLE, struct mc_redeemable_list);
    if (!l || l->n == 0) {
        if (l)
            app_status(v->app, STATUS_ERROR, "The server answered the check without a verdict");
        else
            app_status_error(v->app, "The redeemable check failed", &res->err);
        return;
    }
    const struct mc_redeemable *r = &l->items[0];
    const char *code = r->code ? r->code : "The coupon";
    if (r->redeemable) {
        if (r->left < 0)
            app_status(v->app, STATUS_OK, "%s can be redeemed (no limit on redemptions)", code);
        else
            app_status(v->app, STATUS_OK, "%s can be redeemed (%ld redemption%s left)", code,
                       r->left, r->left == 1 ? "" : "s");
        return;
    }
    const char *m = meaning(r->reason_code);
    char server[300];
    snprintf(server, sizeof server, "%ld %s", r->reason_code, r->reason ? r->reason : "no reason given");
    if (m)
        app_status(v->app, STATUS_WARN, "%s cannot be redeemed: %s (server: %s)", code, m, server);
    else
        app_status(v->app, STATUS_WARN, "%s cannot be redeemed (server: %s)", code, server);
}

/* Redeem */

/* Why c cannot be redeemed as far as the list knows, into buf; false when it can. */
static bool redeem_refused(struct view *v, const struct mc_coupon *c, char *buf, size_t n)
{
    char when[48], key[32];
    switch (mc_coupon_state(c, now_of(v))) {
    case MC_COUPON_REDEEMED: {
        const struct mc_redemption *r = mc_coupon_last_redemption(c);
        key_of(v, ACTION_COUPON_REACTIVATE, key, sizeof key);
        if (r) {
            coupon_fmt_time(r->date, when, sizeof when);
            snprintf(buf, n, "%s was already redeemed on %s (bill %s at %s): it cannot be "
                             "redeemed again%s%s%s",
                     c->code, when, r->bill && *r->bill ? r->bill : "-",
                     r->store_name ? r->store_name : "a store",
                     app_action_allowed(v->app, ACTION_COUPON_REACTIVATE) && *key ? ". Reactivate it (" : "",
                     app_action_allowed(v->app, ACTION_COUPON_REACTIVATE) && *key ? key : "",
                     app_action_allowed(v->app, ACTION_COUPON_REACTIVATE) && *key
                         ? ") if that redemption was a mistake" : "");
        } else {
            snprintf(buf, n, "%s cannot be redeemed again: it has no redemptions left", c->code);
        }
        return true;
    }
    case MC_COUPON_EXPIRED:
        coupon_fmt_time(c->valid_till, when, sizeof when);
        snprintf(buf, n, "%s cannot be redeemed: it expired on %s", c->code, when);
        return true;
    case MC_COUPON_REVOKED:
        snprintf(buf, n, "%s cannot be redeemed: it has been revoked", c->code);
        return true;
    case MC_COUPON_ACTIVE:
        break;
    }
    return false;
}

static void redeem_submit(struct view *v, struct form *f);

static void redeem_start(struct view *v)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *c = target(v);
    char why[400];
    if (!c || !idle(v))
        return;
    if (redeem_refused(v, c, why, sizeof why)) {
        app_status(v->app, STATUS_WARN, "%s", why);
        return;
    }
    snprintf(s->act_code, sizeof s->act_code, "%s", c->code);
    char title[256];
    snprintf(title, sizeof title, "Redeem %s for %s", c->code, s->name);
    const struct form_field_spec fields[] = {
        {.label = "Bill number", .kind = FIELD_TEXT, .max_chars = 64, .required = true},
        {.label = "Bill amount", .kind = FIELD_NUMBER, .max_chars = 14, .required = true},
    };
    s->form_kind = CW_REDEEM;
    app_form_open(v, title, fields, 2, redeem_submit, form_closed);
}

static void redeem_answer(struct view *v, bool yes)
{
    if (!v)
        return;
    struct coupons *s = coupons_of(v);
    struct form *f = app_form_of(v);
    if (!yes) {
        if (f)
            form_set_busy(f, false);
        app_status(v->app, STATUS_INFO, "Nothing redeemed");
        return;
    }
    char detail[200];
    snprintf(detail, sizeof detail, "bill %s, amount %s", s->bill, s->amount_text);
    start_write(v, CW_REDEEM, "coupon-redeem", s->act_code, detail,
                api_coupon_redeem(s->id, s->act_code, s->bill, s->amount), CTAG_REDEEM);
    app_status(v->app, STATUS_INFO, "Redeeming %s on bill %s...", s->act_code, s->bill);
}

static void trim_copy(char *out, size_t n, const char *in)
{
    while (*in == ' ')
        in++;
    snprintf(out, n, "%s", in);
    for (size_t len = strlen(out); len > 0 && out[len - 1] == ' '; len--)
        out[len - 1] = '\0';
}

static void redeem_submit(struct view *v, struct form *f)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *c = coupons_find(v, s->act_code);
    trim_copy(s->bill, sizeof s->bill, form_value(f, 0));
    trim_copy(s->amount_text, sizeof s->amount_text, form_value(f, 1));
    s->amount = strtod(s->amount_text, NULL);
    if (!(s->amount > 0) || !isfinite(s->amount) || s->amount >= 1e12) {
        form_set_error(f, "Bill amount must be a number above 0");
        return;
    }
    if (s->busy != CW_NONE) {
        form_set_error(f, "Still waiting for the answer to the %s just sent", write_name(s->busy));
        return;
    }
    char disc[64] = "", amount[32], text[600], used[96] = "";
    if (c)
        coupon_fmt_discount(c->discount_type, c->discount_value, c->discount_upto, true, disc, sizeof disc);
    text_format_number(s->amount, amount, sizeof amount);
    if (c && c->has_left && c->redemptions_left == 1)
        snprintf(used, sizeof used, " The coupon is then used up.");
    snprintf(text, sizeof text, "Redeem \"%s\"%s%s%s for %s on bill %s of %s?%s", s->act_code,
             disc[0] ? " (" : "", disc, disc[0] ? ")" : "", s->name, s->bill, amount, used);
    form_set_busy(f, true);
    app_confirm(v, text, redeem_answer);
}

static void on_redeem(struct view *v, struct api_result *res)
{
    struct coupons *s = coupons_of(v);
    struct form *f = app_form_of(v);
    struct mc_redeem_result *r = API_DATA(res, COUPON_REDEEM, struct mc_redeem_result);
    char buf[400], id[32] = "";
    if (r) {
        if (r->n > 0 && r->items[0].redemption_id)
            snprintf(id, sizeof id, "%lld", (long long)r->items[0].redemption_id);
        finish_write(v, true, id[0] ? id : NULL, NULL);
        if (id[0])
            app_status(v->app, STATUS_OK, "Redeemed %s on bill %s (redemption %s)", s->act_code, s->bill, id);
        else
            app_status(v->app, STATUS_OK, "Redeemed %s on bill %s", s->act_code, s->bill);
        if (f)
            form_close(f);
        coupons_reload_list(v, s->act_code);
        return;
    }
    api_error_format(&res->err, buf, sizeof buf);
    finish_failed(v, &res->err, buf);
    char text[600], what[128];
    if (outcome_unknown(&res->err)) {
        snprintf(text, sizeof text, "No answer to the redemption of %s (%s): check it (c) before "
                                    "trying again; the server refuses a second redemption",
                 s->act_code, buf);
    } else {
        snprintf(what, sizeof what, "%s was not redeemed", s->act_code);
        refusal_text(what, &res->err, text, sizeof text);
    }
    if (f) {
        form_set_busy(f, false);
        form_set_error(f, "%s", text);
    }
    app_status(v->app, STATUS_ERROR, "%s", text);
    coupons_reload_list(v, s->act_code);
}

/* Revoke */

static void revoke_submit(struct view *v, struct form *f);

static void revoke_start(struct view *v)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *c = target(v);
    if (!c || !idle(v))
        return;
    enum mc_coupon_state st = mc_coupon_state(c, now_of(v));
    if (st == MC_COUPON_REVOKED) {
        app_status(v->app, STATUS_WARN, "%s is already revoked", c->code);
        return;
    }
    if (st == MC_COUPON_REDEEMED || c->n_redemptions > 0) {
        app_status(v->app, STATUS_WARN,
                   "%s cannot be revoked: it has been redeemed, and only unredeemed coupons can be",
                   c->code);
        return;
    }
    snprintf(s->act_code, sizeof s->act_code, "%s", c->code);
    char title[256];
    snprintf(title, sizeof title, "Revoke %s of %s", c->code, s->name);
    const struct form_field_spec field = {
        .label = "Reason", .kind = FIELD_TEXT, .max_chars = 200, .required = true, .counter = true,
    };
    s->form_kind = CW_REVOKE;
    app_form_open(v, title, &field, 1, revoke_submit, form_closed);
}

static void revoke_answer(struct view *v, bool yes)
{
    if (!v)
        return;
    struct coupons *s = coupons_of(v);
    struct form *f = app_form_of(v);
    if (!yes) {
        if (f)
            form_set_busy(f, false);
        app_status(v->app, STATUS_INFO, "Nothing revoked");
        return;
    }
    start_write(v, CW_REVOKE, "coupon-revoke", s->act_code, s->reason,
                api_coupon_revoke(s->act_code), CTAG_REVOKE);
    app_status(v->app, STATUS_INFO, "Revoking %s...", s->act_code);
}

static void revoke_submit(struct view *v, struct form *f)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *c = coupons_find(v, s->act_code);
    trim_copy(s->reason, sizeof s->reason, form_value(f, 0));
    if (s->busy != CW_NONE) {
        form_set_error(f, "Still waiting for the answer to the %s just sent", write_name(s->busy));
        return;
    }
    char text[700];
    snprintf(text, sizeof text,
             "Revoke \"%s\"%s%s%s of %s? It can no longer be redeemed or resent. Reason: %s",
             s->act_code, c && c->series_name ? " (" : "", c && c->series_name ? c->series_name : "",
             c && c->series_name ? ")" : "", s->name, s->reason);
    form_set_busy(f, true);
    app_confirm(v, text, revoke_answer);
}

static void on_revoke(struct view *v, struct api_result *res)
{
    struct coupons *s = coupons_of(v);
    struct form *f = app_form_of(v);
    struct mc_revoke_result *r = API_DATA(res, COUPON_REVOKE, struct mc_revoke_result);
    char text[600], buf[400];
    bool done = false;
    for (size_t i = 0; r && i < r->n_revoked; i++)
        done |= strcasecmp(r->revoked[i], s->act_code) == 0;
    if (done || (r && r->n_revoked > 0 && r->failed == 0)) {
        finish_write(v, true, s->act_code, NULL);
        app_status(v->app, STATUS_OK, "Revoked %s of %s (reason kept in the audit log)", s->act_code, s->name);
        if (f)
            form_close(f);
        coupons_reload_list(v, s->act_code);
        return;
    }
    if (r) {
        /* A success envelope that lists the code as failed to revoke. */
        const struct mc_revoke_failure *x = r->n_failures ? &r->failures[0] : NULL;
        struct api_error e = {.kind = API_REMOTE, .code = x ? x->code : 0};
        snprintf(e.message, sizeof e.message, "%s", x && x->message ? x->message : "nothing was revoked");
        char what[128];
        snprintf(what, sizeof what, "%s was not revoked", s->act_code);
        refusal_text(what, &e, text, sizeof text);
        finish_write(v, false, NULL, e.message);
    } else {
        api_error_format(&res->err, buf, sizeof buf);
        finish_failed(v, &res->err, buf);
        char what[128];
        snprintf(what, sizeof what, "%s was not revoked", s->act_code);
        refusal_text(what, &res->err, text, sizeof text);
    }
    if (f) {
        form_set_busy(f, false);
        form_set_error(f, "%s", text);
    }
    app_status(v->app, STATUS_ERROR, "%s", text);
    coupons_reload_list(v, s->act_code);
}

/* Reactivate */

static void reactivate_answer(struct view *v, bool yes)
{
    if (!v)
        return;
    struct coupons *s = coupons_of(v);
    if (!yes) {
        app_status(v->app, STATUS_INFO, "Nothing reactivated");
        return;
    }
    char detail[64];
    snprintf(detail, sizeof detail, "redemption %lld", (long long)s->act_redemption);
    start_write(v, CW_REACTIVATE, "coupon-reactivate", s->act_code, detail,
                api_coupon_reactivate(s->act_redemption), CTAG_REACTIVATE);
    app_status(v->app, STATUS_INFO, "Reactivating %s...", s->act_code);
}

static void reactivate_start(struct view *v)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *c = target(v);
    if (!c || !idle(v))
        return;
    const struct mc_redemption *r = mc_coupon_last_redemption(c);
    if (!r) {
        app_status(v->app, STATUS_WARN, "%s has not been redeemed: there is nothing to reactivate", c->code);
        return;
    }
    if (r->id <= 0) {
        app_status(v->app, STATUS_WARN, "The server gave no id for the redemption of %s, so it "
                                        "cannot be reversed from here", c->code);
        return;
    }
    snprintf(s->act_code, sizeof s->act_code, "%s", c->code);
    s->act_redemption = r->id;
    char when[48], text[600], till[48];
    coupon_fmt_time(r->date, when, sizeof when);
    long long t;
    bool past = mc_time_parse(c->valid_till, &t) && t < now_of(v);
    coupon_fmt_time(c->valid_till, till, sizeof till);
    snprintf(text, sizeof text,
             "Reactivate \"%s\" of %s? Its redemption on %s (bill %s) is reversed and the coupon "
             "can be redeemed again.%s%s%s",
             c->code, s->name, when, r->bill && *r->bill ? r->bill : "-",
             past ? " It expired on " : "", past ? till : "", past ? ", so it stays unusable." : "");
    app_confirm(v, text, reactivate_answer);
}

static void on_reactivate(struct view *v, struct api_result *res)
{
    struct coupons *s = coupons_of(v);
    char buf[400], text[600], what[128];
    if (API_DATA(res, COUPON_REACTIVATE, struct mc_ack)) {
        finish_write(v, true, s->act_code, NULL);
        app_status(v->app, STATUS_OK, "Reactivated %s: its redemption is reversed", s->act_code);
    } else {
        api_error_format(&res->err, buf, sizeof buf);
        finish_failed(v, &res->err, buf);
        snprintf(what, sizeof what, "%s was not reactivated", s->act_code);
        refusal_text(what, &res->err, text, sizeof text);
        app_status(v->app, STATUS_ERROR, "%s", text);
    }
    coupons_reload_list(v, s->act_code);
}

/* Resend */

static void resend_start(struct view *v)
{
    struct coupons *s = coupons_of(v);
    const struct mc_coupon *c = target(v);
    if (!c || !idle(v))
        return;
    enum mc_coupon_state st = mc_coupon_state(c, now_of(v));
    if (st != MC_COUPON_ACTIVE) {
        app_status(v->app, STATUS_WARN, "Only active coupons can be resent: %s is %s", c->code,
                   st == MC_COUPON_REDEEMED ? "redeemed" : st == MC_COUPON_EXPIRED ? "expired" : "revoked");
        return;
    }
    const struct mc_customer *m = s->member;
    const char *idname = NULL, *value = NULL;
    if (m && m->mobile)
        idname = "mobile", value = m->mobile;
    else if (m && m->email)
        idname = "email", value = m->email;
    else if (m && m->external_id)
        idname = "external_id", value = m->external_id;
    if (!value) {
        app_status(v->app, STATUS_WARN, m ? "%s has no mobile, email or external id to resend to"
                                          : "%s's mobile and email have not arrived (F5 loads them again)",
                   s->name);
        return;
    }
    snprintf(s->act_code, sizeof s->act_code, "%s", c->code);
    char detail[160];
    snprintf(detail, sizeof detail, "to %s %s", idname, value);
    start_write(v, CW_RESEND, "coupon-resend", c->code, detail, api_coupon_resend(idname, value, c->code),
                CTAG_RESEND);
    app_status(v->app, STATUS_INFO, "Resending %s to %s...", c->code, s->name);
}

static void on_resend(struct view *v, struct api_result *res)
{
    struct coupons *s = coupons_of(v);
    char buf[400], text[600], what[128];
    if (API_DATA(res, COUPON_RESEND, struct mc_resend)) {
        finish_write(v, true, s->act_code, NULL);
        app_status(v->app, STATUS_OK, "Sent %s to %s again", s->act_code, s->name);
        return;
    }
    api_error_format(&res->err, buf, sizeof buf);
    finish_failed(v, &res->err, buf);
    snprintf(what, sizeof what, "%s was not resent", s->act_code);
    refusal_text(what, &res->err, text, sizeof text);
    app_status(v->app, STATUS_ERROR, "%s", text);
}

/* Answers dropped by a cancel */

bool coupon_actions_dropped(struct view *v)
{
    struct coupons *s = coupons_of(v);
    return s->busy != CW_NONE && s->busy_gen != v->generation;
}

void coupon_actions_settle_dropped(struct view *v)
{
    struct coupons *s = coupons_of(v);
    if (!coupon_actions_dropped(v))
        return;
    struct form *f = app_form_of(v);
    enum coupon_write w = s->busy;
    if (w == CW_ISSUE) {
        s->lost.open = true;
        s->lost.audit = s->audit;
        snprintf(s->lost.why, sizeof s->lost.why, "no answer: cancelled before it arrived");
        s->audit = 0;
        s->busy = CW_NONE;
        app_status(v->app, STATUS_WARN, "The issue of %s was cancelled before its answer; the "
                   "coupons are checked before any new issue", s->lost.label);
    } else {
        if (s->audit > 0)
            audit_end_unknown(v->app, s->audit, "cancelled before the answer arrived; outcome unknown");
        s->audit = 0;
        finish_write(v, false, NULL, NULL);
        app_status(v->app, STATUS_WARN, "The %s of %s was cancelled before its answer: the list "
                   "reloads to show what happened", write_name(w), s->act_code);
    }
    if (f) {
        form_set_busy(f, false);
        form_set_error(f, "Cancelled before the answer; the list shows what happened");
    }
    coupons_reload_list(v, w == CW_ISSUE || !s->act_code[0] ? NULL : s->act_code);
}

/* A form closed while its write is in flight: the answer still comes here. */
static void form_closed(struct view *v)
{
    struct coupons *s = coupons_of(v);
    if (s->busy != CW_NONE)
        app_status(v->app, STATUS_INFO, "Form closed; the answer to the %s will show here",
                   write_name(s->busy));
}

/* Routing */

bool coupon_actions_run(struct view *v, enum action a)
{
    switch (a) {
    case ACTION_COUPON_ISSUE: issue_start(v); return true;
    case ACTION_COUPON_CHECK: check_start(v); return true;
    case ACTION_COUPON_REDEEM: redeem_start(v); return true;
    case ACTION_COUPON_REVOKE: revoke_start(v); return true;
    case ACTION_COUPON_REACTIVATE: reactivate_start(v); return true;
    case ACTION_COUPON_RESEND: resend_start(v); return true;
    default: return false;
    }
}

static void on_series(struct view *v, struct api_result *res)
{
    struct coupons *s = coupons_of(v);
    s->series_loading = false;
    struct mc_series_list *l = API_DATA(res, COUPON_SERIES_V11, struct mc_series_list);
    bool waited = s->issue_waits_series;
    s->issue_waits_series = false;
    if (!l) {
        app_status_error(v->app, "Loading the coupon series failed", &res->err);
        return;
    }
    res->data = NULL;
    mc_series_list_free(&s->series);
    s->series = l;
    if (waited && s->busy == CW_NONE && !app_form_of(v))
        open_issue_form(v);
}

void coupon_actions_result(struct view *v, struct api_result *res)
{
    switch (res->tag) {
    case CTAG_SERIES: on_series(v, res); break;
    case CTAG_ISSUE: on_issue(v, res); break;
    case CTAG_RECHECK: on_recheck(v, res); break;
    case CTAG_CHECK: on_check(v, res); break;
    case CTAG_REDEEM: on_redeem(v, res); break;
    case CTAG_REVOKE: on_revoke(v, res); break;
    case CTAG_REACTIVATE: on_reactivate(v, res); break;
    case CTAG_RESEND: on_resend(v, res); break;
    case CTAG_LOOKUP:
        coupon_lookup_finish(v, res, coupons_of(v)->lookup_code);
        return;
    default: break;
    }
    api_result_free(&res);
}

void coupon_actions_close(struct view *v)
{
    struct coupons *s = coupons_of(v);
    if (s->busy != CW_NONE && s->audit > 0)
        audit_end_unknown(v->app, s->audit, "the screen closed before the answer arrived");
    if (s->lost.open && s->lost.audit > 0)
        audit_end_unknown(v->app, s->lost.audit, s->lost.why);
    lost_clear(s);
    s->busy = CW_NONE;
}
