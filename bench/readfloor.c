/*
 * readfloor: the floor `mlint heads` is measured against. One thread lists a
 * directory (readdir), then opens and reads every regular file in it to the
 * end, and does nothing with the bytes. Anything that must read each
 * migration costs at least this much. Not part of libmlint: bench/targets.sh
 * builds it with the system compiler.
 *
 *   readfloor DIR     prints "<files> <bytes>"
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 16];
	unsigned long files = 0, bytes = 0;
	struct dirent *e;
	DIR *d;

	if (argc != 2 || !(d = opendir(argv[1]))) {
		fprintf(stderr, "usage: readfloor DIR\n");
		return 2;
	}
	while ((e = readdir(d)) != NULL) {
		int fd;
		ssize_t n;
		if (e->d_type != DT_REG || e->d_name[0] == '.')
			continue;
		if ((fd = openat(dirfd(d), e->d_name, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			bytes += (unsigned long)n;
		close(fd);
		files++;
	}
	closedir(d);
	printf("%lu %lu\n", files, bytes);
	return 0;
}
