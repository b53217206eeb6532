#!/usr/bin/env python3
"""Generates a CycloneDX 1.5 SBOM of N components from the CISA ICS CSAF corpus, for benchmarks.

Each component is an ICS product as an advisory names it (vendor as supplier, product name, a
version taken from the advisory: an exact `product_version`, or the upper bound of a simple range),
plus a share of open-source Go modules with purls (matched against OSV). Deterministic: the same
corpus and N give the same file.

usage: gen_sbom.py CSAF_DIR OSV_GO_DIR N OUT.json
"""
import glob
import json
import os
import re
import sys
import uuid


def products(csaf_dir):
    out = []
    for path in sorted(glob.glob(os.path.join(csaf_dir, "*", "*.json"))):
        try:
            doc = json.load(open(path, encoding="utf-8"))
        except (OSError, ValueError):
            continue

        def walk(branches, vendor=None, name=None):
            for b in branches or []:
                cat, val = b.get("category"), b.get("name", "")
                v, n = vendor, name
                if cat == "vendor":
                    v = val
                elif cat in ("product_name", "product_family"):
                    n = val
                elif cat in ("product_version", "product_version_range") and v and n:
                    version = None
                    if cat == "product_version":
                        version = val
                    else:
                        m = re.fullmatch(r"\s*(?:vers:[a-z]+/)?\s*<=?\s*([A-Za-z]?[0-9][0-9A-Za-z.\- ]*)\s*", val)
                        if m:
                            version = m.group(1).strip()
                    if version:
                        out.append((v.strip(), n.strip(), version))
                walk(b.get("branches"), v, n)

        walk(doc.get("product_tree", {}).get("branches"))
    seen, unique = set(), []
    for p in out:
        if p not in seen:
            seen.add(p)
            unique.append(p)
    return unique


def go_modules(osv_dir, limit):
    mods = []
    for path in sorted(glob.glob(os.path.join(osv_dir, "*.json")))[: limit * 3]:
        doc = json.load(open(path, encoding="utf-8"))
        for a in doc.get("affected", []):
            pkg = a.get("package", {})
            for r in a.get("ranges", []):
                for e in r.get("events", []):
                    if "fixed" in e:
                        mods.append((pkg.get("name"), e["fixed"]))
    return sorted(set(m for m in mods if m[0]))[:limit]


def main():
    csaf_dir, osv_dir, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    ics = products(csaf_dir)
    go = go_modules(osv_dir, n // 5)
    comps = []
    for i, (vendor, name, version) in enumerate(ics):
        if len(comps) >= n - len(go):
            break
        comps.append({"type": "firmware", "bom-ref": f"ics-{i}", "supplier": {"name": vendor},
                      "name": name, "version": version})
    for i, (mod, fixed) in enumerate(go):
        # One release before the fix: inside most ranges.
        comps.append({"type": "library", "bom-ref": f"go-{i}", "name": mod, "version": fixed,
                      "purl": f"pkg:golang/{mod}@{fixed}"})
    i = 0
    while len(comps) < n:  # pad with more ICS products under new refs if the corpus ran short
        vendor, name, version = ics[i % len(ics)]
        comps.append({"type": "firmware", "bom-ref": f"pad-{i}", "supplier": {"name": vendor},
                      "name": name, "version": version})
        i += 1
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.5",
           "serialNumber": "urn:uuid:" + str(uuid.UUID(int=n)), "version": 1,
           "metadata": {"component": {"type": "application", "bom-ref": "plant", "name": "generated plant"}},
           "components": comps[:n]}
    json.dump(bom, open(out, "w", encoding="utf-8"), indent=1)
    print(f"{out}: {len(bom['components'])} components ({len(go)} Go modules)")


if __name__ == "__main__":
    main()
