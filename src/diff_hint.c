/*
 * The hint for the comparison with the base (diff_hint.h).
 *
 * File: "MLINTDH1", the checksum of the cache file it belongs to, the
 * checksum of the rest, then the records: a key and its paths, each string
 * prefixed with its length (u32, host order: the file never leaves the
 * machine). Anything that does not read back exactly is no hint.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mlint/buf.h"
#include "mlint/scriptdir.h"
#include "diff_hint.h"
#include "util.h"

#define HINT_MAGIC "MLINTDH1"
#define HINT_HEADER 24

struct mlint_diff_hint *mlint_diff_hint_new(const char *cache_file, uint64_t read_sum,
					    uint64_t disk_sum)
{
	struct mlint_diff_hint *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->read_sum = read_sum;
	h->disk_sum = disk_sum;
	if (!(h->file = malloc(strlen(cache_file) + sizeof(".diff")))) {
		free(h);
		return NULL;
	}
	snprintf(h->file, strlen(cache_file) + sizeof(".diff"), "%s.diff", cache_file);
	return h;
}

static void records_free(struct hint_record *r, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		free(r[i].key);
		mlint_path_list_release(&r[i].paths);
	}
	free(r);
}

void mlint_diff_hint_free(struct mlint_diff_hint *h)
{
	if (!h)
		return;
	free(h->file);
	mlint_path_list_release(&h->maybe);
	records_free(h->old, h->nr_old);
	records_free(h->found, h->nr_found);
	free(h);
}

/* ---- reading ------------------------------------------------------------ */

struct cursor {
	const char *p, *end;
	int bad;
};

static uint32_t take_u32(struct cursor *c)
{
	uint32_t v = 0;
	if (c->bad || (size_t)(c->end - c->p) < 4) {
		c->bad = 1;
		return 0;
	}
	memcpy(&v, c->p, 4);
	c->p += 4;
	return v;
}

/* A new string of the next length-prefixed bytes, or NULL (c->bad when the
 * bytes are not there). */
static char *take_str(struct cursor *c)
{
	uint32_t n = take_u32(c);
	char *s;

	if (c->bad || n > (size_t)(c->end - c->p) || memchr(c->p, '\0', n)) {
		c->bad = 1;
		return NULL;
	}
	if (!(s = malloc((size_t)n + 1)))
		return NULL;
	memcpy(s, c->p, n);
	s[n] = '\0';
	c->p += n;
	return s;
}

static int take_record(struct cursor *c, struct hint_record *r)
{
	uint32_t n;

	memset(r, 0, sizeof(*r));
	if (!(r->key = take_str(c)))
		return -1;
	n = take_u32(c);
	for (uint32_t i = 0; i < n && !c->bad; i++) {
		char *path = take_str(c);
		int error = path ? mlint_path_list_add(&r->paths, path) : -1;
		free(path);
		if (error < 0)
			return -1;
	}
	return c->bad ? -1 : 0;
}

/* The records of the hint file when it belongs to the cache file the load
 * read; none otherwise. Out of memory is no hint either. */
static void load(struct mlint_diff_hint *h)
{
	struct mlint_buf b;
	struct cursor c;
	uint64_t sum, body;
	uint32_t n;
	int failed;

	h->loaded = 1;
	mlint_buf_init(&b, 1u << 28);
	if (!h->read_sum || mlint_buf_read_file(&b, h->file) < 0 || b.len < HINT_HEADER ||
	    memcmp(b.ptr, HINT_MAGIC, 8) != 0)
		goto done;
	memcpy(&sum, b.ptr + 8, 8);
	memcpy(&body, b.ptr + 16, 8);
	if (sum != h->read_sum ||
	    body != mlint_source_hash(b.ptr + HINT_HEADER, b.len - HINT_HEADER))
		goto done;
	c = (struct cursor){b.ptr + HINT_HEADER, b.ptr + b.len, 0};
	n = take_u32(&c);
	if (c.bad || n > (size_t)(c.end - c.p) / 8 || !(h->old = calloc(n ? n : 1, sizeof(*h->old))))
		goto done;
	for (failed = 0; h->nr_old < n && !failed; h->nr_old++)
		failed = take_record(&c, &h->old[h->nr_old]) < 0;
	if (failed || c.bad || c.p != c.end) { /* any doubt: no hint */
		records_free(h->old, h->nr_old);
		h->old = NULL;
		h->nr_old = 0;
	}
done:
	mlint_error_clear();
	mlint_buf_release(&b);
}

static int add_all(struct mlint_path_list *to, const struct mlint_path_list *from)
{
	for (size_t i = 0; i < from->nr; i++)
		if (mlint_path_list_add(to, from->items[i]) < 0)
			return MLINT_ERROR;
	return 0;
}

int mlint_diff_hint_paths(struct mlint_diff_hint *h, const char *key,
			  struct mlint_path_list *out)
{
	memset(out, 0, sizeof(*out));
	if (!h->loaded)
		load(h);
	for (size_t i = 0; i < h->nr_old; i++) {
		if (strcmp(h->old[i].key, key) != 0)
			continue;
		if (add_all(out, &h->old[i].paths) < 0 || add_all(out, &h->maybe) < 0) {
			mlint_path_list_release(out);
			return MLINT_ERROR;
		}
		h->nr_hinted++;
		h->nr_compared += out->nr;
		return 1;
	}
	return 0;
}

/* ---- this run ----------------------------------------------------------- */

int mlint_diff_hint_begin(struct mlint_diff_hint *h, const char *key)
{
	char *copy = mlint_strdup(key);

	if (!copy || MLINT_ARRAY_GROW(h->found, h->alloc_found, h->nr_found + 1) < 0) {
		free(copy);
		return MLINT_ERROR;
	}
	memset(&h->found[h->nr_found], 0, sizeof(h->found[0]));
	h->found[h->nr_found++].key = copy;
	return 0;
}

int mlint_diff_hint_differs(struct mlint_diff_hint *h, const char *path)
{
	if (!h->nr_found)
		return 0;
	return mlint_path_list_add(&h->found[h->nr_found - 1].paths, path);
}

static int same_records(const struct mlint_diff_hint *h)
{
	if (h->read_sum != h->disk_sum || h->nr_old != h->nr_found)
		return 0;
	for (size_t i = 0; i < h->nr_found; i++) {
		const struct mlint_path_list *a = &h->old[i].paths, *b = &h->found[i].paths;
		if (strcmp(h->old[i].key, h->found[i].key) != 0 || a->nr != b->nr)
			return 0;
		for (size_t k = 0; k < a->nr; k++)
			if (strcmp(a->items[k], b->items[k]) != 0)
				return 0;
	}
	return 1;
}

static int put_u32(struct mlint_buf *b, size_t v)
{
	uint32_t u = (uint32_t)v;
	return v > UINT32_MAX ? MLINT_ERROR : mlint_buf_put(b, (const char *)&u, 4);
}

static int put_str(struct mlint_buf *b, const char *s)
{
	size_t n = strlen(s);
	return put_u32(b, n) < 0 ? MLINT_ERROR : mlint_buf_put(b, s, n);
}

static int encode(struct mlint_buf *b, const struct mlint_diff_hint *h)
{
	uint64_t body;
	int error = mlint_buf_put(b, HINT_MAGIC, 8) | mlint_buf_put(b, (const char *)&h->disk_sum, 8) |
		    mlint_buf_put(b, "\0\0\0\0\0\0\0\0", 8) | put_u32(b, h->nr_found);

	for (size_t i = 0; i < h->nr_found && error == 0; i++) {
		error = put_str(b, h->found[i].key) | put_u32(b, h->found[i].paths.nr);
		for (size_t k = 0; k < h->found[i].paths.nr && error == 0; k++)
			error = put_str(b, h->found[i].paths.items[k]);
	}
	if (error)
		return MLINT_ERROR;
	body = mlint_source_hash(b->ptr + HINT_HEADER, b->len - HINT_HEADER);
	memcpy(b->ptr + 16, &body, 8);
	return 0;
}

void mlint_diff_hint_save(struct mlint_diff_hint *h)
{
	struct mlint_buf b;
	char *tmp = NULL;
	int fd = -1, ok = 0;

	if (!h || !h->nr_found || !h->disk_sum || (h->loaded && same_records(h)))
		return;
	mlint_buf_init(&b, 0);
	if (encode(&b, h) < 0 || !(tmp = malloc(strlen(h->file) + 32)))
		goto done;
	snprintf(tmp, strlen(h->file) + 32, "%s.tmp%ld", h->file, (long)getpid());
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0)
		goto done;
	ok = write(fd, b.ptr, b.len) == (ssize_t)b.len;
	ok = close(fd) == 0 && ok;
	/* rename is atomic: a reader sees the old hint or the new one whole */
	if (!ok || rename(tmp, h->file) != 0)
		unlink(tmp);
done:
	mlint_error_clear();
	free(tmp);
	mlint_buf_release(&b);
}
