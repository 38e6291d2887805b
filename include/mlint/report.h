/*
 * report.h: findings rendered for people (text) and for programs (JSON).
 * Renderers append to a buffer; only the CLI prints.
 *
 * JSON schema (stable, version 1):
 *   {"version": 1,
 *    "findings": [{"rule", "severity", "path", "line", "column", "message",
 *                  "revision"}],
 *    "summary": {"errors", "warnings", "infos", "files", "migrations",
 *                "suppressed"}}
 *
 * Heads (`mlint heads`), text: one line per head as `alembic heads` prints
 * it, `<rev> (<label>, ...) (head)`; JSON: {"heads": [{"revision", "path",
 * "branch_labels", "script_location"}]}.
 */
#ifndef MLINT_REPORT_H
#define MLINT_REPORT_H

#include "mlint/buf.h"
#include "mlint/finding.h"
#include "mlint/ruleset.h"
#include "mlint/scriptdir.h"

struct mlint_report_opts {
	int color;   /* ANSI colours: only on a terminal, never with NO_COLOR */
	int excerpt; /* show the source line and a caret */
	/* Called whenever `out` holds MLINT_REPORT_CHUNK bytes or more, to
	 * write them and empty it, so that 100,000 findings are not held in
	 * memory twice; NULL keeps the whole report in `out`. */
	int (*flush)(void *ctx, struct mlint_buf *out);
	void *flush_ctx;
};

#define MLINT_REPORT_CHUNK (64 * 1024)

int mlint_report_text(struct mlint_buf *out, const struct mlint_findings *f,
		      const struct mlint_summary *s, const struct mlint_report_opts *opts);

int mlint_report_json(struct mlint_buf *out, const struct mlint_findings *f,
		      const struct mlint_summary *s);

/*
 * The revision graph (`mlint graph`).
 * text: newest first, as `alembic history` prints it:
 *   `<parents> -> <rev> (<labels>) (head) (branchpoint) (mergepoint), <message>`
 * json: {"script_directories": [{"script_location", "heads", "bases",
 *   "branch_points", "merge_points", "revisions": [{"revision", "path",
 *   "down_revision", "depends_on", "branch_labels", "head", "base",
 *   "branch_point", "merge_point"}]}]}, revisions parents first.
 * dot: a Graphviz digraph; mermaid: a Mermaid flowchart. Edges point from
 * parent to child; heads and bases are marked.
 */
enum mlint_graph_format {
	MLINT_GRAPH_TEXT,
	MLINT_GRAPH_JSON,
	MLINT_GRAPH_DOT,
	MLINT_GRAPH_MERMAID,
};

int mlint_report_graph(struct mlint_buf *out, const struct mlint_scriptdir *dirs, size_t nr,
		       enum mlint_graph_format format);

/*
 * Which migrations a change added or edited: is_new(ctx, path) with the
 * script's repository path. dot and mermaid highlight them (mermaid classes
 * `new`, and `newhead` for a new head).
 */
struct mlint_graph_marks {
	int (*is_new)(const void *ctx, const char *path);
	const void *ctx;
};

/* mlint_report_graph with new migrations highlighted; `marks` may be NULL. */
int mlint_report_graph_marked(struct mlint_buf *out, const struct mlint_scriptdir *dirs,
			      size_t nr, enum mlint_graph_format format,
			      const struct mlint_graph_marks *marks);

struct mlint_markdown_opts {
	int failed;       /* a finding reached fail-on: the verdict */
	const char *base; /* what the change was compared with, or NULL */
	const struct mlint_graph_marks *marks; /* the change's migrations, or NULL */
};

/*
 * One Markdown document for a GitHub job summary or a pull-request comment:
 *   ## mlint: failed|passed
 *   <the summary line>
 *   | Severity | Rule | Location | Message |   (one row per finding; `|`
 *     escaped, line ends as spaces, & < > as entities)
 *   ```mermaid  every script directory's revision graph, heads and the
 *     change's migrations highlighted (when `base` and `marks` are set)
 */
int mlint_report_markdown(struct mlint_buf *out, const struct mlint_findings *f,
			  const struct mlint_summary *s, const struct mlint_scriptdir *dirs,
			  size_t nr, const struct mlint_markdown_opts *opts);

/* "2 errors, 1 warning, 0 info, 1 suppressed in 12 migrations (14 files
 * read)" (files when they differ), "no findings in 12 migrations" or
 * "no findings in 12 migrations, 3 suppressed". */
int mlint_report_summary_line(struct mlint_buf *out, const struct mlint_findings *f,
			      const struct mlint_summary *s);

/*
 * SARIF 2.1.0 for GitHub code scanning: one run, tool.driver with every rule
 * of `rs` (descriptions, help text, default level), one result per finding
 * (ruleId, ruleIndex, level, message, a location with a relative URI and a
 * region, partialFingerprints "mlint/v1" that survive line shifts and file
 * renames). `version` is mlint's.
 */
int mlint_report_sarif(struct mlint_buf *out, const struct mlint_findings *f,
		       const struct mlint_ruleset *rs, const char *version);

/*
 * GitHub Actions workflow commands, one per finding:
 *   ::error file=P,line=L,col=C,title=mlint RULE::MESSAGE
 * (warning for warnings, notice for info), escaped as GitHub requires, then
 * the one-line summary.
 */
int mlint_report_github(struct mlint_buf *out, const struct mlint_findings *f,
			const struct mlint_summary *s);

/*
 * GitLab Code Quality (artifacts:reports:codequality): a JSON array, one
 * issue per finding: {"description", "check_name" (the rule id),
 * "fingerprint" (the SARIF one: survives line shifts and renames),
 * "severity" (error: critical, warning: major, info: info),
 * "location": {"path", "lines": {"begin"}}}.
 */
int mlint_report_gitlab(struct mlint_buf *out, const struct mlint_findings *f);

/*
 * JUnit XML, valid against the junit-4.xsd Jenkins reads: one <testsuite
 * name="mlint" tests failures errors skipped>; one <testcase classname=PATH
 * name=RULE> per finding holding its one <failure type=SEVERITY
 * message=MESSAGE>path:line:col: ...</failure>; then one passed <testcase
 * classname="mlint" name=RULE/> per rule of `rules` (the rules that ran)
 * without a finding. XML-escaped. Without `rules` (NULL) and without
 * findings, one passed test case for the whole check.
 */
int mlint_report_junit_rules(struct mlint_buf *out, const struct mlint_findings *f,
			     const struct mlint_summary *s, const char *const *rules, size_t nr);

/* mlint_report_junit_rules without the rules that ran. */
int mlint_report_junit(struct mlint_buf *out, const struct mlint_findings *f,
		       const struct mlint_summary *s);

int mlint_report_heads_text(struct mlint_buf *out, const struct mlint_scriptdir *dirs,
			    size_t nr, int verbose);

int mlint_report_heads_json(struct mlint_buf *out, const struct mlint_scriptdir *dirs,
			    size_t nr);

#endif
