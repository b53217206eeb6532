#!/usr/bin/env python3
"""Writes a CycloneDX 1.5 JSON SBOM of about SIZE megabytes, shaped like syft output (bom-refs with
package ids, purls across npm/PyPI/Go/Cargo, a license, a hash, an external reference and two
properties per component), for the memory benchmark of the SBOM reader.

usage: bench/gen_big_sbom.py SIZE_MB OUT
"""
import json
import random
import sys


def main():
    size_mb, out = int(sys.argv[1]), sys.argv[2]
    random.seed(size_mb)
    target = size_mb * 1_000_000
    with open(out, "w") as f:
        f.write('{"bomFormat":"CycloneDX","specVersion":"1.5",'
                '"serialNumber":"urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79","version":1,'
                '"metadata":{"timestamp":"2024-01-01T00:00:00Z",'
                '"component":{"type":"application","name":"app","version":"1"}},"components":[')
        i = 0
        while f.tell() < target:
            if i:
                f.write(",")
            eco = ["npm", "pypi", "golang", "cargo"][i % 4]
            name = f"github.com/x/pkg{i}" if eco == "golang" else f"pkg{i}"
            version = f"1.{i % 50}.{i % 7}"
            c = {
                "type": "library",
                "bom-ref": f"pkg:{eco}/{name}@{version}?package-id={i:016x}",
                "name": name,
                "version": version,
                "purl": f"pkg:{eco}/{name}@{version}",
                "description": "A library component generated for the memory benchmark of the SBOM reader " * 2,
                "licenses": [{"license": {"id": "MIT"}}],
                "hashes": [{"alg": "SHA-256", "content": "%064x" % random.getrandbits(256)}],
                "externalReferences": [{"type": "vcs", "url": f"https://github.com/x/pkg{i}"}],
                "properties": [
                    {"name": "syft:package:foundBy", "value": "javascript-package-cataloger"},
                    {"name": "syft:location:0:path", "value": f"/usr/lib/node_modules/pkg{i}/package.json"},
                ],
            }
            f.write(json.dumps(c))
            i += 1
        f.write("]}")
    print(f"{out}: {i} components")


if __name__ == "__main__":
    main()
