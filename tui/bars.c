/*
 * bars.c - the header (breadcrumbs, till, cluster, [RO]) and the status
 * line (levelled messages, spinner with elapsed time).
 *
 * The spinner appears only after a job has been in flight for 300 ms, so
 * fast answers do not flicker, and is drawn in place: one cell and the
 * elapsed time change per frame, which keeps thin links quiet.
 */
#include <stdio.h>
#include <string.h>

#include "tui/app_priv.h"
#include "tui/text.h"

#define SPINNER_DELAY_MS 300
#define SPINNER_STEP_MS 120

/* The last crumbs that fit in width columns, with an ellipsis in front
 * when earlier ones had to go: where the agent is matters most. */
static void fit_crumbs_left(const struct app *app, const char *crumbs, int width, char *out, size_t n)
{
    const char *p = crumbs;
    while (*p && text_width(p, strlen(p), app->ascii) > width - 1) {
        p++;
        while ((*p & 0xC0) == 0x80)
            p++;
    }
    if (p == crumbs)
        snprintf(out, n, "%s", crumbs);
    else
        snprintf(out, n, "%s%s", app->ascii ? "~" : "\xe2\x80\xa6", p);
}

void bars_draw_header(struct app *app)
{
    WINDOW *w = app->header;
    int cols = app->cols;
    wattrset(w, tui_attr(app, ROLE_HEADER));
    mvwhline(w, 0, 0, ' ', cols);

    const char *sep = app->ascii ? " > " : " \xe2\x80\xba ";
    char crumbs[512] = "";
    size_t len = 0;
    int starts[APP_MAX_DEPTH] = {0}, ends[APP_MAX_DEPTH] = {0}, n_crumbs = 0;
    for (int i = 0; i < app->depth; i++) {
        char fitted[96], masked[192];
        const char *c = app->stack[i]->crumb;
        if (app->mask)
            c = mask_text(c, &app->names, app->ascii, masked, sizeof masked);
        text_fit(c, strlen(c), 40, app->ascii, fitted, sizeof fitted);
        int k = snprintf(crumbs + len, sizeof crumbs - len, "%s%s", i == 0 ? "" : sep, fitted);
        if (k < 0 || (size_t)k >= sizeof crumbs - len)
            break;
        len += (size_t)k;
        ends[i] = text_width(crumbs, len, app->ascii);
        starts[i] = ends[i] - text_width(fitted, strlen(fitted), app->ascii);
        n_crumbs = i + 1;
    }
    int ro = app->cfg.readonly ? 5 : 0;
    int avail = cols - ro - 1;
    char full[640], out[700];
    snprintf(full, sizeof full, " membercare %s %s", app->ascii ? "|" : "\xe2\x94\x82", crumbs);
    int crumbs_w = text_width(crumbs, strlen(crumbs), app->ascii);
    int lead; /* columns before the first visible crumb text */
    if (text_width(full, strlen(full), app->ascii) <= avail) {
        snprintf(out, sizeof out, "%s", full);
        lead = text_width(full, strlen(full), app->ascii) - crumbs_w;
    } else {
        char tail[640];
        fit_crumbs_left(app, crumbs, avail - 1, tail, sizeof tail);
        snprintf(out, sizeof out, " %s", tail);
        lead = 2; /* " " and the ellipsis */
    }
    /* where each crumb landed, for mouse clicks; what the ellipsis hid is no target */
    int hidden = crumbs_w - (text_width(out, strlen(out), app->ascii) - lead);
    for (int i = 0; i < APP_MAX_DEPTH; i++) {
        int x0 = i < n_crumbs ? starts[i] - hidden : 0, x1 = i < n_crumbs ? ends[i] - hidden : 0;
        if (x0 < 0)
            x0 = 0;
        app->crumb_x0[i] = x0 < x1 ? x0 + lead : 0;
        app->crumb_x1[i] = x0 < x1 ? x1 + lead : 0;
    }
    int used = text_width(out, strlen(out), app->ascii);
    wattrset(w, tui_attr(app, ROLE_HEADER));
    mvwaddstr(w, 0, 0, out);

    /* the till and cluster take what is left, and go when too little is */
    char right[192];
    snprintf(right, sizeof right, " %s@%s%s%s%s ", app->cfg.till ? app->cfg.till : "?",
             app->cfg.cluster ? app->cfg.cluster : "?", app->cfg.profile ? " (" : "",
             app->cfg.profile ? app->cfg.profile : "", app->cfg.profile ? ")" : "");
    int rw = text_width(right, strlen(right), app->ascii);
    int room = cols - ro - used - 2;
    if (room >= 12) {
        if (rw > room)
            rw = room;
        /* the till and host are no one's personal data: never masked */
        char fitted[192];
        text_fit(right, strlen(right), rw, app->ascii, fitted, sizeof fitted);
        wattrset(w, tui_attr(app, ROLE_HEADER));
        mvwaddstr(w, 0, cols - rw - ro, fitted);
    }
    if (ro) {
        wattrset(w, tui_attr(app, ROLE_HEADER) | A_REVERSE);
        mvwaddstr(w, 0, cols - ro, "[RO] ");
    }
    wattrset(w, A_NORMAL);
}

static enum role level_role(enum status_level l)
{
    switch (l) {
    case STATUS_OK: return ROLE_OK;
    case STATUS_WARN: return ROLE_WARN;
    case STATUS_ERROR: return ROLE_ERROR;
    default: return ROLE_STATUS;
    }
}

static void draw_prompt(struct app *app)
{
    WINDOW *w = app->status;
    const char *lead = app->prompt.kind == PROMPT_COMMAND ? ":" : "/";
    wattrset(w, A_NORMAL);
    mvwhline(w, 0, 0, ' ', app->cols);
    mvwaddstr(w, 0, 0, lead);
    int width = app->cols - 2;
    const char *t = lineedit_text(&app->prompt.le);
    /* the verb's synopsis at the right, while the line leaves room for it */
    char hint[320];
    prompt_hint(app, hint, sizeof hint);
    int tw = text_width(t, strlen(t), app->ascii);
    int room = app->cols - 1 - tw - 4;
    if (hint[0] && room >= 16) {
        int hw = text_width(hint, strlen(hint), app->ascii);
        if (hw > room)
            hw = room;
        tui_put(app, w, 0, app->cols - hw - 1, hw, hint, ROLE_DIM);
        width = app->cols - hw - 4;
    }
    size_t first = 0;
    int ccol = 0;
    lineedit_view(&app->prompt.le, width, &first, &ccol);
    tui_put(app, w, 0, 1, width, t + first, ROLE_NORMAL);
    tui_cursor(app, w, 0, 1 + ccol);
}

void bars_draw_status(struct app *app)
{
    if (app->prompt.kind != PROMPT_NONE) {
        draw_prompt(app);
        return;
    }
    WINDOW *w = app->status;
    int cols = app->cols;
    wattrset(w, tui_attr(app, ROLE_STATUS));
    mvwhline(w, 0, 0, ' ', cols);

    char right[64] = "";
    double now = app_now_ms();
    if (app->busy_since > 0 && now - app->busy_since >= SPINNER_DELAY_MS) {
        static const char *const uni[] = {"\xe2\xa0\x8b", "\xe2\xa0\x99", "\xe2\xa0\xb9",
                                          "\xe2\xa0\xb8", "\xe2\xa0\xbc", "\xe2\xa0\xb4",
                                          "\xe2\xa0\xa6", "\xe2\xa0\xa7", "\xe2\xa0\x87",
                                          "\xe2\xa0\x8f"};
        static const char *const asc[] = {"|", "/", "-", "\\"};
        int f = (int)((now - app->busy_since) / SPINNER_STEP_MS);
        const char *glyph = app->ascii ? asc[f % 4] : uni[f % 10];
        snprintf(right, sizeof right, "%s loading %.1fs (Esc cancels) ", glyph,
                 (now - app->busy_since) / 1000.0);
    } else if (api_in_flight(app->cfg.api) > 0) {
        snprintf(right, sizeof right, "%s ", app->ascii ? "..." : "\xe2\x80\xa6");
    } else {
        snprintf(right, sizeof right, "? help ");
    }
    int rw = text_width(right, strlen(right), app->ascii);
    if (app->msg[0] && (app->msg_until == 0 || now < app->msg_until))
        tui_put(app, w, 0, 1, cols - rw - 2, app->msg, level_role(app->msg_level));
    wattrset(w, tui_attr(app, ROLE_STATUS));
    tui_put(app, w, 0, cols - rw, rw, right, ROLE_STATUS);
    wattrset(w, A_NORMAL);
}

int bars_next_timeout(struct app *app)
{
    double now = app_now_ms();
    int t = -1;
    if (app->busy_since > 0) {
        double since = now - app->busy_since;
        t = since < SPINNER_DELAY_MS ? (int)(SPINNER_DELAY_MS - since) + 1 : SPINNER_STEP_MS;
    }
    if (app->msg[0] && app->msg_until > 0) {
        int e = app->msg_until > now ? (int)(app->msg_until - now) + 1 : 0;
        if (e == 0) {
            app->msg[0] = '\0';
            app->chrome_dirty = true;
        } else if (t < 0 || e < t) {
            t = e;
        }
    }
    return t;
}
