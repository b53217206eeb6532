#!/usr/bin/env python3
"""A large plant for the web UI benchmark: ZONES zones on five Purdue levels, a conduit from every
zone to one of the level above (plus a ring per level), ASSETS assets spread over the zones, and
the water-treatment example's levee.toml, program and risk register.

Usage: python3 bench/gen_plant.py OUT_DIR [ZONES] [ASSETS]   (defaults 500 and 20000)
"""
import os
import shutil
import sys

out = sys.argv[1]
zones = int(sys.argv[2]) if len(sys.argv) > 2 else 500
assets = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
here = os.path.dirname(os.path.abspath(__file__))
example = os.path.join(here, "..", "examples", "water-treatment")
os.makedirs(out, exist_ok=True)
for f in ("levee.toml", "program.toml"):
    shutil.copy(os.path.join(example, f), os.path.join(out, f))
levels = [4, 3.5, 3, 2, 1]
per = max(1, zones // len(levels))


def level_of(i):
    return levels[min(i // per, len(levels) - 1)]


crit = ["low", "medium", "high", "high", "high"]
with open(os.path.join(out, "zones.toml"), "w") as f:
    for i in range(zones):
        lv = level_of(i)
        f.write(
            f'[[zone]]\nid = "z{i:04d}"\nname = "Zone {i} (Purdue level {lv})"\n'
            f'purdue_level = {lv}\ncriticality = "{crit[levels.index(lv)]}"\n\n'
        )
with open(os.path.join(out, "conduits.toml"), "w") as f:
    n = 0
    for i in range(per, zones):
        up = i - per
        f.write(f'[[conduit]]\nid = "c{n:05d}"\nname = "Conduit {n}"\nzones = ["z{up:04d}", "z{i:04d}"]\n'
                f'direction = "bidirectional"\nprotocols = [{{ name = "opc-ua", port = 4840 }}]\n\n')
        n += 1
types = [("plc", "embedded-device"), ("hmi", "host-device"), ("scada-server", "host-device"),
         ("switch", "network-device"), ("rtu", "embedded-device")]
with open(os.path.join(out, "assets.toml"), "w") as f:
    for i in range(assets):
        t, ct = types[i % len(types)]
        z = i % zones
        f.write(
            f'[[asset]]\nid = "a{i:05d}"\nname = "Asset {i}"\nzone = "z{z:04d}"\ntype = "{t}"\n'
            f'component_type = "{ct}"\nvendor = "Vendor {i % 37}"\nmodel = "Model {i % 101}"\n'
            f'ip = ["10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"]\n\n'
        )
print(f"{out}: {zones} zones, {n} conduits, {assets} assets")
