/* libFuzzer harness: the SQL path of the operation model (libpg_query's
 * parse tree read into operations) on any bytes, and the whole model of a
 * migration holding them in op.execute. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/migration.h"
#include "mlint/ops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_ops(const struct mlint_ops *ops)
{
	for (size_t i = 0; i < ops->nr; i++) {
		const struct mlint_op *o = &ops->items[i];
		/* every name is a readable string */
		if ((o->table && strlen(o->table) > (1u << 24)) ||
		    (o->name && strlen(o->name) > (1u << 24)) || o->line == 0)
			abort();
		(void)mlint_op_kind_name(o->kind);
	}
}

static void as_sql(const char *sql, size_t len)
{
	struct mlint_ops ops;
	struct mlint_op proto;

	memset(&proto, 0, sizeof(proto));
	proto.line = 1;
	proto.col = 1;
	mlint_ops_init(&ops);
	if (mlint_ops_read_sql(&ops, sql, len, &proto) == 0)
		check_ops(&ops);
	mlint_ops_release(&ops);
}

/* The bytes as the body of op.execute('''...''') in an upgrade. */
static void in_migration(const char *sql, size_t len)
{
	static const char head[] = "revision = 'a'\ndown_revision = None\ndef upgrade():\n"
				   "    with op.get_context().autocommit_block():\n"
				   "        op.execute('''";
	static const char tail[] = "''')\n    op.add_column('t', sa.Column('c', sa.Integer(), "
				   "nullable=False))\n";
	size_t n = sizeof(head) - 1 + len + sizeof(tail) - 1;
	char *src = malloc(n);
	struct mlint_migration m;

	if (!src)
		return;
	memcpy(src, head, sizeof(head) - 1);
	memcpy(src + sizeof(head) - 1, sql, len);
	memcpy(src + sizeof(head) - 1 + len, tail, sizeof(tail) - 1);
	mlint_migration_init(&m);
	if (mlint_migration_scan(&m, src, n) == 0) {
		for (size_t f = 0; f < m.nr_functions; f++) {
			struct mlint_ops ops;
			mlint_ops_init(&ops);
			if (mlint_ops_read(&ops, &m, src, n, f) == 0)
				check_ops(&ops);
			mlint_ops_release(&ops);
		}
	}
	mlint_migration_release(&m);
	free(src);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* NUL-terminated, exact size otherwise, so reading past it is caught */
	char *sql = malloc(size + 1);

	if (!sql)
		return 0;
	memcpy(sql, data, size);
	sql[size] = '\0';
	as_sql(sql, strlen(sql));
	in_migration(sql, size);
	free(sql);
	return 0;
}
