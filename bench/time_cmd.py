#!/usr/bin/env python3
"""Times whole commands: 20 warm-up runs, then 200 measured runs each; prints median and p95 in ms."""
import shlex
import statistics
import subprocess
import sys
import time


def run(cmd: str, n: int = 200) -> tuple[float, float]:
    argv = shlex.split(cmd)
    for _ in range(20):
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
    samples = []
    for _ in range(n):
        t = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, check=True)
        samples.append((time.perf_counter() - t) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


print("| command | median ms | p95 ms |")
print("|---|---|---|")
for cmd in sys.argv[1:]:
    med, p95 = run(cmd)
    print(f"| `{cmd}` | {med:.2f} | {p95:.2f} |")
