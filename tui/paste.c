/*
 * paste.c - a bracketed paste outside forms is text, never keys.
 *
 * Between the terminal's paste markers every byte is something the agent
 * copied, not pressed: a newline in it must not run the command line or
 * confirm a question, and a letter must not act on a list (`s` resends a
 * coupon). Pasted text goes to the command line or a screen's text field
 * with newlines and tabs as blanks and control bytes left out; anywhere
 * else, and while the screen is still loading, it is refused with a word
 * on the status line. Forms keep their own paste handling (form.c), which
 * keeps newlines in multi-line fields.
 */
#include "tui/app_priv.h"

static bool takes_text(struct app *app)
{
    if (app->prompt.kind != PROMPT_NONE)
        return true;
    if (app->dialog.open || app->too_small)
        return false;
    struct view *top = app_top(app);
    return top && top->ops->takes_text && top->ops->takes_text(top) && !typeahead_holding(app);
}

bool paste_filter(struct app *app, int *key)
{
    double now = app_now_ms();
    if (*key == MC_KEY_PASTE_BEGIN || *key == MC_KEY_PASTE_END) {
        app->pasting = *key == MC_KEY_PASTE_BEGIN;
        app->paste_at = now;
        app->paste_refused = false;
        return true;
    }
    if (app->pasting && now - app->paste_at > PASTE_GAP_MS)
        app->pasting = false; /* the end marker was lost: typing again is typing */
    if (!app->pasting)
        return false;
    app->paste_at = now;
    if (*key == MC_KEY_ENTER || *key == MC_KEY_TAB)
        *key = ' ';
    if (*key < 0x20 || *key == 0x7f || *key >= MC_KEY_BASE)
        return true; /* controls and special keys are not text */
    if (takes_text(app))
        return false;
    if (!app->paste_refused) {
        app->paste_refused = true;
        app_status(app, STATUS_WARN, "Pasted text ignored: paste into a text field or the command line (:)");
    }
    return true;
}
