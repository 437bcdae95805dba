/*
 * seed_tickets.c - the org's ticket configuration beyond the department,
 * status and priority tables seed.c fills: the custom fields a ticket may
 * carry, as the org_config value `ticket_custom_fields` (names separated
 * by commas). Every seeded ticket already has `channel`; `order_number` is
 * defined but left for agents to fill in.
 */
#include <sqlite3.h>

#include "sandbox/seed_priv.h"

void seed_tickets(struct seeder *s)
{
    sqlite3_stmt *st = NULL;
    if (s->failed)
        return;
    if (sqlite3_prepare_v2(s->db, "INSERT INTO org_config (key, value) VALUES (?, ?)", -1, &st,
                           NULL) != SQLITE_OK) {
        seed_fail(s, "ticket custom fields");
        return;
    }
    seed_text(st, 1, "ticket_custom_fields");
    seed_text(st, 2, "channel,order_number");
    seed_step(s, st, "ticket custom fields");
    sqlite3_finalize(st);
}
