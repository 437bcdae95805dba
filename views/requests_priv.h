/*
 * requests_priv.h - the approval queue's state, shared by its two files:
 * views/requests.c (the list: loading, filters, risk flags, refresh) and
 * views/requests_bulk.c (marking, the preview, the concurrent decisions
 * and the result screen).
 */
#ifndef MC_VIEWS_REQUESTS_PRIV_H
#define MC_VIEWS_REQUESTS_PRIV_H

#include "views/request_decide.h"

/* Result tags: kind in the high bits, an index or sequence below. */
#define RQ_TAG(kind, idx) (((kind) << 20) | ((idx) & 0xfffff))
#define RQ_TAG_KIND(tag) ((tag) >> 20)
#define RQ_TAG_IDX(tag) ((tag) & 0xfffff)
enum { RQ_K_PAGE = 1, RQ_K_HISTORY, RQ_K_LOOKUP, RQ_K_DECIDE, RQ_K_BULK };

enum { RQ_FLAG_BIG = 1 << 0, RQ_FLAG_RECENT = 1 << 1, RQ_FLAG_MINE = 1 << 2 };

struct rq_row {
    struct mc_request r;        /* owned strings */
    bool marked;
    unsigned flags;             /* RQ_FLAG_* */
    char decided[16];           /* what this console decided since the last load, or "" */
};

/* A member's goodwill of the last 30 days, fetched once per member. */
struct rq_member {
    int64_t id;                 /* 0 while only the mobile is known */
    char mobile[32];
    bool loading, known, recent;
};

enum rq_mode { RQ_LIST, RQ_PREVIEW, RQ_RESULTS };
enum rq_out { RQ_OUT_WAIT, RQ_OUT_OK, RQ_OUT_FAILED, RQ_OUT_UNKNOWN };

struct rq_bulk {
    int64_t id, customer;
    char type[24], base[24];
    bool has_points;
    double points;
    char line[200];             /* member and amount, for the preview and the results */
    enum rq_out out;
    char msg[200];
    long audit;
};

struct queue {
    struct decide decide;       /* first member: the single-decision flow */
    struct rq_row *rows;        /* oldest first (owned) */
    size_t n;
    long total;                 /* matches on the server, -1 unknown */
    size_t *visible;            /* rows passing the text filter (owned) */
    size_t n_visible;
    struct list_pos pos;
    int64_t keep_id;            /* the request under the cursor, kept across loads */
    /* loading */
    unsigned load_seq;          /* answers of older loads are dropped */
    bool loading;
    struct rq_row *incoming;    /* pages of the load in progress (owned) */
    size_t n_in, cap_in;
    char error[200];            /* the last load's failure, or "" */
    long long loaded_at;        /* wall clock of the last complete load, 0 = never */
    /* filters */
    char f_type[24], f_base[24], f_status[16], f_from[16], f_to[16], f_by[64], f_member[128];
    char rows_key[320];         /* the server filters the rows were loaded with */
    char text_filter[128];
    /* members' recent goodwill */
    struct rq_member *members;  /* owned */
    size_t n_members, cap_members;
    /* bulk */
    enum rq_mode mode;
    bool bulk_approve;
    struct rq_bulk *bulk;       /* owned */
    size_t n_bulk, bulk_waiting, left_out_mine;
    struct list_pos bulk_pos;
};

static inline struct queue *Q(struct view *v) { return v->priv; }

/* requests.c */
struct rq_row *rq_find(struct queue *q, int64_t id);
void rq_rebuild_visible(struct view *v);
void rq_reload(struct view *v);
/* Rows of the list area (between the header lines and the footer). */
int rq_list_height(const struct view *v);

/* requests_bulk.c */
void rq_bulk_start(struct view *v, bool approve);
void rq_bulk_result(struct view *v, struct api_result *res);
bool rq_bulk_action(struct view *v, enum action a);
bool rq_bulk_key(struct view *v, int key);
void rq_bulk_draw(struct view *v, WINDOW *w);
void rq_bulk_free(struct queue *q);

#endif
