#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tools/nft-corpus.sh: measure bpfwall against nftables' own rule corpus
# (tests/py/*/*.t of an nftables source tree).  A developer's tool, not run
# by `make check` or CI: the corpus is not fetched at test time.
#
# Usage: tools/nft-corpus.sh [-m FILE] [-r FILE] [-b BPFWALL] [-j JOBS]
#                            [-k] [NFTABLES] [T-FILE-GLOB]
#   NFTABLES   an nftables source tree, or its git dir (read at HEAD);
#              default /work/.mirror/1g4-mirror+nftables/repo
#   T-FILE-GLOB only the .t files whose path (tests/py/ip/ip.t) matches it
#   -m FILE    write every accepted ok-line printed differently from nft's
#              canonical form to FILE ("want" / "got" pairs)
#   -r FILE    write every refused ok-line with bpfwall's first error line
#              (and each listing that does not load again or lists
#              differently, as "relist: ...")
#   -b BPFWALL the binary (default: ./bpfwall, else bpfwall in PATH)
#   -j JOBS    bpfwall runs in parallel (default 2)
#   -k         as root, keep root (the kernel verifier checks each program;
#              slower); by default root runs bpfwall as nobody (-c then
#              stops after code generation)
#
# What it does, for each .t file (the format of nftables' tests/py/nft-test.py):
#   ":NAME;DECL"           a chain NAME of type DECL (e.g. "type filter hook
#                          input priority 0"; a device name is quoted)
#   "*FAMILY;TABLE;C1,C2"  a table with those chains; only the families ip,
#                          ip6, inet, netdev, bridge and arp are used
#   "!NAME type T [flags F];ok"  a set (a map with ": V") declared in each
#                          table; put in a rule's file only when the rule
#                          names @NAME
#   "RULE;ok[;CANONICAL]"  an ok-line: for each table, a file with the table,
#                          its chains and RULE in each chain is checked with
#                          `bpfwall -c -f FILE list ruleset`; accepted when it
#                          exits 0, canonical when every chain lists RULE as
#                          CANONICAL (RULE itself when there is none;
#                          counters compare without their counts, as
#                          nft-test.py lists stateless;
#                          as nft-test.py, the elements of the first
#                          anonymous set may come in any order; blanks
#                          inside braces do not count; protocols
#                          (ip protocol, meta l4proto, ip6 nexthdr) compare
#                          as numbers, as nft-test.py lists them with
#                          numeric protocols and stateless)
#   "RULE;fail"            a fail-line, refused when bpfwall exits non-zero
#   "%NAME type KIND SPEC;ok"  a named object (counter, quota, limit, ct
#                          helper, ...) declared in each table as
#                          `KIND NAME { SPEC }`; put in a rule's file only
#                          when the rule names "NAME"; the line itself is
#                          an ok-line (a fail-line with ";fail"): a file
#                          with the table, its chains and the object,
#                          accepted when bpfwall exits 0, canonical when
#                          it lists the object
#   lines starting with "-" (disabled), "#" and "?" are skipped.
#   relisted: an accepted ok-line whose listing, checked again with
#   `bpfwall -c -f LISTING list ruleset`, loads and lists the same.
# Each (line, table) pair counts once.  Prints per file and in total:
#   ok (pairs), accepted, canonical, fail (pairs), refused, relisted.
set -u
out_mis= out_ref= bin= jobs=2 keep_root=
while getopts "m:r:b:j:kh" o; do
	case $o in
	m) out_mis=$OPTARG ;;
	r) out_ref=$OPTARG ;;
	b) bin=$OPTARG ;;
	j) jobs=$OPTARG ;;
	k) keep_root=1 ;;
	*) sed -n "4,23p" "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
src=${1:-/work/.mirror/1g4-mirror+nftables/repo}
glob=${2:-*}
if [ -z "$bin" ]; then
	if [ -x ./bpfwall ]; then bin=$(realpath ./bpfwall); else bin=$(command -v bpfwall); fi
fi
[ -x "$bin" ] || { echo "nft-corpus: no bpfwall binary (-b)" >&2; exit 2; }
command -v python3 >/dev/null || { echo "nft-corpus: needs python3" >&2; exit 2; }
[ -e "$src" ] || { echo "nft-corpus: $src: no such tree or git dir" >&2; exit 2; }
work=$(mktemp -d /tmp/nft-corpus.XXXXXX) || exit 2
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
runas=()
if [ "$(id -u)" = 0 ] && [ -z "$keep_root" ]; then
	runas=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi

# nft-test.py runs nft in this time zone: the corpus's meta time
# listings assume it
export TZ=UTC-2
NC_SRC=$src NC_GLOB=$glob NC_BIN=$bin NC_JOBS=$jobs NC_WORK=$work \
NC_MIS=$out_mis NC_REF=$out_ref NC_RUNAS="${runas[*]}" python3 - <<'PY'
import fnmatch, os, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

src, glob = os.environ["NC_SRC"], os.environ["NC_GLOB"]
binary, work = os.environ["NC_BIN"], os.environ["NC_WORK"]
runas = os.environ["NC_RUNAS"].split()
FAMILIES = ("ip", "ip6", "inet", "netdev", "bridge", "arp")

is_git = not os.path.isdir(os.path.join(src, "tests", "py"))
def git(*a):
    return subprocess.run(["git", "-C", src] + list(a), capture_output=True,
                          text=True, check=True).stdout
if is_git:
    files = [p for p in git("ls-tree", "-r", "--name-only", "HEAD", "tests/py").split()
             if p.endswith(".t")]
    read = lambda p: git("show", "HEAD:" + p)
else:
    files = []
    for d, _, fs in os.walk(os.path.join(src, "tests", "py")):
        files += [os.path.relpath(os.path.join(d, f), src) for f in fs if f.endswith(".t")]
    read = lambda p: open(os.path.join(src, p)).read()
files = sorted(f for f in files if fnmatch.fnmatch(f, glob))

def chain_decl(d):
    d = re.sub(r"\bdevice (\w+)", r'device "\1"', d.strip())
    return d.rstrip(";") + "; policy accept;"

def set_decl(line):
    """!NAME type T [. T] [: V] [flags F]  ->  (name, text)"""
    toks = line.split()
    name, kw = toks[0], toks[1]
    i, key, data, flags, timeout = 2, [], [], None, None
    key.append(toks[i]); i += 1
    if kw == "typeof":
        while i < len(toks) and toks[i] not in (".", ":", "flags", "timeout"):
            key.append(toks[i]); i += 1
    while i < len(toks) and toks[i] == ".":
        key += [".", toks[i + 1]]; i += 2
        while kw == "typeof" and i < len(toks) and toks[i] not in (".", ":", "flags", "timeout"):
            key.append(toks[i]); i += 1
    if i < len(toks) and toks[i] == ":":
        data.append(toks[i + 1]); i += 2
        while i < len(toks) and toks[i] not in ("flags", "timeout"):
            data.append(toks[i]); i += 1
    if i + 1 < len(toks) and toks[i] == "timeout":
        timeout = toks[i + 1]; i += 2
    if i + 1 < len(toks) and toks[i] == "flags":
        flags = toks[i + 1]
    body = "%s %s" % (kw, " ".join(key))
    if data:
        body += " : " + " ".join(data)
    body += ";"
    if flags:
        body += " flags %s;" % flags
    if timeout:
        body += " timeout %s;" % timeout
    return name, ("map" if data else "set"), body

def obj_decl(line):
    """NAME type KIND [SPEC] (as nft-test.py reads it)  ->  (name, text)"""
    toks = line.split(" ")
    name, kind, spec = toks[0], toks[2], toks[3:]
    if kind == "ct" and spec and spec[0] in ("helper", "timeout", "expectation"):
        kind, spec = "ct " + spec[0], spec[1:]
    spec = " ".join(spec).strip()
    body = spec if spec.startswith("{") else "{ %s }" % spec
    return name, "%s %s %s" % (kind, name, body)

units = []   # (file, kind, rule, want, family, table, [chains], sets)
for path in files:
    chains, tables, sets = {}, [], {}
    for raw in read(path).splitlines():
        if raw[:1] == "%":
            # as nft-test.py: the result after the last brace, or ";"
            brace = raw.rfind("}")
            body, res = ((raw[1:brace + 1], raw[brace + 2:]) if brace >= 0
                         else tuple(raw[1:].rstrip().split(";")[:2]))
            res = res.strip().rstrip(";").strip()
            try:
                n, t = obj_decl(body)
            except IndexError:
                continue
            if res == "ok":
                sets[n] = ("obj", t)
            if res in ("ok", "fail"):
                for fam, tname, cs in tables:
                    if fam in FAMILIES and all(c in chains for c in cs):
                        units.append((path, res, None, t, fam, tname,
                                      [(c, chains[c]) for c in cs], {n: ("obj", t)}))
            continue
        if not raw.strip() or raw[0] in "#-?":
            continue
        line = raw.rstrip()
        if line[0] == ":":
            n, d = line[1:].split(";", 1)
            chains[n] = d
            continue
        if line[0] == "*":
            f = line[1:].split(";")
            if len(f) >= 3:
                tables.append((f[0], f[1], f[2].split(",")))
            continue
        if line[0] == "!":
            body, _, res = line[1:].rpartition(";")
            if res.strip() == "ok":
                try:
                    n, k, t = set_decl(body)
                    sets[n] = (k, t)
                except IndexError:
                    pass
            continue
        parts = line.split(";")
        if len(parts) not in (2, 3) or parts[1].strip() not in ("ok", "fail"):
            continue
        rule, kind = parts[0].strip(), parts[1].strip()
        want = parts[2].strip() if len(parts) == 3 else rule
        used = {n: sets[n] for n in re.findall(r"@(\w+)", rule) if n in sets}
        used.update({n: sets[n] for n in re.findall(r'"([^"]+)"', rule)
                     if n in sets and sets[n][0] == "obj"})
        for fam, tname, cs in tables:
            if fam in FAMILIES and all(c in chains for c in cs):
                units.append((path, kind, rule, want, fam, tname,
                              [(c, chains[c]) for c in cs], used))

PROTOS = {"icmpv6": 58, "ipv6-icmp": 58, "comp": 108}  # nft names ipcomp "comp"
try:
    for l in open("/etc/protocols"):
        f = l.split("#")[0].split()
        if len(f) >= 2:
            for n in [f[0]] + f[2:]:
                PROTOS.setdefault(n.lower(), int(f[1]))
except OSError:
    pass

def numeric_proto(s):
    """nft-test.py lists with numeric protocols (nft -p): so compare
    protocol values as numbers"""
    def sub(m):
        return m.group(1) + re.sub(r"[A-Za-z][\w-]*",
                                   lambda w: str(PROTOS.get(w.group(0), w.group(0))),
                                   m.group(2))
    return re.sub(r"\b((?:protocol|l4proto|nexthdr)(?: !=| set)? )(\{[^}]*\}|\S+)", sub, s)

def norm(s):
    # blanks inside braces do not count ("{ 2, 4}" is "{ 2, 4 }")
    s = re.sub(r"\{\s*", "{ ", re.sub(r"\s*\}", " }", " ".join(s.split())))
    return numeric_proto(re.sub(r"\s*,\s*(?=[^{}]*\})", ", ", s))

def same_set(w, g):
    """as nft-test.py: the first anonymous set's elements in any order,
    blanks inside it ignored"""
    p1, p2 = w.find("{"), g.find("{")
    e1, e2 = w.find("}"), g.find("}")
    if -1 in (p1, p2, e1, e2) or w[:p1] != g[:p2]:
        return False
    l1 = sorted(w[p1 + 1:e1].replace(" ", "").split(","))
    l2 = sorted(g[p2 + 1:e2].replace(" ", "").split(","))
    return l1 == l2 and w[e1:] == g[e2:]

def run(i):
    path, kind, rule, want, fam, tname, cs, used = units[i]
    text = "table %s %s {\n" % (fam, tname)
    for n, (k, t) in used.items():
        text += "\t%s\n" % t if k == "obj" else "\t%s %s { %s }\n" % (k, n, t)
    for c, d in cs:
        text += "\tchain %s {\n\t\t%s\n\t\t%s\n\t}\n" % (c, chain_decl(d), rule or "")
    text += "}\n"
    fn = os.path.join(work, "u%d.nft" % i)
    with open(fn, "w") as f:
        f.write(text)
    p = subprocess.run(runas + [binary, "-c", "-f", fn, "list", "ruleset"],
                       capture_output=True, text=True)
    os.unlink(fn)
    if p.returncode != 0:
        err = next((l for l in p.stderr.splitlines() if "rror" in l), p.stderr.strip()[:200])
        return (False, False, err, None, False)
    if rule is None:
        # an object line: canonical when the listing has the object
        head = " ".join(want.split()[:want.split().index("{")]) if "{" in want.split() else want
        canon = any(l.strip().startswith(head + " {") for l in p.stdout.splitlines())
        fn2 = fn + ".list"
        with open(fn2, "w") as f:
            f.write(p.stdout)
        q = subprocess.run(runas + [binary, "-c", "-f", fn2, "list", "ruleset"],
                           capture_output=True, text=True)
        os.unlink(fn2)
        again = q.returncode == 0 and q.stdout == p.stdout
        return (True, canon, None if again else "relist: " +
                (q.stderr.strip().splitlines() or ["lists differently"])[0],
                None if canon else "<object not listed>", again)
    # the rule lines: in each chain, the lines after the type line
    got, inchain = [], False
    for l in p.stdout.splitlines():
        s = l.strip()
        if s.startswith("chain "):
            inchain = True
            continue
        if s == "}":
            inchain = False
            continue
        if inchain and not s.startswith("type ") and not s.startswith("comment ") and s:
            got.append(s)
    w = re.sub(r"counter packets \d+ bytes \d+", "counter", norm(want))
    canon = len(got) == len(cs)
    for g in got:
        g = norm(g)
        # nft-test.py lists stateless (nft -s): counters without counts
        g = re.sub(r"counter packets \d+ bytes \d+", "counter", g)
        if g != w and not ("{" in w and same_set(w, g)):
            canon = False
            bad = g
            break
    # the listing loads again and lists the same
    fn2 = fn + ".list"
    with open(fn2, "w") as f:
        f.write(p.stdout)
    q = subprocess.run(runas + [binary, "-c", "-f", fn2, "list", "ruleset"],
                       capture_output=True, text=True)
    os.unlink(fn2)
    again = q.returncode == 0 and q.stdout == p.stdout
    err = None
    if not again:
        err = "relist: " + (q.stderr.strip().splitlines() or ["lists differently"])[0]
    return (True, canon, err, None if canon else (got[0] if got else "<nothing listed>"), again)

with ThreadPoolExecutor(max_workers=int(os.environ["NC_JOBS"])) as ex:
    res = list(ex.map(run, range(len(units))))

stats = {}
mis = open(os.environ["NC_MIS"], "w") if os.environ["NC_MIS"] else None
ref = open(os.environ["NC_REF"], "w") if os.environ["NC_REF"] else None
for u, r in zip(units, res):
    path, kind, rule, want, fam = u[:5]
    st = stats.setdefault(path, [0, 0, 0, 0, 0, 0])
    acc, canon, err, got, again = r
    rule = rule if rule is not None else "%" + want
    if kind == "ok":
        st[0] += 1
        if acc:
            st[1] += 1
            st[2] += canon
            st[5] += again
            if not again and ref:
                ref.write("%s %s: %s\n  %s\n" % (path, fam, rule, err))
            if not canon and mis:
                mis.write("%s %s\n  rule: %s\n  want: %s\n  got:  %s\n" %
                          (path, fam, rule, want, got))
        elif ref:
            ref.write("%s %s: %s\n  %s\n" % (path, fam, rule, err))
    else:
        st[3] += 1
        st[4] += not acc
tot = [0] * 6
print("%-36s %6s %8s %9s %6s %7s %8s" % ("file", "ok", "accepted", "canonical", "fail", "refused", "relisted"))
for path in sorted(stats):
    st = stats[path]
    tot = [a + b for a, b in zip(tot, st)]
    print("%-36s %6d %8d %9d %6d %7d %8d" % ((path.replace("tests/py/", ""),) + tuple(st)))
print("%-36s %6d %8d %9d %6d %7d %8d" % (("total",) + tuple(tot)))
PY
