// SPDX-License-Identifier: GPL-2.0-only
/*
 * Disassembler, in the kernel verifier's syntax:
 *     r1 = *(u16 *)(r10 -22)      if w1 != 0x1600 goto +3
 *     call bpf_map_lookup_elem#1  r1 = map[id:counters]
 * Table driven: one table of ALU operators, one of jump operators, one of
 * access sizes; each instruction class has one printer.
 */
#include <stdio.h>
#include <string.h>

#include "codegen.h"
#include "compiler/front/setmap.h"

static const char *const alu_ops[16] = {
	[BPF_ADD >> 4] = "+=",  [BPF_SUB >> 4] = "-=",  [BPF_MUL >> 4] = "*=",
	[BPF_DIV >> 4] = "/=",  [BPF_OR >> 4] = "|=",   [BPF_AND >> 4] = "&=",
	[BPF_LSH >> 4] = "<<=", [BPF_RSH >> 4] = ">>=", [BPF_NEG >> 4] = "= -",
	[BPF_MOD >> 4] = "%=",  [BPF_XOR >> 4] = "^=",  [BPF_MOV >> 4] = "=",
	[BPF_ARSH >> 4] = "s>>=", [BPF_END >> 4] = "= end",
};

/* Bit operations print their immediate in hex. */
static const bool alu_hex[16] = {
	[BPF_OR >> 4] = true, [BPF_AND >> 4] = true, [BPF_XOR >> 4] = true,
};

static const char *const jmp_ops[16] = {
	[BPF_JA >> 4] = "goto", [BPF_JEQ >> 4] = "==",  [BPF_JGT >> 4] = ">",
	[BPF_JGE >> 4] = ">=",  [BPF_JSET >> 4] = "&",  [BPF_JNE >> 4] = "!=",
	[BPF_JSGT >> 4] = "s>", [BPF_JSGE >> 4] = "s>=", [BPF_CALL >> 4] = "call",
	[BPF_EXIT >> 4] = "exit", [BPF_JLT >> 4] = "<", [BPF_JLE >> 4] = "<=",
	[BPF_JSLT >> 4] = "s<", [BPF_JSLE >> 4] = "s<=",
};

static const char *const sizes[4] = {
	[BPF_W >> 3] = "u32", [BPF_H >> 3] = "u16", [BPF_B >> 3] = "u8",
	[BPF_DW >> 3] = "u64",
};

static const char *const helpers[] = {
	[1] = "bpf_map_lookup_elem", [2] = "bpf_map_update_elem",
	[3] = "bpf_map_delete_elem", [5] = "bpf_ktime_get_ns",
	[6] = "bpf_trace_printk", [7] = "bpf_get_prandom_u32",
	[8] = "bpf_get_smp_processor_id", [26] = "bpf_skb_load_bytes",
	[39] = "bpf_skb_pull_data", [44] = "bpf_xdp_adjust_head",
	[130] = "bpf_ringbuf_output", [131] = "bpf_ringbuf_reserve",
	[132] = "bpf_ringbuf_submit", [195] = "bpf_map_lookup_percpu_elem",
	[113] = "bpf_probe_read_kernel", [122] = "bpf_get_netns_cookie",
	[158] = "bpf_get_current_task_btf", [201] = "bpf_dynptr_read",
};

static const char *const maps[BW_MAP__MAX] = {
	[BW_MAP_COUNTERS] = "counters", [BW_MAP_REASONS] = "reasons",
	[BW_MAP_TRACE] = "trace", [BW_MAP_AUDIT] = "audit",
};

static void map_name(int32_t id, char *buf, size_t len)
{
	if (id >= 0 && id < BW_MAP__MAX && maps[id])
		snprintf(buf, len, "%s", maps[id]);
	else if (id >= BW_MAP_SET_BASE)
		snprintf(buf, len, "set%d", id - BW_MAP_SET_BASE);
	else if (id >= BW_MAP__MAX)
		snprintf(buf, len, "lookup%d", id - BW_MAP__MAX);
	else
		snprintf(buf, len, "%d", id);
}

static int dis_alu(const struct bpf_insn *in, char *buf, size_t len)
{
	char r = BPF_CLASS(in->code) == BPF_ALU64 ? 'r' : 'w';
	unsigned op = BPF_OP(in->code) >> 4;

	if (!alu_ops[op])
		return snprintf(buf, len, "(%02x) invalid alu op", in->code);
	if (BPF_OP(in->code) == BPF_END) {
		const char *kind = BPF_CLASS(in->code) == BPF_ALU64 ? "bswap" :
				   BPF_SRC(in->code) == BPF_TO_BE ? "be" : "le";

		return snprintf(buf, len, "r%d = %s%d r%d", in->dst_reg, kind,
				in->imm, in->dst_reg);
	}
	if (BPF_OP(in->code) == BPF_NEG)
		return snprintf(buf, len, "%c%d = -%c%d", r, in->dst_reg, r,
				in->dst_reg);
	if (BPF_SRC(in->code) == BPF_X)
		return snprintf(buf, len, "%c%d %s %c%d", r, in->dst_reg,
				alu_ops[op], r, in->src_reg);
	if (alu_hex[op])
		return snprintf(buf, len, "%c%d %s 0x%x", r, in->dst_reg,
				alu_ops[op], (uint32_t)in->imm);
	return snprintf(buf, len, "%c%d %s %d", r, in->dst_reg, alu_ops[op],
			in->imm);
}

static int dis_mem(const struct bpf_insn *in, char *buf, size_t len)
{
	const char *sz = sizes[BPF_SIZE(in->code) >> 3];

	switch (BPF_CLASS(in->code)) {
	case BPF_LDX:
		return snprintf(buf, len, "r%d = *(%s *)(r%d %+d)", in->dst_reg,
				sz, in->src_reg, in->off);
	case BPF_ST:
		return snprintf(buf, len, "*(%s *)(r%d %+d) = %d", sz,
				in->dst_reg, in->off, in->imm);
	default:
		if (BPF_MODE(in->code) == BPF_ATOMIC && in->imm == BPF_CMPXCHG)
			return snprintf(buf, len, "r0 = cmpxchg(*(%s *)(r%d %+d), r0, r%d)",
					sz, in->dst_reg, in->off, in->src_reg);
		if (BPF_MODE(in->code) == BPF_ATOMIC) {
			unsigned op = (in->imm & 0xf0) >> 4;

			return snprintf(buf, len, "lock *(%s *)(r%d %+d) %s r%d%s",
					sz, in->dst_reg, in->off,
					alu_ops[op] ? alu_ops[op] : "?=",
					in->src_reg,
					in->imm & BPF_FETCH ? " (fetch)" : "");
		}
		return snprintf(buf, len, "*(%s *)(r%d %+d) = r%d", sz,
				in->dst_reg, in->off, in->src_reg);
	}
}

static int dis_jmp(const struct bpf_insn *in, char *buf, size_t len)
{
	char r = BPF_CLASS(in->code) == BPF_JMP32 ? 'w' : 'r';
	unsigned op = BPF_OP(in->code) >> 4;

	if (!jmp_ops[op])
		return snprintf(buf, len, "(%02x) invalid jump op", in->code);
	switch (BPF_OP(in->code)) {
	case BPF_JA:
		if (BPF_CLASS(in->code) == BPF_JMP32)
			return snprintf(buf, len, "gotol %+d", in->imm);
		return snprintf(buf, len, "goto %+d", in->off);
	case BPF_CALL:
		if (in->src_reg == BPF_PSEUDO_CALL)
			return snprintf(buf, len, "call pc%+d", in->imm);
		if (in->src_reg == BPF_PSEUDO_KFUNC_CALL)
			return snprintf(buf, len, "call kfunc#%d", in->imm);
		if (in->src_reg == 0 && in->imm > 0 &&
		    (size_t)in->imm < sizeof(helpers) / sizeof(helpers[0]) &&
		    helpers[in->imm])
			return snprintf(buf, len, "call %s#%d", helpers[in->imm],
					in->imm);
		return snprintf(buf, len, "call #%d", in->imm);
	case BPF_EXIT:
		return snprintf(buf, len, "exit");
	}
	if (BPF_SRC(in->code) == BPF_X)
		return snprintf(buf, len, "if %c%d %s %c%d goto %+d", r,
				in->dst_reg, jmp_ops[op], r, in->src_reg, in->off);
	return snprintf(buf, len, "if %c%d %s 0x%x goto %+d", r, in->dst_reg,
			jmp_ops[op], (uint32_t)in->imm, in->off);
}

static int dis_ld(const struct bpf_insn *in, uint32_t n, char *buf, size_t len,
		  int *used)
{
	char name[32];
	uint64_t v;

	if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
		return snprintf(buf, len, "(%02x) legacy packet load", in->code);
	if (n < 2)
		return snprintf(buf, len, "(%02x) truncated ld_imm64", in->code);
	*used = 2;
	switch (in->src_reg) {
	case BPF_PSEUDO_MAP_FD:
		map_name(in->imm, name, sizeof(name));
		return snprintf(buf, len, "r%d = map[id:%s]", in->dst_reg, name);
	case BPF_PSEUDO_MAP_VALUE:
		map_name(in->imm, name, sizeof(name));
		return snprintf(buf, len, "r%d = map[id:%s][0]+%u", in->dst_reg,
				name, (uint32_t)in[1].imm);
	default:
		v = (uint32_t)in->imm | (uint64_t)(uint32_t)in[1].imm << 32;
		return snprintf(buf, len, "r%d = 0x%llx ll", in->dst_reg,
				(unsigned long long)v);
	}
}

int bw_disasm_insn(const struct bpf_insn *insn, uint32_t n, char *buf, size_t len)
{
	int used = 1;

	if (!n) {
		if (len)
			buf[0] = 0;
		return 0;
	}
	switch (BPF_CLASS(insn->code)) {
	case BPF_ALU:
	case BPF_ALU64:
		dis_alu(insn, buf, len);
		break;
	case BPF_LDX:
	case BPF_ST:
	case BPF_STX:
		dis_mem(insn, buf, len);
		break;
	case BPF_JMP:
	case BPF_JMP32:
		dis_jmp(insn, buf, len);
		break;
	default:
		dis_ld(insn, n, buf, len, &used);
		break;
	}
	return used;
}

/* Line `line` of src, without leading blanks and the newline. */
static void src_line(const struct bw_loc *loc, char *buf, size_t len)
{
	const char *p = loc->src->text, *end;
	size_t n;

	buf[0] = 0;
	for (uint32_t l = 1; p && *p && l < loc->line; l++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p || !*p)
		return;
	while (*p == ' ' || *p == '\t')
		p++;
	end = strchr(p, '\n');
	n = end ? (size_t)(end - p) : strlen(p);
	if (n >= len)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = 0;
}

static void print_block(const struct bw_srcmap_ent *s, FILE *out)
{
	char line[256];

	if (s->loc.src)
		src_line(&s->loc, line, sizeof(line));
	if (s->what && s->loc.src)
		fprintf(out, "# %s: %s:%u: %s\n", s->what, s->loc.src->name,
			s->loc.line, line);
	else if (s->what)
		fprintf(out, "# %s\n", s->what);
	else if (s->loc.src)
		fprintf(out, "# %s:%u: %s\n", s->loc.src->name, s->loc.line, line);
	else
		fprintf(out, "# rule %u\n", s->handle);
}

/* What the runtime patches into instruction i, as a comment. */
static const char *const reloc_what[] = {
	[BW_RELOC_KFUNC] = "kfunc",
	[BW_RELOC_FIELD] = "offsetof",
	[BW_RELOC_FIELD_BIT] = "bit of",
	[BW_RELOC_NETNS_COOKIE] = "netns cookie",
};

void bw_disasm(const struct bw_prog *p, FILE *out)
{
	const struct bw_hook_info *info = bw_hook_info(p->hook);
	uint32_t s = 0, r = 0;
	char buf[128];

	fprintf(out, "# program %s (%s), %u instructions\n", p->name,
		info ? info->name : "?", p->ninsn);
	for (uint32_t i = 0; i < p->ninsn;) {
		int used;

		for (; s < p->nsrcmap && p->srcmap[s].insn <= i; s++)
			print_block(&p->srcmap[s], out);
		used = bw_disasm_insn(&p->insn[i], p->ninsn - i, buf, sizeof(buf));
		fprintf(out, "%04u: %s", i, buf);
		for (; r < p->nreloc && p->reloc[r].insn <= i; r++)
			if (p->reloc[r].insn == i)
				fprintf(out, "\t; + %s%s%s",
					reloc_what[p->reloc[r].kind],
					p->reloc[r].name ? " " : "",
					p->reloc[r].name ? p->reloc[r].name : "");
		fputc('\n', out);
		i += used ? (uint32_t)used : 1;
	}
}
