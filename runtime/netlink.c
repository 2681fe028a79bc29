// SPDX-License-Identifier: GPL-2.0-only
/* Interfaces of the current network namespace, through libmnl. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>

#include "rt.h"

#define NL_BUF_SIZE 32768

static int link_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, IFLA_MAX) < 0)
		return MNL_CB_OK;
	if (type == IFLA_IFNAME && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

/* IFLA_XDP's program id: what is attached at XDP (any mode) */
static int xdp_attr(const struct nlattr *a, void *data)
{
	uint32_t *id = data;

	if (mnl_attr_get_type(a) == IFLA_XDP_PROG_ID &&
	    mnl_attr_validate(a, MNL_TYPE_U32) >= 0)
		*id = mnl_attr_get_u32(a);
	return MNL_CB_OK;
}

/* IFLA_LINKINFO's kind: "veth", "bridge", ... */
static int info_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **kind = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND &&
	    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		*kind = a;
	return MNL_CB_OK;
}

static int link_msg(const struct nlmsghdr *nlh, void *data)
{
	struct bw_rt_ifaces *l = data;
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct bw_rt_iface *v, *i;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	mnl_attr_parse(nlh, sizeof(*ifm), link_attr, tb);
	if (!tb[IFLA_IFNAME])
		return MNL_CB_OK;
	v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return MNL_CB_ERROR;
	l->v = v;
	i = &v[l->n++];
	memset(i, 0, sizeof(*i));
	i->ifindex = (uint32_t)ifm->ifi_index;
	i->type = ifm->ifi_type;
	strncpy(i->name, mnl_attr_get_str(tb[IFLA_IFNAME]), sizeof(i->name) - 1);
	if (tb[IFLA_ADDRESS] && mnl_attr_get_payload_len(tb[IFLA_ADDRESS]) == 6) {
		memcpy(i->addr, mnl_attr_get_payload(tb[IFLA_ADDRESS]), 6);
		i->has_addr = true;
	}
	if (tb[IFLA_MASTER] && mnl_attr_get_payload_len(tb[IFLA_MASTER]) == 4)
		i->master = mnl_attr_get_u32(tb[IFLA_MASTER]);
	if (tb[IFLA_XDP])
		mnl_attr_parse_nested(tb[IFLA_XDP], xdp_attr, &i->xdp_prog);
	if (tb[IFLA_LINKINFO]) {
		const struct nlattr *kind = NULL;

		mnl_attr_parse_nested(tb[IFLA_LINKINFO], info_attr, &kind);
		i->veth = kind && !strcmp(mnl_attr_get_str(kind), "veth");
	}
	return MNL_CB_OK;
}

int bw_rt_ifaces_dump(struct bw_rt_ifaces *out)
{
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct rtgenmsg *rt;
	unsigned int seq, portid;
	char *buf;
	ssize_t n;
	int ret, err = 0;

	out->n = 0;
	out->v = NULL;
	buf = malloc(NL_BUF_SIZE);
	if (!buf)
		return -ENOMEM;
	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl) {
		err = -errno;
		bw_rt_log("cannot open a netlink socket: %s", strerror(errno));
		free(buf);
		return err;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		bw_rt_log("cannot bind the netlink socket: %s", strerror(errno));
		goto out;
	}
	portid = mnl_socket_get_portid(nl);
	seq = (unsigned int)time(NULL);

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_PACKET;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		err = -errno;
		bw_rt_log("RTM_GETLINK: %s", strerror(errno));
		goto out;
	}
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, NL_BUF_SIZE);
		if (n < 0) {
			err = -errno;
			bw_rt_log("RTM_GETLINK: %s", strerror(errno));
			break;
		}
		ret = mnl_cb_run(buf, (size_t)n, seq, portid, link_msg, out);
		if (ret < 0) {
			err = errno ? -errno : -EIO;
			bw_rt_log("RTM_GETLINK dump: %s", strerror(-err));
			break;
		}
		if (ret == MNL_CB_STOP)
			break;
	}
out:
	mnl_socket_close(nl);
	free(buf);
	if (err)
		bw_rt_ifaces_fini(out);
	return err;
}

void bw_rt_ifaces_fini(struct bw_rt_ifaces *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

const struct bw_rt_iface *bw_rt_iface_find(const struct bw_rt_ifaces *l,
					   const char *name)
{
	for (uint32_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].name, name))
			return &l->v[i];
	return NULL;
}

bool bw_rt_iface_attachable(const struct bw_rt_iface *i)
{
	return i->type == ARPHRD_ETHER || i->type == ARPHRD_LOOPBACK;
}

/* ------------------------------------------------------- link events */

struct bw_rt_linkwatch {
	struct mnl_socket *nl;
	char buf[NL_BUF_SIZE];
};

int bw_rt_linkwatch_open(struct bw_rt_linkwatch **out)
{
	struct bw_rt_linkwatch *w = calloc(1, sizeof(*w));
	int err;

	*out = NULL;
	if (!w)
		return -ENOMEM;
	w->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!w->nl) {
		err = -errno;
		free(w);
		return err;
	}
	if (mnl_socket_bind(w->nl, RTMGRP_LINK, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		mnl_socket_close(w->nl);
		free(w);
		return err;
	}
	*out = w;
	return 0;
}

int bw_rt_linkwatch_fd(const struct bw_rt_linkwatch *w)
{
	return mnl_socket_get_fd(w->nl);
}

static int event_msg(const struct nlmsghdr *nlh, void *data)
{
	bool *seen = data;

	if (nlh->nlmsg_type == RTM_NEWLINK || nlh->nlmsg_type == RTM_DELLINK)
		*seen = true;
	return MNL_CB_OK;
}

int bw_rt_linkwatch_read(struct bw_rt_linkwatch *w)
{
	bool seen = false;

	for (;;) {
		ssize_t n = mnl_socket_recvfrom(w->nl, w->buf, sizeof(w->buf));

		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == ENOBUFS) {	/* events lost: look anyway */
				seen = true;
				continue;
			}
			return -errno;
		}
		mnl_cb_run(w->buf, (size_t)n, 0, 0, event_msg, &seen);
	}
	return seen;
}

void bw_rt_linkwatch_close(struct bw_rt_linkwatch **pw)
{
	if (!*pw)
		return;
	mnl_socket_close((*pw)->nl);
	free(*pw);
	*pw = NULL;
}

char *bw_rt_ifaces_signature(void)
{
	struct bw_rt_ifaces l;
	char *s = NULL;
	size_t len = 0;
	FILE *f;

	if (bw_rt_ifaces_dump(&l))
		return NULL;
	f = open_memstream(&s, &len);
	for (uint32_t i = 0; f && i < l.n; i++) {
		fprintf(f, "%s%u:%s", i ? " " : "", l.v[i].ifindex, l.v[i].name);
		if (l.v[i].master)	/* a port: no hoisted drops there */
			fprintf(f, "@%u", l.v[i].master);
	}
	if (f)
		fclose(f);
	bw_rt_ifaces_fini(&l);
	return s;
}
