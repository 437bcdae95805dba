/*
 * settings.h - runtime settings the `:` command line changes: options
 * (`:set KEY VALUE`, `:theme NAME`), profiles (`:profile NAME`) and the
 * clipboard copy (`y` / `Y`, `:wrapup`).
 *
 * Everything here runs on the UI thread and redraws what it changes.
 */
#ifndef MC_TUI_SETTINGS_H
#define MC_TUI_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

struct app;

/* Sets one option. Keys: "theme" (default|light|high-contrast|mono|a user
 * theme), "mask" (on|off), "mouse" (on|off), "refresh" (seconds, 0 = never).
 * Returns false with a one-line reason in err for an unknown key or a bad
 * value (nothing changes then). */
bool app_set_option(struct app *app, const char *key, const char *value, char *err, size_t errlen);

/* Switches to profile name of the configuration file: a new api for its
 * host and credentials, the view stack reset to the search screen. Returns
 * false with a one-line reason in err (unknown profile, a write in flight,
 * no secret, a host refused); the current profile then stays in use. */
bool app_use_profile(struct app *app, const char *name, char *err, size_t errlen);

/* The option keys app_set_option knows, NULL-terminated (for completion). */
const char *const *app_option_names(void);

/* Up to max profile names of the configuration into out; returns how many
 * there are in all (for completion). Pointers stay valid for the run. */
size_t app_profile_names(const struct app *app, const char **out, size_t max);

/* Copies text to the terminal's clipboard (OSC 52) and says
 * "Copied <label>" on the status line. */
void app_copy(struct app *app, const char *label, const char *text);

#endif
