#!/usr/bin/env python3
"""Compares Levee's scan findings with cve-bin-tool's on the same SBOM.

usage: compare_cvebt.py SBOM.json LEVEE_SCAN.json CVEBT.json [CVEBT_DB]

Prints the counts, the agreement, and each difference sorted into a cause found in the data. With
CVEBT_DB (cve-bin-tool's cve.db), a pair only Levee reports is put in the cause the peer's own
database row shows:

  osv-purl            a purl component matched from OSV data, which the peer's database does not hold
  name-spelling       the peer has the row, under the product name lower-cased with `_` for every
                      run of spaces and punctuation (`Web Client` -> `web_client`, `CMS-770` ->
                      `cms_770`); it looks an SBOM name up as written, so such a name never matches
  model-number        the peer stored the product with its ordering number (`scalance_xb205_3_sc_pn_
                      6gk5205_3bb00_2ab2`) and the SBOM names it without, or the other way round;
                      Levee files a product under its name with and without the ordering number and
                      matches model-number patterns
  v-prefix            the peer has the row, but compares a version with a leading `V` and one
                      without as different schemes (`13.2 < V14.1.0.6` is false for it); Levee's
                      industrial comparator reads both as the same version
  vendor-in-name      the SBOM name starts with the vendor or brand (`Advantech WebAccess`,
                      `Allen-Bradley MicroLogix 1100`) and the peer's row has the bare product;
                      Levee strips the vendor's names from product names on both sides
  free-text-bound     the peer has the row, but its version or bound is text it cannot compare
                      (`8.2_20170817`, `Build 2019-09-21`, `R4.1L1`, `20 | <= 30.014`, a list
                      `1.8.29 | 1.8.44`); Levee reads these with its industrial comparator or
                      reports needs-review with the text
  vendor-in-product   the peer stored the CSAF product as `vendor_product`
  all-versions-row    the peer's row says `*` with no bounds (the advisory says all versions)
  no-peer-row         the peer's database has no row for the CVE at all
  other               none of the above (listed one by one)

Pairs only cve-bin-tool reports are grouped by component (vendor, name, version) with Levee's own
state for the pair, so each group can be explained from the advisory.
"""
import collections
import json
import re
import sqlite3
import sys


def norm(s):
    return re.sub(r"[^a-z0-9]+", "", (s or "").lower())


def cve_of(f):
    ids = [f["vulnerability"]] + f.get("aliases", [])
    return next((i for i in ids if i.startswith("CVE-")), f["vulnerability"])


def peer_rows(db_path):
    rows = collections.defaultdict(list)
    if db_path:
        db = sqlite3.connect(db_path)
        for cve, vendor, product, version, *bounds in db.execute(
            "select cve_number, vendor, product, version, versionStartIncluding, "
            "versionStartExcluding, versionEndIncluding, versionEndExcluding from cve_range"
        ):
            rows[cve].append((vendor, product, version, tuple(bounds)))
    return rows


def cause(component, cve, rows):
    if "purl" in component:
        return "osv-purl"
    found = rows.get(cve, [])
    if not found:
        return "no-peer-row"
    name = component["name"].strip().lower()
    underscored = re.sub(r"[^a-z0-9]+", "_", name).strip("_")
    for _, product, version, bounds in found:
        if product == underscored and product != name:
            return "name-spelling"
    models = [re.sub(r"[^a-z0-9]+", "_", m).strip("_") for m in re.findall(r"\(([^()]*\d[^()]*)\)", name)]
    for _, product, version, bounds in found:
        if product.startswith(underscored + "_") or underscored.startswith(product + "_"):
            return "model-number"
        if any(len(m) >= 6 and m in product for m in models):
            return "model-number"
    ours = component.get("version", "")
    for _, product, version, bounds in found:
        if norm(product) == norm(name) or product == underscored:
            texts = [b for b in bounds if b] + ([version] if version != "*" else [])
            if any(bool(re.match(r"[vV]\d", t)) != bool(re.match(r"[vV]\d", ours)) for t in texts):
                return "v-prefix"
    for _, product, version, bounds in found:
        if underscored.endswith("_" + product):
            return "vendor-in-name"
    for _, product, version, bounds in found:
        if norm(product) == norm(name) or product == underscored:
            texts = [b for b in bounds if b] + ([version] if version != "*" else [])
            if any("|" in t or re.search(r"[a-uw-z_ ]", t.lower()) for t in texts + [ours]):
                return "free-text-bound"
    for row_vendor, product, version, bounds in found:
        if norm(product).endswith(norm(name)) and norm(product) != norm(name):
            return "vendor-in-product"
    for _, product, version, bounds in found:
        if norm(product) == norm(name) and version == "*" and not any(bounds):
            return "all-versions-row"
    return "other"


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    sbom = json.load(open(sys.argv[1], encoding="utf-8"))
    levee = json.load(open(sys.argv[2], encoding="utf-8"))
    cvebt = json.load(open(sys.argv[3], encoding="utf-8"))
    rows = peer_rows(sys.argv[4] if len(sys.argv) > 4 else None)
    comps = {c["bom-ref"]: c for c in sbom["components"]}
    by_key = collections.defaultdict(set)
    for c in sbom["components"]:
        by_key[(norm(c["name"]), c.get("version", ""))].add(c["bom-ref"])

    ours, state_of = set(), {}
    states = collections.Counter()
    for f in levee["findings"]:
        ref = f["component"]["bom_ref"]
        states[f.get("state")] += 1
        for i in [f["vulnerability"]] + f.get("aliases", []):
            state_of[(ref, i)] = f["state"]
        if f.get("state") in ("affected", "needs-review"):
            ours.add((ref, cve_of(f)))
    theirs, unmapped = set(), 0
    for r in cvebt:
        refs = by_key.get((norm(r["product"]), r["version"]))
        if not refs:
            # cve-bin-tool reports the product as it normalised it; fall back to a looser key.
            refs = {ref for (n, v), rs in by_key.items() if v == r["version"] and norm(r["product"]) in n for ref in rs}
        if not refs:
            unmapped += 1
            continue
        for ref in refs:
            theirs.add((ref, r["cve_number"]))
    both, only_ours, only_theirs = ours & theirs, ours - theirs, theirs - ours
    print(f"levee findings: {sum(states.values())}  states: {dict(states)}")
    print(f"cve-bin-tool findings: {len(cvebt)} rows, {len(theirs)} (component, CVE) pairs, {unmapped} unmapped")
    print(f"agreement: {len(both)}; only levee: {len(only_ours)}; only cve-bin-tool: {len(only_theirs)}")

    print("\n## only Levee, by cause (Levee state)")
    causes = collections.Counter()
    samples = collections.defaultdict(list)
    for ref, cve in sorted(only_ours):
        c = comps[ref]
        k = (cause(c, cve, rows) if rows else "unclassified", state_of.get((ref, cve)))
        causes[k] += 1
        if k[0] == "other" or len(samples[k]) < 1:
            samples[k].append(f"{cve} {c.get('supplier', {}).get('name', '')!r} {c['name']!r} {c.get('version')!r}")
    for k, n in causes.most_common():
        print(f"{n:7}  {k[0]} ({k[1]})")
        for s in samples[k] if k[0] == "other" else samples[k][:1]:
            print(f"           e.g. {s}")

    print("\n## only cve-bin-tool, by component (Levee's state for the pair)")
    groups = collections.Counter()
    for ref, cve in only_theirs:
        c = comps[ref]
        groups[(c.get("supplier", {}).get("name", "(purl)"), c["name"], c.get("version"), state_of.get((ref, cve), "no finding"))] += 1
    for (vendor, name, version, state), n in groups.most_common():
        print(f"{n:7}  {vendor!r} {name!r} {version!r}: Levee {state}")


if __name__ == "__main__":
    main()
