/*
 * The lock model: what each operation costs on PostgreSQL 15, one row per
 * case, from the PostgreSQL 15 documentation:
 *   ALTER TABLE (sql-altertable.html): most subcommands take ACCESS
 *     EXCLUSIVE; ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE (also on the
 *     referenced table); VALIDATE CONSTRAINT takes SHARE UPDATE EXCLUSIVE;
 *     ADD COLUMN with a volatile DEFAULT, a stored generated column or an
 *     identity rewrites the table (a non-volatile DEFAULT does not, since
 *     11); ALTER COLUMN TYPE rewrites unless the old type is binary
 *     coercible to the new one; SET NOT NULL scans the table unless a valid
 *     CHECK constraint proves it; DETACH PARTITION takes ACCESS EXCLUSIVE on
 *     the parent, SHARE UPDATE EXCLUSIVE with CONCURRENTLY, which cannot
 *     run in a transaction block.
 *   CREATE INDEX (sql-createindex.html): SHARE (blocks writes) for the
 *     whole build; CONCURRENTLY takes SHARE UPDATE EXCLUSIVE and "cannot be
 *     executed inside a transaction block".
 *   DROP INDEX (sql-dropindex.html): ACCESS EXCLUSIVE on the table;
 *     CONCURRENTLY waits instead and cannot run in a transaction block.
 *   REINDEX (sql-reindex.html): SHARE on the table, ACCESS EXCLUSIVE on the
 *     index; CONCURRENTLY cannot run in a transaction block.
 *   VACUUM (sql-vacuum.html): cannot run inside a transaction block; FULL
 *     rewrites under ACCESS EXCLUSIVE. CLUSTER (sql-cluster.html): ACCESS
 *     EXCLUSIVE, rewrites.
 *   ALTER TYPE (sql-altertype.html): ADD VALUE inside a transaction block
 *     works since 12, but the new value cannot be used until the
 *     transaction commits.
 *   Explicit Locking (explicit-locking.html): which modes conflict; a lock
 *     is held until the transaction ends.
 * tests/ (the proof suite) checks each claim on a real PostgreSQL.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "pg_cost.h"

#define DOC_ALTER "https://www.postgresql.org/docs/15/sql-altertable.html"
#define DOC_INDEX "https://www.postgresql.org/docs/15/sql-createindex.html"
#define DOC_DROP_INDEX "https://www.postgresql.org/docs/15/sql-dropindex.html"
#define DOC_REINDEX "https://www.postgresql.org/docs/15/sql-reindex.html"
#define DOC_VACUUM "https://www.postgresql.org/docs/15/sql-vacuum.html"
#define DOC_CLUSTER "https://www.postgresql.org/docs/15/sql-cluster.html"
#define DOC_TYPE "https://www.postgresql.org/docs/15/sql-altertype.html"
#define DOC_LOCKS "https://www.postgresql.org/docs/15/explicit-locking.html"

/* id, what, lock, rewrite, scan, fails in a transaction, doc */
static const struct pg_cost table[PG_NR_CASES] = {
	{PG_UNKNOWN, "statement the model does not know", PG_LOCK_NONE, 0, 0, 0, DOC_LOCKS},
	{PG_CREATE_TABLE, "CREATE TABLE", PG_LOCK_NONE, 0, 0, 0, DOC_LOCKS},
	{PG_DROP_TABLE, "DROP TABLE", PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_LOCKS},
	{PG_RENAME, "RENAME TABLE / COLUMN", PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_ALTER},
	{PG_ADD_COLUMN, "ADD COLUMN (no default, or a non-volatile one)",
	 PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_ALTER},
	{PG_ADD_COLUMN_REWRITE,
	 "ADD COLUMN with a volatile default, SERIAL, identity or stored generated",
	 PG_LOCK_ACCESS_EXCLUSIVE, 1, 1, 0, DOC_ALTER},
	{PG_DROP_COLUMN, "DROP COLUMN", PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_ALTER},
	{PG_ALTER_TYPE, "ALTER COLUMN TYPE", PG_LOCK_ACCESS_EXCLUSIVE, 1, 1, 0, DOC_ALTER},
	{PG_ALTER_TYPE_BINARY, "ALTER COLUMN TYPE, binary coercible (VARCHAR widened, to TEXT)",
	 PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_ALTER},
	{PG_SET_NOT_NULL, "ALTER COLUMN SET NOT NULL", PG_LOCK_ACCESS_EXCLUSIVE, 0, 1, 0,
	 DOC_ALTER},
	{PG_ALTER_COLUMN_CATALOG, "ALTER COLUMN DROP NOT NULL / SET DEFAULT / DROP DEFAULT",
	 PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_ALTER},
	{PG_CREATE_INDEX, "CREATE INDEX", PG_LOCK_SHARE, 0, 1, 0, DOC_INDEX},
	{PG_CREATE_INDEX_CONCURRENTLY, "CREATE INDEX CONCURRENTLY",
	 PG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0, 1, 1, DOC_INDEX},
	{PG_DROP_INDEX, "DROP INDEX", PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_DROP_INDEX},
	{PG_DROP_INDEX_CONCURRENTLY, "DROP INDEX CONCURRENTLY", PG_LOCK_SHARE_UPDATE_EXCLUSIVE,
	 0, 0, 1, DOC_DROP_INDEX},
	{PG_ADD_FOREIGN_KEY, "ADD FOREIGN KEY", PG_LOCK_SHARE_ROW_EXCLUSIVE, 0, 1, 0, DOC_ALTER},
	{PG_ADD_FOREIGN_KEY_NOT_VALID, "ADD FOREIGN KEY ... NOT VALID",
	 PG_LOCK_SHARE_ROW_EXCLUSIVE, 0, 0, 0, DOC_ALTER},
	{PG_ADD_CHECK, "ADD CHECK", PG_LOCK_ACCESS_EXCLUSIVE, 0, 1, 0, DOC_ALTER},
	{PG_ADD_CHECK_NOT_VALID, "ADD CHECK ... NOT VALID", PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0,
	 DOC_ALTER},
	{PG_ADD_UNIQUE_OR_PK, "ADD UNIQUE / PRIMARY KEY (builds an index)",
	 PG_LOCK_ACCESS_EXCLUSIVE, 0, 1, 0, DOC_ALTER},
	{PG_ADD_CONSTRAINT_USING_INDEX, "ADD UNIQUE / PRIMARY KEY USING INDEX",
	 PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_ALTER},
	{PG_VALIDATE_CONSTRAINT, "VALIDATE CONSTRAINT", PG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0, 1, 0,
	 DOC_ALTER},
	{PG_DROP_CONSTRAINT, "DROP CONSTRAINT", PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_ALTER},
	{PG_REINDEX, "REINDEX", PG_LOCK_SHARE, 0, 1, 0, DOC_REINDEX},
	{PG_REINDEX_CONCURRENTLY, "REINDEX CONCURRENTLY", PG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0, 1,
	 1, DOC_REINDEX},
	{PG_DETACH_PARTITION, "DETACH PARTITION", PG_LOCK_ACCESS_EXCLUSIVE, 0, 0, 0, DOC_ALTER},
	{PG_DETACH_PARTITION_CONCURRENTLY, "DETACH PARTITION CONCURRENTLY",
	 PG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0, 0, 1, DOC_ALTER},
	{PG_ATTACH_PARTITION, "ATTACH PARTITION", PG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0, 1, 0,
	 DOC_ALTER},
	{PG_VACUUM, "VACUUM", PG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0, 1, 1, DOC_VACUUM},
	{PG_VACUUM_FULL, "VACUUM FULL", PG_LOCK_ACCESS_EXCLUSIVE, 1, 1, 1, DOC_VACUUM},
	{PG_CLUSTER, "CLUSTER", PG_LOCK_ACCESS_EXCLUSIVE, 1, 1, 0, DOC_CLUSTER},
	{PG_ANALYZE, "ANALYZE", PG_LOCK_SHARE_UPDATE_EXCLUSIVE, 0, 1, 0, DOC_VACUUM},
	{PG_ENUM_ADD_VALUE, "ALTER TYPE ... ADD VALUE", PG_LOCK_NONE, 0, 0, 0, DOC_TYPE},
	{PG_DML, "INSERT / UPDATE / DELETE", PG_LOCK_ROW_EXCLUSIVE, 0, 0, 0, DOC_LOCKS},
};

static const char *const lock_names[] = {
	[PG_LOCK_NONE] = "no table lock",
	[PG_LOCK_ACCESS_SHARE] = "ACCESS SHARE",
	[PG_LOCK_ROW_EXCLUSIVE] = "ROW EXCLUSIVE",
	[PG_LOCK_SHARE_UPDATE_EXCLUSIVE] = "SHARE UPDATE EXCLUSIVE",
	[PG_LOCK_SHARE] = "SHARE",
	[PG_LOCK_SHARE_ROW_EXCLUSIVE] = "SHARE ROW EXCLUSIVE",
	[PG_LOCK_ACCESS_EXCLUSIVE] = "ACCESS EXCLUSIVE",
};

const char *pg_lock_name(enum pg_lock lock)
{
	return (size_t)lock < sizeof(lock_names) / sizeof(lock_names[0]) ? lock_names[lock] : "?";
}

const struct pg_cost *pg_cost_table(size_t *nr)
{
	*nr = PG_NR_CASES;
	return table;
}

const struct pg_cost *pg_cost_row(enum pg_case id)
{
	return (size_t)id < PG_NR_CASES ? &table[id] : &table[PG_UNKNOWN];
}

/* ---- types -------------------------------------------------------------- */

enum type_family { TYPE_OTHER, TYPE_VARCHAR, TYPE_TEXT, TYPE_NUMERIC };

struct sql_type {
	enum type_family family;
	long length, scale; /* -1: not given (unbounded) */
	int known;          /* the text was read */
};

/* "sa.String(length=100)", "VARCHAR(50)", "postgresql.TEXT()", "sa.Numeric(10, 2)" */
static struct sql_type read_type(const char *text)
{
	struct sql_type t = {TYPE_OTHER, -1, -1, 0};
	static const struct { const char *name; enum type_family family; } names[] = {
		{"STRING", TYPE_VARCHAR}, {"VARCHAR", TYPE_VARCHAR}, {"UNICODE", TYPE_VARCHAR},
		{"NVARCHAR", TYPE_VARCHAR}, {"CHARACTER VARYING", TYPE_VARCHAR},
		{"TEXT", TYPE_TEXT}, {"UNICODETEXT", TYPE_TEXT},
		{"NUMERIC", TYPE_NUMERIC}, {"DECIMAL", TYPE_NUMERIC},
	};
	char name[32];
	const char *open, *start, *p;
	size_t n = 0;
	long nums[2] = {-1, -1};
	int nr = 0;

	if (!text)
		return t;
	open = strchr(text, '(');
	p = open ? open : text + strlen(text);
	start = p;
	while (start > text && (isalnum((unsigned char)start[-1]) || start[-1] == '_'))
		start--;
	if ((size_t)(p - start) >= sizeof(name))
		return t;
	for (const char *q = start; q < p; q++)
		name[n++] = (char)toupper((unsigned char)*q);
	name[n] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i].name) == 0)
			t.family = names[i].family;
	if (t.family == TYPE_OTHER)
		return t;
	/* the numbers in the brackets: length / precision, scale */
	if (open) {
		const char *close = strchr(open, ')');
		for (const char *q = open + 1; close && q < close && nr < 2; q++) {
			if (isdigit((unsigned char)*q)) {
				char *end;
				nums[nr++] = strtol(q, &end, 10);
				q = end - 1;
			} else if (isalpha((unsigned char)*q) || *q == '_') {
				/* a keyword other than length / precision / scale: unknown */
				if (strncmp(q, "length", 6) && strncmp(q, "precision", 9) &&
				    strncmp(q, "scale", 5))
					return t;
				while (q < close && (isalpha((unsigned char)q[1]) || q[1] == '_'))
					q++;
			}
		}
	}
	t.length = nums[0];
	t.scale = nums[1];
	t.known = 1;
	return t;
}

int pg_type_change_is_binary(const char *from, const char *to)
{
	struct sql_type a = read_type(from), b = read_type(to);

	if (!a.known || !b.known)
		return 0;
	if (a.family == TYPE_VARCHAR && b.family == TYPE_VARCHAR)
		return b.length < 0 || (a.length >= 0 && b.length >= a.length);
	if ((a.family == TYPE_VARCHAR || a.family == TYPE_TEXT) && b.family == TYPE_TEXT)
		return 1;
	if (a.family == TYPE_TEXT && b.family == TYPE_VARCHAR)
		return b.length < 0;
	if (a.family == TYPE_NUMERIC && b.family == TYPE_NUMERIC)
		return b.length < 0 ||
		       (a.length >= 0 && b.length >= a.length && b.scale == a.scale);
	return 0;
}

/* ---- operations to rows --------------------------------------------------- */

int pg_keeps_enum(const struct mlint_op *o)
{
	const struct mlint_enum_type *e = o->enum_type, *x = o->existing_enum;
	return e && x && e->name && x->name && strcmp(e->name, x->name) == 0 && !o->has_using;
}

static enum pg_case alter_column_case(const struct mlint_op *o)
{
	if (o->type && pg_keeps_enum(o))
		return PG_ALTER_TYPE_BINARY;
	if (o->type)
		return pg_type_change_is_binary(o->existing_type, o->type) ? PG_ALTER_TYPE_BINARY
									   : PG_ALTER_TYPE;
	if (o->nullable == MLINT_TRI_NO && o->existing_nullable != MLINT_TRI_NO)
		return PG_SET_NOT_NULL;
	return PG_ALTER_COLUMN_CATALOG;
}

static enum pg_case constraint_case(const struct mlint_op *o)
{
	int not_valid = o->not_valid == MLINT_TRI_YES;

	if (o->using_index)
		return PG_ADD_CONSTRAINT_USING_INDEX;
	switch (o->constraint) {
	case MLINT_CONSTRAINT_FOREIGN_KEY:
		return not_valid ? PG_ADD_FOREIGN_KEY_NOT_VALID : PG_ADD_FOREIGN_KEY;
	case MLINT_CONSTRAINT_CHECK: case MLINT_CONSTRAINT_NOT_NULL:
		return not_valid ? PG_ADD_CHECK_NOT_VALID : PG_ADD_CHECK;
	case MLINT_CONSTRAINT_UNIQUE: case MLINT_CONSTRAINT_PRIMARY_KEY:
	case MLINT_CONSTRAINT_EXCLUDE:
		return PG_ADD_UNIQUE_OR_PK;
	default:
		return PG_UNKNOWN;
	}
}

static enum pg_case maintenance_case(const struct mlint_op *o)
{
	int conc = o->concurrently == MLINT_TRI_YES;
	switch (o->maintenance) {
	case MLINT_MAINT_VACUUM: return PG_VACUUM;
	case MLINT_MAINT_VACUUM_FULL: return PG_VACUUM_FULL;
	case MLINT_MAINT_ANALYZE: return PG_ANALYZE;
	case MLINT_MAINT_REINDEX: return conc ? PG_REINDEX_CONCURRENTLY : PG_REINDEX;
	case MLINT_MAINT_CLUSTER: return PG_CLUSTER;
	default: return PG_UNKNOWN;
	}
}

static enum pg_case case_of(const struct mlint_op *o)
{
	int conc = o->concurrently == MLINT_TRI_YES;

	switch (o->kind) {
	case MLINT_OP_CREATE_TABLE: return PG_CREATE_TABLE;
	case MLINT_OP_DROP_TABLE: return PG_DROP_TABLE;
	case MLINT_OP_RENAME_TABLE: case MLINT_OP_RENAME_COLUMN: return PG_RENAME;
	case MLINT_OP_ADD_COLUMN:
		return o->default_volatile || o->serial || o->identity || o->generated_stored
			       ? PG_ADD_COLUMN_REWRITE : PG_ADD_COLUMN;
	case MLINT_OP_DROP_COLUMN: return PG_DROP_COLUMN;
	case MLINT_OP_ALTER_COLUMN: return alter_column_case(o);
	case MLINT_OP_CREATE_INDEX: return conc ? PG_CREATE_INDEX_CONCURRENTLY : PG_CREATE_INDEX;
	case MLINT_OP_DROP_INDEX: return conc ? PG_DROP_INDEX_CONCURRENTLY : PG_DROP_INDEX;
	case MLINT_OP_CREATE_CONSTRAINT: return constraint_case(o);
	case MLINT_OP_DROP_CONSTRAINT: return PG_DROP_CONSTRAINT;
	case MLINT_OP_VALIDATE_CONSTRAINT: return PG_VALIDATE_CONSTRAINT;
	case MLINT_OP_MAINTENANCE: return maintenance_case(o);
	case MLINT_OP_DETACH_PARTITION:
		return conc ? PG_DETACH_PARTITION_CONCURRENTLY : PG_DETACH_PARTITION;
	case MLINT_OP_ATTACH_PARTITION: return PG_ATTACH_PARTITION;
	case MLINT_OP_ALTER_TYPE_ADD_VALUE: return PG_ENUM_ADD_VALUE;
	case MLINT_OP_EXECUTE_DML: case MLINT_OP_BULK_INSERT: case MLINT_OP_LOOP_DML:
		return PG_DML;
	default: return PG_UNKNOWN;
	}
}

const struct pg_cost *pg_cost_of(const struct mlint_op *o)
{
	return pg_cost_row(case_of(o));
}
