/*
 * commands_test.c - the command line's verb table, arity checks, chains,
 * completion and inline help (tui/commands.c), the persistent history
 * (tui/history.c) and the wrap-up draft (tui/wrapup.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tui/commands.h"
#include "tui/history.h"
#include "tui/wrapup.h"

static bool check(const char *line, struct cmd_resolved *r, char *err, size_t errlen, struct cmd_words *w)
{
    char why[128];
    assert_int_not_equal(cmd_split(line, w, why, sizeof why), (size_t)-1);
    return cmd_check(w, r, err, errlen);
}

static void verbs_and_actions_resolve(void **state)
{
    (void)state;
    struct cmd_words w;
    struct cmd_resolved r;
    char err[200];
    assert_true(check("goodwill 500 POINTS_ISSUE \"late bill, sorry\"", &r, err, sizeof err, &w));
    assert_string_equal(r.verb.name, "goodwill");
    assert_true(r.verb.writes);
    assert_int_equal(r.verb.action, ACTION_GOODWILL);
    assert_int_equal(r.argc, 3);
    assert_string_equal(r.argv[2], "late bill, sorry");
    cmd_words_free(&w);

    /* a keymap action is a verb by its name, with its flags */
    assert_true(check("approve", &r, err, sizeof err, &w));
    assert_int_equal(r.verb.action, ACTION_REQ_APPROVE);
    assert_true(r.verb.writes);
    assert_int_equal(r.argc, 0);
    cmd_words_free(&w);

    assert_true(check("audit", &r, err, sizeof err, &w));
    assert_false(r.verb.writes);
    assert_int_equal(r.verb.action, ACTION_AUDIT);
    cmd_words_free(&w);

    assert_non_null(cmd_verb_find("wrapup"));
    assert_null(cmd_verb_find("approve")); /* only in the action table */
    size_t n;
    const struct cmd_verb *all = cmd_verbs(&n);
    assert_true(n >= 17);
    for (size_t i = 0; i < n; i++) {
        assert_true(all[i].min_args <= all[i].max_args);
        assert_non_null(strstr(all[i].synopsis, all[i].name));
        assert_true(strlen(all[i].help) > 5);
    }
}

static void wrong_arity_names_the_synopsis(void **state)
{
    (void)state;
    struct cmd_words w;
    struct cmd_resolved r;
    char err[200];
    assert_false(check("goodwill 1 2 3 4", &r, err, sizeof err, &w));
    assert_string_equal(err, "goodwill takes at most 3 arguments: goodwill POINTS REASON \"comment\"");
    cmd_words_free(&w);
    assert_false(check("customer", &r, err, sizeof err, &w));
    assert_string_equal(err, "customer needs 1 argument: customer IDENTIFIER");
    cmd_words_free(&w);
    assert_false(check("set theme", &r, err, sizeof err, &w));
    assert_string_equal(err, "set needs 2 arguments: set KEY VALUE");
    cmd_words_free(&w);
    assert_false(check("ledger now", &r, err, sizeof err, &w));
    assert_string_equal(err, "ledger takes no arguments: ledger");
    cmd_words_free(&w);
    assert_false(check("approve 12", &r, err, sizeof err, &w));
    assert_string_equal(err, "approve takes no arguments: approve");
    cmd_words_free(&w);
    assert_false(check("frobnicate x", &r, err, sizeof err, &w));
    assert_non_null(strstr(err, "Unknown command ':frobnicate'"));
    cmd_words_free(&w);
}

static void chains_split_on_unquoted_semicolons(void **state)
{
    (void)state;
    size_t st[4], en[4];
    char err[128];
    const char *line = "requests member=919845000002 status=pending sort=oldest; approve";
    assert_int_equal(cmd_chain(line, st, en, 4, err, sizeof err), 2);
    assert_memory_equal(line + st[0], "requests member", 15);
    assert_int_equal(en[0], strlen("requests member=919845000002 status=pending sort=oldest"));
    assert_string_equal(line + st[1], " approve");

    const char *quoted = "goodwill 5 R \"a; b\" ;; audit # comment; not a command";
    assert_int_equal(cmd_chain(quoted, st, en, 4, err, sizeof err), 2);
    assert_int_equal(en[0] - st[0], strlen("goodwill 5 R \"a; b\" "));

    assert_int_equal(cmd_chain("a;b;c;d;e", st, en, 4, err, sizeof err), -1);
    assert_non_null(strstr(err, "too many"));
    assert_int_equal(cmd_chain("find \"open", st, en, 4, err, sizeof err), -1);
    assert_int_equal(cmd_chain("   ", st, en, 4, err, sizeof err), 0);
}

static const char *const themes[] = {"default", "light", "high-contrast", "mono"};
static const char *const options[] = {"theme", "mask", "mouse", "refresh"};
static const char *const profiles[] = {"prod india", "staging"};
static const char *const reasons[] = {"POINTS_ISSUE", "BILL_ISSUE"};

static const struct cmd_complete_src src = {
    .themes = {themes, 4}, .options = {options, 4}, .profiles = {profiles, 2}, .reasons = {reasons, 2}};

static void completion_of_verbs(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(cmd_complete("wr", &src, 0, out, sizeof out), 1);
    assert_string_equal(out, "wrapup ");
    /* "coupon", "coupons", then the coupon-* actions */
    int n = cmd_complete("coupo", &src, 0, out, sizeof out);
    assert_true(n >= 8);
    assert_string_equal(out, "coupons ");
    assert_int_equal(cmd_complete("coupo", &src, 1, out, sizeof out), n);
    assert_string_equal(out, "coupon ");
    assert_int_equal(cmd_complete("coupo", &src, 2, out, sizeof out), n);
    assert_string_equal(out, "coupon-issue ");
    assert_int_equal(cmd_complete("zzz", &src, 0, out, sizeof out), 0);
    /* the verb of the last command of a chain */
    assert_int_equal(cmd_complete("ledger; appr", &src, 0, out, sizeof out), 2);
    assert_string_equal(out, "ledger; approve ");
}

static void completion_of_arguments(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(cmd_complete("theme h", &src, 0, out, sizeof out), 1);
    assert_string_equal(out, "theme high-contrast ");
    assert_int_equal(cmd_complete("theme ", &src, 3, out, sizeof out), 4);
    assert_string_equal(out, "theme mono ");
    assert_int_equal(cmd_complete("set m", &src, 1, out, sizeof out), 2);
    assert_string_equal(out, "set mouse ");
    assert_int_equal(cmd_complete("set mask o", &src, 1, out, sizeof out), 2);
    assert_string_equal(out, "set mask off ");
    assert_int_equal(cmd_complete("set theme l", &src, 0, out, sizeof out), 1);
    assert_string_equal(out, "set theme light ");
    /* a name with a blank is quoted */
    assert_int_equal(cmd_complete("profile pr", &src, 0, out, sizeof out), 1);
    assert_string_equal(out, "profile \"prod india\" ");
    assert_int_equal(cmd_complete("profile \"pr", &src, 0, out, sizeof out), 1);
    assert_string_equal(out, "profile \"prod india\" ");
    /* filters: the key with its '=', then its values */
    assert_int_equal(cmd_complete("requests st", &src, 0, out, sizeof out), 1);
    assert_string_equal(out, "requests status=");
    assert_int_equal(cmd_complete("requests status=p", &src, 0, out, sizeof out), 1);
    assert_string_equal(out, "requests status=pending ");
    assert_int_equal(cmd_complete("requests status=pending sort=", &src, 1, out, sizeof out), 2);
    assert_string_equal(out, "requests status=pending sort=newest ");
    assert_int_equal(cmd_complete("requests member=9198", &src, 0, out, sizeof out), 0);
    /* goodwill: the reason is the second argument */
    assert_int_equal(cmd_complete("goodwill 500 B", &src, 0, out, sizeof out), 1);
    assert_string_equal(out, "goodwill 500 BILL_ISSUE ");
    assert_int_equal(cmd_complete("goodwill B", &src, 0, out, sizeof out), 0);
    /* no arguments to complete */
    assert_int_equal(cmd_complete("ledger x", &src, 0, out, sizeof out), 0);
}

static void inline_help_follows_the_verb(void **state)
{
    (void)state;
    struct cmd_verb v;
    assert_true(cmd_typing_verb("goodwill 5", &v));
    assert_string_equal(v.synopsis, "goodwill POINTS REASON \"comment\"");
    assert_true(cmd_typing_verb("ledger; approve", &v));
    assert_string_equal(v.name, "approve");
    assert_string_equal(v.help, action_info(ACTION_REQ_APPROVE)->description);
    assert_false(cmd_typing_verb("goodw", &v));
    assert_false(cmd_typing_verb("", &v));
    assert_false(cmd_typing_verb("ledger;", &v));
}

/* History */

static char tmpdir[64];

static int make_tmp(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mc-hist-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmp(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void history_survives_a_restart(void **state)
{
    (void)state;
    char path[200];
    snprintf(path, sizeof path, "%s/state/membercare/history", tmpdir);
    struct history h;
    history_load(&h, path);
    assert_int_equal(h.n, 0);
    assert_true(history_add(&h, "customer 919845000001"));
    assert_true(history_add(&h, "ledger"));
    assert_true(history_add(&h, "ledger")); /* no repeats in a row */
    assert_true(history_add(&h, "   "));    /* blanks are not kept */
    assert_true(history_add(&h, "customer 919845000001"));
    assert_int_equal(h.n, 3);
    history_free(&h);

    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char dir[200];
    snprintf(dir, sizeof dir, "%s/state/membercare", tmpdir);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);

    history_load(&h, path);
    assert_int_equal(h.n, 3);
    assert_string_equal(h.lines[0], "customer 919845000001");
    assert_string_equal(h.lines[1], "ledger");
    assert_string_equal(h.lines[2], "customer 919845000001");
    history_free(&h);
}

static void history_keeps_the_last_500(void **state)
{
    (void)state;
    char path[200];
    snprintf(path, sizeof path, "%s/h2", tmpdir);
    struct history h;
    history_load(&h, path);
    char line[32];
    for (int i = 0; i < 1234; i++) {
        snprintf(line, sizeof line, "find %d", i);
        assert_true(history_add(&h, line));
    }
    assert_int_equal(h.n, HISTORY_MAX);
    assert_string_equal(h.lines[0], "find 734");
    history_free(&h);
    history_load(&h, path);
    assert_int_equal(h.n, HISTORY_MAX);
    assert_string_equal(h.lines[0], "find 734");
    assert_string_equal(h.lines[HISTORY_MAX - 1], "find 1233");
    history_free(&h);
    /* the file is compacted, not grown without end */
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    int lines = 0, c;
    while ((c = fgetc(f)) != EOF)
        lines += c == '\n';
    fclose(f);
    assert_true(lines <= 2 * HISTORY_MAX);
}

static void history_skips_hostile_lines(void **state)
{
    (void)state;
    char path[200];
    snprintf(path, sizeof path, "%s/h3", tmpdir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("ledger\nbad\x1b[31mline\n", f);
    for (int i = 0; i < 5000; i++)
        fputc('x', f);
    fputs("\ncoupons\n\n", f);
    fclose(f);
    struct history h;
    history_load(&h, path);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.lines[0], "ledger");
    assert_string_equal(h.lines[1], "coupons");
    history_free(&h);
    /* a file that cannot be written: the line is still kept for the session */
    history_load(&h, "/proc/version/history");
    assert_false(history_add(&h, "ledger"));
    assert_int_equal(h.n, 1);
    history_free(&h);
}

/* Wrap-up */

static void wrapup_lists_this_members_writes(void **state)
{
    (void)state;
    struct session_log log = {0};
    session_log_sent(&log, 1, "goodwill-raise", 565000001, "mc-1-2-3", "goodwill 500 points, POINTS_ISSUE");
    session_log_sent(&log, 2, "coupon-issue", 565000002, "SERIES", "Ravi's coupon");
    session_log_sent(&log, 3, "coupon-redeem", 565000001, "ABC123", "on bill B-1");
    session_log_sent(&log, 4, "ticket-add", 565000001, NULL, "Card not received");
    session_log_done(&log, 1, "ok", "10781", NULL);
    session_log_done(&log, 3, "failed", NULL, "8016: coupon already redeemed");
    session_log_done(&log, 2, "ok", NULL, NULL);
    assert_int_equal(session_log_count(&log, 565000001), 3);
    char out[1024];
    assert_int_equal(wrapup_draft(&log, 565000001, "demo.agent", "2026-11-25", out, sizeof out, 255), 3);
    assert_string_equal(out, "Wrap-up 2026-11-25 by demo.agent:\n"
                             "- Raised: goodwill 500 points, POINTS_ISSUE (#10781)\n"
                             "- Failed coupon redemption: on bill B-1 [ABC123] (8016: coupon already redeemed)\n"
                             "- ticket, no answer yet: Card not received");
    assert_null(strstr(out, "Ravi"));

    /* the note's limit: what does not fit is counted */
    for (int i = 0; i < 20; i++)
        session_log_sent(&log, 10 + i, "note-add", 565000001, NULL, "a note about the member's call today");
    size_t shown = wrapup_draft(&log, 565000001, "demo.agent", "2026-11-25", out, sizeof out, 255);
    assert_true(shown < 23);
    size_t chars = 0;
    for (const char *p = out; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    assert_true(chars <= 255);
    char more[32];
    snprintf(more, sizeof more, "\n+%zu more", 23 - shown);
    assert_non_null(strstr(out, more));

    assert_int_equal(wrapup_draft(&log, 565000003, "demo.agent", "2026-11-25", out, sizeof out, 255), 0);
    assert_non_null(strstr(out, "no changes made"));
    session_log_free(&log);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verbs_and_actions_resolve),
        cmocka_unit_test(wrong_arity_names_the_synopsis),
        cmocka_unit_test(chains_split_on_unquoted_semicolons),
        cmocka_unit_test(completion_of_verbs),
        cmocka_unit_test(completion_of_arguments),
        cmocka_unit_test(inline_help_follows_the_verb),
        cmocka_unit_test_setup_teardown(history_survives_a_restart, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(history_keeps_the_last_500, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(history_skips_hostile_lines, make_tmp, remove_tmp),
        cmocka_unit_test(wrapup_lists_this_members_writes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
