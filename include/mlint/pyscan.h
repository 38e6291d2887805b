/*
 * pyscan.h: a Python tokenizer over a borrowed byte buffer.
 *
 * It follows Python's lexical rules closely enough that text inside strings
 * and comments is never taken for code: every string prefix (r, b, u, f and
 * their combinations, any case), single, double and triple quotes, escapes,
 * f-string replacement fields with nested quotes, comments, backslash
 * continuation, bracket nesting (no NEWLINE/INDENT inside brackets), CRLF and
 * lone CR line ends, tabs to the next multiple of 8, blank and comment-only
 * lines without INDENT, a UTF-8 BOM.
 *
 * It is tolerant: an unterminated string ends at its line (or at EOF for a
 * triple-quoted one) and is flagged; a byte Python would reject becomes a
 * one-byte MLINT_TOK_ERRORTOKEN. It never reads past `len` and always ends
 * with MLINT_TOK_ENDMARKER. All state lives in the struct: reentrant.
 *
 * Ownership: the scanner borrows `src` for its whole life; tokens are slices
 * of it. The caller owns the struct and releases it with
 * mlint_pyscan_release().
 */
#ifndef MLINT_PYSCAN_H
#define MLINT_PYSCAN_H

#include <stddef.h>

/* Punctuation of one byte is its own byte value; named kinds start at 256. */
enum mlint_tok_kind {
	MLINT_TOK_ENDMARKER = 256,
	MLINT_TOK_NAME,
	MLINT_TOK_NUMBER,
	MLINT_TOK_STRING,
	MLINT_TOK_NEWLINE, /* end of a logical line */
	MLINT_TOK_NL,      /* a line end that ends no logical line */
	MLINT_TOK_INDENT,
	MLINT_TOK_DEDENT,
	MLINT_TOK_COMMENT,
	MLINT_TOK_OP, /* an operator of two or three bytes: "==", "->", "...", ... */
	MLINT_TOK_ERRORTOKEN,
};

enum mlint_str_flags {
	MLINT_STR_RAW = 1 << 0,
	MLINT_STR_BYTES = 1 << 1,
	MLINT_STR_FORMAT = 1 << 2,
	MLINT_STR_TRIPLE = 1 << 3,
	MLINT_STR_UNTERMINATED = 1 << 4,
};

struct mlint_token {
	int kind;
	unsigned flags;       /* mlint_str_flags, for strings */
	unsigned prefix_len;  /* string prefix bytes before the quote */
	size_t off;           /* byte offset of the first byte */
	size_t len;           /* bytes */
	unsigned line;        /* 1-based line of the first byte */
	size_t line_off;      /* byte offset where that line starts */
};

enum mlint_pyscan_problem {
	MLINT_PYSCAN_OK = 0,
	MLINT_PYSCAN_UNTERMINATED_STRING,
	MLINT_PYSCAN_UNTERMINATED_TRIPLE,
	MLINT_PYSCAN_UNCLOSED_BRACKET,
	MLINT_PYSCAN_BAD_DEDENT,
	MLINT_PYSCAN_BAD_CHARACTER,
};

struct mlint_pyscan {
	const char *src;
	size_t len;
	size_t pos;
	unsigned line;
	size_t line_off;
	unsigned paren_depth;
	int at_line_start;   /* indentation still to be measured */
	int line_has_tokens; /* the logical line has produced a token */
	unsigned *indents;   /* indentation stack; indents[0] == 0 */
	size_t nr_indents, alloc_indents;
	unsigned pending_dedents;
	int done;
	/* The first problem met, kept for a finding; scanning goes on. */
	enum mlint_pyscan_problem problem;
	size_t problem_off;
	unsigned problem_line;
	size_t problem_line_off;
	/* Where the outermost open bracket is, for an unclosed one at EOF. */
	size_t bracket_off;
	unsigned bracket_line;
	size_t bracket_line_off;
};

/* Starts scanning `src` (len bytes); skips a UTF-8 BOM. */
void mlint_pyscan_init(struct mlint_pyscan *s, const char *src, size_t len);
void mlint_pyscan_release(struct mlint_pyscan *s);

/* Produces the next token; returns 0, or MLINT_ERROR when out of memory. */
int mlint_pyscan_next(struct mlint_pyscan *s, struct mlint_token *out);

/*
 * Right after an INDENT: skips the block it opened, up to the first logical
 * line indented less than it (or the end of input), without producing its
 * tokens; the DEDENTs follow as usual. Strings and brackets are still
 * followed (a line at column 0 inside a triple-quoted string or a bracket
 * ends nothing), and an unterminated string or an unclosed bracket is still
 * noted; other problems inside the block are not looked for. For readers
 * that only need module-level statements (the revision graph).
 */
int mlint_pyscan_skip_block(struct mlint_pyscan *s);

/* A short description of a problem ("unterminated string", ...). */
const char *mlint_pyscan_problem_text(enum mlint_pyscan_problem p);

/* The name of a token kind, for tests and debugging ("NAME", "'('", ...). */
const char *mlint_tok_kind_name(int kind, char tmp[8]);

/*
 * Decodes a string token's value (prefix and quotes removed, escapes
 * resolved unless raw) into a new NUL-terminated string. Returns NULL when out
 * of memory. Unknown escapes are kept as written, as Python does.
 */
char *mlint_pyscan_string_value(const char *src, const struct mlint_token *tok);

/* The same into a caller's buffer of at least mlint_pyscan_string_value_max()
 * bytes; returns the decoded length (without the NUL). */
size_t mlint_pyscan_string_value_max(const struct mlint_token *tok);
/* Where the bytes between the quotes of string token `tok` are: offsets
 * [*start, *end) into the source (an unterminated string runs to its end). */
void mlint_pyscan_string_body(const struct mlint_token *tok, size_t *start, size_t *end);
size_t mlint_pyscan_string_decode(const char *src, const struct mlint_token *tok, char *out);

#endif
