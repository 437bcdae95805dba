/*
 * actions.c - the action and context tables, generated from the X-macro
 * lists in keymap.h so that names, descriptions and enum values cannot
 * drift apart.
 */
#include "keymaps/keymap.h"

#include <string.h>

static const struct action_info actions[] = {
#define ACTION_INFO(e, name, desc, flags) {ACTION_##e, name, desc, flags},
    ACTION_LIST(ACTION_INFO)
#undef ACTION_INFO
};

static const char *const context_names[] = {
#define CONTEXT_NAME(n, s) s,
    KEY_CONTEXT_LIST(CONTEXT_NAME)
#undef CONTEXT_NAME
};

_Static_assert(sizeof actions / sizeof actions[0] == ACTION_COUNT,
               "one action_info per action");
_Static_assert(sizeof context_names / sizeof context_names[0] == CTX_COUNT,
               "one name per context");

const struct action_info *action_info(enum action a)
{
    if ((unsigned)a >= ACTION_COUNT)
        return NULL;
    return &actions[a];
}

enum action action_by_name(const char *name)
{
    if (!name)
        return ACTION_COUNT;
    for (size_t i = 0; i < ACTION_COUNT; i++)
        if (strcmp(actions[i].name, name) == 0)
            return actions[i].action;
    return ACTION_COUNT;
}

const char *key_context_name(enum key_context ctx)
{
    if ((unsigned)ctx >= CTX_COUNT)
        return NULL;
    return context_names[ctx];
}

enum key_context key_context_by_name(const char *name)
{
    if (!name)
        return CTX_COUNT;
    for (size_t i = 0; i < CTX_COUNT; i++)
        if (strcmp(context_names[i], name) == 0)
            return (enum key_context)i;
    return CTX_COUNT;
}
