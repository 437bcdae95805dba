/*
 * commands.c - the verb table, arity checks, chains and completion of the
 * command line (see commands.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/commands.h"

static const struct cmd_verb verbs[] = {
    {"find", "find QUERY", "search members by mobile, email, external id, card or name", 1, CMD_ARGS_ANY, false,
     CMD_ARG_TEXT, ACTION_NONE},
    {"search", "search [QUERY]", "go to the search screen, searching for QUERY when given", 0, CMD_ARGS_ANY, false,
     CMD_ARG_TEXT, ACTION_NONE},
    {"customer", "customer IDENTIFIER", "open a member by mobile, email, external id, card or id:NNN", 1, 1, false,
     CMD_ARG_TEXT, ACTION_NONE},
    {"ledger", "ledger", "open the member's points ledger", 0, 0, false, CMD_ARG_NONE, ACTION_LEDGER},
    {"coupons", "coupons", "open the member's coupons", 0, 0, false, CMD_ARG_NONE, ACTION_COUPONS},
    {"coupon", "coupon CODE", "open a coupon: the member's, or looked up by its code", 1, 1, false, CMD_ARG_TEXT,
     ACTION_NONE},
    {"tickets", "tickets", "open the member's tickets", 0, 0, false, CMD_ARG_NONE, ACTION_TICKETS},
    {"notes", "notes", "open the member's notes", 0, 0, false, CMD_ARG_NONE, ACTION_NOTES},
    {"goodwill", "goodwill POINTS REASON \"comment\"",
     "raise a goodwill points request (pre-filled form, confirmed)", 0, 3, true,
     CMD_ARG_GOODWILL, ACTION_GOODWILL},
    {"requests", "requests [KEY=VALUE ...]",
     "the approval queue; keys status type member from to by sort=oldest|newest", 0, 8, false,
     CMD_ARG_REQ_FILTER, ACTION_REQUESTS},
    {"export", "export [--all] FILE", "save the screen's rows as CSV (--all: the whole ledger)", 1, 2, false,
     CMD_ARG_FILE, ACTION_NONE},
    {"audit", "audit", "show the local audit log of the writes sent", 0, 0, false, CMD_ARG_NONE, ACTION_AUDIT},
    {"profile", "profile NAME", "switch to another configured org or cluster", 1, 1, false, CMD_ARG_PROFILE,
     ACTION_NONE},
    {"theme", "theme NAME", "change the colours: default, light, high-contrast, mono", 1, 1, false,
     CMD_ARG_THEME, ACTION_NONE},
    {"set", "set KEY VALUE", "change an option: theme, mask, mouse, refresh", 2, 2, false, CMD_ARG_OPTION,
     ACTION_NONE},
    {"wrapup", "wrapup", "draft a note of what was done for this member in this session", 0, 0, false,
     CMD_ARG_NONE, ACTION_NONE},
    {"quit", "quit", "quit membercare", 0, 0, false, CMD_ARG_NONE, ACTION_QUIT},
    {"q", "q", "quit membercare", 0, 0, false, CMD_ARG_NONE, ACTION_QUIT},
    {"message-channel", "message-channel [all|SMS|EMAIL]", "show the messages of one channel", 0, 1, false,
     CMD_ARG_TEXT, ACTION_MESSAGE_CHANNEL},
};

static const char *const filter_keys[] = {"status=", "type=", "member=", "mobile=", "from=", "to=", "by=", "sort="};
static const char *const status_values[] = {"pending", "approved", "rejected", "any"};
static const char *const type_values[] = {"goodwill-points", "goodwill-coupon", "change-mobile", "change-email",
                                          "change-external-id", "any"};
static const char *const sort_values[] = {"oldest", "newest"};
static const char *const on_off[] = {"on", "off"};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

const struct cmd_verb *cmd_verbs(size_t *n)
{
    *n = N_OF(verbs);
    return verbs;
}

const struct cmd_verb *cmd_verb_find(const char *name)
{
    for (size_t i = 0; i < N_OF(verbs); i++)
        if (strcmp(verbs[i].name, name) == 0)
            return &verbs[i];
    return NULL;
}

bool cmd_verb_lookup(const char *name, struct cmd_verb *out)
{
    const struct cmd_verb *v = cmd_verb_find(name);
    if (v) {
        *out = *v;
        return true;
    }
    enum action a = action_by_name(name);
    if (a == ACTION_COUNT || a == ACTION_NONE)
        return false;
    const struct action_info *ai = action_info(a);
    *out = (struct cmd_verb){
        .name = ai->name,
        .synopsis = ai->name,
        .help = ai->description,
        .writes = (ai->flags & (ACT_DANGEROUS | ACT_WRITE)) != 0,
        .args = CMD_ARG_NONE,
        .action = a,
    };
    return true;
}

bool cmd_check(const struct cmd_words *w, struct cmd_resolved *out, char *err, size_t errlen)
{
    if (w->argc < 1) {
        snprintf(err, errlen, "No command given");
        return false;
    }
    if (!cmd_verb_lookup(w->argv[0], &out->verb)) {
        snprintf(err, errlen, "Unknown command ':%.60s' (Tab completes, ? lists keys)", w->argv[0]);
        return false;
    }
    int n = w->argc - 1;
    const struct cmd_verb *v = &out->verb;
    if (n < v->min_args) {
        snprintf(err, errlen, "%s needs %s%d argument%s: %s", v->name, v->min_args == v->max_args ? "" : "at least ",
                 v->min_args, v->min_args == 1 ? "" : "s", v->synopsis);
        return false;
    }
    if (n > v->max_args) {
        if (v->max_args == 0)
            snprintf(err, errlen, "%s takes no arguments: %s", v->name, v->synopsis);
        else
            snprintf(err, errlen, "%s takes at most %d argument%s: %s", v->name, v->max_args,
                     v->max_args == 1 ? "" : "s", v->synopsis);
        return false;
    }
    out->argc = n;
    out->argv = w->argv + 1;
    return true;
}

int cmd_chain(const char *line, size_t starts[], size_t ends[], int max, char *err, size_t errlen)
{
    size_t len = strlen(line), pos = 0;
    int n = 0;
    while (pos < len) {
        struct cmd_words w;
        size_t next = cmd_split(line + pos, &w, err, errlen);
        if (next == (size_t)-1)
            return -1;
        int argc = w.argc;
        cmd_words_free(&w);
        size_t end = pos + next;
        size_t stop = end > pos && line[end - 1] == ';' ? end - 1 : end;
        if (argc > 0) {
            if (n == max) {
                snprintf(err, errlen, "too many commands in one line (at most %d)", max);
                return -1;
            }
            starts[n] = pos;
            ends[n] = stop;
            n++;
        }
        if (next == 0)
            break;
        pos = end;
    }
    return n;
}

/* Where the last command of a partial line starts, and where its last word
 * starts (len when the line ends in a blank: a new, empty word); the
 * number of words before the last one. Quotes may be left open. */
struct tail {
    size_t cmd_start, word_start;
    int word_index;
    char first[64];   /* the command's first word (raw), for the verb */
};

static void scan_tail(const char *line, struct tail *t)
{
    size_t len = strlen(line);
    char quote = 0;
    bool in_word = false;
    memset(t, 0, sizeof *t);
    size_t first_start = 0, first_len = 0;
    for (size_t i = 0; i < len; i++) {
        char c = line[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && i + 1 < len)
                i++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == ';') {
            if (in_word)
                t->word_index++;
            in_word = false;
            if (c == ';') {
                t->cmd_start = i + 1;
                t->word_index = 0;
                first_len = 0;
            }
            continue;
        }
        if (!in_word) {
            in_word = true;
            t->word_start = i;
            if (t->word_index == 0) {
                first_start = i;
                first_len = 0;
            }
        }
        if (t->word_index == 0)
            first_len = i + 1 - first_start;
        if (c == '"' || c == '\'')
            quote = c;
        else if (c == '\\' && i + 1 < len)
            i++;
    }
    if (!in_word)
        t->word_start = len;
    if (first_len >= sizeof t->first)
        first_len = sizeof t->first - 1;
    memcpy(t->first, line + first_start, first_len);
    t->first[first_len] = '\0';
}

bool cmd_typing_verb(const char *line, struct cmd_verb *out)
{
    struct tail t;
    scan_tail(line, &t);
    if (!t.first[0])
        return false;
    return cmd_verb_lookup(t.first, out);
}

struct cmd_names cmd_option_values(const char *key, const struct cmd_complete_src *src)
{
    if (strcmp(key, "theme") == 0)
        return src->themes;
    if (strcmp(key, "mask") == 0 || strcmp(key, "mouse") == 0)
        return (struct cmd_names){on_off, N_OF(on_off)};
    return (struct cmd_names){NULL, 0};
}

/* Collects candidates one by one: counts them and keeps the idx-th. */
struct picker {
    const char *stem;
    size_t stem_len;
    int idx, count;
    char pick[256];
};

static void offer(struct picker *p, const char *prefix, const char *name)
{
    char full[256];
    snprintf(full, sizeof full, "%s%s", prefix, name);
    if (strncmp(full, p->stem, p->stem_len) != 0)
        return;
    if (p->count == p->idx)
        snprintf(p->pick, sizeof p->pick, "%s", full);
    p->count++;
}

static void offer_all(struct picker *p, const char *prefix, struct cmd_names names)
{
    for (size_t i = 0; i < names.n; i++)
        if (names.items[i])
            offer(p, prefix, names.items[i]);
}

static void offer_verbs(struct picker *p)
{
    for (size_t i = 0; i < N_OF(verbs); i++)
        if (strcmp(verbs[i].name, "q") != 0)
            offer(p, "", verbs[i].name);
    for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++) {
        const char *name = action_info((enum action)a)->name;
        if (!cmd_verb_find(name))
            offer(p, "", name);
    }
}

static void offer_filters(struct picker *p)
{
    const char *eq = strchr(p->stem, '=');
    if (!eq) {
        offer_all(p, "", (struct cmd_names){filter_keys, N_OF(filter_keys)});
        return;
    }
    size_t klen = (size_t)(eq - p->stem);
    char prefix[32];
    if (klen + 2 > sizeof prefix)
        return;
    memcpy(prefix, p->stem, klen + 1);
    prefix[klen + 1] = '\0';
    if (strcmp(prefix, "status=") == 0)
        offer_all(p, prefix, (struct cmd_names){status_values, N_OF(status_values)});
    else if (strcmp(prefix, "type=") == 0)
        offer_all(p, prefix, (struct cmd_names){type_values, N_OF(type_values)});
    else if (strcmp(prefix, "sort=") == 0)
        offer_all(p, prefix, (struct cmd_names){sort_values, N_OF(sort_values)});
}

/* The n-th word (0-based, unquoted by the splitter) of the len bytes of a
 * command at line, into out; "" when there is none. Only the words before
 * the one being completed are split: that one may hold an open quote. */
static void word_at(const char *line, size_t len, int n, char *out, size_t outlen)
{
    out[0] = '\0';
    struct cmd_words w;
    char err[80];
    char buf[CMD_MAX_LINE + 1];
    snprintf(buf, sizeof buf, "%.*s", (int)(len < CMD_MAX_LINE ? len : CMD_MAX_LINE), line);
    if (cmd_split(buf, &w, err, sizeof err) == (size_t)-1)
        return;
    if (n < w.argc)
        snprintf(out, outlen, "%s", w.argv[n]);
    cmd_words_free(&w);
}

int cmd_complete(const char *line, const struct cmd_complete_src *src, int idx, char *out, size_t outlen)
{
    struct tail t;
    scan_tail(line, &t);
    const char *raw = line + t.word_start;
    char stem[256];
    /* the word as typed, without an opening quote: candidates are compared unquoted */
    snprintf(stem, sizeof stem, "%s", (*raw == '"' || *raw == '\'') ? raw + 1 : raw);
    struct picker p = {.stem = stem, .stem_len = strlen(stem), .idx = idx};
    if (t.word_index == 0) {
        offer_verbs(&p);
    } else {
        char verb[64];
        size_t before = t.word_start - t.cmd_start;
        word_at(line + t.cmd_start, before, 0, verb, sizeof verb);
        const struct cmd_verb *v = cmd_verb_find(verb);
        enum cmd_arg_kind kind = v ? v->args : CMD_ARG_NONE;
        switch (kind) {
        case CMD_ARG_THEME:
            if (t.word_index == 1)
                offer_all(&p, "", src->themes);
            break;
        case CMD_ARG_PROFILE:
            if (t.word_index == 1)
                offer_all(&p, "", src->profiles);
            break;
        case CMD_ARG_OPTION:
            if (t.word_index == 1) {
                offer_all(&p, "", src->options);
            } else if (t.word_index == 2) {
                char key[64];
                word_at(line + t.cmd_start, before, 1, key, sizeof key);
                offer_all(&p, "", cmd_option_values(key, src));
            }
            break;
        case CMD_ARG_REQ_FILTER:
            offer_filters(&p);
            break;
        case CMD_ARG_GOODWILL:
            if (t.word_index == 2)
                offer_all(&p, "", src->reasons);
            break;
        default:
            break;
        }
    }
    if (p.count == 0)
        return 0;
    char quoted[300];
    cmd_quote(p.pick, quoted, sizeof quoted);
    size_t plen = strlen(p.pick);
    bool open_value = plen > 0 && p.pick[plen - 1] == '=';
    snprintf(out, outlen, "%.*s%s%s", (int)t.word_start, line, quoted, open_value ? "" : " ");
    return p.count;
}
