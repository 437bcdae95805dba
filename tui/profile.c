/*
 * profile.c - a new api and session for `:profile NAME`.
 *
 * The same rules as at start-up: https only (http for loopback alone), the
 * secret never from the command line, the demo tills' known rights. A
 * prompt needs the terminal, so curses steps aside for it and the caller
 * repaints afterwards. Credentials are checked by the server on the first
 * request: a wrong password shows as a 401 on the search screen.
 */
#include <stdio.h>
#include <string.h>

#include "tui/app_priv.h"
#include "tui/config.h"
#include "tui/profile.h"
#include "tui/secret.h"

static void host_of(const char *url, char *buf, size_t n)
{
    const char *p = strstr(url, "://");
    snprintf(buf, n, "%s", p ? p + 3 : url);
    buf[strcspn(buf, "/")] = '\0';
}

struct api *profile_connect(void *ctx, const char *name, struct app_session *out, char *err,
                            size_t errlen)
{
    const struct profile_ctx *pc = ctx;
    const struct config_profile *p = config_find_profile(pc ? pc->config : NULL, name);
    if (!p) {
        snprintf(err, errlen, "no profile '%s'", name);
        return NULL;
    }
    char why[200];
    if (!p->host || !api_host_allowed(p->host, why, sizeof why)) {
        snprintf(err, errlen, "profile %s: %s", name, p->host ? why : "no host");
        return NULL;
    }
    bool oauth = p->auth == CONFIG_AUTH_OAUTH;
    if (!oauth && !p->user) {
        snprintf(err, errlen, "profile %s has no user (till id)", name);
        return NULL;
    }
    char prompt[160], secret[512] = "";
    snprintf(prompt, sizeof prompt, "%s for %s (profile %s): ", oauth ? "Client secret" : "Password",
             oauth ? p->client_key : p->user, name);
    if (!p->password_command) {
        screen_paste_mode(false);
        endwin(); /* the prompt reads the terminal; the caller repaints */
    }
    int rc = secret_get(oauth ? "MEMBERCARE_CLIENT_SECRET" : "MEMBERCARE_PASSWORD",
                        p->password_command, prompt, secret, sizeof secret, err, errlen);
    if (!p->password_command)
        screen_paste_mode(true);
    if (rc != 0) {
        secret_wipe(secret, sizeof secret);
        return NULL;
    }
    struct api_config ac = {
        .base_url = p->host,
        .auth = oauth ? API_AUTH_OAUTH : API_AUTH_BASIC,
        .user = p->user,
        .password = oauth ? NULL : secret,
        .client_key = p->client_key,
        .client_secret = oauth ? secret : NULL,
    };
    struct api_error aerr = {0};
    struct api *api = api_new(&ac, &aerr);
    secret_wipe(secret, sizeof secret);
    if (!api) {
        snprintf(err, errlen, "profile %s: %s", name, aerr.message);
        return NULL;
    }
    memset(out, 0, sizeof *out);
    snprintf(out->till, sizeof out->till, "%s", oauth ? p->client_key : p->user);
    host_of(p->host, out->cluster, sizeof out->cluster);
    snprintf(out->profile, sizeof out->profile, "%s", p->name);
    snprintf(out->color, sizeof out->color, "%s", p->color ? p->color : "");
    out->readonly = p->readonly || pc->readonly;
    /* the sandbox's demo tills have known rights; a real till is assumed to
     * have both until the server refuses */
    bool demo_till = !oauth && strncmp(p->user, "demo.", 5) == 0;
    out->can_make = !demo_till || strcmp(p->user, "demo.viewer") != 0;
    out->can_check = !demo_till || strcmp(p->user, "demo.supervisor") == 0;
    return api;
}
