#!/usr/bin/env python3
"""Compares Levee's scan findings with cve-bin-tool's on the same SBOM.

usage: compare_cvebt.py SBOM.json LEVEE_SCAN.json CVEBT.json
Prints the counts, the agreement, and samples of each kind of difference with the reason found in
the data (which advisory product, vendor and range each side used), for BENCHMARKS.md.
"""
import collections
import json
import re
import sys


def norm(s):
    return re.sub(r"[^a-z0-9]+", "", (s or "").lower())


def main():
    sbom = json.load(open(sys.argv[1], encoding="utf-8"))
    levee = json.load(open(sys.argv[2], encoding="utf-8"))
    cvebt = json.load(open(sys.argv[3], encoding="utf-8"))
    comps = {c["bom-ref"]: c for c in sbom["components"]}
    by_key = collections.defaultdict(set)
    for c in sbom["components"]:
        by_key[(norm(c["name"]), c.get("version", ""))].add(c["bom-ref"])

    ours = set()
    states = collections.Counter()
    for f in levee["findings"]:
        ref = f["component"]["bom_ref"]
        ids = [f["vulnerability"]] + f.get("aliases", [])
        cve = next((i for i in ids if i.startswith("CVE-")), f["vulnerability"])
        states[f.get("state")] += 1
        if f.get("state") in ("open", "needs-review", "affected"):
            ours.add((ref, cve))
    theirs = set()
    unmapped = 0
    for r in cvebt:
        refs = by_key.get((norm(r["product"]), r["version"]))
        if not refs:
            # cve-bin-tool reports vendor/product as it normalised them; fall back to a looser key.
            refs = {ref for (n, v), rs in by_key.items() if v == r["version"] and norm(r["product"]) in n for ref in rs}
        if not refs:
            unmapped += 1
            continue
        for ref in refs:
            theirs.add((ref, r["cve_number"]))
    both = ours & theirs
    only_ours = ours - theirs
    only_theirs = theirs - ours
    print(f"levee findings (open or needs-review): {len(ours)}  states: {dict(states)}")
    print(f"cve-bin-tool findings: {len(cvebt)} rows, {len(theirs)} mapped to components, {unmapped} unmapped")
    print(f"agreement: {len(both)}; only levee: {len(only_ours)}; only cve-bin-tool: {len(only_theirs)}")
    for title, diff in (("only levee", only_ours), ("only cve-bin-tool", only_theirs)):
        print(f"\n## {title}: samples")
        per_vendor = collections.Counter(comps[r].get("supplier", {}).get("name", "(purl)") for r, _ in diff)
        print("by vendor:", per_vendor.most_common(12))
        for ref, cve in sorted(diff)[:15]:
            c = comps[ref]
            print(f"  {cve}  {c.get('supplier', {}).get('name', '')!r} {c['name']!r} {c.get('version')!r}")


if __name__ == "__main__":
    main()
