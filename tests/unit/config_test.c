/*
 * config_test.c - the configuration file parser and its file checks
 * (tui/config.c): the documented syntax, every error with its line, the
 * refusal of secrets and of files others can read, and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "tui/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Helpers */

static char err[512];

static int parse(struct config *cfg, const char *text)
{
    err[0] = '\0';
    return config_parse(cfg, text, strlen(text), "cfg", err, sizeof err);
}

/* Parses text expecting failure with exactly want. */
static void expect_error(const char *text, const char *want)
{
    struct config cfg;
    config_init(&cfg);
    if (parse(&cfg, text) != -1)
        fail_msg("accepted: %s", text);
    if (strcmp(err, want) != 0)
        fail_msg("error \"%s\", want \"%s\"", err, want);
    assert_int_equal(cfg.n_profiles, 0);
    assert_null(cfg.default_profile);
    config_done(&cfg);
}

static void assert_printable_ascii(const char *s)
{
    for (; *s; s++)
        assert_true(*s >= ' ' && *s < 0x7f);
}

static const char *const example =
    "# comment\n"
    "default_profile = eu-prod\n"
    "refresh_interval = 30\n"
    "\n"
    "[profile eu-prod]\n"
    "host = https://eu.api.capillarytech.com\n"
    "user = store.server\n"
    "auth = basic              # or oauth\n"
    "password_command = pass show capillary/eu\n"
    "readonly = true\n"
    "color = red               # header colour for this profile\n"
    "\n"
    "[profile sandbox]\n"
    "host = http://127.0.0.1:8080\n"
    "auth = oauth\n"
    "client_key = ABC          # oauth\n";

/* Syntax */

static void test_init_defaults(void **state)
{
    struct config cfg;
    (void)state;
    memset(&cfg, 0x5a, sizeof cfg);
    config_init(&cfg);
    assert_int_equal(cfg.refresh_interval, 30);
    assert_null(cfg.default_profile);
    assert_null(cfg.profiles);
    assert_int_equal(cfg.n_profiles, 0);
    config_done(&cfg);
    config_done(&cfg);
    config_done(NULL);
}

static void test_example(void **state)
{
    struct config cfg;
    const struct config_profile *p;
    (void)state;
    config_init(&cfg);
    assert_int_equal(parse(&cfg, example), 0);
    assert_string_equal(err, "");
    assert_string_equal(cfg.default_profile, "eu-prod");
    assert_int_equal(cfg.refresh_interval, 30);
    assert_int_equal(cfg.n_profiles, 2);

    p = config_find_profile(&cfg, "eu-prod");
    assert_non_null(p);
    assert_ptr_equal(p, &cfg.profiles[0]);
    assert_string_equal(p->name, "eu-prod");
    assert_string_equal(p->host, "https://eu.api.capillarytech.com");
    assert_string_equal(p->user, "store.server");
    assert_int_equal(p->auth, CONFIG_AUTH_BASIC);
    assert_null(p->client_key);
    assert_string_equal(p->password_command, "pass show capillary/eu");
    assert_string_equal(p->color, "red");
    assert_true(p->readonly);

    p = config_find_profile(&cfg, "sandbox");
    assert_non_null(p);
    assert_string_equal(p->host, "http://127.0.0.1:8080");
    assert_int_equal(p->auth, CONFIG_AUTH_OAUTH);
    assert_string_equal(p->client_key, "ABC");
    assert_null(p->user);
    assert_null(p->password_command);
    assert_null(p->color);
    assert_false(p->readonly);

    assert_null(config_find_profile(&cfg, "nope"));
    assert_null(config_find_profile(&cfg, "EU-PROD"));
    assert_null(config_find_profile(&cfg, NULL));
    assert_null(config_find_profile(NULL, "eu-prod"));
    config_done(&cfg);
    assert_int_equal(cfg.n_profiles, 0);
}

static void test_layout_variants(void **state)
{
    struct config cfg;
    (void)state;
    config_init(&cfg);
    /* CRLF, tabs, indentation, no spaces around '=', no newline at EOF. */
    assert_int_equal(parse(&cfg, "refresh_interval=5\r\n"
                                 "\r\n"
                                 "  [ profile \t a ]  # first\r\n"
                                 "\thost\t=\thttps://a.example\t\r\n"
                                 "user=x\r\n"
                                 "[profile b]\n"
                                 "host = HTTPS://b.example"),
                     0);
    assert_int_equal(cfg.refresh_interval, 5);
    assert_int_equal(cfg.n_profiles, 2);
    assert_string_equal(cfg.profiles[0].name, "a");
    assert_string_equal(cfg.profiles[0].host, "https://a.example");
    assert_string_equal(cfg.profiles[0].user, "x");
    assert_string_equal(cfg.profiles[1].host, "HTTPS://b.example");
    config_done(&cfg);

    /* Empty and comment-only files are an empty configuration. */
    assert_int_equal(parse(&cfg, ""), 0);
    assert_int_equal(parse(&cfg, "\n\n# only comments\n   # here\n"), 0);
    assert_int_equal(config_parse(&cfg, NULL, 0, "cfg", err, sizeof err), 0);
    assert_int_equal(cfg.n_profiles, 0);
    assert_int_equal(cfg.refresh_interval, 30);
    config_done(&cfg);
}

static void test_values(void **state)
{
    struct config cfg;
    (void)state;
    config_init(&cfg);
    assert_int_equal(parse(&cfg, "[profile p]\n"
                                 "host = https://h\n"
                                 "password_command = \"pass show a#b  \"   # kept\n"
                                 "user = \"say \\\"hi\\\" \\\\ bye\"\n"
                                 "color = bright#comment\n"),
                     0);
    assert_string_equal(cfg.profiles[0].password_command, "pass show a#b  ");
    assert_string_equal(cfg.profiles[0].user, "say \"hi\" \\ bye");
    assert_string_equal(cfg.profiles[0].color, "bright");
    config_done(&cfg);

    /* UTF-8 values are fine. */
    assert_int_equal(parse(&cfg, "[profile p]\nhost = https://h\n"
                                 "user = Zo\xc3\xab \xe5\xb1\xb1\xe7\x94\xb0\n"),
                     0);
    assert_string_equal(cfg.profiles[0].user, "Zo\xc3\xab \xe5\xb1\xb1\xe7\x94\xb0");
    config_done(&cfg);

    /* An unquoted value keeps its inner quotes and spaces. */
    assert_int_equal(parse(&cfg, "[profile p]\nhost = https://h\n"
                                 "password_command = echo \"x y\"\n"),
                     0);
    assert_string_equal(cfg.profiles[0].password_command, "echo \"x y\"");
    config_done(&cfg);
}

static void test_booleans(void **state)
{
    static const struct {
        const char *v;
        bool want;
    } cases[] = {
        {"true", true}, {"yes", true}, {"1", true},   {"TRUE", true},  {"Yes", true},
        {"false", false}, {"no", false}, {"0", false}, {"False", false}, {"NO", false},
    };
    char text[128];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct config cfg;
        config_init(&cfg);
        snprintf(text, sizeof text, "[profile p]\nhost = https://h\nreadonly = %s\n", cases[i].v);
        assert_int_equal(parse(&cfg, text), 0);
        assert_int_equal(cfg.profiles[0].readonly, cases[i].want);
        config_done(&cfg);
    }
    expect_error("[profile p]\nhost = https://h\nreadonly = maybe\n",
                 "cfg:3: readonly must be true or false, not 'maybe'");
    expect_error("[profile p]\nhost = https://h\nreadonly = 2\n",
                 "cfg:3: readonly must be true or false, not '2'");
}

static void test_refresh_interval(void **state)
{
    static const char *const bad[] = {"-1", "86401", "abc", "1.5", "99999999999999999999",
                                      "+5", "5s", "0x10"};
    struct config cfg;
    char text[128];
    (void)state;
    config_init(&cfg);
    assert_int_equal(parse(&cfg, "refresh_interval = 0\n"), 0);
    assert_int_equal(cfg.refresh_interval, 0);
    assert_int_equal(parse(&cfg, "refresh_interval = 86400\n"), 0);
    assert_int_equal(cfg.refresh_interval, 86400);
    assert_int_equal(parse(&cfg, "refresh_interval = 007\n"), 0);
    assert_int_equal(cfg.refresh_interval, 7);
    config_done(&cfg);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text, "refresh_interval = %s\n", bad[i]);
        expect_error(text, "cfg:1: refresh_interval must be a whole number of seconds from 0 "
                           "to 86400");
    }
}

/* Errors */

static void test_unknown_keys(void **state)
{
    (void)state;
    expect_error("colour = red\n", "cfg:1: unknown key 'colour'");
    expect_error("\n[profile p]\nhost = https://h\norg_id = 5\n",
                 "cfg:4: unknown key 'org_id' in [profile p]");
    expect_error("[profile p]\nHost = https://h\n", "cfg:2: unknown key 'Host' in [profile p]");
    expect_error("host = https://h\n", "cfg:1: 'host' belongs in a [profile NAME] section");
    expect_error("[profile p]\nhost = https://h\ndefault_profile = p\n",
                 "cfg:3: 'default_profile' must come before the first [profile] section");
}

static void test_secrets_refused(void **state)
{
    static const char *const msg =
        "secrets are not read from the config file: use password_command or the "
        "MEMBERCARE_PASSWORD environment variable";
    char want[256];
    (void)state;
    snprintf(want, sizeof want, "cfg:3: %s", msg);
    expect_error("[profile p]\nhost = https://h\npassword = hunter2\n", want);
    expect_error("[profile p]\nhost = https://h\nclient_secret = s3cr3t\n", want);
    expect_error("[profile p]\nhost = https://h\nPassword = \"x\"\n", want);
    /* Even with an empty value, and even at the top level. */
    expect_error("[profile p]\nhost = https://h\npassword =\n", want);
    snprintf(want, sizeof want, "cfg:1: %s", msg);
    expect_error("password = hunter2\n", want);
}

static void test_profile_errors(void **state)
{
    (void)state;
    expect_error("[profile a]\nhost = https://a\n\n[profile a]\nhost = https://b\n",
                 "cfg:4: duplicate profile 'a' (first defined on line 1)");
    /* Missing host: reported at the section line, also for the last one. */
    expect_error("[profile a]\nuser = u\n[profile b]\nhost = https://b\n",
                 "cfg:1: profile 'a' has no host");
    expect_error("[profile a]\nhost = https://a\n\n[profile b]\nuser = u\n",
                 "cfg:4: profile 'b' has no host");
    expect_error("[profile a]\n", "cfg:1: profile 'a' has no host");
    expect_error("[profile a]\nhost = https://a\nauth = oauth\n",
                 "cfg:1: profile 'a' uses auth = oauth but has no client_key");
    expect_error("[profile a]\nhost = https://a\nauth = digest\n",
                 "cfg:3: auth must be basic or oauth, not 'digest'");
    expect_error("default_profile = b\n[profile a]\nhost = https://a\n",
                 "cfg:1: default_profile 'b': no [profile b] in this file");
    expect_error("\ndefault_profile = b\n",
                 "cfg:2: default_profile 'b': no [profile b] in this file");
    expect_error("default_profile = a b\n", "cfg:1: invalid profile name 'a b'");
}

static void test_host_errors(void **state)
{
    (void)state;
    expect_error("[profile a]\nhost = ftp://a\n",
                 "cfg:2: host must be a URL starting with https:// (or http:// for a local "
                 "sandbox), not 'ftp://a'");
    expect_error("[profile a]\nhost = eu.api.capillarytech.com\n",
                 "cfg:2: host must be a URL starting with https:// (or http:// for a local "
                 "sandbox), not 'eu.api.capillarytech.com'");
    expect_error("[profile a]\nhost = https://\n",
                 "cfg:2: host must be a URL starting with https:// (or http:// for a local "
                 "sandbox), not 'https://'");
    expect_error("[profile a]\nhost = \"https://a b\"\n", "cfg:2: host must not contain spaces");
}

static void test_section_errors(void **state)
{
    (void)state;
    expect_error("[profile]\n", "cfg:1: expected '[profile NAME]'");
    expect_error("[profile a b]\n", "cfg:1: expected '[profile NAME]'");
    expect_error("[server a]\n", "cfg:1: unknown section '[server]': expected '[profile NAME]'");
    expect_error("[]\n", "cfg:1: unknown section '[]': expected '[profile NAME]'");
    expect_error("[profile a\n", "cfg:1: missing ']' in section header");
    expect_error("[profile a] x\n", "cfg:1: unexpected text after the section header");
    expect_error("[profile a/b]\n",
                 "cfg:1: invalid profile name 'a/b' (use letters, digits, '.', '_', '-', '@')");
    expect_error("[profile "
                 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n",
                 "cfg:1: invalid profile name 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...' "
                 "(use letters, digits, '.', '_', '-', '@')");
}

static void test_assignment_errors(void **state)
{
    (void)state;
    expect_error("refresh_interval 30\n", "cfg:1: expected 'key = value'");
    expect_error("= 30\n", "cfg:1: expected 'key = value'");
    expect_error("refresh-interval = 30\n", "cfg:1: expected 'key = value'");
    expect_error("[profile p]\nhost = https://h\nuser =\n", "cfg:3: missing value for 'user'");
    expect_error("[profile p]\nhost = https://h\nuser =   # nothing\n",
                 "cfg:3: missing value for 'user'");
    expect_error("[profile p]\nhost = https://h\nuser = \"\"\n", "cfg:3: missing value for 'user'");
    expect_error("[profile p]\nhost = https://h\nuser = \"abc\n", "cfg:3: missing closing quote");
    expect_error("[profile p]\nhost = https://h\nuser = \"a\\nb\"\n",
                 "cfg:3: unknown escape in quoted value (only \\\" and \\\\)");
    expect_error("[profile p]\nhost = https://h\nuser = \"a\" b\n",
                 "cfg:3: unexpected text after the closing quote");
    expect_error("[profile p]\nhost = https://h\nhost = https://i\n",
                 "cfg:3: 'host' is set twice (first on line 2)");
    expect_error("refresh_interval = 1\nrefresh_interval = 2\n",
                 "cfg:2: 'refresh_interval' is set twice (first on line 1)");
}

static void test_hostile_bytes(void **state)
{
    static const char nul[] = "[profile p]\nhost = https://h\nuser = a\0b\n";
    struct config cfg;
    (void)state;
    config_init(&cfg);
    assert_int_equal(config_parse(&cfg, nul, sizeof nul - 1, "cfg", err, sizeof err), -1);
    assert_string_equal(err, "cfg:3: NUL byte in line");
    config_done(&cfg);

    expect_error("[profile p]\nhost = https://h\nuser = \x1b[2J\n",
                 "cfg:3: control character (0x1b) in line");
    expect_error("# \x1b]52;c;aGk=\x07\n", "cfg:1: control character (0x1b) in line");
    expect_error("user\r= x\n", "cfg:1: control character (0x0d) in line");
    expect_error("# \xc3\n", "cfg:1: invalid UTF-8");
    expect_error("# \xc0\xaf\n", "cfg:1: invalid UTF-8");
    expect_error("# \xed\xa0\x80\n", "cfg:1: invalid UTF-8");
    expect_error("# \x9b" "2J\n", "cfg:1: invalid UTF-8");
    expect_error("# \xc2\x9b" "2J\n", "cfg:1: invisible or control character U+009B in line");
    /* Trojan source: a bidi override even in a comment. */
    expect_error("[profile p]\nhost = https://h\nuser = x # \xe2\x80\xae" "evil\n",
                 "cfg:3: invisible or control character U+202E in line");
    expect_error("refresh_interval = 3 # \xef\xbb\xbf\n",
                 "cfg:1: invisible or control character U+FEFF in line");
    /* ...but a byte order mark at the start of the file is skipped. */
    config_init(&cfg);
    assert_int_equal(parse(&cfg, "\xef\xbb\xbf" "refresh_interval = 3\n"), 0);
    assert_int_equal(cfg.refresh_interval, 3);
    config_done(&cfg);
}

static void test_limits(void **state)
{
    struct config cfg;
    char *text;
    size_t big = 1024 * 1024 + 1;
    (void)state;
    config_init(&cfg);

    /* 4096 bytes per line (without the line end). */
    text = malloc(8200);
    assert_non_null(text);
    memset(text, ' ', 8200);
    memcpy(text, "refresh_interval = 9", 20);
    text[4096] = '\n';
    assert_int_equal(config_parse(&cfg, text, 4097, "cfg", err, sizeof err), 0);
    assert_int_equal(cfg.refresh_interval, 9);
    text[4096] = ' ';
    text[4097] = '\n';
    assert_int_equal(config_parse(&cfg, text, 4098, "cfg", err, sizeof err), -1);
    assert_string_equal(err, "cfg:1: line too long (limit 4096 bytes)");
    /* ...and a CR before the newline does not count. */
    text[4096] = '\r';
    assert_int_equal(config_parse(&cfg, text, 4098, "cfg", err, sizeof err), 0);
    free(text);

    text = malloc(big);
    assert_non_null(text);
    memset(text, '\n', big);
    assert_int_equal(config_parse(&cfg, text, big, "cfg", err, sizeof err), -1);
    assert_string_equal(err, "cfg: file too large (limit 1048576 bytes)");
    assert_int_equal(config_parse(&cfg, text, big - 1, "cfg", err, sizeof err), 0);
    free(text);

    /* Many profiles. */
    text = malloc(200 * 64);
    assert_non_null(text);
    text[0] = '\0';
    for (int i = 0; i < 200; i++) {
        char line[64];
        snprintf(line, sizeof line, "[profile p%d]\nhost = https://h%d\n", i, i);
        strcat(text, line);
    }
    assert_int_equal(parse(&cfg, text), 0);
    assert_int_equal(cfg.n_profiles, 200);
    assert_string_equal(config_find_profile(&cfg, "p199")->host, "https://h199");
    free(text);
    config_done(&cfg);
}

/* A failed parse leaves the previous configuration alone; a good one
 * replaces it. */
static void test_failure_keeps_config(void **state)
{
    struct config cfg;
    (void)state;
    config_init(&cfg);
    assert_int_equal(parse(&cfg, example), 0);
    assert_int_equal(parse(&cfg, "refresh_interval = 5\n"
                                 "[profile x]\nhost = https://x\nbogus = 1\n"),
                     -1);
    assert_int_equal(cfg.n_profiles, 2);
    assert_int_equal(cfg.refresh_interval, 30);
    assert_string_equal(cfg.default_profile, "eu-prod");
    assert_int_equal(parse(&cfg, "refresh_interval = 5\n"), 0);
    assert_int_equal(cfg.n_profiles, 0);
    assert_int_equal(cfg.refresh_interval, 5);
    assert_null(cfg.default_profile);
    config_done(&cfg);
}

static void test_error_buffer(void **state)
{
    struct config cfg;
    char small[8];
    (void)state;
    config_init(&cfg);
    assert_int_equal(config_parse(&cfg, "x = 1\n", 6, "cfg", small, sizeof small), -1);
    assert_string_equal(small, "cfg:1: ");
    assert_int_equal(config_parse(&cfg, "x = 1\n", 6, "cfg", NULL, 0), -1);
    assert_int_equal(config_parse(&cfg, "x = 1\n", 6, NULL, err, sizeof err), -1);
    assert_string_equal(err, "config:1: unknown key 'x'");
    config_done(&cfg);
}

static void test_random_input(void **state)
{
    static const char *const pieces[] = {
        "[profile ", "p", "]", "\n", "host", " = ", "https://h", "\"", "\\", "#",
        "user", "password", "readonly", "true", "\r\n", "\x1b", "\0", "\xc3", "\xe2\x80\xae",
        "auth", "oauth", "client_key", "default_profile", "=", " ", "\t",
    };
    uint32_t seed = 99;
    char text[600];
    (void)state;
    for (int round = 0; round < 10000; round++) {
        struct config cfg;
        size_t n = 0;
        int rc;
        config_init(&cfg);
        while (n < sizeof text - 32) {
            seed = seed * 1664525u + 1013904223u;
            if ((seed >> 28) == 0) {
                text[n++] = (char)(seed >> 8);
            } else {
                const char *p = pieces[(seed >> 12) % (sizeof pieces / sizeof pieces[0])];
                size_t pl = p[0] ? strlen(p) : 1;
                memcpy(text + n, p, pl);
                n += pl;
            }
            if ((seed >> 20) % 40 == 0)
                break;
        }
        err[0] = '\0';
        rc = config_parse(&cfg, text, n, "fuzz", err, sizeof err);
        assert_true(rc == 0 || rc == -1);
        if (rc == -1) {
            assert_true(strncmp(err, "fuzz", 4) == 0);
            assert_printable_ascii(err);
            assert_int_equal(cfg.n_profiles, 0);
        } else {
            for (size_t i = 0; i < cfg.n_profiles; i++)
                assert_non_null(cfg.profiles[i].host);
        }
        config_done(&cfg);
    }
}

/* Files */

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/mc-config-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int remove_tmpdir(void **state)
{
    char cmd[128];
    (void)state;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text, size_t len, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void test_load_file(void **state)
{
    struct config cfg;
    char path[128], want[512];
    (void)state;
    config_init(&cfg);

    snprintf(path, sizeof path, "%s/missing", tmpdir);
    assert_int_equal(config_load_file(&cfg, path, err, sizeof err), 0);
    assert_int_equal(cfg.n_profiles, 0);
    assert_int_equal(config_load_file(&cfg, NULL, err, sizeof err), 0);

    snprintf(path, sizeof path, "%s/config", tmpdir);
    write_file(path, example, strlen(example), 0600);
    assert_int_equal(config_load_file(&cfg, path, err, sizeof err), 0);
    assert_int_equal(cfg.n_profiles, 2);
    config_done(&cfg);

    write_file(path, "[profile a]\nuser = u\n", 21, 0600);
    assert_int_equal(config_load_file(&cfg, path, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s:1: profile 'a' has no host", path);
    assert_string_equal(err, want);
    config_done(&cfg);
}

static void test_load_file_permissions(void **state)
{
    static const struct {
        mode_t mode;
        const char *what;
    } cases[] = {
        {0644, "readable by others (mode 0644)"},
        {0640, "readable by others (mode 0640)"},
        {0604, "readable by others (mode 0604)"},
        {0660, "readable by others (mode 0660)"},
        {0620, "writable by others (mode 0620)"},
        {0602, "writable by others (mode 0602)"},
        {0601, "accessible by others (mode 0601)"},
        {0610, "accessible by others (mode 0610)"},
    };
    struct config cfg;
    char path[128], want[512];
    (void)state;
    config_init(&cfg);
    snprintf(path, sizeof path, "%s/perm", tmpdir);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file(path, example, strlen(example), cases[i].mode);
        assert_int_equal(config_load_file(&cfg, path, err, sizeof err), -1);
        snprintf(want, sizeof want, "%s: %s; run: chmod 600 %s", path, cases[i].what, path);
        assert_string_equal(err, want);
        assert_int_equal(cfg.n_profiles, 0);
    }
    /* Owner-only modes are fine. */
    write_file(path, example, strlen(example), 0400);
    assert_int_equal(config_load_file(&cfg, path, err, sizeof err), 0);
    config_done(&cfg);
    write_file(path, example, strlen(example), 0700);
    assert_int_equal(config_load_file(&cfg, path, err, sizeof err), 0);
    config_done(&cfg);

    /* Someone else's file is refused (needs root to set up). */
    if (geteuid() == 0) {
        write_file(path, example, strlen(example), 0600);
        assert_int_equal(chown(path, 4242, (gid_t)-1), 0);
        assert_int_equal(config_load_file(&cfg, path, err, sizeof err), -1);
        assert_non_null(strstr(err, "owned by another user (uid 4242)"));
        assert_int_equal(chown(path, 0, (gid_t)-1), 0);
    }
    config_done(&cfg);
}

static void test_load_file_not_regular(void **state)
{
    struct config cfg;
    char path[128], want[256];
    char *big;
    size_t n = 1024 * 1024 + 100;
    (void)state;
    config_init(&cfg);
    assert_int_equal(config_load_file(&cfg, tmpdir, err, sizeof err), -1);
    snprintf(want, sizeof want, "%s: not a regular file", tmpdir);
    assert_string_equal(err, want);

    /* A FIFO would block a plain open(); it must not. */
    snprintf(path, sizeof path, "%s/fifo", tmpdir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(config_load_file(&cfg, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a regular file"));

    big = malloc(n);
    assert_non_null(big);
    memset(big, '\n', n);
    snprintf(path, sizeof path, "%s/big", tmpdir);
    write_file(path, big, n, 0600);
    free(big);
    assert_int_equal(config_load_file(&cfg, path, err, sizeof err), -1);
    assert_non_null(strstr(err, "file too large"));
    config_done(&cfg);
}

static void test_default_path(void **state)
{
    char buf[256];
    char *old_xdg = getenv("XDG_CONFIG_HOME") ? strdup(getenv("XDG_CONFIG_HOME")) : NULL;
    char *old_home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
    (void)state;

    setenv("XDG_CONFIG_HOME", "/xdg", 1);
    setenv("HOME", "/home/agent", 1);
    assert_string_equal(config_default_path(buf, sizeof buf), "/xdg/membercare/config");
    /* A relative or empty XDG_CONFIG_HOME is ignored, as the spec says. */
    setenv("XDG_CONFIG_HOME", "rel/dir", 1);
    assert_string_equal(config_default_path(buf, sizeof buf),
                        "/home/agent/.config/membercare/config");
    setenv("XDG_CONFIG_HOME", "", 1);
    assert_string_equal(config_default_path(buf, sizeof buf),
                        "/home/agent/.config/membercare/config");
    unsetenv("XDG_CONFIG_HOME");
    assert_string_equal(config_default_path(buf, sizeof buf),
                        "/home/agent/.config/membercare/config");
    /* Does not fit: no truncated path. */
    assert_null(config_default_path(buf, 20));
    assert_null(config_default_path(NULL, 0));
    unsetenv("HOME");
    assert_null(config_default_path(buf, sizeof buf));
    setenv("HOME", "", 1);
    assert_null(config_default_path(buf, sizeof buf));

    if (old_xdg)
        setenv("XDG_CONFIG_HOME", old_xdg, 1);
    if (old_home)
        setenv("HOME", old_home, 1);
    else
        unsetenv("HOME");
    free(old_xdg);
    free(old_home);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_defaults),
        cmocka_unit_test(test_example),
        cmocka_unit_test(test_layout_variants),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_refresh_interval),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_secrets_refused),
        cmocka_unit_test(test_profile_errors),
        cmocka_unit_test(test_host_errors),
        cmocka_unit_test(test_section_errors),
        cmocka_unit_test(test_assignment_errors),
        cmocka_unit_test(test_hostile_bytes),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_failure_keeps_config),
        cmocka_unit_test(test_error_buffer),
        cmocka_unit_test(test_random_input),
        cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_load_file_permissions),
        cmocka_unit_test(test_load_file_not_regular),
        cmocka_unit_test(test_default_path),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
