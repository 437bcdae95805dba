/*
 * migrations.h - the database schema as an ordered list of migrations.
 *
 * Migration k (1-based) brings a database from schema version k-1 to k;
 * store_migrate applies the pending ones in order, each in its own
 * transaction, and records the version in schema_version. A schema change
 * is a new string appended to the list, never an edit of an applied one:
 * databases in the field already ran the old text.
 */
#ifndef MC_SANDBOX_MIGRATIONS_H
#define MC_SANDBOX_MIGRATIONS_H

#include <stddef.h>

/* sb_migrations[k] is migration k+1: its SQL statements, NULL-terminated. */
extern const char *const *const sb_migrations[];
extern const size_t sb_migration_count;

#endif
