// SPDX-License-Identifier: GPL-2.0-only
/*
 * Runtime unit tests with hand-written programs (struct bpf_insn arrays):
 * map creation, placeholder patching, verifier rejections mapped to rule
 * locations, XDP/TCX/clsact attach, pinning, atomic replace and its
 * failure paths, list, flush.
 *
 * The kernel tests run as root in a private network and mount namespace
 * (unshare), on a veth pair bwrt0/bwrt1 that exists only there, with a
 * bpffs mounted by the runtime itself under /tmp/bwrt<pid>; everything
 * goes away with the process.  Without root only the pure tests run and
 * the program exits 77.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_packet.h>
#include <linux/pkt_cls.h>
#include <cmocka.h>

#include "runtime/rt.h"
#include "tests/lib/maps.h"
#include "cli/drive.h"
#include "runtime/compat.h"

static char g_tmp[64];		/* /tmp/bwrt<pid> */
static char g_pin[96];		/* g_tmp/pin: mounted by the runtime */
static uint32_t g_if0, g_if1;	/* bwrt0 (sender, tc egress), bwrt1 (xdp) */

/* ---- instruction builders ---- */

static struct bpf_insn I(uint8_t code, uint8_t dst, uint8_t src, int16_t off,
			 int32_t imm)
{
	return (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src,
				  .off = off, .imm = imm };
}

/* count into counters[key].packets, then return rv */
static struct bw_prog *prog_count(enum bw_hook hook, uint32_t key, int rv)
{
	struct bw_prog *p = calloc(1, sizeof(*p));
	struct bpf_insn v[] = {
		I(BPF_LD | BPF_DW | BPF_IMM, 1, BPF_PSEUDO_MAP_FD, 0, BW_MAP_COUNTERS),
		I(0, 0, 0, 0, 0),
		I(BPF_ST | BPF_MEM | BPF_W, 10, 0, -4, (int32_t)key),
		I(BPF_ALU64 | BPF_MOV | BPF_X, 2, 10, 0, 0),
		I(BPF_ALU64 | BPF_ADD | BPF_K, 2, 0, 0, -4),
		I(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem),
		I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 3, 0),
		I(BPF_LDX | BPF_MEM | BPF_DW, 1, 0, 0, 0),
		I(BPF_ALU64 | BPF_ADD | BPF_K, 1, 0, 0, 1),
		I(BPF_STX | BPF_MEM | BPF_DW, 0, 1, 0, 0),
		I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, rv),
		I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};

	p->hook = hook;
	snprintf(p->name, sizeof(p->name), "bwrt_%u", key);
	p->ninsn = sizeof(v) / sizeof(v[0]);
	p->insn = malloc(sizeof(v));
	memcpy(p->insn, v, sizeof(v));
	p->uses_map[BW_MAP_COUNTERS] = true;
	return p;
}

static const char bad_src[] =
	"table netdev t {\n"
	"\tchain c {\n"
	"\t\tip saddr 192.0.2.1 drop\n"
	"\t}\n"
	"}\n";

/* An XDP program whose instruction 2 reads 8 bytes of xdp_md at 0: the
 * verifier refuses that access; the source map names line 3. */
static struct bw_prog *prog_bad(const struct bw_src *src)
{
	struct bw_prog *p = calloc(1, sizeof(*p));
	struct bpf_insn v[] = {
		I(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, XDP_PASS),
		I(BPF_ALU64 | BPF_MOV | BPF_K, 2, 0, 0, 0),
		I(BPF_LDX | BPF_MEM | BPF_DW, 2, 1, 0, 0),
		I(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};

	p->hook = BW_HOOK_XDP;
	snprintf(p->name, sizeof(p->name), "bwrt_bad");
	p->ninsn = 4;
	p->insn = malloc(sizeof(v));
	memcpy(p->insn, v, sizeof(v));
	p->nsrcmap = 2;
	p->srcmap = calloc(2, sizeof(*p->srcmap));
	p->srcmap[0].insn = 0;
	p->srcmap[1].insn = 2;
	p->srcmap[1].handle = 7;
	p->srcmap[1].loc = (struct bw_loc){ .src = src, .line = 3, .col = 3,
					    .end_line = 3, .end_col = 25 };
	return p;
}

/* ---- helpers ---- */

static struct bw_ir *ir_new(const char *text)
{
	struct bw_ir *ir = calloc(1, sizeof(*ir));

	ir->nhandle = 16;
	ir->text = strdup(text);
	return ir;
}

static void ir_free(struct bw_ir *ir)
{
	if (!ir)
		return;
	for (uint32_t c = 0; c < ir->nchain; c++) {
		free(ir->chain[c].table);
		free(ir->chain[c].name);
		free(ir->chain[c].device);
		free(ir->chain[c].rule);
	}
	free(ir->chain);
	free(ir->text);
	free(ir);
}

static int pinned(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", g_pin, name);
	return bpf_obj_get(path);
}

static bool pin_exists(const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", g_pin, name);
	return stat(path, &st) == 0;
}

static uint64_t packets(int map_fd, uint32_t key)
{
	uint64_t v[2] = { 0, 0 };

	if (map_fd < 0 || bw_rt_percpu_sum(map_fd, key, 2, v))
		return 0;
	return v[0];
}

static uint64_t pinned_packets(uint32_t key)
{
	int fd = pinned("counters");
	uint64_t n = packets(fd, key);

	if (fd >= 0)
		close(fd);
	return n;
}

/* One raw frame out of bwrt0: TC egress on bwrt0, then XDP on bwrt1. */
static void send_frame(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_ifindex = (int)g_if0, .sll_halen = 6 };
	uint8_t f[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			  0x02, 0, 0, 0, 0, 1, 0x88, 0xb5 };
	int s = socket(AF_PACKET, SOCK_RAW, 0);

	assert_true(s >= 0);
	memset(sll.sll_addr, 0xff, 6);
	assert_int_equal(sendto(s, f, sizeof(f), 0, (struct sockaddr *)&sll,
				sizeof(sll)), (int)sizeof(f));
	close(s);
}

/* Wait (bounded: 2 s) until counter key of the map reaches want. */
static uint64_t wait_count(int map_fd, uint32_t key, uint64_t want)
{
	uint64_t n = 0;

	for (int i = 0; i < 200; i++) {
		n = map_fd >= 0 ? packets(map_fd, key) : pinned_packets(key);
		if (n >= want)
			break;
		usleep(10000);
	}
	return n;
}

static uint32_t link_prog_id(const char *name)
{
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	int fd = pinned(name);

	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.prog_id = 0;
	close(fd);
	return info.prog_id;
}

static void link_name(const char *kind, uint32_t ifindex, char *buf, size_t len)
{
	snprintf(buf, len, "link_%s_%u", kind, ifindex);
}

static int swap_plan(struct bw_rt_plan *pl, struct bw_ir *ir,
		     enum bw_xdp_mode mode, struct bw_diags *d)
{
	struct bw_rt_pin pin;
	int err;

	err = bw_rt_pin_open(g_pin, true, true, false, &pin);
	if (err)
		return err;
	err = bw_rt_plan_load(pl, ir, d);
	if (!err)
		err = bw_rt_plan_swap(pl, ir, &pin, mode, d);
	bw_rt_pin_close(&pin);
	return err;
}

/* ---- pure tests ---- */

static void t_vlog_parse(void **state)
{
	const char *log1 =
		"func#0 @0\n"
		"0: R1=ctx() R10=fp0\n"
		"0: (b7) r0 = 2                        ; R0_w=2\n"
		"1: (b7) r2 = 0                        ; R2_w=0\n"
		"2: (79) r2 = *(u64 *)(r1 +0)\n"
		"invalid bpf_context access off=0 size=8\n"
		"processed 3 insns (limit 1000000) max_states_per_insn 0\n";
	const char *log2 = "last insn is not an exit or jmp\nprocessed 0 insns\n";
	const char *log3 = "jump out of range from insn 3 to 99\n";
	char msg[128];

	assert_int_equal(bw_rt_vlog_parse(log1, msg, sizeof(msg)), 2);
	assert_string_equal(msg, "invalid bpf_context access off=0 size=8");
	assert_int_equal(bw_rt_vlog_parse(log2, msg, sizeof(msg)), -1);
	assert_string_equal(msg, "last insn is not an exit or jmp");
	assert_int_equal(bw_rt_vlog_parse(log3, msg, sizeof(msg)), 3);
	assert_int_equal(bw_rt_vlog_parse("", msg, sizeof(msg)), -1);
	assert_string_equal(msg, "");
}

static void t_pin_dir(void **state)
{
	struct bw_rt_opts o = { 0 };

	unsetenv("BPFWALL_PIN_DIR");
	assert_string_equal(bw_rt_pin_dir(&o), BW_PIN_DIR_DEFAULT);
	setenv("BPFWALL_PIN_DIR", "/tmp/x", 1);
	assert_string_equal(bw_rt_pin_dir(&o), "/tmp/x");
	o.pin_dir = "/tmp/y";
	assert_string_equal(bw_rt_pin_dir(&o), "/tmp/y");
	unsetenv("BPFWALL_PIN_DIR");
}

static void t_json_string(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	bw_rt_json_string(f, "a\"b\\c\nd\te\x1f");
	fclose(f);
	assert_string_equal(buf, "\"a\\\"b\\\\c\\nd\\te\\u001f\"");
	free(buf);
}

static void t_pin_names(void **state)
{
	struct bw_rt_att a;
	bool tmp;

	assert_true(bw_rt_att_name_parse("link_xdp_3", &a, &tmp));
	assert_int_equal(a.hook, BW_HOOK_XDP);
	assert_int_equal(a.kind, BW_RT_KIND_XDP);
	assert_int_equal(a.ifindex, 3);
	assert_false(tmp);
	assert_true(bw_rt_att_name_parse("link_tc_12_new", &a, &tmp));
	assert_int_equal(a.kind, BW_RT_KIND_TCX);
	assert_int_equal(a.ifindex, 12);
	assert_true(tmp);
	assert_true(bw_rt_att_name_parse("prog_tc_4", &a, &tmp));
	assert_int_equal(a.kind, BW_RT_KIND_CLSACT);
	assert_true(bw_rt_att_name_parse("bridge_7", &a, &tmp));
	assert_true(a.bridge);
	assert_int_equal(a.ifindex, 7);
	assert_true(bw_rt_att_name_parse("link_nf_10_1_-100", &a, &tmp));
	assert_int_equal(a.kind, BW_RT_KIND_NF);
	assert_int_equal(a.nf.pf, 10);
	assert_int_equal(a.nf.hook, 1);
	assert_int_equal(a.nf.priority, -100);
	/* not printed back the same, or not an attachment */
	assert_false(bw_rt_att_name_parse("link_xdp_03", &a, &tmp));
	assert_false(bw_rt_att_name_parse("link_xdp_3x", &a, &tmp));
	assert_false(bw_rt_att_name_parse("nfprog_2_1_0", &a, &tmp));
	assert_false(bw_rt_att_name_parse("counters", &a, &tmp));
	assert_false(bw_rt_att_name_parse("link_nf_999_1_0", &a, &tmp));
	assert_true(bw_rt_pin_name_ours("nfprog_2_1_0"));
	assert_true(bw_rt_pin_name_ours("state_new"));
	assert_true(bw_rt_pin_name_ours("bridge_2_new"));
	assert_true(bw_rt_pin_name_ours("set_1_0"));
	assert_false(bw_rt_pin_name_ours("set_1"));
	assert_false(bw_rt_pin_name_ours("link_foo"));
	assert_false(bw_rt_pin_name_ours("_new"));
}

/* ---- kernel tests (root, private namespaces) ---- */

static void t_pin_mount_lock(void **state)
{
	struct bw_rt_pin pin;
	pid_t pid;
	int st;

	assert_int_equal(bw_rt_pin_open(g_pin, false, false, false, &pin), -ENOENT);
	assert_int_equal(bw_rt_pin_open(g_pin, true, true, false, &pin), 0);
	assert_int_equal(bw_rt_is_bpffs(g_pin), 1);
	/* a second invocation must wait for the lock */
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int fd = open(g_pin, O_RDONLY | O_DIRECTORY);

		_exit(flock(fd, LOCK_EX | LOCK_NB) == -1 && errno == EWOULDBLOCK ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	bw_rt_pin_close(&pin);
	/* again: already mounted, nothing to do */
	assert_int_equal(bw_rt_pin_open(g_pin, true, false, false, &pin), 0);
	bw_rt_pin_close(&pin);
}

static void t_ifaces(void **state)
{
	struct bw_rt_ifaces l;
	const struct bw_rt_iface *lo, *v;

	assert_int_equal(bw_rt_ifaces_dump(&l), 0);
	lo = bw_rt_iface_find(&l, "lo");
	v = bw_rt_iface_find(&l, "bwrt1");
	assert_non_null(lo);
	assert_non_null(v);
	assert_int_equal(lo->ifindex, 1);
	assert_true(bw_rt_iface_attachable(lo));
	assert_true(bw_rt_iface_attachable(v));
	assert_int_equal(v->ifindex, g_if1);
	assert_null(bw_rt_iface_find(&l, "bwrt-none"));
	bw_rt_ifaces_fini(&l);
}

static void t_state_roundtrip(void **state)
{
	struct bw_rt_state_ap ap[2] = {
		{ .hook = BW_HOOK_XDP, .kind = BW_RT_KIND_XDP, .ifindex = 3,
		  .xdp_flags = XDP_FLAGS_DRV_MODE, .ifname = "eth0" },
		{ .hook = BW_HOOK_TC, .kind = BW_RT_KIND_CLSACT, .ifindex = 4,
		  .tc_handle = 1, .tc_prio = 2, .ifname = "eth1" },
	};
	struct bw_rt_state s = { .netns_dev = 5, .netns_ino = 6, .nhandle = 9,
				 .nlookup = 2, .nap = 2, .ap = ap }, r;
	size_t n = 3 * BW_RT_STATE_CHUNK + 17;	/* several chunks */
	int fd;

	s.text = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s.text[i] = (char)('a' + i % 26);
	s.text[n] = 0;
	fd = bw_rt_state_create(&s);
	assert_true(fd >= 0);
	assert_int_equal(bw_rt_state_read(fd, &r), 0);
	assert_int_equal(r.nap, 2);
	assert_int_equal(r.nhandle, 9);
	assert_int_equal(r.nlookup, 2);
	assert_int_equal(r.netns_ino, 6);
	assert_string_equal(r.ap[1].ifname, "eth1");
	assert_int_equal(r.ap[1].tc_prio, 2);
	assert_int_equal(r.ap[0].xdp_flags, XDP_FLAGS_DRV_MODE);
	assert_string_equal(r.text, s.text);
	bw_rt_state_fini(&r);
	close(fd);
	free(s.text);
}

static void t_maps_preset(void **state)
{
	struct bw_ir *ir = ir_new("");
	struct bw_ir_rule rules[2] = {
		{ .handle = 1, .counter = true, .counter_packets = 5,
		  .counter_bytes = 300 },
		{ .handle = 2, .counter = true },
	};
	struct bw_ir_chain ch = { .nrule = 2, .rule = rules };
	struct bw_rt_maps m;
	uint64_t v[2];

	ir->nchain = 1;
	ir->chain = &ch;
	bw_rt_maps_init(&m);
	assert_int_equal(bwt_maps_create(&m, ir, NULL, true), 0);
	assert_true(m.fd[BW_MAP_COUNTERS] >= 0);
	assert_true(m.fd[BW_MAP_REASONS] >= 0);
	assert_true(m.fd[BW_MAP_TRACE] >= 0);
	assert_int_equal(bw_rt_percpu_sum(m.fd[BW_MAP_COUNTERS], 1, 2, v), 0);
	assert_int_equal(v[0], 5);
	assert_int_equal(v[1], 300);
	assert_int_equal(bw_rt_percpu_sum(m.fd[BW_MAP_COUNTERS], 2, 2, v), 0);
	assert_int_equal(v[0], 0);
	bw_rt_maps_close(&m);
	assert_int_equal(m.fd[BW_MAP_COUNTERS], -1);
	ir->nchain = 0;
	ir->chain = NULL;
	ir_free(ir);
}

static void t_load_run(void **state)
{
	struct bw_ir *ir = ir_new("");
	struct bw_prog *p = prog_count(BW_HOOK_XDP, 3, XDP_DROP);
	struct bw_diags d;
	struct bw_rt_maps m;
	uint8_t frame[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
		    .data_size_in = sizeof(frame), .repeat = 1);
	int fd;

	bw_diags_init(&d);
	bw_rt_maps_init(&m);
	assert_int_equal(bwt_maps_create(&m, ir, NULL, false), 0);
	fd = bw_rt_prog_load(p, &m, "xdp test", &d);
	assert_true(fd >= 0);
	/* the placeholder was patched in a copy, not in the program */
	assert_int_equal(p->insn[0].imm, BW_MAP_COUNTERS);
	assert_int_equal(bpf_prog_test_run_opts(fd, &o), 0);
	assert_int_equal(o.retval, XDP_DROP);
	assert_int_equal(packets(m.fd[BW_MAP_COUNTERS], 3), 1);
	close(fd);
	/* a placeholder whose map was not created is refused */
	p->insn[0].imm = BW_MAP__MAX + 4;
	assert_int_equal(bw_rt_prog_load(p, &m, "xdp test", &d), -EINVAL);
	bw_rt_maps_close(&m);
	bw_prog_free(&p);
	bw_diags_fini(&d);
	ir_free(ir);
}

static void t_verifier_reject(void **state)
{
	struct bw_ir *ir = ir_new("");
	struct bw_diags d;
	struct bw_rt_maps m;
	const struct bw_src *src;
	struct bw_prog *p;

	bw_diags_init(&d);
	src = bw_src_string(&d, "bad.conf", bad_src);
	p = prog_bad(src);
	bw_rt_maps_init(&m);
	assert_int_equal(bwt_maps_create(&m, ir, NULL, false), 0);
	assert_true(bw_rt_prog_load(p, &m, "xdp on bwrt1", &d) < 0);
	assert_int_equal(d.nerrors, 1);
	assert_non_null(d.head);
	assert_ptr_equal(d.head->loc.src, src);
	assert_int_equal(d.head->loc.line, 3);
	assert_non_null(strstr(d.head->msg, "the kernel verifier rejected this rule"));
	assert_non_null(strstr(d.head->msg, "invalid bpf_context access"));
	/* the note carries the verifier's last lines */
	assert_non_null(d.head->next);
	assert_non_null(strstr(d.head->next->msg, "2: (79) r2 = *(u64 *)(r1 +0)"));
	bw_rt_maps_close(&m);
	bw_prog_free(&p);
	bw_diags_fini(&d);
	ir_free(ir);
}

static struct bw_ir *g_ir;	/* the ruleset of the swap tests */

static void plan_two(struct bw_rt_plan *pl, uint32_t kx, uint32_t kt)
{
	bw_rt_plan_init(pl);
	assert_int_equal(bw_map_specs_build(g_ir, NULL, false, &pl->specs), 0);
	if (kx)
		assert_int_equal(bw_rt_plan_add(pl, BW_HOOK_XDP, g_if1, "bwrt1",
						prog_count(BW_HOOK_XDP, kx, XDP_PASS)), 0);
	if (kt)
		assert_int_equal(bw_rt_plan_add(pl, BW_HOOK_TC, g_if0, "bwrt0",
						prog_count(BW_HOOK_TC, kt, TC_ACT_OK)), 0);
}

static void t_swap_first(void **state)
{
	struct bw_rt_plan pl;
	struct bw_diags d;
	char lx[32], lt[32];
	struct bw_rt_pin pin;
	struct bw_rt_state st;

	bw_diags_init(&d);
	plan_two(&pl, 1, 2);
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_AUTO, &d), 0);
	bw_rt_plan_fini(&pl);
	link_name("xdp", g_if1, lx, sizeof(lx));
	link_name("tc", g_if0, lt, sizeof(lt));
	assert_true(pin_exists(lx));
	assert_true(pin_exists(lt));
	assert_true(pin_exists("counters"));
	assert_true(pin_exists("reasons"));
	assert_true(pin_exists("state"));
	assert_int_equal(bw_rt_pin_open(g_pin, false, false, false, &pin), 0);
	assert_int_equal(bw_rt_state_load(&pin, &st), 0);
	bw_rt_pin_close(&pin);
	assert_int_equal(st.nap, 2);
	assert_int_equal(st.ap[0].kind, BW_RT_KIND_XDP);
	assert_int_equal(st.ap[0].xdp_flags, XDP_FLAGS_DRV_MODE);	/* veth: native */
	assert_int_equal(st.ap[1].kind, BW_RT_KIND_TCX);
	assert_string_equal(st.text, g_ir->text);
	bw_rt_state_fini(&st);

	send_frame();
	assert_int_equal(wait_count(-1, 1, 1), 1);	/* xdp on bwrt1 */
	assert_int_equal(wait_count(-1, 2, 1), 1);	/* tc egress on bwrt0 */
	bw_diags_fini(&d);
}

static void t_swap_replace(void **state)
{
	struct bw_rt_plan pl;
	struct bw_diags d;
	char lx[32];
	uint32_t before;
	int old_counters = pinned("counters");

	bw_diags_init(&d);
	link_name("xdp", g_if1, lx, sizeof(lx));
	before = link_prog_id(lx);
	assert_true(before > 0);
	plan_two(&pl, 3, 4);
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_AUTO, &d), 0);
	bw_rt_plan_fini(&pl);
	/* same link, new program */
	assert_true(link_prog_id(lx) != before);
	assert_true(link_prog_id(lx) > 0);
	send_frame();
	assert_int_equal(wait_count(-1, 3, 1), 1);
	assert_int_equal(wait_count(-1, 4, 1), 1);
	/* the old maps no longer count */
	assert_int_equal(packets(old_counters, 1), 1);
	close(old_counters);
	bw_diags_fini(&d);
}

static void t_swap_rejected_keeps_old(void **state)
{
	struct bw_rt_plan pl;
	struct bw_diags d;
	const struct bw_src *src;
	char lx[32];
	uint32_t before;

	bw_diags_init(&d);
	link_name("xdp", g_if1, lx, sizeof(lx));
	before = link_prog_id(lx);
	src = bw_src_string(&d, "bad.conf", bad_src);
	plan_two(&pl, 0, 5);
	assert_int_equal(bw_rt_plan_add(&pl, BW_HOOK_XDP, g_if1, "bwrt1",
					prog_bad(src)), 0);
	assert_true(swap_plan(&pl, g_ir, BW_XDP_AUTO, &d) < 0);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.head->loc.line, 3);
	/* nothing of the new plan survives */
	for (uint32_t i = 0; i < pl.nap; i++)
		assert_int_equal(pl.ap[i].prog_fd, -1);
	assert_int_equal(pl.maps.fd[BW_MAP_COUNTERS], -1);
	bw_rt_plan_fini(&pl);
	/* the running ruleset is untouched and still works */
	assert_int_equal(link_prog_id(lx), before);
	send_frame();
	assert_int_equal(wait_count(-1, 3, 2), 2);
	assert_int_equal(wait_count(-1, 4, 2), 2);
	assert_int_equal(pinned_packets(5), 0);
	bw_diags_fini(&d);
}

static void t_missing_device_keeps_old(void **state)
{
	struct bw_ir *ir = ir_new("table netdev t {\n}\n");
	struct bw_ir_chain ch = {
		.table = "t", .name = "c", .family = BW_FAMILY_NETDEV,
		.hook = BW_CHAIN_INGRESS, .device = "bwrt-none",
		.policy = BW_VERDICT_ACCEPT,
	};
	struct bw_rt_ifaces ifs;
	struct bw_rt_plan pl;
	struct bw_diags d;
	const struct bw_src *src;
	char lx[32];
	uint32_t before;

	bw_diags_init(&d);
	src = bw_src_string(&d, "dev.conf", "table netdev t {\n\tchain c {\n\t}\n}\n");
	ch.loc = (struct bw_loc){ .src = src, .line = 2, .col = 2,
				  .end_line = 3, .end_col = 2 };
	ir->nchain = 1;
	ir->chain = &ch;
	link_name("xdp", g_if1, lx, sizeof(lx));
	before = link_prog_id(lx);
	assert_int_equal(bw_rt_ifaces_dump(&ifs), 0);
	bw_rt_plan_init(&pl);
	assert_int_equal(bw_drive_plan(&pl, ir, true, NULL, false, &d), -ENODEV);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.head->loc.line, 2);
	assert_non_null(strstr(d.head->msg, "device \"bwrt-none\" does not exist"));
	assert_int_equal(pl.nap, 0);
	bw_rt_plan_fini(&pl);
	bw_rt_ifaces_fini(&ifs);
	assert_int_equal(link_prog_id(lx), before);
	ir->nchain = 0;
	ir->chain = NULL;
	ir_free(ir);
	bw_diags_fini(&d);
}

static void t_swap_remove_stale(void **state)
{
	struct bw_rt_plan pl;
	struct bw_diags d;
	char lt[32];
	int old_counters;

	bw_diags_init(&d);
	link_name("tc", g_if0, lt, sizeof(lt));
	plan_two(&pl, 6, 0);
	old_counters = pinned("counters");
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_AUTO, &d), 0);
	bw_rt_plan_fini(&pl);
	assert_false(pin_exists(lt));
	send_frame();
	assert_int_equal(wait_count(-1, 6, 1), 1);
	/* the TC program is gone: its counter stays where it was */
	usleep(50000);
	assert_int_equal(packets(old_counters, 4), 2);
	close(old_counters);
	bw_diags_fini(&d);
}

static void t_clsact(void **state)
{
	struct bw_rt_plan pl;
	struct bw_diags d;
	struct bw_rt_pin pin;
	struct bw_rt_state st;
	char pt[32];
	int old_counters;

	bw_diags_init(&d);
	snprintf(pt, sizeof(pt), "prog_tc_%u", g_if0);
	plan_two(&pl, 6, 7);
	pl.allow_tcx = false;
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_AUTO, &d), 0);
	bw_rt_plan_fini(&pl);
	assert_true(pin_exists(pt));
	assert_int_equal(bw_rt_pin_open(g_pin, false, false, false, &pin), 0);
	assert_int_equal(bw_rt_state_load(&pin, &st), 0);
	bw_rt_pin_close(&pin);
	assert_int_equal(st.ap[1].kind, BW_RT_KIND_CLSACT);
	bw_rt_state_fini(&st);
	send_frame();
	assert_int_equal(wait_count(-1, 7, 1), 1);

	/* replaced in place */
	plan_two(&pl, 6, 8);
	pl.allow_tcx = false;
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_AUTO, &d), 0);
	bw_rt_plan_fini(&pl);
	send_frame();
	assert_int_equal(wait_count(-1, 8, 1), 1);

	/* removed */
	old_counters = pinned("counters");
	plan_two(&pl, 6, 0);
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_AUTO, &d), 0);
	bw_rt_plan_fini(&pl);
	assert_false(pin_exists(pt));
	send_frame();
	assert_int_equal(wait_count(-1, 6, 1), 1);
	usleep(50000);
	assert_int_equal(packets(old_counters, 8), 1);
	close(old_counters);
	bw_diags_fini(&d);
}

static void t_xdp_mode_change(void **state)
{
	struct bw_rt_plan pl;
	struct bw_diags d;
	struct bw_rt_pin pin;
	struct bw_rt_state st;

	bw_diags_init(&d);
	plan_two(&pl, 9, 0);
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_GENERIC, &d), 0);
	bw_rt_plan_fini(&pl);
	assert_int_equal(bw_rt_pin_open(g_pin, false, false, false, &pin), 0);
	assert_int_equal(bw_rt_state_load(&pin, &st), 0);
	bw_rt_pin_close(&pin);
	assert_int_equal(st.nap, 1);
	assert_int_equal(st.ap[0].xdp_flags, XDP_FLAGS_SKB_MODE);
	bw_rt_state_fini(&st);
	send_frame();
	assert_int_equal(wait_count(-1, 9, 1), 1);
	/* exactly one program runs: a second frame counts once more */
	send_frame();
	assert_int_equal(wait_count(-1, 9, 2), 2);
	usleep(50000);
	assert_int_equal(pinned_packets(9), 2);
	bw_diags_fini(&d);
}

static uint32_t xdp_flags_now(void)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	assert_int_equal(bpf_xdp_query((int)g_if1, 0, &q), 0);
	return q.drv_prog_id ? XDP_FLAGS_DRV_MODE :
	       q.skb_prog_id ? XDP_FLAGS_SKB_MODE : 0;
}

static uint32_t tcx_ingress_progs(uint32_t ifindex)
{
	uint32_t ids[8];
	LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids, .prog_cnt = 8);

	if (bpf_prog_query_opts((int)ifindex, BW_TCX_INGRESS, &q))
		return 0;
	return q.prog_cnt;
}

/* A running XDP program keeps its mode without --xdp-mode, also where
 * auto mode would choose another (a veth whose program answers); an
 * explicit mode changes it, and the bridge that held the device goes. */
static void t_xdp_mode_kept(void **state)
{
	struct bw_rt_plan pl;
	struct bw_diags d;
	char bridge[32];

	bw_diags_init(&d);
	snprintf(bridge, sizeof(bridge), "bridge_%u", g_if1);
	plan_two(&pl, 9, 0);
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_NATIVE, &d), 0);
	bw_rt_plan_fini(&pl);
	assert_int_equal(xdp_flags_now(), XDP_FLAGS_DRV_MODE);

	plan_two(&pl, 10, 0);
	pl.ap[0].veth = true;
	pl.ap[0].prog->answers = true;
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_AUTO, &d), 0);
	bw_rt_plan_fini(&pl);
	assert_int_equal(xdp_flags_now(), XDP_FLAGS_DRV_MODE);
	send_frame();
	assert_int_equal(wait_count(-1, 10, 1), 1);

	plan_two(&pl, 11, 0);
	assert_int_equal(swap_plan(&pl, g_ir, BW_XDP_GENERIC, &d), 0);
	bw_rt_plan_fini(&pl);
	assert_int_equal(xdp_flags_now(), XDP_FLAGS_SKB_MODE);
	assert_false(pin_exists(bridge));
	assert_int_equal(tcx_ingress_progs(g_if1), 0);
	send_frame();
	assert_int_equal(wait_count(-1, 11, 1), 1);
	bw_diags_fini(&d);
}

static void t_list(void **state)
{
	struct bw_rt_opts o = { .pin_dir = g_pin };
	struct bw_diags d;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	bw_diags_init(&d);
	f = open_memstream(&buf, &len);
	assert_int_equal(bw_rt_list(&o, false, f, &d), 0);
	fclose(f);
	/* handle 9 has counted two frames */
	assert_non_null(strstr(buf, "counter packets 2 bytes 0 accept"));
	assert_non_null(strstr(buf, "# malformed packets dropped: "));
	assert_non_null(strstr(buf, "# attached: ingress xdp generic on bwrt1"));
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	assert_int_equal(bw_rt_list(&o, true, f, &d), 0);
	fclose(f);
	assert_non_null(strstr(buf, "{\"handle\": 9, \"packets\": 2, \"bytes\": 0}"));
	assert_non_null(strstr(buf, "\"mode\": \"xdp generic\""));
	free(buf);
	bw_diags_fini(&d);
}

static void t_flush(void **state)
{
	struct bw_rt_opts o = { .pin_dir = g_pin };
	struct bw_diags d;
	char *buf = NULL;
	size_t len = 0;
	int counters = pinned("counters");
	FILE *f;

	bw_diags_init(&d);
	assert_int_equal(bw_rt_flush(&o, &d), 0);
	assert_false(pin_exists("state"));
	assert_false(pin_exists("counters"));
	send_frame();
	usleep(100000);
	assert_int_equal(packets(counters, 9), 2);	/* detached */
	close(counters);
	/* nothing loaded: list prints nothing; flush again is fine */
	f = open_memstream(&buf, &len);
	assert_int_equal(bw_rt_list(&o, false, f, &d), 0);
	fclose(f);
	assert_int_equal(len, 0);
	free(buf);
	assert_int_equal(bw_rt_flush(&o, &d), 0);
	bw_diags_fini(&d);
}

/* ---- set-up ---- */

static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void cleanup(void)
{
	if (!g_tmp[0])
		return;
	umount2(g_pin, MNT_DETACH);
	rmdir(g_pin);
	rmdir(g_tmp);
}

static int private_namespaces(void)
{
	if (unshare(CLONE_NEWNET | CLONE_NEWNS)) {
		fprintf(stderr, "unshare: %s\n", strerror(errno));
		return -1;
	}
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		fprintf(stderr, "mount --make-rprivate /: %s\n", strerror(errno));
		return -1;
	}
	snprintf(g_tmp, sizeof(g_tmp), "/tmp/bwrt%d", (int)getpid());
	snprintf(g_pin, sizeof(g_pin), "%s/pin", g_tmp);
	if (mkdir(g_tmp, 0700)) {
		fprintf(stderr, "mkdir %s: %s\n", g_tmp, strerror(errno));
		g_tmp[0] = 0;
		return -1;
	}
	atexit(cleanup);
	/* no IPv6: nothing but our frames crosses the veth pair */
	if (sh("sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 && "
	       "ip link set lo up && ip link add bwrt0 type veth peer name bwrt1 && "
	       "ip link set bwrt0 up && ip link set bwrt1 up"))
		return -1;
	{
		struct bw_rt_ifaces l;
		const struct bw_rt_iface *a, *b;

		if (bw_rt_ifaces_dump(&l))
			return -1;
		a = bw_rt_iface_find(&l, "bwrt0");
		b = bw_rt_iface_find(&l, "bwrt1");
		g_if0 = a ? a->ifindex : 0;
		g_if1 = b ? b->ifindex : 0;
		bw_rt_ifaces_fini(&l);
	}
	return g_if0 && g_if1 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(t_vlog_parse),
		cmocka_unit_test(t_pin_dir),
		cmocka_unit_test(t_json_string),
		cmocka_unit_test(t_pin_names),
	};
	const struct CMUnitTest kernel[] = {
		cmocka_unit_test(t_pin_mount_lock),
		cmocka_unit_test(t_ifaces),
		cmocka_unit_test(t_state_roundtrip),
		cmocka_unit_test(t_maps_preset),
		cmocka_unit_test(t_load_run),
		cmocka_unit_test(t_verifier_reject),
		cmocka_unit_test(t_swap_first),
		cmocka_unit_test(t_swap_replace),
		cmocka_unit_test(t_swap_rejected_keeps_old),
		cmocka_unit_test(t_missing_device_keeps_old),
		cmocka_unit_test(t_swap_remove_stale),
		cmocka_unit_test(t_clsact),
		cmocka_unit_test(t_xdp_mode_change),
		cmocka_unit_test(t_list),
		cmocka_unit_test(t_flush),
		cmocka_unit_test(t_xdp_mode_kept),
	};
	int fails;

	fails = cmocka_run_group_tests_name("runtime (pure)", pure, NULL, NULL);
	if (geteuid() != 0) {
		printf("SKIP: the kernel tests need root (BPF, namespaces)\n");
		return fails ? 1 : 77;
	}
	if (private_namespaces()) {
		printf("SKIP: cannot make private namespaces and a veth pair\n");
		return fails ? 1 : 77;
	}
	g_ir = ir_new("table netdev t {\n\tchain c {\n\t\tcounter \x1f" "9\x1f accept\n\t}\n}\n");
	bw_rt_set_verbose(getenv("BW_VERBOSE") != NULL);
	fails += cmocka_run_group_tests_name("runtime (kernel)", kernel, NULL, NULL);
	ir_free(g_ir);
	return fails ? 1 : 0;
}
