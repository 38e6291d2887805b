#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

void test_fmt_path(char *out, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out, PATH_MAX, fmt, ap);
	va_end(ap);
	if (n < 0 || n >= PATH_MAX)
		fail_msg("path too long");
}

void test_remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode) && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			char child[PATH_MAX];
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			test_fmt_path(child, "%s/%s", path, e->d_name);
			test_remove_tree(child);
		}
		closedir(d);
		rmdir(path);
		return;
	}
	unlink(path);
}

void test_make_dirs(const char *root, const char *rel)
{
	char path[PATH_MAX];
	test_fmt_path(path, "%s/%s", root, rel);
	for (char *p = path + strlen(root) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST)
			fail_msg("mkdir '%s': %s", path, strerror(errno));
		*p = '/';
	}
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		fail_msg("mkdir '%s': %s", path, strerror(errno));
}

void test_write_bytes(const char *root, const char *rel, const char *data, size_t len)
{
	char path[PATH_MAX], dir[PATH_MAX];
	const char *slash = strrchr(rel, '/');
	FILE *fp;

	if (slash) {
		test_fmt_path(dir, "%.*s", (int)(slash - rel), rel);
		test_make_dirs(root, dir);
	}
	test_fmt_path(path, "%s/%s", root, rel);
	if (!(fp = fopen(path, "wb")))
		fail_msg("cannot write '%s': %s", path, strerror(errno));
	if (len && fwrite(data, 1, len, fp) != len)
		fail_msg("cannot write '%s'", path);
	fclose(fp);
}

void test_write_file(const char *root, const char *rel, const char *text)
{
	test_write_bytes(root, rel, text, strlen(text));
}
