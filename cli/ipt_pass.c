// SPDX-License-Identifier: GPL-2.0-only
/*
 * What bpfwall does not compile goes to the real tool: iptables-nft and
 * its siblings (ip6tables-nft, iptables-nft-save, iptables-nft-restore,
 * ...), found beside $BPFWALL_IPTABLES_NFT when that names iptables-nft,
 * else in PATH.  Each forwarded command is said on stderr; --strict
 * refuses it instead, naming the table or extension.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ipt.h"

char *bw_ipt_tool_path(const char *tool)
{
	const char *env = getenv("BPFWALL_IPTABLES_NFT");
	const char *path = getenv("PATH");
	char buf[4096];

	if (env && env[0]) {
		const char *slash = strrchr(env, '/');

		snprintf(buf, sizeof(buf), "%.*s%s", slash ? (int)(slash - env + 1) : 0,
			 env, tool);
		return access(buf, X_OK) ? NULL : strdup(buf);
	}
	if (!path)
		path = "/usr/sbin:/usr/bin:/sbin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t len = colon ? (size_t)(colon - path) : strlen(path);

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, path, tool);
		if (len && !access(buf, X_OK))
			return strdup(buf);
		path += len + (colon ? 1 : 0);
	}
	return NULL;
}

int bw_ipt_pass(const char *tool, int argc, char **argv, const char *what,
		const struct bw_ipt_opts *o, const char *input, size_t ilen)
{
	char *path;
	char **args;
	int pfd[2] = { -1, -1 }, status = 0;
	pid_t pid;

	if (o->strict) {
		fprintf(stderr, "bpfwall: %s is not compiled by bpfwall; refused (--strict)\n",
			what);
		return BW_IPT_EXIT_OTHER;
	}
	path = bw_ipt_tool_path(tool);
	if (!path) {
		fprintf(stderr, "bpfwall: %s is not compiled by bpfwall, and %s was not found to take it (set BPFWALL_IPTABLES_NFT)\n",
			what, tool);
		return BW_IPT_EXIT_OTHER;
	}
	fprintf(stderr, "bpfwall: %s is not compiled by bpfwall: passed to %s:", what, path);
	for (int i = 1; i < argc; i++)
		fprintf(stderr, " %s", argv[i]);
	fputc('\n', stderr);
	fflush(stdout);
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args || (input && pipe(pfd))) {
		free(path);
		free(args);
		return BW_IPT_EXIT_OTHER;
	}
	args[0] = (char *)tool;
	for (int i = 1; i < argc; i++)
		args[i] = argv[i];
	pid = fork();
	if (pid == 0) {
		if (input) {
			dup2(pfd[0], 0);
			close(pfd[0]);
			close(pfd[1]);
		}
		execv(path, args);
		_exit(127);
	}
	if (input) {
		close(pfd[0]);
		for (size_t off = 0; pid > 0 && off < ilen; ) {
			ssize_t n = write(pfd[1], input + off, ilen - off);

			if (n <= 0)
				break;
			off += (size_t)n;
		}
		close(pfd[1]);
	}
	free(args);
	free(path);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return BW_IPT_EXIT_OTHER;
	return WIFEXITED(status) ? WEXITSTATUS(status) : BW_IPT_EXIT_OTHER;
}
