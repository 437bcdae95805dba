/*
 * profile.h - signing in with a profile of the config file while the
 * console runs (`:profile NAME`), the way start-up does.
 */
#ifndef MC_TUI_PROFILE_H
#define MC_TUI_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

struct api;
struct app_session;
struct config;

/* What the composition root lends the switch. */
struct profile_ctx {
    const struct config *config;
    bool readonly;      /* --readonly: every profile is read-only then */
};

/* app_config.connect: ctx is a struct profile_ctx. A new api for profile
 * name's host and till, the secret from the profile's password_command or a
 * prompt on the terminal (the environment's was used up at start-up). NULL
 * with a one-line reason in err. */
struct api *profile_connect(void *ctx, const char *name, struct app_session *out, char *err,
                            size_t errlen);

#endif
