/* `mlint check --show-config`: the effective settings and their sources. */
#include "mlint/config.h"
#include "util.h"

static const char *downgrade_name(enum mlint_downgrade_policy p)
{
	return p == MLINT_DOWNGRADE_OFF ? "off" : p == MLINT_DOWNGRADE_ALLOW_RAISE ? "allow-raise"
										 : "require";
}

static int put_list(struct mlint_buf *v, const struct mlint_id_list *l, const char *sep)
{
	for (size_t i = 0; i < l->nr; i++)
		if (mlint_buf_printf(v, "%s%s", i ? sep : "", l->ids[i]) < 0)
			return MLINT_ERROR;
	return 0;
}

static int put_path_ignores(struct mlint_buf *v, const struct mlint_config *cfg)
{
	for (size_t i = 0; i < cfg->path_globs.nr; i++)
		if (mlint_buf_printf(v, "%s%s:%s", i ? "; " : "", cfg->path_globs.ids[i],
				     cfg->path_rules.ids[i]) < 0)
			return MLINT_ERROR;
	return 0;
}

/* `key = value` padded, then `; where` (or "default"); clears `v`. */
static int put_line(struct mlint_buf *out, const char *key, struct mlint_buf *v,
		    const char *where)
{
	int error = mlint_buf_printf(out, "%-16s = %-32s ; %s\n", key, v->ptr ? v->ptr : "",
				     where ? where : "default");
	mlint_buf_clear(v);
	return error;
}

int mlint_config_show(struct mlint_buf *out, const struct mlint_config *cfg)
{
	struct mlint_buf v;
	int error = MLINT_ERROR;

	mlint_buf_init(&v, 0);
	if ((cfg->select.where ? put_list(&v, &cfg->select, ", ") : mlint_buf_puts(&v, "all")) < 0 ||
	    put_line(out, "select", &v, cfg->select.where) < 0 ||
	    put_list(&v, &cfg->ignore, ", ") < 0 ||
	    put_line(out, "ignore", &v, cfg->ignore.where) < 0 ||
	    mlint_buf_puts(&v, mlint_severity_name(cfg->fail_on)) < 0 ||
	    put_line(out, "fail-on", &v, cfg->fail_on_where) < 0 ||
	    mlint_buf_puts(&v, downgrade_name(cfg->downgrade)) < 0 ||
	    put_line(out, "downgrade", &v, cfg->downgrade_where) < 0 ||
	    mlint_buf_puts(&v, cfg->new_only ? "true" : "false") < 0 ||
	    put_line(out, "new-only", &v, cfg->new_only_where) < 0 ||
	    put_list(&v, &cfg->exclude, ", ") < 0 ||
	    put_line(out, "exclude", &v, cfg->exclude.where) < 0 ||
	    put_path_ignores(&v, cfg) < 0 ||
	    put_line(out, "per-path-ignores", &v, cfg->path_globs.where) < 0 ||
	    mlint_buf_puts(&v, cfg->has_dialect ? mlint_dialect_name(cfg->dialect)
						: "postgresql") < 0 ||
	    put_line(out, "dialect", &v, cfg->has_dialect ? cfg->dialect_where
				     : "assumed: no [mlint] dialect, no sqlalchemy.url") < 0 ||
	    put_list(&v, &cfg->enable, ", ") < 0 ||
	    put_line(out, "enable", &v, cfg->enable.where) < 0)
		goto done;
	error = 0;
done:
	mlint_buf_release(&v);
	return error;
}
