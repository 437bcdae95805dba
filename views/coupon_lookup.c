/*
 * coupon_lookup.c - finding a coupon by its code and opening its owner's
 * coupons with it selected, on behalf of any screen (the search screen's
 * `:coupon CODE` and `coupon:CODE`, the coupons screen's `:coupon`).
 *
 * Endpoint: GET /v1.1/coupon/get?code=CODE&user_id=true, the call that
 * names a coupon's owner (the v2 coupon details do not). When the code is
 * unknown the v1.1 envelope reports that every item failed; that is said
 * as "no coupon with code X".
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "views/views.h"

#define CODE_MAX 64

bool coupon_lookup_start(struct view *v, const char *code, int tag)
{
    char c[CODE_MAX + 1];
    while (*code == ' ')
        code++;
    size_t n = strlen(code);
    while (n > 0 && code[n - 1] == ' ')
        n--;
    if (n == 0 || n > CODE_MAX) {
        app_status(v->app, STATUS_WARN, n ? "A coupon code has at most 64 characters"
                                          : "Usage: :coupon CODE (or coupon:CODE in the search field)");
        return false;
    }
    memcpy(c, code, n);
    c[n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)c[i])) {
            app_status(v->app, STATUS_WARN, "A coupon code has no spaces: '%s'", c);
            return false;
        }
    view_submit(v, api_coupon_lookup(c), tag);
    app_status(v->app, STATUS_INFO, "Looking up coupon %s...", c);
    return true;
}

void coupon_lookup_finish(struct view *v, struct api_result *res, const char *code)
{
    const char *shown = code && *code ? code : "that code";
    struct mc_coupon_owner_list *l = API_DATA(res, COUPON_LOOKUP, struct mc_coupon_owner_list);
    const struct mc_coupon_owner *o = NULL;
    for (size_t i = 0; l && i < l->n && !o; i++)
        if (l->items[i].found && l->items[i].customer_id > 0)
            o = &l->items[i];
    if (o) {
        char name[160];
        snprintf(name, sizeof name, "%s", o->name && *o->name ? o->name : "");
        app_status(v->app, STATUS_OK, "Coupon %s belongs to %s", o->code,
                   name[0] ? name : "a member without a name");
        open_coupons_view(v->app, o->customer_id, name, o->code);
    } else if (l || res->err.kind == API_REMOTE) {
        char why[300] = "";
        if (!l)
            api_error_format(&res->err, why, sizeof why);
        else if (l->n && l->items[0].message)
            snprintf(why, sizeof why, "%ld: %s", l->items[0].item_code, l->items[0].message);
        app_status(v->app, STATUS_WARN, "No coupon with code %s%s%s%s", shown, why[0] ? " (server: " : "",
                   why, why[0] ? ")" : "");
    } else {
        app_status_error(v->app, "The coupon lookup failed", &res->err);
    }
    api_result_free(&res);
}
