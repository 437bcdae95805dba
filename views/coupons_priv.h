/*
 * coupons_priv.h - what views/coupons.c (the list) and
 * views/coupon_actions.c (the writes and checks) share: the screen's state
 * and the hooks between the two halves.
 */
#ifndef MC_VIEWS_COUPONS_PRIV_H
#define MC_VIEWS_COUPONS_PRIV_H

#include "views/views.h"

enum coupons_tag {
    CTAG_LIST = 1,   /* GET /v2/customers/{id}/coupons */
    CTAG_MEMBER,     /* GET /v2/customers/{id}: name and identifiers */
    CTAG_SERIES,     /* GET /v1.1/coupon/series: the issue picker */
    CTAG_ISSUE,
    CTAG_RECHECK,    /* the member's coupons, before retrying an unanswered issue */
    CTAG_REDEEM,
    CTAG_CHECK,
    CTAG_REVOKE,
    CTAG_REACTIVATE,
    CTAG_RESEND,
    CTAG_LOOKUP,     /* :coupon CODE of another member */
};

enum coupon_write { CW_NONE, CW_ISSUE, CW_REDEEM, CW_REVOKE, CW_REACTIVATE, CW_RESEND };

/* One display line: a group title or a coupon. */
struct coupon_line {
    bool title;
    enum mc_coupon_state group;
    size_t idx;         /* coupon index in list (coupon lines) */
    int count;          /* coupons in the group (title lines) */
};

/* An issue whose answer never came (see coupon_actions.c). */
struct lost_issue {
    bool open;
    int64_t series;
    char label[64];     /* the series' code for sentences */
    char **known;       /* codes the member held before the attempt (owned) */
    size_t n_known;
    long audit;         /* its audit record, completed once the outcome is known */
    char why[160];      /* what went wrong, for the messages */
};

struct coupons {
    int64_t id;
    char name[160];                 /* "Asha Rao", or "member #id" until loaded */
    struct mc_customer *member;     /* owned: identifiers for resend */
    struct mc_coupon_list *list;    /* owned */
    bool loading, failed;
    char error[256];
    struct coupon_line *lines;      /* owned; rebuilt with the list or the filter */
    size_t n_lines;
    long coupons_shown;             /* coupon lines among them */
    struct list_pos pos;            /* over lines; the cursor rests on coupon lines */
    int list_height;                /* lines the last draw had room for */
    char filter[128];
    char want[64];                  /* code to select when the list arrives */

    struct mc_series_list *series;  /* owned: running series, for the picker */
    bool series_loading, issue_waits_series;
    int64_t *form_series;           /* owned: series id of each picker choice */
    size_t n_form_series;

    enum coupon_write form_kind;    /* which write the open form is for */
    char lookup_code[64];           /* the code of a :coupon lookup in flight */

    /* the write in flight (one at a time) */
    enum coupon_write busy;
    unsigned busy_gen;              /* the view's generation it was sent in */
    long audit;
    char act_code[64];              /* the coupon the open form or dialog is about */
    int64_t act_redemption;
    /* values carried from a form to its confirmation */
    int64_t pick_series;
    char pick_label[64], pick_discount[64], pick_valid[32];
    char bill[80], amount_text[32], reason[256];
    double amount;
    struct lost_issue lost;
};

static inline struct coupons *coupons_of(struct view *v) { return v->priv; }

/* coupons.c */
/* The coupon under the cursor, or NULL. */
const struct mc_coupon *coupons_selected(struct view *v);
/* The coupon with that code in the loaded list, or NULL. */
const struct mc_coupon *coupons_find(struct view *v, const char *code);
/* Replaces the list (takes ownership) and rebuilds the lines, keeping the
 * selection or moving it to want. */
void coupons_set_list(struct view *v, struct mc_coupon_list *list);
/* Puts the cursor on the coupon with that code, if shown. */
void coupons_select(struct view *v, const char *code);
/* Reloads the list, selecting code (may be NULL) when it arrives. */
void coupons_reload_list(struct view *v, const char *code);

/* coupon_actions.c */
/* The write and check actions; true when a is one of them. */
bool coupon_actions_run(struct view *v, enum action a);
/* Results of the action tags (takes ownership of res). */
void coupon_actions_result(struct view *v, struct api_result *res);
/* Called after each new list: settles an unanswered issue when it shows. */
void coupon_actions_list_arrived(struct view *v);
/* The screen closes: completes audit records still open, frees. */
void coupon_actions_close(struct view *v);
/* Whether the write in flight had its answer dropped (Esc cancels a
 * screen's requests, writes included, without telling the screen). */
bool coupon_actions_dropped(struct view *v);
/* Settles such a write: its outcome is unknown, so it is treated like a
 * lost answer and the list reloads. Called first by every callback that may
 * send a request. */
void coupon_actions_settle_dropped(struct view *v);

#endif
