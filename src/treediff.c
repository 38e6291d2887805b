/* Added and deleted blobs between two raw git trees. */
#include <string.h>
#include "mlint/buf.h"
#include "treediff.h"
#include "util.h"

struct entry {
	const unsigned char *name;
	size_t name_len;
	unsigned mode;
	const unsigned char *id; /* 20 bytes */
	size_t start, end;       /* byte range of the whole entry */
};

struct differ {
	git_odb *odb;
	mlint_treediff_fn fn;
	void *ctx;
	struct mlint_buf path;
};

#define MODE_TREE 0040000u
#define MODE_TYPE 0170000u

static int parse_entry(struct entry *e, const unsigned char *buf, size_t len, size_t pos)
{
	const unsigned char *sp = memchr(buf + pos, ' ', len - pos), *nul;
	if (!sp)
		return -1;
	nul = memchr(sp + 1, '\0', len - (size_t)(sp + 1 - buf));
	if (!nul || (size_t)(nul + 1 - buf) + GIT_OID_RAWSZ > len)
		return -1;
	e->mode = 0;
	for (const unsigned char *p = buf + pos; p < sp; p++)
		e->mode = e->mode * 8 + (unsigned)(*p - '0');
	e->name = sp + 1;
	e->name_len = (size_t)(nul - sp - 1);
	e->id = nul + 1;
	e->start = pos;
	e->end = (size_t)(nul + 1 - buf) + GIT_OID_RAWSZ;
	return 0;
}

static int is_tree(const struct entry *e)
{
	return (e->mode & MODE_TYPE) == MODE_TREE;
}

static int is_blob(const struct entry *e)
{
	return (e->mode & MODE_TYPE) == 0100000u || (e->mode & MODE_TYPE) == 0120000u;
}

/* git's order: names byte by byte, a tree's name as if it ended in '/'. */
static int entry_cmp(const struct entry *a, const struct entry *b)
{
	size_t n = a->name_len < b->name_len ? a->name_len : b->name_len;
	int c = memcmp(a->name, b->name, n);
	unsigned ca, cb;
	if (c)
		return c;
	ca = a->name_len > n ? a->name[n] : is_tree(a) ? '/' : 0;
	cb = b->name_len > n ? b->name[n] : is_tree(b) ? '/' : 0;
	return (int)ca - (int)cb;
}

static int diff_raw(struct differ *d, const unsigned char *nd, size_t nl,
		    const unsigned char *od, size_t ol);

/* Compares subtrees by id, reading whichever is given. */
static int diff_ids(struct differ *d, const unsigned char *new_id, const unsigned char *old_id)
{
	git_odb_object *no = NULL, *oo = NULL;
	git_oid id;
	int error = 0;

	if (new_id) {
		git_oid_fromraw(&id, new_id);
		if (git_odb_read(&no, d->odb, &id) < 0)
			error = mlint_error_set("cannot read tree %s", git_oid_tostr_s(&id));
	}
	if (error == 0 && old_id) {
		git_oid_fromraw(&id, old_id);
		if (git_odb_read(&oo, d->odb, &id) < 0)
			error = mlint_error_set("cannot read tree %s", git_oid_tostr_s(&id));
	}
	if (error == 0)
		error = diff_raw(d, no ? git_odb_object_data(no) : NULL, no ? git_odb_object_size(no) : 0,
				 oo ? git_odb_object_data(oo) : NULL, oo ? git_odb_object_size(oo) : 0);
	git_odb_object_free(no);
	git_odb_object_free(oo);
	return error;
}

/* A blob or a whole subtree on one side only. */
static int one_side(struct differ *d, const struct entry *e, int added)
{
	size_t keep = d->path.len;
	int error = 0;

	if (!is_blob(e) && !is_tree(e))
		return 0; /* a submodule */
	if ((keep && mlint_buf_putc(&d->path, '/') < 0) ||
	    mlint_buf_put(&d->path, (const char *)e->name, e->name_len) < 0)
		return MLINT_ERROR;
	if (is_blob(e)) {
		git_oid id;
		git_oid_fromraw(&id, e->id);
		error = d->fn(d->ctx, d->path.ptr, &id, added);
	} else {
		error = diff_ids(d, added ? e->id : NULL, added ? NULL : e->id);
	}
	mlint_buf_truncate(&d->path, keep);
	return error;
}

static int both_sides(struct differ *d, const struct entry *a, const struct entry *b)
{
	size_t keep = d->path.len;
	int error;

	if (memcmp(a->id, b->id, GIT_OID_RAWSZ) == 0)
		return 0;
	if (is_tree(a) != is_tree(b))
		return one_side(d, a, 1) < 0 || one_side(d, b, 0) < 0 ? MLINT_ERROR : 0;
	if (!is_tree(a))
		return 0; /* a modified file */
	if ((keep && mlint_buf_putc(&d->path, '/') < 0) ||
	    mlint_buf_put(&d->path, (const char *)a->name, a->name_len) < 0)
		return MLINT_ERROR;
	error = diff_ids(d, a->id, b->id);
	mlint_buf_truncate(&d->path, keep);
	return error;
}

static int bad_tree(void)
{
	return mlint_error_set("a git tree object is malformed");
}

/*
 * A merge of the two sorted entry lists. Identical entries are skipped
 * with one memcmp; after each difference, identical remainders end it.
 */
static int diff_raw(struct differ *d, const unsigned char *nd, size_t nl,
		    const unsigned char *od, size_t ol)
{
	size_t i = 0, j = 0;
	int error = 0;

	while ((i < nl || j < ol) && error == 0) {
		struct entry a = {0}, b = {0};
		int cmp;
		if ((i < nl && parse_entry(&a, nd, nl, i) < 0) || (j < ol && parse_entry(&b, od, ol, j) < 0))
			return bad_tree();
		if (i < nl && j < ol && a.end - i == b.end - j && memcmp(nd + i, od + j, a.end - i) == 0) {
			i = a.end;
			j = b.end;
			continue;
		}
		cmp = i >= nl ? 1 : j >= ol ? -1 : entry_cmp(&a, &b);
		if (cmp < 0)
			error = one_side(d, &a, 1), i = a.end;
		else if (cmp > 0)
			error = one_side(d, &b, 0), j = b.end;
		else
			error = both_sides(d, &a, &b), i = a.end, j = b.end;
		if (nl - i == ol - j && (nl == i || memcmp(nd + i, od + j, nl - i) == 0))
			break;
	}
	return error;
}

int mlint_treediff_subtree(git_oid *out, const unsigned char *data, size_t len, const char *name,
			   size_t name_len)
{
	for (size_t pos = 0; pos < len;) {
		struct entry e;
		if (parse_entry(&e, data, len, pos) < 0)
			return bad_tree();
		if (e.name_len == name_len && memcmp(e.name, name, name_len) == 0) {
			if (!is_tree(&e))
				return 0;
			git_oid_fromraw(out, e.id);
			return 1;
		}
		pos = e.end;
	}
	return 0;
}

int mlint_treediff(git_odb *odb, const char *prefix, const unsigned char *new_data,
		   size_t new_len, const unsigned char *old_data, size_t old_len,
		   mlint_treediff_fn fn, void *ctx)
{
	struct differ d = {odb, fn, ctx, MLINT_BUF_INIT};
	int error;

	if ((error = mlint_buf_puts(&d.path, prefix)) == 0)
		error = diff_raw(&d, new_data, new_data ? new_len : 0, old_data,
				 old_data ? old_len : 0);
	mlint_buf_release(&d.path);
	return error;
}
