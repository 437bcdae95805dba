/*
 * config.h - the user's configuration file.
 *
 * $XDG_CONFIG_HOME/membercare/config (default ~/.config/membercare/config):
 *
 *     # comment
 *     default_profile = eu-prod
 *     refresh_interval = 30
 *     goodwill_flag_points = 1000  # approval queue: flag larger goodwill
 *
 *     [profile eu-prod]
 *     host = https://eu.api.capillarytech.com
 *     user = store.server
 *     auth = basic              # or oauth
 *     client_key = ABC          # oauth
 *     password_command = pass show capillary/eu
 *     readonly = true
 *     color = red               # header colour for this profile
 *
 *     theme = dusk              # default, light, high-contrast, mono or a [theme]
 *     mask = true               # mask personal data (demos, screen sharing)
 *     mouse = true              # clicks and the wheel (off: terminal selection)
 *
 *     [theme dusk]              # roles of tui/theme_spec.h: fg,bg,attrs
 *     selected = black,bright-cyan,bold
 *
 * A file that group or others can read is refused (secrets may be near).
 * Pure parsing (no curses), unit-tested and fuzzed.
 */
#ifndef MC_TUI_CONFIG_H
#define MC_TUI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/theme_spec.h"

enum config_auth { CONFIG_AUTH_BASIC, CONFIG_AUTH_OAUTH };

struct config_profile {
    char *name;
    char *host;             /* base URL */
    char *user;             /* till id */
    enum config_auth auth;
    char *client_key;
    char *password_command; /* run through /bin/sh; its first stdout line is the secret */
    char *color;            /* colour name or NULL */
    bool readonly;
};

/* A user theme: the default theme with the roles it sets changed. */
struct config_theme {
    char *name;
    struct theme_style style[THEME_ROLES];
    bool set[THEME_ROLES];
};

struct config {
    char *default_profile;
    char *theme;            /* theme name or NULL (default) */
    bool mask, mouse;
    struct config_theme *themes;
    size_t n_themes;
    int refresh_interval;   /* seconds, default 30 */
    long goodwill_flag_points; /* the approval queue flags goodwill above this, default 1000 */
    struct config_profile *profiles;
    size_t n_profiles;
};

/* Parses config text. Returns 0, or -1 with "FILE:LINE: what is wrong" in err. */
int config_parse(struct config *cfg, const char *text, size_t len, const char *filename,
                 char *err, size_t errsz);
/* Reads path: a missing file is fine (empty config, returns 0); a file
 * readable by group or others returns -1 with a message that says how to
 * fix it ("chmod 600 FILE"). */
int config_load_file(struct config *cfg, const char *path, char *err, size_t errsz);
/* The default path, from XDG_CONFIG_HOME or HOME, into buf. */
const char *config_default_path(char *buf, size_t n);
const struct config_profile *config_find_profile(const struct config *cfg, const char *name);
const struct config_theme *config_find_theme(const struct config *cfg, const char *name);
void config_init(struct config *cfg);
void config_done(struct config *cfg);

#endif
