/*
 * coupon_json.c - rendering coupons and series (see coupon_json.h).
 */
#include <stdio.h>
#include <string.h>

#include "sandbox/coupon_json.h"
#include "sandbox/http.h"
#include "sandbox/org.h"
#include "sandbox/store.h"

#define DAY_S 86400

static const char terms[] =
    "Valid once per bill at participating stores. Not valid with other offers.";

void coupon_valid_till_for(const struct coupon_series_row *s, time_t now,
                           char out[SBTIME_ISO_LEN])
{
    time_t t = now + (time_t)COUPON_VALID_DAYS * DAY_S;
    t = t - t % DAY_S + DAY_S - 1;
    time_t end;
    if (sbtime_parse_iso(s->valid_till, &end) == 0 && end < t)
        t = end;
    sbtime_iso(t, out);
}

static json_t *jstr_num(double v)
{
    char buf[48];
    if (v == (double)(long long)v)
        snprintf(buf, sizeof buf, "%lld", (long long)v);
    else
        snprintf(buf, sizeof buf, "%.2f", v);
    return json_string(buf);
}

static json_t *jstr_i64(int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    return json_string(buf);
}

json_t *coupon_json_series_v2(const struct coupon_series_row *s)
{
    json_t *o = json_pack("{s:I,s:i,s:o,s:o,s:o,s:o,s:i,s:s,s:i,s:I,s:i,s:I,s:o,s:f,s:f,s:s,"
                          "s:s,s:I,s:o,s:{s:s}}",
                          "id", (json_int_t)s->id, "orgId", SB_ORG_ID, "description",
                          sb_jstr(s->description), "discountCode", sb_jstr(s->code), "seriesCode",
                          sb_jstr(s->code), "validTillDate", sb_jstr(s->valid_till),
                          "validDaysFromCreation", COUPON_VALID_DAYS, "expiryStrategyType", "DAYS",
                          "expiryStrategyValue", COUPON_VALID_DAYS, "maxCreate",
                          (json_int_t)s->max_issue, "maxRedeem", -1,
                          "redemptionPerCouponMaxLimit", (json_int_t)s->max_redeem,
                          "discountType", sb_jstr(s->discount_type), "discountValue", s->value,
                          "discountUpto", s->upto, "discountOn", "BILL", "clientHandlingType",
                          "DISC_CODE", "numIssued", (json_int_t)s->issued, "createdOn",
                          sb_jstr(s->created_on), "customPropertyMap",
                          "standard_terms_and_conditions", terms);
    if (o && s->redeemed >= 0)
        json_object_set_new(o, "numRedeemed", json_integer((json_int_t)s->redeemed));
    return o;
}

json_t *coupon_json_series_v11(const struct coupon_series_row *s, bool extended)
{
    char till[SBTIME_V11_LEN];
    sbtime_iso_to_v11(s->valid_till, till);
    json_t *o = json_pack("{s:o,s:o,s:s,s:s,s:o,s:s,s:o,s:s,s:o,s:o,s:o,s:s,s:o,s:o,s:{s:o,s:o},"
                          "s:{s:s,s:i,s:s}}",
                          "id", jstr_i64(s->id), "description", sb_jstr(s->description),
                          "series_type", "DISC_CODE", "client_handling_type", "DISC_CODE",
                          "discount_code", sb_jstr(s->code), "valid_till_date", till,
                          "valid_days_from_create", jstr_i64(COUPON_VALID_DAYS),
                          "expiry_strategy_type", "DAYS", "expiry_strategy_value",
                          jstr_i64(COUPON_VALID_DAYS), "max_create", jstr_i64(s->max_issue),
                          "max_redeem", jstr_i64(-1), "discount_on", "BILL", "discount_type",
                          sb_jstr(s->discount_type), "discount_value", jstr_num(s->value),
                          "coupons", "issued", jstr_i64(s->issued), "redeemed",
                          jstr_i64(s->redeemed < 0 ? 0 : s->redeemed), "item_status", "success",
                          "true", "code", 700, "message", "Coupon series fetched successfully");
    if (o && extended) {
        json_object_set_new(o, "series_code", sb_jstr(s->code));
        json_object_set_new(o, "discount_upto", jstr_num(s->upto));
        json_object_set_new(o, "redemption_per_coupon_max_limit", jstr_i64(s->max_redeem));
        json_object_set_new(o, "any_user", json_string("0"));
        json_object_set_new(o, "same_user_multiple_redeem", json_string("0"));
        json_object_set_new(o, "multiple_use", json_string(s->max_redeem == 1 ? "0" : "1"));
        json_object_set_new(o, "is_validation_required", json_string("0"));
        json_object_set_new(o, "min_bill_amount", json_string("0"));
        json_object_set_new(o, "max_bill_amount", json_string("-1"));
    }
    return o;
}

/* The coupon's redemptions (reversed = false) or reversed redemptions. */
static json_t *redemptions(struct store_conn *db, int64_t coupon, bool reversed)
{
    sqlite3_stmt *st = store_stmt(
        db, "SELECT r.id, r.redeemed_on, r.bill_number, s.code, s.name,"
            " coalesce(r.reversed_on, '') FROM coupon_redemptions r"
            " JOIN stores s ON s.id = r.store_id WHERE r.coupon_id = ?"
            " AND (r.reversed_on IS NULL) = ? ORDER BY r.redeemed_on, r.id");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, coupon);
    sqlite3_bind_int(st, 2, reversed ? 0 : 1);
    json_t *a = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *e = json_pack(
            "{s:I,s:o,s:o,s:{s:o,s:o}}", "id", (json_int_t)sqlite3_column_int64(st, 0), "date",
            sb_jstr((const char *)sqlite3_column_text(st, 1)), "transactionNumber",
            sb_jstr((const char *)sqlite3_column_text(st, 2)), "redeemedAt", "code",
            sb_jstr((const char *)sqlite3_column_text(st, 3)), "name",
            sb_jstr((const char *)sqlite3_column_text(st, 4)));
        if (reversed)
            json_object_set_new(e, "reversedOn", sb_jstr((const char *)sqlite3_column_text(st, 5)));
        json_array_append_new(a, e);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *status_object(long code, const char *message)
{
    bool ok = code == 200;
    return json_pack("{s:{s:b,s:I,s:s},s:[],s:[],s:I,s:b,s:s}", "statusCode", "status", ok, "code",
                     (json_int_t)code, "message", message, "warnings", "warningsAsStatusCode",
                     "code", (json_int_t)code, "success", ok, "message", message);
}

static json_t *state_status(enum coupon_state s)
{
    switch (s) {
    case COUPON_REDEEMED: return status_object(711, "Coupon already redeemed");
    case COUPON_EXPIRED: return status_object(713, "Coupon expired");
    case COUPON_REVOKED: return status_object(660, "Coupon code has been revoked");
    case COUPON_ACTIVE: break;
    }
    return status_object(200, "Success");
}

json_t *coupon_json_detailed(struct store_conn *db, const struct coupon_row *c, time_t now,
                             const char *code_case)
{
    json_t *red = redemptions(db, c->id, false);
    json_t *rev = red ? redemptions(db, c->id, true) : NULL;
    if (!rev) {
        json_decref(red);
        return NULL;
    }
    char code[64];
    coupon_code_case(c->code, code_case, code, sizeof code);
    enum coupon_state state = coupon_state(c, now);
    bool redeemed = state == COUPON_REDEEMED;
    /* activeFrom: the day of issue at midnight, as the reference sample shows */
    char active[SBTIME_ISO_LEN];
    snprintf(active, sizeof active, "%.10sT00:00:00Z", c->issued_on);
    return json_pack(
        "{s:I,s:I,s:o,s:s,s:o,s:o,s:o,s:b,s:I,s:I,s:i,s:i,"
        "s:{s:I,s:o,s:s,s:o,s:s,s:s,s:b},s:o,s:o,s:o,s:s,s:I,s:o,s:o,s:o,s:b,s:f,s:f,s:f,s:b,"
        "s:o,s:s}",
        "id", (json_int_t)c->id, "seriesId", (json_int_t)c->series.id, "series",
        coupon_json_series_v2(&c->series), "code", code, "description",
        sb_jstr(c->series.description), "createdDate", sb_jstr(c->issued_on), "validTill",
        sb_jstr(c->valid_till), "isRedeemed", redeemed, "issuedTo", (json_int_t)c->customer_id,
        "issuedBy", (json_int_t)c->issued_till_id, "orgId", SB_ORG_ID, "refId", 0, "issuedAt",
        "id", (json_int_t)c->issued_store_id, "code", sb_jstr(c->store_code), "description", "",
        "name", sb_jstr(c->store_name), "type", "STORE", "adminType", "GENERAL", "isOrgUnit", 0,
        "status", status_object(200, "Success"), "couponStatus", state_status(state),
        "couponDiscountType", sb_jstr(c->series.discount_type), "issuedOn", c->issued_on,
        "redemptionsLeft", (json_int_t)coupon_redemptions_left(c), "activeFrom",
        json_string(active), "redemptionInfo", red, "reversedRedemptionInfo", rev,
        "discountType", strcmp(c->series.discount_type, "ABS") == 0, "discountValue",
        c->series.value, "discountValueAsDouble", c->series.value, "discountUpto",
        c->series.upto, "redeemed", redeemed, "seriesName", sb_jstr(c->series.description),
        "trimmedCode", code);
}

json_t *coupon_json_basic(const struct coupon_row *c, const char *code_case)
{
    char code[64];
    coupon_code_case(c->code, code_case, code, sizeof code);
    return json_pack("{s:s,s:I,s:o,s:o,s:o,s:o,s:f,s:f,s:s,s:o}", "code", code, "seriesId",
                     (json_int_t)c->series.id, "description", sb_jstr(c->series.description),
                     "discountCode", sb_jstr(c->series.code), "validTill", sb_jstr(c->valid_till),
                     "discountType", sb_jstr(c->series.discount_type), "discountValue",
                     c->series.value, "discountUpto", c->series.upto, "discountOn", "BILL",
                     "detailedInfo", sb_jstr(c->series.description));
}

json_t *coupon_json_v11(struct store_conn *db, const struct coupon_row *c, bool with_user_id)
{
    sqlite3_stmt *st = store_stmt(
        db, "SELECT cu.first_name, cu.last_name,"
            " coalesce((SELECT value FROM identifiers WHERE customer_id = cu.id AND type = 'mobile'), ''),"
            " coalesce((SELECT value FROM identifiers WHERE customer_id = cu.id AND type = 'email'), '')"
            " FROM customers cu WHERE cu.id = ?");
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, c->customer_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return NULL;
    }
    const char *first = (const char *)sqlite3_column_text(st, 0);
    const char *last = (const char *)sqlite3_column_text(st, 1);
    char name[200];
    snprintf(name, sizeof name, "%s %s", first ? first : "", last ? last : "");
    json_t *customer = json_pack("{s:o,s:o,s:o}", "name", sb_jstr(name), "mobile",
                                 sb_jstr((const char *)sqlite3_column_text(st, 2)), "email",
                                 sb_jstr((const char *)sqlite3_column_text(st, 3)));
    sqlite3_reset(st);
    if (with_user_id)
        json_object_set_new(customer, "user_id", jstr_i64(c->customer_id));

    /* The latest redemption still standing, if any. */
    json_t *info = json_pack("{s:s,s:s,s:s}", "redeemed", "false", "redeemed_on", "",
                             "redeemed_at", "");
    json_t *store = json_pack("{s:s,s:s}", "code", "", "name", "");
    json_t *txn = json_pack("{s:s,s:s}", "number", "", "id", "");
    st = store_stmt(db, "SELECT r.redeemed_on, s.code, s.name, r.bill_number,"
                        " coalesce((SELECT t.id FROM transactions t WHERE t.bill_number = r.bill_number), 0),"
                        " tl.code FROM coupon_redemptions r JOIN stores s ON s.id = r.store_id"
                        " JOIN tills tl ON tl.id = r.till_id"
                        " WHERE r.coupon_id = ? AND r.reversed_on IS NULL"
                        " ORDER BY r.redeemed_on DESC, r.id DESC LIMIT 1");
    if (!st) {
        json_decref(customer);
        json_decref(info);
        json_decref(store);
        json_decref(txn);
        return NULL;
    }
    sqlite3_bind_int64(st, 1, c->id);
    if (sqlite3_step(st) == SQLITE_ROW) {
        char on[SBTIME_V11_LEN];
        sbtime_iso_to_v11((const char *)sqlite3_column_text(st, 0), on);
        json_object_set_new(info, "redeemed", json_string("true"));
        json_object_set_new(info, "redeemed_on", json_string(on));
        json_object_set_new(info, "redeemed_at", sb_jstr((const char *)sqlite3_column_text(st, 5)));
        json_object_set_new(store, "code", sb_jstr((const char *)sqlite3_column_text(st, 1)));
        json_object_set_new(store, "name", sb_jstr((const char *)sqlite3_column_text(st, 2)));
        json_object_set_new(txn, "number", sb_jstr((const char *)sqlite3_column_text(st, 3)));
        int64_t tid = sqlite3_column_int64(st, 4);
        json_object_set_new(txn, "id", tid ? jstr_i64(tid) : json_string(""));
    }
    sqlite3_reset(st);

    /* coupon/get shows valid_till as DD-MM-YYYY (§1.1) */
    char valid[16] = "";
    if (strlen(c->valid_till) >= 10)
        snprintf(valid, sizeof valid, "%.2s-%.2s-%.4s", c->valid_till + 8, c->valid_till + 5,
                 c->valid_till);
    char issued[SBTIME_V11_LEN];
    sbtime_iso_to_v11(c->issued_on, issued);
    return json_pack("{s:s,s:o,s:s,s:s,s:o,s:s,s:{s:o,s:o},s:o,s:s,s:o,s:o,s:o,s:o}", "code",
                     c->code, "id", jstr_i64(c->id), "valid_till", valid, "issued_on", issued,
                     "customer", customer, "pincode", "", "issued_store", "code",
                     sb_jstr(c->store_code), "name", sb_jstr(c->store_name), "series_id",
                     jstr_i64(c->series.id), "is_absolute",
                     strcmp(c->series.discount_type, "ABS") == 0 ? "true" : "false", "value",
                     jstr_num(c->series.value), "redemption_info", info, "store", store,
                     "transaction", txn);
}
