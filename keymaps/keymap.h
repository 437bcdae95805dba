/*
 * keymap.h - actions, key codes and bindings.
 *
 * Key handling goes key -> action -> view. The action table is one X-macro
 * list; the enum, the names accepted by `:` and by key files, and the help
 * overlay all come from it. Bindings are per context; lookup tries the
 * view's context, then `generic`. The built-in bindings are the text of
 * keymaps/default.keys, compiled in and parsed by the same parser that reads
 * the user's file, so the defaults always exercise the parser.
 *
 * This folder includes no curses: keys are Unicode code points for text and
 * MC_KEY_* values above the Unicode range for everything else; tui/ maps
 * curses key codes onto them.
 */
#ifndef MC_KEYMAPS_KEYMAP_H
#define MC_KEYMAPS_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

/* Contexts: where a binding applies. _(NAME, "name") */
#define KEY_CONTEXT_LIST(_)        \
    _(GENERIC, "generic")          \
    _(SEARCH, "search")            \
    _(RESULTS, "results")          \
    _(CUSTOMER, "customer")        \
    _(LEDGER, "ledger")            \
    _(COUPONS, "coupons")          \
    _(TICKETS, "tickets")          \
    _(NOTES, "notes")              \
    _(INTERACTIONS, "interactions") \
    _(REQUESTS, "requests")        \
    _(REQUEST, "request")          \
    _(GOODWILL, "goodwill")        \
    _(HELP, "help")

enum key_context {
#define KEY_CONTEXT_ENUM(n, s) CTX_##n,
    KEY_CONTEXT_LIST(KEY_CONTEXT_ENUM)
#undef KEY_CONTEXT_ENUM
    CTX_COUNT
};

/* Action flags */
enum action_flag {
    ACT_SAFE = 0,
    ACT_DANGEROUS = 1 << 0, /* writes: hidden in --readonly, always confirmed */
    ACT_WRITE = 1 << 1,     /* writes that need no confirmation (resend): hidden in --readonly */
    ACT_NEEDS_CHECKER = 1 << 2, /* only for tills with CanCheckRequest */
    ACT_NEEDS_MAKER = 1 << 3,   /* only for tills with CanMakeRequest */
};

/* Each screen's own actions, in its own list. _(ENUM, "name", "description", flags) */
#define ACTIONS_LEDGER(_)                                                                         \
    _(LEDGER_EXPIRY, "expiry", "Show the points expiry schedule (ledger screen)", ACT_SAFE)      \
    _(LEDGER_TRANSACTIONS, "transactions", "Show the member's bills (ledger screen)", ACT_SAFE)
#define ACTIONS_COUPONS(_)                                                                   \
    _(COUPON_ISSUE, "coupon-issue", "Issue a coupon from a series", ACT_DANGEROUS)          \
    _(COUPON_CHECK, "coupon-check", "Ask if the coupon can be redeemed", ACT_SAFE)           \
    _(COUPON_REDEEM, "coupon-redeem", "Redeem the coupon on a bill", ACT_DANGEROUS)          \
    _(COUPON_REVOKE, "coupon-revoke", "Revoke the coupon, with a reason", ACT_DANGEROUS)     \
    _(COUPON_REACTIVATE, "coupon-reactivate", "Undo the coupon's redemption", ACT_DANGEROUS) \
    _(COUPON_RESEND, "coupon-resend", "Send the coupon to the member again", ACT_WRITE)
#define ACTIONS_TICKETS(_)                                                                        \
    _(INTERACTIONS, "interactions", "Open the messages sent to the member (SMS, email)", ACT_SAFE) \
    _(TICKET_ADD, "ticket-add", "Add a ticket for the member", ACT_WRITE)                         \
    _(TICKET_FILTER, "ticket-filter", "Filter tickets by status, priority, department or date",   \
      ACT_SAFE)                                                                                   \
    _(NOTE_ADD, "note-add", "Add a note about the member", ACT_WRITE)                             \
    _(NOTE_EDIT, "note-edit", "Edit the selected note", ACT_WRITE)                                \
    _(MESSAGE_CHANNEL, "message-channel", "Show the next channel: all, SMS, email, other",        \
      ACT_SAFE)
#define ACTIONS_REQUESTS(_)                                                                          \
    _(REQ_APPROVE, "approve", "Approve the request, optionally with another amount",                 \
      ACT_DANGEROUS | ACT_NEEDS_CHECKER)                                                             \
    _(REQ_REJECT, "reject", "Reject the request with a comment", ACT_DANGEROUS | ACT_NEEDS_CHECKER)  \
    _(REQ_MARK, "mark-request", "Mark or unmark the request for a bulk decision", ACT_NEEDS_CHECKER) \
    _(REQ_MARK_ALL, "mark-all-requests", "Mark every pending request shown, or unmark them all",     \
      ACT_NEEDS_CHECKER)                                                                             \
    _(REQ_APPROVE_MARKED, "approve-marked", "Approve the marked requests after a preview",           \
      ACT_DANGEROUS | ACT_NEEDS_CHECKER)                                                             \
    _(REQ_REJECT_MARKED, "reject-marked", "Reject the marked requests after a preview",              \
      ACT_DANGEROUS | ACT_NEEDS_CHECKER)                                                             \
    _(REQ_FILTERS, "queue-filters", "Filter by type, status, dates, raised-by or member", ACT_SAFE)  \
    _(GOODWILL_HISTORY, "goodwill-history", "Show the member's goodwill requests", ACT_SAFE)         \
    _(AUDIT, "audit", "Show the local audit log of the writes sent", ACT_SAFE)
#define ACTIONS_COMFORT(_)                                                                     \
    _(COPY_VALUE, "copy-value", "Copy the focused value (member id, code, id) to the clipboard", \
      ACT_SAFE)                                                                                  \
    _(COPY_ROW, "copy-row", "Copy the whole focused row to the clipboard", ACT_SAFE)

/* _(ENUM, "name", "description", flags) */
#define ACTION_LIST(_)                                                              \
    _(NONE, "none", "Unbound", ACT_SAFE)                                            \
    _(UP, "move-up", "Move up one row", ACT_SAFE)                                   \
    _(DOWN, "move-down", "Move down one row", ACT_SAFE)                             \
    _(PAGE_UP, "page-up", "Move up one page", ACT_SAFE)                             \
    _(PAGE_DOWN, "page-down", "Move down one page", ACT_SAFE)                       \
    _(FIRST, "move-first", "Go to the first row", ACT_SAFE)                         \
    _(LAST, "move-last", "Go to the last row", ACT_SAFE)                            \
    _(LEFT, "move-left", "Previous tab or field", ACT_SAFE)                         \
    _(RIGHT, "move-right", "Next tab or field", ACT_SAFE)                           \
    _(OPEN, "open", "Open the selected row", ACT_SAFE)                              \
    _(BACK, "back", "Go back to the previous screen", ACT_SAFE)                     \
    _(QUIT, "quit", "Quit membercare", ACT_SAFE)                                    \
    _(HELP, "help", "Show the keys of this screen", ACT_SAFE)                       \
    _(COMMAND, "command", "Open the command line", ACT_SAFE)                        \
    _(FILTER, "filter", "Filter the current list", ACT_SAFE)                        \
    _(FIND_NEXT, "find-next", "Find the next match", ACT_SAFE)                      \
    _(FIND_PREV, "find-prev", "Find the previous match", ACT_SAFE)                  \
    _(REFRESH, "refresh", "Reload this screen", ACT_SAFE)                           \
    _(SEARCH, "search", "Go to the search screen", ACT_SAFE)                        \
    _(EDIT_QUERY, "edit-query", "Type a new search", ACT_SAFE)                      \
    _(LEDGER, "ledger", "Open the member's points ledger", ACT_SAFE)                \
    _(COUPONS, "coupons", "Open the member's coupons", ACT_SAFE)                    \
    _(TICKETS, "tickets", "Open the member's tickets", ACT_SAFE)                    \
    _(NOTES, "notes", "Open the member's notes", ACT_SAFE)                          \
    _(GOODWILL, "goodwill", "Raise a goodwill request", ACT_WRITE | ACT_NEEDS_MAKER)\
    _(REQUESTS, "requests", "Open the approval queue", ACT_SAFE)                    \
    ACTIONS_LEDGER(_)                                                               \
    ACTIONS_COUPONS(_)                                                              \
    ACTIONS_TICKETS(_)                                                              \
    ACTIONS_REQUESTS(_)                                                             \
    ACTIONS_COMFORT(_)

enum action {
#define ACTION_ENUM(e, name, desc, flags) ACTION_##e,
    ACTION_LIST(ACTION_ENUM)
#undef ACTION_ENUM
    ACTION_COUNT
};

struct action_info {
    enum action action;
    const char *name;
    const char *description;
    unsigned flags;
};

const struct action_info *action_info(enum action a);
/* ACTION_COUNT when no action has that name. */
enum action action_by_name(const char *name);
const char *key_context_name(enum key_context ctx);
/* CTX_COUNT when unknown. */
enum key_context key_context_by_name(const char *name);

/* Key codes */
#define MC_KEY_BASE 0x110000
enum mc_key {
    MC_KEY_UP = MC_KEY_BASE, MC_KEY_DOWN, MC_KEY_LEFT, MC_KEY_RIGHT,
    MC_KEY_HOME, MC_KEY_END, MC_KEY_PGUP, MC_KEY_PGDN,
    MC_KEY_INSERT, MC_KEY_DELETE, MC_KEY_BACKSPACE, MC_KEY_ENTER,
    MC_KEY_ESC, MC_KEY_TAB, MC_KEY_BTAB,
    MC_KEY_F1, /* MC_KEY_F1 + n - 1 for Fn, n <= 12 */
    MC_KEY_F12 = MC_KEY_F1 + 11,
    MC_KEY_RESIZE,
    MC_KEY_MOUSE,
    MC_KEY_PASTE_BEGIN, MC_KEY_PASTE_END,
    MC_KEY_LIMIT
};
/* Control keys are their ASCII codes: C-a == 1 ... C-z == 26. */
#define MC_KEY_CTRL(c) ((c) & 0x1f)

/* "j", "C-r", "F5", "Enter", "Esc", "PgDn", "Up", "Space", "Tab", "S-Tab",
 * "Home", "End", "Backspace", "Delete", "?", "<" ... -> key code; -1 if unknown. */
int key_parse(const char *name);
/* Inverse of key_parse: the canonical name, written into buf. */
const char *key_to_name(int key, char *buf, size_t n);
/* The raw codes a terminal sends for Backspace (8, 127), Tab (9), Enter
 * (10, 13) and Esc (27) -> the MC_KEY_* value; any other key unchanged.
 * Lookup and key_parse apply it, so "C-h" and "Backspace" are one key. */
int key_canonical(int key);

/* Bindings */
struct keymap;

struct keymap *keymap_new(void);
void keymap_free(struct keymap **km);
/* Parses key-file text: lines of `bind CONTEXT KEY ACTION`, `#` comments,
 * blank lines; ACTION `none` unbinds. Later lines override earlier ones.
 * On the first bad line returns -1 and writes "FILE:LINE: what is wrong"
 * into err; bindings from earlier lines stay applied. 0 on success. */
int keymap_parse(struct keymap *km, const char *text, size_t len, const char *filename,
                 char *err, size_t errsz);
/* Reads and parses a file; a missing file is not an error (returns 0). */
int keymap_load_file(struct keymap *km, const char *path, char *err, size_t errsz);
/* Parses the compiled-in default.keys. */
int keymap_load_defaults(struct keymap *km, char *err, size_t errsz);
/* The action for key in ctx, falling back to generic; ACTION_NONE if unbound. */
enum action keymap_lookup(const struct keymap *km, enum key_context ctx, int key);
/* Calls fn for each binding of ctx (not generic), in key order. */
void keymap_foreach(const struct keymap *km, enum key_context ctx,
                    void (*fn)(void *ud, int key, enum action a), void *ud);
/* The keys bound to a in ctx (or generic), comma-separated, e.g. "q, Esc". */
const char *keymap_keys_for(const struct keymap *km, enum key_context ctx, enum action a,
                            char *buf, size_t n);

extern const char keymap_default_text[];
extern const size_t keymap_default_len;

#endif
