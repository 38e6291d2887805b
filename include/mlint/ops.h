/*
 * ops.h: the operation model. What one upgrade_* or downgrade_* function of
 * a scanned migration does, as an ordered list of schema and data
 * operations: op.X(...) and batch_op.X(...) calls (batch_op: any alias of
 * `with op.batch_alter_table(...) as NAME`) and the statements of the SQL
 * strings given to op.execute / text() / sa.text(), read by PostgreSQL's own
 * parser (libpg_query). One rule then covers every spelling.
 *
 * Nothing is executed or imported; an option whose value is not a literal
 * is MLINT_TRI_UNKNOWN, never guessed.
 *
 * Ownership: struct mlint_ops owns every string its operations point to,
 * except `call`, which borrows the migration's call list: release the ops
 * before the migration's calls are dropped.
 */
#ifndef MLINT_OPS_H
#define MLINT_OPS_H

#include <stddef.h>

struct mlint_arena_block;
struct mlint_migration;
struct mlint_call;

enum mlint_op_kind {
	MLINT_OP_OTHER = 0,       /* an op.X we do not model, or SQL we do not classify */
	MLINT_OP_CREATE_TABLE,
	MLINT_OP_DROP_TABLE,
	MLINT_OP_RENAME_TABLE,    /* name: old, new_name: new */
	MLINT_OP_ADD_COLUMN,
	MLINT_OP_DROP_COLUMN,
	MLINT_OP_ALTER_COLUMN,    /* type / nullable / server_default changes */
	MLINT_OP_RENAME_COLUMN,   /* column: old, new_name: new */
	MLINT_OP_CREATE_INDEX,
	MLINT_OP_DROP_INDEX,
	MLINT_OP_CREATE_CONSTRAINT, /* constraint says which */
	MLINT_OP_DROP_CONSTRAINT,
	MLINT_OP_VALIDATE_CONSTRAINT,
	MLINT_OP_EXECUTE_DDL,     /* SQL DDL the model does not break down further */
	MLINT_OP_EXECUTE_DML,     /* INSERT / UPDATE / DELETE: dml, has_where */
	MLINT_OP_BULK_INSERT,     /* op.bulk_insert */
	MLINT_OP_MAINTENANCE,     /* VACUUM / ANALYZE / REINDEX / CLUSTER: maintenance */
	MLINT_OP_TRANSACTION,     /* COMMIT, BEGIN, ROLLBACK, ... in a migration */
	MLINT_OP_ALTER_TYPE_ADD_VALUE, /* ALTER TYPE name ADD VALUE 'x' */
	MLINT_OP_DETACH_PARTITION, /* table: the parent, name: the partition */
	MLINT_OP_ATTACH_PARTITION,
	MLINT_OP_SET_SETTING,     /* SET [LOCAL] name = ...: name, value */
	MLINT_OP_EXECUTE_UNPARSED, /* a SQL string libpg_query rejected (patterns read it) */
	MLINT_OP_LOOP_DML,        /* DML inside a Python loop (a backfill loop) */
	MLINT_OP_CREATE_TYPE,     /* an enum type created: name (NULL: not known which):
				   * CREATE TYPE x AS ENUM, sa.Enum(..., name='x').create(bind),
				   * X.create(bind), each sa.Enum column of an op.create_table */
	MLINT_OP_ALTER_TYPE_RENAME_VALUE, /* ALTER TYPE table RENAME VALUE 'name' TO 'value' */
};

/*
 * A SQLAlchemy enum type written in a call: sa.Enum(...) / postgresql.ENUM(...)
 * given as add_column's column type or alter_column's type_= / existing_type=
 * (PostgreSQL: a native enum type, a catalogue object of its own).
 */
struct mlint_enum_type {
	const char *name;            /* name='x' as a literal, NULL otherwise */
	const char *const *values;   /* the values given as string literals, in order */
	size_t nr_values;
	unsigned values_known : 1;   /* every positional argument is a string literal */
	unsigned no_create : 1;      /* create_type=False: the type exists already (SQLAlchemy
				      * honours it for postgresql.ENUM only) */
	unsigned postgresql : 1;     /* postgresql.ENUM / ENUM rather than sa.Enum */
};

enum mlint_constraint_kind {
	MLINT_CONSTRAINT_UNKNOWN = 0,
	MLINT_CONSTRAINT_FOREIGN_KEY,
	MLINT_CONSTRAINT_UNIQUE,
	MLINT_CONSTRAINT_CHECK,
	MLINT_CONSTRAINT_PRIMARY_KEY,
	MLINT_CONSTRAINT_EXCLUDE,
	MLINT_CONSTRAINT_NOT_NULL,
};

enum mlint_dml_kind {
	MLINT_DML_NONE = 0,
	MLINT_DML_INSERT,
	MLINT_DML_UPDATE,
	MLINT_DML_DELETE,
};

enum mlint_maintenance_kind {
	MLINT_MAINT_NONE = 0,
	MLINT_MAINT_VACUUM,
	MLINT_MAINT_VACUUM_FULL,
	MLINT_MAINT_ANALYZE,
	MLINT_MAINT_REINDEX,
	MLINT_MAINT_CLUSTER,
};

/* An option that may be absent, given, or given as something not literal. */
enum mlint_tri {
	MLINT_TRI_UNSET = 0, /* not given */
	MLINT_TRI_NO,
	MLINT_TRI_YES,
	MLINT_TRI_UNKNOWN,   /* given, but not as a literal True/False */
};

/* Where an operation came from. */
enum mlint_op_source {
	MLINT_FROM_CALL = 0, /* op.X / batch_op.X */
	MLINT_FROM_SQL,      /* a statement of a SQL string parsed by libpg_query */
};

struct mlint_op {
	enum mlint_op_kind kind;
	enum mlint_op_source source;
	const struct mlint_call *call; /* the op.X / op.execute call (borrowed) */
	size_t function;               /* index into mlint_migration.functions */
	unsigned line, col;            /* of the call (SQL: of the statement when known) */

	/* Names as written, NULL when not given as a literal. */
	const char *table;     /* also: the type of ALTER TYPE, the parent of a partition */
	const char *column;    /* add/drop/alter/rename column; first column of an index */
	const char *name;      /* index / constraint / partition / setting / enum value */
	const char *new_name;  /* rename target */
	const char *type;          /* new type (add_column's type, alter_column type_=) */
	const char *existing_type; /* alter_column existing_type= */
	const char *server_default; /* source text (call) or deparsed-ish text (SQL) */
	const char *value;     /* SET value; the enum value added */
	const char *index;     /* ADD CONSTRAINT ... USING INDEX: the index */
	const char *referenced; /* a foreign key's referenced table */

	/* type / existing_type when it is an Enum(...) / ENUM(...) call (not
	 * native_enum=False), NULL otherwise */
	const struct mlint_enum_type *enum_type;
	const struct mlint_enum_type *existing_enum;

	enum mlint_constraint_kind constraint;
	enum mlint_dml_kind dml;
	enum mlint_maintenance_kind maintenance;

	enum mlint_tri nullable;       /* column nullable= / SET|DROP NOT NULL */
	enum mlint_tri concurrently;   /* postgresql_concurrently= / CONCURRENTLY */
	enum mlint_tri not_valid;      /* postgresql_not_valid= / NOT VALID */
	enum mlint_tri unique;         /* create_index unique= */
	enum mlint_tri if_exists;      /* if_exists= / IF EXISTS; ADD VALUE IF NOT EXISTS;
					* CREATE_TYPE: .create(bind, checkfirst=True) */
	enum mlint_tri existing_nullable; /* alter_column existing_nullable= */

	unsigned default_volatile : 1; /* server_default calls a volatile function */
	unsigned has_default : 1;      /* server_default given (not None) */
	unsigned serial : 1;           /* SERIAL / BIGSERIAL / SMALLSERIAL column */
	unsigned identity : 1;         /* sa.Identity() / GENERATED ... AS IDENTITY */
	unsigned generated_stored : 1; /* sa.Computed(persisted) / GENERATED ALWAYS AS (...) STORED */
	unsigned using_index : 1;      /* ADD CONSTRAINT ... USING INDEX */
	unsigned primary_key : 1;      /* add_column(Column(..., primary_key=True)) / PRIMARY KEY */
	unsigned has_where : 1;        /* DML with a WHERE clause */
	unsigned in_autocommit : 1;    /* inside `with ...autocommit_block():` */
	unsigned in_batch : 1;         /* inside `with op.batch_alter_table(...) as X:` */
	unsigned in_loop : 1;          /* inside a for/while loop of the function */
	unsigned local : 1;            /* SET LOCAL */
	unsigned has_using : 1;        /* alter_column postgresql_using= given */
	unsigned by_create_table : 1;  /* CREATE_TYPE: for an Enum column of op.create_table */
};

struct mlint_ops {
	struct mlint_op *items;
	size_t nr, alloc;
	struct mlint_arena_block *strings; /* owns the ops' strings */
	size_t nr_sql_unparsed;            /* SQL strings libpg_query rejected */
};

void mlint_ops_init(struct mlint_ops *ops);
void mlint_ops_release(struct mlint_ops *ops);
/* Empties `ops` for the next mlint_ops_read, keeping its array and a block
 * of its strings (pointers into the old operations become invalid). */
void mlint_ops_clear(struct mlint_ops *ops);

/*
 * Appends the operations of function `function` of `m` (scanned with its
 * calls) to `out`, in source order. `source` is the file's text the calls
 * point into (their spans are read again for keyword arguments). Bad
 * input is never an error: what cannot be read is left out or kept as
 * MLINT_OP_OTHER / MLINT_OP_EXECUTE_UNPARSED. Returns 0, or MLINT_ERROR when
 * out of memory.
 */
int mlint_ops_read(struct mlint_ops *out, const struct mlint_migration *m, const char *source,
		   size_t source_len, size_t function);

enum mlint_ops_flags {
	/* Kinds, tables and names (what pairs an upgrade with its downgrade);
	 * options may be left unread: cheaper. */
	MLINT_OPS_NAMES = 1 << 0,
};

/* mlint_ops_read with mlint_ops_flags. */
int mlint_ops_read_with(struct mlint_ops *out, const struct mlint_migration *m,
			const char *source, size_t source_len, size_t function, unsigned flags);

/*
 * Appends the operations of one SQL string (one or more statements) to
 * `out`, each with kind, names and options from libpg_query's parse tree;
 * `proto` gives call, function, line and col. A string the parser rejects
 * adds one MLINT_OP_EXECUTE_UNPARSED. Returns 0, or MLINT_ERROR when out of
 * memory.
 */
int mlint_ops_read_sql(struct mlint_ops *out, const char *sql, size_t len,
		       const struct mlint_op *proto);

/* Names for messages and the JSON of `mlint ops` style output. */
const char *mlint_op_kind_name(enum mlint_op_kind kind);

/* Whether the SQL text of a server_default calls a function PostgreSQL
 * evaluates per row (random(), gen_random_uuid(), clock_timestamp(), ...).
 * now() / CURRENT_TIMESTAMP are stable within a statement: not volatile. */
int mlint_sql_default_is_volatile(const char *text);

#endif
