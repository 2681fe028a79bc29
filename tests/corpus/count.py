#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Count how much of nftables' tests/py corpus `bpfwall -c -f` accepts.

Not part of make check: a measuring tool for the language's coverage.
Reads the corpus from a git directory of nftables (no copy of it goes
into this tree), and for each rule line of each .t file builds, per
table the file lists in the families bpfwall attaches (ip, ip6, inet,
netdev; bridge and arp with --all), a ruleset of that table, the file's
sets and the chain, and asks BPFWALL -c -f whether it takes it.
Prints per-file and total counts: ok-lines accepted, fail-lines refused.

  tests/corpus/count.py --nft-git DIR [--bpfwall PATH] [--all] [-v]
"""
import argparse
import os
import subprocess
import sys
import tempfile

FAMS = ("ip", "ip6", "inet", "netdev")


def git(gitdir, *args):
    return subprocess.run(["git", "-C", gitdir] + list(args), check=True,
                          capture_output=True, text=True).stdout


def parse(text):
    chains, tables, sets, rules = {}, [], [], []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("-"):
            continue
        if line.startswith(":"):
            name, spec = line[1:].split(";", 1)
            chains[name] = spec
        elif line.startswith("*"):
            fam, table, chs = line[1:].split(";")
            tables.append((fam, table, chs.split(",")))
        elif line.startswith("!"):
            body, res = line[1:].rsplit(";", 1)
            name, rest = body.split(" ", 1)
            if res == "ok":
                sets.append((name, rest, len(rules)))
        elif line.startswith("?") or line.startswith("%"):
            continue
        else:
            parts = line.split(";")
            if len(parts) >= 2 and parts[1] in ("ok", "fail"):
                rules.append((parts[0], parts[1]))
    return chains, tables, sets, rules


def set_text(name, rest):
    # "type ipv4_addr timeout 60s" / "type ... flags interval"
    words = rest.split()
    out, i = [], 0
    while i < len(words):
        w = words[i]
        if w in ("type", "typeof"):
            j = i + 1
            while j < len(words) and words[j] not in ("flags", "timeout", "size", "policy"):
                j += 1
            out.append("%s %s;" % (w, " ".join(words[i + 1:j])))
            i = j
        elif w == "flags":
            out.append("flags %s;" % words[i + 1])
            i += 2
        else:
            out.append("%s %s;" % (w, words[i + 1] if i + 1 < len(words) else ""))
            i += 2
    kind = "map" if ":" in rest and "type" in rest.split(":")[0] else "set"
    return "\t%s %s { %s }\n" % (kind, name, " ".join(out))


def chain_text(name, spec, rule):
    spec = spec.replace("device lo", 'device "lo"')
    return "\tchain %s {\n\t\t%s; policy accept;\n\t\t%s\n\t}\n" % (name, spec, rule)


def run(bpfwall, path):
    r = subprocess.run([bpfwall, "-c", "-f", path], capture_output=True, text=True)
    return r.returncode == 0, r.stderr


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nft-git", required=True)
    ap.add_argument("--bpfwall", default="./bpfwall")
    ap.add_argument("--all", action="store_true", help="bridge and arp too")
    ap.add_argument("-v", action="store_true", help="print refused ok-lines")
    a = ap.parse_args()
    files = [f for f in git(a.nft_git, "ls-tree", "-r", "HEAD", "--name-only").split()
             if f.startswith("tests/py/") and f.endswith(".t")]
    tot = {"ok": [0, 0], "fail": [0, 0]}
    tmp = tempfile.NamedTemporaryFile("w", suffix=".conf", delete=False)
    tmp.close()
    for f in sorted(files):
        chains, tables, sets, rules = parse(git(a.nft_git, "show", "HEAD:" + f))
        per = {"ok": [0, 0], "fail": [0, 0]}
        for fam, table, chs in tables:
            if fam not in FAMS and not a.all:
                continue
            for ch in chs:
                if ch not in chains:
                    continue
                for idx, (rule, want) in enumerate(rules):
                    text = "table %s %s {\n" % (fam, table)
                    text += "".join(set_text(n, r) for n, r, at in sets if at <= idx)
                    text += chain_text(ch, chains[ch], rule) + "}\n"
                    with open(tmp.name, "w") as o:
                        o.write(text)
                    took, err = run(a.bpfwall, tmp.name)
                    good = took if want == "ok" else not took
                    per[want][0] += good
                    per[want][1] += 1
                    if a.v and want == "ok" and not took:
                        first = err.strip().splitlines()[0] if err.strip() else ""
                        print("  %s %s/%s: %s\n      %s" % (f, fam, ch, rule, first))
        if per["ok"][1] or per["fail"][1]:
            print("%-34s ok %4d/%-4d fail %3d/%-3d" % (f[9:], per["ok"][0], per["ok"][1],
                                                       per["fail"][0], per["fail"][1]))
        for k in tot:
            tot[k][0] += per[k][0]
            tot[k][1] += per[k][1]
    os.unlink(tmp.name)
    print("TOTAL ok-lines accepted %d/%d (%.0f %%), fail-lines refused %d/%d" %
          (tot["ok"][0], tot["ok"][1], 100.0 * tot["ok"][0] / max(1, tot["ok"][1]),
           tot["fail"][0], tot["fail"][1]))


if __name__ == "__main__":
    sys.exit(main())
