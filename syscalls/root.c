/* -L DIR: the guest sees DIR's files in place of the host's where DIR has them, as qemu's -L
 * does: an absolute path the guest opens, examines or executes is tried under DIR first, and
 * the host's own file is used when DIR has no such entry. */
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include "sys_impl.h"

const char *sys_root_path(const char *path)
{
	static _Thread_local char buf[PATH_MAX];
	const char *root = the_process.opt.root;
	if (!root || !*root || path[0] != '/')
		return path;
	int n = snprintf(buf, sizeof buf, "%s%s", root, path);
	if (n < 0 || n >= (int)sizeof buf || access(buf, F_OK) != 0)
		return path;
	return buf;
}
