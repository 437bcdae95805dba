/*
 * config.c - the configuration file: profiles, defaults, file checks.
 *
 * The file sits next to the user's secrets and may have been written by
 * hand or by a script, so the parser is strict: every unknown key, repeated
 * key or malformed value is an error with FILE:LINE, rather than a setting
 * that silently does nothing. Secrets themselves are refused outright: a
 * password in a file is a password in every backup of that file.
 *
 * config_parse() builds a new config and only replaces the caller's on
 * success, so a bad file never leaves half a configuration behind.
 */
#include "tui/config.h"

#include "tui/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONFIG_MAX_FILE (1024 * 1024)
#define CONFIG_MAX_LINE 4096
#define CONFIG_MAX_NAME 64
#define CONFIG_MAX_REFRESH 86400
#define CONFIG_DEFAULT_REFRESH 30
#define CONFIG_MAX_FLAG_POINTS 100000000
#define CONFIG_DEFAULT_FLAG_POINTS 1000
#define CONFIG_QUOTE_MAX 40

enum config_key {
    KEY_DEFAULT_PROFILE,
    KEY_REFRESH_INTERVAL,
    KEY_GOODWILL_FLAG_POINTS,
    KEY_HOST,
    KEY_USER,
    KEY_AUTH,
    KEY_CLIENT_KEY,
    KEY_PASSWORD_COMMAND,
    KEY_COLOR,
    KEY_READONLY,
    KEY_THEME,
    KEY_MASK,
    KEY_MOUSE,
    KEY_COUNT
};

static const struct {
    const char *name;
    bool in_profile; /* false: top level only */
} config_keys[KEY_COUNT] = {
    [KEY_DEFAULT_PROFILE] = {"default_profile", false},
    [KEY_REFRESH_INTERVAL] = {"refresh_interval", false},
    [KEY_GOODWILL_FLAG_POINTS] = {"goodwill_flag_points", false},
    [KEY_HOST] = {"host", true},
    [KEY_USER] = {"user", true},
    [KEY_AUTH] = {"auth", true},
    [KEY_CLIENT_KEY] = {"client_key", true},
    [KEY_PASSWORD_COMMAND] = {"password_command", true},
    [KEY_COLOR] = {"color", true},
    [KEY_READONLY] = {"readonly", true},
    [KEY_THEME] = {"theme", false},
    [KEY_MASK] = {"mask", false},
    [KEY_MOUSE] = {"mouse", false},
};

struct parser {
    const char *file;
    char *err;
    size_t errsz;
    size_t lineno;
    struct config cfg;         /* being built; moved to the caller on success */
    size_t *profile_lines;     /* owned: the section line of each profile */
    size_t profiles_cap;
    bool in_profile;           /* inside a [profile] section */
    bool in_theme;             /* inside a [theme] section */
    size_t themes_cap;
    size_t top_seen[KEY_COUNT];     /* line where each top-level key was set, 0 = not */
    size_t section_seen[KEY_COUNT]; /* the same for the current section */
};

static void *xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q) {
        fputs("membercare: out of memory\n", stderr);
        abort();
    }
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

static void set_err(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
    va_list ap;

    if (!err || errsz == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

/* "FILE:LINE: " + message. */
static int fail(struct parser *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct parser *p, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    set_err(p->err, p->errsz, "%s:%zu: %s", p->file, p->lineno, msg);
    return -1;
}

/* A word from the file, safe to print: printable ASCII, bounded. */
static const char *quote(const char *w, char *buf, size_t n)
{
    size_t out = 0;

    for (size_t i = 0; w[i] && out + 1 < n; i++) {
        unsigned char c = (unsigned char)w[i];
        if (i == CONFIG_QUOTE_MAX) {
            if (out + 3 < n) {
                memcpy(buf + out, "...", 3);
                out += 3;
            }
            break;
        }
        buf[out++] = (c >= ' ' && c < 0x7f) ? (char)c : '?';
    }
    buf[out] = '\0';
    return buf;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool valid_name(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > CONFIG_MAX_NAME)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '@'))
            return false;
    }
    return true;
}

static struct config_profile *current(struct parser *p)
{
    return &p->cfg.profiles[p->cfg.n_profiles - 1];
}

/* Checks that need the whole section, reported at its [profile] line. */
static int finish_profile(struct parser *p)
{
    struct config_profile *prof;
    size_t line = p->lineno;
    int rc = 0;

    if (!p->in_profile)
        return 0;
    prof = current(p);
    p->lineno = p->profile_lines[p->cfg.n_profiles - 1];
    if (!prof->host)
        rc = fail(p, "profile '%s' has no host", prof->name);
    else if (prof->auth == CONFIG_AUTH_OAUTH && !prof->client_key)
        rc = fail(p, "profile '%s' uses auth = oauth but has no client_key", prof->name);
    p->lineno = line;
    return rc;
}

/* [theme NAME]: a user theme, set role by role (tui/theme_spec.h). */
static int start_theme(struct parser *p, const char *name, const char *rest)
{
    char q[CONFIG_QUOTE_MAX + 4];

    if (*name == '\0' || *rest != '\0')
        return fail(p, "expected '[theme NAME]'");
    if (!valid_name(name))
        return fail(p, "invalid theme name '%s' (use letters, digits, '.', '_', '-', '@')",
                    quote(name, q, sizeof q));
    if (theme_builtin(name))
        return fail(p, "theme '%s' is built in: give yours another name", name);
    for (size_t i = 0; i < p->cfg.n_themes; i++)
        if (strcmp(p->cfg.themes[i].name, name) == 0)
            return fail(p, "duplicate theme '%s'", name);
    if (finish_profile(p) < 0)
        return -1;
    if (p->cfg.n_themes == p->themes_cap) {
        p->themes_cap = p->themes_cap ? p->themes_cap * 2 : 2;
        p->cfg.themes = xrealloc(p->cfg.themes, p->themes_cap * sizeof *p->cfg.themes);
    }
    struct config_theme *t = &p->cfg.themes[p->cfg.n_themes++];
    memset(t, 0, sizeof *t);
    t->name = xstrdup(name);
    p->in_profile = false;
    p->in_theme = true;
    return 0;
}

static char *parse_value(struct parser *p, char *s);

/* ROLE = fg,bg,attrs inside a [theme] section. */
static int theme_assignment(struct parser *p, const char *role, char *s)
{
    char q[CONFIG_QUOTE_MAX + 4], why[160];
    struct config_theme *t = &p->cfg.themes[p->cfg.n_themes - 1];
    int r = theme_role_index(role);
    char *value;

    for (size_t i = 0; r < 0 && i < KEY_COUNT; i++)
        if (strcmp(config_keys[i].name, role) == 0)
            return fail(p, config_keys[i].in_profile ? "'%s' belongs in a [profile NAME] section"
                                                     : "'%s' must come before the first [theme] section",
                        role);
    if (r < 0)
        return fail(p, "unknown role '%s' in [theme %s] (roles: normal, header, status, title, "
                       "label, dim, selected, marked, ok, warn, error, accent, key, dialog)",
                    quote(role, q, sizeof q), t->name);
    if (t->set[r])
        return fail(p, "role '%s' is set twice in [theme %s]", role, t->name);
    value = parse_value(p, s);
    if (!value)
        return -1;
    if (theme_parse_style(value, &t->style[r], why, sizeof why) < 0)
        return fail(p, "%s: %s", role, why);
    t->set[r] = true;
    return 0;
}

static int parse_section(struct parser *p, char *s)
{
    char q[CONFIG_QUOTE_MAX + 4];
    char *kind, *name, *end;
    struct config_profile *prof;

    /* s points just past '['. */
    end = strchr(s, ']');
    if (!end)
        return fail(p, "missing ']' in section header");
    *end++ = '\0';
    while (is_blank(*end))
        end++;
    if (*end != '\0' && *end != '#')
        return fail(p, "unexpected text after the section header");

    while (is_blank(*s))
        s++;
    kind = s;
    while (*s && !is_blank(*s))
        s++;
    if (*s)
        *s++ = '\0';
    while (is_blank(*s))
        s++;
    name = s;
    while (*s && !is_blank(*s))
        s++;
    if (*s)
        *s++ = '\0';
    while (is_blank(*s))
        s++;

    if (strcmp(kind, "theme") == 0)
        return start_theme(p, name, s);
    if (strcmp(kind, "profile") != 0)
        return fail(p, "unknown section '[%s]': expected '[profile NAME]'",
                    quote(kind, q, sizeof q));
    if (*name == '\0' || *s != '\0')
        return fail(p, "expected '[profile NAME]'");
    if (!valid_name(name))
        return fail(p, "invalid profile name '%s' (use letters, digits, '.', '_', '-', '@')",
                    quote(name, q, sizeof q));
    for (size_t i = 0; i < p->cfg.n_profiles; i++)
        if (strcmp(p->cfg.profiles[i].name, name) == 0)
            return fail(p, "duplicate profile '%s' (first defined on line %zu)", name,
                        p->profile_lines[i]);

    if (finish_profile(p) < 0)
        return -1;

    if (p->cfg.n_profiles == p->profiles_cap) {
        p->profiles_cap = p->profiles_cap ? p->profiles_cap * 2 : 4;
        p->cfg.profiles = xrealloc(p->cfg.profiles, p->profiles_cap * sizeof *p->cfg.profiles);
        p->profile_lines = xrealloc(p->profile_lines, p->profiles_cap * sizeof *p->profile_lines);
    }
    prof = &p->cfg.profiles[p->cfg.n_profiles];
    memset(prof, 0, sizeof *prof);
    prof->name = xstrdup(name);
    prof->auth = CONFIG_AUTH_BASIC;
    p->profile_lines[p->cfg.n_profiles] = p->lineno;
    p->cfg.n_profiles++;
    p->in_profile = true;
    p->in_theme = false;
    memset(p->section_seen, 0, sizeof p->section_seen);
    return 0;
}

/* Reads the value at s in place: quoted ("..." with \" and \\) or bare up
 * to a comment, trimmed. Returns NULL after reporting an error. */
static char *parse_value(struct parser *p, char *s)
{
    char *out, *start;

    if (*s == '"') {
        start = out = ++s;
        for (;;) {
            if (*s == '\0') {
                fail(p, "missing closing quote");
                return NULL;
            }
            if (*s == '"')
                break;
            if (*s == '\\') {
                if (s[1] != '"' && s[1] != '\\') {
                    fail(p, "unknown escape in quoted value (only \\\" and \\\\)");
                    return NULL;
                }
                s++;
            }
            *out++ = *s++;
        }
        s++;
        while (is_blank(*s))
            s++;
        if (*s != '\0' && *s != '#') {
            fail(p, "unexpected text after the closing quote");
            return NULL;
        }
        *out = '\0';
        return start;
    }
    start = s;
    while (*s && *s != '#')
        s++;
    while (s > start && is_blank(s[-1]))
        s--;
    *s = '\0';
    return start;
}

static int parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"true", "yes", "1"};
    static const char *const no[] = {"false", "no", "0"};

    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(v, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(v, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return -1;
}

static int parse_seconds(const char *v, int *out)
{
    long n = 0;

    if (!*v)
        return -1;
    for (; *v; v++) {
        if (*v < '0' || *v > '9')
            return -1;
        n = n * 10 + (*v - '0');
        if (n > CONFIG_MAX_REFRESH)
            return -1;
    }
    *out = (int)n;
    return 0;
}

static bool has_scheme(const char *v, const char *scheme)
{
    size_t n = strlen(scheme);
    return strncasecmp(v, scheme, n) == 0 && v[n] != '\0';
}

static int set_value(struct parser *p, enum config_key k, const char *v)
{
    char q[CONFIG_QUOTE_MAX + 4];
    struct config_profile *prof = p->in_profile ? current(p) : NULL;

    switch (k) {
    case KEY_DEFAULT_PROFILE:
        if (!valid_name(v))
            return fail(p, "invalid profile name '%s'", quote(v, q, sizeof q));
        p->cfg.default_profile = xstrdup(v);
        return 0;
    case KEY_REFRESH_INTERVAL:
        if (parse_seconds(v, &p->cfg.refresh_interval) < 0)
            return fail(p, "refresh_interval must be a whole number of seconds from 0 to %d",
                        CONFIG_MAX_REFRESH);
        return 0;
    case KEY_GOODWILL_FLAG_POINTS: {
        char *end;
        long n = strtol(v, &end, 10);
        if (*v < '0' || *v > '9' || *end || n < 1 || n > CONFIG_MAX_FLAG_POINTS)
            return fail(p, "goodwill_flag_points must be a whole number of points from 1 to %d",
                        CONFIG_MAX_FLAG_POINTS);
        p->cfg.goodwill_flag_points = n;
        return 0;
    }
    case KEY_HOST:
        if (!has_scheme(v, "https://") && !has_scheme(v, "http://"))
            return fail(p, "host must be a URL starting with https:// (or http:// for a local "
                           "sandbox), not '%s'", quote(v, q, sizeof q));
        if (strpbrk(v, " \t"))
            return fail(p, "host must not contain spaces");
        prof->host = xstrdup(v);
        return 0;
    case KEY_USER:
        prof->user = xstrdup(v);
        return 0;
    case KEY_AUTH:
        if (strcasecmp(v, "basic") == 0)
            prof->auth = CONFIG_AUTH_BASIC;
        else if (strcasecmp(v, "oauth") == 0)
            prof->auth = CONFIG_AUTH_OAUTH;
        else
            return fail(p, "auth must be basic or oauth, not '%s'", quote(v, q, sizeof q));
        return 0;
    case KEY_CLIENT_KEY:
        prof->client_key = xstrdup(v);
        return 0;
    case KEY_PASSWORD_COMMAND:
        prof->password_command = xstrdup(v);
        return 0;
    case KEY_COLOR:
        prof->color = xstrdup(v);
        return 0;
    case KEY_READONLY:
        if (parse_bool(v, &prof->readonly) < 0)
            return fail(p, "readonly must be true or false, not '%s'", quote(v, q, sizeof q));
        return 0;
    case KEY_THEME:
        if (!valid_name(v))
            return fail(p, "invalid theme name '%s'", quote(v, q, sizeof q));
        p->cfg.theme = xstrdup(v);
        return 0;
    case KEY_MASK:
        if (parse_bool(v, &p->cfg.mask) < 0)
            return fail(p, "mask must be true or false, not '%s'", quote(v, q, sizeof q));
        return 0;
    case KEY_MOUSE:
        if (parse_bool(v, &p->cfg.mouse) < 0)
            return fail(p, "mouse must be true or false, not '%s'", quote(v, q, sizeof q));
        return 0;
    case KEY_COUNT:
        break;
    }
    return fail(p, "internal: unhandled key");
}

static int parse_assignment(struct parser *p, char *s)
{
    char q[CONFIG_QUOTE_MAX + 4];
    char *name = s, *value;
    enum config_key k = KEY_COUNT;
    size_t *seen;

    while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
           *s == '_')
        s++;
    if (s == name)
        return fail(p, "expected 'key = value'");
    if (*s == '=') {
        *s++ = '\0';
    } else {
        if (!is_blank(*s))
            return fail(p, "expected 'key = value'");
        *s++ = '\0';
        while (is_blank(*s))
            s++;
        if (*s != '=')
            return fail(p, "expected 'key = value'");
        s++;
    }
    while (is_blank(*s))
        s++;
    if (p->in_theme)
        return theme_assignment(p, name, s);

    /* Before the value is even read: a secret must not be accepted under
     * any spelling of its value. */
    if (strcasecmp(name, "password") == 0 || strcasecmp(name, "client_secret") == 0)
        return fail(p, "secrets are not read from the config file: use password_command or "
                       "the MEMBERCARE_PASSWORD environment variable");
    for (size_t i = 0; i < KEY_COUNT; i++)
        if (strcmp(config_keys[i].name, name) == 0)
            k = (enum config_key)i;
    if (k == KEY_COUNT) {
        if (p->in_profile)
            return fail(p, "unknown key '%s' in [profile %s]", quote(name, q, sizeof q),
                        current(p)->name);
        return fail(p, "unknown key '%s'", quote(name, q, sizeof q));
    }
    if (config_keys[k].in_profile && !p->in_profile)
        return fail(p, "'%s' belongs in a [profile NAME] section", name);
    if (!config_keys[k].in_profile && p->in_profile)
        return fail(p, "'%s' must come before the first [profile] section", name);

    seen = p->in_profile ? p->section_seen : p->top_seen;
    if (seen[k])
        return fail(p, "'%s' is set twice (first on line %zu)", name, seen[k]);
    seen[k] = p->lineno;

    value = parse_value(p, s);
    if (!value)
        return -1;
    if (*value == '\0')
        return fail(p, "missing value for '%s'", name);
    return set_value(p, k, value);
}

/* The whole line must be UTF-8 without control characters other than
 * tab: values end up in URLs, on the screen and in a shell command. */
static int check_bytes(struct parser *p, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        unsigned cp;
        size_t used;

        if (c == '\0')
            return fail(p, "NUL byte in line");
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return fail(p, "control character (0x%02x) in line", c);
        used = text_utf8_decode(s + i, n - i, &cp);
        if (used == 0)
            return fail(p, "invalid UTF-8");
        if (!text_cp_printable(cp) && cp != '\t')
            return fail(p, "invisible or control character U+%04X in line", cp);
        i += used;
    }
    return 0;
}

static int parse_line(struct parser *p, char *line, size_t n)
{
    char *s = line;

    if (check_bytes(p, line, n) < 0)
        return -1;
    while (is_blank(*s))
        s++;
    if (*s == '\0' || *s == '#')
        return 0;
    if (*s == '[')
        return parse_section(p, s + 1);
    return parse_assignment(p, s);
}

void config_init(struct config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->refresh_interval = CONFIG_DEFAULT_REFRESH;
    cfg->goodwill_flag_points = CONFIG_DEFAULT_FLAG_POINTS;
}

void config_done(struct config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->n_profiles; i++) {
        struct config_profile *prof = &cfg->profiles[i];
        free(prof->name);
        free(prof->host);
        free(prof->user);
        free(prof->client_key);
        free(prof->password_command);
        free(prof->color);
    }
    free(cfg->profiles);
    free(cfg->default_profile);
    for (size_t i = 0; i < cfg->n_themes; i++)
        free(cfg->themes[i].name);
    free(cfg->themes);
    free(cfg->theme);
    config_init(cfg);
}

int config_parse(struct config *cfg, const char *text, size_t len, const char *filename,
                 char *err, size_t errsz)
{
    struct parser p;
    char *line = NULL;
    size_t pos = 0;
    int rc = -1;

    memset(&p, 0, sizeof p);
    p.file = filename ? filename : "config";
    p.err = err;
    p.errsz = errsz;
    config_init(&p.cfg);
    if (err && errsz)
        err[0] = '\0';
    if (!cfg || (!text && len)) {
        set_err(err, errsz, "%s: nothing to parse", p.file);
        goto out;
    }
    if (len > CONFIG_MAX_FILE) {
        set_err(err, errsz, "%s: file too large (limit %d bytes)", p.file, CONFIG_MAX_FILE);
        goto out;
    }
    /* Some editors start UTF-8 files with a byte order mark. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    line = xrealloc(NULL, CONFIG_MAX_LINE + 1);
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;

        pos += n + (nl ? 1 : 0);
        p.lineno++;
        if (n > 0 && start[n - 1] == '\r')
            n--;
        if (n > CONFIG_MAX_LINE) {
            fail(&p, "line too long (limit %d bytes)", CONFIG_MAX_LINE);
            goto out;
        }
        memcpy(line, start, n);
        line[n] = '\0';
        if (parse_line(&p, line, n) < 0)
            goto out;
    }
    if (finish_profile(&p) < 0)
        goto out;
    if (p.cfg.default_profile && !config_find_profile(&p.cfg, p.cfg.default_profile)) {
        p.lineno = p.top_seen[KEY_DEFAULT_PROFILE];
        fail(&p, "default_profile '%s': no [profile %s] in this file", p.cfg.default_profile,
             p.cfg.default_profile);
        goto out;
    }
    if (p.cfg.theme && !theme_builtin(p.cfg.theme) && !config_find_theme(&p.cfg, p.cfg.theme)) {
        p.lineno = p.top_seen[KEY_THEME];
        fail(&p, "theme '%s': not built in (default, light, high-contrast, mono) and no "
                 "[theme %s] in this file", p.cfg.theme, p.cfg.theme);
        goto out;
    }
    config_done(cfg);
    *cfg = p.cfg;
    config_init(&p.cfg);
    rc = 0;
out:
    free(line);
    free(p.profile_lines);
    config_done(&p.cfg);
    return rc;
}

static const char *access_word(mode_t mode)
{
    if (mode & 044)
        return "readable";
    if (mode & 022)
        return "writable";
    return "accessible";
}

int config_load_file(struct config *cfg, const char *path, char *err, size_t errsz)
{
    struct stat st;
    char *buf = NULL;
    size_t len = 0, cap;
    int fd, rc = -1;

    if (err && errsz)
        err[0] = '\0';
    /* No XDG_CONFIG_HOME and no HOME: there is no file to miss. */
    if (!path)
        return 0;
    /* O_NONBLOCK: a FIFO planted at the path must not hang start-up. */
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        set_err(err, errsz, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* Checked on the open descriptor, so the file cannot be swapped between
     * the check and the read. */
    if (fstat(fd, &st) < 0) {
        set_err(err, errsz, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        set_err(err, errsz, "%s: not a regular file", path);
        goto out;
    }
    if (st.st_mode & 077) {
        set_err(err, errsz, "%s: %s by others (mode %04o); run: chmod 600 %s", path,
                access_word(st.st_mode), (unsigned)(st.st_mode & 07777), path);
        goto out;
    }
    if (st.st_uid != geteuid()) {
        set_err(err, errsz, "%s: owned by another user (uid %u); it must be yours", path,
                (unsigned)st.st_uid);
        goto out;
    }
    if (st.st_size > CONFIG_MAX_FILE) {
        set_err(err, errsz, "%s: file too large (limit %d bytes)", path, CONFIG_MAX_FILE);
        goto out;
    }
    cap = (size_t)st.st_size + 1;
    buf = xrealloc(NULL, cap);
    for (;;) {
        ssize_t r;
        if (len == cap) {
            if (cap > CONFIG_MAX_FILE) {
                set_err(err, errsz, "%s: file too large (limit %d bytes)", path,
                        CONFIG_MAX_FILE);
                goto out;
            }
            cap = cap * 2 > CONFIG_MAX_FILE + 1 ? CONFIG_MAX_FILE + 1 : cap * 2;
            buf = xrealloc(buf, cap);
        }
        r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            set_err(err, errsz, "%s: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    rc = config_parse(cfg, buf, len, path, err, errsz);
out:
    free(buf);
    close(fd);
    return rc;
}

const char *config_default_path(char *buf, size_t n)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    int w;

    if (!buf || n == 0)
        return NULL;
    /* The XDG spec says a relative XDG_CONFIG_HOME is to be ignored. */
    if (xdg && xdg[0] == '/')
        w = snprintf(buf, n, "%s/membercare/config", xdg);
    else if (home && home[0])
        w = snprintf(buf, n, "%s/.config/membercare/config", home);
    else
        return NULL;
    if (w < 0 || (size_t)w >= n)
        return NULL;
    return buf;
}

const struct config_profile *config_find_profile(const struct config *cfg, const char *name)
{
    if (!cfg || !name)
        return NULL;
    for (size_t i = 0; i < cfg->n_profiles; i++)
        if (strcmp(cfg->profiles[i].name, name) == 0)
            return &cfg->profiles[i];
    return NULL;
}

const struct config_theme *config_find_theme(const struct config *cfg, const char *name)
{
    if (!cfg || !name)
        return NULL;
    for (size_t i = 0; i < cfg->n_themes; i++)
        if (strcmp(cfg->themes[i].name, name) == 0)
            return &cfg->themes[i];
    return NULL;
}
