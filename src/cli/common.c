#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "mlint/common.h"
#include "mlint/cache.h"
#include "mlint/check_run.h"
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

/* Discovery, then each script directory's files. */
int cli_load(struct cli_loaded *out, char **paths, size_t nr_paths,
	     const struct cli_project_opts *opts, unsigned load_flags)
{
	struct mlint_discover_opts dopts = {opts->config, opts->name};

	memset(out, 0, sizeof(*out));
	mlint_project_init(&out->project);
	if (mlint_discover(&out->project, (const char *const *)paths, nr_paths, &dopts) < 0) {
		cli_print_notes(&out->project.notes, opts->verbose);
		return cli_library_error();
	}
	if (opts->verbose)
		fprintf(stderr, "mlint: repository root: %s\n",
			out->project.repo_root ? out->project.repo_root : "(not a git repository)");
	if (!(out->dirs = calloc(out->project.nr_dirs + 1, sizeof(*out->dirs))))
		return cli_error("out of memory");
	for (size_t i = 0; i < out->project.nr_dirs; i++)
		mlint_scriptdir_init(&out->dirs[i]);
	out->nr_dirs = out->project.nr_dirs;
	for (size_t i = 0; i < out->nr_dirs; i++) {
		const struct mlint_scriptdir_config *d = &out->project.dirs[i];
		if (opts->verbose)
			describe_dir(d, &out->project);
		if (mlint_scriptdir_load_cached(&out->dirs[i], &out->project, d, load_flags,
						opts->use_cache ? opts->no_cache : 1,
						&out->project.notes) < 0) {
			cli_print_notes(&out->project.notes, opts->verbose);
			return cli_library_error();
		}
	}
	cli_print_notes(&out->project.notes, opts->verbose);
	return 0;
}

void cli_loaded_release(struct cli_loaded *l)
{
	for (size_t i = 0; i < l->nr_dirs; i++)
		mlint_scriptdir_release(&l->dirs[i]);
	free(l->dirs);
	mlint_project_release(&l->project);
	memset(l, 0, sizeof(*l));
}

#ifndef MLINT_FREE_AT_EXIT
/* What the command loaded, reachable until exit (cli_loaded_finish). */
static struct cli_loaded kept_loaded;
static struct mlint_check_result kept_result;
static int have_kept_loaded, have_kept_result;
#endif

void cli_loaded_finish(struct cli_loaded *l)
{
#ifdef MLINT_FREE_AT_EXIT
	cli_loaded_release(l);
#else
	if (have_kept_loaded) /* a second command in one process frees the first's */
		cli_loaded_release(&kept_loaded);
	kept_loaded = *l;
	have_kept_loaded = 1;
	memset(l, 0, sizeof(*l));
#endif
}

void cli_check_result_finish(struct mlint_check_result *res)
{
#ifdef MLINT_FREE_AT_EXIT
	mlint_check_result_release(res);
#else
	if (have_kept_result)
		mlint_check_result_release(&kept_result);
	kept_result = *res;
	have_kept_result = 1;
	mlint_check_result_init(res);
#endif
}

static int stdout_error_said;

int cli_write_stdout(const char *data, size_t len)
{
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		stdout_error_said = 1;
		return cli_error("cannot write to standard output: %s", strerror(errno));
	}
	return 0;
}

int cli_finish_stdout(int code)
{
	int flushed = fflush(stdout) == 0, err = errno;
	if (flushed && !ferror(stdout))
		return code;
	if (!stdout_error_said)
		cli_error("cannot write to standard output: %s",
			  flushed ? "a write failed" : strerror(err));
	return MLINT_EXIT_USAGE;
}

int cli_parse_color(enum cli_color *out, const char *value)
{
	static const char *const names[] = {"auto", "always", "never"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(value, names[i]) == 0) {
			*out = (enum cli_color)i;
			return 0;
		}
	return cli_error("unknown --color '%s': use auto, always or never", value);
}

/* auto: a terminal that is not "dumb", and no NO_COLOR that is set and not
 * empty (no-color.org); --color=always and never win over both. */
int cli_use_color(enum cli_color when)
{
	const char *no = getenv("NO_COLOR"), *term = getenv("TERM");
	if (when != CLI_COLOR_AUTO)
		return when == CLI_COLOR_ALWAYS;
	if ((no && *no) || (term && strcmp(term, "dumb") == 0))
		return 0;
	return isatty(STDOUT_FILENO);
}
