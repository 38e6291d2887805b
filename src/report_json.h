/* Private: JSON helpers shared by libmlint's JSON writers. */
#ifndef MLINT_REPORT_JSON_PRIVATE_H
#define MLINT_REPORT_JSON_PRIVATE_H

#include <jansson.h>

/* A JSON string (invalid UTF-8 bytes replaced), or null for NULL. New reference. */
json_t *mlint_json_string(const char *s);

#endif
