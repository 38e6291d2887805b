/*
 * Private: what an operation of the model costs on PostgreSQL 15: the lock
 * it takes, whether it rewrites or scans the table, whether it fails inside
 * a transaction block. One table (pg_cost.c), written from the PostgreSQL
 * 15 documentation of ALTER TABLE, CREATE INDEX, DROP INDEX, REINDEX,
 * VACUUM, CLUSTER, ALTER TYPE and "Explicit Locking"; the lock rules of
 * rule_content.c read it, and docs/postgresql.md shows it.
 */
#ifndef MLINT_SRC_PG_COST_H
#define MLINT_SRC_PG_COST_H

#include "mlint/ops.h"

/* Table-level lock modes, weakest first. */
enum pg_lock {
	PG_LOCK_NONE = 0,
	PG_LOCK_ACCESS_SHARE,
	PG_LOCK_ROW_EXCLUSIVE,
	PG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	PG_LOCK_SHARE,
	PG_LOCK_SHARE_ROW_EXCLUSIVE,
	PG_LOCK_ACCESS_EXCLUSIVE,
};

/* One row of the table: a case of an operation. */
enum pg_case {
	PG_UNKNOWN = 0,
	PG_CREATE_TABLE,
	PG_DROP_TABLE,
	PG_RENAME,                 /* table or column */
	PG_ADD_COLUMN,             /* no default, or a constant one (PostgreSQL 11+) */
	PG_ADD_COLUMN_REWRITE,     /* volatile default, SERIAL, identity, stored generated */
	PG_DROP_COLUMN,
	PG_ALTER_TYPE,
	PG_ALTER_TYPE_BINARY,      /* VARCHAR widened, VARCHAR -> TEXT: binary coercible */
	PG_SET_NOT_NULL,
	PG_ALTER_COLUMN_CATALOG,   /* DROP NOT NULL, SET/DROP DEFAULT */
	PG_CREATE_INDEX,
	PG_CREATE_INDEX_CONCURRENTLY,
	PG_DROP_INDEX,
	PG_DROP_INDEX_CONCURRENTLY,
	PG_ADD_FOREIGN_KEY,
	PG_ADD_FOREIGN_KEY_NOT_VALID,
	PG_ADD_CHECK,
	PG_ADD_CHECK_NOT_VALID,
	PG_ADD_UNIQUE_OR_PK,       /* builds an index */
	PG_ADD_CONSTRAINT_USING_INDEX,
	PG_VALIDATE_CONSTRAINT,
	PG_DROP_CONSTRAINT,
	PG_REINDEX,
	PG_REINDEX_CONCURRENTLY,
	PG_DETACH_PARTITION,
	PG_DETACH_PARTITION_CONCURRENTLY,
	PG_ATTACH_PARTITION,
	PG_VACUUM,
	PG_VACUUM_FULL,
	PG_CLUSTER,
	PG_ANALYZE,
	PG_ENUM_ADD_VALUE,
	PG_DML,
	PG_NR_CASES,
};

struct pg_cost {
	enum pg_case id;
	const char *what;       /* "ADD COLUMN with a volatile default" */
	enum pg_lock lock;      /* on the operation's table */
	unsigned rewrite : 1;   /* the table (and its indexes) are written anew */
	unsigned scan : 1;      /* every row is read while the lock is held */
	unsigned no_transaction : 1; /* fails inside a transaction block */
	const char *doc;        /* the PostgreSQL 15 documentation page */
};

/* An alter_column from an enum type to the same enum type (Alembic emits
 * ALTER COLUMN ... TYPE <the same type>: no rewrite). */
int pg_keeps_enum(const struct mlint_op *o);

/* The row for `o` (PG_UNKNOWN's row when the model does not know). */
const struct pg_cost *pg_cost_of(const struct mlint_op *o);

/* The row of one case. */
const struct pg_cost *pg_cost_row(enum pg_case id);

/* The whole table, for documentation. */
const struct pg_cost *pg_cost_table(size_t *nr);

const char *pg_lock_name(enum pg_lock lock);

/* Whether changing a column from `from` to `to` (SQLAlchemy type source,
 * "sa.VARCHAR(length=50)" -> "sa.String(length=100)") is binary coercible
 * on PostgreSQL: no rewrite, no index rebuild. */
int pg_type_change_is_binary(const char *from, const char *to);

#endif
