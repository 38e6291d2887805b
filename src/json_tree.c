/* A small JSON reader for libpg_query's parse trees: see json_tree.h. */
#include <stdlib.h>
#include <string.h>
#include "json_tree.h"
#include "util.h"

#define NODES_PER_BLOCK 256
/* libpg_query nests a few levels per SQL expression level; deeper trees
 * are refused rather than recursed into. */
#define MAX_DEPTH 1000

struct json_block {
	struct json_block *next;
	size_t used;
	struct json_node nodes[NODES_PER_BLOCK];
};

struct reader {
	struct json_tree *t;
	char *p;
	int oom;
};

static struct json_node *new_node(struct reader *r, enum json_type type)
{
	struct json_block *b = r->t->blocks;
	struct json_node *n;

	if (!b || b->used == NODES_PER_BLOCK) {
		if (!(b = malloc(sizeof(*b)))) {
			r->oom = 1;
			return NULL;
		}
		b->next = r->t->blocks;
		b->used = 0;
		r->t->blocks = b;
	}
	n = &b->nodes[b->used++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	return n;
}

static void skip_blanks(struct reader *r)
{
	while (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')
		r->p++;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Writes code point cp as UTF-8 at out; returns the bytes written. */
static size_t put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) { out[0] = (char)cp; return 1; }
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* A string at r->p ('"'), decoded in place: never longer than its escaped
 * form. NULL when malformed. */
static const char *read_string(struct reader *r)
{
	char *out = r->p + 1, *start = out, *in = r->p + 1;

	for (;;) {
		char c = *in++;
		if (c == '\0')
			return NULL;
		if (c == '"')
			break;
		if (c != '\\') {
			*out++ = c;
			continue;
		}
		c = *in++;
		switch (c) {
		case '"': case '\\': case '/': *out++ = c; break;
		case 'b': *out++ = '\b'; break;
		case 'f': *out++ = '\f'; break;
		case 'n': *out++ = '\n'; break;
		case 'r': *out++ = '\r'; break;
		case 't': *out++ = '\t'; break;
		case 'u': {
			unsigned long cp = 0;
			for (int i = 0; i < 4; i++) {
				int h = hex_value(in[i]);
				if (h < 0)
					return NULL;
				cp = cp << 4 | (unsigned long)h;
			}
			in += 4;
			/* \u0000 would end the C string early: a visible stand-in */
			out += put_utf8(out, cp ? cp : '?');
			break;
		}
		default:
			return NULL;
		}
	}
	*out = '\0';
	r->p = in;
	return start;
}

static struct json_node *read_value(struct reader *r, unsigned depth);

/* The elements of an array or the members of an object, after '[' / '{'. */
static int read_elements(struct reader *r, struct json_node *parent, char close,
			 unsigned depth)
{
	struct json_node **tail = &parent->first;

	skip_blanks(r);
	if (*r->p == close) {
		r->p++;
		return 0;
	}
	for (;;) {
		const char *key = NULL;
		struct json_node *v;
		skip_blanks(r);
		if (close == '}') {
			if (*r->p != '"' || !(key = read_string(r)))
				return -1;
			skip_blanks(r);
			if (*r->p++ != ':')
				return -1;
		}
		if (!(v = read_value(r, depth + 1)))
			return -1;
		v->key = key;
		*tail = v;
		tail = &v->next;
		skip_blanks(r);
		if (*r->p == ',') {
			r->p++;
			continue;
		}
		if (*r->p != close)
			return -1;
		r->p++;
		return 0;
	}
}

static struct json_node *read_value(struct reader *r, unsigned depth)
{
	struct json_node *n;
	char c;

	if (depth > MAX_DEPTH)
		return NULL;
	skip_blanks(r);
	c = *r->p;
	if (c == '{' || c == '[') {
		if (!(n = new_node(r, c == '{' ? JSON_OBJECT : JSON_ARRAY)))
			return NULL;
		r->p++;
		return read_elements(r, n, c == '{' ? '}' : ']', depth) < 0 ? NULL : n;
	}
	if (c == '"') {
		const char *s = read_string(r);
		if (!s || !(n = new_node(r, JSON_STRING)))
			return NULL;
		n->str = s;
		return n;
	}
	if (c == '-' || (c >= '0' && c <= '9')) {
		char *end;
		long long v = strtoll(r->p, &end, 10);
		if (end == r->p || !(n = new_node(r, JSON_NUMBER)))
			return NULL;
		/* a fraction or exponent: the integer part is enough here */
		while (*end == '.' || *end == 'e' || *end == 'E' || *end == '+' || *end == '-' ||
		       (*end >= '0' && *end <= '9'))
			end++;
		r->p = end;
		n->num = v;
		return n;
	}
	if (strncmp(r->p, "true", 4) == 0 || strncmp(r->p, "null", 4) == 0) {
		if (!(n = new_node(r, c == 't' ? JSON_TRUE : JSON_NULL)))
			return NULL;
		r->p += 4;
		return n;
	}
	if (strncmp(r->p, "false", 5) == 0) {
		if (!(n = new_node(r, JSON_FALSE)))
			return NULL;
		r->p += 5;
		return n;
	}
	return NULL;
}

int json_tree_parse(struct json_tree *t, char *text, int *oom)
{
	struct reader r = {t, text, 0};

	memset(t, 0, sizeof(*t));
	t->root = read_value(&r, 0);
	if (t->root)
		skip_blanks(&r);
	*oom = r.oom;
	if (!t->root || *r.p != '\0') {
		json_tree_release(t);
		return r.oom ? mlint_error_set("out of memory") : -1;
	}
	return 0;
}

void json_tree_release(struct json_tree *t)
{
	while (t->blocks) {
		struct json_block *next = t->blocks->next;
		free(t->blocks);
		t->blocks = next;
	}
	t->root = NULL;
}

struct json_node *json_get(const struct json_node *obj, const char *key)
{
	if (!obj || obj->type != JSON_OBJECT)
		return NULL;
	for (struct json_node *m = obj->first; m; m = m->next)
		if (m->key && strcmp(m->key, key) == 0)
			return m;
	return NULL;
}

const char *json_str(const struct json_node *obj, const char *key)
{
	const struct json_node *v = json_get(obj, key);
	return v && v->type == JSON_STRING ? v->str : NULL;
}

int json_true(const struct json_node *obj, const char *key)
{
	const struct json_node *v = json_get(obj, key);
	return v && v->type == JSON_TRUE;
}

struct json_node *json_first(const struct json_node *v)
{
	return v && (v->type == JSON_ARRAY || v->type == JSON_OBJECT) ? v->first : NULL;
}

size_t json_size(const struct json_node *v)
{
	size_t n = 0;
	for (const struct json_node *e = json_first(v); e; e = e->next)
		n++;
	return n;
}
