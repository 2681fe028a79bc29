// SPDX-License-Identifier: GPL-2.0-only
/*
 * What only the running kernel knows: the relocations of a program
 * (compiler/bpf/codegen.h, struct bw_reloc) resolved against vmlinux's BTF
 * (libbpf's parser, read once per process) and the network namespace
 * cookie, patched into the instructions before they are loaded.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "compat.h"
#include "rt.h"

static struct btf *vmlinux;
static int vmlinux_err;

static struct btf *vmlinux_btf(void)
{
	if (!vmlinux && !vmlinux_err) {
		vmlinux = btf__load_vmlinux_btf();
		if (!vmlinux) {
			vmlinux_err = errno ? -errno : -ENOENT;
			bw_rt_log("cannot read the kernel's BTF (/sys/kernel/btf/vmlinux): %s",
				  strerror(-vmlinux_err));
		}
	}
	return vmlinux;
}

/* The type behind modifiers and typedefs. */
static const struct btf_type *resolve(const struct btf *b, uint32_t id)
{
	const struct btf_type *t = btf__type_by_id(b, id);

	while (t && (btf_is_mod(t) || btf_is_typedef(t)))
		t = btf__type_by_id(b, t->type);
	return t;
}

/* Member name of composite t, also inside its anonymous members: its bit
 * offset from the start of t and its type id, or -ENOENT. */
static int member(const struct btf *b, const struct btf_type *t,
		  const char *name, size_t nlen, uint32_t *bits, uint32_t *type)
{
	const struct btf_member *m = btf_members(t);

	for (uint16_t i = 0; i < btf_vlen(t); i++, m++) {
		const char *n = btf__name_by_offset(b, m->name_off);
		uint32_t off = btf_member_bit_offset(t, i);

		if (n && *n) {
			if (strlen(n) == nlen && !strncmp(n, name, nlen)) {
				*bits = off;
				*type = m->type;
				return 0;
			}
			continue;
		}
		const struct btf_type *mt = resolve(b, m->type);

		if (mt && btf_is_composite(mt) &&
		    !member(b, mt, name, nlen, bits, type)) {
			*bits += off;
			return 0;
		}
	}
	return -ENOENT;
}

int bw_rt_btf_member(const char *path, uint32_t *bit_off)
{
	struct btf *b = vmlinux_btf();
	const char *dot = strchr(path, '.'), *p;
	const struct btf_type *t;
	char sname[64];
	int id;

	if (!b)
		return vmlinux_err;
	if (!dot || (size_t)(dot - path) >= sizeof(sname))
		return -EINVAL;
	memcpy(sname, path, (size_t)(dot - path));
	sname[dot - path] = 0;
	id = btf__find_by_name_kind(b, sname, BTF_KIND_STRUCT);
	if (id < 0)
		id = btf__find_by_name_kind(b, sname, BTF_KIND_UNION);
	if (id < 0)
		return -ENOENT;
	t = btf__type_by_id(b, (uint32_t)id);
	*bit_off = 0;
	for (p = dot + 1; p && *p; ) {
		const char *end = strchr(p, '.');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		uint32_t bits, type;

		if (!t || !btf_is_composite(t) || member(b, t, p, n, &bits, &type))
			return -ENOENT;
		*bit_off += bits;
		t = resolve(b, type);
		p = end ? end + 1 : NULL;
	}
	return 0;
}

int bw_rt_btf_func(const char *name)
{
	struct btf *b = vmlinux_btf();
	int id;

	if (!b)
		return vmlinux_err;
	id = btf__find_by_name_kind(b, name, BTF_KIND_FUNC);
	return id < 0 ? -ENOENT : id;
}

int bw_rt_netns_cookie(uint64_t *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), err = 0;

	if (fd < 0)
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, BW_SO_NETNS_COOKIE, cookie, &len))
		err = -errno;
	close(fd);
	return err;
}

int bw_rt_relocate(struct bpf_insn *insn, const struct bw_prog *p,
		   const char *what, struct bw_diags *d)
{
	for (uint32_t i = 0; i < p->nreloc; i++) {
		const struct bw_reloc *r = &p->reloc[i];
		struct bpf_insn *in = &insn[r->insn];
		uint32_t bits = 0;
		uint64_t cookie;
		int err = 0, id;

		switch (r->kind) {
		case BW_RELOC_KFUNC:
			id = bw_rt_btf_func(r->name);
			if (id < 0)
				err = id;
			else
				in->imm = id;
			break;
		case BW_RELOC_FIELD:
			err = bw_rt_btf_member(r->name, &bits);
			if (!err && (BPF_CLASS(in->code) == BPF_ALU64 ||
				     BPF_CLASS(in->code) == BPF_ALU))
				in->imm += (int32_t)(bits / 8);
			else if (!err && in->off + (int32_t)(bits / 8) > INT16_MAX)
				err = -ERANGE;
			else if (!err)
				in->off = (int16_t)(in->off + (int32_t)(bits / 8));
			break;
		case BW_RELOC_FIELD_BIT:
			err = bw_rt_btf_member(r->name, &bits);
			if (!err)
				in->imm += (int32_t)(bits % 8);
			break;
		case BW_RELOC_NETNS_COOKIE:
			err = bw_rt_netns_cookie(&cookie);
			if (!err) {
				in[0].imm = (int32_t)(uint32_t)cookie;
				in[1].imm = (int32_t)(uint32_t)(cookie >> 32);
			}
			break;
		default:
			err = -EINVAL;
		}
		if (err) {
			bw_error(d, NULL, "cannot load the program for %s: %s %s: %s (this kernel lacks what bpfwall needs here)",
				 what, r->kind == BW_RELOC_KFUNC ? "kernel function" :
				 r->kind == BW_RELOC_NETNS_COOKIE ? "network namespace cookie" :
				 "kernel structure member", r->name ? r->name : "",
				 strerror(-err));
			return err;
		}
	}
	return 0;
}
