/*
 * batch_out.h - the output of `membercare --batch`: one record per command,
 * as plain text (sanitised for the terminal) or as one JSON object a line.
 *
 * A verb describes its result as nested objects, arrays and scalars; the
 * writer renders it. JSON is escaped here (jansson stays inside api/): server
 * text that is not valid UTF-8 becomes U+FFFD so every line parses. Plain
 * text shows scalars as "key: value" lines and each array element as one
 * tab-separated row, with control characters as visible placeholders.
 * A record is built in memory and written whole when the command ends, so a
 * command that fails half-way prints its error and none of its partial rows.
 */
#ifndef MC_TUI_BATCH_OUT_H
#define MC_TUI_BATCH_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tui/mask.h"

#define BO_MAX_DEPTH 16

struct bout_buf {
    char *s;
    size_t len, cap;
};

struct bout {
    FILE *out, *err;          /* borrowed */
    bool json, ascii;
    bool printed;             /* plain: a result was written (the next one gets a blank line) */
    bool mask;                /* --mask: personal data partly hidden in every string */
    struct mask_names names;  /* names seen so far ("name" values), masked wherever they recur */
    struct bout_buf body;     /* the result being built (owned) */
    int depth;
    bool first[BO_MAX_DEPTH]; /* no member written yet at this depth */
    bool array[BO_MAX_DEPTH]; /* this depth is an array */
    unsigned char row[BO_MAX_DEPTH]; /* plain: 1 = an array element written as one row,
                                      * 2 = a container inside such a row */
};

void bo_init(struct bout *o, FILE *out, FILE *err, bool json, bool ascii);
/* Masks mobile numbers, emails and names from now on, as the console's
 * --mask does on screen (commands and errors included). */
void bo_set_mask(struct bout *o, bool on);
void bo_done(struct bout *o);

/* Starts a command's result, discarding anything unfinished. */
void bo_begin(struct bout *o);
/* Containers: key is NULL for an element of an array. */
void bo_obj(struct bout *o, const char *key);
void bo_arr(struct bout *o, const char *key);
void bo_close(struct bout *o);
/* Scalars: a NULL string is JSON null and left out of plain text (a row
 * shows "-" for it, and for "", so its columns stay in place). */
void bo_str(struct bout *o, const char *key, const char *val);
void bo_int(struct bout *o, const char *key, long long v);
/* Points and amounts: JSON number, plain "12,450". */
void bo_num(struct bout *o, const char *key, double v);
void bo_bool(struct bout *o, const char *key, bool v);
/* A JSON text we built ourselves (a request body): embedded as it is in
 * JSON mode, printed on its own line in plain mode. */
void bo_raw(struct bout *o, const char *key, const char *json);

/* Ends the command: writes {"command":..,"line":N,"ok":true,"result":{..}}
 * or the plain rows. */
void bo_end_ok(struct bout *o, const char *command, long line);
/* Ends the command as failed: the JSON record with "error", or one line on
 * the error stream in plain mode ("membercare: line N: command: message"). */
void bo_end_error(struct bout *o, const char *command, long line, const char *message, long code,
                  long http_status);

#endif
