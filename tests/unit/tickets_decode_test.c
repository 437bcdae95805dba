/*
 * tickets_decode_test.c - the ticket, note and interaction decoders on the
 * reference samples (tests/fixtures/tickets_*.json) and on bodies built
 * here: both envelope quirks (customers.customer on add, customer on get;
 * a one-item list as an array or a bare object), strings for numbers and
 * booleans, item_status failures, the two interaction dialects, and
 * hostile types.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"

static char *load(const char *name, size_t *len)
{
    const char *dir = getenv("MC_FIXTURES");
    assert_non_null(dir);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void *fixture(enum api_kind kind, const char *name, enum api_err want, struct api_error *err)
{
    size_t len;
    char *body = load(name, &len);
    void *out = (void *)1;
    enum api_err rc = api_decode(kind, 200, body, len, &out, err);
    free(body);
    if (rc != want)
        fail_msg("%s: got %s (%s), want %s", name, api_err_name(rc), err->message,
                 api_err_name(want));
    if (want == API_OK)
        assert_non_null(out);
    else
        assert_null(out);
    return out;
}

static enum api_err text(enum api_kind kind, long status, const char *body, void **out,
                         struct api_error *err)
{
    *out = (void *)1;
    return api_decode(kind, status, body, strlen(body), out, err);
}

/* Tickets */

static void tickets_list_as_array(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_ticket_list *l = fixture(API_TICKETS, "tickets_get.json", API_OK, &err);
    assert_true(l->customer_id == 90001);
    assert_int_equal(l->n, 2);
    const struct mc_ticket *a = &l->items[0], *b = &l->items[1];
    assert_string_equal(a->code, "7ab2kq01");
    assert_string_equal(a->status, "OPEN");
    assert_string_equal(a->department, "LOYALTY");
    assert_null(a->created_on);
    assert_int_equal(a->n_fields, 0);
    assert_true(api_ticket_is_open(a->status));
    assert_false(api_ticket_is_open(b->status));
    assert_string_equal(b->message, "Charged twice\nfor one bill");
    assert_string_equal(b->created_on, "2025-04-11 07:29:24");
    assert_string_equal(b->updated_on, "2025-04-15 10:26:06"); /* ISO, normalised */
    assert_string_equal(b->created_by, "demo.agent");
    assert_int_equal(b->n_fields, 2);
    assert_string_equal(b->fields[1].name, "order_number");
    assert_string_equal(b->fields[1].value, "4411"); /* a number becomes text */
    assert_int_equal(b->n_comments, 1);
    assert_string_equal(b->comments[0].author, "demo.supervisor");
    assert_string_equal(b->comments[0].status, "Close");
    mc_ticket_list_free(&l);
    assert_null(l);
}

static void tickets_one_as_bare_object(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_ticket_list *l = fixture(API_TICKETS, "tickets_get_bare.json", API_OK, &err);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->items[0].subject, "Zoë's 山田 refund");
    assert_int_equal(l->items[0].n_fields, 1);
    assert_string_equal(l->items[0].fields[0].value, "email");
    assert_int_equal(l->items[0].n_comments, 0);
    mc_ticket_list_free(&l);
}

static void tickets_empty_and_missing(void **state)
{
    (void)state;
    struct api_error err;
    void *out;
    /* no tickets block, a null one, an empty list: all empty */
    static const char *const empty[] = {
        "{\"response\":{\"status\":{\"success\":\"true\"},\"customer\":{\"id\":\"1\"}}}",
        "{\"response\":{\"customer\":{\"id\":1,\"tickets\":null}}}",
        "{\"response\":{\"customer\":{\"id\":1,\"tickets\":{\"ticket\":[]}}}}",
        "{\"response\":{\"customer\":[{\"id\":1,\"tickets\":[{\"ticket\":[]}]}]}}",
    };
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        assert_int_equal(text(API_TICKETS, 200, empty[i], &out, &err), API_OK);
        struct mc_ticket_list *l = out;
        assert_int_equal(l->n, 0);
        mc_ticket_list_free(&l);
    }
    /* no member block at all */
    assert_int_equal(text(API_TICKETS, 200, "{\"response\":{\"status\":{}}}", &out, &err),
                     API_DECODE);
    assert_null(out);
}

static void tickets_item_failure(void **state)
{
    (void)state;
    struct api_error err;
    void *out;
    /* top-level success, item failure: the item's own code and words */
    const char *body = "{\"response\":{\"status\":{\"success\":\"true\",\"code\":\"200\"},"
                       "\"customer\":{\"id\":\"1\",\"item_status\":{\"success\":\"false\","
                       "\"code\":\"1301\",\"message\":\"Invalid department 'X'\"}}}}";
    assert_int_equal(text(API_TICKETS, 200, body, &out, &err), API_REMOTE);
    assert_null(out);
    assert_int_equal(err.code, 1301);
    assert_string_equal(err.message, "Invalid department 'X'");
    /* the request-level failure is reported by the shared envelope, with
     * the request's code or the item's */
    body = "{\"response\":{\"status\":{\"success\":\"false\",\"code\":500,\"message\":\"All "
           "requests have failed\"},\"customer\":{\"item_status\":{\"success\":false,\"code\":1012}}}}";
    assert_int_equal(text(API_TICKETS, 200, body, &out, &err), API_REMOTE);
    assert_null(out);
    assert_true(err.code == 500 || err.code == 1012);
}

static void tickets_hostile_types(void **state)
{
    (void)state;
    struct api_error err;
    void *out;
    const char *body =
        "{\"response\":{\"customer\":{\"id\":[1],\"tickets\":{\"ticket\":["
        "7,\"x\",null,{},{\"code\":{\"a\":1},\"subject\":[\"s\"]},"
        "{\"code\":12345,\"subject\":true,\"status\":1.5,\"custom_fields\":{\"field\":[1,{\"value\":\"v\"},"
        "{\"name\":\"n\",\"value\":{}}]},\"comments\":{\"comment\":[{\"text\":3},{}]},"
        "\"created_on\":\"yesterday\"}]}}}}";
    assert_int_equal(text(API_TICKETS, 200, body, &out, &err), API_OK);
    struct mc_ticket_list *l = out;
    assert_true(l->customer_id == 0);
    assert_int_equal(l->n, 1); /* only the last object looks like a ticket */
    assert_string_equal(l->items[0].code, "12345");
    assert_null(l->items[0].subject);
    assert_string_equal(l->items[0].status, "1.5");
    assert_string_equal(l->items[0].created_on, "yesterday");
    assert_int_equal(l->items[0].n_fields, 1);
    assert_null(l->items[0].fields[0].value);
    assert_int_equal(l->items[0].n_comments, 1);
    assert_string_equal(l->items[0].comments[0].text, "3");
    mc_ticket_list_free(&l);
}

static void ticket_add_shapes(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_ticket_list *l = fixture(API_TICKET_ADD, "tickets_add.json", API_OK, &err);
    assert_int_equal(l->n, 1);
    assert_string_equal(l->items[0].code, "7ab2kq01");
    assert_true(l->customer_id == 90001);
    mc_ticket_list_free(&l);

    /* a batch answer whose first (our) item failed */
    fixture(API_TICKET_ADD, "tickets_add_refused.json", API_REMOTE, &err);
    assert_int_equal(err.code, 1301);
    assert_non_null(strstr(err.message, "ACCOUNTS"));

    /* the get-style singular block and a ticket list are read too */
    void *out;
    const char *body = "{\"response\":{\"customer\":[{\"id\":\"5\",\"tickets\":{\"ticket\":"
                       "[{\"code\":\"q1\",\"subject\":\"s\"}]}}]}}";
    assert_int_equal(text(API_TICKET_ADD, 200, body, &out, &err), API_OK);
    l = out;
    assert_string_equal(l->items[0].code, "q1");
    mc_ticket_list_free(&l);

    /* success without a code cannot be shown to the agent: decode error */
    body = "{\"response\":{\"customers\":{\"customer\":{\"id\":\"5\",\"ticket\":{\"subject\":\"s\"}}}}}";
    assert_int_equal(text(API_TICKET_ADD, 200, body, &out, &err), API_DECODE);
    assert_null(out);
    /* an item_status failure on the ticket itself */
    body = "{\"response\":{\"customers\":{\"customer\":{\"ticket\":{\"code\":\"z\",\"item_status\":"
           "{\"status\":\"false\",\"code\":1308,\"message\":\"Ticket code 'z' already exists\"}}}}}}";
    assert_int_equal(text(API_TICKET_ADD, 200, body, &out, &err), API_REMOTE);
    assert_int_equal(err.code, 1308);
}

/* Notes */

static void notes_newest_first(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_note_list *l = fixture(API_NOTES, "tickets_notes.json", API_OK, &err);
    assert_true(l->customer_id == 90001);
    assert_int_equal(l->n, 3);
    assert_true(l->items[0].id == 44);
    assert_string_equal(l->items[0].author, "Demo Agent");
    assert_string_equal(l->items[0].date, "2025-06-01 09:00:00");
    assert_true(l->items[1].id == 31);
    assert_null(l->items[1].author);
    assert_true(l->items[2].id == 12); /* undated last */
    assert_null(l->items[2].date);
    mc_note_list_free(&l);
}

static void note_saved(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_note_list *l = fixture(API_NOTE_SAVE, "tickets_note_saved.json", API_OK, &err);
    assert_int_equal(l->n, 1);
    assert_true(l->items[0].id == -1);
    assert_string_equal(l->items[0].text, "Promised a call back on Friday");
    assert_string_equal(l->items[0].author, "75000001"); /* the member block's associate */
    mc_note_list_free(&l);

    void *out;
    const char *body = "{\"response\":{\"status\":{\"success\":\"true\"},\"customer\":{"
                       "\"item_status\":{\"success\":\"false\",\"code\":\"1502\","
                       "\"message\":\"Note description exceeds 255 characters\"}}}}";
    assert_int_equal(text(API_NOTE_SAVE, 200, body, &out, &err), API_REMOTE);
    assert_int_equal(err.code, 1502);
}

/* Interactions */

static void interactions_v2(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_message_list *l =
        fixture(API_INTERACTIONS, "tickets_interactions_v2.json", API_OK, &err);
    assert_int_equal(l->n, 3);
    /* newest first across types; v2 dates DD-MM-YYYY normalised */
    assert_string_equal(l->items[0].sent, "2025-05-12 18:30:00");
    assert_string_equal(l->items[0].channel, "SMS");
    assert_string_equal(l->items[0].status, "NOT-DELIVERED");
    assert_null(l->items[0].delivered);
    assert_string_equal(l->items[0].campaign, "3001");
    assert_string_equal(l->items[1].delivered, "2025-05-10 10:00:03");
    assert_null(l->items[1].campaign); /* -1 */
    assert_string_equal(l->items[2].channel, "EMAIL");
    assert_string_equal(l->items[2].status, "OPENED"); /* upper-cased */
    assert_true(l->items[2].id == 1750000000003LL);
    mc_message_list_free(&l);
}

static void interactions_v11(void **state)
{
    (void)state;
    struct api_error err;
    struct mc_message_list *l =
        fixture(API_INTERACTIONS, "tickets_interactions_v11.json", API_OK, &err);
    assert_int_equal(l->n, 2);
    assert_string_equal(l->items[0].channel, "WHATSAPP");
    assert_string_equal(l->items[0].receiver, "34600111222"); /* reciever (sic) */
    assert_string_equal(l->items[0].sent, "2025-05-11 09:00:00");
    assert_null(l->items[0].delivered);
    assert_string_equal(l->items[1].channel, "EMAIL");
    assert_string_equal(l->items[1].delivered, "2025-05-10 10:00:05");
    mc_message_list_free(&l);
}

static void interactions_errors_and_hostile(void **state)
{
    (void)state;
    struct api_error err;
    void *out;
    /* v2 1012 error body with 404 */
    const char *body = "{\"errors\":[{\"status\":false,\"code\":1012,\"message\":\"Customer not "
                       "found\"}],\"warnings\":[]}";
    assert_int_equal(text(API_INTERACTIONS, 404, body, &out, &err), API_REMOTE);
    assert_int_equal(err.code, 1012);
    /* neither dialect */
    assert_int_equal(text(API_INTERACTIONS, 200, "{\"name\":\"capillary\"}", &out, &err),
                     API_DECODE);
    /* v1.1 item failure */
    body = "{\"response\":{\"customer\":{\"item_status\":{\"success\":\"false\",\"code\":1012,"
           "\"message\":\"Customer not found\"}}}}";
    assert_int_equal(text(API_INTERACTIONS, 200, body, &out, &err), API_REMOTE);
    assert_int_equal(err.code, 1012);
    /* hostile: wrong types everywhere, an empty type name */
    body = "{\"interaction\":[1,null,{\"name\":7,\"messageList\":[{\"id\":\"x\",\"sentDate\":"
           "\"99-99-9999 10:00:00\",\"status\":5},\"m\",[]]},{\"name\":\"\",\"messageList\":[{}]},"
           "{\"name\":\"sms\",\"messageList\":{\"subject\":\"bare\",\"sentDate\":\"1-2-2025\"}}]}";
    assert_int_equal(text(API_INTERACTIONS, 200, body, &out, &err), API_OK);
    struct mc_message_list *l = out;
    assert_int_equal(l->n, 2);
    mc_message_list_free(&l);
    /* null list is empty */
    assert_int_equal(text(API_INTERACTIONS, 200, "{\"interaction\":null}", &out, &err), API_OK);
    l = out;
    assert_int_equal(l->n, 0);
    mc_message_list_free(&l);
}

static void frees_accept_null(void **state)
{
    (void)state;
    struct mc_ticket_list *t = NULL;
    struct mc_note_list *n = NULL;
    struct mc_message_list *m = NULL;
    mc_ticket_list_free(&t);
    mc_note_list_free(&n);
    mc_message_list_free(&m);
    mc_ticket_list_free(NULL);
    mc_note_list_free(NULL);
    mc_message_list_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tickets_list_as_array),
        cmocka_unit_test(tickets_one_as_bare_object),
        cmocka_unit_test(tickets_empty_and_missing),
        cmocka_unit_test(tickets_item_failure),
        cmocka_unit_test(tickets_hostile_types),
        cmocka_unit_test(ticket_add_shapes),
        cmocka_unit_test(notes_newest_first),
        cmocka_unit_test(note_saved),
        cmocka_unit_test(interactions_v2),
        cmocka_unit_test(interactions_v11),
        cmocka_unit_test(interactions_errors_and_hostile),
        cmocka_unit_test(frees_accept_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
