/*
 * tickets_check_test.c - what the new-ticket, note and filter forms check
 * before anything is sent (api_ticket_check, api_note_check,
 * api_date_valid, api_ticket_is_open) and the requests the builders make
 * from what the agent typed: paths, encoding, and the v1.1 bodies.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "api/api.h"

static char *repeat(const char *unit, size_t times)
{
    size_t n = strlen(unit);
    char *s = malloc(n * times + 1);
    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, unit, n);
    s[n * times] = '\0';
    return s;
}

static void ticket_draft_checks(void **state)
{
    (void)state;
    char why[160];
    struct mc_draft_field fields[1] = {{.name = "channel", .value = "phone"}};
    struct mc_ticket_draft d = {.subject = "Zoë's 山田 refund", .message = "Order 77\nnot refunded",
                                .department = "BILLING", .fields = fields, .n_fields = 1};
    assert_true(api_ticket_check(&d, why, sizeof why));

    d.subject = "   ";
    assert_false(api_ticket_check(&d, why, sizeof why));
    assert_string_equal(why, "Subject is required");
    d.subject = "ok";
    d.message = "\n \t";
    assert_false(api_ticket_check(&d, why, sizeof why));
    assert_non_null(strstr(why, "Message is required"));
    d.message = "m";
    d.department = "";
    assert_false(api_ticket_check(&d, why, sizeof why));
    assert_string_equal(why, "Department is required");
    d.department = "BILLING";

    /* limits count characters, not bytes: 255 CJK characters pass, 256 do not */
    char *s = repeat("山", API_TICKET_SUBJECT_MAX);
    d.subject = s;
    assert_true(api_ticket_check(&d, why, sizeof why));
    free(s);
    s = repeat("山", API_TICKET_SUBJECT_MAX + 1);
    d.subject = s;
    assert_false(api_ticket_check(&d, why, sizeof why));
    assert_non_null(strstr(why, "Subject takes at most 255"));
    free(s);
    d.subject = "ok";
    s = repeat("x", API_TICKET_MESSAGE_MAX + 1);
    d.message = s;
    assert_false(api_ticket_check(&d, why, sizeof why));
    free(s);
    d.message = "m";
    s = repeat("é", API_TICKET_FIELD_MAX + 1);
    fields[0].value = s;
    assert_false(api_ticket_check(&d, why, sizeof why));
    assert_non_null(strstr(why, "channel takes at most 255"));
    free(s);
}

static void note_checks(void **state)
{
    (void)state;
    char why[160];
    assert_true(api_note_check("Prefers SMS", why, sizeof why));
    assert_true(api_note_check("two\nlines", why, sizeof why));
    assert_false(api_note_check("", why, sizeof why));
    assert_false(api_note_check("  \n ", why, sizeof why));
    assert_string_equal(why, "The note is empty");
    assert_false(api_note_check("bell\a", why, sizeof why));
    assert_false(api_note_check("esc\x1b[2J", why, sizeof why));
    char *s = repeat("ë", API_NOTE_MAX);
    assert_true(api_note_check(s, why, sizeof why));
    free(s);
    s = repeat("a", API_NOTE_MAX + 1);
    assert_false(api_note_check(s, why, sizeof why));
    assert_string_equal(why, "A note takes at most 255 characters (this one has 256)");
    free(s);
}

static void dates_and_statuses(void **state)
{
    (void)state;
    assert_true(api_date_valid("2026-11-25"));
    assert_true(api_date_valid("2024-02-29"));
    assert_false(api_date_valid("2025-02-29"));
    assert_false(api_date_valid("1900-02-29"));
    assert_true(api_date_valid("2000-02-29"));
    assert_false(api_date_valid("2026-13-01"));
    assert_false(api_date_valid("2026-04-31"));
    assert_false(api_date_valid("2026-1-01"));
    assert_false(api_date_valid("26-11-2025"));
    assert_false(api_date_valid("2026-11-25x"));
    assert_false(api_date_valid(""));
    assert_false(api_date_valid(NULL));

    assert_true(api_ticket_is_open("Open"));
    assert_true(api_ticket_is_open("OPEN"));
    assert_true(api_ticket_is_open("InProgress"));
    assert_true(api_ticket_is_open("Reopened"));
    assert_true(api_ticket_is_open(NULL));
    assert_true(api_ticket_is_open("Closedown review")); /* a word starting with closed */
    assert_false(api_ticket_is_open("Close"));
    assert_false(api_ticket_is_open("closed"));
    assert_false(api_ticket_is_open(" CLOSED"));
    assert_false(api_ticket_is_open("Resolved"));
    assert_false(api_ticket_is_open("Cancelled"));
}

static json_t *body_of(const struct api_request *req)
{
    assert_non_null(req->body);
    json_error_t e;
    json_t *j = json_loads(req->body, 0, &e);
    if (!j)
        fail_msg("body is not JSON: %s (%s)", e.text, req->body);
    return j;
}

static void builders(void **state)
{
    (void)state;
    struct api_request *r = api_tickets_get(565000001, NULL);
    assert_int_equal(r->kind, API_TICKETS);
    assert_int_equal(r->method, API_GET);
    assert_string_equal(r->path, "/v1.1/customer/tickets?format=json&id=565000001");
    assert_null(r->body);
    api_request_free(&r);

    struct mc_ticket_filter f = {.status = "In Progress", .department = "R&D", .priority = "",
                                 .start_date = "2026-01-01", .end_date = "2026-11-25",
                                 .ticket_code = "k2/j"};
    r = api_tickets_get(7, &f);
    assert_string_equal(r->path, "/v1.1/customer/tickets?format=json&id=7&status=In%20Progress"
                                 "&department=R%26D&ticket_code=k2%2Fj&start_date=2026-01-01"
                                 "&end_date=2026-11-25");
    api_request_free(&r);

    struct mc_draft_field fields[] = {{.name = "channel", .value = "phone"},
                                      {.name = "order_number", .value = ""}};
    struct mc_ticket_draft d = {.subject = "Zoë's 山田 refund", .message = "line 1\nline \"2\"",
                                .department = "BILLING", .priority = "HIGH",
                                .reported_from = "CALLCENTER", .type = "Customer",
                                .fields = fields, .n_fields = 2};
    r = api_ticket_add(565000004, &d);
    assert_int_equal(r->kind, API_TICKET_ADD);
    assert_int_equal(r->method, API_POST);
    assert_string_equal(r->path, "/v1.1/customer/tickets?format=json");
    json_t *b = body_of(r);
    json_t *cust = json_array_get(json_object_get(json_object_get(b, "root"), "customer"), 0);
    assert_string_equal(json_string_value(json_object_get(cust, "id")), "565000004");
    json_t *t = json_array_get(json_object_get(cust, "ticket"), 0);
    assert_string_equal(json_string_value(json_object_get(t, "subject")), "Zoë's 山田 refund");
    assert_string_equal(json_string_value(json_object_get(t, "message")), "line 1\nline \"2\"");
    assert_string_equal(json_string_value(json_object_get(t, "reported_from")), "CALLCENTER");
    assert_null(json_object_get(t, "status")); /* left to the server */
    json_t *fl = json_object_get(json_object_get(t, "custom_fields"), "field");
    assert_int_equal(json_array_size(fl), 1); /* the empty one is not sent */
    assert_string_equal(json_string_value(json_object_get(json_array_get(fl, 0), "name")), "channel");
    json_decref(b);
    api_request_free(&r);

    r = api_notes_get(565000001);
    assert_string_equal(r->path, "/v1.1/customer/notes?format=json&user_id=565000001");
    api_request_free(&r);
    r = api_note_save(565000001, 0, "Prefers SMS");
    assert_int_equal(r->kind, API_NOTE_SAVE);
    b = body_of(r);
    cust = json_array_get(json_object_get(json_object_get(b, "root"), "customer"), 0);
    assert_string_equal(json_string_value(json_object_get(cust, "user_id")), "565000001");
    json_t *note = json_array_get(json_object_get(json_object_get(cust, "notes"), "note"), 0);
    assert_null(json_object_get(note, "id"));
    assert_string_equal(json_string_value(json_object_get(note, "description")), "Prefers SMS");
    json_decref(b);
    api_request_free(&r);
    r = api_note_save(565000001, 42, "edited");
    b = body_of(r);
    cust = json_array_get(json_object_get(json_object_get(b, "root"), "customer"), 0);
    note = json_array_get(json_object_get(json_object_get(cust, "notes"), "note"), 0);
    assert_string_equal(json_string_value(json_object_get(note, "id")), "42");
    json_decref(b);
    api_request_free(&r);

    r = api_interactions_get("mobile", "+91 98450", NULL);
    assert_string_equal(r->path, "/v2/customers/interaction?identifierName=mobile"
                                 "&identifierValue=%2B91%2098450");
    api_request_free(&r);
    r = api_interactions_get("email", "a@b.c", "sms");
    assert_string_equal(r->path, "/v2/customers/interaction?identifierName=email"
                                 "&identifierValue=a%40b.c&type=sms");
    api_request_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ticket_draft_checks),
        cmocka_unit_test(note_checks),
        cmocka_unit_test(dates_and_statuses),
        cmocka_unit_test(builders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
