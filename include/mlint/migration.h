/*
 * migration.h: what one migration file declares, read from its text.
 *
 * mlint_migration_scan() runs the tokenizer over a file's bytes and extracts
 * the module-level identifiers (revision, down_revision, branch_labels,
 * depends_on; plain or annotated assignments), the header (module docstring,
 * a docstring after comments or imports, or a comment block), the
 * upgrade_*, downgrade_* functions with their spans and body kind, and every call
 * inside them. Nothing is imported or executed; a value that is not a literal
 * is kept as its source expression, never guessed.
 *
 * Ownership: the caller owns the struct (init/release); every string in it is
 * owned by it and outlives the scanned bytes, which are only borrowed during
 * the scan.
 */
#ifndef MLINT_MIGRATION_H
#define MLINT_MIGRATION_H

#include <stddef.h>

struct mlint_arena_block;

enum mlint_value_kind {
	MLINT_VAL_ABSENT = 0, /* never assigned */
	MLINT_VAL_NONE,       /* None, '', (), [] */
	MLINT_VAL_STR,        /* one string */
	MLINT_VAL_SEQ,        /* a tuple or list of strings (also one-element) */
	MLINT_VAL_EXPR,       /* anything else: items[0] is the source text */
};

struct mlint_value {
	char **items;
	unsigned nr;
	enum mlint_value_kind kind;
	unsigned line, col; /* where the value starts (1-based) */
};

struct mlint_header {
	char *message;     /* first line of the docstring or comment block */
	char *revision_id; /* "Revision ID:" */
	char *revises;     /* "Revises:" as written */
	char *create_date; /* "Create Date:" as written */
	unsigned line;     /* where the header starts; 0 when there is none */
	unsigned revision_id_line, revises_line, create_date_line;
};

enum mlint_body_kind {
	MLINT_BODY_EMPTY,    /* only pass, ..., a docstring or comments */
	MLINT_BODY_RAISE,    /* only a raise (and docstring/pass) */
	MLINT_BODY_CODE,     /* does something */
};

struct mlint_function {
	char *name;         /* "upgrade", "downgrade_engine1", ... */
	int is_upgrade;     /* 1 upgrade*, 0 downgrade* */
	int has_params;
	unsigned line;      /* of the first decorator, else of "def" */
	unsigned def_line;
	unsigned end_line;  /* last line of the body */
	enum mlint_body_kind body;
	size_t start_off, end_off;
	char *raises;       /* exception name when body == MLINT_BODY_RAISE */
	size_t first_call, nr_calls; /* slice of mlint_migration.calls */
};

struct mlint_call {
	char *name;      /* dotted callee: "op.drop_table", "batch_op.add_column" */
	char *first_arg; /* value of the first argument when it is a string, else NULL */
	unsigned line, col;
	size_t off, end; /* byte span of the call, callee to closing bracket */
	size_t function; /* index into mlint_migration.functions */
	int on_value;    /* the callee follows a '.' (`x.y()\n    .first()`): a
			  * method of the value before it; `name` is not a name
			  * the file binds */
};

/*
 * `with CALLEE(...) as NAME:` inside an upgrade_* / downgrade_* function, e.g.
 * `with op.batch_alter_table('species') as batch_op:`. Python binds NAME for
 * the rest of the function, so calls on NAME after `line` are on it.
 */
struct mlint_alias {
	char *name;      /* "batch_op", "b", ... */
	char *callee;    /* dotted callee of the context manager: "op.batch_alter_table" */
	char *first_arg; /* its first argument when a string (the table), else NULL */
	unsigned line;   /* of the `with` */
	size_t function; /* index into mlint_migration.functions */
};

/*
 * A compound statement that opens a block inside an upgrade_* / downgrade_*
 * function: `with EXPR:` (with or without `as`), `for ...:` or `while ...:`.
 * Calls on lines line..end_line of the same function are inside it.
 */
enum mlint_block_kind {
	MLINT_BLOCK_WITH = 0,
	MLINT_BLOCK_LOOP,     /* for / while */
};

struct mlint_block {
	enum mlint_block_kind kind;
	char *expr;        /* with: the context expressions ("op.get_context().autocommit_block()") */
	unsigned line;     /* of the with / for / while */
	unsigned end_line; /* last line of its body */
	size_t function;   /* index into mlint_migration.functions */
	unsigned depth;    /* indentation level of the statement (private) */
};

/* A comment that holds "mlint:" (a suppression), anywhere in the file. */
struct mlint_directive {
	char *text;        /* the comment, from its '#' */
	unsigned line, col;
	int own_line;      /* nothing but blanks before it on its line */
};

/* Something in the file Python itself would reject. */
struct mlint_source_problem {
	char *message;
	unsigned line, col;
};

struct mlint_migration {
	struct mlint_value revision;
	struct mlint_value down_revision;
	struct mlint_value branch_labels;
	struct mlint_value depends_on;
	struct mlint_header header;
	struct mlint_function *functions;
	size_t nr_functions;
	struct mlint_call *calls;
	size_t nr_calls;
	struct mlint_source_problem *problems;
	size_t nr_problems;
	unsigned nr_lines;
	/* Not filled with MLINT_SCAN_NO_CALLS (nor the functions' body kinds and
	 * end lines): */
	/* The first line whose tokens look like a syntax error the tokenizer
	 * does not see (`x = = 1`, two names in a row, an unexpected indent),
	 * or 0: a cheap sign that the file is worth compiling. */
	unsigned suspect_line;
	/* The first line that starts with a merge conflict marker outside a
	 * string (<<<<<<<, =======, >>>>>>>, |||||||), or 0. */
	unsigned conflict_line;
	struct mlint_alias *aliases;
	size_t nr_aliases;
	struct mlint_directive *directives;
	size_t nr_directives;
	struct mlint_block *blocks; /* in the order they open */
	size_t nr_blocks;
	/* Owns the strings of calls and aliases (private: src/arena.h). */
	struct mlint_arena_block *strings;
	/* After a scan, one block holding the functions, problems and
	 * directives arrays, the values' items and every string of those and of
	 * the header (private: released with the migration; when NULL each is
	 * its own allocation). */
	void *kept;
};

void mlint_migration_init(struct mlint_migration *m);
void mlint_migration_release(struct mlint_migration *m);

/* Frees the calls and aliases (the bulk of a scanned migration) once the
 * rules that read them are done; functions then list no calls. */
void mlint_migration_drop_calls(struct mlint_migration *m);

/*
 * Scans `len` bytes of Python source. Problems in the file (unterminated
 * strings, NUL bytes, invalid UTF-8, ...) are recorded in m->problems, never
 * returned as errors. Returns 0, or MLINT_ERROR when out of memory.
 */
int mlint_migration_scan(struct mlint_migration *m, const char *src, size_t len);

enum mlint_scan_flags {
	MLINT_SCAN_NO_CALLS = 1 << 0, /* skip calls, aliases, directives and function bodies
				       * (enough for the graph) */
};

/* mlint_migration_scan with mlint_scan_flags. */
int mlint_migration_scan_with(struct mlint_migration *m, const char *src, size_t len,
			      unsigned flags);

/*
 * Moves the arrays and strings a scan leaves (see `kept`) into one block of
 * their exact size: for a migration filled by other means (the cache). Out
 * of memory leaves it as it was.
 */
void mlint_migration_compact(struct mlint_migration *m);

/* True when the file declares a literal `revision` string. */
int mlint_migration_has_revision(const struct mlint_migration *m);

/* The declared revision id, or NULL. Borrowed. */
const char *mlint_migration_revision(const struct mlint_migration *m);

/* True when the file assigns revision and down_revision at module level. */
int mlint_migration_looks_like_migration(const struct mlint_migration *m);

const struct mlint_function *mlint_migration_function(const struct mlint_migration *m,
						      const char *name);

/*
 * The alias that `name` (the first part of a dotted callee) is bound to in
 * function `function` at `line`: the last `with ... as name` before it, or
 * NULL.
 */
const struct mlint_alias *mlint_migration_alias(const struct mlint_migration *m,
						size_t function, const char *name, size_t name_len,
						unsigned line);

/* Whether line `line` of function `function` is inside a block of `kind`
 * whose expression contains `word` (any block of that kind when NULL). */
const struct mlint_block *mlint_migration_block_at(const struct mlint_migration *m,
						   size_t function, unsigned line,
						   enum mlint_block_kind kind, const char *word);

#endif
