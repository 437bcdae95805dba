/*
 * options.c - flag parsing for membercare-sandbox. Every flag takes
 * "--name value" or "--name=value"; numbers are parsed strictly (no
 * trailing junk, range-checked) so a typo fails loudly instead of turning
 * into a zero.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <string.h>

#include "sandbox/options.h"

enum opt_kind { OPT_LONG, OPT_U64, OPT_RATE, OPT_STR, OPT_FLAG };

enum opt_id {
    O_PORT, O_BIND, O_DB, O_SEED, O_CUSTOMERS, O_LATENCY, O_JITTER, O_FAIL, O_MALFORMED,
    O_RATE_LIMIT, O_FAIL_WRITES, O_LOG, O_TOKEN_TTL, O_FAULT_SEED, O_THREADS, O_MAX_BODY, O_HELP, O_VERSION,
};

struct opt {
    const char *name;
    enum opt_id id;
    enum opt_kind kind;
    long min, max;
};

static const struct opt opts[] = {
    {"port", O_PORT, OPT_LONG, 0, 65535},
    {"bind", O_BIND, OPT_STR, 0, 0},
    {"db", O_DB, OPT_STR, 0, 0},
    {"seed", O_SEED, OPT_U64, 0, 0},
    {"customers", O_CUSTOMERS, OPT_LONG, 0, 1000000},
    {"latency", O_LATENCY, OPT_LONG, 0, 600000},
    {"jitter", O_JITTER, OPT_LONG, 0, 600000},
    {"fail-rate", O_FAIL, OPT_RATE, 0, 0},
    {"malformed-rate", O_MALFORMED, OPT_RATE, 0, 0},
    {"rate-limit", O_RATE_LIMIT, OPT_LONG, 0, 1000000},
    {"fail-next-writes", O_FAIL_WRITES, OPT_LONG, 0, 1000000},
    {"log", O_LOG, OPT_STR, 0, 0},
    {"token-ttl", O_TOKEN_TTL, OPT_LONG, 1, 31536000},
    {"fault-seed", O_FAULT_SEED, OPT_U64, 0, 0},
    {"threads", O_THREADS, OPT_LONG, 1, 64},
    {"max-body", O_MAX_BODY, OPT_LONG, 1024, 1073741824},
    {"help", O_HELP, OPT_FLAG, 0, 0},
    {"version", O_VERSION, OPT_FLAG, 0, 0},
};

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s == '-' || *s == '+')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = (uint64_t)v;
    return 0;
}

static int parse_rate(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v) || v < 0.0 || v > 1.0)
        return -1;
    *out = v;
    return 0;
}

static bool valid_address(const char *s)
{
    unsigned char buf[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

static void defaults(struct sb_options *o)
{
    memset(o, 0, sizeof *o);
    o->bind = "127.0.0.1";
    o->seed = 1;
    o->customers = 5000;
    o->token_ttl = 3600;
    o->threads = 4;
    o->max_body = 1024 * 1024;
}

static int apply(struct sb_options *o, const struct opt *op, const char *val, char *err,
                 size_t errlen)
{
    long l = 0;
    uint64_t u = 0;
    double d = 0;
    int bad = 0;
    switch (op->kind) {
    case OPT_LONG:
        bad = parse_long(val, op->min, op->max, &l);
        if (bad) {
            snprintf(err, errlen, "--%s: '%.40s' is not a whole number in %ld..%ld", op->name,
                     val, op->min, op->max);
            return -1;
        }
        break;
    case OPT_U64:
        bad = parse_u64(val, &u);
        if (bad) {
            snprintf(err, errlen, "--%s: '%.40s' is not a non-negative whole number", op->name,
                     val);
            return -1;
        }
        break;
    case OPT_RATE:
        bad = parse_rate(val, &d);
        if (bad) {
            snprintf(err, errlen, "--%s: '%.40s' is not a probability in 0..1", op->name, val);
            return -1;
        }
        break;
    case OPT_STR:
        if (!*val) {
            snprintf(err, errlen, "--%s: needs a non-empty value", op->name);
            return -1;
        }
        if (op->id == O_BIND && !valid_address(val)) {
            snprintf(err, errlen, "--bind: '%.60s' is not an IPv4 or IPv6 address", val);
            return -1;
        }
        break;
    case OPT_FLAG:
        break;
    }
    switch (op->id) {
    case O_PORT: o->port = l; break;
    case O_BIND: o->bind = val; break;
    case O_DB: o->db_path = val; break;
    case O_SEED: o->seed = u; break;
    case O_CUSTOMERS: o->customers = l; break;
    case O_LATENCY: o->latency_ms = l; break;
    case O_JITTER: o->jitter_ms = l; break;
    case O_FAIL: o->fail_rate = d; break;
    case O_MALFORMED: o->malformed_rate = d; break;
    case O_RATE_LIMIT: o->rate_limit = l; break;
    case O_FAIL_WRITES: o->fail_next_writes = l; break;
    case O_LOG: o->log_path = val; break;
    case O_TOKEN_TTL: o->token_ttl = l; break;
    case O_FAULT_SEED: o->fault_seed = u; o->fault_seed_set = true; break;
    case O_THREADS: o->threads = l; break;
    case O_MAX_BODY: o->max_body = l; break;
    case O_HELP: o->help = true; break;
    case O_VERSION: o->version = true; break;
    }
    return 0;
}

int options_parse(int argc, char **argv, struct sb_options *o, char *err, size_t errlen)
{
    defaults(o);
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
            snprintf(err, errlen, "unexpected argument '%.60s' (see --help)", arg);
            return -1;
        }
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const struct opt *op = NULL;
        for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++) {
            if (strlen(opts[k].name) == nlen && strncmp(opts[k].name, name, nlen) == 0) {
                op = &opts[k];
                break;
            }
        }
        if (!op) {
            snprintf(err, errlen, "unknown option '--%.*s' (see --help)", (int)(nlen > 60 ? 60 : nlen),
                     name);
            return -1;
        }
        const char *val = "";
        if (op->kind == OPT_FLAG) {
            if (eq) {
                snprintf(err, errlen, "--%s takes no value", op->name);
                return -1;
            }
        } else if (eq) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            snprintf(err, errlen, "--%s needs a value", op->name);
            return -1;
        }
        if (apply(o, op, val, err, errlen))
            return -1;
    }
    return 0;
}

void options_usage(FILE *f)
{
    fputs(
        "usage: membercare-sandbox [options]\n"
        "\n"
        "A local emulator of the Capillary loyalty API for membercare: SQLite-backed,\n"
        "seeded with deterministic demo members, with fault injection.\n"
        "\n"
        "The first line on stdout is 'listening on http://ADDR:PORT' once the server\n"
        "accepts connections. SIGTERM or SIGINT stop it cleanly.\n"
        "\n"
        "Server:\n"
        "  --port N             TCP port; 0 picks any free port (default 0)\n"
        "  --bind ADDR          IPv4 or IPv6 address to listen on (default 127.0.0.1)\n"
        "  --threads N          HTTP worker threads, 1..64 (default 4)\n"
        "  --max-body BYTES     largest request body accepted, else 413 (default 1048576)\n"
        "  --log FILE           append one line per request to FILE\n"
        "\n"
        "Data:\n"
        "  --db FILE            database file; a new file is created and seeded, an existing\n"
        "                       one is reused with its data intact (default: a temporary\n"
        "                       database removed at exit)\n"
        "  --seed N             generator seed for a new database (default 1)\n"
        "  --customers N        generated members besides the fixed ones (default 5000)\n"
        "\n"
        "Authentication:\n"
        "  --token-ttl S        lifetime of OAuth tokens in seconds (default 3600)\n"
        "  Basic: user = till id, password = lowercase MD5 hex of the till password.\n"
        "  Tills demo.agent (CanMakeRequest), demo.supervisor (CanMakeRequest,\n"
        "  CanCheckRequest), demo.viewer (no permission); password 'demo' for all, i.e.\n"
        "  fe01ce2a7fbac8fafaed7c982a04e229. OAuth client demo-key / demo-secret acts as\n"
        "  demo.agent: POST /v3/oauth/token/generate, then X-CAP-API-OAUTH-TOKEN.\n"
        "\n"
        "Faults (apply to every route):\n"
        "  --latency MS         delay every answer by MS milliseconds\n"
        "  --jitter MS          add a uniform random 0..MS to the delay\n"
        "  --fail-rate P        answer HTTP 500 with probability P (0..1)\n"
        "  --malformed-rate P   answer truncated JSON, an HTML page, wrongly typed JSON\n"
        "                       or an empty body with probability P\n"
        "  --rate-limit N       at most N requests in any one second; beyond it HTTP 429\n"
        "                       with Retry-After (0 = unlimited, the default)\n"
        "  --fault-seed N       make the fault decisions reproducible\n"
        "  --fail-next-writes N answer HTTP 500 to the next N requests that are not GET or\n"
        "                       HEAD, before they reach the store: nothing is written, so\n"
        "                       a retry by hand must write exactly once\n"
        "\n"
        "Environment:\n"
        "  MEMBERCARE_NOW       ISO 8601 instant (e.g. 2026-11-25T10:00:00Z) used as \"now\"\n"
        "                       for seeding and timestamps; the clock does not advance\n"
        "  TMPDIR               where the temporary database goes (default /tmp)\n"
        "\n"
        "  --help               this text\n"
        "  --version            the version\n"
        "\n"
        "Exit status: 0 after a clean stop, 1 when it cannot start, 2 for bad flags.\n",
        f);
}
