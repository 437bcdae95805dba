/*
 * search.c - the first screen: find a member.
 *
 * The agent types a mobile number, email, external id, card number or part
 * of a name and presses Enter. Something that looks like an identifier is
 * looked up exactly first (GET /v2/customers/lookup/customerDetails) and an
 * exact match opens the member at once; otherwise, and when the lookup finds
 * nobody, GET /v2/customers/search lists the matches, paged as the cursor
 * nears the end. Each listed member's tier and points are filled in by a
 * GET /v2/customers/{id} per loaded row, all in flight together.
 *
 * Keys: text editing in the query field; Enter searches / opens; Down or Tab
 * moves to the list; `e`, F2 or Esc (in the list) go back to the query;
 * `/` filters the loaded rows. Commands: `:search QUERY`, `:find QUERY`,
 * `:customer IDENTIFIER` (id:NNN for a customer id), `:coupon CODE` (also
 * `coupon:CODE` in the field: finds the coupon's owner, views/coupon_lookup.c).
 * Children: the customer screen; the owner's coupons.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tui/lineedit.h"
#include "tui/text.h"
#include "views/views.h"

#define PAGE_SIZE 20
#define PREFETCH_ROWS 5

enum { TAG_LOOKUP = 1, TAG_SEARCH, TAG_MORE, TAG_OPEN, TAG_COUPON, TAG_DETAIL_BASE = 1000 };

struct hit_extra {
    char tier[32];
    double points;
    bool have;
};

struct search {
    struct lineedit input;
    bool focus_list;
    char query[256];              /* the query last sent */
    char rows_query[256];         /* the query the rows belong to */
    bool open_single;             /* open at once when the lookup matches */
    struct mc_search_page **pages;/* owned, in offset order */
    size_t n_pages;
    long n_rows, total;
    bool loading_more;
    struct hit_extra *extra;      /* n_rows entries */
    struct list_pos pos;          /* over visible rows */
    char filter[128];
    long *visible;                /* indexes of rows passing the filter */
    long n_visible;
};

static struct search *S(struct view *v) { return v->priv; }

static struct mc_search_hit *row_at(struct search *s, long row)
{
    for (size_t i = 0; i < s->n_pages; i++) {
        if (row < (long)s->pages[i]->n)
            return &s->pages[i]->hits[row];
        row -= (long)s->pages[i]->n;
    }
    return NULL;
}

static void clear_rows(struct search *s)
{
    for (size_t i = 0; i < s->n_pages; i++)
        mc_search_page_free(&s->pages[i]);
    free(s->pages);
    free(s->extra);
    free(s->visible);
    s->pages = NULL;
    s->extra = NULL;
    s->visible = NULL;
    s->n_pages = 0;
    s->n_rows = s->total = s->n_visible = 0;
    s->pos.cursor = -1;
    s->pos.top = 0;
    s->loading_more = false;
}

static bool contains_ci(const char *hay, const char *needle)
{
    if (!hay)
        return false;
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return false;
}

static bool row_matches(const struct mc_search_hit *h, const char *f)
{
    if (!*f)
        return true;
    char name[256];
    snprintf(name, sizeof name, "%s %s", h->first_name ? h->first_name : "", h->last_name ? h->last_name : "");
    return contains_ci(name, f) || contains_ci(h->mobile, f) || contains_ci(h->email, f) ||
           contains_ci(h->external_id, f);
}

static void rebuild_visible(struct search *s)
{
    long keep = s->pos.cursor >= 0 && s->pos.cursor < s->n_visible ? s->visible[s->pos.cursor] : -1;
    free(s->visible);
    s->visible = s->n_rows ? malloc(sizeof *s->visible * (size_t)s->n_rows) : NULL;
    if (s->n_rows && !s->visible)
        abort();
    s->n_visible = 0;
    long newpos = 0;
    for (long i = 0; i < s->n_rows; i++) {
        if (!row_matches(row_at(s, i), s->filter))
            continue;
        if (i == keep)
            newpos = s->n_visible;
        s->visible[s->n_visible++] = i;
    }
    s->pos.cursor = s->n_visible ? newpos : -1;
}

static void submit_query(struct view *v, const char *q)
{
    struct search *s = S(v);
    while (isspace((unsigned char)*q))
        q++;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", q);
    for (size_t n = strlen(buf); n > 0 && isspace((unsigned char)buf[n - 1]); n--)
        buf[n - 1] = '\0';
    if (!buf[0]) {
        app_status(v->app, STATUS_INFO, "Type a mobile number, email, external id, card number or name");
        return;
    }
    view_cancel(v);
    s->loading_more = false; /* a page on its way was cancelled with the rest */
    snprintf(s->query, sizeof s->query, "%s", buf);
    if (strncasecmp(buf, "coupon:", 7) == 0) {
        coupon_lookup_start(v, buf + 7, TAG_COUPON);
        return;
    }
    const char *idname = api_guess_identifier(buf);
    if (idname)
        view_submit(v, api_customer_lookup(idname, buf), TAG_LOOKUP);
    else
        view_submit(v, api_customer_search(buf, 0, PAGE_SIZE), TAG_SEARCH);
    app_status(v->app, STATUS_INFO, "Searching for '%s'...", buf);
}

static void focus_input(struct view *v)
{
    S(v)->focus_list = false;
    view_dirty(v);
}

static int search_open(struct view *v, const struct view_args *args)
{
    struct search *s = S(v);
    lineedit_init(&s->input, 200, false);
    s->pos.cursor = -1;
    view_set_crumb(v, "Search");
    if (args->query && *args->query) {
        lineedit_set(&s->input, args->query);
        submit_query(v, args->query);
    }
    return 0;
}

static void search_close(struct view *v)
{
    struct search *s = S(v);
    clear_rows(s);
    lineedit_done(&s->input);
}

static void open_row(struct view *v)
{
    struct search *s = S(v);
    if (s->pos.cursor < 0 || s->pos.cursor >= s->n_visible)
        return;
    struct mc_search_hit *h = row_at(s, s->visible[s->pos.cursor]);
    if (!h)
        return;
    char name[160];
    snprintf(name, sizeof name, "%s %s", h->first_name ? h->first_name : "", h->last_name ? h->last_name : "");
    open_customer_view(v->app, h->id, name);
}

static void request_details(struct view *v, long from)
{
    struct search *s = S(v);
    for (long i = from; i < s->n_rows; i++) {
        struct mc_search_hit *h = row_at(s, i);
        if (h && h->id > 0)
            view_submit(v, api_customer_get(h->id), TAG_DETAIL_BASE + (int)i);
    }
}

static void add_page(struct view *v, struct mc_search_page *page)
{
    struct search *s = S(v);
    struct mc_search_page **np = realloc(s->pages, sizeof *np * (s->n_pages + 1));
    struct hit_extra *ne = realloc(s->extra, sizeof *ne * (size_t)(s->n_rows + (long)page->n + 1));
    if (!np || !ne)
        abort();
    s->pages = np;
    s->extra = ne;
    memset(s->extra + s->n_rows, 0, sizeof *ne * (page->n + 1));
    s->pages[s->n_pages++] = page;
    long from = s->n_rows;
    s->n_rows += (long)page->n;
    s->total = page->total > s->n_rows ? page->total : s->n_rows;
    rebuild_visible(s);
    request_details(v, from);
}

static void maybe_load_more(struct view *v)
{
    struct search *s = S(v);
    if (s->loading_more || s->n_rows >= s->total || s->n_rows == 0 || s->filter[0])
        return;
    if (s->pos.cursor + PREFETCH_ROWS < s->n_visible)
        return;
    s->loading_more = true;
    view_submit(v, api_customer_search(s->rows_query, s->n_rows, PAGE_SIZE), TAG_MORE);
}

static void on_search_page(struct view *v, struct api_result *res)
{
    struct search *s = S(v);
    struct mc_search_page *page = API_DATA(res, SEARCH, struct mc_search_page);
    if (!page) {
        app_status_error(v->app, "Search failed", &res->err);
        return;
    }
    res->data = NULL;
    if (res->tag == TAG_SEARCH) {
        clear_rows(s);
        s->filter[0] = '\0';
        snprintf(s->rows_query, sizeof s->rows_query, "%s", s->query);
    }
    s->loading_more = false;
    add_page(v, page);
    if (s->n_rows == 0) {
        app_status(v->app, STATUS_WARN, "No member found for '%s'", s->query);
        s->focus_list = false;
        return;
    }
    if (res->tag == TAG_SEARCH) {
        s->focus_list = true;
        s->pos.cursor = 0;
        s->pos.top = 0;
        app_status(v->app, STATUS_OK, "%ld member%s match '%s'", s->total, s->total == 1 ? "" : "s",
                   s->query);
    }
}

static void search_result(struct view *v, struct api_result *res)
{
    struct search *s = S(v);
    if (res->tag == TAG_COUPON) {
        coupon_lookup_finish(v, res, s->query + 7);
        return;
    }
    if (res->tag == TAG_LOOKUP) {
        struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
        if (c) {
            res->data = NULL;
            char name[160];
            snprintf(name, sizeof name, "%s %s", c->first_name ? c->first_name : "",
                     c->last_name ? c->last_name : "");
            app_status(v->app, STATUS_OK, "Found %s", name);
            struct view_args args = {.customer_id = c->id, .name = name, .customer = c};
            app_push(v->app, &customer_view_ops, &args);
        } else if (res->err.http_status == 404
                   || (res->err.kind == API_REMOTE && res->err.http_status < 500)) {
            /* no exact match (not found, or not a whole identifier): a partial
             * identifier may still match in search. A server failure is said
             * as it is, not hidden behind a second request to the same server. */
            view_submit(v, api_customer_search(s->query, 0, PAGE_SIZE), TAG_SEARCH);
        } else {
            app_status_error(v->app, "Lookup failed", &res->err);
        }
    } else if (res->tag == TAG_SEARCH || res->tag == TAG_MORE) {
        if (res->tag == TAG_MORE)
            s->loading_more = false;
        on_search_page(v, res);
    } else if (res->tag >= TAG_DETAIL_BASE) {
        long row = res->tag - TAG_DETAIL_BASE;
        struct mc_customer *c = API_DATA(res, CUSTOMER, struct mc_customer);
        if (c && row < s->n_rows) {
            snprintf(s->extra[row].tier, sizeof s->extra[row].tier, "%s", c->tier ? c->tier : "");
            s->extra[row].points = c->points_current;
            s->extra[row].have = true;
        }
    }
    api_result_free(&res);
}

static bool search_key(struct view *v, int key)
{
    struct search *s = S(v);
    if (s->focus_list)
        return false;
    bool empty = lineedit_text(&s->input)[0] == '\0';
    switch (key) {
    case MC_KEY_ENTER:
        submit_query(v, lineedit_text(&s->input));
        return true;
    case MC_KEY_DOWN:
    case MC_KEY_TAB:
        if (s->n_visible > 0) {
            s->focus_list = true;
            view_dirty(v);
        }
        return true;
    case MC_KEY_ESC:
        if (empty)
            return false;
        lineedit_set(&s->input, "");
        view_dirty(v);
        return true;
    case ':':
    case '?':
        if (empty)
            return false; /* command line and help stay one key away */
        break;
    default:
        break;
    }
    if (key >= MC_KEY_F1 && key <= MC_KEY_F12)
        return false;
    if (key == MC_KEY_CTRL('r') || key == MC_KEY_CTRL('c') || key == MC_KEY_PGUP || key == MC_KEY_PGDN)
        return false;
    if (lineedit_key(&s->input, key))
        view_dirty(v);
    return true;
}

static bool search_takes_text(struct view *v)
{
    return !S(v)->focus_list;
}

static bool search_action(struct view *v, enum action a)
{
    struct search *s = S(v);
    long height = v->rows - 6;
    switch (a) {
    case ACTION_EDIT_QUERY:
        focus_input(v);
        return true;
    case ACTION_BACK:
        if (s->focus_list) {
            focus_input(v);
            return true;
        }
        return false;
    case ACTION_OPEN:
        open_row(v);
        return true;
    case ACTION_UP:
        if (s->pos.cursor <= 0) {
            focus_input(v);
            return true;
        }
        break;
    default:
        break;
    }
    if (list_nav(&s->pos, a, s->n_visible, (int)(height > 0 ? height : 1))) {
        maybe_load_more(v);
        return true;
    }
    return false;
}

static void search_refresh(struct view *v)
{
    struct search *s = S(v);
    if (s->query[0])
        submit_query(v, s->query);
}

static void search_filter(struct view *v, const char *text)
{
    struct search *s = S(v);
    snprintf(s->filter, sizeof s->filter, "%s", text);
    rebuild_visible(s);
    list_clamp(&s->pos, s->n_visible, v->rows - 6);
}

static bool search_command(struct view *v, const char *verb, const char *arg)
{
    struct search *s = S(v);
    if (strcmp(verb, "search") == 0 || strcmp(verb, "find") == 0) {
        if (*arg) {
            lineedit_set(&s->input, arg);
            submit_query(v, arg);
        }
        focus_input(v);
        return true;
    }
    if (strcmp(verb, "coupon") == 0) {
        char q[256];
        snprintf(q, sizeof q, "coupon:%s", arg);
        lineedit_set(&s->input, q);
        submit_query(v, q);
        return true;
    }
    if (strcmp(verb, "customer") == 0) {
        if (!*arg) {
            app_status(v->app, STATUS_WARN, "Usage: :customer MOBILE|EMAIL|EXTERNAL-ID|CARD|id:NNN");
            return true;
        }
        if (strncmp(arg, "id:", 3) == 0) {
            char *end;
            long long id = strtoll(arg + 3, &end, 10);
            if (id <= 0 || *end) {
                app_status(v->app, STATUS_ERROR, "Not a customer id: '%s'", arg + 3);
                return true;
            }
            open_customer_view(v->app, (int64_t)id, NULL);
            return true;
        }
        const char *idname = api_guess_identifier(arg);
        if (!idname) {
            app_status(v->app, STATUS_ERROR, "'%s' is not a mobile, email, external id or card number", arg);
            return true;
        }
        view_cancel(v);
        s->loading_more = false;
        snprintf(s->query, sizeof s->query, "%s", arg);
        lineedit_set(&s->input, arg);
        view_submit(v, api_customer_lookup(idname, arg), TAG_LOOKUP);
        return true;
    }
    return false;
}

static void draw_row(struct view *v, WINDOW *w, int y, long row, bool selected)
{
    struct search *s = S(v);
    const struct app *app = v->app;
    struct mc_search_hit *h = row_at(s, row);
    if (!h)
        return;
    int cols = v->cols;
    int wmob = 14, wtier = 10, wpts = 10;
    int rest = cols - 2 - wmob - wtier - wpts - 3;
    int wname = rest * 45 / 100, wmail = rest - wname;
    enum role r = selected ? ROLE_SELECTED : ROLE_NORMAL;
    if (selected)
        tui_fill(app, w, y, 0, cols, ROLE_SELECTED);
    char name[256];
    snprintf(name, sizeof name, "%s %s", h->first_name ? h->first_name : "", h->last_name ? h->last_name : "");
    int x = 1;
    tui_put(app, w, y, x, wname, name, r);
    x += wname + 1;
    tui_put(app, w, y, x, wmob, h->mobile ? h->mobile : "", r);
    x += wmob + 1;
    tui_put(app, w, y, x, wmail, h->email ? h->email : "", r);
    x += wmail + 1;
    struct hit_extra *e = &s->extra[row];
    tui_put(app, w, y, x, wtier, e->have ? e->tier : "", selected ? r : ROLE_ACCENT);
    x += wtier;
    char pts[32] = "";
    if (e->have)
        text_format_number(e->points, pts, sizeof pts);
    tui_put_right(app, w, y, x, wpts, pts, r);
}

static void search_draw(struct view *v, WINDOW *w)
{
    struct search *s = S(v);
    const struct app *app = v->app;
    int cols = v->cols;
    tui_put(app, w, 0, 1, 14, "Find member:", ROLE_LABEL);
    int fx = 15, fw = cols - fx - 2;
    size_t first = 0;
    int ccol = 0;
    lineedit_view(&s->input, fw, &first, &ccol);
    tui_fill(app, w, 0, fx - 1, fw + 2, s->focus_list ? ROLE_NORMAL : ROLE_SELECTED);
    tui_put(app, w, 0, fx, fw, lineedit_text(&s->input) + first, s->focus_list ? ROLE_NORMAL : ROLE_SELECTED);
    if (!s->focus_list)
        tui_cursor(v->app, w, 0, fx + ccol);

    if (s->n_rows == 0) {
        tui_put(app, w, 1, 1, cols - 2,
                "Mobile, email, external id, card, name or coupon:CODE; Enter searches.", ROLE_DIM);
    } else {
        char sum[512];
        if (s->filter[0])
            snprintf(sum, sizeof sum, "%ld of %ld loaded match filter '%s' (%ld in all)", s->n_visible,
                     s->n_rows, s->filter, s->total);
        else
            snprintf(sum, sizeof sum, "%ld member%s match '%s' (%ld loaded)", s->total,
                     s->total == 1 ? "" : "s", s->rows_query, s->n_rows);
        tui_put(app, w, 1, 1, cols - 2, sum, ROLE_DIM);
    }
    tui_hline(app, w, 2, 0, cols);
    if (s->n_rows == 0)
        return;
    int wmob = 14, wtier = 10, wpts = 10;
    int rest = cols - 2 - wmob - wtier - wpts - 3;
    int wname = rest * 45 / 100, wmail = rest - wname;
    int x = 1;
    tui_put(app, w, 3, x, wname, "Name", ROLE_TITLE);
    x += wname + 1;
    tui_put(app, w, 3, x, wmob, "Mobile", ROLE_TITLE);
    x += wmob + 1;
    tui_put(app, w, 3, x, wmail, "Email", ROLE_TITLE);
    x += wmail + 1;
    tui_put(app, w, 3, x, wtier, "Tier", ROLE_TITLE);
    x += wtier;
    tui_put_right(app, w, 3, x, wpts, "Points", ROLE_TITLE);

    int height = v->rows - 6;
    if (height < 1)
        height = 1;
    list_clamp(&s->pos, s->n_visible, height);
    for (int i = 0; i < height; i++) {
        long vi = s->pos.top + i;
        if (vi >= s->n_visible)
            break;
        draw_row(v, w, 4 + i, s->visible[vi], s->focus_list && vi == s->pos.cursor);
    }
    const char *hint = s->focus_list ? "Enter open  e new search  / filter  : command  ? help"
                                     : "Enter search  Down/Tab results  F1 help  Q quit";
    tui_put(app, w, v->rows - 1, 1, cols - 2, hint, ROLE_DIM);
}

/* y: the member id of the focused row; Y: the row as shown. */
static bool search_copy(struct view *v, bool whole_row, char *label, size_t labellen, char *text,
                        size_t textlen)
{
    struct search *s = S(v);
    if (!s->focus_list || s->pos.cursor < 0 || s->pos.cursor >= s->n_visible)
        return false;
    long row = s->visible[s->pos.cursor];
    const struct mc_search_hit *h = row_at(s, row);
    if (!h)
        return false;
    if (!whole_row) {
        snprintf(label, labellen, "member id");
        snprintf(text, textlen, "%lld", (long long)h->id);
        return true;
    }
    const struct hit_extra *e = &s->extra[row];
    char pts[32] = "";
    if (e->have)
        text_format_number(e->points, pts, sizeof pts);
    snprintf(label, labellen, "row");
    snprintf(text, textlen, "%s %s  %s  %s  %s  %s", h->first_name ? h->first_name : "",
             h->last_name ? h->last_name : "", h->mobile ? h->mobile : "", h->email ? h->email : "",
             e->have ? e->tier : "", pts);
    return true;
}

const struct view_ops search_view_ops = {
    .name = "search",
    .ctx = CTX_SEARCH,
    .priv_size = sizeof(struct search),
    .flags = VIEW_FILTERABLE,
    .open = search_open,
    .close = search_close,
    .draw = search_draw,
    .on_key = search_key,
    .takes_text = search_takes_text,
    .on_action = search_action,
    .on_result = search_result,
    .reload = search_refresh,
    .filter = search_filter,
    .command = search_command,
    .copy = search_copy,
};
