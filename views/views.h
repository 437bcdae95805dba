/*
 * views.h - the screens. One file per screen, each exporting its ops.
 */
#ifndef MC_VIEWS_VIEWS_H
#define MC_VIEWS_VIEWS_H

#include "tui/tui.h"

extern const struct view_ops search_view_ops;   /* views/search.c: find a member */
extern const struct view_ops customer_view_ops; /* views/customer.c: the member at a glance */
extern const struct view_ops help_view_ops;     /* views/help.c: keys, from the keymap */

extern const struct view_ops requests_view_ops;       /* views/requests.c: the approval queue */
extern const struct view_ops request_detail_view_ops; /* views/request_detail.c: one request */
extern const struct view_ops goodwill_view_ops;       /* views/goodwill.c: raise goodwill, history */
extern const struct view_ops audit_view_ops;          /* views/audit.c: the local audit log */

/* Opens the screen of one request (copied) above the current one. */
struct view *open_request_detail_view(struct app *app, const struct mc_request *r);
/* Tells the approval queue v that request id was decided here (status APPROVED / REJECTED). */
void requests_view_decided(struct view *v, int64_t id, const char *status);
/* Opens a member's goodwill screen: the raise form at once when raise, else the history tab. */
struct view *open_goodwill_view(struct app *app, int64_t id, const char *name, bool raise);

/* Opens the customer screen for id above v (name for the crumb, may be NULL). */
struct view *open_customer_view(struct app *app, int64_t id, const char *name);

/* The member's service history: views/tickets.c, ticket.c, notes.c, interactions.c */
extern const struct view_ops tickets_view_ops;      /* tickets, open first, and the latest notes */
extern const struct view_ops ticket_view_ops;       /* one ticket in full */
extern const struct view_ops notes_view_ops;        /* notes, newest first; add and edit */
extern const struct view_ops interactions_view_ops; /* messages sent to the member */
struct view *open_tickets_view(struct app *app, int64_t id);
/* The ticket with that code of member id. */
struct view *open_ticket_view(struct app *app, int64_t id, const char *code);
struct view *open_notes_view(struct app *app, int64_t id);
/* mobile: the member's mobile when the caller knows it (else it is looked up). */
struct view *open_interactions_view(struct app *app, int64_t id, const char *mobile);

/* The points ledger, expiry schedule and bills: views/ledger*.c */
extern const struct view_ops ledger_view_ops;
/* Opens member id's ledger; c (borrowed, may be NULL) gives the identifier the
 * balance calls need, else the screen looks the member up itself. */
struct view *open_ledger_view(struct app *app, int64_t id, const struct mc_customer *c);

/* Coupons: views/coupons.c (+ coupon_actions.c), coupon_detail.c, coupon_lookup.c */
extern const struct view_ops coupons_view_ops;       /* a member's coupons and the coupon writes */
extern const struct view_ops coupon_detail_view_ops; /* everything the API knows about one coupon */
/* The coupons of member id (name for sentences, may be NULL), selecting
 * select_code (may be NULL) once they load. */
struct view *open_coupons_view(struct app *app, int64_t id, const char *name, const char *select_code);
/* Looks a coupon code up for v; the answer comes back to v with tag and
 * goes to coupon_lookup_finish, which opens the owner's coupons with the
 * code selected (code: the one looked up, for the messages). */
bool coupon_lookup_start(struct view *v, const char *code, int tag);
void coupon_lookup_finish(struct view *v, struct api_result *res, const char *code);

#endif
