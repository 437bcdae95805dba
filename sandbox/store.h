/*
 * store.h - the SQLite database: opening, migrations, and a pool of
 * connections shared by the HTTP worker threads.
 *
 * Every connection runs in WAL mode with a busy timeout, so readers never
 * wait for a writer and two writers queue instead of failing. A request
 * takes one connection for its whole life (store_acquire) and gives it back
 * (store_release); the pool has one connection per worker thread, so a
 * request never waits for a connection in practice.
 *
 * Prepared statements are cached per connection (store_stmt); SQL text is
 * always a constant, every value goes through sqlite3_bind_*.
 */
#ifndef MC_SANDBOX_STORE_H
#define MC_SANDBOX_STORE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

#define STORE_STMT_CACHE 256

struct store_conn {
    sqlite3 *db;
    struct {
        char *sql;         /* owned copy of the SQL text, the cache key */
        sqlite3_stmt *st;  /* owned */
    } cache[STORE_STMT_CACHE];
    int n_cached;
    bool in_use;
};

struct store;

/* Opens (creating when missing) one connection with the sandbox's pragmas.
 * Returns the handle or NULL with err filled. */
sqlite3 *store_open_db(const char *path, char *err, size_t errlen);
/* Opens a brand-new database file to build in one go: no journal, no
 * syncing. Only for a file nobody else sees until it is complete (the
 * caller renames it into place), since a crash leaves it unusable. */
sqlite3 *store_open_build(const char *path, char *err, size_t errlen);
/* Brings the schema to the newest version. Returns the version reached, or
 * -1 with err (also when the database is newer than this program). */
int store_migrate(sqlite3 *db, char *err, size_t errlen);
/* True once seed_run has committed into this database. */
bool store_is_seeded(sqlite3 *db);

/* A pool of size connections to path (already migrated). NULL + err. */
struct store *store_pool_new(const char *path, size_t size, char *err, size_t errlen);
/* Frees every connection; NULLs *s. No connection may be in use. */
void store_pool_free(struct store **s);
/* Takes a free connection, waiting if none is. Any thread. */
struct store_conn *store_acquire(struct store *s);
/* Gives it back; resets its statements so no read transaction stays open. */
void store_release(struct store *s, struct store_conn *c);

/* The cached statement for sql, reset and with bindings cleared; prepared
 * on first use. Meant for fixed SQL texts (query-shaped SQL should be
 * prepared and finalized by its user instead, or the cache fills up).
 * NULL when the SQL does not compile or the cache is full. The statement
 * stays owned by the connection; the pointer is valid until the
 * connection is released. */
sqlite3_stmt *store_stmt(struct store_conn *c, const char *sql);

#endif
