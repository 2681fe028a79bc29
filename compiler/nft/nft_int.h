/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internals of the nf_tables back end, shared by nft.c (the plan, chains,
 * rules, statements), nft_match.c (fields, dependencies, compares,
 * lookups), nft_set.c (sets and their elements) and nft_print.c.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "nft.h"

/* nft's datatype numbers (NFTA_SET_KEY_TYPE, nftables' datatype.h). */
enum {
	BW_NT_VERDICT = 1, BW_NT_NFPROTO = 2, BW_NT_INTEGER = 4,
	BW_NT_IPADDR = 7, BW_NT_IP6ADDR = 8, BW_NT_ETHERADDR = 9,
	BW_NT_ETHERTYPE = 10, BW_NT_INET_PROTOCOL = 12,
	BW_NT_INET_SERVICE = 13, BW_NT_ICMP_TYPE = 14, BW_NT_TCP_FLAG = 15,
	BW_NT_MARK = 19, BW_NT_IFINDEX = 20, BW_NT_CT_STATE = 26,
	BW_NT_CT_DIR = 27, BW_NT_CT_STATUS = 28, BW_NT_TIME = 18, 
	BW_NT_CT_LABEL = 30, BW_NT_STRING = 5,
	BW_NT_UID = 24, BW_NT_GID = 25, BW_NT_FIB_ADDR = 38,
	BW_NT_ICMP6_TYPE = 29, BW_NT_PKTTYPE = 31, BW_NT_ICMP_CODE = 32,
	BW_NT_ICMPV6_CODE = 33, BW_NT_DSCP = 36, BW_NT_ECN = 37,
	BW_NT_IFNAME = 41, BW_NT_ARPOP = 11, BW_NT_ARPHRD = 21,
	BW_NT_REALM = 22, BW_NT_CLASSID = 23, BW_NT_DEVGROUP = 35,
	BW_NT_BOOLEAN = 39, BW_NT_TIME_DATE = 43, BW_NT_TIME_HOUR = 44,
	BW_NT_TIME_DAY = 45,
};
#define BW_NT_BITS 6		/* a concatenation's type: 6 bits a part */

/* nft's byte orders (set userdata). */
enum { BW_NBO_INVALID, BW_NBO_HOST, BW_NBO_BIG };

/* Where nf_tables finds a field (fields.h row -> kernel expression). */
enum { KF_NONE, KF_PAYLOAD, KF_META, KF_CT, KF_FIB, KF_EXTHDR, KF_SOCKET,
       KF_OSF, KF_RT, KF_CONNLIMIT, KF_SCTP, KF_XFRM, KF_TUNNEL };

struct bw_kfield {
	uint8_t src;		/* KF_* */
	uint8_t base;		/* payload: NFT_PAYLOAD_*_HEADER; fib, osf: flags;
				 * exthdr: the IPv6 header's protocol number;
				 * sctp: the chunk type */
	uint8_t off;		/* payload: offset in that header */
	uint8_t len;		/* bytes in the register */
	uint8_t key;		/* meta / ct / socket key; fib: result; osf: ttl */
	bool host;		/* the register holds a host-order number */
	uint8_t dtype;		/* BW_NT_* */
	bool ifindex;		/* meta iif/oif: an index the IR names */
	bool present;		/* exthdr: whether the header is there (0/1,
				 * the field a bit of view.exthdrs); socket
				 * transparent, wildcard: a 0/1 value too */
	uint8_t dir;		/* ct: 0 none, else 1 + IP_CT_DIR_* */
	bool tcpopt;		/* exthdr: a TCP option (base: its kind) */
};

/* The byte order nft gives the values of kf (set userdata): strings and
 * host-order numbers are "host endian" to nft. */
static inline uint8_t bw_kfield_byteorder(const struct bw_kfield *kf)
{
	return kf->host || kf->dtype == BW_NT_IFNAME || kf->dtype == BW_NT_STRING ?
	       BW_NBO_HOST : BW_NBO_BIG;
}

/* The row of field f, or NULL when nf_tables cannot load it as bpfwall
 * means it (vlan: nft sees one 802.1Q tag only). */
const struct bw_kfield *bw_kfield(enum bw_field_id f);
/* The same for a rule or set of family fam (the bridge family has the
 * vlan fields, behind a test that the frame is tagged). */
const struct bw_kfield *bw_kfield_in(enum bw_family fam, enum bw_field_id f);

/* The building of one plan. */
struct bw_nft_bld {
	const struct bw_ir *ir;
	struct bw_diags *d;
	struct bw_nft_plan *p;
	bool *chain_on;			/* per IR chain: sent */
	char **chain_name;		/* per IR chain: its name in the plan */
	bool *set_on;			/* per IR set: sent */
	char **set_name;		/* per IR named set: its name */
	struct nftnl_set **set_obj;	/* per IR set: built (named sets) */
	uint32_t *hooks;		/* per IR chain: 1 << the hooks it runs at */
	unsigned nerrors;
	bool oom;
	char **obj_name;		/* per IR object: its name in the plan,
					 * NULL: not sent (nft_obj.c) */
};

/* The rule being built, and what its matches established so far. */
struct bw_nft_rctx {
	struct bw_nft_bld *b;
	struct nftnl_rule *r;
	enum bw_family fam;
	const char *table;
	uint8_t l3;			/* 0, or 4 / 6: the family is known */
	uint8_t l4;			/* 0, or the IPPROTO_* known */
	bool echo;			/* an icmp echo type is known */
	bool ether;			/* meta iiftype ether was tested */
	bool vlan;			/* bridge: the frame is tagged */
	bool arp;			/* bridge: ether type arp was tested */
	bool failed;
	struct bw_kfield chunk;		/* the sctp chunk match being built
					 * (KF_SCTP: its fields have none of
					 * their own) */
	uint8_t spnum;			/* the ipsec fields' policy index
					 * (the match's, nft_xfrm.c) */
	uint32_t vreg;			/* bw_nft_vexpr's result register
					 * (0: register 1; bw_nft_vexpr_to) */
};

/* An error at loc (counted); returns -EINVAL. */
int bw_nft_error(struct bw_nft_bld *b, const struct bw_loc *loc,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- expressions (nft.c) ---- */

/* Append an expression; NULL (and b->oom) when out of memory. */
struct nftnl_expr *bw_nft_expr(struct bw_nft_rctx *x, const char *name);
void bw_nft_cmp(struct bw_nft_rctx *x, uint32_t reg, uint32_t op,
		const void *data, uint32_t len);
void bw_nft_bitwise(struct bw_nft_rctx *x, uint32_t reg, const uint8_t *mask,
		    uint32_t len);
void bw_nft_meta(struct bw_nft_rctx *x, uint32_t key, uint32_t reg);
void bw_nft_lookup(struct bw_nft_rctx *x, uint32_t reg, struct nftnl_set *s,
		   bool inv, bool vmap);
/* Remember that the u32 at off of cmp's data (or of elem's key) is the
 * index of interface name. */
/* Set element x's data is interface name's index (fwd, dup maps). */
void bw_nft_ifref_data(struct bw_nft_bld *b, struct nftnl_set_elem *x,
		       const char *name, const struct bw_loc *loc);
void bw_nft_ifref(struct bw_nft_bld *b, struct nftnl_expr *cmp,
		  struct nftnl_set_elem *elem, uint32_t off, const char *name,
		  const struct bw_loc *loc);

/* ---- nat statements (nft_nat.c) ---- */

/* The expressions of rule r's nat statement (r->verdict NAT): register
 * loads, then nat, masq or redir.  0 or -EINVAL / -ENOMEM. */
int bw_nft_nat(struct bw_nft_rctx *x, const struct bw_ir_rule *r);

/* meta mark set, ct mark set, meta priority set (nft_nat.c): the value
 * or the source field into register 1, then a meta or ct set. */
int bw_nft_setf(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);

/* A set statement's value expression (valexpr.h) into register 1 (nft
 * 1.0.6's expressions: loads, bitwise, lookup in an anonymous data map,
 * numgen, hash).  0 or -EINVAL / -ENOMEM. */
struct bw_ir_vexpr;
/* The same into register reg (tproxy's port: register 2), no field on
 * the right of & | ^ there. */
int bw_nft_vexpr_to(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		    const struct bw_loc *loc, uint32_t reg);
int bw_nft_vexpr(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		 const struct bw_loc *loc);

/* ---- tproxy, synproxy (nft_tproxy.c) ---- */

/* tproxy (BW_STMT_TPROXY): the address, then the port, in immediates
 * from register 1, then tproxy reading them. */
int bw_nft_tproxy(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);
/* synproxy (BW_STMT_SYNPROXY): one expression. */
int bw_nft_synproxy(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);
/* Statement s of a rule of chain (named name) that runs at hooks (1 <<
 * enum bw_chain_hook): a tproxy there outside prerouting, a synproxy
 * (or a use of synproxy objects) outside input and forward is an error
 * (the kernel would refuse the commit).  0 or -EINVAL. */
int bw_nft_proxy_hooks(struct bw_nft_bld *b, const struct bw_ir_stmt *s,
		       uint32_t hooks, const char *name);

/* ---- matches (nft_match.c) ---- */

/* Expressions for IR match m (a compare or a lookup), its dependencies
 * first.  0 or -EINVAL (error queued) / -ENOMEM. */
int bw_nft_match(struct bw_nft_rctx *x, const struct bw_ir_match *m);
/* The key loads of a lookup in set (m->fields), dependencies first, into
 * registers from NFT_REG_1; for an interval set host-order parts in
 * network order; for a named set sub-byte parts shifted down. */
int bw_nft_keys(struct bw_nft_rctx *x, const struct bw_ir_match *m,
		const struct bw_ir_set *set);
/* The same from register reg (NFT_REG_1 .. NFT_REG_4; nft loads a hash's
 * key from NFT_REG_2). */
int bw_nft_keys_at(struct bw_nft_rctx *x, const struct bw_ir_match *m,
		   const struct bw_ir_set *set, uint32_t reg);

/* The value of field f as nf_tables holds it: the IR's bytes (f->size,
 * network order, after shift) as kf->len bytes, shifted back, in host
 * order when host. */
void bw_nft_kval(const struct bw_field *f, const struct bw_kfield *kf,
		 const uint8_t *v, bool host, uint8_t *out);

/* ---- named objects (nft_obj.c) ---- */

/* IR object oi into the plan (once): its name there, or NULL after an
 * error (queued) or out of memory. */
const char *bw_nft_obj(struct bw_nft_bld *b, uint32_t oi);
/* The objects of every IR table some of whose chains are sent, in
 * source order (as nft -f makes them).  0, -EINVAL or -ENOMEM. */
int bw_nft_objs(struct bw_nft_bld *b);
/* The name IR object oi has in the plan, NULL if not sent. */
const char *bw_nft_obj_elem_name(struct bw_nft_bld *b, uint32_t oi);
/* A use of named objects (BW_STMT_OBJREF): objref, after the key loads
 * of an object map. */
int bw_nft_objref(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);
/* last (BW_STMT_LAST). */
int bw_nft_last(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);
/* fwd and dup (BW_STMT_FWD, nft_fwd.c). */
int bw_nft_fwd(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);

/* ---- sets (nft_set.c) ---- */

/* One element of a set being built: [lo, hi] over the key (network
 * order where the set is an interval one), a map's verdict. */
struct bw_nft_elem {
	uint8_t lo[64], hi[64];
	uint32_t verdict;		/* NF_ACCEPT, NFT_JUMP, ... (maps) */
	const char *chain;		/* jump/goto target */
	const char *ifname;		/* key is this interface's index */
	const char *objref;		/* an object map's: the object's name */
	/* a concatenation's interface parts: names and byte offsets */
	const char *ifnames[BW_SET_MAX_KEYS];
	uint8_t ifoffs[BW_SET_MAX_KEYS];
	uint8_t nifn;
	const char *dataif;		/* the data is this interface's index */
	/* a data map's (setdef dlen): the value; the catch-all element */
	uint8_t data[40];
	uint32_t dlen;
	bool catchall;
	uint32_t timeout_ms;		/* its own timeout (settimeout.h); 0 */
};

struct bw_nft_setdef {
	const char *name;		/* NULL: anonymous */
	enum bw_family fam;
	uint32_t nkey;
	uint8_t klen[BW_SET_MAX_KEYS];	/* each part's bytes */
	uint8_t dtype[BW_SET_MAX_KEYS];
	uint8_t byteorder;		/* of the key, for nft's userdata */
	bool interval, map, named_merge;
	uint32_t size;			/* named: `size N` */
	const struct bw_loc *loc;
	uint8_t objtype;		/* an object map's (NFT_OBJECT_*); 0 */
	/* a data map (map set): its values' bytes, nft type and byte order */
	uint32_t dlen, dtype_data;
	uint8_t data_byteorder;
	bool data_interval;		/* values are ranges (nat maps): nft's
					 * userdata says so, to list them */
	bool eval;			/* NFT_SET_EVAL: rules add to it (a
					 * map with a size: the kernel's
					 * fixed-size hash cannot take it) */
	/* set timeouts (compiler/front/settimeout.h): NFT_SET_TIMEOUT,
	 * the default timeout and gc-interval in ms (0: none) */
	bool timeout;
	uint32_t timeout_ms, gc_ms;
};

/* def's timeouts on set s (nft_settimeout.c). */
void bw_nft_set_timeout(struct nftnl_set *s, const struct bw_nft_setdef *def);

/* A set with elems into the plan (and its elements, interval ones as
 * nf_tables wants them); NULL after an error (queued) or out of memory. */
struct nftnl_set *bw_nft_set_add(struct bw_nft_bld *b,
				 const struct bw_nft_setdef *def,
				 struct bw_nft_elem *elems, uint32_t n);

/* The named or anonymous IR set si as a plan set (built once for named
 * sets).  NULL after an error. */
struct nftnl_set *bw_nft_ir_set(struct bw_nft_bld *b, uint32_t si,
				const char *table);

/* Big-endian helpers over n bytes. */
bool bw_nft_be_inc(uint8_t *v, uint32_t n);	/* false: wrapped */
bool bw_nft_is_zero(const uint8_t *v, uint32_t n);

/* What nft puts before a load of field id (nft_match.c): the family
 * (inet), the transport protocol, ...; each once a rule. */
int bw_nft_field_deps(struct bw_nft_rctx *x, enum bw_field_id id,
		      const struct bw_loc *loc);

/* ---- header field writes (nft_hdrset.c) ---- */

/* ip ttl set 23, ...: the dependencies, then the value (or the bytes
 * loaded, masked and xored) into register 1, then a payload write with
 * nft's checksum update. */
int bw_nft_hdrset(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);

/* ---- meta keys newer than this machine's uapi header (nft 1.1's
 * linux/netfilter/nf_tables.h): nft_meta_bridge's, the one place they
 * are defined ---- */
#define BW_NFT_META_BRI_BROUTE		35	/* NFT_META_BRI_BROUTE */
#define BW_NFT_META_BRI_IIFHWADDR	37	/* NFT_META_BRI_IIFHWADDR */

/* ---- nft's tunnel expression (nft_tunnel.c) ---- */
/* tunnel path, tunnel id: their rows (KF_TUNNEL), else NULL. */
const struct bw_kfield *bw_nft_tunnel_kfield(enum bw_field_id f);
/* nf_tables' tunnel load of kf's key into reg. */
void bw_nft_tunnel_load(struct bw_nft_rctx *x, const struct bw_kfield *kf,
			uint32_t reg);

/* ---- the ipsec expression (nft_xfrm.c) ---- */

/* The row of ipsec field f (BW_F_XFRM_*), else NULL. */
const struct bw_kfield *bw_nft_xfrm_kfield(enum bw_field_id f);
/* nf_tables' xfrm load of kf (KF_XFRM) at policy x->spnum into reg. */
void bw_nft_xfrm_load(struct bw_nft_rctx *x, const struct bw_kfield *kf,
		      uint32_t reg);
/* An error at rule r of chain c (run at the hooks of mask hooks, a user
 * chain at those that reach it) when it reads an ipsec field of a
 * direction one of them does not have: 0 or -EINVAL. */
int bw_nft_xfrm_hooks(struct bw_nft_bld *b, const struct bw_ir_chain *c,
		      const struct bw_ir_rule *r, uint32_t hooks);

/* ---- the dup statement (nft_dup.c) ---- */

/* The expressions of dup statement s (BW_STMT_DUP).  0 or -EINVAL /
 * -ENOMEM. */
int bw_nft_dup(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);

/* ---- flowtables (nft_flow.c) ---- */

/* flow add @NAME (BW_STMT_FLOW): the flowtable into the plan (once),
 * the flow_offload expression naming it.  0 or -ENOMEM. */
int bw_nft_flow(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);

/* Free the plan's flowtables. */
void bw_nft_flow_free(struct bw_nft_plan *p);

/* ---- rules that change a map of data (nft_dynset.c) ---- */

/* add, update @MAP { KEY : VALUE } (BW_STMT_DYNSET on a map
 * of data, compiler/front/mapadd.h): the key, the value, a dynset. */
int bw_nft_dynset(struct bw_nft_rctx *x, const struct bw_ir_stmt *s);

/* ---- maps whose values are concatenations (nft_mapcat.c) ---- */

/* The value type, length and byte order of map is into def: 0, or
 * -EINVAL (error queued). */
int bw_nft_mapcat_def(struct bw_nft_bld *b, const struct bw_ir_set *is,
		      struct bw_nft_setdef *def);
/* Element e's value into el (data, dlen). */
void bw_nft_mapcat_elem(const struct bw_ir_set *is, const struct bw_ir_setelem *e,
			struct bw_nft_elem *el);
/* The value data of map is as nf_tables holds it, into out: its length. */
uint32_t bw_nft_mapcat_val(const struct bw_ir_set *is, const uint8_t *data,
			   uint8_t *out);
/* The constant value dval of a dynset on map set (a key of klen bytes)
 * into the registers from *dreg (a 128-bit register; a 32-bit one
 * after the key where the value does not fit there, into *dreg).  0
 * or -errno (error queued). */
int bw_nft_mapcat_dynset(struct bw_nft_rctx *x, const struct bw_ir_set *set,
			 const uint8_t *dval, uint32_t klen, uint32_t *dreg);
