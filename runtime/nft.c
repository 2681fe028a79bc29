// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall's tables in the kernel's nf_tables (compiler/nft/nft.h builds what
 * goes there), through libmnl and libnftnl, in the caller's network
 * namespace: commit a plan in one transaction (the previous tables deleted
 * in the same batch), delete them, read the counters back by bpfwall
 * handle, say which are there.
 *
 * One batch is atomic in the kernel: it applies whole or, on any error,
 * not at all.  Deleting a table that may be absent would fail the batch,
 * so each present one is first "added" (a no-op on an existing table),
 * then deleted.  Only the batch's last message asks for an acknowledgment;
 * the kernel reports every failing message anyway, by its sequence number,
 * which names the table, chain, set or rule it was about.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/flowtable.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "rt.h"
#include "compiler/bpf/build.h"
#include "compiler/nft/nft.h"
#include "compiler/nft/nft_bitwise.h"

#define NFT_BUF		(64 * 1024)
#define NFT_SCRATCH	(2 * NFT_BUF)	/* a message (elements: 64 KiB and headers) */
#define NFT_RCV_TIMEOUT	60		/* seconds the kernel may take */

static const struct {
	enum bw_family fam;
	uint32_t nfproto;
	const char *name;
} fams[] = {
	{ BW_FAMILY_INET, NFPROTO_INET, "inet" },
	{ BW_FAMILY_IP, NFPROTO_IPV4, "ip" },
	{ BW_FAMILY_IP6, NFPROTO_IPV6, "ip6" },
	{ BW_FAMILY_NETDEV, NFPROTO_NETDEV, "netdev" },
	{ BW_FAMILY_BRIDGE, NFPROTO_BRIDGE, "bridge" },
	{ BW_FAMILY_ARP, NFPROTO_ARP, "arp" },
};
#define NFAMS (sizeof(fams) / sizeof(fams[0]))

/* ---- the socket ---- */

static struct mnl_socket *nl_open(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	struct timeval tv = { .tv_sec = NFT_RCV_TIMEOUT };
	int one = 1;

	if (!nl) {
		bw_rt_log("cannot open an nf_tables netlink socket: %s", strerror(errno));
		return NULL;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		bw_rt_log("cannot bind the nf_tables netlink socket: %s", strerror(errno));
		mnl_socket_close(nl);
		return NULL;
	}
	/* the kernel's own words with an error, where it has some; errors
	 * without the message they answer (many could fill the socket) */
	mnl_socket_setsockopt(nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return nl;
}

/* One dump request, cb called for every message it returns. */
static int dump(struct mnl_socket *nl, struct nlmsghdr *req, mnl_cb_t cb,
		void *arg)
{
	uint32_t portid = mnl_socket_get_portid(nl), seq = req->nlmsg_seq;
	char *buf = malloc(NFT_BUF);
	int rc = 0;

	if (!buf)
		return -ENOMEM;
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0) {
		rc = -errno;
		goto out;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, NFT_BUF);
		int ret;

		if (n < 0) {
			rc = -errno;
			break;
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, cb, arg);
		if (ret < 0) {
			rc = errno ? -errno : -EIO;
			break;
		}
		if (ret == MNL_CB_STOP)
			break;
	}
out:
	free(buf);
	return rc;
}

/* ---- which tables are there ---- */

struct present {
	const char *table;
	int mask;
};

static int table_cb(const struct nlmsghdr *nlh, void *data)
{
	struct present *p = data;
	struct nftnl_table *t = nftnl_table_alloc();

	if (!t)
		return MNL_CB_ERROR;
	if (nftnl_table_nlmsg_parse(nlh, t) >= 0 &&
	    nftnl_table_is_set(t, NFTNL_TABLE_NAME) &&
	    !strcmp(nftnl_table_get_str(t, NFTNL_TABLE_NAME), p->table))
		for (size_t i = 0; i < NFAMS; i++)
			if (nftnl_table_get_u32(t, NFTNL_TABLE_FAMILY) == fams[i].nfproto)
				p->mask |= 1 << fams[i].fam;
	nftnl_table_free(t);
	return MNL_CB_OK;
}

static int present(struct mnl_socket *nl, const char *table)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct present p = { .table = table };
	struct nlmsghdr *nlh;
	int rc;

	nlh = nftnl_table_nlmsg_build_hdr(buf, NFT_MSG_GETTABLE, NFPROTO_UNSPEC,
					  NLM_F_DUMP, (uint32_t)time(NULL));
	rc = dump(nl, nlh, table_cb, &p);
	if (rc) {
		bw_rt_log("cannot list the nf_tables tables: %s", strerror(-rc));
		return rc;
	}
	return p.mask;
}

int bw_rt_nft_present(const char *table)
{
	struct mnl_socket *nl = nl_open();
	int rc;

	if (!nl)
		return -EPROTONOSUPPORT;
	rc = present(nl, table);
	mnl_socket_close(nl);
	return rc;
}

/* ---- nat chains at prerouting ---- */

struct natref {
	char *what;
	size_t len;
	bool found;
};

static int nat_cb(const struct nlmsghdr *nlh, void *data)
{
	struct natref *n = data;
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c)
		return MNL_CB_ERROR;
	/* bpfwall's own table: the new ruleset replaces it (build.c does
	 * not hoist when that has a nat chain) */
	if (!n->found && nftnl_chain_nlmsg_parse(nlh, c) >= 0 &&
	    nftnl_chain_is_set(c, NFTNL_CHAIN_TYPE) &&
	    strcmp(nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE), BW_BUILD_NFT_TABLE) &&
	    nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM) &&
	    !strcmp(nftnl_chain_get_str(c, NFTNL_CHAIN_TYPE), "nat") &&
	    nftnl_chain_get_u32(c, NFTNL_CHAIN_HOOKNUM) == NF_INET_PRE_ROUTING) {
		const char *fam = "?";

		for (size_t i = 0; i < NFAMS; i++)
			if (nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY) == fams[i].nfproto)
				fam = fams[i].name;
		snprintf(n->what, n->len, "nf_tables chain %s %s %s", fam,
			 nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE),
			 nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
		n->found = true;
	}
	nftnl_chain_free(c);
	return MNL_CB_OK;
}

int bw_rt_nft_nat_prerouting(char *what, size_t len)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct natref n = { .what = what, .len = len };
	struct mnl_socket *nl = nl_open();
	struct nlmsghdr *nlh;
	int rc;

	if (!nl)
		return -EPROTONOSUPPORT;
	nlh = nftnl_chain_nlmsg_build_hdr(buf, NFT_MSG_GETCHAIN, NFPROTO_UNSPEC,
					  NLM_F_DUMP, (uint32_t)time(NULL));
	rc = dump(nl, nlh, nat_cb, &n);
	mnl_socket_close(nl);
	return rc ? rc : n.found;
}

/* ---- batches ---- */

/* What each message of a batch was about, by sequence number. */
enum what { W_BATCH, W_TABLE_OLD, W_TABLE, W_CHAIN, W_SET, W_ELEMS, W_RULE,
	    W_OBJ, W_FLOWTABLE };

struct msgref {
	enum what what;
	uint32_t index;			/* into the plan's array (W_TABLE_OLD: fams) */
};

struct batch {
	struct nftnl_batch *b;
	char *scratch;			/* NFT_SCRATCH bytes */
	struct nlmsghdr *last;		/* the last message, in the batch */
	uint32_t seq0, seq;
	struct msgref *ref;
	uint32_t nref, cap;
	bool oom;
};

/* The next message is built in bt->scratch, zeroed (libmnl leaves the
 * padding of attributes as it finds it), then copied into the batch. */
static struct nlmsghdr *next_msg(struct batch *bt, enum what what,
				 uint32_t index, uint32_t *seq)
{
	if (bt->nref == bt->cap) {
		uint32_t c = bt->cap ? bt->cap * 2 : 256;
		struct msgref *v = reallocarray(bt->ref, c, sizeof(*v));

		if (!v) {
			bt->oom = true;
			return NULL;
		}
		bt->ref = v;
		bt->cap = c;
	}
	bt->ref[bt->nref++] = (struct msgref){ .what = what, .index = index };
	*seq = bt->seq++;
	return (struct nlmsghdr *)bt->scratch;
}

static void done_msg(struct batch *bt)
{
	uint32_t len = ((struct nlmsghdr *)bt->scratch)->nlmsg_len;

	memcpy(nftnl_batch_buffer(bt->b), bt->scratch, len);
	memset(bt->scratch, 0, len);
	if (nftnl_batch_update(bt->b) < 0) {
		bt->oom = true;
		return;
	}
	/* where it is now: a message that did not fit its page moved */
	bt->last = (struct nlmsghdr *)((char *)nftnl_batch_buffer(bt->b) - len);
}

static void table_msg(struct batch *bt, enum what what, uint32_t index,
		      uint16_t type, uint32_t family, const char *name,
		      uint16_t flags)
{
	struct nftnl_table *t = nftnl_table_alloc();
	struct nlmsghdr *nlh;
	uint32_t seq;

	if (!t) {
		bt->oom = true;
		return;
	}
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, family);
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, name);
	nlh = next_msg(bt, what, index, &seq);
	if (nlh) {
		nlh = nftnl_table_nlmsg_build_hdr((char *)nlh, type, (uint16_t)family,
						  flags, seq);
		nftnl_table_nlmsg_build_payload(nlh, t);
		done_msg(bt);
	}
	nftnl_table_free(t);
}

/* The elements of set i of p, in messages of bounded size: type
 * NEWSETELEM or DELSETELEM. */
static void elem_msgs(struct batch *bt, const struct bw_nft_plan *p,
		      uint32_t i, uint16_t type, uint16_t flags)
{
	struct nftnl_set *s = p->sets[i];
	uint16_t fam = (uint16_t)nftnl_set_get_u32(s, NFTNL_SET_FAMILY);
	struct nftnl_set_elems_iter *it = nftnl_set_elems_iter_create(s);
	struct nlmsghdr *nlh;
	uint32_t seq;
	int more = 1;

	if (!it) {
		bt->oom = true;
		return;
	}
	while (nftnl_set_elems_iter_cur(it) && more > 0 && !bt->oom) {
		if (!(nlh = next_msg(bt, W_ELEMS, i, &seq)))
			break;
		nlh = nftnl_set_elem_nlmsg_build_hdr((char *)nlh, type, fam, flags, seq);
		more = nftnl_set_elems_nlmsg_build_payload_iter(nlh, it);
		done_msg(bt);
	}
	nftnl_set_elems_iter_destroy(it);
}

static void plan_msgs(struct batch *bt, const struct bw_nft_plan *p)
{
	struct nlmsghdr *nlh;
	uint32_t seq;

	for (uint32_t i = 0; i < p->ntable && !bt->oom; i++) {
		struct nftnl_table *t = p->tables[i];

		if (!(nlh = next_msg(bt, W_TABLE, i, &seq)))
			return;
		nlh = nftnl_table_nlmsg_build_hdr((char *)nlh, NFT_MSG_NEWTABLE,
						  (uint16_t)nftnl_table_get_u32(t, NFTNL_TABLE_FAMILY),
						  NLM_F_CREATE | NLM_F_EXCL, seq);
		nftnl_table_nlmsg_build_payload(nlh, t);
		done_msg(bt);
	}
	/* the named objects before the sets and rules that name them */
	for (uint32_t i = 0; i < p->nobj && !bt->oom; i++) {
		struct nftnl_obj *o = p->objs[i];

		if (!(nlh = next_msg(bt, W_OBJ, i, &seq)))
			return;
		nlh = nftnl_nlmsg_build_hdr((char *)nlh, NFT_MSG_NEWOBJ,
					    (uint16_t)nftnl_obj_get_u32(o, NFTNL_OBJ_FAMILY),
					    NLM_F_CREATE | NLM_F_EXCL, seq);
		nftnl_obj_nlmsg_build_payload(nlh, o);
		done_msg(bt);
	}
	/* the flowtables before the rules that name them */
	for (uint32_t i = 0; i < p->nflowtable && !bt->oom; i++) {
		struct nftnl_flowtable *f = p->flowtables[i];

		if (!(nlh = next_msg(bt, W_FLOWTABLE, i, &seq)))
			return;
		nlh = nftnl_nlmsg_build_hdr((char *)nlh, NFT_MSG_NEWFLOWTABLE,
					    (uint16_t)nftnl_flowtable_get_u32(f, NFTNL_FLOWTABLE_FAMILY),
					    NLM_F_CREATE | NLM_F_EXCL, seq);
		nftnl_flowtable_nlmsg_build_payload(nlh, f);
		done_msg(bt);
	}
	for (uint32_t i = 0; i < p->nchain && !bt->oom; i++) {
		struct nftnl_chain *c = p->chains[i];

		if (!(nlh = next_msg(bt, W_CHAIN, i, &seq)))
			return;
		nlh = nftnl_chain_nlmsg_build_hdr((char *)nlh, NFT_MSG_NEWCHAIN,
						  (uint16_t)nftnl_chain_get_u32(c, NFTNL_CHAIN_FAMILY),
						  NLM_F_CREATE | NLM_F_EXCL, seq);
		nftnl_chain_nlmsg_build_payload(nlh, c);
		done_msg(bt);
	}
	for (uint32_t i = 0; i < p->nset && !bt->oom; i++) {
		struct nftnl_set *s = p->sets[i];
		uint16_t fam = (uint16_t)nftnl_set_get_u32(s, NFTNL_SET_FAMILY);

		if (!(nlh = next_msg(bt, W_SET, i, &seq)))
			return;
		nlh = nftnl_set_nlmsg_build_hdr((char *)nlh, NFT_MSG_NEWSET, fam,
						NLM_F_CREATE | NLM_F_EXCL, seq);
		nftnl_set_nlmsg_build_payload(nlh, s);
		done_msg(bt);
		elem_msgs(bt, p, i, NFT_MSG_NEWSETELEM, NLM_F_CREATE | NLM_F_EXCL);
	}
	for (uint32_t i = 0; i < p->nrule && !bt->oom; i++) {
		struct nftnl_rule *r = p->rules[i].r;

		if (!(nlh = next_msg(bt, W_RULE, i, &seq)))
			return;
		nlh = nftnl_rule_nlmsg_build_hdr((char *)nlh, NFT_MSG_NEWRULE,
						 (uint16_t)nftnl_rule_get_u32(r, NFTNL_RULE_FAMILY),
						 NLM_F_CREATE | NLM_F_APPEND, seq);
		nftnl_rule_nlmsg_build_payload(nlh, r);
		bw_nft_bitwise_sreg2_fix(nlh);	/* what libnftnl 1.2 lacks */
		done_msg(bt);
	}
}

/* What a message was about, for an error: "rule at rules.conf:4 (handle
 * 7)" goes to d at the rule's location. */
static void report(const struct bw_nft_plan *p, const struct msgref *m,
		   const char *table, int err, const char *ext,
		   struct bw_diags *d)
{
	const char *why = strerror(-err);
	char what[320];

	switch (m->what) {
	case W_RULE:
		if (d && p->rules[m->index].loc.src) {
			bw_error(d, &p->rules[m->index].loc,
				 "nf_tables refused this rule (handle %u): %s%s%s",
				 p->rules[m->index].handle, why, ext ? ": " : "",
				 ext ? ext : "");
			return;
		}
		snprintf(what, sizeof(what), "rule %u of chain %s", p->rules[m->index].handle,
			 nftnl_rule_get_str(p->rules[m->index].r, NFTNL_RULE_CHAIN));
		break;
	case W_CHAIN:
		snprintf(what, sizeof(what), "chain %s",
			 nftnl_chain_get_str(p->chains[m->index], NFTNL_CHAIN_NAME));
		break;
	case W_OBJ:
		snprintf(what, sizeof(what), "object %s",
			 nftnl_obj_get_str(p->objs[m->index], NFTNL_OBJ_NAME));
		break;
	case W_SET:
	case W_ELEMS:
		snprintf(what, sizeof(what), "%s of set %s",
			 m->what == W_SET ? "the definition" : "the elements",
			 nftnl_set_get_str(p->sets[m->index], NFTNL_SET_NAME));
		break;
	case W_TABLE:
	case W_TABLE_OLD:
		snprintf(what, sizeof(what), "table %s %s",
			 fams[m->what == W_TABLE_OLD ? m->index : 0].name, table);
		if (m->what == W_TABLE)
			for (size_t i = 0; i < NFAMS; i++)
				if (fams[i].nfproto ==
				    nftnl_table_get_u32(p->tables[m->index], NFTNL_TABLE_FAMILY))
					snprintf(what, sizeof(what), "table %s %s",
						 fams[i].name, table);
		break;
	case W_FLOWTABLE:
		if (d && p->flowtable_loc[m->index].src) {
			/* ENOENT for a flowtable: no nf_flow_table for the
			 * family in this kernel (CONFIG_NF_FLOW_TABLE) */
			bw_error(d, &p->flowtable_loc[m->index],
				 "nf_tables refused flowtable %s: %s%s%s%s",
				 nftnl_flowtable_get_str(p->flowtables[m->index],
							 NFTNL_FLOWTABLE_NAME), why,
				 err == -ENOENT ? " (a kernel without flowtables, CONFIG_NF_FLOW_TABLE; or, on an older kernel, a device that does not exist)" : "",
				 ext ? ": " : "", ext ? ext : "");
			return;
		}
		snprintf(what, sizeof(what), "flowtable %s",
			 nftnl_flowtable_get_str(p->flowtables[m->index], NFTNL_FLOWTABLE_NAME));
		break;
	default:
		snprintf(what, sizeof(what), "the batch");
		break;
	}
	if (d)
		bw_error(d, NULL, "nf_tables refused %s: %s%s%s", what, why,
			 ext ? ": " : "", ext ? ext : "");
	else
		bw_rt_log("nf_tables refused %s: %s%s%s", what, why, ext ? ": " : "",
			  ext ? ext : "");
}

/* NLMSGERR_ATTR_MSG of an extended acknowledgment, or NULL. */
static const char *ext_msg(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	mnl_attr_for_each(a, nlh, off)
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
			return mnl_attr_get_str(a);
	return NULL;
}

/* Send the batch, then read until the last message's answer; every
 * message refused is reported (the first may cause the others), the
 * first one's error returned. */
static int send_batch(struct mnl_socket *nl, struct batch *bt,
		      const struct bw_nft_plan *p, const char *table,
		      struct bw_diags *d)
{
	int niov = nftnl_batch_iovec_len(bt->b);
	struct iovec *iov = calloc((size_t)niov, sizeof(*iov));
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct msghdr msg = { .msg_name = &sa, .msg_namelen = sizeof(sa) };
	uint32_t last = bt->seq - 2, first = UINT32_MAX;	/* last: before END */
	size_t total = 0;
	int err = 0, sz;
	char *buf;

	buf = malloc(NFT_BUF);
	if (!iov || !buf) {
		free(iov);
		free(buf);
		return -ENOMEM;
	}
	nftnl_batch_iovec(bt->b, iov, (uint32_t)niov);
	for (int i = 0; i < niov; i++)
		total += iov[i].iov_len;
	/* the kernel takes the batch as one datagram */
	sz = total > INT32_MAX / 2 ? INT32_MAX / 2 : (int)total + 4096;
	if (setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUFFORCE, &sz, sizeof(sz)))
		setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)niov;
	if (sendmsg(mnl_socket_get_fd(nl), &msg, 0) < 0) {
		err = -errno;
		bw_rt_log("cannot send the nf_tables batch (%zu bytes): %s", total,
			  strerror(errno));
		goto out;
	}
	for (bool done = false; !done;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, NFT_BUF);
		const struct nlmsghdr *nlh;
		int len;

		if (n < 0) {
			err = err ? err : -errno;
			bw_rt_log("no answer from nf_tables: %s", strerror(errno));
			goto out;
		}
		len = (int)n;
		for (nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			const struct nlmsgerr *e;
			uint32_t s, i;

			if (nlh->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(nlh);
			s = e->msg.nlmsg_seq;
			i = s - bt->seq0;
			if (e->error && i < bt->nref) {
				report(p, &bt->ref[i], table, e->error, ext_msg(nlh), d);
				if (i < first) {
					first = i;
					err = e->error;
				}
			} else if (e->error) {
				bw_rt_log("nf_tables refused the batch: %s", strerror(-e->error));
				err = err ? err : e->error;
			}
			/* the last message's answer, or the batch refused
			 * as a whole (at its first message) */
			if (s == last || (s == bt->seq0 && e->error))
				done = true;
		}
	}
out:
	free(iov);
	free(buf);
	return err;
}

/* A batch with its begin message. */
static int batch_open(struct batch *bt)
{
	struct nlmsghdr *nlh;
	uint32_t seq;

	memset(bt, 0, sizeof(*bt));
	bt->b = nftnl_batch_alloc(NFT_BUF, NFT_SCRATCH);	/* a message fits */
	bt->scratch = calloc(1, NFT_SCRATCH);
	if (!bt->b || !bt->scratch) {
		if (bt->b)
			nftnl_batch_free(bt->b);
		free(bt->scratch);
		return -ENOMEM;
	}
	bt->seq0 = bt->seq = (uint32_t)time(NULL) << 8;
	nlh = next_msg(bt, W_BATCH, 0, &seq);
	if (nlh) {
		nftnl_batch_begin((char *)nlh, seq);
		done_msg(bt);
	}
	return 0;
}

/* End the batch (its last message asks for an acknowledgment), send it
 * and free it. */
static int batch_send(struct mnl_socket *nl, struct batch *bt,
		      const struct bw_nft_plan *p, const char *table,
		      struct bw_diags *d)
{
	struct nlmsghdr *nlh;
	uint32_t seq;
	int rc;

	if (!bt->oom)
		bt->last->nlmsg_flags |= NLM_F_ACK;
	nlh = next_msg(bt, W_BATCH, 0, &seq);
	if (nlh) {
		nftnl_batch_end((char *)nlh, seq);
		done_msg(bt);
	}
	if (bt->oom) {
		rc = -ENOMEM;
		bw_rt_log("out of memory building the nf_tables batch");
	} else {
		rc = send_batch(nl, bt, p, table, d);
	}
	nftnl_batch_free(bt->b);
	free(bt->scratch);
	free(bt->ref);
	return rc;
}

/* Delete the present tables, add the plan's (p may be NULL): one batch. */
static int transaction(struct mnl_socket *nl, const char *table,
		       const struct bw_nft_plan *p, struct bw_diags *d)
{
	struct batch bt;
	int mask, rc;

	mask = present(nl, table);
	if (mask < 0)
		return mask;
	if (!mask && bw_nft_plan_empty(p))
		return 0;
	rc = batch_open(&bt);
	if (rc)
		return rc;
	for (size_t i = 0; i < NFAMS; i++) {
		if (!(mask & (1 << fams[i].fam)))
			continue;
		table_msg(&bt, W_TABLE_OLD, (uint32_t)i, NFT_MSG_NEWTABLE,
			  fams[i].nfproto, table, NLM_F_CREATE);
		table_msg(&bt, W_TABLE_OLD, (uint32_t)i, NFT_MSG_DELTABLE,
			  fams[i].nfproto, table, 0);
	}
	if (p)
		plan_msgs(&bt, p);
	return batch_send(nl, &bt, p, table, d);
}

/* The interfaces meta iif/oif name: their indexes in this namespace. */
static int ifindexes(struct bw_nft_plan *p, struct bw_diags *d)
{
	struct bw_rt_ifaces l;
	int rc = 0;

	if (!p || !p->nifref)
		return 0;
	rc = bw_rt_ifaces_dump(&l);
	if (rc)
		return rc;
	for (uint32_t i = 0; i < p->nifref; i++) {
		const struct bw_nft_ifref *r = &p->ifrefs[i];
		const struct bw_rt_iface *f = bw_rt_iface_find(&l, r->name);
		uint8_t data[64];
		const void *old;
		uint32_t len = 0, idx;
		uint16_t attr;

		if (!f) {
			if (d)
				bw_error(d, r->loc.src ? &r->loc : NULL,
					 "interface \"%s\" does not exist", r->name);
			else
				bw_rt_log("interface \"%s\" does not exist", r->name);
			rc = -ENODEV;
			continue;
		}
		/* r->cmp: a cmp's data, or an immediate's (fwd, dup) */
		attr = r->cmp && !strcmp(nftnl_expr_get_str(r->cmp, NFTNL_EXPR_NAME),
					 "immediate") ?
		       NFTNL_EXPR_IMM_DATA : NFTNL_EXPR_CMP_DATA;
		old = r->cmp ? nftnl_expr_get(r->cmp, attr, &len) :
		      nftnl_set_elem_get(r->elem, r->data ? NFTNL_SET_ELEM_DATA :
					 NFTNL_SET_ELEM_KEY, &len);
		if (!old || len > sizeof(data) || r->off + 4 > len) {
			rc = -EINVAL;
			continue;
		}
		memcpy(data, old, len);
		idx = f->ifindex;
		memcpy(data + r->off, &idx, 4);
		if (r->cmp)
			nftnl_expr_set(r->cmp, attr, data, len);
		else
			nftnl_set_elem_set(r->elem, r->data ? NFTNL_SET_ELEM_DATA :
					   NFTNL_SET_ELEM_KEY, data, len);
	}
	bw_rt_ifaces_fini(&l);
	return rc;
}

int bw_rt_nft_commit(struct bw_nft_plan *p, struct bw_diags *d)
{
	struct mnl_socket *nl;
	int rc;

	rc = ifindexes(p, d);
	if (rc)
		return rc;
	nl = nl_open();
	if (!nl)
		return -EPROTONOSUPPORT;
	rc = transaction(nl, p->table, p, d);
	mnl_socket_close(nl);
	return rc;
}

int bw_rt_nft_delete(const char *table)
{
	struct mnl_socket *nl = nl_open();
	int rc;

	if (!nl)
		return -EPROTONOSUPPORT;
	rc = transaction(nl, table, NULL, NULL);
	mnl_socket_close(nl);
	return rc;
}

/* ---- counters ---- */

struct counters {
	bw_rt_nft_counter_fn fn;
	void *arg;
};

static int rule_cb(const struct nlmsghdr *nlh, void *data)
{
	struct counters *c = data;
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr_iter *it;
	struct nftnl_expr *e;
	const void *ud;
	uint32_t len = 0, handle;

	if (!r)
		return MNL_CB_ERROR;
	if (nftnl_rule_nlmsg_parse(nlh, r) < 0)
		goto out;
	ud = nftnl_rule_get_data(r, NFTNL_RULE_USERDATA, &len);
	handle = bw_nft_udata_handle(ud, len);
	if (!handle || !(it = nftnl_expr_iter_create(r)))
		goto out;
	while ((e = nftnl_expr_iter_next(it)))
		if (!strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "counter")) {
			c->fn(c->arg, handle, nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS),
			      nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES));
			break;
		}
	nftnl_expr_iter_destroy(it);
out:
	nftnl_rule_free(r);
	return MNL_CB_OK;
}

/* The request of a dump of one kind of bpfwall's table in one family:
 * its message in buf, or NULL (no memory). */
typedef struct nlmsghdr *(*dump_req_fn)(char *buf, uint16_t nfproto,
					const char *table);

static struct nlmsghdr *rules_req(char *buf, uint16_t nfproto, const char *table)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	if (!r)
		return NULL;
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nlh = nftnl_rule_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, nfproto, NLM_F_DUMP,
					 (uint32_t)time(NULL));
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	return nlh;
}

static struct nlmsghdr *objs_req(char *buf, uint16_t nfproto, const char *table)
{
	struct nftnl_obj *o = nftnl_obj_alloc();
	struct nlmsghdr *nlh;

	if (!o)
		return NULL;
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, table);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETOBJ, nfproto, NLM_F_DUMP,
				    (uint32_t)time(NULL));
	nftnl_obj_nlmsg_build_payload(nlh, o);
	nftnl_obj_free(o);
	return nlh;
}

/* Dump what req asks of table in every family it is in, each answer to
 * cb (with *family the family's name meanwhile, when family is given);
 * what names it in messages ("rules"). */
static int dump_families(const char *table, dump_req_fn req, mnl_cb_t cb,
			 void *arg, const char **family, const char *what)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = nl_open();
	int mask, rc = 0;

	if (!nl)
		return -EPROTONOSUPPORT;
	mask = present(nl, table);
	if (mask < 0)
		rc = mask;
	for (size_t i = 0; i < NFAMS && !rc; i++) {
		struct nlmsghdr *nlh;

		if (!(mask & (1 << fams[i].fam)))
			continue;
		nlh = req(buf, (uint16_t)fams[i].nfproto, table);
		if (!nlh) {
			rc = -ENOMEM;
			break;
		}
		if (family)
			*family = fams[i].name;
		rc = dump(nl, nlh, cb, arg);
		if (rc)
			bw_rt_log("cannot read the %s of table %s %s: %s", what,
				  fams[i].name, table, strerror(-rc));
	}
	mnl_socket_close(nl);
	return rc;
}

int bw_rt_nft_counters(const char *table, bw_rt_nft_counter_fn fn, void *arg)
{
	struct counters c = { .fn = fn, .arg = arg };

	return dump_families(table, rules_req, rule_cb, &c, NULL, "rules");
}

int bw_rt_nft_elems(struct bw_nft_plan *p, uint32_t ir_set, bool add,
		    struct bw_diags *d)
{
	struct mnl_socket *nl;
	struct batch bt;
	int32_t i;
	int mask, rc;

	if (!p || ir_set >= p->nir_set || (i = p->ir_set[ir_set]) < 0)
		return 0;	/* the set has no copy in nf_tables */
	nl = nl_open();
	if (!nl)
		return -EPROTONOSUPPORT;
	mask = rc = present(nl, p->table);
	for (size_t k = 0; rc >= 0 && k < NFAMS; k++)
		if (fams[k].nfproto == nftnl_set_get_u32(p->sets[i], NFTNL_SET_FAMILY) &&
		    !(mask & (1 << fams[k].fam)))
			rc = -ENOENT;	/* not loaded there (its chains run elsewhere) */
	if (rc >= 0)
		rc = ifindexes(p, d);
	if (rc >= 0)
		rc = batch_open(&bt);
	if (rc >= 0) {
		elem_msgs(&bt, p, (uint32_t)i, add ? NFT_MSG_NEWSETELEM :
			  NFT_MSG_DELSETELEM, add ? NLM_F_CREATE : 0);
		rc = batch_send(nl, &bt, p, p->table, d);
	}
	mnl_socket_close(nl);
	return rc == -ENOENT ? 0 : rc < 0 ? rc : 0;
}

struct objs {
	bw_rt_nft_obj_fn fn;
	void *arg;
	const char *family;
};

static int obj_cb(const struct nlmsghdr *nlh, void *data)
{
	struct objs *c = data;
	struct nftnl_obj *o = nftnl_obj_alloc();
	uint32_t type;

	if (!o)
		return MNL_CB_ERROR;
	if (nftnl_obj_nlmsg_parse(nlh, o) < 0 || !nftnl_obj_is_set(o, NFTNL_OBJ_NAME))
		goto out;
	type = nftnl_obj_get_u32(o, NFTNL_OBJ_TYPE);
	if (type == NFT_OBJECT_COUNTER)
		c->fn(c->arg, c->family, nftnl_obj_get_str(o, NFTNL_OBJ_NAME), type,
		      nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_PKTS),
		      nftnl_obj_get_u64(o, NFTNL_OBJ_CTR_BYTES), 0);
	else if (type == NFT_OBJECT_QUOTA)
		c->fn(c->arg, c->family, nftnl_obj_get_str(o, NFTNL_OBJ_NAME), type,
		      nftnl_obj_get_u64(o, NFTNL_OBJ_QUOTA_BYTES),
		      nftnl_obj_get_u64(o, NFTNL_OBJ_QUOTA_CONSUMED),
		      nftnl_obj_get_u32(o, NFTNL_OBJ_QUOTA_FLAGS));
out:
	nftnl_obj_free(o);
	return MNL_CB_OK;
}

int bw_rt_nft_objs(const char *table, bw_rt_nft_obj_fn fn, void *arg)
{
	struct objs c = { .fn = fn, .arg = arg };

	return dump_families(table, objs_req, obj_cb, &c, &c.family, "objects");
}
