// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall -d: a build (build.h) printed, each program headed by where it
 * attaches and disassembled under the source lines its code came from.
 */
#include <stdio.h>
#include <stdlib.h>

#include <linux/bpf.h>

#include "build.h"
#include "compiler/front/evaluate.h"
#include "compiler/nft/nft.h"

void bw_build_print_audit(const struct bw_build *b,
			  const struct bw_build_env *env, FILE *out)
{
	const struct bw_build_audit *a = &env->audit;

	if (!a->nhook || !a->what)
		return;
	fprintf(out, "\n# audit: %s\n", a->what);
	for (uint32_t i = 0; i < a->nhook; i++) {
		const struct bw_prog *p = NULL;

		for (uint32_t k = 0; k < b->nprog && !p; k++)
			if (b->prog[k].at == BW_AT_AUDIT &&
			    b->prog[k].hook == a->hook[i])
				p = b->prog[k].prog;
		if (!p)
			continue;
		fprintf(out, "\n# hook audit (%s), %s: %u instructions\n",
			bw_hook_info(a->hook[i])->name,
			a->hook[i] == BW_HOOK_KPROBE ?
			"tcp_v4_connect and tcp_v6_connect" :
			a->hook[i] == BW_HOOK_TRACEPOINT ?
			"syscalls/sys_enter_connect" :
			a->cgroup ? a->cgroup : "the cgroup v2 root", p->ninsn);
		bw_disasm(p, out);
	}
}

static const char *map_type_name(uint32_t t)
{
	switch (t) {
	case BPF_MAP_TYPE_HASH: return "hash";
	case BPF_MAP_TYPE_ARRAY: return "array";
	case BPF_MAP_TYPE_PERCPU_ARRAY: return "percpu_array";
	case BPF_MAP_TYPE_LPM_TRIE: return "lpm_trie";
	case BPF_MAP_TYPE_LRU_HASH: return "lru_hash";
	case BPF_MAP_TYPE_RINGBUF: return "ringbuf";
	default: return "map";
	}
}

/* The maps the programs use, as the runtime will make them (mapspec.h). */
static void print_maps(const struct bw_map_specs *s, const char *sep, FILE *out)
{
	fprintf(out, "%s# maps: %u\n", sep, s->n);
	for (uint32_t i = 0; i < s->n; i++) {
		const struct bw_map_spec *m = &s->spec[i];

		fprintf(out, "#   %-14s %-12s key %u value %u entries %u%s, %u filled: %s\n",
			m->name, map_type_name(m->type), m->key_size,
			m->value_size, m->max_entries,
			m->shared ? " (kept across loads)" : "", m->nfill,
			m->what);
	}
}

void bw_build_print(const struct bw_ir *ir, const struct bw_build *b,
		    const struct bw_build_env *env, FILE *out)
{
	uint32_t nprinted = 0;

	for (uint32_t i = 0; i < b->nprog; i++) {
		const struct bw_build_prog *p = &b->prog[i];
		bool others = false;

		if (p->at == BW_AT_AUDIT)
			continue;
		if (nprinted++)
			fputc('\n', out);
		if (p->at == BW_AT_NF) {
			const struct bw_ir_chain *ch = &ir->chain[p->chains[0]];

			fprintf(out, "# hook %s priority %d (netfilter, %s), chain %s %s %s: %u instructions\n",
				bw_chain_hook_name(ch->hook), p->priority,
				ch->family == BW_FAMILY_INET ? "ipv4 and ipv6" :
				ch->family == BW_FAMILY_IP6 ? "ipv6" : "ipv4",
				bw_family_name(ch->family), ch->table, ch->name,
				p->prog->ninsn);
			bw_disasm(p->prog, out);
			if (p->v4 && p->v6)	/* its IPv6 link's (empty) entry */
				fputc('\n', out);
			continue;
		}
		/* the ifname-less program runs where no netdev chain is */
		for (uint32_t j = 0; j < b->nprog; j++)
			if (b->prog[j].at == p->at && b->prog[j].ifname[0])
				others = true;
		if (p->ifname[0])
			fprintf(out, "# hook %s, device %s%s: %u instructions\n",
				p->at == BW_AT_XDP ? "ingress (xdp)" : "egress (tc)",
				p->ifname, p->hoisted ? ", and input drops hoisted" : "",
				p->prog->ninsn);
		else
			fprintf(out, "# hook %s, every %sinterface%s: %u instructions\n",
				p->at == BW_AT_XDP ? "ingress (xdp)" : "egress (tc)",
				others ? "other " : "", p->hoisted_only ?
				" (not loopback, not a port of a bridge or bond): input drops hoisted" :
				"", p->prog->ninsn);
		bw_disasm(p->prog, out);
	}
	if (b->maps)
		print_maps(b->maps, nprinted ? "\n" : "", out);
	if (b->nft && !bw_nft_plan_empty(b->nft)) {
		char *text = bw_nft_plan_print(b->nft);

		fprintf(out, "%s# nf_tables: what goes to the kernel's nf_tables (chains that need the IP stack, the conntrack keeper)\n%s",
			nprinted ? "\n" : "", text ? text : "");
		free(text);
	}
	bw_build_print_audit(b, env, out);
}
