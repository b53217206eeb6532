#!/usr/bin/env python3
"""Writes the crafted inputs of the hostile-input benchmark (bench/hostile.sh) into DIR.

Each input is one of the shapes that once cost quadratic time or unbounded memory:
  cdx-nested.json     CycloneDX: a 50-deep chain of components with 20 KB bom-refs, 1,000 leaves
                      under the deepest one (copying ancestor paths made such a file 2.1 GB);
                      JSON nesting is bounded at 128 levels, so about 60 components deep
  spdx-text.spdx      SPDX tag-value: one <text> value of 1.6 MB over 50,000 lines
  spdx-rels.spdx.json SPDX JSON: 10,000 packages and 80,000 relationships, many repeated
  osv-aliases/        one OSV YAML record with 100,000 aliases to a 1 MB scalar
  zones-limit/        a project at the limits for zones and conduits, every requirement a gap:
                      2,000 zones, 5,000 conduits, 5,000 assets
  zones-over/         2,001 zones (refused: over the limit)
  long-ref/           a project whose asset names a 100,000-character unknown zone
usage: gen_hostile.py DIR
"""
import json
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


# CycloneDX nested bom-refs.
leaves = [{"type": "library", "name": f"leaf{i}", "version": "1.0", "bom-ref": f"leaf-{i}"} for i in range(1000)]
node = {"type": "library", "name": "deep", "version": "1", "bom-ref": "d" * 20000 + "-50", "components": leaves}
for depth in range(49, 0, -1):
    node = {"type": "library", "name": f"n{depth}", "version": "1", "bom-ref": "d" * 20000 + f"-{depth}", "components": [node]}
write("cdx-nested.json", json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [node]}))

# SPDX tag-value <text> spanning 100,000 lines.
lines = "\n".join(f"comment line {i:06d} with some words" for i in range(50_000))
write("spdx-text.spdx", "\n".join([
    "SPDXVersion: SPDX-2.3", "DataLicense: CC0-1.0", "SPDXID: SPDXRef-DOCUMENT", "DocumentName: hostile",
    "DocumentNamespace: https://example.com/hostile", "Creator: Tool: gen", "Created: 2024-01-01T00:00:00Z", "",
    "PackageName: openssl", "SPDXID: SPDXRef-P", "PackageVersion: 3.0.7", "PackageDownloadLocation: NOASSERTION",
    "PackageComment: <text>" + lines + "</text>", ""]))

# SPDX JSON relationships.
pkgs = [{"SPDXID": f"SPDXRef-P{i}", "name": f"p{i}", "versionInfo": "1.0", "downloadLocation": "NOASSERTION"}
        for i in range(10_000)]
rels = [{"spdxElementId": f"SPDXRef-P{i % 10_000}", "relationshipType": "DEPENDS_ON",
         "relatedSpdxElement": f"SPDXRef-P{(i * 7 + 1) % 10_000}"} for i in range(80_000)]
rels.append({"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-P0"})
write("spdx-rels.spdx.json", json.dumps({
    "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "hostile",
    "documentNamespace": "https://example.com/hostile-rels",
    "creationInfo": {"creators": ["Tool: gen"], "created": "2024-01-01T00:00:00Z"},
    "packages": pkgs, "relationships": rels}))

# OSV YAML alias bomb.
os.makedirs(os.path.join(out, "osv-aliases"), exist_ok=True)
with open(os.path.join(out, "osv-aliases", "PYSEC-2099-1.yaml"), "w") as f:
    f.write("id: PYSEC-2099-1\nmodified: '2024-01-01T00:00:00Z'\n")
    f.write("details: &big " + "a" * (1 << 20) + "\naliases:\n")
    f.write("- *big\n" * 100_000)


def project(name, zones, long_ref=False):
    d = os.path.join(out, name)
    os.makedirs(os.path.join(d, "responses"), exist_ok=True)
    with open(os.path.join(d, "levee.toml"), "w") as f:
        f.write('[project]\nname = "hostile"\nkind = "asset-owner"\n')
    with open(os.path.join(d, "zones.toml"), "w") as f:
        for i in range(zones):
            f.write(f'[[zone]]\nid = "z{i}"\nname = "Zone {i}"\ncriticality = "high"\n\n')
    with open(os.path.join(d, "conduits.toml"), "w") as f:
        n = 0
        for step in range(1, 4):
            for i in range(zones - step):
                if n == min(5000, 3 * zones - 6):
                    break
                n += 1
                f.write(f'[[conduit]]\nid = "c{n}"\nname = "Conduit {n}"\nzones = ["z{i}", "z{i + step}"]\n\n')
    with open(os.path.join(d, "assets.toml"), "w") as f:
        for i in range(5000 if zones > 100 else zones):
            zone = "x" * 100_000 if long_ref and i == 0 else f"z{i % zones}"
            f.write(f'[[asset]]\nid = "a{i}"\nname = "Asset {i}"\nzone = "{zone}"\ntype = "plc"\n\n')


project("zones-limit", 2000)
project("zones-over", 2001)
project("long-ref", 10, long_ref=True)
