/*
 * fuzz_config.c - the configuration file parser (config_parse).
 *
 * Input: the whole file text. On success the config must be coherent:
 * every profile named, names unique, the refresh interval in its range;
 * on failure the message names FILE:LINE and the caller's config is left
 * untouched (config_parse only replaces it on success).
 */
#include <stdint.h>
#include <string.h>

#include "tests/fuzz/fuzz_check.h"
#include "tui/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config cfg;
    config_init(&cfg);
    char err[512];
    memset(err, 'x', sizeof err);
    int rc = config_parse(&cfg, (const char *)data, size, "fuzz.conf", err, sizeof err);
    FUZZ_ASSERT(rc == 0 || rc == -1, "config_parse returns 0 or -1");
    if (rc != 0) {
        FUZZ_ASSERT(memchr(err, '\0', sizeof err) != NULL, "the message is terminated");
        FUZZ_ASSERT(strncmp(err, "fuzz.conf:", 10) == 0, "the message starts with FILE:");
        FUZZ_ASSERT(cfg.n_profiles == 0 && cfg.profiles == NULL && cfg.default_profile == NULL,
                    "a failed parse leaves the config untouched");
    } else {
        FUZZ_ASSERT(cfg.refresh_interval >= 0 && cfg.refresh_interval <= 86400,
                    "the refresh interval is in range (0 is off)");
        for (size_t i = 0; i < cfg.n_profiles; i++) {
            const struct config_profile *p = &cfg.profiles[i];
            FUZZ_ASSERT(p->name && p->name[0], "a profile has a name");
            FUZZ_ASSERT(config_find_profile(&cfg, p->name) == p, "profile names are unique");
            FUZZ_ASSERT(p->auth == CONFIG_AUTH_BASIC || p->auth == CONFIG_AUTH_OAUTH,
                        "the auth kind is known");
        }
        if (cfg.default_profile)
            FUZZ_ASSERT(cfg.default_profile[0] != '\0', "a default profile is named");
    }
    config_done(&cfg);
    return 0;
}
