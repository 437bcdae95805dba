/*
 * bench_draw.c - one full frame of the ledger screen: the real view
 * (views/ledger.c) filled with a decoded 100-row page of a 106,613-row
 * ledger, drawn by its draw() into its window, the header and status bars
 * drawn, and the whole screen sent with doupdate() after clearok(curscr),
 * so every cell goes out as on a first paint or a resize. Output goes to a
 * temporary file through newterm(), so the bytes of a frame are counted too.
 *
 * Usage: bench_draw COLS ROWS [RUNS]  (default 80 24 200)
 * Prints one JSON object: {"cols":..,"rows":..,"runs":..,"draw_ms":..
 * (the view's draw() alone, median), "frame_ms":.. (draw + doupdate,
 * median), "frame_bytes":..}
 *
 * It builds the application state by hand (tui/app_priv.h) instead of
 * running the event loop, because a frame is what is measured.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tests/bench/bench_page.h"
#include "tui/app_priv.h"
#include "views/ledger_view.h"

/* CPU time of this thread: on a shared machine wall time mostly measures
 * the other processes. */
static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void roles(struct app *app)
{
    static const struct { short fg, bg; attr_t extra; } pal[ROLE_COUNT] = {
        [ROLE_HEADER] = {COLOR_WHITE, COLOR_BLUE, A_BOLD},
        [ROLE_STATUS] = {COLOR_WHITE, COLOR_BLACK, 0},
        [ROLE_TITLE] = {COLOR_CYAN, -1, A_BOLD},
        [ROLE_LABEL] = {COLOR_CYAN, -1, 0},
        [ROLE_DIM] = {-1, -1, A_DIM},
        [ROLE_SELECTED] = {COLOR_BLACK, COLOR_CYAN, 0},
        [ROLE_OK] = {COLOR_GREEN, -1, 0},
        [ROLE_WARN] = {COLOR_YELLOW, -1, A_BOLD},
        [ROLE_ERROR] = {COLOR_RED, -1, A_BOLD},
    };
    start_color();
    use_default_colors();
    for (int r = 1; r < ROLE_COUNT; r++) {
        if (pal[r].fg == 0 && pal[r].bg == 0) {
            app->attrs[r] = pal[r].extra;
            continue;
        }
        init_pair((short)r, pal[r].fg, pal[r].bg);
        app->attrs[r] = COLOR_PAIR(r) | pal[r].extra;
    }
}

static void feed(struct view *v, enum api_kind kind, int tag, void *data)
{
    struct api_result *res = calloc(1, sizeof *res);
    if (!res)
        abort();
    res->kind = kind;
    res->tag = tag;
    res->data = data;
    res->owner = v->id;
    res->generation = v->generation;
    v->ops->on_result(v, res);
}

int main(int argc, char **argv)
{
    int cols = argc > 1 ? atoi(argv[1]) : 80;
    int rows = argc > 2 ? atoi(argv[2]) : 24;
    int runs = argc > 3 ? atoi(argv[3]) : 200;
    if (cols < 40 || rows < 12 || runs < 1)
        return 2;
    setlocale(LC_ALL, "C.UTF-8");
    char num[16];
    snprintf(num, sizeof num, "%d", rows);
    setenv("LINES", num, 1);
    snprintf(num, sizeof num, "%d", cols);
    setenv("COLUMNS", num, 1);
    FILE *out = tmpfile();
    FILE *in = fopen("/dev/null", "r");
    if (!out || !in)
        return 1;
    SCREEN *scr = newterm("xterm-256color", out, in);
    if (!scr) {
        fprintf(stderr, "bench_draw: no xterm-256color terminfo\n");
        return 1;
    }
    struct app *app = calloc(1, sizeof *app);
    struct keymap *km = keymap_new();
    char err[256];
    if (!app || !km || keymap_load_defaults(km, err, sizeof err) != 0)
        return 1;
    app->cfg.km = km;
    app->cfg.till = "demo.agent";
    app->cfg.cluster = "127.0.0.1";
    app->rows = rows;
    app->cols = cols;
    app->color = true;
    roles(app);
    app->header = newwin(1, cols, 0, 0);
    app->status = newwin(1, cols, rows - 1, 0);
    app->header_panel = new_panel(app->header);
    app->status_panel = new_panel(app->status);

    struct view_args args = {.customer_id = 565000100, .query = "mobile=919845000100"};
    struct view *v = app_push(app, &ledger_view_ops, &args);
    if (!v)
        return 1;
    size_t len;
    char *body = bench_ledger_body(0, 100, 106613, &len);
    void *page;
    struct api_error e;
    if (api_decode(API_LEDGER_PAGE, 200, body, len, &page, &e) != API_OK)
        return 1;
    free(body);
    feed(v, API_LEDGER_PAGE, TAG(TAG_PAGE, 0), page);
    struct mc_ledger_balance *bal = calloc(1, sizeof *bal);
    if (!bal)
        return 1;
    bal->main = 583000;
    bal->has_main = true;
    feed(v, API_LEDGER_BALANCE, TAG(TAG_CLOSING, 0), bal);
    app->msg[0] = '\0';

    double *draw = malloc(sizeof *draw * (size_t)runs), *frame = malloc(sizeof *frame * (size_t)runs);
    if (!draw || !frame)
        return 1;
    long bytes = 0;
    for (int r = 0; r < runs; r++) {
        fflush(out);
        off_t before = lseek(fileno(out), 0, SEEK_END);
        clearok(curscr, TRUE);
        double t0 = now_ms();
        werase(v->win);
        v->ops->draw(v, v->win);
        double t1 = now_ms();
        bars_draw_header(app);
        bars_draw_status(app);
        update_panels();
        doupdate();
        fflush(out);
        double t2 = now_ms();
        draw[r] = t1 - t0;
        frame[r] = t2 - t0;
        bytes = (long)(lseek(fileno(out), 0, SEEK_END) - before);
    }
    qsort(draw, (size_t)runs, sizeof *draw, cmp);
    qsort(frame, (size_t)runs, sizeof *frame, cmp);
    printf("{\"cols\":%d,\"rows\":%d,\"runs\":%d,\"draw_ms\":%.4f,\"frame_ms\":%.4f,"
           "\"frame_bytes\":%ld}\n",
           cols, rows, runs, draw[runs / 2], frame[runs / 2], bytes);
    free(draw);
    free(frame);
    app_pop(app);
    del_panel(app->header_panel);
    del_panel(app->status_panel);
    delwin(app->header);
    delwin(app->status);
    endwin();
    delscreen(scr);
    keymap_free(&km);
    free(app);
    fclose(in);
    fclose(out);
    return 0;
}
