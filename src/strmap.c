#include "strmap.h"
#include "util.h"

static size_t hash_str(const char *s)
{
	size_t h = (size_t)14695981039346656037ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
	return h;
}

static size_t slot_of(const struct mlint_strmap *m, const char *key)
{
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static int grow(struct mlint_strmap *m)
{
	struct mlint_strmap bigger = MLINT_STRMAP_INIT;
	bigger.cap = m->cap ? m->cap * 2 : 64;
	bigger.keys = calloc(bigger.cap, sizeof(*bigger.keys));
	bigger.values = calloc(bigger.cap, sizeof(*bigger.values));
	if (!bigger.keys || !bigger.values) {
		free(bigger.keys);
		free(bigger.values);
		return mlint_error_set("out of memory");
	}
	for (size_t i = 0; i < m->cap; i++) {
		size_t s;
		if (!m->keys[i])
			continue;
		s = slot_of(&bigger, m->keys[i]);
		bigger.keys[s] = m->keys[i];
		bigger.values[s] = m->values[i];
	}
	bigger.nr = m->nr;
	free(m->keys);
	free(m->values);
	*m = bigger;
	return 0;
}

int mlint_strmap_add(struct mlint_strmap *m, const char *key, size_t value)
{
	size_t s;
	if ((m->nr + 1) * 2 > m->cap && grow(m) < 0)
		return MLINT_ERROR;
	s = slot_of(m, key);
	if (m->keys[s])
		return 0;
	if (!(m->keys[s] = mlint_strdup(key)))
		return MLINT_ERROR;
	m->values[s] = value;
	m->nr++;
	return 0;
}

const size_t *mlint_strmap_find(const struct mlint_strmap *m, const char *key)
{
	size_t s;
	if (!m->cap)
		return NULL;
	s = slot_of(m, key);
	return m->keys[s] ? &m->values[s] : NULL;
}

void mlint_strmap_release(struct mlint_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->values);
	memset(m, 0, sizeof(*m));
}
