/*
 * cmdargs.h - splits a command line into words, the one grammar shared by
 * the `:` prompt and `membercare --batch`.
 *
 * Words are separated by blanks (space, tab). "Double" or 'single' quotes
 * group blanks into a word; inside double quotes \" and \\ escape, outside
 * quotes a backslash escapes the next character. An unquoted `;` ends one
 * command and starts the next (a `;` inside quotes is text). A `#` at the
 * start of a word outside quotes starts a comment to the end of the line.
 * Control characters other than tab are refused: a command line is typed
 * text, and a control byte in a batch file is a mistake worth reporting.
 */
#ifndef MC_CMDARGS_H
#define MC_CMDARGS_H

#include <stddef.h>

#define CMD_MAX_WORDS 32
#define CMD_MAX_LINE 4096

struct cmd_words {
    int argc;
    char *argv[CMD_MAX_WORDS + 1]; /* argv[argc] == NULL; each owned */
};

/*
 * Parses the first command of `line` into `out` (words owned by out; free
 * with cmd_words_free). Returns the offset in `line` just past the command
 * (past its `;` if any): call again from there for the next one, until the
 * returned offset is strlen(line). An empty command yields argc 0. Returns
 * (size_t)-1 with a one-line reason in err on an unterminated quote, a
 * control character, too many words or an overlong line; out is then empty.
 */
size_t cmd_split(const char *line, struct cmd_words *out, char *err, size_t errlen);

void cmd_words_free(struct cmd_words *w);

/* Writes `word` quoted for a command line only when it needs quotes. */
void cmd_quote(const char *word, char *out, size_t n);

#endif
