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
#include "mlint/scriptdir.h"

struct mlint_report_opts {
	int color;   /* ANSI colours: only on a terminal, never with NO_COLOR */
	int excerpt; /* show the source line and a caret */
};

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

int mlint_report_heads_text(struct mlint_buf *out, const struct mlint_scriptdir *dirs,
			    size_t nr, int verbose);

int mlint_report_heads_json(struct mlint_buf *out, const struct mlint_scriptdir *dirs,
			    size_t nr);

#endif
