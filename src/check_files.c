/*
 * The per-file rules: the C content rules and the pattern rules, one
 * script at a time, with one pattern engine and one findings list per
 * thread (slot). As a scan visitor they run inside the load's threads;
 * mlint_check_files runs them over an already loaded directory on threads
 * of its own. The scripts, the ruleset and its compiled patterns are only
 * read.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "check_files.h"
#include "util.h"

struct slot {
	struct mlint_pattern_engine *engine; /* made on the slot's first file */
	struct mlint_findings out;
	struct mlint_content_scratch content;
};

struct mlint_file_checker {
	const struct mlint_ruleset *rs;
	struct mlint_check_opts opts;
	struct mlint_scan_visitor visitor;
	struct slot slots[MLINT_SCAN_SLOTS];
};

static int check_one(void *ctx, size_t slot, const struct mlint_script *s)
{
	struct mlint_file_checker *fc = ctx;
	struct slot *sl;
	struct mlint_findings mine;
	int rejected = 0, error;

	if (slot >= MLINT_SCAN_SLOTS)
		return mlint_error_set("internal: scan slot %zu out of range", slot);
	sl = &fc->slots[slot];
	if (!sl->engine && !(sl->engine = mlint_pattern_engine_new(fc->rs)))
		return MLINT_ERROR;
	if (mlint_check_syntax_script(s, &sl->out, &rejected) < 0)
		return MLINT_ERROR;
	if (rejected)
		return 0;
	if (mlint_check_names_script(s, &sl->out) < 0)
		return MLINT_ERROR;
	/* this file's content and pattern findings apart, to judge its drops
	 * as a whole (a copy-swap's rename, the locks on a table it drops) */
	mlint_findings_init(&mine);
	if ((error = mlint_check_content_script_in(s, &fc->opts, &mine, &sl->content)) == 0 &&
	    (error = mlint_pattern_engine_check(sl->engine, s, &mine)) == 0 &&
	    (error = mlint_check_drops_script(s, &mine)) == 0)
		error = mlint_findings_move(&sl->out, &mine);
	mlint_findings_release(&mine);
	return error;
}

struct mlint_file_checker *mlint_file_checker_new(const struct mlint_ruleset *rs,
						  const struct mlint_check_opts *opts)
{
	struct mlint_file_checker *fc = calloc(1, sizeof(*fc));
	if (!fc) {
		mlint_error_set("out of memory");
		return NULL;
	}
	fc->rs = rs;
	fc->opts = *opts;
	fc->visitor.visit = check_one;
	fc->visitor.ctx = fc;
	for (size_t t = 0; t < MLINT_SCAN_SLOTS; t++) {
		mlint_findings_init(&fc->slots[t].out);
		mlint_content_scratch_init(&fc->slots[t].content);
	}
	return fc;
}

void mlint_file_checker_free(struct mlint_file_checker *fc)
{
	if (!fc)
		return;
	for (size_t t = 0; t < MLINT_SCAN_SLOTS; t++) {
		mlint_pattern_engine_free(fc->slots[t].engine);
		mlint_findings_release(&fc->slots[t].out);
		mlint_content_scratch_release(&fc->slots[t].content);
	}
	free(fc);
}

const struct mlint_check_opts *mlint_file_checker_opts(const struct mlint_file_checker *fc)
{
	return &fc->opts;
}

const struct mlint_scan_visitor *mlint_file_checker_visitor(struct mlint_file_checker *fc)
{
	return &fc->visitor;
}

struct mlint_findings *mlint_file_checker_slot(struct mlint_file_checker *fc, size_t slot)
{
	return slot < MLINT_SCAN_SLOTS ? &fc->slots[slot].out : NULL;
}

int mlint_file_checker_take(struct mlint_file_checker *fc, struct mlint_findings *out)
{
	for (size_t t = 0; t < MLINT_SCAN_SLOTS; t++)
		if (mlint_findings_move(out, &fc->slots[t].out) < 0)
			return MLINT_ERROR;
	return 0;
}

/* ---- over a loaded directory, on threads of its own --------------------- */

struct job {
	const struct mlint_scriptdir *sd;
	struct mlint_file_checker *fc;
	size_t slot, from, to;
	int error;
	char message[1024]; /* its error, copied out of the thread's slot */
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	for (size_t i = j->from; i < j->to && i < j->sd->nr_scripts && j->error == 0; i++) {
		size_t len;
		/* the bytes, read again when not kept (each script on one thread) */
		(void)mlint_script_source(&j->sd->scripts[i], &len);
		j->error = check_one(j->fc, j->slot, &j->sd->scripts[i]);
	}
	if (j->error < 0)
		snprintf(j->message, sizeof(j->message), "%s", mlint_error_last());
	return NULL;
}

static int run_jobs(const struct mlint_scriptdir *sd, struct mlint_file_checker *fc)
{
	struct job jobs[MLINT_MAX_THREADS];
	pthread_t threads[MLINT_MAX_THREADS];
	size_t n = mlint_thread_count(sd->nr_scripts), started = 0;
	size_t per = (sd->nr_scripts + n - 1) / n;
	int error = 0;

	for (size_t t = 0; t < n; t++) {
		memset(&jobs[t], 0, sizeof(jobs[t]));
		jobs[t].sd = sd;
		jobs[t].fc = fc;
		jobs[t].slot = t;
		jobs[t].from = t * per;
		jobs[t].to = (t + 1) * per;
	}
	if (n == 1) {
		run_job(&jobs[0]);
		started = 1;
	} else {
		for (; started < n; started++)
			if (pthread_create(&threads[started], NULL, run_job, &jobs[started]) != 0)
				break;
		for (size_t t = 0; t < started; t++)
			pthread_join(threads[t], NULL);
		if (started < n)
			error = mlint_error_set("cannot start a thread to check the files");
	}
	for (size_t t = 0; t < started && error == 0; t++)
		if (jobs[t].error < 0)
			error = mlint_error_set("%s", jobs[t].message);
	return error;
}

int mlint_check_files(const struct mlint_scriptdir *sd, const struct mlint_ruleset *rs,
		      const struct mlint_check_opts *opts, struct mlint_findings *out)
{
	struct mlint_file_checker *fc = mlint_file_checker_new(rs, opts);
	int error = fc ? run_jobs(sd, fc) : MLINT_ERROR;

	if (error == 0)
		error = mlint_scriptdir_sources_ok(sd);
	if (error == 0)
		error = mlint_file_checker_take(fc, out);
	if (error == 0) /* what the per-file findings need from the whole directory */
		error = mlint_check_enum_types(sd, out);
	mlint_file_checker_free(fc);
	return error;
}
