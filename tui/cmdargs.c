/*
 * cmdargs.c - the command-line word splitter (see cmdargs.h for the grammar).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/cmdargs.h"

static void fail(char *err, size_t errlen, const char *why)
{
    if (err && errlen)
        snprintf(err, errlen, "%s", why);
}

void cmd_words_free(struct cmd_words *w)
{
    if (!w)
        return;
    for (int i = 0; i < w->argc; i++)
        free(w->argv[i]);
    w->argc = 0;
    w->argv[0] = NULL;
}

static int push_word(struct cmd_words *out, const char *buf, size_t len)
{
    if (out->argc >= CMD_MAX_WORDS)
        return -1;
    char *w = malloc(len + 1);
    if (!w)
        return -1;
    memcpy(w, buf, len);
    w[len] = '\0';
    out->argv[out->argc++] = w;
    out->argv[out->argc] = NULL;
    return 0;
}

size_t cmd_split(const char *line, struct cmd_words *out, char *err, size_t errlen)
{
    out->argc = 0;
    out->argv[0] = NULL;
    size_t len = strlen(line);
    if (len > CMD_MAX_LINE) {
        fail(err, errlen, "the command line is too long");
        return (size_t)-1;
    }
    char *buf = malloc(len + 1);
    if (!buf) {
        fail(err, errlen, "out of memory");
        return (size_t)-1;
    }
    size_t i = 0, n = 0;
    char quote = 0;
    int in_word = 0;
    const char *why = NULL;
    for (; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
            why = "control characters are not allowed in a command";
            break;
        }
        if (quote) {
            if (c == (unsigned char)quote) {
                quote = 0;
            } else if (quote == '"' && c == '\\' && i + 1 < len &&
                       (line[i + 1] == '"' || line[i + 1] == '\\')) {
                buf[n++] = line[++i];
            } else {
                buf[n++] = (char)c;
            }
            continue;
        }
        if (c == ' ' || c == '\t' || c == ';') {
            if (in_word) {
                if (push_word(out, buf, n) < 0) {
                    why = "too many words in one command";
                    break;
                }
                n = 0;
                in_word = 0;
            }
            if (c == ';') {
                i++;
                break;
            }
            continue;
        }
        if (c == '#' && !in_word) {
            i = len;
            break;
        }
        in_word = 1;
        if (c == '"' || c == '\'') {
            quote = (char)c;
        } else if (c == '\\' && i + 1 < len) {
            buf[n++] = line[++i];
        } else {
            buf[n++] = (char)c;
        }
    }
    if (!why && quote)
        why = "a quote is not closed";
    if (!why && in_word && push_word(out, buf, n) < 0)
        why = "too many words in one command";
    free(buf);
    if (why) {
        cmd_words_free(out);
        fail(err, errlen, why);
        return (size_t)-1;
    }
    return i;
}

void cmd_quote(const char *word, char *out, size_t n)
{
    if (n == 0)
        return;
    bool plain = *word != '\0';
    for (const char *p = word; *p && plain; p++)
        if (strchr(" \t;#\"'\\", *p))
            plain = false;
    size_t o = 0;
    if (plain) {
        snprintf(out, n, "%s", word);
        return;
    }
    if (o + 1 < n)
        out[o++] = '"';
    for (const char *p = word; *p && o + 3 < n; p++) {
        if (*p == '"' || *p == '\\')
            out[o++] = '\\';
        out[o++] = *p;
    }
    if (o + 1 < n)
        out[o++] = '"';
    out[o] = '\0';
}
