/*
 * typeahead.h - keys typed while a screen loads, and the later commands of
 * a `;` chain, held until the screen they were meant for has its data.
 *
 * The queue waits while the screen on top is loading (its requests of the
 * current generation have not all come back since it opened or reloaded), then
 * replays one item at a time, waiting again whenever the top screen gets
 * busy. It follows the screens the replayed items open, but is dropped
 * (with a beep and a status line naming what was dropped) when the screen
 * it waits for goes away, a warning or error is shown, Esc or Ctrl-C is pressed, a
 * form opens, or a confirmation dialog asks something: a write never runs
 * on keys typed before its question was on the screen.
 */
#ifndef MC_TUI_TYPEAHEAD_H
#define MC_TUI_TYPEAHEAD_H

#include <stdbool.h>

#define TYPEAHEAD_MAX 64

struct typeahead_item {
    int key;        /* a key, or 0 for a command */
    char *command;  /* a command line (owned), or NULL for a key */
};

struct typeahead {
    struct typeahead_item items[TYPEAHEAD_MAX]; /* oldest first */
    int n;
    int anchor;     /* id of the view the queue waits for */
    bool replaying; /* an item is being run: keys it causes are not queued */
};

struct app;

/* Takes a key typed now when it must wait (the top screen is loading, or
 * keys are already waiting). true = queued or acted on. Esc and Ctrl-C drop
 * the queue and are not taken; help and `:` open at once while nothing
 * waits, even where the screen would take them as text. */
bool typeahead_take(struct app *app, int key);
/* Something typed now would wait: the top screen is loading or items are
 * already waiting. */
bool typeahead_holding(struct app *app);
/* Queues a command to run once the screen on top has its data; front puts
 * it before everything already waiting. */
void typeahead_command(struct app *app, const char *line, bool front);
/* Drops everything waiting: beeps and says what was dropped (appended to a
 * warning or error already on the status line). */
void typeahead_drop(struct app *app);
/* Drops everything waiting and discards keys not yet read from the
 * terminal: a question is about to be asked. */
void typeahead_flush(struct app *app);
/* Replays what may run now. Called once per pass of the event loop. */
void typeahead_run(struct app *app);
void typeahead_free(struct app *app);

#endif
