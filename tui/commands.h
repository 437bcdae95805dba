/*
 * commands.h - the verbs of the command line: the one table shared by the
 * `:` prompt and `membercare --batch`, their arity checks, the inline help
 * and the completion of verbs and arguments.
 *
 * No curses here: batch mode and the unit tests link it as it is. Every
 * keymap action is also a verb by its name (no arguments); a verb of the
 * table with the same name as an action (ledger, goodwill, requests ...)
 * runs that action and says in `action` which one.
 */
#ifndef MC_TUI_COMMANDS_H
#define MC_TUI_COMMANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "keymaps/keymap.h"
#include "tui/cmdargs.h"

/* What a verb's arguments are, for completion. */
enum cmd_arg_kind {
    CMD_ARG_NONE,
    CMD_ARG_TEXT,       /* free text (queries, codes, identifiers) */
    CMD_ARG_FILE,       /* a file name */
    CMD_ARG_THEME,      /* a theme name */
    CMD_ARG_OPTION,     /* KEY VALUE of :set */
    CMD_ARG_PROFILE,    /* a profile name */
    CMD_ARG_REQ_FILTER, /* key=value filters of the approval queue */
    CMD_ARG_GOODWILL,   /* POINTS REASON "comment" */
};

#define CMD_ARGS_ANY 64 /* max_args of a verb that takes the rest of the line */

struct cmd_verb {
    const char *name;
    const char *synopsis;   /* "goodwill POINTS REASON \"comment\"" */
    const char *help;       /* one line */
    int min_args, max_args;
    bool writes;            /* sends a change to the server (batch needs --yes) */
    enum cmd_arg_kind args;
    enum action action;     /* the keymap action it runs, ACTION_NONE when its own */
};

/* A checked command: the verb (a table entry, or a keymap action's row
 * made from the action table) and its words. */
struct cmd_resolved {
    struct cmd_verb verb;   /* a copy: actions have no static row */
    int argc;               /* arguments after the verb */
    char *const *argv;      /* borrowed from the cmd_words */
};

/* The table, in help order. */
const struct cmd_verb *cmd_verbs(size_t *n);
/* The table's verb called name (aliases included), or NULL. */
const struct cmd_verb *cmd_verb_find(const char *name);
/* Fills out with the verb named name: the table's, else the action's. false when neither. */
bool cmd_verb_lookup(const char *name, struct cmd_verb *out);

/*
 * Checks the words of one command (w->argc > 0): a known verb with the
 * right number of arguments. Returns false with a one-line message naming
 * the synopsis in err ("goodwill takes at most 3 arguments: goodwill
 * POINTS REASON \"comment\"").
 */
bool cmd_check(const struct cmd_words *w, struct cmd_resolved *out, char *err, size_t errlen);

/* The commands of a line separated by unquoted `;`, as [start, end) offsets
 * into line (the `;` excluded). Returns how many (at most max), or -1 with
 * the splitter's reason in err. Empty commands are skipped. */
int cmd_chain(const char *line, size_t starts[], size_t ends[], int max, char *err, size_t errlen);

/* The verb of the command being typed (the last of a chain), when its name
 * is complete and followed by a blank or is all there is and names a verb:
 * for the prompt's inline help. NULL otherwise. out is filled for actions. */
bool cmd_typing_verb(const char *line, struct cmd_verb *out);

/* Names completion may offer for arguments; any list may be empty. */
struct cmd_names {
    const char *const *items;
    size_t n;
};
struct cmd_complete_src {
    struct cmd_names themes;
    struct cmd_names options;   /* :set keys */
    struct cmd_names profiles;
    struct cmd_names reasons;   /* goodwill reason codes */
};

/* The values of a :set key completion offers (on/off, theme names ...). */
struct cmd_names cmd_option_values(const char *key, const struct cmd_complete_src *src);

/*
 * Completes the last word of line (the cursor is at the end): the verb
 * when it is the first word of its command, else the argument by the
 * verb's kind. Writes the idx-th candidate's whole line into out (the last
 * word replaced, quoted when needed, a blank appended after a complete
 * verb or key=value) and returns the number of candidates (0: out
 * untouched). Candidates are in table order, then action order, without
 * repeats.
 */
int cmd_complete(const char *line, const struct cmd_complete_src *src, int idx, char *out, size_t outlen);

#endif
