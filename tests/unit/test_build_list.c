// SPDX-License-Identifier: GPL-2.0-only
/*
 * What list ruleset needs besides the text (compiler/bpf/build.h
 * bw_build_list): encoded at load, decoded by the runtime.  A round trip
 * keeps every named set's types, flags, size and map layout (as its maps
 * were made, elements counted in), the chain names, and the sets'
 * indexes; every field survives by name; damaged or foreign data is
 * refused, never read past its end.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "compiler/bpf/build.h"
#include "compiler/front/compile.h"
#include "compiler/front/fields.h"

static const char ruleset[] =
	"table netdev t {\n"
	"\tset blk {\n"
	"\t\ttype ipv4_addr; elements = { 198.51.100.1, 198.51.100.2 }\n"
	"\t}\n"
	"\tset rng {\n"
	"\t\ttype ipv4_addr; flags interval; size 2;\n"
	"\t\telements = { 192.0.2.10-192.0.2.20 }\n"
	"\t}\n"
	"\tset nets {\n"
	"\t\ttype ipv4_addr . inet_service; flags interval;\n"
	"\t\telements = { 203.0.113.0/25 . 80 }\n"
	"\t}\n"
	"\tset six {\n"
	"\t\ttype ipv6_addr; flags interval; elements = { 2001:db8::/32 }\n"
	"\t}\n"
	"\tmap ports {\n"
	"\t\ttype inet_service : verdict; elements = { 22 : jump ssh, 23 : drop }\n"
	"\t}\n"
	"\tchain ssh {\n"
	"\t\taccept\n"
	"\t}\n"
	"\tchain in {\n"
	"\t\ttype filter hook ingress device \"lo\" priority 0; policy accept;\n"
	"\t\tip saddr { 192.0.2.1, 192.0.2.2 } drop\n"
	"\t\tip saddr @blk drop\n"
	"\t\tip daddr @rng drop\n"
	"\t\tip saddr . tcp dport @nets drop\n"
	"\t\tip6 saddr @six drop\n"
	"\t\ttcp dport vmap @ports\n"
	"\t}\n"
	"}\n";

static struct bw_ir *compile(const char *text)
{
	struct bw_diags d;
	struct bw_ir *ir = NULL;

	bw_diags_init(&d);
	if (bw_compile_string("list.conf", text, &d, &ir) || d.nerrors) {
		bw_diags_print(&d, stderr);
		fail_msg("does not compile");
	}
	bw_diags_fini(&d);
	return ir;
}

static void t_round_trip(void **state)
{
	struct bw_ir *ir = compile(ruleset);
	struct bw_build_list *li = NULL;
	uint8_t *buf = NULL;
	size_t len = 0;
	uint32_t named = 0;

	(void)state;
	assert_int_equal(bw_build_list_encode(ir, &buf, &len), 0);
	assert_int_equal(bw_build_list_decode(buf, len, &li), 0);
	assert_int_equal(li->ir->nchain, ir->nchain);
	for (uint32_t c = 0; c < ir->nchain; c++)
		assert_string_equal(li->ir->chain[c].name, ir->chain[c].name);
	assert_true(li->ir->nset <= ir->nset);
	for (uint32_t si = 0; si < ir->nset; si++) {
		const struct bw_ir_set *s = &ir->set[si];
		const struct bw_ir_set *r;
		struct bw_set_layout l;

		if (!s->name) {
			/* an anonymous one between named ones: an empty slot */
			if (si < li->ir->nset) {
				assert_null(li->ir->set[si].name);
				assert_int_equal(li->layout[si].ntable, 0);
			}
			continue;
		}
		named++;
		assert_true(si < li->ir->nset);
		r = &li->ir->set[si];
		assert_string_equal(r->name, s->name);
		assert_string_equal(r->table, s->table);
		assert_int_equal(r->family, s->family);
		assert_int_equal(r->nkey, s->nkey);
		for (uint32_t k = 0; k < s->nkey; k++)
			assert_int_equal(r->key[k], s->key[k]);
		assert_int_equal(r->keylen, s->keylen);
		assert_int_equal(r->interval, s->interval);
		assert_int_equal(r->map, s->map);
		assert_int_equal(r->size, s->size);
		assert_int_equal(r->nelem, 0);
		assert_int_equal(bw_set_layout(s, &l), 0);
		assert_int_equal(li->layout[si].ntable, l.ntable);
		for (uint32_t t = 0; t < l.ntable; t++) {
			const struct bw_set_table *a = &l.table[t];
			const struct bw_set_table *b = &li->layout[si].table[t];

			assert_int_equal(b->lpm, a->lpm);
			assert_int_equal(b->range_key, a->range_key);
			assert_int_equal(b->key_size, a->key_size);
			assert_int_equal(b->max_entries, a->max_entries);
			assert_memory_equal(b->off, a->off, s->nkey * sizeof(a->off[0]));
		}
		/* a layout without the elements would differ: size 2, and
		 * the range is 4 prefixes (.10/31 .12/30 .16/30 .20) */
		if (!strcmp(s->name, "rng"))
			assert_int_equal(li->layout[si].table[0].max_entries, 4);
	}
	assert_int_equal(named, 5);
	bw_build_list_free(&li);
	assert_null(li);
	free(buf);
	bw_ir_free(&ir);
}

/* Every field a set key can have comes back as a field of the same
 * name, type and encoding (several share a name: meta length is the
 * frame's, the IP packet's or the whole packet's length by hook; any of
 * them lists a set's elements the same). */
static void t_every_field(void **state)
{
	(void)state;
	for (int f = 0; f < BW_F__MAX; f++) {
		struct bw_ir_set s = { .name = "s", .table = "t", .nkey = 1 };
		struct bw_ir_chain ch = { .name = "c" };
		struct bw_ir ir = { .nchain = 1, .chain = &ch, .nset = 1, .set = &s };
		struct bw_build_list *li = NULL;
		struct bw_set_layout l;
		uint8_t *buf = NULL;
		size_t len;

		if (bw_fields[f].tun_layer)
			continue;	/* inside a tunnel: never a set key */
		s.key[0] = (enum bw_field_id)f;
		s.keylen = bw_fields[f].size;
		if (bw_set_layout(&s, &l))
			continue;	/* no set of this field */
		assert_int_equal(bw_build_list_encode(&ir, &buf, &len), 0);
		assert_int_equal(bw_build_list_decode(buf, len, &li), 0);
		const struct bw_field *a = &bw_fields[f];
		const struct bw_field *b = &bw_fields[li->ir->set[0].key[0]];

		if (strcmp(a->proto, b->proto) || strcmp(a->name, b->name) ||
		    a->type != b->type || a->size != b->size ||
		    a->bits != b->bits || a->shift != b->shift ||
		    a->big_endian != b->big_endian)
			fail_msg("field %d (%s %s) comes back as %d (%s %s), another encoding",
				 f, a->proto, a->name, (int)b->id, b->proto, b->name);
		bw_build_list_free(&li);
		free(buf);
	}
}

/* Cut anywhere, flipped anywhere: refused or read, never past the end
 * (the sanitizers and valgrind see that). */
static void t_damaged(void **state)
{
	struct bw_ir *ir = compile(ruleset);
	struct bw_build_list *li = NULL;
	uint8_t *buf = NULL, *cut;
	size_t len = 0;

	(void)state;
	assert_int_equal(bw_build_list_encode(ir, &buf, &len), 0);
	for (size_t n = 0; n < len; n++) {
		cut = malloc(n ? n : 1);
		memcpy(cut, buf, n);
		assert_true(bw_build_list_decode(cut, n, &li) < 0);
		assert_null(li);
		free(cut);
	}
	for (size_t i = 0; i < len; i++) {
		uint8_t was = buf[i];

		buf[i] ^= 0xff;
		if (!bw_build_list_decode(buf, len, &li))
			bw_build_list_free(&li);
		buf[i] = was;
	}
	/* another magic: damaged; another version: another bpfwall's */
	buf[0] = 'X';
	assert_int_equal(bw_build_list_decode(buf, len, &li), -EBADMSG);
	buf[0] = 'B';
	buf[4]++;
	assert_int_equal(bw_build_list_decode(buf, len, &li), -EPROTO);
	buf[4]--;
	/* trailing bytes: damaged */
	cut = malloc(len + 1);
	memcpy(cut, buf, len);
	cut[len] = 0;
	assert_int_equal(bw_build_list_decode(cut, len + 1, &li), -EBADMSG);
	free(cut);
	free(buf);
	bw_ir_free(&ir);
}

/* A key field this bpfwall does not know (a newer one wrote it). */
static void t_unknown_field(void **state)
{
	struct bw_ir_set s = { .name = "s", .table = "t", .nkey = 1,
			       .key = { BW_F_TCP_DPORT }, .keylen = 2 };
	struct bw_ir ir = { .nset = 1, .set = &s };
	struct bw_build_list *li = NULL;
	uint8_t *buf = NULL, *p;
	size_t len;

	(void)state;
	assert_int_equal(bw_build_list_encode(&ir, &buf, &len), 0);
	p = memmem(buf, len, "dport", 5);
	assert_non_null(p);
	memcpy(p, "xport", 5);
	assert_int_equal(bw_build_list_decode(buf, len, &li), -EPROTO);
	assert_null(li);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_round_trip),
		cmocka_unit_test(t_every_field),
		cmocka_unit_test(t_damaged),
		cmocka_unit_test(t_unknown_field),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
