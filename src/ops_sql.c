/*
 * The operation model, from SQL: a string given to op.execute / text() is
 * parsed by libpg_query (PostgreSQL 15's own parser, as a library) into a
 * JSON parse tree, read with json_tree.c; each statement becomes operations
 * (one per ALTER TABLE subcommand). A string the parser rejects becomes one
 * MLINT_OP_EXECUTE_UNPARSED: the pattern rules still read its text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <pg_query.h>
#include "mlint/ops.h"
#include "arena.h"
#include "json_tree.h"
#include "util.h"

/* Past this many bytes a string is not handed to the parser: its parse
 * tree would be hundreds of megabytes of JSON. The patterns still read it. */
#define MAX_SQL_BYTES (1024 * 1024)

struct sql_reader {
	struct mlint_ops *out;
	const struct mlint_op *proto;
	const char *sql;
	size_t len;
	unsigned line, col; /* of the statement being read */
	size_t at;          /* where locate() got to */
	unsigned at_line, at_col;
};

static const char *str_of(const struct json_node *obj, const char *key)
{
	return json_str(obj, key);
}

static int bool_of(const struct json_node *obj, const char *key)
{
	return json_true(obj, key);
}

/* {"NodeType": {...}}: the node's fields when its type is `type`. */
static struct json_node *node(const struct json_node *v, const char *type)
{
	return json_get(v, type);
}

static int is_object(const struct json_node *v)
{
	return v && v->type == JSON_OBJECT;
}

#define FOREACH(v, list) for (struct json_node *v = json_first(list); v; v = v->next)

static int keep(struct sql_reader *r, const char *s, const char **out)
{
	*out = NULL;
	if (!s)
		return 0;
	return (*out = mlint_arena_strndup(&r->out->strings, s, strlen(s))) ? 0 : MLINT_ERROR;
}

static struct mlint_op *new_op(struct sql_reader *r, enum mlint_op_kind kind)
{
	struct mlint_op *o;
	if (MLINT_ARRAY_GROW(r->out->items, r->out->alloc, r->out->nr + 1) < 0)
		return NULL;
	o = &r->out->items[r->out->nr++];
	*o = *r->proto;
	o->source = MLINT_FROM_SQL;
	o->kind = kind;
	o->line = r->line;
	o->col = r->col;
	return o;
}

/* The last name of a list of {"String": {"sval": ...}} (a qualified name). */
static const char *last_name(const struct json_node *list)
{
	const struct json_node *last = NULL, *str;
	if (!list || list->type != JSON_ARRAY)
		return NULL;
	FOREACH(e, list)
		last = e;
	str = last ? node(last, "String") : NULL;
	return str ? str_of(str, "sval") : NULL;
}

static int relation(struct sql_reader *r, const struct json_node *stmt, const char **table)
{
	const struct json_node *rel = json_get(stmt, "relation");
	return keep(r, is_object(rel) ? str_of(rel, "relname") : NULL, table);
}

/* Whether an expression tree calls a volatile function (a FuncCall whose
 * name is one): written as text "name(" for mlint_sql_default_is_volatile. */
static int expr_is_volatile(const struct json_node *v, unsigned depth)
{
	if (!v || depth > 64)
		return 0;
	FOREACH(e, v) {
		if (e->key && strcmp(e->key, "FuncCall") == 0) {
			const char *name = last_name(json_get(e, "funcname"));
			char text[96];
			if (name && strlen(name) < sizeof(text) - 2) {
				snprintf(text, sizeof(text), "%s(", name);
				if (mlint_sql_default_is_volatile(text))
					return 1;
			}
		}
		if (expr_is_volatile(e, depth + 1))
			return 1;
	}
	return 0;
}

static const char *const serial_types[] = {"serial", "bigserial", "smallserial", "serial4",
					   "serial8", "serial2"};

/* A ColumnDef of ADD COLUMN: type, default, NOT NULL, identity, generated. */
static int column_def(struct sql_reader *r, struct json_node *def, struct mlint_op *o)
{
	struct json_node *cons = json_get(def, "constraints"), *tn = json_get(def, "typeName");
	const char *type = is_object(tn) ? last_name(json_get(tn, "names")) : NULL;
	size_t i;
	int error;

	if ((error = keep(r, str_of(def, "colname"), &o->column)) < 0 ||
	    (error = keep(r, type, &o->type)) < 0)
		return error;
	for (i = 0; type && i < sizeof(serial_types) / sizeof(serial_types[0]); i++)
		if (strcmp(type, serial_types[i]) == 0)
			o->serial = 1;
	FOREACH(c, cons) {
		struct json_node *k = node(c, "Constraint");
		const char *t = k ? str_of(k, "contype") : NULL;
		if (!t)
			continue;
		if (strcmp(t, "CONSTR_DEFAULT") == 0) {
			o->has_default = 1;
			o->default_volatile = expr_is_volatile(json_get(k, "raw_expr"), 0);
		} else if (strcmp(t, "CONSTR_NOTNULL") == 0) {
			o->nullable = MLINT_TRI_NO;
		} else if (strcmp(t, "CONSTR_NULL") == 0) {
			o->nullable = MLINT_TRI_YES;
		} else if (strcmp(t, "CONSTR_IDENTITY") == 0) {
			o->identity = 1;
		} else if (strcmp(t, "CONSTR_GENERATED") == 0) {
			o->generated_stored = 1;
		} else if (strcmp(t, "CONSTR_PRIMARY") == 0) {
			o->primary_key = 1;
			o->nullable = MLINT_TRI_NO;
		}
	}
	return 0;
}

static const struct {
	const char *contype;
	enum mlint_constraint_kind kind;
} constraint_types[] = {
	{"CONSTR_FOREIGN", MLINT_CONSTRAINT_FOREIGN_KEY},
	{"CONSTR_UNIQUE", MLINT_CONSTRAINT_UNIQUE},
	{"CONSTR_CHECK", MLINT_CONSTRAINT_CHECK},
	{"CONSTR_PRIMARY", MLINT_CONSTRAINT_PRIMARY_KEY},
	{"CONSTR_EXCLUSION", MLINT_CONSTRAINT_EXCLUDE},
	{"CONSTR_NOTNULL", MLINT_CONSTRAINT_NOT_NULL},
};

static int add_constraint(struct sql_reader *r, struct json_node *k, struct mlint_op *o)
{
	const char *t = str_of(k, "contype");
	struct json_node *pk = json_get(k, "pktable");
	int error;

	for (size_t i = 0; t && i < sizeof(constraint_types) / sizeof(constraint_types[0]); i++)
		if (strcmp(t, constraint_types[i].contype) == 0)
			o->constraint = constraint_types[i].kind;
	o->not_valid = bool_of(k, "skip_validation") ? MLINT_TRI_YES : MLINT_TRI_NO;
	o->using_index = str_of(k, "indexname") != NULL;
	if ((error = keep(r, str_of(k, "conname"), &o->name)) < 0 ||
	    (error = keep(r, str_of(k, "indexname"), &o->index)) < 0)
		return error;
	return keep(r, is_object(pk) ? str_of(pk, "relname") : NULL, &o->referenced);
}

/* One ALTER TABLE subcommand. */
static int alter_table_cmd(struct sql_reader *r, struct json_node *cmd, const char *table, int if_exists)
{
	const char *sub = str_of(cmd, "subtype"), *name = str_of(cmd, "name");
	struct json_node *def = json_get(cmd, "def");
	struct mlint_op *o;
	enum mlint_op_kind kind = MLINT_OP_EXECUTE_DDL;
	int error;

	if (!sub)
		return 0;
	if (strcmp(sub, "AT_AddColumn") == 0) kind = MLINT_OP_ADD_COLUMN;
	else if (strcmp(sub, "AT_DropColumn") == 0) kind = MLINT_OP_DROP_COLUMN;
	else if (strcmp(sub, "AT_AlterColumnType") == 0 || strcmp(sub, "AT_SetNotNull") == 0 ||
		 strcmp(sub, "AT_DropNotNull") == 0 || strcmp(sub, "AT_ColumnDefault") == 0)
		kind = MLINT_OP_ALTER_COLUMN;
	else if (strcmp(sub, "AT_AddConstraint") == 0) kind = MLINT_OP_CREATE_CONSTRAINT;
	else if (strcmp(sub, "AT_DropConstraint") == 0) kind = MLINT_OP_DROP_CONSTRAINT;
	else if (strcmp(sub, "AT_ValidateConstraint") == 0) kind = MLINT_OP_VALIDATE_CONSTRAINT;
	else if (strcmp(sub, "AT_DetachPartition") == 0) kind = MLINT_OP_DETACH_PARTITION;
	else if (strcmp(sub, "AT_AttachPartition") == 0) kind = MLINT_OP_ATTACH_PARTITION;
	if (!(o = new_op(r, kind)))
		return MLINT_ERROR;
	o->if_exists = if_exists ? MLINT_TRI_YES : MLINT_TRI_UNSET;
	if ((error = keep(r, table, &o->table)) < 0)
		return error;
	switch (kind) {
	case MLINT_OP_ADD_COLUMN: {
		struct json_node *cd = node(def, "ColumnDef");
		return cd ? column_def(r, cd, o) : 0;
	}
	case MLINT_OP_DROP_COLUMN:
		return keep(r, name, &o->column);
	case MLINT_OP_ALTER_COLUMN:
		if ((error = keep(r, name, &o->column)) < 0)
			return error;
		if (strcmp(sub, "AT_SetNotNull") == 0)
			o->nullable = MLINT_TRI_NO;
		else if (strcmp(sub, "AT_DropNotNull") == 0)
			o->nullable = MLINT_TRI_YES;
		else if (strcmp(sub, "AT_ColumnDefault") == 0)
			o->has_default = def != NULL;
		else {
			struct json_node *cd = node(def, "ColumnDef"), *tn = cd ? json_get(cd, "typeName") : NULL;
			return keep(r, is_object(tn) ? last_name(json_get(tn, "names")) : "?",
				    &o->type);
		}
		return 0;
	case MLINT_OP_CREATE_CONSTRAINT: {
		struct json_node *k = node(def, "Constraint");
		return k ? add_constraint(r, k, o) : 0;
	}
	case MLINT_OP_DROP_CONSTRAINT: case MLINT_OP_VALIDATE_CONSTRAINT:
		return keep(r, name, &o->name);
	case MLINT_OP_DETACH_PARTITION: case MLINT_OP_ATTACH_PARTITION: {
		struct json_node *pc = node(def, "PartitionCmd"), *rel = pc ? json_get(pc, "name") : NULL;
		o->concurrently = pc && bool_of(pc, "concurrent") ? MLINT_TRI_YES : MLINT_TRI_NO;
		return keep(r, is_object(rel) ? str_of(rel, "relname") : NULL, &o->name);
	}
	default:
		return keep(r, sub, &o->name);
	}
}

static int alter_table(struct sql_reader *r, struct json_node *st)
{
	struct json_node *cmds = json_get(st, "cmds");
	const char *objtype = str_of(st, "objtype"), *table = NULL;
	int error;

	if (objtype && strcmp(objtype, "OBJECT_TABLE") != 0) {
		struct mlint_op *o = new_op(r, MLINT_OP_EXECUTE_DDL);
		return o ? relation(r, st, &o->table) : MLINT_ERROR;
	}
	if ((error = relation(r, st, &table)) < 0)
		return error;
	FOREACH(c, cmds) {
		struct json_node *cmd = node(c, "AlterTableCmd");
		if (cmd && (error = alter_table_cmd(r, cmd, table, bool_of(st, "missing_ok"))) < 0)
			return error;
	}
	return 0;
}

static int rename_stmt(struct sql_reader *r, struct json_node *st)
{
	const char *type = str_of(st, "renameType");
	struct mlint_op *o;
	int error;
	enum mlint_op_kind kind = !type ? MLINT_OP_EXECUTE_DDL
				  : strcmp(type, "OBJECT_TABLE") == 0 ? MLINT_OP_RENAME_TABLE
				  : strcmp(type, "OBJECT_COLUMN") == 0 ? MLINT_OP_RENAME_COLUMN
				  : MLINT_OP_EXECUTE_DDL;

	if (!(o = new_op(r, kind)))
		return MLINT_ERROR;
	if ((error = relation(r, st, &o->table)) < 0 ||
	    (error = keep(r, str_of(st, "newname"), &o->new_name)) < 0)
		return error;
	if (kind == MLINT_OP_RENAME_TABLE)
		o->name = o->table;
	return keep(r, str_of(st, "subname"), kind == MLINT_OP_RENAME_COLUMN ? &o->column
									   : &o->name);
}

static int index_stmt(struct sql_reader *r, struct json_node *st)
{
	struct mlint_op *o = new_op(r, MLINT_OP_CREATE_INDEX);
	struct json_node *params = json_get(st, "indexParams");
	struct json_node *first = node(json_first(params), "IndexElem");
	int error;

	if (!o)
		return MLINT_ERROR;
	o->concurrently = bool_of(st, "concurrent") ? MLINT_TRI_YES : MLINT_TRI_NO;
	o->unique = bool_of(st, "unique") ? MLINT_TRI_YES : MLINT_TRI_NO;
	if ((error = relation(r, st, &o->table)) < 0 ||
	    (error = keep(r, str_of(st, "idxname"), &o->name)) < 0)
		return error;
	return keep(r, first ? str_of(first, "name") : NULL, &o->column);
}

static int drop_stmt(struct sql_reader *r, struct json_node *st)
{
	const char *type = str_of(st, "removeType");
	struct json_node *objects = json_get(st, "objects");
	enum mlint_op_kind kind = !type ? MLINT_OP_EXECUTE_DDL
				  : strcmp(type, "OBJECT_TABLE") == 0 ? MLINT_OP_DROP_TABLE
				  : strcmp(type, "OBJECT_INDEX") == 0 ? MLINT_OP_DROP_INDEX
				  : MLINT_OP_EXECUTE_DDL;

	FOREACH(obj, objects) {
		struct json_node *list = node(obj, "List");
		const char *name = list ? last_name(json_get(list, "items")) : NULL;
		struct mlint_op *o = new_op(r, kind);
		int error;
		if (!o)
			return MLINT_ERROR;
		o->concurrently = bool_of(st, "concurrent") ? MLINT_TRI_YES : MLINT_TRI_NO;
		o->if_exists = bool_of(st, "missing_ok") ? MLINT_TRI_YES : MLINT_TRI_NO;
		if ((error = keep(r, name, kind == MLINT_OP_DROP_TABLE ? &o->table : &o->name)) < 0)
			return error;
	}
	return 0;
}

/* DefElem names of a VACUUM / REINDEX option list. */
static int has_option(struct json_node *list, const char *name)
{
	FOREACH(d, list) {
		struct json_node *e = node(d, "DefElem");
		const char *n = e ? str_of(e, "defname") : NULL;
		if (n && strcmp(n, name) == 0)
			return 1;
	}
	return 0;
}

static int maintenance(struct sql_reader *r, struct json_node *st, enum mlint_maintenance_kind kind)
{
	struct mlint_op *o = new_op(r, MLINT_OP_MAINTENANCE);
	struct json_node *rels = json_get(st, "rels");
	struct json_node *first = node(json_first(rels), "VacuumRelation");

	if (!o)
		return MLINT_ERROR;
	o->maintenance = kind;
	if (kind == MLINT_MAINT_REINDEX) {
		const char *what = str_of(st, "kind");
		o->concurrently = has_option(json_get(st, "params"), "concurrently")
					  ? MLINT_TRI_YES : MLINT_TRI_NO;
		/* REINDEX INDEX names the index, not its table */
		if (what && strcmp(what, "REINDEX_OBJECT_INDEX") == 0)
			return relation(r, st, &o->name);
	}
	if (first)
		return relation(r, first, &o->table);
	return relation(r, st, &o->table);
}

static int vacuum_stmt(struct sql_reader *r, struct json_node *st)
{
	struct json_node *opts = json_get(st, "options");
	enum mlint_maintenance_kind kind = !bool_of(st, "is_vacuumcmd") ? MLINT_MAINT_ANALYZE
					   : has_option(opts, "full") ? MLINT_MAINT_VACUUM_FULL
					   : MLINT_MAINT_VACUUM;
	return maintenance(r, st, kind);
}

static int dml(struct sql_reader *r, struct json_node *st, enum mlint_dml_kind kind)
{
	struct mlint_op *o = new_op(r, MLINT_OP_EXECUTE_DML);
	if (!o)
		return MLINT_ERROR;
	o->dml = kind;
	o->has_where = json_get(st, "whereClause") != NULL;
	return relation(r, st, &o->table);
}

static int transaction_stmt(struct sql_reader *r, struct json_node *st)
{
	struct mlint_op *o = new_op(r, MLINT_OP_TRANSACTION);
	const char *kind = str_of(st, "kind");
	static const char prefix[] = "TRANS_STMT_";

	if (!o)
		return MLINT_ERROR;
	if (kind && strncmp(kind, prefix, sizeof(prefix) - 1) == 0)
		kind += sizeof(prefix) - 1;
	return keep(r, kind, &o->name);
}

static int enum_stmt(struct sql_reader *r, struct json_node *st)
{
	const char *value = str_of(st, "newVal"), *old = str_of(st, "oldVal");
	struct mlint_op *o = new_op(r, !value ? MLINT_OP_EXECUTE_DDL
				    : old ? MLINT_OP_ALTER_TYPE_RENAME_VALUE
				    : MLINT_OP_ALTER_TYPE_ADD_VALUE);
	int error;

	if (!o)
		return MLINT_ERROR;
	o->if_exists = bool_of(st, "skipIfNewValExists") ? MLINT_TRI_YES : MLINT_TRI_NO;
	if ((error = keep(r, last_name(json_get(st, "typeName")), &o->table)) < 0 ||
	    (error = keep(r, old, &o->name)) < 0)
		return error;
	return keep(r, value, &o->value);
}

/* CREATE TYPE x AS ENUM (...) */
static int create_enum_stmt(struct sql_reader *r, struct json_node *st)
{
	struct mlint_op *o = new_op(r, MLINT_OP_CREATE_TYPE);

	if (!o)
		return MLINT_ERROR;
	return keep(r, last_name(json_get(st, "typeName")), &o->name);
}

static int set_stmt(struct sql_reader *r, struct json_node *st)
{
	struct mlint_op *o = new_op(r, MLINT_OP_SET_SETTING);
	struct json_node *args = json_get(st, "args");
	struct json_node *c = node(json_first(args), "A_Const");
	struct json_node *sv = c ? node(c, "sval") : NULL, *iv = c ? node(c, "ival") : NULL;
	char num[32];
	int error;

	if (!o)
		return MLINT_ERROR;
	o->local = bool_of(st, "is_local");
	if ((error = keep(r, str_of(st, "name"), &o->name)) < 0)
		return error;
	if (sv)
		return keep(r, str_of(sv, "sval"), &o->value);
	if (iv) {
		snprintf(num, sizeof(num), "%lld",
			 json_get(iv, "ival") ? json_get(iv, "ival")->num : 0);
		return keep(r, num, &o->value);
	}
	return 0;
}

static int create_stmt(struct sql_reader *r, struct json_node *st, int into)
{
	struct mlint_op *o = new_op(r, MLINT_OP_CREATE_TABLE);
	struct json_node *in = into ? json_get(st, "into") : NULL;
	if (!o)
		return MLINT_ERROR;
	return relation(r, in ? in : st, &o->table);
}

static int statement(struct sql_reader *r, struct json_node *stmt)
{
	if (!is_object(stmt) || json_size(stmt) != 1)
		return 0;
	{
		struct json_node *st = json_first(stmt);
		const char *type = st->key;
		if (strcmp(type, "AlterTableStmt") == 0) return alter_table(r, st);
		if (strcmp(type, "RenameStmt") == 0) return rename_stmt(r, st);
		if (strcmp(type, "IndexStmt") == 0) return index_stmt(r, st);
		if (strcmp(type, "DropStmt") == 0) return drop_stmt(r, st);
		if (strcmp(type, "CreateStmt") == 0) return create_stmt(r, st, 0);
		if (strcmp(type, "CreateTableAsStmt") == 0) return create_stmt(r, st, 1);
		if (strcmp(type, "VacuumStmt") == 0) return vacuum_stmt(r, st);
		if (strcmp(type, "ReindexStmt") == 0) return maintenance(r, st, MLINT_MAINT_REINDEX);
		if (strcmp(type, "ClusterStmt") == 0) return maintenance(r, st, MLINT_MAINT_CLUSTER);
		if (strcmp(type, "UpdateStmt") == 0) return dml(r, st, MLINT_DML_UPDATE);
		if (strcmp(type, "DeleteStmt") == 0) return dml(r, st, MLINT_DML_DELETE);
		if (strcmp(type, "InsertStmt") == 0) return dml(r, st, MLINT_DML_INSERT);
		if (strcmp(type, "TransactionStmt") == 0) return transaction_stmt(r, st);
		if (strcmp(type, "AlterEnumStmt") == 0) return enum_stmt(r, st);
		if (strcmp(type, "CreateEnumStmt") == 0) return create_enum_stmt(r, st);
		if (strcmp(type, "VariableSetStmt") == 0) return set_stmt(r, st);
		if (strcmp(type, "SelectStmt") == 0) return 0;
		return new_op(r, MLINT_OP_EXECUTE_DDL) ? 0 : MLINT_ERROR;
	}
}

/* Line and column of byte `at` of the SQL, counted on from the previous
 * statement's (statements come in order): linear in the string. */
static void locate(struct sql_reader *r, size_t at)
{
	if (at < r->at) {
		r->at = 0;
		r->at_line = r->proto->line;
		r->at_col = r->proto->col;
	}
	for (size_t i = r->at; i < at && i < r->len; i++) {
		if (r->sql[i] == '\n') {
			r->at_line++;
			r->at_col = 1;
		} else if (((unsigned char)r->sql[i] & 0xC0) != 0x80) {
			r->at_col++;
		}
	}
	r->at = at;
	r->line = r->at_line;
	r->col = r->at_col;
}

/* Statements start after blanks the parser's location counts. */
static size_t skip_blanks(const char *s, size_t at, size_t len)
{
	while (at < len && (s[at] == ' ' || s[at] == '\t' || s[at] == '\n' || s[at] == '\r'))
		at++;
	return at;
}

/* The length of the word `PRAGMA` (any case) at s[at], else 0. */
static size_t pragma_at(const char *s, size_t at, size_t len)
{
	static const char word[] = "pragma";
	size_t n = sizeof(word) - 1;
	if (len - at <= n || strncasecmp(s + at, word, n) != 0 ||
	    !(s[at + n] == ' ' || s[at + n] == '\t' || s[at + n] == '\n' || s[at + n] == '\r'))
		return 0;
	return n;
}

/* SQLite's PRAGMA statements (libpg_query rejects them): settings of the
 * database file or the connection, no schema change. Sets *name to the first
 * pragma's name when every ';'-separated statement of the string is one. */
static int only_pragmas(const char *s, size_t len, char *name, size_t size)
{
	size_t at = 0, nr = 0;

	while ((at = skip_blanks(s, at, len)) < len) {
		size_t n = pragma_at(s, at, len), end;
		if (!n)
			return 0;
		at = skip_blanks(s, at + n, len);
		for (end = at; end < len && s[end] != ';'; end++)
			if (s[end] == '\'' || s[end] == '"')
				return 0; /* quoted values: leave them to the patterns */
		if (nr++ == 0) {
			size_t w = 0;
			while (at + w < len && w + 1 < size &&
			       (isalnum((unsigned char)s[at + w]) || s[at + w] == '_' || s[at + w] == '.'))
				w++;
			memcpy(name, s + at, w);
			name[w] = '\0';
		}
		at = end < len ? end + 1 : len;
	}
	return nr > 0;
}

static int unparsed(struct sql_reader *r)
{
	char pragma[64];

	locate(r, 0);
	if (only_pragmas(r->sql, r->len, pragma, sizeof(pragma))) {
		struct mlint_op *o = new_op(r, MLINT_OP_SET_SETTING);
		return o ? keep(r, pragma, &o->name) : MLINT_ERROR;
	}
	r->out->nr_sql_unparsed++;
	return new_op(r, MLINT_OP_EXECUTE_UNPARSED) ? 0 : MLINT_ERROR;
}

static int read_tree(struct sql_reader *r, char *tree)
{
	struct json_tree t;
	int oom, error = 0;

	if (json_tree_parse(&t, tree, &oom) < 0)
		return oom ? MLINT_ERROR : unparsed(r);
	FOREACH(s, json_get(t.root, "stmts")) {
		const struct json_node *loc = json_get(s, "stmt_location");
		long long at = loc ? loc->num : 0;
		locate(r, skip_blanks(r->sql, at > 0 ? (size_t)at : 0, r->len));
		if ((error = statement(r, json_get(s, "stmt"))) < 0)
			break;
	}
	json_tree_release(&t);
	return error;
}

static int is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/*
 * text() writes bind parameters as :name, which PostgreSQL's grammar does
 * not know: each becomes $1 padded with blanks to the same length, so
 * offsets (and the lines found from them) stay right. Quoted text and ::
 * casts are left alone. Returns a new string, or NULL when out of memory.
 */
static char *bind_params_to_dollars(const char *sql, size_t len)
{
	char *out = malloc(len + 1), quote = 0;

	if (!out)
		return NULL;
	memcpy(out, sql, len + 1);
	for (size_t i = 0; i < len; i++) {
		char c = out[i];
		if (quote) {
			if (c == quote)
				quote = 0;
			continue;
		}
		if (c == '\'' || c == '"') {
			quote = c;
			continue;
		}
		if (c != ':' || i + 1 >= len || !is_name_char(out[i + 1]) ||
		    (i > 0 && out[i - 1] == ':') || out[i + 1] == ':')
			continue;
		out[i] = '$';
		out[i + 1] = '1';
		for (i += 2; i < len && is_name_char(out[i]); i++)
			out[i] = ' ';
		i--;
	}
	return out;
}

int mlint_ops_read_sql(struct mlint_ops *out, const char *sql, size_t len,
		       const struct mlint_op *proto)
{
	struct sql_reader r = {out, proto, sql, len, proto->line, proto->col, 0, proto->line,
			       proto->col};
	PgQueryParseResult res;
	char *text = NULL;
	int error;

	/* a NUL inside the string would cut it short: leave it to the patterns */
	if (len > MAX_SQL_BYTES || memchr(sql, '\0', len) || sql[len] != '\0')
		return unparsed(&r);
	if (memchr(sql, ':', len) && !(text = bind_params_to_dollars(sql, len)))
		return mlint_error_set("out of memory");
	res = pg_query_parse(text ? text : sql);
	free(text);
	if (res.error || !res.parse_tree)
		error = unparsed(&r);
	else
		error = read_tree(&r, res.parse_tree);
	pg_query_free_parse_result(res);
	return error;
}
