/*
 * bench_page.h - a synthetic getCustomerLedgerInfo body for the benches:
 * n entries shaped like the sandbox's (a purchase with its bill, a
 * redemption, a goodwill credit with a reason and request id, an expiry),
 * newest first, one minute apart, stores and tills repeating.
 * Returns a malloc'd body; *len its length.
 */
#ifndef MC_BENCH_PAGE_H
#define MC_BENCH_PAGE_H

#include <stdio.h>
#include <stdlib.h>

static char *bench_ledger_body(long page, long n, long total, size_t *len)
{
    static const char *const stores[] = {"Bengaluru Indiranagar", "Mumbai Bandra West",
                                         "Delhi Connaught Place", "Chennai T. Nagar",
                                         "Online Store"};
    size_t cap = (size_t)n * 900 + 512, at = 0;
    char *b = malloc(cap);
    if (!b)
        abort();
    at += (size_t)snprintf(b, cap,
                           "{\"customerDetails\":{\"firstName\":\"Meera\",\"lastName\":\"Iyer\","
                           "\"userId\":565000100,\"entityType\":\"CUSTOMER\"},\"ledgerDetails\":{"
                           "\"pageNumber\":%ld,\"pageSize\":%ld,\"totalEntries\":%ld,\"pageCount\":%ld},"
                           "\"ledgerEntries\":[",
                           page, n, total, (total + n - 1) / n);
    for (long k = 0; k < n; k++) {
        long i = page * n + k;
        long t = 1700000000L - i * 60;
        long day = t / 86400, sec = t % 86400;
        /* civil date of `day` (days since 1970), enough for a synthetic body */
        long z = day + 719468, era = z / 146097, doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
        long y = yoe + era * 400 + (m <= 2);
        char when[96];
        snprintf(when, sizeof when, "%04ld-%02ld-%02ld %02ld:%02ld:%02ld.0", y, m, d, sec / 3600,
                 sec / 60 % 60, sec % 60);
        const char *store = stores[i % 5];
        int kind = (int)(i % 10);
        const char *name, *type;
        char details[200] = "", txn[400] = "{}";
        long pts = 20 + i % 700;
        if (kind < 7) {
            name = "TransactionAdd";
            type = "CREDIT";
            snprintf(txn, sizeof txn,
                     "{\"transactionId\":%ld,\"transactionNumber\":\"BILL-%ld\",\"date\":\"%s\","
                     "\"amount\":%ld.0,\"grossBillAmount\":%ld.0,\"source\":\"INSTORE\"}",
                     180000000 + i, 180000000 + i, when, pts * 12, pts * 12);
        } else if (kind == 7) {
            name = "PointsRedemption";
            type = "DEBIT";
        } else if (kind == 8) {
            name = "AllocateGoodwillPoints";
            type = "CREDIT";
            snprintf(details, sizeof details, "\"reason\":\"DELIVERY_DELAY\",\"requestId\":\"%ld\"",
                     7000 + i);
        } else {
            name = "PointsExpiry";
            type = "DEBIT";
        }
        at += (size_t)snprintf(
            b + at, cap - at,
            "%s{\"eventLogId\":%ld,\"eventName\":\"%s\",\"customerId\":565000100,"
            "\"ledgerCreatedDate\":\"%s\",\"customerDetails\":null,\"entryDetails\":[{"
            "\"ledgerEntryType\":\"%s\",\"points\":\"%ld.000\",\"pointsCategory\":\"Main\","
            "\"programName\":\"Default Program\",\"programId\":1414%s}],"
            "\"netPointsOnEvent\":\"%s%ld.000\",\"transactionDetails\":%s,\"store\":\"%s\","
            "\"storeCode\":\"store%02ld\",\"tillCode\":\"store%02ld.pos1\",\"eventDetails\":{%s},"
            "\"orgId\":100737}",
            k ? "," : "", 600000000 - i, name, when, type, pts,
            type[0] == 'C' ? ",\"expiryDate\":\"2027-06-30\"" : "", type[0] == 'D' ? "-" : "",
            pts, txn, store, i % 5 + 1, i % 5 + 1, details);
    }
    at += (size_t)snprintf(b + at, cap - at, "],\"warnings\":[]}");
    *len = at;
    return b;
}

#endif
