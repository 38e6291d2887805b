/*
 * json_tree.h (private): a small JSON reader for libpg_query's parse trees.
 *
 * jansson spent about 35 us on each 600-byte tree (a hash table per
 * object, a malloc per value): three times the parse itself, and most of
 * `mlint check`'s extra cost on a project where one migration in ten runs
 * SQL. This reader decodes strings in place in the (writable) text and
 * takes its nodes from blocks, so a tree costs a couple of microseconds.
 * Objects keep their members in order; lookups are linear (libpg_query's
 * objects have a handful of keys).
 *
 * Ownership: struct json_tree owns the nodes; strings point into the text
 * given to json_tree_parse, which must outlive the tree.
 */
#ifndef MLINT_SRC_JSON_TREE_H
#define MLINT_SRC_JSON_TREE_H

#include <stddef.h>

enum json_type { JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY,
		 JSON_OBJECT };

struct json_node {
	enum json_type type;
	const char *key;        /* the member's name, inside an object */
	const char *str;        /* JSON_STRING: the decoded value */
	long long num;          /* JSON_NUMBER: the integer part */
	struct json_node *first; /* JSON_ARRAY / JSON_OBJECT: the first element */
	struct json_node *next;  /* the next element of the parent */
};

struct json_block;
struct json_tree {
	struct json_node *root;
	struct json_block *blocks;
};

/* Parses `text` (NUL-terminated, decoded in place). Returns 0, -1 when it
 * is not JSON or nests deeper than the reader goes (tree left empty), or
 * MLINT_ERROR when out of memory (distinguished by *oom). */
int json_tree_parse(struct json_tree *t, char *text, int *oom);
void json_tree_release(struct json_tree *t);

/* The member `key` of an object, or NULL (also when `obj` is not one). */
struct json_node *json_get(const struct json_node *obj, const char *key);

/* Its string, or NULL when absent or not a string. */
const char *json_str(const struct json_node *obj, const char *key);

/* Whether the member is `true`. */
int json_true(const struct json_node *obj, const char *key);

/* The first element of an array or object (NULL when none or not one). */
struct json_node *json_first(const struct json_node *v);

/* The number of elements of an array or object. */
size_t json_size(const struct json_node *v);

#endif
