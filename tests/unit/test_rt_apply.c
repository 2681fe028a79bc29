// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runtime with the real compiler: rule text -> bw_drive_apply -> frames
 * on a veth pair -> counters in list ruleset; reload in place; a failed
 * reload (missing device) leaves the old ruleset running; list output
 * compiles again; inet input chains attach to every interface; trace
 * builds (testprog) agree with the interpreter; verify and dump; flush.
 *
 * Root only (exit 77 otherwise).  Runs in a private network and mount
 * namespace (unshare) with veth bwrt0/bwrt1 and a bpffs the runtime
 * mounts on /tmp/bwrta<pid>/pin; all of it goes away with the process.
 */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/if_packet.h>
#include <cmocka.h>

#include "runtime/rt.h"
#include "cli/drive.h"
#include "compiler/front/compile.h"
#include "compiler/interp/interp.h"
#include "compiler/interp/pktbuild.h"

static char g_tmp[64], g_pin[96];
static uint32_t g_if0, g_if1;
static struct bw_rt_opts g_opts;

static const char rules_a[] =
	"define blocked = 192.0.2.66\n"
	"table netdev t {\n"
	"\tchain in {\n"
	"\t\ttype filter hook ingress device \"bwrt1\" priority 0; policy accept;\n"
	"\t\tip saddr $blocked counter drop\n"
	"\t\tudp dport 53 counter accept\n"
	"\t}\n"
	"}\n";

static const char rules_b[] =
	"table netdev t {\n"
	"\tchain in {\n"
	"\t\ttype filter hook ingress device \"bwrt1\" priority 0; policy accept;\n"
	"\t\tudp dport 54 counter drop\n"
	"\t\tip protocol udp counter accept\n"
	"\t}\n"
	"}\n";

static const char rules_missing[] =
	"table netdev t {\n"
	"\tchain in {\n"
	"\t\ttype filter hook ingress device \"bwrt-none\" priority 0; policy accept;\n"
	"\t\tcounter drop\n"
	"\t}\n"
	"}\n";

static const char rules_inet[] =
	"table inet f {\n"
	"\tchain input {\n"
	"\t\ttype filter hook input priority 0; policy accept;\n"
	"\t\tip saddr 203.0.113.5 counter drop\n"
	"\t}\n"
	"}\n";

static struct bw_ir *compile(const char *name, const char *text,
			     struct bw_diags *d)
{
	struct bw_ir *ir = NULL;
	int err = bw_compile_string(name, text, d, &ir);

	if (err || d->nerrors)
		bw_diags_print(d, stderr);
	assert_int_equal(err, 0);
	assert_non_null(ir);
	return ir;
}

static size_t build(const char *spec, uint8_t *buf, size_t cap)
{
	struct bw_pkt_spec *s = NULL;
	struct bw_diags d;
	int n;

	bw_diags_init(&d);
	assert_int_equal(bw_pkt_spec_parse("<pkt>", spec, &d, &s), 0);
	n = bw_pkt_build(s, buf, cap, &d);
	assert_true(n > 0);
	bw_pkt_spec_free(&s);
	bw_diags_fini(&d);
	return (size_t)n;
}

/* Send a frame built from spec out of bwrt0 (arrives at bwrt1's XDP). */
static void send_spec(const char *spec)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_ifindex = (int)g_if0, .sll_halen = 6 };
	uint8_t f[BW_PKT_MAX];
	size_t n = build(spec, f, sizeof(f));
	int s = socket(AF_PACKET, SOCK_RAW, 0);

	assert_true(s >= 0);
	assert_int_equal(sendto(s, f, n, 0, (struct sockaddr *)&sll, sizeof(sll)),
			 (ssize_t)n);
	close(s);
}

static char *list(bool json)
{
	struct bw_diags d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	bw_diags_init(&d);
	assert_int_equal(bw_rt_list(&g_opts, json, f, &d), 0);
	fclose(f);
	bw_diags_fini(&d);
	return buf;
}

/* Wait (bounded: 10 s, for a loaded machine) until list shows needle. */
static bool list_shows(const char *needle)
{
	for (int i = 0; i < 1000; i++) {
		char *s = list(false);
		bool ok = strstr(s, needle) != NULL;

		free(s);
		if (ok)
			return true;
		usleep(10000);
	}
	return false;
}

static uint32_t xdp_prog_id(void)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	char path[160];
	int fd;

	snprintf(path, sizeof(path), "%s/link_xdp_%u", g_pin, g_if1);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.prog_id = 0;
	close(fd);
	return info.prog_id;
}

static void t_apply_count(void **state)
{
	struct bw_diags d;
	struct bw_ir *ir;

	bw_diags_init(&d);
	ir = compile("a.conf", rules_a, &d);
	assert_int_equal(bw_drive_apply(ir, &g_opts, &d), 0);
	assert_true(xdp_prog_id() > 0);
	send_spec("ip saddr 192.0.2.66 udp dport 53");
	send_spec("ip saddr 192.0.2.1 udp dport 53");
	assert_true(list_shows("ip saddr 192.0.2.66 counter packets 1 bytes"));
	assert_true(list_shows("udp dport 53 counter packets 1 bytes"));
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

static void t_list_roundtrip(void **state)
{
	struct bw_diags d;
	struct bw_ir *ir;
	char *text = list(false), *again;

	bw_diags_init(&d);
	assert_non_null(strstr(text, "# malformed packets dropped:"));
	/* the listing loads again, counters and all */
	ir = compile("listed.conf", text, &d);
	again = bw_ir_text_render(ir->text, bw_ir_counter_initial, ir);
	assert_non_null(strstr(again, "ip saddr 192.0.2.66 counter packets 1 bytes"));
	assert_non_null(strstr(text, again));
	free(again);
	free(text);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

static void t_reload_in_place(void **state)
{
	struct bw_diags d;
	struct bw_ir *ir;
	uint32_t before = xdp_prog_id();

	bw_diags_init(&d);
	ir = compile("b.conf", rules_b, &d);
	assert_int_equal(bw_drive_apply(ir, &g_opts, &d), 0);
	assert_true(xdp_prog_id() != before);
	assert_true(xdp_prog_id() > 0);
	send_spec("ip saddr 192.0.2.1 udp dport 54");
	assert_true(list_shows("udp dport 54 counter packets 1 bytes"));
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

static void t_failed_reload_keeps_old(void **state)
{
	struct bw_diags d;
	struct bw_ir *ir;
	uint32_t before = xdp_prog_id();

	bw_diags_init(&d);
	ir = compile("missing.conf", rules_missing, &d);
	assert_int_equal(bw_drive_apply(ir, &g_opts, &d), -ENODEV);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.head->loc.line, 2);
	assert_non_null(strstr(d.head->msg, "bwrt-none"));
	assert_int_equal(xdp_prog_id(), before);
	/* the old rules still count */
	send_spec("ip saddr 192.0.2.1 udp dport 54");
	assert_true(list_shows("udp dport 54 counter packets 2 bytes"));
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

/* inet chains at the netfilter hooks: one dispatcher link per family,
 * and its program array, pinned under the hook's family, number and
 * priority (traffic: tests/e2e/inet.sh) */
static void t_inet_netfilter(void **state)
{
	struct bw_rt_opts o = g_opts;
	struct bw_diags d;
	struct bw_ir *ir;
	char path[160];
	struct stat st;

	o.ip_hooks = BW_IP_HOOKS_NF;
	bw_diags_init(&d);
	ir = compile("inet.conf", rules_inet, &d);
	assert_int_equal(bw_drive_apply(ir, &o, &d), 0);
	for (int pf = 2; pf <= 10; pf += 8) {
		snprintf(path, sizeof(path), "%s/link_nf_%d_1_0", g_pin, pf);
		assert_int_equal(stat(path, &st), 0);
		snprintf(path, sizeof(path), "%s/nfprog_%d_1_0", g_pin, pf);
		assert_int_equal(stat(path, &st), 0);
	}
	/* the drop is hoisted to XDP on the interfaces (compiler/bpf/hoist.h) */
	snprintf(path, sizeof(path), "%s/link_xdp_%u", g_pin, g_if0);
	assert_int_equal(stat(path, &st), 0);
	assert_true(list_shows("# attached: input netfilter ipv4 priority 0"));
	assert_true(list_shows("# attached: input netfilter ipv6 priority 0"));
	/* --hoist off: the netfilter hooks only */
	o.no_hoist = true;
	assert_int_equal(bw_drive_apply(ir, &o, &d), 0);
	assert_int_not_equal(stat(path, &st), 0);
	assert_true(list_shows("# attached: input netfilter ipv4 priority 0"));
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

/* inet chains where the kernel has no netfilter hooks for BPF: input at
 * XDP on every interface (--ip-hooks xdp) */
static void t_inet_every_interface(void **state)
{
	struct bw_rt_opts o = g_opts;
	struct bw_diags d;
	struct bw_ir *ir;
	char path[160];
	struct stat st;

	o.ip_hooks = BW_IP_HOOKS_XDPTC;
	bw_diags_init(&d);
	ir = compile("inet.conf", rules_inet, &d);
	assert_int_equal(bw_drive_apply(ir, &o, &d), 0);
	/* lo, bwrt0, bwrt1 */
	snprintf(path, sizeof(path), "%s/link_xdp_1", g_pin);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/link_xdp_%u", g_pin, g_if0);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/link_xdp_%u", g_pin, g_if1);
	assert_int_equal(stat(path, &st), 0);
	send_spec("ip saddr 203.0.113.5 udp dport 9");
	assert_true(list_shows("ip saddr 203.0.113.5 counter packets 1 bytes"));
	assert_true(list_shows("# attached: ingress xdp generic on lo (ifindex 1)"));
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

static void t_testprog_agrees(void **state)
{
	static const char *const pkts[] = {
		"ip saddr 192.0.2.66 udp dport 53",
		"ip saddr 192.0.2.1 udp dport 53",
		"ip saddr 192.0.2.1 tcp dport 22",
	};
	struct bw_rt_testprog *t = NULL;
	struct bw_diags d;
	struct bw_ir *ir;

	bw_diags_init(&d);
	ir = compile("a.conf", rules_a, &d);
	assert_int_equal(bw_drive_testprog_load(ir, BW_HOOK_XDP, "bwrt1", NULL, NULL, &d, &t), 0);
	for (size_t i = 0; i < sizeof(pkts) / sizeof(pkts[0]); i++) {
		struct bw_rt_run_result r;
		struct bw_interp_result ir_res;
		uint8_t f[BW_PKT_MAX];
		size_t n = build(pkts[i], f, sizeof(f));

		assert_int_equal(bw_rt_testprog_run(t, f, n, &r), 0);
		assert_int_equal(bw_interp_run(ir, false, "bwrt1", f, n, &ir_res), 0);
		assert_int_equal(r.verdict, ir_res.verdict);
		assert_int_equal(r.handle, ir_res.handle);
		assert_false(r.malformed);
	}
	bw_rt_testprog_free(&t);
	assert_null(t);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

static void t_verify_and_dump(void **state)
{
	struct bw_diags d;
	struct bw_ir *ir;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	bw_diags_init(&d);
	ir = compile("a.conf", rules_a, &d);
	assert_int_equal(bw_drive_verify(ir, &g_opts, &d), 0);
	f = open_memstream(&buf, &len);
	assert_int_equal(bw_drive_dump(ir, &g_opts, f, &d), 0);
	fclose(f);
	assert_non_null(strstr(buf, "# hook ingress (xdp), device bwrt1"));
	assert_non_null(strstr(buf, "exit"));
	free(buf);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

static void t_flush(void **state)
{
	struct bw_diags d;
	char *s;

	bw_diags_init(&d);
	assert_int_equal(bw_rt_flush(&g_opts, &d), 0);
	assert_int_equal(xdp_prog_id(), 0);
	s = list(false);
	assert_string_equal(s, "");
	free(s);
	s = list(true);
	assert_non_null(strstr(s, "\"ruleset\": null"));
	free(s);
	bw_diags_fini(&d);
}

static void cleanup(void)
{
	if (!g_tmp[0])
		return;
	umount2(g_pin, MNT_DETACH);
	rmdir(g_pin);
	rmdir(g_tmp);
}

static int setup_ns(void)
{
	struct bw_rt_ifaces l;
	const struct bw_rt_iface *a, *b;

	if (unshare(CLONE_NEWNET | CLONE_NEWNS) ||
	    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return -1;
	snprintf(g_tmp, sizeof(g_tmp), "/tmp/bwrta%d", (int)getpid());
	snprintf(g_pin, sizeof(g_pin), "%s/pin", g_tmp);
	if (mkdir(g_tmp, 0700)) {
		g_tmp[0] = 0;
		return -1;
	}
	atexit(cleanup);
	if (system("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 && "
		   "ip link set lo up && ip link add bwrt0 type veth peer name bwrt1 && "
		   "ip link set bwrt0 up && ip link set bwrt1 up"))
		return -1;
	if (bw_rt_ifaces_dump(&l))
		return -1;
	a = bw_rt_iface_find(&l, "bwrt0");
	b = bw_rt_iface_find(&l, "bwrt1");
	g_if0 = a ? a->ifindex : 0;
	g_if1 = b ? b->ifindex : 0;
	bw_rt_ifaces_fini(&l);
	g_opts.pin_dir = g_pin;
	g_opts.verbose = getenv("BW_VERBOSE") != NULL;
	return g_if0 && g_if1 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_apply_count),
		cmocka_unit_test(t_list_roundtrip),
		cmocka_unit_test(t_reload_in_place),
		cmocka_unit_test(t_failed_reload_keeps_old),
		cmocka_unit_test(t_inet_netfilter),
		cmocka_unit_test(t_inet_every_interface),
		cmocka_unit_test(t_testprog_agrees),
		cmocka_unit_test(t_verify_and_dump),
		cmocka_unit_test(t_flush),
	};

	if (geteuid() != 0) {
		printf("SKIP: needs root (BPF, namespaces)\n");
		return 77;
	}
	if (setup_ns()) {
		printf("SKIP: cannot make private namespaces and a veth pair\n");
		return 77;
	}
	return cmocka_run_group_tests_name("runtime with the compiler", tests,
					   NULL, NULL) ? 1 : 0;
}
