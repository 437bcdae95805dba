/*
 * customer_v2.c - rendering a member as the v2 customer object.
 *
 * Shape choices where the reference is silent or unconfirmed:
 *  - fraudDetails is always present (it is cheap and the console shows it).
 *  - loyaltyProgramDetails only with embed=mlp, pointsSummary only with
 *    embed=points, expirySchedules only with embed=expirySchedules.
 *  - totalAvailablePoints = loyaltyPoints + delayedPoints, the same total
 *    the points balance route calls totalPoints.
 *  - Timestamps are UTC with a Z suffix; points are JSON floats.
 *  - expirySchedules lists buckets expiring today or later, ascending.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sandbox/customer_v2.h"
#include "sandbox/http.h"
#include "sandbox/member.h"
#include "sandbox/org.h"
#include "sandbox/sbtime.h"
#include "sandbox/store.h"

#define CARD_SERIES_ID 19

struct v2_embed customer_v2_embed(const char *list)
{
    struct v2_embed e = {false, false, false};
    if (!list)
        return e;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        while (len && *p == ' ') {
            p++;
            len--;
        }
        if (len == 6 && strncasecmp(p, "points", 6) == 0)
            e.points = true;
        else if (len == 3 && strncasecmp(p, "mlp", 3) == 0)
            e.mlp = true;
        else if (len == 15 && strncasecmp(p, "expirySchedules", 15) == 0)
            e.expiry = true;
        p += len;
        if (*p == ',')
            p++;
    }
    return e;
}

bool customer_v2_source_valid(const char *source)
{
    static const char *const sources[] = {
        "INSTORE", "MARTJACK", "WECHAT", "FACEBOOK", "WEB_ENGAGE", "TMALL", "TAOBAO",
        "JD", "ECOMMERCE", "WEBSITE", "LINE", "MOBILE_APP", "ALL", "MAPP_SDK",
    };
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
        if (strcmp(source, sources[i]) == 0)
            return true;
    return false;
}

const char *customer_v2_identifier_type(const char *name)
{
    if (strcmp(name, "mobile") == 0)
        return "mobile";
    if (strcmp(name, "email") == 0)
        return "email";
    if (strcmp(name, "externalId") == 0)
        return "externalId";
    if (strcmp(name, "cardnumber") == 0 || strcmp(name, "cardNumber") == 0)
        return "cardnumber";
    return NULL;
}

json_t *customer_v2_identifiers(const struct member *m)
{
    json_t *a = json_array();
    if (m->mobile)
        json_array_append_new(a, json_pack("{s:s,s:o}", "type", "mobile", "value", sb_jstr(m->mobile)));
    if (m->email)
        json_array_append_new(a, json_pack("{s:s,s:o}", "type", "email", "value", sb_jstr(m->email)));
    if (m->external_id)
        json_array_append_new(
            a, json_pack("{s:s,s:o}", "type", "externalId", "value", sb_jstr(m->external_id)));
    if (m->card)
        json_array_append_new(a, json_pack("{s:s,s:o,s:i,s:s}", "type", "cardNumber", "value",
                                           sb_jstr(m->card), "seriesId", CARD_SERIES_ID,
                                           "statusLabel", "ACTIVE"));
    return a;
}

static json_t *till_ref(const struct member *m, bool with_id)
{
    if (with_id)
        return json_pack("{s:I,s:o,s:o,s:s}", "id", (json_int_t)m->till_id, "code",
                         sb_jstr(m->till_code), "name", sb_jstr(m->till_name), "type", "TILL");
    return json_pack("{s:o,s:o}", "code", sb_jstr(m->till_code), "name", sb_jstr(m->till_name));
}

static json_t *comm_channel(const char *type, const char *value)
{
    return json_pack("{s:s,s:o,s:b,s:b,s:{s:b,s:b},s:{}}", "type", type, "value", sb_jstr(value),
                     "primary", 1, "verified", 0, "meta", "residence", 0, "office", 0,
                     "attributes");
}

static json_t *profile(const struct member *m)
{
    json_t *channels = json_array();
    if (m->mobile)
        json_array_append_new(channels, comm_channel("mobile", m->mobile));
    if (m->email)
        json_array_append_new(channels, comm_channel("email", m->email));
    return json_pack(
        "{s:o,s:o,s:{s:o,s:o,s:o,s:o},s:{},s:o,s:o,s:o,s:I,s:s,s:[],s:o,s:o}",
        "firstName", sb_jstr(m->first), "lastName", sb_jstr(m->last),
        "attribution", "createDate", sb_jstr(m->created_on), "createdBy", till_ref(m, true),
        "modifiedBy", till_ref(m, true), "modifiedDate", sb_jstr(m->updated_on),
        "fields",
        "identifiers", customer_v2_identifiers(m),
        "commChannels", channels,
        "source", sb_jstr(m->source),
        "userId", (json_int_t)m->id,
        "accountId", "",
        "conflictingProfileList",
        "autoUpdateTime", sb_jstr(m->updated_on),
        "identifiersAll", customer_v2_identifiers(m));
}

static json_t *program_details(const struct member *m)
{
    return json_pack(
        "{s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:I,s:o,s:o,s:i,s:o,s:i,s:o,s:i,s:f,s:f,s:f,s:f,s:[],"
        "s:s,s:s,s:f}",
        "redeemed", m->redeemed, "expired", m->expired, "returned", m->returned,
        "adjusted", m->adjusted, "lifetimePoints", m->lifetime_points,
        "loyaltyPoints", m->loyalty_points, "cumulativePurchases", m->lifetime_purchases,
        "loyaltyId", (json_int_t)m->loyalty_id, "currentSlab", sb_jstr(m->tier_name),
        "nextSlab", sb_jstr(m->next_name), "nextSlabSerialNumber", m->next_serial,
        "nextSlabDescription", sb_jstr(m->next_description), "slabSNo", m->tier_serial,
        "slabExpiryDate", sb_jstr(m->tier_expiry), "programId", SB_PROGRAM_ID,
        "delayedPoints", m->delayed, "delayedReturnedPoints", 0.0,
        "totalAvailablePoints", m->loyalty_points + m->delayed, "totalReturnedPoints", m->returned,
        "linkedPartnerPrograms",
        "programTitle", SB_PROGRAM_TITLE, "programDescription", SB_PROGRAM_DESCRIPTION,
        "programPointsToCurrencyRatio", SB_POINTS_TO_CURRENCY);
}

static json_t *points_summary(const struct member *m)
{
    return json_pack("{s:f,s:f,s:o,s:f,s:f,s:I,s:f,s:o,s:o,s:i,s:f,s:f,s:o,s:i}",
                     "adjusted", m->adjusted, "cumulativePurchases", m->lifetime_purchases,
                     "currentSlab", sb_jstr(m->tier_name), "expired", m->expired,
                     "lifetimePoints", m->lifetime_points, "loyaltyId", (json_int_t)m->loyalty_id,
                     "loyaltyPoints", m->loyalty_points, "nextSlab", sb_jstr(m->next_name),
                     "nextSlabDescription", sb_jstr(m->next_description),
                     "nextSlabSerialNumber", m->next_serial, "redeemed", m->redeemed,
                     "returned", m->returned, "slabExpiryDate", sb_jstr(m->tier_expiry),
                     "slabSNo", m->tier_serial);
}

static json_t *expiry_schedules(struct store_conn *db, int64_t id, time_t now)
{
    sqlite3_stmt *st = store_stmt(db,
                                  "SELECT expiry_date, points_type, points FROM expiry_schedule"
                                  " WHERE customer_id = ? AND expiry_date >= ? AND points > 0"
                                  " ORDER BY expiry_date, points_type");
    if (!st)
        return NULL;
    char today[SBTIME_DATE_LEN];
    sbtime_date(now, today);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, today, -1, SQLITE_TRANSIENT);
    json_t *a = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *date = (const char *)sqlite3_column_text(st, 0);
        char iso[32];
        snprintf(iso, sizeof iso, "%sT00:00:00Z", date);
        json_array_append_new(
            a, json_pack("{s:f,s:s,s:s,s:i,s:s,s:s}", "points", sqlite3_column_double(st, 2),
                         "expiryDate", date, "expiryDateISO", iso, "programId", SB_PROGRAM_ID,
                         "pointsType", (const char *)sqlite3_column_text(st, 1), "expiryType",
                         "fixed"));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        json_decref(a);
        return NULL;
    }
    return a;
}

json_t *customer_v2_object(const struct member *m, struct store_conn *db,
                           const struct v2_embed *embed, time_t now)
{
    json_t *o = json_pack(
        "{s:I,s:[o],s:{s:o,s:{s:o,s:o,s:o,s:o,s:s},s:f},s:{s:{},s:o,s:o},s:{},s:o,s:{s:o,s:o}}",
        "id", (json_int_t)m->id,
        "profiles", profile(m),
        "loyaltyInfo", "loyaltyType", sb_jstr(m->loyalty_type), "attributionV2",
        "createDate", sb_jstr(m->created_on), "createdBy", till_ref(m, false),
        "modifiedBy", till_ref(m, false), "modifiedDate", sb_jstr(m->updated_on),
        "createdFromSource", "instore", "lifetimePurchases", m->lifetime_purchases,
        "fraudDetails", "markedBy", "modifiedOn", sb_jstr(m->created_on), "status",
        sb_jstr(m->fraud_status),
        "segments",
        "associatedWith", sb_jstr(m->till_code),
        "extendedFields", "gender", sb_jstr(m->gender), "city", sb_jstr(m->city));
    if (!o)
        return NULL;
    if (embed->mlp)
        json_object_set_new(o, "loyaltyProgramDetails", json_pack("[o]", program_details(m)));
    if (embed->points)
        json_object_set_new(o, "pointsSummary", points_summary(m));
    if (embed->expiry) {
        json_t *sched = expiry_schedules(db, m->id, now);
        if (!sched) {
            json_decref(o);
            return NULL;
        }
        json_object_set_new(o, "expirySchedules", sched);
    }
    json_object_set_new(o, "groupLoyaltyProgramDetails", json_array());
    json_object_set_new(o, "cardDetails", json_array());
    json_object_set_new(o, "warnings", json_array());
    return o;
}
