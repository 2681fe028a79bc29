/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Front end entry points: text -> AST (grammar/) -> evaluate -> IR.
 * No syscalls besides reading the file(s); no root needed.
 */
#pragma once

#include "grammar/diag.h"
#include "ir.h"

/*
 * Parse and evaluate a rule file.  Returns 0 and *out, or -EINVAL with the
 * errors queued in d (or another -errno, e.g. -ENOENT, also queued).
 */
int bw_compile_file(const char *path, struct bw_diags *d, struct bw_ir **out);
int bw_compile_string(const char *name, const char *text, struct bw_diags *d,
		      struct bw_ir **out);

/* Literal sets of at least this many elements are looked up in a map,
 * not compared element by element (see bench/results.md). */
#define BW_ANON_LOOKUP_MIN 48

/* Front end knobs; all zero is what bw_compile_string() does. */
struct bw_compile_opts {
	/* A literal set of at least this many elements is a map lookup,
	 * a smaller one compares (0: BW_ANON_LOOKUP_MIN; 1: always a
	 * lookup; UINT32_MAX: never).  For the benchmark, which times
	 * both forms on either side of the threshold. */
	uint32_t anon_lookup_min;
};

int bw_compile_string_opts(const char *name, const char *text,
			   const struct bw_compile_opts *opts,
			   struct bw_diags *d, struct bw_ir **out);

/* A syslog level's name (log level): "warn". */
const char *bw_log_level_name(uint8_t level);

/*
 * Elements of set si, as `list ruleset` prints them: the line
 * "\t\telements = { ... }\n" ("" for none), malloc'ed.  The prefixes of
 * one range (those after the first marked cont) are joined again, no
 * other elements; e is sorted and merged in place.  NULL for a map of
 * data (the elements as written stay).
 */
char *bw_ir_set_elems_text(const struct bw_ir *ir, uint32_t si,
			   struct bw_ir_setelem *e, uint32_t n);

/*
 * `add element` / `delete element`: text is "FAMILY TABLE SET { ELEMENTS }".
 * Finds the set in ir (a ruleset compiled from the running one's text) and
 * evaluates the elements with its types.  Returns 0 with *set and a
 * malloc'ed *elems (*n of them), or -EINVAL with errors queued in d.
 */
int bw_compile_elements(struct bw_ir *ir, const char *name, const char *text,
			struct bw_diags *d, uint32_t *set,
			struct bw_ir_setelem **elems, uint32_t *n);

/*
 * A packet written in rule syntax, as `trace` and the verdict tests take it:
 *     [ingress|egress] [device NAME] ip saddr 192.0.2.1 tcp dport 22 tcp flags syn
 * Each term is "field value" (an equality; tcp flags take a | list or a
 * comma list meaning those bits set), or a packet word "packet WORD
 * value" (below).  The words may also be given as separate argv words;
 * the caller joins them with spaces first.
 */
struct bw_pkt_field {
	enum bw_field_id field;
	uint8_t val[16];		/* network order, field->size bytes */
	struct bw_loc loc;
};

/*
 * Packet-spec-only words, `packet WORD VALUE`: no header has such a field
 * and no rule can name one; they shape the frame that is built, to make
 * malformed and unusual packets (pktbuild.h says how).
 */
enum bw_pkt_word {
	BW_PW_TRUNCATE,			/* packet truncate N */
	BW_PW_TRAILER,			/* packet trailer N */
	BW_PW_VLANS,			/* packet vlans N */
	BW_PW_EXTHDR,			/* packet exthdr H, H, ... */
	BW_PW_FRAGOFF,			/* packet frag-off N */
	BW_PW_MF,			/* packet more-fragments 0|1 */
	BW_PW_INNER_TYPE,		/* packet inner-type T */
	BW_PW_TCPOPTS,			/* packet tcp-options B, B, ... */
	BW_PW_PAYLOAD,			/* packet payload "HEX": the bytes
					 * after the transport header */
	BW_PW__MAX
};

#define BW_PKT_EXT_MAX	12		/* IPv6 extension headers built */
#define BW_PKT_PAYLOAD_MAX 160		/* packet payload's bytes */

struct bw_pkt_word_val {
	bool given;
	uint32_t val;			/* BW_PW_EXTHDR: how many headers */
	struct bw_loc loc;
};

struct bw_pkt_spec {
	bool egress;			/* path == BW_PATH_OUT */
	enum bw_path path;		/* ingress (default), egress, forward */
	char *device;			/* NULL if not given: the input device
					 * (ingress, forward), the output one
					 * (egress) */
	char *device_out;		/* forward: the output device, or NULL */
	uint32_t nfield;
	struct bw_pkt_field *field;
	struct bw_pkt_word_val word[BW_PW__MAX];
	uint8_t exthdr[BW_PKT_EXT_MAX];	/* the types, in order */
	uint8_t tcpopts[40];		/* packet tcp-options: the bytes
					 * after the fixed TCP header (word
					 * val: how many) */
	struct bw_pkt_spec *quote;	/* `... quote PACKET`: the packet an
					 * ICMP error carries, or NULL */
	uint8_t ct_state;		/* `ct state X`: the state the packet
					 * meets (0: as tracked) */
	uint8_t *payload;		/* packet payload: its bytes */
	uint32_t npayload;
};

int bw_pkt_spec_parse(const char *name, const char *text, struct bw_diags *d,
		      struct bw_pkt_spec **out);
void bw_pkt_spec_free(struct bw_pkt_spec **s);
/* meta mark of the packet (0 if not given): skb->mark, not a byte of it. */
uint32_t bw_pkt_spec_mark(const struct bw_pkt_spec *s);
