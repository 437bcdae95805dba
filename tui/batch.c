/*
 * batch.c - the batch runner: reads commands (a file or standard input),
 * splits each line with the console's grammar (cmdargs.h), runs the verbs
 * one after the other against the api worker, and writes one record per
 * command (batch_out.h).
 *
 * Requests run one at a time: a batch is a script, and its order is its
 * meaning (a `customer` line sets the member the next lines use). A line
 * that does not parse is reported with its number and counts as a failed
 * command; the run goes on to the end unless --stop-on-error.
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/app_priv.h"
#include "tui/batch_priv.h"
#include "tui/cmdargs.h"
#include "tui/commands.h"
#include "tui/wrapup.h"

bool batch_fail(struct batch *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->err, sizeof b->err, fmt, ap);
    va_end(ap);
    b->err_code = 0;
    b->err_http = 0;
    return false;
}

bool batch_fail_api(struct batch *b, const char *what, const struct api_error *err)
{
    char msg[320];
    api_error_format(err, msg, sizeof msg);
    if (err->http_status == 401)
        batch_fail(b, "%s: the server refused the sign-in of %s (401): check the till id and password", what,
                   b->cfg->till ? b->cfg->till : "this till");
    else if (err->http_status == 403)
        batch_fail(b, "%s: not allowed for %s (403): the till lacks the access group for this", what,
                   b->cfg->till ? b->cfg->till : "this till");
    else
        batch_fail(b, "%s: %s", what, msg);
    if (err->unknown_outcome) {
        size_t len = strlen(b->err);
        snprintf(b->err + len, sizeof b->err - len, " (the write may have been carried out: check before repeating it)");
    }
    b->err_code = err->code;
    b->err_http = err->http_status;
    return false;
}

struct api_result *batch_call(struct batch *b, struct api_request *req)
{
    enum api_kind kind = req->kind;
    enum api_method method = req->method;
    uint64_t id = api_submit(b->cfg->api, req);
    if (id == 0) {
        struct api_result *res = calloc(1, sizeof *res);
        if (!res) {
            fputs("membercare: out of memory\n", stderr);
            abort();
        }
        res->kind = kind;
        res->method = method;
        res->err.kind = API_DECODE;
        snprintf(res->err.message, sizeof res->err.message, "the request could not be built");
        return res;
    }
    for (;;) {
        struct api_result *res;
        while ((res = api_take_result(b->cfg->api)) != NULL) {
            if (res->id == id)
                return res;
            api_result_free(&res);
        }
        struct pollfd p = {.fd = api_wake_fd(b->cfg->api), .events = POLLIN};
        if (poll(&p, 1, 1000) < 0 && errno != EINTR) {
            /* the worker's timeouts end every job: keep waiting for it */
            continue;
        }
    }
}

bool batch_write_allowed(struct batch *b, char right)
{
    if (b->cfg->readonly)
        return batch_fail(b, "refused: read-only (--readonly or a read-only profile)");
    if (right == 'm' && !b->cfg->can_make)
        return batch_fail(b, "refused: till %s may not raise requests (no maker right)",
                          b->cfg->till ? b->cfg->till : "");
    if (right == 'c' && !b->cfg->can_check)
        return batch_fail(b, "refused: till %s may not approve or reject requests (no checker right)",
                          b->cfg->till ? b->cfg->till : "");
    if (!b->cfg->yes && !b->cfg->dry_run)
        return batch_fail(b, "needs --yes to write (or --dry-run to see what would be sent)");
    return true;
}

void batch_show_request(struct batch *b, struct api_request *req)
{
    static const char *const methods[] = {"GET", "POST", "PUT"};
    bo_bool(&b->out, "dry_run", true);
    bo_str(&b->out, "method", methods[req->method]);
    bo_str(&b->out, "path", req->path);
    bo_raw(&b->out, "body", req->body);
    api_request_free(&req);
}

static bool parse_id(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v <= 0)
        return false;
    *out = v;
    return true;
}

bool batch_member(struct batch *b, const char *ident, int64_t *id)
{
    if (!ident) {
        if (b->member_id <= 0)
            return batch_fail(b, "no member: give an identifier, or run `customer IDENTIFIER` first");
        *id = b->member_id;
        return true;
    }
    if (strncasecmp(ident, "id:", 3) == 0) {
        if (!parse_id(ident + 3, id))
            return batch_fail(b, "'%s' is not a customer id (id:NUMBER)", ident);
        return true;
    }
    const char *idname = api_guess_identifier(ident);
    if (idname) {
        struct api_result *res = batch_call(b, api_customer_lookup(idname, ident));
        const struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
        bool ok = c != NULL;
        if (ok)
            *id = c->id;
        else
            batch_fail_api(b, "member lookup", &res->err);
        api_result_free(&res);
        return ok;
    }
    struct api_result *res = batch_call(b, api_customer_search(ident, 0, 2));
    const struct mc_search_page *p = API_DATA(res, SEARCH, struct mc_search_page);
    bool ok = false;
    if (!p)
        batch_fail_api(b, "member search", &res->err);
    else if (p->n == 0)
        batch_fail(b, "no member matches '%s'", ident);
    else if (p->n > 1)
        batch_fail(b, "%ld members match '%s': use `find` and then a mobile number or id:NUMBER",
                   p->total > 0 ? p->total : (long)p->n, ident);
    else {
        *id = p->hits[0].id;
        ok = true;
    }
    api_result_free(&res);
    return ok;
}

static void command_text(const struct cmd_words *w, char *out, size_t n)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < w->argc && len + 1 < n; i++) {
        char q[CMD_MAX_LINE];
        cmd_quote(w->argv[i], q, sizeof q);
        len += (size_t)snprintf(out + len, n - len, "%s%s", i ? " " : "", q);
    }
}

static const struct batch_verb *find_verb(const char *name)
{
    for (const struct batch_verb *v = batch_verbs; v->name; v++)
        if (strcmp(v->name, name) == 0)
            return v;
    return NULL;
}

/* Runs one command; true when it succeeded. */
static bool run_command(struct batch *b, struct cmd_words *w, long line)
{
    char text[CMD_MAX_LINE];
    command_text(w, text, sizeof text);
    const struct batch_verb *verb = find_verb(w->argv[0]);
    bo_begin(&b->out);
    b->err[0] = '\0';
    b->err_code = b->err_http = 0;
    bool ok;
    struct cmd_verb console_verb;
    if (!verb && cmd_verb_lookup(w->argv[0], &console_verb))
        /* the `:` table and this one share their names: a console verb
         * missing here is one that needs a screen */
        ok = batch_fail(b, "'%s' works only in the console, on a screen (batch commands: `help`)", w->argv[0]);
    else if (!verb)
        ok = batch_fail(b, "unknown command '%s' (commands: find, customer, ledger, coupons, coupon, tickets, "
                           "goodwill, requests, approve, reject, issue-coupon, redeem, audit, help, quit)",
                        w->argv[0]);
    else
        ok = verb->fn(b, w->argc, w->argv);
    if (ok)
        bo_end_ok(&b->out, text, line);
    else
        bo_end_error(&b->out, text, line, b->err[0] ? b->err : "failed", b->err_code, b->err_http);
    return ok;
}

/* Runs every command of one line; false when any failed. */
static bool run_line(struct batch *b, const char *s, long line)
{
    bool all_ok = true;
    size_t pos = 0, len = strlen(s);
    while (pos < len && !b->quit) {
        struct cmd_words w;
        char why[256];
        size_t next = cmd_split(s + pos, &w, why, sizeof why);
        if (next == (size_t)-1) {
            bo_begin(&b->out);
            bo_end_error(&b->out, s + pos, line, why, 0, 0);
            return false;
        }
        if (w.argc > 0 && !run_command(b, &w, line)) {
            all_ok = false;
            if (b->cfg->stop_on_error)
                b->quit = true;
        }
        cmd_words_free(&w);
        pos += next;
        if (next == 0)
            break;
    }
    return all_ok;
}

static bool utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

int batch_run(const struct batch_config *cfg)
{
    FILE *in = strcmp(cfg->file, "-") == 0 ? stdin : fopen(cfg->file, "r");
    if (!in) {
        fprintf(stderr, "membercare: cannot read the batch file %s: %s\n", cfg->file, strerror(errno));
        return 2;
    }
    setlocale(LC_ALL, "");
    struct batch b = {.cfg = cfg};
    bo_init(&b.out, stdout, stderr, cfg->json, !utf8_locale());
    bo_set_mask(&b.out, cfg->mask);
    b.app = calloc(1, sizeof *b.app);
    if (!b.app) {
        fputs("membercare: out of memory\n", stderr);
        abort();
    }
    b.app->cfg.till = cfg->till;
    b.app->cfg.audit_path = cfg->audit_path;

    bool all_ok = true;
    char *buf = NULL;
    size_t cap = 0;
    long line = 0;
    ssize_t n;
    while (!b.quit && (n = getline(&buf, &cap, in)) >= 0) {
        line++;
        while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
            buf[--n] = '\0';
        if (strlen(buf) != (size_t)n) {
            bo_begin(&b.out);
            bo_end_error(&b.out, "", line, "the line holds a NUL byte", 0, 0);
            all_ok = false;
        } else if (!run_line(&b, buf, line)) {
            all_ok = false;
        }
        if (!all_ok && cfg->stop_on_error)
            break;
    }
    if (ferror(in)) {
        fprintf(stderr, "membercare: reading %s: %s\n", cfg->file, strerror(errno));
        all_ok = false;
    }
    free(buf);
    if (in != stdin)
        fclose(in);
    bo_done(&b.out);
    /* audit_begin also keeps this run's writes for the console's :wrapup */
    session_log_free(&b.app->writes);
    free(b.app);
    return all_ok ? 0 : 1;
}
