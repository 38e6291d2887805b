/* libFuzzer harness: the INI reader and interpolation on any bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "mlint/ini.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const defaults[] = {"here", "/project", NULL};
	char *text = malloc(size ? size : 1);
	struct mlint_ini ini;

	if (!text)
		return 0;
	memcpy(text, data, size);
	mlint_ini_init(&ini);
	if (mlint_ini_parse(&ini, "fuzz.ini", text, size) == 0) {
		for (size_t i = 0; i < ini.nr; i++) {
			char *value = NULL;
			mlint_ini_get_interpolated(&value, &ini, ini.entries[i].section,
						   ini.entries[i].key, defaults);
			free(value);
		}
	}
	mlint_ini_release(&ini);
	free(text);
	return 0;
}
