/*
 * store.c - SQLite connections, migrations and the connection pool.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandbox/migrations.h"
#include "sandbox/store.h"

sqlite3 *store_open_db(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open_v2(path, &db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    sqlite3_extended_result_codes(db, 1);
    /* journal_mode answers with a row, so it goes through a statement; a
     * file that is not a database fails here with a clear message. */
    sqlite3_stmt *st = NULL;
    rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_step(st);
    if (rc != SQLITE_ROW || strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0) {
        snprintf(err, errlen, "cannot use %s as a WAL database: %s", path, sqlite3_errmsg(db));
        sqlite3_finalize(st);
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_finalize(st);
    char *msg = NULL;
    if (sqlite3_exec(db,
                     "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
                     NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, errlen, "cannot configure %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

sqlite3 *store_open_build(const char *path, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return NULL;
    }
    char *msg = NULL;
    if (sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;", NULL, NULL, &msg) !=
        SQLITE_OK) {
        snprintf(err, errlen, "cannot configure %s: %s", path, msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(db);
        return NULL;
    }
    return db;
}

static int schema_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int v = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    int has = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    if (!has)
        return 0;
    if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

int store_migrate(sqlite3 *db, char *err, size_t errlen)
{
    int v = schema_version(db);
    if (v < 0) {
        snprintf(err, errlen, "cannot read the schema version: %s", sqlite3_errmsg(db));
        return -1;
    }
    if ((size_t)v > sb_migration_count) {
        snprintf(err, errlen,
                 "the database has schema version %d; this membercare-sandbox knows up to %zu",
                 v, sb_migration_count);
        return -1;
    }
    for (size_t k = (size_t)v; k < sb_migration_count; k++) {
        char *msg = NULL;
        int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg);
        for (const char *const *sql = sb_migrations[k]; rc == SQLITE_OK && *sql; sql++)
            rc = sqlite3_exec(db, *sql, NULL, NULL, &msg);
        if (rc != SQLITE_OK) {
            snprintf(err, errlen, "migration %zu failed: %s", k + 1, msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
        sqlite3_stmt *st = NULL;
        rc = sqlite3_prepare_v2(db, "UPDATE schema_version SET version = ?", -1, &st, NULL);
        if (rc == SQLITE_OK) {
            sqlite3_bind_int(st, 1, (int)(k + 1));
            rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
        sqlite3_finalize(st);
        if (rc != SQLITE_OK || sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, errlen, "migration %zu failed: %s", k + 1, msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    return (int)sb_migration_count;
}

bool store_is_seeded(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    bool seeded = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM org_config WHERE key = 'seeded_at'", -1, &st,
                           NULL) == SQLITE_OK)
        seeded = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return seeded;
}

struct store {
    pthread_mutex_t mu;
    pthread_cond_t freed;
    struct store_conn *conns; /* owned, n of them */
    size_t n;
};

static void conn_close(struct store_conn *c)
{
    for (int i = 0; i < c->n_cached; i++) {
        sqlite3_finalize(c->cache[i].st);
        free(c->cache[i].sql);
    }
    c->n_cached = 0;
    sqlite3_close(c->db);
    c->db = NULL;
}

struct store *store_pool_new(const char *path, size_t size, char *err, size_t errlen)
{
    struct store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->conns = calloc(size, sizeof *s->conns);
    if (!s->conns) {
        free(s);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->freed, NULL);
    for (size_t i = 0; i < size; i++) {
        s->conns[i].db = store_open_db(path, err, errlen);
        if (!s->conns[i].db) {
            s->n = i;
            store_pool_free(&s);
            return NULL;
        }
    }
    s->n = size;
    return s;
}

void store_pool_free(struct store **sp)
{
    struct store *s = *sp;
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        conn_close(&s->conns[i]);
    free(s->conns);
    pthread_cond_destroy(&s->freed);
    pthread_mutex_destroy(&s->mu);
    free(s);
    *sp = NULL;
}

struct store_conn *store_acquire(struct store *s)
{
    pthread_mutex_lock(&s->mu);
    for (;;) {
        for (size_t i = 0; i < s->n; i++) {
            if (!s->conns[i].in_use) {
                s->conns[i].in_use = true;
                pthread_mutex_unlock(&s->mu);
                return &s->conns[i];
            }
        }
        pthread_cond_wait(&s->freed, &s->mu);
    }
}

void store_release(struct store *s, struct store_conn *c)
{
    for (int i = 0; i < c->n_cached; i++)
        sqlite3_reset(c->cache[i].st);
    /* A handler that returned in the middle of a transaction must not leave
     * it open for the next request on this connection. */
    if (!sqlite3_get_autocommit(c->db))
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    pthread_mutex_lock(&s->mu);
    c->in_use = false;
    pthread_cond_signal(&s->freed);
    pthread_mutex_unlock(&s->mu);
}

sqlite3_stmt *store_stmt(struct store_conn *c, const char *sql)
{
    for (int i = 0; i < c->n_cached; i++) {
        if (strcmp(c->cache[i].sql, sql) == 0) {
            sqlite3_stmt *st = c->cache[i].st;
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            return st;
        }
    }
    if (c->n_cached >= STORE_STMT_CACHE) {
        fprintf(stderr, "membercare-sandbox: statement cache full\n");
        return NULL;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "membercare-sandbox: bad SQL: %s\n", sqlite3_errmsg(c->db));
        sqlite3_finalize(st);
        return NULL;
    }
    char *key = strdup(sql);
    if (!key) {
        sqlite3_finalize(st);
        return NULL;
    }
    c->cache[c->n_cached].sql = key;
    c->cache[c->n_cached].st = st;
    c->n_cached++;
    return st;
}
