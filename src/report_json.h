/* Private: JSON helpers shared by libmlint's JSON writers. */
#ifndef MLINT_REPORT_JSON_PRIVATE_H
#define MLINT_REPORT_JSON_PRIVATE_H

#include <jansson.h>
#include "mlint/buf.h"

/* A JSON string (invalid UTF-8 bytes replaced), or null for NULL. New reference. */
json_t *mlint_json_string(const char *s);

/*
 * Appends `root` to `out` as indented JSON and a newline. Takes the
 * reference (root may be NULL after a failed build: then an error).
 */
int mlint_json_write(struct mlint_buf *out, json_t *root);

#endif
