/*
 * views.h - the screens. One file per screen, each exporting its ops.
 */
#ifndef MC_VIEWS_VIEWS_H
#define MC_VIEWS_VIEWS_H

#include "tui/tui.h"

extern const struct view_ops search_view_ops;   /* views/search.c: find a member */
extern const struct view_ops customer_view_ops; /* views/customer.c: the member at a glance */
extern const struct view_ops help_view_ops;     /* views/help.c: keys, from the keymap */

/* Opens the customer screen for id above v (name for the crumb, may be NULL). */
struct view *open_customer_view(struct app *app, int64_t id, const char *name);

#endif
