// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connect hooks (cgroup sock_addr, BPF_CGROUP_INET4_CONNECT and
 * INET6_CONNECT): the audit hook of DESIGN.md.  No packet: start() fills
 * the view from struct bpf_sock_addr as if it were the connect's first
 * packet: l3, nfproto, ethertype (and eth[12..13], what ether type reads),
 * l4proto (ctx->protocol, also in the IP
 * header's protocol / next header byte), the destination address at
 * l3h + 16 (IPv4) or l3h + 24 (IPv6), the destination port at l4h + 2, both
 * in network order as on the wire.  Everything else (source address and
 * port, tcp flags, ttl, lengths, ether addresses, mark) is unknown: the
 * ops' field mask leaves those fields out, and codegen takes a rule that
 * uses one as not matching, so the audit only reports denies it is sure of.
 * A limit, with no packet to count, is taken so that it adds no deny it
 * is not sure of either (codegen.c, limit_at_connect).
 *
 * A ruleset filters one network namespace; the hooks see every connect
 * of the cgroup (or, kprobe and tracepoint, of the host).  Each program
 * first compares the connect's network namespace with the ruleset's (the
 * cookie, patched in at load: BW_RELOC_NETNS_COOKIE) and lets any other
 * go at once: a connect elsewhere meets other rules, or none.
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "audit.h"
#include "log.h"
#include "uapi.h"
#include "hook_connect.h"

#define V(m, off)	((int16_t)(BW_VIEW_OFF(m) + (off)))
#define CTX(m)		((int16_t)offsetof(struct bpf_sock_addr, m))

#define BW_HELPER_KTIME_GET_NS		5
#define BW_HELPER_GET_PID_TGID		14
#define BW_HELPER_GET_UID_GID		15
#define BW_HELPER_GET_COMM		16
#define BW_HELPER_GET_CGROUP_ID		80
#define BW_HELPER_RINGBUF_RESERVE	131
#define BW_HELPER_RINGBUF_SUBMIT	132
#define BW_HELPER_GET_CURRENT_TASK	35
#define BW_HELPER_PROBE_READ_KERNEL	113

#define BIT(f)	(UINT64_C(1) << (f))
#define CONNECT_FIELDS (BIT(BW_F_META_NFPROTO) | BIT(BW_F_META_L4PROTO) | \
			BIT(BW_F_ETHER_TYPE) | BIT(BW_F_IP_VERSION) | \
			BIT(BW_F_IP_PROTOCOL) | BIT(BW_F_IP_DADDR) | \
			BIT(BW_F_IP6_NEXTHDR) | BIT(BW_F_IP6_DADDR) | \
			BIT(BW_F_TCP_DPORT) | BIT(BW_F_UDP_DPORT) | \
			BIT(BW_F_CT_STATE))

/* Another network namespace's connect (its cookie in r0): return ret at
 * once.  Clobbers r1. */
static void other_netns_returns(struct bw_emit *e, int ret)
{
	bw_label same = bw_emit_label(e);

	bw_emit_ld_netns_cookie(e, BW_R1);
	bw_emit_jcc(e, bw_jmp_reg(BPF_JEQ, BW_R0, BW_R1, 0), same);
	bw_emit(e, bw_mov64_imm(BW_R0, ret));
	bw_emit(e, bw_exit());
	bw_emit_place(e, same);
}

/*
 * r0 = the u64 at the end of a chain of kernel pointers: from the pointer
 * in r3, each member of path in turn (a pointer, the last the value) read
 * with bpf_probe_read_kernel into BW_STK_TMP; a failed read returns ret.
 * Clobbers r1-r5.
 */
static void probe_chain(struct bw_emit *e, const char *const *path, int n,
			int ret)
{
	bw_label fail = bw_emit_label(e), ok = bw_emit_label(e);

	for (int i = 0; i < n; i++) {
		bw_emit_reloc(e, BW_RELOC_FIELD, path[i],
			      bw_alu64_imm(BPF_ADD, BW_R3, 0));
		bw_emit(e, bw_mov64_reg(BW_R1, BW_R10));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R1, BW_STK_TMP));
		bw_emit(e, bw_mov64_imm(BW_R2, 8));
		bw_emit(e, bw_call(BW_HELPER_PROBE_READ_KERNEL));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), fail);
		bw_emit(e, bw_ldx(BPF_DW, BW_R3, BW_R10, BW_STK_TMP));
	}
	bw_emit(e, bw_mov64_reg(BW_R0, BW_R3));
	bw_emit_ja(e, ok);
	bw_emit_place(e, fail);
	bw_emit(e, bw_mov64_imm(BW_R0, ret));
	bw_emit(e, bw_exit());
	bw_emit_place(e, ok);
}

/* The connect's netns: the cgroup hooks ask the kernel for the socket's
 * (bpf_get_netns_cookie); 1 lets the connect go. */
static void cgroup_netns(struct bw_emit *e)
{
	bw_emit(e, bw_call(BW_HELPER_GET_NETNS_COOKIE));
	other_netns_returns(e, 1);
}

/* What both families share; proto_off: the IP header's protocol byte. */
static void start_common(struct bw_emit *e, uint8_t l3, uint8_t nfproto,
			 uint16_t ethertype, int proto_off, uint8_t ver)
{
	bw_emit(e, bw_mov64_reg(BW_R6, BW_R1));
	cgroup_netns(e);
	bw_prologue_zero_view(e);
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3, 0), l3));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(nfproto, 0), nfproto));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(flags, 0), BW_VIEW_L4));
	bw_emit(e, bw_st(BPF_H, BW_R10, V(ethertype, 0), ethertype));
	bw_emit(e, bw_st(BPF_H, BW_R10, V(eth, 12), htons(ethertype)));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3h, 0), ver));
	bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R6, CTX(protocol)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R0, V(l4proto, 0)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R0, V(l3h, proto_off)));
	/* user_port: the port in network order in the low 16 bits */
	bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R6, CTX(user_port)));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R0, V(l4h, 2)));
}

static void connect4_start(struct bw_emit *e)
{
	start_common(e, 4, 2 /* NFPROTO_IPV4 */, 0x0800, 9, 0x45);
	bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R6, CTX(user_ip4)));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, V(l3h, 16)));
}

static void connect6_start(struct bw_emit *e)
{
	start_common(e, 6, 10 /* NFPROTO_IPV6 */, 0x86dd, 6, 0x60);
	for (int i = 0; i < 4; i++) {
		bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R6,
				  (int16_t)(CTX(user_ip6) + 4 * i)));
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, V(l3h, 24 + 4 * i)));
	}
}

/*
 * kprobe: tcp_v4_connect(sk, uaddr, len) / tcp_v6_connect(...): uaddr, the
 * second argument, is read with bpf_probe_read_kernel (28 bytes, a
 * sockaddr_in6) into BW_STK_LKEY; its family chooses the layout.  A read
 * that fails or another family: return at once, no rule runs.
 */
#if defined(__x86_64__)
#define KPROBE_ARG1	112	/* offsetof(struct pt_regs, di) */
#define KPROBE_ARG2	104	/* offsetof(struct pt_regs, si) */
#elif defined(__aarch64__)
#define KPROBE_ARG1	0	/* regs[0] */
#define KPROBE_ARG2	8	/* regs[1] */
#else
#define KPROBE_ARG1	-1
#define KPROBE_ARG2	-1	/* unknown: the program reads nothing */
#endif

static void kprobe_family(struct bw_emit *e, uint8_t l3, uint8_t nfproto,
			  uint16_t ethertype, int proto_off, uint8_t ver)
{
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3, 0), l3));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(nfproto, 0), nfproto));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(flags, 0), BW_VIEW_L4));
	bw_emit(e, bw_st(BPF_H, BW_R10, V(ethertype, 0), ethertype));
	bw_emit(e, bw_st(BPF_H, BW_R10, V(eth, 12), htons(ethertype)));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3h, 0), ver));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l4proto, 0), IPPROTO_TCP));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3h, proto_off), IPPROTO_TCP));
	/* sin_port / sin6_port at 2 in both */
	bw_emit(e, bw_ldx(BPF_H, BW_R0, BW_R10, BW_STK_LKEY + 2));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R0, V(l4h, 2)));
}

static void kprobe_start(struct bw_emit *e)
{
	bw_label quit = bw_emit_label(e), v6 = bw_emit_label(e);
	bw_label done = bw_emit_label(e);

	bw_emit(e, bw_mov64_reg(BW_R6, BW_R1));
	if (KPROBE_ARG2 < 0) {
		bw_emit_ja(e, quit);
	} else {
		/* the socket's netns: sk->__sk_common.skc_net->net_cookie */
		static const char *const netns[] = {
			"sock.__sk_common.skc_net", "net.net_cookie",
		};

		bw_emit(e, bw_ldx(BPF_DW, BW_R3, BW_R6, KPROBE_ARG1));
		probe_chain(e, netns, 2, 0);
		other_netns_returns(e, 0);
		bw_prologue_zero_view(e);
		bw_emit(e, bw_ldx(BPF_DW, BW_R3, BW_R6, KPROBE_ARG2));
		bw_emit(e, bw_mov64_reg(BW_R1, BW_R10));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R1, BW_STK_LKEY));
		bw_emit(e, bw_mov64_imm(BW_R2, 28));
		bw_emit(e, bw_call(BW_HELPER_PROBE_READ_KERNEL));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), quit);
	}
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, BW_STK_LKEY));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, AF_INET6, 0), v6);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, AF_INET, 0), quit);
	kprobe_family(e, 4, 2, 0x0800, 9, 0x45);
	bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R10, BW_STK_LKEY + 4));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, V(l3h, 16)));
	bw_emit_ja(e, done);
	bw_emit_place(e, v6);
	kprobe_family(e, 6, 10, 0x86dd, 6, 0x60);
	for (int i = 0; i < 4; i++) {
		bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R10, (int16_t)(BW_STK_LKEY + 8 + 4 * i)));
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, V(l3h, 24 + 4 * i)));
	}
	bw_emit_ja(e, done);
	bw_emit_place(e, quit);
	bw_emit(e, bw_mov64_imm(BW_R0, 0));
	bw_emit(e, bw_exit());
	bw_emit_place(e, done);
}

/*
 * tracepoint syscalls/sys_enter_connect: the context is the tracepoint's
 * record; uservaddr at 24 and addrlen at 32 (runtime/audit.c checks the
 * format file says so before loading).  The family is read first with
 * bpf_probe_read_user; AF_INET (addrlen >= 16) then reads 8 bytes
 * (sin_port, sin_addr), AF_INET6 (addrlen >= 24) 24 (sin6_port,
 * sin6_addr); anything else, or a failed read: return at once, no rule
 * runs.  The socket's protocol is not known from the syscall's arguments:
 * l4proto stays 0 and TP_FIELDS leaves every protocol-dependent field out,
 * so a rule that names tcp or udp never matches here.
 */
#define TP_USERVADDR	24
#define TP_ADDRLEN	32
#define BW_HELPER_PROBE_READ_USER	112
#define TP_FIELDS (BIT(BW_F_META_NFPROTO) | BIT(BW_F_ETHER_TYPE) | \
		   BIT(BW_F_IP_VERSION) | BIT(BW_F_IP_DADDR) | \
		   BIT(BW_F_IP6_DADDR) | BIT(BW_F_CT_STATE))

/* Read len bytes of the user's sockaddr into BW_STK_LKEY; quit on error. */
static void tp_read(struct bw_emit *e, int len, bw_label quit)
{
	bw_emit(e, bw_ldx(BPF_DW, BW_R3, BW_R6, TP_USERVADDR));
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R1, BW_STK_LKEY));
	bw_emit(e, bw_mov64_imm(BW_R2, len));
	bw_emit(e, bw_call(BW_HELPER_PROBE_READ_USER));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), quit);
}

static void tp_family(struct bw_emit *e, uint8_t l3, uint8_t nfproto,
		      uint16_t ethertype, uint8_t ver)
{
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3, 0), l3));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(nfproto, 0), nfproto));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(flags, 0), BW_VIEW_L4));
	bw_emit(e, bw_st(BPF_H, BW_R10, V(ethertype, 0), ethertype));
	bw_emit(e, bw_st(BPF_H, BW_R10, V(eth, 12), htons(ethertype)));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3h, 0), ver));
	bw_emit(e, bw_ldx(BPF_H, BW_R0, BW_R10, BW_STK_LKEY + 2));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R0, V(l4h, 2)));
}

static void tracepoint_start(struct bw_emit *e)
{
	bw_label quit = bw_emit_label(e), v6 = bw_emit_label(e);
	bw_label done = bw_emit_label(e);

	/* the calling task's netns: current->nsproxy->net_ns->net_cookie */
	static const char *const netns[] = {
		"task_struct.nsproxy", "nsproxy.net_ns", "net.net_cookie",
	};

	bw_emit(e, bw_mov64_reg(BW_R6, BW_R1));
	bw_emit(e, bw_call(BW_HELPER_GET_CURRENT_TASK));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R0));
	probe_chain(e, netns, 3, 0);
	other_netns_returns(e, 0);
	bw_prologue_zero_view(e);
	bw_emit(e, bw_st(BPF_DW, BW_R10, BW_STK_LKEY, 0));
	tp_read(e, 2, quit);
	bw_emit(e, bw_ldx(BPF_DW, BW_R7, BW_R6, TP_ADDRLEN));
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, BW_STK_LKEY));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, AF_INET6, 0), v6);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, AF_INET, 0), quit);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JLT, BW_R7, 16, 0), quit);
	tp_read(e, 8, quit);
	tp_family(e, 4, 2, 0x0800, 0x45);
	bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R10, BW_STK_LKEY + 4));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, V(l3h, 16)));
	bw_emit_ja(e, done);
	bw_emit_place(e, v6);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JLT, BW_R7, 24, 0), quit);
	tp_read(e, 24, quit);
	tp_family(e, 6, 10, 0x86dd, 0x60);
	for (int i = 0; i < 4; i++) {
		bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R10, (int16_t)(BW_STK_LKEY + 8 + 4 * i)));
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, V(l3h, 24 + 4 * i)));
	}
	bw_emit_ja(e, done);
	bw_emit_place(e, quit);
	bw_emit(e, bw_mov64_imm(BW_R0, 0));
	bw_emit(e, bw_exit());
	bw_emit_place(e, done);
}

#define EV(m)	((int16_t)offsetof(struct bw_audit_event, m))

/* Call a helper without arguments, store its u64 result at the event. */
static void store_call(struct bw_emit *e, int helper, int16_t off)
{
	bw_emit(e, bw_call(helper));
	bw_emit(e, bw_stx(BPF_DW, BW_R8, BW_R0, off));
}

void bw_connect_emit_deny(struct bw_emit *e, bool enforce)
{
	bw_label out = bw_emit_label(e), v4 = bw_emit_label(e);
	bw_label addr_done = bw_emit_label(e), lost = bw_emit_label(e);

	bw_emit_ld_map(e, BW_R1, BW_MAP_AUDIT);
	bw_emit(e, bw_mov64_imm(BW_R2, sizeof(struct bw_audit_event)));
	bw_emit(e, bw_mov64_imm(BW_R3, 0));
	bw_emit(e, bw_call(BW_HELPER_RINGBUF_RESERVE));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), lost);
	bw_emit(e, bw_mov64_reg(BW_R8, BW_R0));
	bw_emit(e, bw_stx(BPF_W, BW_R8, BW_R7, EV(handle)));
	store_call(e, BW_HELPER_KTIME_GET_NS, EV(time_ns));
	store_call(e, BW_HELPER_GET_PID_TGID, EV(pid_tgid));
	store_call(e, BW_HELPER_GET_UID_GID, EV(uid_gid));
	store_call(e, BW_HELPER_GET_CGROUP_ID, EV(cgroup_id));
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R8));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R1, EV(comm)));
	bw_emit(e, bw_mov64_imm(BW_R2, 16));
	bw_emit(e, bw_call(BW_HELPER_GET_COMM));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3, 0)));
	bw_emit(e, bw_stx(BPF_B, BW_R8, BW_R1, EV(l3)));
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, V(l4proto, 0)));
	bw_emit(e, bw_stx(BPF_B, BW_R8, BW_R2, EV(proto)));
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, V(l4h, 2)));
	bw_emit(e, bw_stx(BPF_H, BW_R8, BW_R2, EV(dport)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 4, 0), v4);
	for (int i = 0; i < 4; i++) {
		bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R10, V(l3h, 24 + 4 * i)));
		bw_emit(e, bw_stx(BPF_W, BW_R8, BW_R2, (int16_t)(EV(daddr) + 4 * i)));
	}
	bw_emit_ja(e, addr_done);
	bw_emit_place(e, v4);
	bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R10, V(l3h, 16)));
	bw_emit(e, bw_stx(BPF_W, BW_R8, BW_R2, EV(daddr)));
	for (int i = 1; i < 4; i++)
		bw_emit(e, bw_st(BPF_W, BW_R8, (int16_t)(EV(daddr) + 4 * i), 0));
	bw_emit_place(e, addr_done);
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R8));
	bw_emit(e, bw_mov64_imm(BW_R2, 0));
	bw_emit(e, bw_call(BW_HELPER_RINGBUF_SUBMIT));
	bw_emit_ja(e, out);
	bw_emit_place(e, lost);		/* the ringbuf is full: counted */
	bw_lost_emit(e, BW_LOST_AUDIT);
	bw_emit_place(e, out);
	bw_emit(e, bw_mov64_imm(BW_R0, enforce ? 0 : 1));
	bw_emit(e, bw_exit());
}

/* verdict_drop 0 is what a deny means to the kernel (EPERM); without
 * --audit enforce the deny tail returns 1 after the event instead. */
const struct bw_hook_ops bw_hook_connect4_ops = {
	.info = {
		.name = "connect4",
		.prog_type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
		.expected_attach_type = BPF_CGROUP_INET4_CONNECT,
		.egress = true,
		.verdict_accept = 1,
		.verdict_drop = 0,
	},
	.fields = CONNECT_FIELDS,
	.start = connect4_start,
	.read = NULL,		/* no packet: start() fills the view */
	.deny_event = true,
	.all_egress = true,
};

/* A kprobe's return value is ignored: it can only log, never refuse. */
const struct bw_hook_ops bw_hook_kprobe_ops = {
	.info = {
		.name = "kprobe",
		.prog_type = BPF_PROG_TYPE_KPROBE,
		.expected_attach_type = 0,
		.egress = true,
		.verdict_accept = 0,
		.verdict_drop = 0,
	},
	.fields = CONNECT_FIELDS,
	.start = kprobe_start,
	.read = NULL,
	.deny_event = true,
	.all_egress = true,
};

const struct bw_hook_ops bw_hook_connect6_ops = {
	.info = {
		.name = "connect6",
		.prog_type = BPF_PROG_TYPE_CGROUP_SOCK_ADDR,
		.expected_attach_type = BPF_CGROUP_INET6_CONNECT,
		.egress = true,
		.verdict_accept = 1,
		.verdict_drop = 0,
	},
	.fields = CONNECT_FIELDS,
	.start = connect6_start,
	.read = NULL,
	.deny_event = true,
	.all_egress = true,
};

/* A tracepoint's return value is ignored too: log only, every process. */
const struct bw_hook_ops bw_hook_tracepoint_ops = {
	.info = {
		.name = "tracepoint",
		.prog_type = BPF_PROG_TYPE_TRACEPOINT,
		.expected_attach_type = 0,
		.egress = true,
		.verdict_accept = 0,
		.verdict_drop = 0,
	},
	.fields = TP_FIELDS,
	.start = tracepoint_start,
	.read = NULL,
	.deny_event = true,
	.all_egress = true,
};
