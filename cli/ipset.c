// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall as ipset (`bpfwall ipset ARGS`, or run under the name ipset):
 * the sets `iptables -m set --match-set` names, kept in the iptables state
 * beside the tables (the pinned form's "%ipset" block, in `ipset save`
 * form), so that every load composes them again.  A command that changes
 * a set loads the ruleset again in one atomic replace, as an iptables
 * command does; the nft set each table declares for a set it names is
 * made from the set's entries (grammar/ipt_ast.c).
 *
 * Commands, options, messages and exit statuses are ipset 7's: 0 done, 1
 * an error ("ipset v7.17: ..."), 2 a bad parameter.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "ipt.h"
#include "grammar/ipset.h"
#include "grammar/ipt_ext.h"
#include "compiler/bpf/build.h"
#include "compiler/front/compile.h"
#include "compiler/nft/nft.h"

#define E_OTHER 1
#define E_PARAM 2

struct ictx {
	struct bw_xt *x;
	bool exist, quiet, sorted, names, terse;
	const char *output;		/* "plain", "save" */
	FILE *out;
	bool changed;
	char msg[512];
	/* add/del: the set and the elements that changed, for a change of
	 * the running set's maps in place (live()) */
	struct bw_ipset *set;
	struct bw_ipset_elem *done;
	uint32_t ndone;
	uint8_t proto_before;
	bool pinned;			/* the pinned record: no duplicates to
					 * look for (a linear search per line
					 * would make loading a big set
					 * quadratic) */
};

static int say(struct ictx *c, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int say(struct ictx *c, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->msg, sizeof(c->msg), fmt, ap);
	va_end(ap);
	return status;
}

/* ipset's other types: known, not compiled by bpfwall */
static const char *const other_types[] = {
	"bitmap:ip", "bitmap:ip,mac", "bitmap:port", "hash:mac", "hash:ip,mac",
	"hash:net,net", "hash:ip,mark", "hash:net,port,net", "hash:net,iface",
	"hash:ip,port,net", "list:set", NULL,
};

/* options of create and add that bpfwall's sets cannot honour */
static const char *const refused_opts[] = {
	"timeout", "counters", "comment", "skbinfo", "netmask", "markmask",
	"forceadd", "nomatch", "packets", "bytes", "skbmark", "skbprio",
	"skbqueue", "range", "bitmask", "wildcard", NULL,
};

static bool in(const char *const *l, const char *w)
{
	for (; *l; l++)
		if (!strcmp(*l, w))
			return true;
	return false;
}

static uint32_t refs(struct bw_xt *x, const char *name)
{
	uint32_t n = 0;

	for (int v6 = 0; v6 < 2; v6++)
		for (int t = 0; t < 2; t++)
			for (const struct bw_ipt_chain *ch = x->present[v6][t] ?
			     x->tbl[v6][t].chains : NULL; ch; ch = ch->next)
				for (const struct bw_ipt_rule *r = ch->rules; r; r = r->next)
					n += bw_ipt_set_uses(r, name);
	return n;
}

static void rename_refs(struct bw_xt *x, const char *from, const char *to)
{
	for (int v6 = 0; v6 < 2; v6++)
		for (int t = 0; t < 2; t++)
			for (struct bw_ipt_chain *ch = x->tbl[v6][t].chains; ch; ch = ch->next)
				for (struct bw_ipt_rule *r = ch->rules; r; r = r->next)
					for (struct bw_ipt_match *m = r->match; m; m = m->next)
						if (!strcmp(m->ext->name, "set") &&
						    !strcmp(m->set.name, from)) {
							memset(m->set.name, 0, sizeof(m->set.name));
							snprintf(m->set.name, sizeof(m->set.name), "%s", to);
						}
}

/* The name is the nft set's too, which the running ruleset's text must
 * read back: letters, digits, '_' and '-', not a digit first. */
static int name_ok(struct ictx *c, const char *name)
{
	if (strlen(name) > BW_IPSET_NAME_MAX)
		return say(c, E_OTHER, "Syntax error: setname '%s' is longer than %d characters",
			   name, BW_IPSET_NAME_MAX);
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '_' ||
		      (p > name && ((*p >= '0' && *p <= '9') || *p == '-'))))
			return say(c, E_OTHER, "bpfwall: set name %s is refused: it is the name of an nft set too, made of letters, digits, '_' and '-', not a digit or '-' first",
				   name);
	return 0;
}

static int need_set(struct ictx *c, const char *name, struct bw_ipset **out)
{
	*out = bw_ipset_find(&c->x->sets, name);
	if (!*out)
		return say(c, E_OTHER, "The set with the given name does not exist");
	return 0;
}

static bool num(const char *s, uint64_t max, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (!*s)
		return false;
	v = strtoull(s, &end, 0);
	if (*end || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int create(struct ictx *c, int n, char **w)
{
	struct bw_ipset tmp = { .hashsize = 1024, .maxelem = 65536 }, *s;
	int type;

	if (n < 2)
		return say(c, E_PARAM, "Missing %s mandatory argument to command create",
			   n < 1 ? "setname" : "typename");
	if (name_ok(c, w[0]))
		return E_OTHER;
	type = bw_ipset_type_find(w[1]);
	if (type < 0 && in(other_types, w[1]))
		return say(c, E_OTHER, "bpfwall: sets of type %s are not supported by bpfwall (hash:ip, hash:net, hash:ip,port, hash:net,port and hash:ip,port,ip are)",
			   w[1]);
	if (type < 0)
		return say(c, E_OTHER, "Syntax error: typename '%s' is unknown", w[1]);
	tmp.initval = arc4random();
	for (int i = 2; i < n; i++) {
		const char *o = w[i], *a = i + 1 < n ? w[i + 1] : NULL;
		uint32_t v;

		if (!strcmp(o, "family") || !strcmp(o, "-4") || !strcmp(o, "-6")) {
			if (o[0] == '-') {
				tmp.v6 = o[1] == '6';
				continue;
			}
			if (!a)
				return say(c, E_PARAM, "Missing mandatory argument of option `family'");
			if (!strcmp(a, "inet") || !strcmp(a, "ipv4"))
				tmp.v6 = false;
			else if (!strcmp(a, "inet6") || !strcmp(a, "ipv6"))
				tmp.v6 = true;
			else
				return say(c, E_OTHER, "Syntax error: unknown inet family %s", a);
			i++;
		} else if (!strcmp(o, "hashsize") || !strcmp(o, "maxelem") ||
			   !strcmp(o, "initval") || !strcmp(o, "bucketsize")) {
			if (!a)
				return say(c, E_PARAM, "Missing mandatory argument of option `%s'", o);
			if (!num(a, UINT32_MAX, &v))
				return say(c, E_OTHER, "Syntax error: '%s' is invalid as number", a);
			if (!strcmp(o, "hashsize")) {
				uint32_t h = 64;

				while (h < v && h < (1u << 31))
					h <<= 1;
				tmp.hashsize = h;
			} else if (!strcmp(o, "maxelem")) {
				tmp.maxelem = v;
			} else if (!strcmp(o, "initval")) {
				tmp.initval = v;
			}
			i++;
		} else if (in(refused_opts, o)) {
			return say(c, E_OTHER, "bpfwall: the set option %s is not supported by bpfwall (its sets keep no timeouts, counters, comments or extra data)",
				   o);
		} else {
			return say(c, E_PARAM, "Unknown argument: `%s'", o);
		}
	}
	s = bw_ipset_find(&c->x->sets, w[0]);
	if (s) {
		if (c->exist && s->type == type && s->v6 == tmp.v6)
			return 0;
		return say(c, E_OTHER, "Set cannot be created: set with the same name already exists");
	}
	s = bw_ipset_new(&c->x->sets, w[0], type, tmp.v6);
	if (!s)
		return say(c, E_OTHER, "out of memory");
	s->hashsize = tmp.hashsize;
	s->maxelem = tmp.maxelem;
	s->initval = tmp.initval;
	c->changed = true;
	return 0;
}

/* add, del, test: 'a', 'd', 't' */
static int entry(struct ictx *c, char op, int n, char **w)
{
	static const char *const cmd[] = { "add", "del", "test" };
	const char *cname = cmd[op == 'a' ? 0 : op == 'd' ? 1 : 2];
	struct bw_ipset_elem *e = NULL;
	struct bw_ipset *s;
	uint32_t ne = 0;
	bool cidr = false;
	int rc;

	if (n < 2)
		return say(c, E_PARAM, "Missing %s mandatory argument to command %s",
			   n < 1 ? "first" : "second", cname);
	rc = need_set(c, w[0], &s);
	if (rc)
		return rc;
	for (int i = 2; i < n; i++) {
		if (in(refused_opts, w[i]) &&
		    (strcmp(w[i], "nomatch") || bw_ipset_is_net(s->type)))
			return say(c, E_OTHER, "bpfwall: the entry option %s is not supported by bpfwall (its sets keep no timeouts, counters, comments or nomatch entries)",
				   w[i]);
		return say(c, E_PARAM, "Unknown argument: `%s'", w[i]);
	}
	rc = bw_ipset_parse_entry(s, w[1], op == 'a' ? s->maxelem + 1 : 1u << 20, &e, &ne,
				  &cidr, c->msg, sizeof(c->msg));
	if (rc)
		return rc == -ENOMEM ? say(c, E_OTHER, "out of memory") : E_OTHER;
	if (op == 't') {
		bool hit = ne && bw_ipset_test(s, &e[0], cidr);

		free(e);
		if (hit) {
			if (!c->quiet)
				fprintf(stderr, "Warning: %s is in set %s.\n", w[1], s->name);
			return 0;
		}
		if (!c->quiet)
			fprintf(stderr, "%s is NOT in set %s.\n", w[1], s->name);
		return -1;		/* status 1, nothing more said */
	}
	rc = 0;
	c->set = s;
	c->proto_before = bw_ipset_proto(s);
	free(c->done);
	c->done = calloc(ne ? ne : 1, sizeof(*c->done));
	c->ndone = 0;
	if (!c->done)
		rc = say(c, E_OTHER, "out of memory");
	for (uint32_t i = 0; i < ne && !rc; i++) {
		int at = c->pinned ? -1 : bw_ipset_elem_index(s, &e[i]);

		if (op == 'a') {
			if (at >= 0) {
				if (!c->exist)
					rc = say(c, E_OTHER, "Element cannot be added to the set: it's already added");
				continue;
			}
			if (bw_ipset_has_port(s->type) && s->n && e[i].proto != bw_ipset_proto(s)) {
				rc = say(c, E_OTHER, "bpfwall: set %s holds %s ports; a set of bpfwall's matches one protocol, so a %s port cannot join it",
					 s->name, bw_ipset_proto(s) == IPPROTO_UDP ? "udp" : "tcp",
					 e[i].proto == IPPROTO_UDP ? "udp" : "tcp");
				continue;
			}
			if (s->n >= s->maxelem) {
				rc = say(c, E_OTHER, "Hash is full, cannot add more elements");
				continue;
			}
			if (bw_ipset_add(s, &e[i]))
				rc = say(c, E_OTHER, "out of memory");
			c->done[c->ndone++] = e[i];
			c->changed = true;
		} else {
			if (at < 0) {
				if (!c->exist)
					rc = say(c, E_OTHER, "Element cannot be deleted from the set: it's not added");
				continue;
			}
			bw_ipset_del(s, at);
			c->done[c->ndone++] = e[i];
			c->changed = true;
		}
	}
	free(e);
	return rc;
}

static void save_set(struct ictx *c, const struct bw_ipset *s)
{
	fprintf(c->out, "create %s %s ", s->name, bw_ipset_type_name(s->type));
	bw_ipset_print_header(c->out, s);
	fputc('\n', c->out);
	for (uint32_t i = 0; i < s->n; i++) {
		fprintf(c->out, "add %s ", s->name);
		bw_ipset_print_elem(c->out, s, &s->e[i]);
		fputc('\n', c->out);
	}
}

static void list_set(struct ictx *c, const struct bw_ipset *s, bool first)
{
	if (c->names) {
		fprintf(c->out, "%s\n", s->name);
		return;
	}
	if (!first)
		fputc('\n', c->out);
	fprintf(c->out, "Name: %s\nType: %s\nRevision: %d\nHeader: ", s->name,
		bw_ipset_type_name(s->type), bw_ipset_revision(s->type));
	bw_ipset_print_header(c->out, s);
	fprintf(c->out, "\nSize in memory: %u\nReferences: %u\nNumber of entries: %u\n",
		200 + 40 * s->n, refs(c->x, s->name), s->n);
	if (c->terse)
		return;
	fputs("Members:\n", c->out);
	for (uint32_t i = 0; i < s->n; i++) {
		bw_ipset_print_elem(c->out, s, &s->e[i]);
		fputc('\n', c->out);
	}
}

static int show(struct ictx *c, bool save, int n, char **w)
{
	struct bw_ipset *one = NULL;
	bool first = true;
	int rc;

	if (n > 1)
		return say(c, E_PARAM, "Unknown argument: `%s'", w[1]);
	if (n && (rc = need_set(c, w[0], &one)))
		return rc;
	if (c->output && !strcmp(c->output, "save"))
		save = true;
	for (struct bw_ipset *s = c->x->sets.head; s; s = s->next) {
		if (one && s != one)
			continue;
		if (save)
			save_set(c, s);
		else
			list_set(c, s, first);
		first = false;
	}
	return 0;
}

static int flush_destroy(struct ictx *c, bool destroy, int n, char **w)
{
	struct bw_ipset *one = NULL;
	int rc;

	if (n > 1)
		return say(c, E_PARAM, "Unknown argument: `%s'", w[1]);
	if (n && (rc = need_set(c, w[0], &one)))
		return rc;
	if (destroy) {
		for (struct bw_ipset *s = c->x->sets.head; s; s = s->next)
			if ((!one || s == one) && refs(c->x, s->name))
				return say(c, E_OTHER, "Set cannot be destroyed: it is in use by a kernel component");
		if (one)
			bw_ipset_remove(&c->x->sets, one);
		else
			bw_ipset_list_free(&c->x->sets);
	} else {
		for (struct bw_ipset *s = c->x->sets.head; s; s = s->next)
			if (!one || s == one)
				s->n = 0, s->idx_ok = false;
	}
	c->changed = true;
	return 0;
}

static int rename_swap(struct ictx *c, bool swap, int n, char **w)
{
	struct bw_ipset *a, *b;
	char t[BW_IPSET_NAME_MAX + 1];
	int rc;

	if (n < 2)
		return say(c, E_PARAM, "Missing %s mandatory argument to command %s",
			   n < 1 ? "first" : "second", swap ? "swap" : "rename");
	if ((rc = need_set(c, w[0], &a)))
		return rc;
	b = bw_ipset_find(&c->x->sets, w[1]);
	if (!swap) {
		if (b)
			return say(c, E_OTHER, "Set cannot be renamed: a set with the new name already exists");
		if (name_ok(c, w[1]))
			return E_OTHER;
		/* xt_set keeps the set, not its name: the rules follow */
		rename_refs(c->x, a->name, w[1]);
		snprintf(a->name, sizeof(a->name), "%s", w[1]);
		c->changed = true;
		return 0;
	}
	if (!b)
		return say(c, E_OTHER, "Second set does not exist");
	if (a->type != b->type || a->v6 != b->v6)
		return say(c, E_OTHER, "The sets cannot be swapped: their type does not match");
	/* the rules keep their names and see the other set's entries;
	 * the sets keep their places in the list, as ipset's do */
	{
		struct bw_ipset ta = *a;

		*a = *b;
		*b = ta;
		memcpy(t, a->name, sizeof(t));
		memcpy(a->name, b->name, sizeof(t));
		memcpy(b->name, t, sizeof(t));
		b->next = a->next;
		a->next = ta.next;
	}
	c->changed = true;
	return 0;
}

static const struct {
	const char *name, *alias, *old;
	char op;
	bool write;
} cmds[] = {
	{ "create", "n", "-N", 'c', true }, { "add", NULL, "-A", 'a', true },
	{ "del", NULL, "-D", 'd', true }, { "test", NULL, "-T", 't', false },
	{ "destroy", "x", "-X", 'x', true }, { "list", NULL, "-L", 'l', false },
	{ "save", NULL, "-S", 's', false }, { "restore", NULL, "-R", 'r', true },
	{ "flush", NULL, "-F", 'f', true }, { "rename", "e", "-E", 'e', true },
	{ "swap", "w", "-W", 'w', true }, { "help", NULL, "-H", 'h', false },
	{ "version", NULL, "-V", 'v', false },
};

static int cmd_find(const char *w)
{
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(w, cmds[i].name) || (cmds[i].alias && !strcmp(w, cmds[i].alias)) ||
		    !strcmp(w, cmds[i].old) || (w[0] == '-' && w[1] == '-' &&
						!strcmp(w + 2, cmds[i].name)))
			return (int)i;
	return -1;
}

/* One command's words (after the command word) on the sets. */
static int exec(struct ictx *c, char op, int n, char **w)
{
	switch (op) {
	case 'c':
		return create(c, n, w);
	case 'a':
	case 'd':
	case 't':
		return entry(c, op, n, w);
	case 'l':
	case 's':
		return show(c, op == 's', n, w);
	case 'f':
	case 'x':
		return flush_destroy(c, op == 'x', n, w);
	case 'e':
	case 'w':
		return rename_swap(c, op == 'w', n, w);
	}
	return say(c, E_PARAM, "Unknown command");
}

int bw_ipset_pinned_line(struct bw_xt *x, char *line)
{
	struct ictx c = { .x = x, .out = stdout, .pinned = true };
	char *w[64], *save = NULL;
	int n = 0, k, rc;

	for (char *t = strtok_r(line, " \t", &save); t && n < 64; t = strtok_r(NULL, " \t", &save))
		w[n++] = t;
	if (!n)
		return 0;
	k = cmd_find(w[0]);
	if (k < 0 || (cmds[k].op != 'c' && cmds[k].op != 'a'))
		return -EINVAL;
	rc = exec(&c, cmds[k].op, n - 1, w + 1);
	free(c.done);
	if (rc)
		fprintf(stderr, "bpfwall: the pinned sets cannot be read: %s\n", c.msg);
	return rc ? -EINVAL : 0;
}

static int usage(void)
{
	printf("ipset v%s (bpfwall)\n\n"
	       "Usage: ipset [options] COMMAND\n\n"
	       "Commands:\n"
	       "create SETNAME TYPENAME [type-specific-options]\n"
	       "add SETNAME ENTRY\n"
	       "del SETNAME ENTRY\n"
	       "test SETNAME ENTRY\n"
	       "destroy [SETNAME]\n"
	       "list [SETNAME]\n"
	       "save [SETNAME]\n"
	       "restore\n"
	       "flush [SETNAME]\n"
	       "rename FROM-SETNAME TO-SETNAME\n"
	       "swap FROM-SETNAME TO-SETNAME\n"
	       "help [TYPENAME]\n"
	       "version\n\n"
	       "Options: -exist -! -output plain|save -quiet -sorted -name -terse -file FILE\n"
	       "Types: hash:ip hash:net hash:ip,port hash:net,port hash:ip,port,ip\n"
	       "See bpfwall-iptables(8).\n", BW_IPSET_VERSION);
	return 0;
}

/* A global option at w (with its argument at w + 1): words used, 0 none. */
static int gopt(struct ictx *c, char **w, int left, const char **file, int *err)
{
	const char *o = w[0];

	if (o[0] != '-' || !o[1])
		return 0;
	if (o[1] == '-')
		o++;
	if (!strcmp(o, "-exist") || !strcmp(o, "-!"))
		c->exist = true;
	else if (!strcmp(o, "-quiet") || !strcmp(o, "-q"))
		c->quiet = true;
	else if (!strcmp(o, "-sorted") || !strcmp(o, "-s"))
		c->sorted = true;
	else if (!strcmp(o, "-name") || !strcmp(o, "-n"))
		c->names = true;
	else if (!strcmp(o, "-terse") || !strcmp(o, "-t"))
		c->terse = true;
	else if (!strcmp(o, "-output") || !strcmp(o, "-o") ||
		 !strcmp(o, "-file") || !strcmp(o, "-f")) {
		if (left < 2) {
			*err = say(c, E_PARAM, "Missing mandatory argument to option %s", w[0]);
			return 1;
		}
		if (o[1] == 'f')
			*file = w[1];
		else if (strcmp(w[1], "plain") && strcmp(w[1], "save"))
			*err = say(c, E_PARAM, "bpfwall: output mode %s is not supported (plain and save are)", w[1]);
		else
			c->output = w[1];
		return 2;
	} else
		return 0;
	return 1;
}

static int report(struct ictx *c, int rc, uint32_t line)
{
	if (rc > 0 && c->msg[0]) {
		if (line)
			fprintf(stderr, "ipset v%s: Error in line %u: %s\n", BW_IPSET_VERSION,
				line, c->msg);
		else
			fprintf(stderr, "ipset v%s: %s\n", BW_IPSET_VERSION, c->msg);
		if (rc == E_PARAM)
			fprintf(stderr, "Try `ipset help' for more information.\n");
	}
	return rc < 0 ? E_OTHER : rc;
}

/* ipset restore: each line a command, applied in order until one fails
 * (as ipset does: the lines before it stay applied). */
static int restore(struct ictx *c, const char *file, uint32_t *bad)
{
	FILE *f = file ? fopen(file, "r") : stdin;
	char buf[4096];
	int rc = 0;

	if (!f)
		return say(c, E_OTHER, "Cannot open %s: %s", file, strerror(errno));
	while (!rc && fgets(buf, sizeof(buf), f)) {
		char *w[64], *save = NULL;
		int n = 0, k;

		(*bad)++;
		for (char *t = strtok_r(buf, " \t\r\n", &save); t && n < 64;
		     t = strtok_r(NULL, " \t\r\n", &save))
			w[n++] = t;
		if (!n || w[0][0] == '#' || !strcmp(w[0], "COMMIT"))
			continue;
		for (int i = 0; i < n && !rc; ) {	/* -exist and the like, anywhere */
			int e = 0, u = gopt(c, w + i, n - i, &file, &e);

			rc = e;
			if (!u) {
				i++;
				continue;
			}
			memmove(w + i, w + i + u, (size_t)(n - i - u) * sizeof(*w));
			n -= u;
		}
		if (rc || !n)
			break;
		k = cmd_find(w[0]);
		if (k < 0 || cmds[k].op == 'r' || cmds[k].op == 'h' || cmds[k].op == 'v')
			rc = say(c, E_PARAM, "Unknown command %s", w[0]);
		else
			rc = exec(c, cmds[k].op, n - 1, w + 1);
	}
	if (file)
		fclose(f);
	if (!rc)
		*bad = 0;
	return rc;
}

/* ---- changes without a reload ---- */

/* The pinned iptables text with this process's sets: the "%ipset" block
 * of old replaced (the tables' lines, with their counter handles, kept). */
static char *pinned_text(struct ictx *c, const char *old)
{
	char *buf = NULL, *rest;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (c->x->sets.head) {
		fputs("%ipset\n", f);
		for (const struct bw_ipset *s = c->x->sets.head; s; s = s->next)
			save_set(&(struct ictx){ .x = c->x, .out = f }, s);
	}
	rest = old ? (char *)old : (char *)"";
	if (!strncmp(rest, "%ipset", 6)) {
		char *p = rest;

		rest = NULL;
		while ((p = strchr(p, '\n')) && p[1] && p[1] != '%')
			p++;
		rest = p ? p + 1 : (char *)"";
	}
	fputs(rest, f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The elements of c->done as nft writes them, "{ a . 80, b . 80 }". */
static char *nft_words(struct ictx *c, int v6, int t)
{
	const struct bw_ipset *s = c->set;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char a[64];

	if (!f)
		return NULL;
	fprintf(f, "%s %s %s { ", v6 ? "ip6" : "ip",
		bw_ipt_table_name[t ? BW_IPT_RAW : BW_IPT_FILTER], s->name);
	for (uint32_t i = 0; i < c->ndone; i++) {
		const struct bw_ipset_elem *e = &c->done[i];

		inet_ntop(s->v6 ? AF_INET6 : AF_INET, e->ip, a, sizeof(a));
		fprintf(f, "%s%s", i ? ", " : "", a);
		if (bw_ipset_has_port(s->type))
			fprintf(f, " . %u", e->port);
		if (bw_ipset_dim(s->type) > 2) {
			inet_ntop(s->v6 ? AF_INET6 : AF_INET, e->ip2, a, sizeof(a));
			fprintf(f, " . %s", a);
		}
	}
	fputs(" }", f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Change the maps of the set in each table that names it. */
static int live_maps(struct ictx *c, const struct bw_ipt_opts *o, bool add,
		     struct bw_diags *d)
{
	struct bw_rt_running *r = NULL;
	struct bw_ir *ir = NULL;
	int err;

	err = bw_rt_running_open(&o->rt, &r, d);
	if (!err)
		err = bw_compile_string("<running ruleset>", bw_rt_running_text(r), d, &ir);
	for (int v6 = 0; v6 < 2 && !err; v6++)
		for (int t = 0; t < 2 && !err; t++) {
			struct bw_ir_setelem *e = NULL;
			struct bw_nft_plan *nft = NULL;
			uint32_t si = 0, n = 0;
			bool used = false;
			char *w;

			for (const struct bw_ipt_chain *ch = c->x->present[v6][t] ?
			     c->x->tbl[v6][t].chains : NULL; ch && !used; ch = ch->next)
				for (const struct bw_ipt_rule *ru = ch->rules; ru && !used; ru = ru->next)
					used = bw_ipt_set_uses(ru, c->set->name);
			if (!used)
				continue;
			w = nft_words(c, v6, t);
			err = w ? bw_compile_elements(ir, "<elements>", w, d, &si, &e, &n) : -ENOMEM;
			if (!err)
				err = bw_build_set_nft(ir, si, e, n, d, &nft);
			if (!err)
				err = bw_rt_element_apply(r, add, ir, si, e, n, nft, d);
			bw_nft_plan_free(&nft);
			free(e);
			free(w);
		}
	bw_ir_free(&ir);
	bw_rt_running_close(&r);
	return err;
}

/*
 * After a command changed the sets: 0 when the running ruleset took the
 * change without a reload (a set no rule names: only the pinned text; an
 * add or del of a set without nets whose rules stay the same: its maps
 * changed in place, as `bpfwall add element` does), 1 when a reload is
 * due.
 */
static int live(struct ictx *c, char op, struct bw_rt_xt *rt,
		const struct bw_ipt_opts *o)
{
	struct bw_diags d;
	char *blob;
	int err = 0;

	if (!rt->has_state || rt->stale)
		return 1;
	if (op == 'a' || op == 'd' || op == 'f') {
		const struct bw_ipset *s = op == 'f' ? NULL : c->set;

		if (!s || refs(c->x, s->name)) {
			if (!s || bw_ipset_is_net(s->type) || !c->ndone ||
			    (s->n && bw_ipset_proto(s) != c->proto_before))
				return 1;
			bw_diags_init(&d);
			err = live_maps(c, o, op == 'a', &d);
			if (err && o->rt.verbose) {
				bw_diags_print(&d, stderr);
				fprintf(stderr, "bpfwall: ipset: the maps of set %s not changed in place; loading again\n",
					s->name);
			}
			bw_diags_fini(&d);
			if (err)
				return 1;	/* the reload makes them right */
		}
	} else if (op != 'c' && op != 'x') {
		return 1;
	}
	blob = pinned_text(c, rt->blob);
	err = blob ? bw_rt_xt_pin_text(rt, blob) : -ENOMEM;
	free(blob);
	return err ? 1 : 0;
}

int bw_ipset_main(int argc, char **argv, const struct bw_ipt_opts *o)
{
	struct ictx c = { .out = stdout };
	struct bw_xt x = { 0 };
	struct bw_rt_xt rt;
	struct bw_diags d;
	const char *file = NULL;
	char *w[256];
	int n = 0, k = -1, rc = 0;
	uint32_t line = 0;
	bool held = false;

	for (int i = 1; i < argc && !rc; ) {
		int u = gopt(&c, argv + i, argc - i, &file, &rc);

		if (u) {
			i += u;
			continue;
		}
		if (k < 0) {
			k = cmd_find(argv[i]);
			if (k < 0) {
				rc = say(&c, E_PARAM, "No command specified: unknown argument %s",
					 argv[i]);
				break;
			}
		} else if (n < 256) {
			w[n++] = argv[i];
		}
		i++;
	}
	if (rc)
		return report(&c, rc, 0);
	if (k < 0)
		return report(&c, say(&c, E_PARAM, "No command specified."), 0);
	if (cmds[k].op == 'h')
		return usage();
	if (cmds[k].op == 'v') {
		printf("ipset v%s, protocol version: 7 (bpfwall)\n", BW_IPSET_VERSION);
		return 0;
	}
	bw_diags_init(&d);
	if (bw_arena_new(&x.a))
		return E_OTHER;
	x.d = &d;
	c.x = &x;
	/* held across the change of the maps and the pinned text */
	if (cmds[k].write && bw_rt_hold_lock(&o->rt) == 0)
		held = true;
	rc = bw_rt_xt_open(&o->rt, cmds[k].write, &rt, &d);
	if (rc) {
		bw_diags_print(&d, stderr);
		rc = E_OTHER;
		goto out;
	}
	rc = bw_xt_load(&x, &rt);
	if (rc) {
		rc = E_OTHER;
		goto out;
	}
	if (cmds[k].op == 'r')
		rc = restore(&c, file, &line);
	else
		rc = exec(&c, cmds[k].op, n, w);
	rc = report(&c, rc, line);
	/* restore: what the lines before a failing one did stays */
	if (c.changed && (!rc || cmds[k].op == 'r') &&
	    (cmds[k].op == 'r' || live(&c, cmds[k].op, &rt, o))) {
		int crc = bw_xt_commit(&x, &rt, o, false, "ipset");

		if (crc && !rc)
			rc = E_OTHER;
	}
out:
	bw_rt_xt_close(&rt);
	if (held)
		bw_rt_release_lock();
	free(c.done);
	bw_ipset_list_free(&x.sets);
	bw_diags_fini(&d);
	bw_arena_free(&x.a);
	return rc;
}
