#include <jansson.h>
#include <string.h>
#include "mlint/report.h"
#include "report_json.h"
#include "util.h"

/* A JSON string even from bytes that are not UTF-8 (they become '?'). */
static json_t *lossy_string(const char *s)
{
	json_t *j = json_string(s);
	char *copy;
	if (j)
		return j;
	if (!(copy = mlint_strdup(s)))
		return NULL;
	for (unsigned char *p = (unsigned char *)copy; *p; p++)
		if (*p >= 0x80)
			*p = '?';
	j = json_string(copy);
	free(copy);
	return j;
}

json_t *mlint_json_string(const char *s)
{
	return s ? lossy_string(s) : json_null();
}

int mlint_json_write(struct mlint_buf *out, json_t *root)
{
	char *text = root ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	int error = 0;

	json_decref(root);
	if (!text)
		return mlint_error_set("out of memory while writing JSON");
	if (mlint_buf_puts(out, text) < 0 || mlint_buf_putc(out, '\n') < 0)
		error = MLINT_ERROR;
	free(text);
	return error;
}

/*
 * The findings report is written directly, byte for byte what json_dumps
 * with JSON_INDENT(2) gives: building and dumping a jansson tree cost
 * about 55 K instructions per finding (bench/README.md). Strings that are
 * plain ASCII are escaped here the way jansson does; any other string
 * (UTF-8, or bytes lossy_string replaces) goes through jansson itself.
 */
/* The bytes `s` takes as a JSON string (quotes included) when it is all
 * ASCII; 0 when it is not (jansson writes those). */
static size_t ascii_json_size(const char *s)
{
	size_t n = 2;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x80)
			return 0;
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			n++;
		else if (*p == '"' || *p == '\\' || *p == '\b' || *p == '\f' || *p == '\n' ||
			 *p == '\r' || *p == '\t')
			n += 2;
		else
			n += 6; /* \u00XX */
	}
	return n;
}

/* An ASCII string of `size` bytes in JSON (ascii_json_size), escaped as
 * jansson escapes it: in one reservation, byte by byte. */
static int put_ascii_json_string(struct mlint_buf *out, const char *s, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	char *w, *start;

	if (mlint_buf_grow(out, size) < 0)
		return MLINT_ERROR;
	w = start = out->ptr + out->len;
	*w++ = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char short_escape = 0;
		if (*p >= 0x20 && *p != '"' && *p != '\\') {
			*w++ = (char)*p;
			continue;
		}
		switch (*p) {
		case '"': short_escape = '"'; break;
		case '\\': short_escape = '\\'; break;
		case '\b': short_escape = 'b'; break;
		case '\f': short_escape = 'f'; break;
		case '\n': short_escape = 'n'; break;
		case '\r': short_escape = 'r'; break;
		case '\t': short_escape = 't'; break;
		}
		*w++ = '\\';
		if (short_escape) {
			*w++ = short_escape;
		} else {
			memcpy(w, "u00", 3);
			w[3] = hex[*p >> 4];
			w[4] = hex[*p & 15];
			w += 5;
		}
	}
	*w++ = '"';
	if ((size_t)(w - start) != size) /* ascii_json_size and this loop disagree */
		return mlint_error_set("internal: JSON string of %zu bytes, %zu reserved",
				       (size_t)(w - start), size);
	out->len = (size_t)(w - out->ptr);
	out->ptr[out->len] = '\0';
	return 0;
}

/* `s` as a JSON string, NULL as null. */
static int put_json_string(struct mlint_buf *out, const char *s)
{
	json_t *j;
	char *text;
	size_t size;
	int error;

	if (!s)
		return mlint_buf_puts(out, "null");
	if ((size = ascii_json_size(s)) > 0)
		return put_ascii_json_string(out, s, size);
	if (!(j = lossy_string(s)))
		return mlint_error_set("out of memory while writing JSON");
	text = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	if (!text)
		return mlint_error_set("out of memory while writing JSON");
	error = mlint_buf_puts(out, text);
	free(text);
	return error;
}

static int put_finding(struct mlint_buf *out, const struct mlint_finding *x)
{
	if (mlint_buf_puts(out, "    {\n      \"rule\": ") < 0 ||
	    put_json_string(out, x->rule) < 0 ||
	    mlint_buf_puts(out, ",\n      \"severity\": ") < 0 ||
	    put_json_string(out, mlint_severity_name(x->severity)) < 0 ||
	    mlint_buf_puts(out, ",\n      \"path\": ") < 0 ||
	    put_json_string(out, x->path ? x->path : "") < 0 ||
	    mlint_buf_printf(out, ",\n      \"line\": %" JSON_INTEGER_FORMAT
			     ",\n      \"column\": %" JSON_INTEGER_FORMAT ",\n      \"message\": ",
			     (json_int_t)x->line, (json_int_t)x->col) < 0 ||
	    put_json_string(out, x->message ? x->message : "") < 0 ||
	    mlint_buf_puts(out, ",\n      \"revision\": ") < 0 ||
	    put_json_string(out, x->revision) < 0 ||
	    mlint_buf_puts(out, ",\n      \"section\": ") < 0 ||
	    put_json_string(out, x->section) < 0 || mlint_buf_puts(out, "\n    }") < 0)
		return MLINT_ERROR;
	return 0;
}

int mlint_report_json(struct mlint_buf *out, const struct mlint_findings *f,
		      const struct mlint_summary *s)
{
	if (mlint_buf_puts(out, f->nr ? "{\n  \"version\": 1,\n  \"findings\": [\n"
				   : "{\n  \"version\": 1,\n  \"findings\": [],\n") < 0)
		return MLINT_ERROR;
	for (size_t i = 0; i < f->nr; i++)
		if (put_finding(out, &f->items[i]) < 0 ||
		    mlint_buf_puts(out, i + 1 < f->nr ? ",\n" : "\n  ],\n") < 0)
			return MLINT_ERROR;
	return mlint_buf_printf(out,
				"  \"summary\": {\n    \"errors\": %" JSON_INTEGER_FORMAT
				",\n    \"warnings\": %" JSON_INTEGER_FORMAT
				",\n    \"infos\": %" JSON_INTEGER_FORMAT
				",\n    \"files\": %" JSON_INTEGER_FORMAT
				",\n    \"migrations\": %" JSON_INTEGER_FORMAT
				",\n    \"suppressed\": %" JSON_INTEGER_FORMAT "\n  }\n}\n",
				(json_int_t)s->errors, (json_int_t)s->warnings, (json_int_t)s->infos,
				(json_int_t)s->files, (json_int_t)s->migrations,
				(json_int_t)s->suppressed) < 0
		       ? MLINT_ERROR
		       : 0;
}
