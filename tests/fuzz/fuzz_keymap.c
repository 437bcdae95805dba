/*
 * fuzz_keymap.c - the key-file parser (keymap_parse) and key names.
 *
 * Input: byte 0 bit 0 says whether the compiled-in defaults are loaded
 * first (user files are parsed on top of them); the rest is key-file text.
 * After parsing, every binding of every context is read back, its key name
 * printed and parsed again: key_to_name and key_parse must agree, so the
 * help overlay never shows a name the user could not bind; and lookup must
 * find what foreach lists.
 */
#include <stdint.h>
#include <string.h>

#include "keymaps/keymap.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
    const struct keymap *km;
    enum key_context ctx;
};

static void check_binding(void *ud, int key, enum action a)
{
    const struct walk *w = ud;
    FUZZ_ASSERT((unsigned)a < ACTION_COUNT && a != ACTION_NONE, "a bound action is valid");
    char keys[128];
    keymap_keys_for(w->km, w->ctx, a, keys, sizeof keys);
    FUZZ_ASSERT(memchr(keys, '\0', sizeof keys) != NULL, "keys_for is terminated");
    FUZZ_ASSERT(keymap_lookup(w->km, w->ctx, key) == a, "lookup finds the binding foreach shows");
    char name[64];
    key_to_name(key, name, sizeof name);
    FUZZ_ASSERT(memchr(name, '\0', sizeof name) != NULL, "the key name is terminated");
    FUZZ_ASSERT(name[0] != '\0', "a bound key has a name");
    if (strcmp(name, "#") != 0)
        FUZZ_ASSERT(key_parse(name) == key_canonical(key), "key_parse(key_to_name(k)) == k");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct keymap *km = keymap_new();
    char err[256];
    memset(err, 'x', sizeof err);
    if (data[0] & 1) {
        FUZZ_ASSERT(keymap_load_defaults(km, err, sizeof err) == 0, "the defaults parse");
    }
    int rc = keymap_parse(km, (const char *)data + 1, size - 1, "fuzz.keys", err, sizeof err);
    FUZZ_ASSERT(rc == 0 || rc == -1, "keymap_parse returns 0 or -1");
    if (rc != 0)
        FUZZ_ASSERT(memchr(err, '\0', sizeof err) != NULL && err[0] != '\0',
                    "a failure explains itself");

    for (int ctx = 0; ctx < CTX_COUNT; ctx++) {
        struct walk w = {km, (enum key_context)ctx};
        keymap_foreach(km, (enum key_context)ctx, check_binding, &w);
        /* Lookups of the raw bytes as keys, as a terminal would send them. */
        for (size_t i = 1; i < size && i < 64; i++)
            FUZZ_ASSERT((unsigned)keymap_lookup(km, (enum key_context)ctx, data[i]) < ACTION_COUNT,
                        "lookup yields a valid action");
    }
    keymap_free(&km);
    FUZZ_ASSERT(km == NULL, "keymap_free NULLs the pointer");
    return 0;
}
