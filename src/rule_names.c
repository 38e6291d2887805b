/*
 * undefined-name: a name a migration's functions call through (`sa.Column`,
 * `sqlalchemy.text(...)`, `postgresql.UUID(...)`, `text(...)`) that
 * nothing in the file binds: no import, assignment, def, class, parameter,
 * for, with-as, except-as or global. Python raises NameError when the
 * function runs, at deploy or at rollback.
 *
 * Only certain cases: every whole-word occurrence of the name in the file's
 * text (strings and comments included, which can only hold a finding back)
 * must be a use, `NAME.` or `NAME(` in an expression; any other occurrence
 * may bind it and the name is left alone. A star import, exec(), globals()
 * or __builtins__ make the whole file uncertain.
 */
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include "check_files.h"
#include "util.h"

static const char *const builtins[] = {
	"ArithmeticError", "AssertionError", "AttributeError", "BaseException",
	"BaseExceptionGroup", "BlockingIOError", "BrokenPipeError", "BufferError", "BytesWarning",
	"ChildProcessError", "ConnectionAbortedError", "ConnectionError",
	"ConnectionRefusedError", "ConnectionResetError", "DeprecationWarning", "EOFError",
	"Ellipsis", "EncodingWarning", "EnvironmentError", "Exception", "ExceptionGroup", "False",
	"FileExistsError", "FileNotFoundError", "FloatingPointError", "FutureWarning",
	"GeneratorExit", "IOError", "ImportError", "ImportWarning", "IndentationError",
	"IndexError", "InterruptedError", "IsADirectoryError", "KeyError", "KeyboardInterrupt",
	"LookupError", "MemoryError", "ModuleNotFoundError", "NameError", "None",
	"NotADirectoryError", "NotImplemented", "NotImplementedError", "OSError", "OverflowError",
	"PendingDeprecationWarning", "PermissionError", "ProcessLookupError", "RecursionError",
	"ReferenceError", "ResourceWarning", "RuntimeError", "RuntimeWarning",
	"StopAsyncIteration", "StopIteration", "SyntaxError", "SyntaxWarning", "SystemError",
	"SystemExit", "TabError", "TimeoutError", "True", "TypeError", "UnboundLocalError",
	"UnicodeDecodeError", "UnicodeEncodeError", "UnicodeError", "UnicodeTranslateError",
	"UnicodeWarning", "UserWarning", "ValueError", "Warning", "ZeroDivisionError", "abs",
	"aiter", "all", "anext", "any", "ascii", "bin", "bool", "breakpoint", "bytearray", "bytes",
	"callable", "chr", "classmethod", "compile", "complex", "copyright", "credits", "delattr",
	"dict", "dir", "divmod", "enumerate", "eval", "exec", "exit", "filter", "float", "format",
	"frozenset", "getattr", "globals", "hasattr", "hash", "help", "hex", "id", "input", "int",
	"isinstance", "issubclass", "iter", "len", "license", "list", "locals", "map", "max",
	"memoryview", "min", "next", "object", "oct", "open", "ord", "pow", "print", "property",
	"quit", "range", "repr", "reversed", "round", "set", "setattr", "slice", "sorted",
	"staticmethod", "str", "sum", "super", "tuple", "type", "vars", "zip",
	/* keywords a call list may hold */
	"and", "assert", "await", "del", "elif", "if", "in", "is", "lambda", "not", "or",
	"raise", "return", "while", "with", "yield", NULL,
};

static int is_builtin(const char *p, size_t n)
{
	if (n > 4 && p[0] == '_' && p[1] == '_' && p[n - 1] == '_' && p[n - 2] == '_')
		return 1; /* __name__, __file__, ... */
	for (size_t i = 0; builtins[i]; i++)
		if (strlen(builtins[i]) == n && memcmp(builtins[i], p, n) == 0)
			return 1;
	return 0;
}

static int is_word_byte(unsigned char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c >= 0x80;
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* The word that ends just before `at` on its line (blanks skipped), or an
 * empty slice. */
static size_t word_before(const char *line, const char *at, const char **word)
{
	const char *e = at, *b;
	while (e > line && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	b = e;
	while (b > line && is_word_byte((unsigned char)b[-1]))
		b--;
	*word = b;
	return (size_t)(e - b);
}

static int word_is(const char *w, size_t n, const char *text)
{
	return strlen(text) == n && memcmp(w, text, n) == 0;
}

enum occurrence { OCC_NEITHER, OCC_USE, OCC_MAY_BIND };

/* In an import: `NAME as other` and `NAME.sub as other` bind only other. */
static enum occurrence imported(const char *at, size_t n, const char *end)
{
	const char *p = at + n;
	while (p < end && (is_word_byte((unsigned char)*p) || *p == '.'))
		p++;
	p = skip_blanks(p, end);
	if (p + 3 <= end && p[0] == 'a' && p[1] == 's' && !is_word_byte((unsigned char)p[2]))
		return OCC_NEITHER;
	return OCC_MAY_BIND;
}

/* What the occurrence of the name at [at, at + n) is. */
static enum occurrence classify(const char *src, size_t len, const char *at, size_t n)
{
	const char *end = src + len, *line = at, *first, *next, *w, *imp;
	size_t wn;

	if (at > src && at[-1] == '.')
		return OCC_NEITHER; /* x.NAME: an attribute */
	while (line > src && line[-1] != '\n' && line[-1] != '\r')
		line--;
	if (line > src + 1 && (line[-2] == '\\' || (line[-2] == '\r' && line > src + 2 &&
						     line[-3] == '\\')))
		return OCC_MAY_BIND; /* a continued line: its statement is not known */
	first = skip_blanks(line, at);
	if (first + 7 <= end && memcmp(first, "import", 6) == 0 && !is_word_byte((unsigned char)first[6]))
		return imported(at, n, end);
	if (first + 5 <= end && memcmp(first, "from", 4) == 0 && !is_word_byte((unsigned char)first[4])) {
		/* from NAME.x import y binds y only; from x import NAME binds it */
		for (imp = first + 4; imp + 8 <= at; imp++)
			if (memcmp(imp, " import ", 8) == 0)
				return imported(at, n, end);
		return OCC_NEITHER;
	}
	next = skip_blanks(at + n, end);
	if (next >= end || (*next != '.' && *next != '('))
		return OCC_MAY_BIND; /* NAME = ..., NAME in ..., (NAME), NAME: ... */
	wn = word_before(line, at, &w);
	if (word_is(w, wn, "def") || word_is(w, wn, "class") || word_is(w, wn, "as") ||
	    word_is(w, wn, "import") || word_is(w, wn, "global") || word_is(w, wn, "nonlocal") ||
	    word_is(w, wn, "for"))
		return OCC_MAY_BIND;
	return OCC_USE;
}

/* The next occurrence of name[0, n) at or after p: memchr for its first
 * byte, then a compare (glibc's memmem sets up tables on every call, and
 * the names searched are short: op, sa, postgresql). */
static const char *find_name(const char *p, const char *end, const char *name, size_t n)
{
	while (end - p >= (ptrdiff_t)n && (p = memchr(p, name[0], (size_t)(end - p) - n + 1)))
		if (memcmp(p, name, n) == 0)
			return p;
		else
			p++;
	return NULL;
}

/* 1 when every whole-word occurrence of name[0, n) in the text is a use. */
static int only_used(const char *src, size_t len, const char *name, size_t n)
{
	const char *end = src + len, *p = src;
	int uses = 0;

	while ((p = find_name(p, end, name, n)) != NULL) {
		if ((p == src || !is_word_byte((unsigned char)p[-1])) &&
		    (p + n == end || !is_word_byte((unsigned char)p[n]))) {
			enum occurrence o = classify(src, len, p, n);
			if (o == OCC_MAY_BIND)
				return 0;
			uses += o == OCC_USE;
		}
		p++;
	}
	return uses > 0;
}

static int has_word(const char *src, size_t len, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = src; (p = find_name(p, src + len, word, n)) != NULL; p++)
		if ((p == src || !is_word_byte((unsigned char)p[-1])) &&
		    (p + n == src + len || !is_word_byte((unsigned char)p[n])))
			return 1;
	return 0;
}

/* A file without a single import statement is a fragment (a test fixture,
 * a template piece), not a migration generated by Alembic, which always
 * imports op: nothing is certain about what it is run with. */
static int has_import(const char *src, size_t len)
{
	const char *p = src, *end = src + len;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		p = skip_blanks(p, eol);
		if ((eol - p > 5 && memcmp(p, "from ", 5) == 0) ||
		    (eol - p > 7 && memcmp(p, "import ", 7) == 0))
			return 1;
		p = eol + 1;
	}
	return 0;
}

/* Star imports and the ways to bind a name without writing it. */
static int uncertain_file(const char *src, size_t len)
{
	static const char *const words[] = {"globals", "exec", "__builtins__", "setattr",
					    "locals", "__dict__", "sys.modules", NULL};
	for (const char *p = src; (p = memchr(p, '*', len - (size_t)(p - src))) != NULL; p++) {
		const char *b = p;
		while (b > src && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '('))
			b--;
		if (b - src >= 6 && memcmp(b - 6, "import", 6) == 0)
			return 1;
	}
	for (size_t i = 0; words[i]; i++)
		if (has_word(src, len, words[i]))
			return 1;
	return 0;
}

/* The import that defines a name migrations use, for the fix. */
static const char *import_for(const char *name, char *buf, size_t size)
{
	static const char *const dialects[] = {"postgresql", "mysql", "sqlite", "mssql", "oracle",
					       NULL};
	static const char *const core[] = {"text", "table", "column", "select", "insert",
					   "update", "delete", "func", "and_", "or_", "not_",
					   "literal_column", "bindparam", "case", "cast", "null",
					   "Column", "String", "Integer", "Boolean", "DateTime",
					   "Text", "ForeignKey", "MetaData", "Table", "Enum", NULL};
	if (strcmp(name, "sa") == 0)
		return "import sqlalchemy as sa";
	if (strcmp(name, "sqlalchemy") == 0)
		return "import sqlalchemy";
	if (strcmp(name, "op") == 0)
		return "from alembic import op";
	for (size_t i = 0; dialects[i]; i++)
		if (strcmp(name, dialects[i]) == 0) {
			snprintf(buf, size, "from sqlalchemy.dialects import %s", name);
			return buf;
		}
	for (size_t i = 0; core[i]; i++)
		if (strcmp(name, core[i]) == 0) {
			snprintf(buf, size, "from sqlalchemy import %s", name);
			return buf;
		}
	return NULL;
}

static int report(const struct mlint_script *s, const struct mlint_call *c, const char *name,
		  struct mlint_findings *out)
{
	char hint[192];
	const char *imp = import_for(name, hint, sizeof(hint));
	const char *fn = c->function < s->m.nr_functions ? s->m.functions[c->function].name : "it";
	struct mlint_location at = mlint_script_at(s, c->line, c->col);

	return mlint_findings_addf(out, mlint_rule_find("undefined-name"), &at, "'%s' is not defined in this file (no import or assignment binds "
				  "it): %s() fails with NameError when it runs; %s%s%s", name, fn,
				  imp ? "add `" : "import or define it", imp ? imp : "",
				  imp ? "` at the top" : "");
}

#define MAX_ROOTS 64

int mlint_check_names_script(const struct mlint_script *s, struct mlint_findings *out)
{
	const struct mlint_migration *m = &s->m;
	const char *roots[MAX_ROOTS];
	size_t lens[MAX_ROOTS], nr = 0;

	int uncertain = -1; /* not looked at yet: only when a name is a candidate */

	if (!s->is_migration || s->refused || !s->source || !m->nr_calls ||
	    !mlint_migration_has_revision(m))
		return 0;
	for (size_t i = 0; i < m->nr_calls; i++) {
		const struct mlint_call *c = &m->calls[i];
		size_t n = strcspn(c->name, "."), k;
		char name[128];
		for (k = 0; k < nr; k++)
			if (lens[k] == n && memcmp(roots[k], c->name, n) == 0)
				break;
		if (k < nr || n == 0 || n >= sizeof(name) || c->on_value)
			continue;
		if (nr < MAX_ROOTS) {
			roots[nr] = c->name;
			lens[nr++] = n;
		}
		if (!only_used(s->source, s->source_len, c->name, n) || is_builtin(c->name, n))
			continue;
		if (uncertain < 0)
			uncertain = uncertain_file(s->source, s->source_len) ||
				    !has_import(s->source, s->source_len);
		if (uncertain)
			return 0;
		memcpy(name, c->name, n);
		name[n] = '\0';
		if (report(s, c, name, out) < 0)
			return MLINT_ERROR;
	}
	return 0;
}
