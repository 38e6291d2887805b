/* Private: the per-file rules, one script at a time. */
#ifndef MLINT_SRC_CHECK_FILES_H
#define MLINT_SRC_CHECK_FILES_H

#include "mlint/check.h"
#include "mlint/ops.h"
#include "mlint/ruleset.h"

/* The operations arrays and string arenas the content rules fill for each
 * function: one per thread, reused from file to file, so checking a file
 * does not allocate and free them again (bench/README.md). */
struct mlint_content_scratch {
	struct mlint_ops up, down;
};
void mlint_content_scratch_init(struct mlint_content_scratch *scratch);
void mlint_content_scratch_release(struct mlint_content_scratch *scratch);

/* The C content rules on one script, with a thread's scratch. */
int mlint_check_content_script_in(const struct mlint_script *s,
				  const struct mlint_check_opts *opts, struct mlint_findings *out,
				  struct mlint_content_scratch *scratch);

/* Files Python's compiler judges: a sign of a syntax error, a conflict
 * marker, or a problem the tokenizer found (Python's message is better);
 * never a file with a NUL byte (Python reads only up to it). */
int mlint_script_wants_compiler(const struct mlint_script *s);

/*
 * invalid-source from Python's compiler (libpython, pycompile.h) for such a
 * file: its error replaces the tokenizer's problems (rule_scan.c leaves
 * them out once Python judged), a file it compiles has none. *rejected
 * says the file does not compile: the rules that read its content would
 * read a broken file. Without libpython nothing (the CLI says so once).
 */
int mlint_check_syntax_script(const struct mlint_script *s, struct mlint_findings *out,
			      int *rejected);

/* undefined-name: names the functions call through that nothing in the
 * file binds (rule_names.c). */
int mlint_check_names_script(const struct mlint_script *s, struct mlint_findings *out);

/* drop-table, drop-column, destructive-sql judged by the whole upgrade: a
 * drop of what the upgrade created is dropped, a drop of data it copied
 * first becomes info naming where the data went (rule_drops.c). `out`
 * holds only this script's findings. */
int mlint_check_drops_script(const struct mlint_script *s, struct mlint_findings *out);

/* The pattern rules of a ruleset, compiled state and match buffers for one
 * thread: check one script after another with it. */
struct mlint_pattern_engine;
struct mlint_pattern_engine *mlint_pattern_engine_new(const struct mlint_ruleset *rs);
void mlint_pattern_engine_free(struct mlint_pattern_engine *e);
int mlint_pattern_engine_check(struct mlint_pattern_engine *e, const struct mlint_script *s,
			       struct mlint_findings *out);

/* The findings slot `slot` of the checker gathered so far, in file order
 * (the cache restores and records a file's findings there). */
struct mlint_findings *mlint_file_checker_slot(struct mlint_file_checker *fc, size_t slot);

/* The options the checker runs its rules with. */
const struct mlint_check_opts *mlint_file_checker_opts(const struct mlint_file_checker *fc);

#endif
