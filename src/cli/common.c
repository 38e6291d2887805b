#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mlint/common.h"
#include "mlint/snapshot.h"
#include "cmd.h"
#include "error.h"

int cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("mlint: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return MLINT_EXIT_USAGE;
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;
	fputs("mlint: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_library_error(void)
{
	const char *msg = mlint_error_last();
	return cli_error("%s", *msg ? msg : "unknown error");
}

int cli_project_option(struct cli_project_opts *o, int id, const char *value)
{
	if (id == CLI_OPT_VERBOSE)
		o->verbose = 1;
	else if (id == CLI_OPT_CONFIG)
		o->config = value;
	else if (id == CLI_OPT_NAME)
		o->name = value;
	else
		return 1;
	return 0;
}

void cli_print_notes(const struct mlint_notes *notes, int verbose)
{
	for (size_t i = 0; i < notes->nr; i++) {
		if (notes->items[i].level == MLINT_NOTE_WARNING)
			cli_warning("%s", notes->items[i].text);
		else if (verbose)
			fprintf(stderr, "mlint: %s\n", notes->items[i].text);
	}
}

static void describe_dir(const struct mlint_scriptdir_config *d, const struct mlint_project *p)
{
	fprintf(stderr, "mlint: script directory '%s'", d->display ? d->display : "?");
	if (d->ini_path) {
		char *ini = mlint_project_display_path(p, d->ini_path);
		fprintf(stderr, " (from '%s')", ini ? ini : d->ini_path);
		free(ini);
	}
	fputc('\n', stderr);
	for (size_t i = 0; i < d->nr_locations; i++) {
		char *loc = mlint_project_display_path(p, d->version_locations[i]);
		fprintf(stderr, "mlint:   version location '%s'%s\n", loc ? loc : "?",
			d->recursive ? " (recursive)" : "");
		free(loc);
	}
}

int cli_load(struct cli_loaded *out, char **paths, size_t nr_paths,
	     const struct cli_project_opts *opts, unsigned load_flags)
{
	return cli_load_with(out, paths, nr_paths, opts, load_flags, NULL);
}

static int load_dir(struct cli_loaded *out, size_t i, unsigned load_flags,
		    const struct cli_source *src)
{
	const struct mlint_scriptdir_config *d = &out->project.dirs[i];
	struct mlint_snapshot snap;
	int error;

	if (!src || !src->list)
		return mlint_scriptdir_load(&out->dirs[i], &out->project, d, load_flags,
					    &out->project.notes);
	mlint_snapshot_init(&snap);
	if ((error = src->list(src->ctx, &snap, &out->project, d, &out->project.notes)) == 0)
		error = mlint_scriptdir_load_snapshot(&out->dirs[i], d, &snap, load_flags,
						      &out->project.notes);
	mlint_snapshot_release(&snap);
	return error;
}

int cli_load_project(struct cli_loaded *out, char **paths, size_t nr_paths,
		     const struct cli_project_opts *opts, const struct cli_source *src)
{
	struct mlint_discover_opts dopts = {opts->config, opts->name};
	int error;

	memset(out, 0, sizeof(*out));
	mlint_project_init(&out->project);
	if (src && src->discover)
		error = src->discover(src->ctx, &out->project, paths, nr_paths, &dopts);
	else
		error = mlint_discover(&out->project, (const char *const *)paths, nr_paths, &dopts);
	if (error < 0 || (src && src->prepare && src->prepare(src->ctx, &out->project) < 0)) {
		cli_print_notes(&out->project.notes, opts->verbose);
		return cli_library_error();
	}
	if (opts->verbose)
		fprintf(stderr, "mlint: repository root: %s\n",
			out->project.repo_root ? out->project.repo_root : "(not a git repository)");
	out->dirs = calloc(out->project.nr_dirs + 1, sizeof(*out->dirs));
	if (!out->dirs)
		return cli_error("out of memory");
	for (size_t i = 0; i < out->project.nr_dirs; i++)
		mlint_scriptdir_init(&out->dirs[i]);
	out->nr_dirs = out->project.nr_dirs;
	return 0;
}

int cli_load_dirs(struct cli_loaded *out, const struct cli_project_opts *opts,
		  unsigned load_flags, const struct cli_source *src,
		  const struct mlint_scan_visitor *const *visitors)
{
	for (size_t i = 0; i < out->nr_dirs; i++) {
		if (opts->verbose)
			describe_dir(&out->project.dirs[i], &out->project);
		out->dirs[i].visitor = visitors ? visitors[i] : NULL;
		if (load_dir(out, i, load_flags, src) < 0) {
			cli_print_notes(&out->project.notes, opts->verbose);
			return cli_library_error();
		}
	}
	cli_print_notes(&out->project.notes, opts->verbose);
	return 0;
}

int cli_load_with(struct cli_loaded *out, char **paths, size_t nr_paths,
		  const struct cli_project_opts *opts, unsigned load_flags,
		  const struct cli_source *src)
{
	int code = cli_load_project(out, paths, nr_paths, opts, src);
	return code ? code : cli_load_dirs(out, opts, load_flags, src, NULL);
}

void cli_loaded_release(struct cli_loaded *l)
{
	for (size_t i = 0; i < l->nr_dirs; i++)
		mlint_scriptdir_release(&l->dirs[i]);
	free(l->dirs);
	mlint_project_release(&l->project);
	memset(l, 0, sizeof(*l));
}

int cli_write_stdout(const char *data, size_t len)
{
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
		return cli_error("cannot write to standard output: %s", strerror(errno));
	return 0;
}

int cli_use_color(void)
{
	const char *no = getenv("NO_COLOR");
	if (no && *no)
		return 0;
	return isatty(STDOUT_FILENO);
}
