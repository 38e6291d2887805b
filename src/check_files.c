/*
 * The per-file rules, in parallel: each thread checks a range of files into
 * its own findings list; the lists are joined in order afterwards. The
 * scripts, the ruleset and its compiled patterns are only read.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "check_files.h"
#include "util.h"


struct job {
	const struct mlint_scriptdir *sd;
	const struct mlint_ruleset *rs;
	const struct mlint_check_opts *opts;
	size_t from, to;
	struct mlint_findings out;
	int error;
	char message[1024]; /* its error, copied out of the thread's slot */
};

static void *run_job(void *arg)
{
	struct job *j = arg;
	if ((j->error = mlint_check_content_range(j->sd, j->from, j->to, j->opts, &j->out)) == 0)
		j->error = mlint_ruleset_check_range(j->rs, j->sd, j->from, j->to, &j->out);
	if (j->error < 0)
		snprintf(j->message, sizeof(j->message), "%s", mlint_error_last());
	return NULL;
}

int mlint_check_files(const struct mlint_scriptdir *sd, const struct mlint_ruleset *rs,
		      const struct mlint_check_opts *opts, struct mlint_findings *out)
{
	struct job jobs[MLINT_MAX_THREADS];
	pthread_t threads[MLINT_MAX_THREADS];
	size_t n = mlint_thread_count(sd->nr_scripts), started = 0, per = (sd->nr_scripts + n - 1) / n;
	int error = 0;

	for (size_t t = 0; t < n; t++) {
		memset(&jobs[t], 0, sizeof(jobs[t]));
		jobs[t].sd = sd;
		jobs[t].rs = rs;
		jobs[t].opts = opts;
		jobs[t].from = t * per;
		jobs[t].to = (t + 1) * per;
		mlint_findings_init(&jobs[t].out);
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
	for (size_t t = 0; t < started; t++) {
		if (error == 0 && jobs[t].error < 0)
			error = mlint_error_set("%s", jobs[t].message);
		if (error == 0 && mlint_findings_move(out, &jobs[t].out) < 0)
			error = MLINT_ERROR;
	}
	for (size_t t = 0; t < n; t++)
		mlint_findings_release(&jobs[t].out);
	return error;
}
