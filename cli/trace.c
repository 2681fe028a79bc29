// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall -f FILE trace HOOK [device NAME] PACKET: build one frame from
 * rule-syntax equalities and run it through the compiled programs (kernel,
 * BPF_PROG_TEST_RUN) or the reference interpreter (--interp); print the
 * chains it passed, the deciding rule and the verdict.
 *
 * With -j the output is one line, a JSON object:
 *   {"verdict": "accept" | "drop" | "reject",
 *    "rule": {"file": F, "line": L, "handle": H} | null,
 *    "chain": "netdev t in" | null, "hook": "ingress", "device": D | null,
 *    "engine": "kernel" | "interp", "malformed": REASON | null}
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "drive.h"
#include "ipt.h"
#include "compiler/bpf/build.h"
#include "compiler/front/compile.h"
#include "compiler/interp/ct.h"
#include "compiler/interp/interp.h"
#include "compiler/front/nat.h"
#include "compiler/interp/pktbuild.h"

/* the file is iptables-restore input (ipt_trace.c) */
static bool ipt_file;

struct outcome {
	enum bw_verdict verdict;
	uint32_t handle;
	bool malformed;
	enum bw_reason reason;
};

static int run(const struct bw_cli *c, const struct bw_ir *ir,
	       const struct bw_interp_ctx *ctx, const uint8_t *pkt, size_t len,
	       struct bw_diags *d, struct outcome *o)
{
	memset(o, 0, sizeof(*o));
	if (c->interp) {
		struct bw_interp_result r;
		int err = bw_interp_run_ctx(ir, ctx, pkt, len, &r);

		if (err) {
			bw_error(d, NULL, "the interpreter failed: %s", strerror(-err));
			return err;
		}
		o->verdict = r.verdict;
		o->handle = r.handle;
		o->malformed = r.malformed;
		o->reason = r.reason;
		return 0;
	} else {
		struct bw_build_path_opts to = {
			.path = ctx->path, .iif = ctx->iif, .oif = ctx->oif,
			.nf = ctx->nf, .ct_force = ctx->ct_force,
			.mark = ctx->mark,
		};
		struct bw_rt_testpath *t = NULL;
		struct bw_rt_run_result r;
		int err;

		struct bw_diags ld;	/* the load's own: d holds the sources */

		bw_diags_init(&ld);
		err = bw_drive_testpath_load(ir, &to, NULL, &ld, &t);
		if (err && err != -ENOTSUP)
			bw_diags_print(&ld, stderr);
		bw_diags_fini(&ld);
		if (err == -ENOTSUP) {
			/* nf_tables runs a chain on the way: the interpreter
			 * says what it does */
			struct bw_interp_result r;

			bw_diag(d, BW_DIAG_NOTE, NULL,
				"a chain on this path goes to nf_tables: traced with the reference interpreter");
			err = bw_interp_run_ctx(ir, ctx, pkt, len, &r);
			if (err)
				return err;
			o->verdict = r.verdict;
			o->handle = r.handle;
			o->malformed = r.malformed;
			o->reason = r.reason;
			return 0;
		}
		if (err == -EPERM)
			bw_diag(d, BW_DIAG_NOTE, NULL,
				"the kernel trace needs root; --interp traces with the reference interpreter");
		if (err)
			return err;
		err = bw_rt_testpath_run(t, pkt, len, &r);
		bw_rt_testpath_free(&t);
		if (err) {
			bw_error(d, NULL, "BPF_PROG_TEST_RUN failed: %s", strerror(-err));
			return err;
		}
		o->verdict = r.verdict;
		o->handle = r.handle;
		o->malformed = r.malformed;
		o->reason = r.reason;
		return 0;
	}
}

/*
 * The base chain that decided (a position in idx), from the reference
 * interpreter, which knows the path (a rule in a user chain, or which of
 * several policies dropped); -1 if none ran.  The kernel's verdict and
 * rule agree with it (the verdict tests hold the two together).
 */
static int decider_chain(const struct bw_ir *ir, const struct bw_interp_ctx *ctx,
			 const uint32_t *idx, uint32_t n, const uint8_t *pkt,
			 size_t len)
{
	struct bw_interp_result r;

	if (bw_interp_run_ctx(ir, ctx, pkt, len, &r) || r.malformed)
		return -1;
	for (uint32_t k = 0; k < n; k++)
		if (idx[k] == r.chain)
			return (int)k;
	return -1;
}

/* The first rule whose nat statement translated the packet, and its base
 * chain (from the reference interpreter: nf_tables runs nat chains). */
static const struct bw_ir_rule *nat_step(const struct bw_ir *ir,
					 const struct bw_interp_ctx *ctx,
					 const uint8_t *pkt, size_t len,
					 uint32_t *chain)
{
	const struct bw_ir_chain *rc;
	struct bw_interp_result r;

	*chain = UINT32_MAX;
	if (!ctx->nf || bw_interp_run_ctx(ir, ctx, pkt, len, &r) ||
	    r.malformed || !r.nat_handle)
		return NULL;
	*chain = r.nat_chain;
	return bw_ir_rule_by_handle(ir, r.nat_handle, &rc);
}

static void chain_name(const struct bw_ir_chain *ch, char *buf, size_t len)
{
	static const char *const fam[] = {
		[BW_FAMILY_NETDEV] = "netdev", [BW_FAMILY_INET] = "inet",
		[BW_FAMILY_IP] = "ip", [BW_FAMILY_IP6] = "ip6",
		[BW_FAMILY_BRIDGE] = "bridge", [BW_FAMILY_ARP] = "arp",
	};

	snprintf(buf, len, "%s %s %s", fam[ch->family], ch->table, ch->name);
}

static void print_source_line(const struct bw_loc *l)
{
	const char *p;
	size_t n;

	if (!l->src || !l->src->text)
		return;
	p = l->src->text;
	for (uint32_t i = 1; i < l->line && p; i++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return;
	while (*p == ' ' || *p == '\t')
		p++;
	n = strcspn(p, "\n");
	printf("        %.*s\n", (int)n, p);
}

static const char *verdict_name(enum bw_verdict v)
{
	return v == BW_VERDICT_DROP ? "drop" : v == BW_VERDICT_REJECT ?
	       "reject" : "accept";
}

static void print_json(const struct bw_cli *c, const struct bw_ir *ir,
		       const struct bw_pkt_spec *s, const struct outcome *o,
		       const struct bw_ir_rule *rule,
		       const struct bw_ir_chain *rchain, int decider,
		       const uint32_t *idx)
{
	char name[256];

	printf("{\"verdict\": \"%s\", \"rule\": ", verdict_name(o->verdict));
	if (rule) {
		printf("{\"file\": ");
		bw_rt_json_string(stdout, rule->loc.src ? rule->loc.src->name : "");
		printf(", \"line\": %u, \"handle\": %u, \"chain\": ",
		       rule->loc.line, rule->handle);
		chain_name(rchain, name, sizeof(name));
		bw_rt_json_string(stdout, name);
		printf("}");
	} else {
		printf("null");
	}
	printf(", \"chain\": ");
	if (decider >= 0) {
		chain_name(&ir->chain[idx[decider]], name, sizeof(name));
		bw_rt_json_string(stdout, name);
	} else {
		printf("null");
	}
	printf(", \"hook\": \"%s\", \"device\": ", bw_path_name[s->path]);
	if (s->device)
		bw_rt_json_string(stdout, s->device);
	else
		printf("null");
	if (s->path == BW_PATH_FORWARD) {
		printf(", \"device_out\": ");
		if (s->device_out)
			bw_rt_json_string(stdout, s->device_out);
		else
			printf("null");
	}
	printf(", \"engine\": \"%s\", \"malformed\": ", c->interp ? "interp" : "kernel");
	if (o->malformed)
		printf("\"%s\"}\n", bw_reason_name(o->reason));
	else
		printf("null}\n");
}

/* Without device NAME the netdev chains do not run: say which exist. */
static void note_devices(const struct bw_ir *ir, enum bw_chain_hook h)
{
	for (uint32_t c = 0; c < ir->nchain; c++)
		if (ir->chain[c].hook == h && ir->chain[c].device)
			printf("  (netdev chain %s %s on device \"%s\" not run: add device %s)\n",
			       ir->chain[c].table, ir->chain[c].name,
			       ir->chain[c].device, ir->chain[c].device);
}

static void print_text(const struct bw_cli *c, const struct bw_ir *ir,
		       const struct bw_pkt_spec *s, size_t len,
		       const struct outcome *o, const struct bw_ir_rule *rule,
		       const struct bw_ir_chain *rchain, int decider,
		       const uint32_t *idx, uint32_t n,
		       const struct bw_ir_rule *nat, uint32_t nat_chain)
{
	char name[256];

	printf("trace %s%s%s%s%s: %zu-byte frame, %s\n",
	       bw_path_name[s->path], s->device ? " device " : "",
	       s->device ? s->device : "", s->device_out ? " device " : "",
	       s->device_out ? s->device_out : "", len,
	       c->interp ? "reference interpreter" :
	       "kernel (BPF_PROG_TEST_RUN)");
	if (o->malformed) {
		printf("  dropped before any rule: malformed packet (%s)\n",
		       bw_reason_name(o->reason));
	} else if (!n) {
		printf("  no chain runs at this hook%s\n",
		       s->device ? " on this device" : "");
	}
	if (s->path != BW_PATH_OUT && !s->device)
		note_devices(ir, BW_CHAIN_INGRESS);
	if (s->path != BW_PATH_IN &&
	    !(s->path == BW_PATH_OUT ? s->device : s->device_out))
		note_devices(ir, BW_CHAIN_EGRESS);
	for (uint32_t k = 0; !o->malformed && k < n; k++) {
		chain_name(&ir->chain[idx[k]], name, sizeof(name));
		if ((int)k == decider && rule) {
			printf("  chain %s: %s by rule %s:%u (handle %u%s%s)\n",
			       name, verdict_name(o->verdict),
			       rule->loc.src ? rule->loc.src->name : "?",
			       rule->loc.line, rule->handle,
			       rchain->hook == BW_CHAIN_NONE ? ", in chain " : "",
			       rchain->hook == BW_CHAIN_NONE ? rchain->name : "");
			print_source_line(&rule->loc);
			if (ipt_file)
				printf("        (iptables rule %u of chain %s)\n",
				       (unsigned)(rule - rchain->rule) + 1,
				       rchain->name);
		} else if (nat && idx[k] == nat_chain) {
			printf("  chain %s: %s by rule %s:%u (handle %u), accepted; the chains after see the packet translated\n",
			       name, nat->nat < ir->nnat ?
			       bw_nat_kind_name(ir->nat[nat->nat].kind) : "nat",
			       nat->loc.src ? nat->loc.src->name : "?",
			       nat->loc.line, nat->handle);
			print_source_line(&nat->loc);
			if ((int)k == decider && !rule)
				printf("  chain %s: %s by its policy\n", name,
				       verdict_name(o->verdict));
		} else if ((int)k == decider) {
			printf("  chain %s: %s by its policy\n", name,
			       verdict_name(o->verdict));
		} else if (decider >= 0 && (int)k > decider &&
			   o->verdict != BW_VERDICT_ACCEPT) {
			printf("  chain %s: not reached\n", name);
		} else {
			printf("  chain %s: passed\n", name);
		}
	}
	if (rule)
		printf("verdict %s (%s:%u)\n", verdict_name(o->verdict),
		       rule->loc.src ? rule->loc.src->name : "?", rule->loc.line);
	else
		printf("verdict %s (%s)\n", verdict_name(o->verdict),
		       o->malformed ? "malformed" : n ? "chain policy" :
		       "no chain");
}

static int trace(const struct bw_cli *c, struct bw_ir *ir, struct bw_diags *d)
{
	const struct bw_ir_chain *rchain = NULL;
	const struct bw_ir_rule *rule = NULL, *nat = NULL;
	uint32_t nat_chain = UINT32_MAX;
	struct bw_interp_ctx ctx = { 0 };
	struct bw_pkt_spec *s = NULL;
	uint8_t pkt[BW_PKT_MAX];
	struct outcome o;
	uint32_t *idx, n;
	int len, err, decider = -1;

	err = bw_pkt_spec_parse("<packet>", c->words, d, &s);
	if (err)
		return err;
	len = bw_pkt_build(s, pkt, sizeof(pkt), d);
	if (len < 0) {
		bw_pkt_spec_free(&s);
		return len;
	}
	idx = calloc(ir->nchain ? ir->nchain : 1, sizeof(*idx));
	if (!idx) {
		bw_pkt_spec_free(&s);
		return -ENOMEM;
	}
	/* the programs a load here would make (compiler/bpf/build.h) */
	{
		struct bw_build_env env = {
			.ip_hooks = bw_rt_use_nf(&c->rt) ? BW_IP_HOOKS_NETFILTER :
				    BW_IP_HOOKS_XDP,
			.kernel_ct = bw_rt_kernel_ct(),
		};
		const struct bw_ir_rule *why;

		ctx.nf = bw_build_ip_hooks(ir, &env, &why) == BW_IP_HOOKS_NETFILTER;
	}
	if (!ctx.nf && s->path == BW_PATH_FORWARD) {
		bw_error(d, NULL, "trace forward: the inet/ip/ip6 chains run at XDP and TC here, where nothing is forwarded (see --ip-hooks)");
		err = -EINVAL;
		goto out;
	}
	ctx.use_path = true;
	ctx.path = s->path;
	ctx.iif = s->path == BW_PATH_OUT ? NULL : s->device;
	ctx.oif = s->path == BW_PATH_OUT ? s->device :
		  s->path == BW_PATH_FORWARD ? s->device_out : NULL;
	ctx.mark = bw_pkt_spec_mark(s);
	ctx.ct_force = s->ct_state;
	/* the kernel's conntrack decides at the netfilter hooks: a packet
	 * traced there meets `ct state new` unless it says otherwise */
	if (ctx.nf && !ctx.ct_force && bw_ir_uses_field(ir, BW_F_CT_STATE))
		ctx.ct_force = BW_CT_NEW;
	if (bw_rt_testpath_zero_dmac(ir, ctx.nf) && !(pkt[0] & 1))
		memset(pkt, 0, 6);	/* the host's own address (runtime.h) */
	n = ctx.nf ? bw_ir_chains_path(ir, ctx.path, ctx.iif, ctx.oif, idx) :
	    bw_ir_chains_for(ir, s->egress, s->device, true, idx);
	err = run(c, ir, &ctx, pkt, (size_t)len, d, &o);
	if (err)
		goto out;
	if (o.handle)
		rule = bw_ir_rule_by_handle(ir, o.handle, &rchain);
	if (!o.malformed && n) {
		decider = decider_chain(ir, &ctx, idx, n, pkt, (size_t)len);
		nat = nat_step(ir, &ctx, pkt, (size_t)len, &nat_chain);
	}
	if (c->json)
		print_json(c, ir, s, &o, rule, rchain, decider, idx);
	else
		print_text(c, ir, s, (size_t)len, &o, rule, rchain, decider,
			   idx, n, nat, nat_chain);
out:
	free(idx);
	bw_pkt_spec_free(&s);
	return err;
}

int bw_cli_trace(const struct bw_cli *c)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	const char *w = c->words;
	int err;

	size_t wl = strcspn(w, " ");

	if (!(wl == 7 && !strncmp(w, "ingress", 7)) &&
	    !(wl == 6 && !strncmp(w, "egress", 6)) &&
	    !(wl == 7 && !strncmp(w, "forward", 7)))
		return bw_cli_usage("trace: HOOK must be ingress, egress or forward");
	bw_diags_init(&d);
	err = bw_ipt_trace_compile(c->file, &d, &ir);
	ipt_file = err != 1;
	if (err == 1)
		err = bw_compile_file(c->file, &d, &ir);
	if (!err && d.nerrors)
		err = -EINVAL;
	if (!err)
		err = trace(c, ir, &d);
	bw_ir_free(&ir);
	if (err && !d.nerrors)
		fprintf(stderr, "Error: trace failed: %s\n", strerror(-err));
	bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	return err ? BW_EXIT_ERROR : BW_EXIT_OK;
}
