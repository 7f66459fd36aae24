#!/usr/bin/env python3
"""Joins benchmark JSON lines with the targets (tests/bench/targets.json and every
tests/bench/<area>/targets.json, keyed "bench.figure": "<3" or ">10000") into one table."""
import glob
import json
import os
import sys

targets = {}
base = os.path.dirname(os.path.abspath(sys.argv[1]))
for path in [sys.argv[1]] + sorted(glob.glob(os.path.join(base, "*", "targets.json"))):
    targets.update(json.load(open(path, encoding="utf-8")))


def judge(value, target):
    """A target is "<N" (below N), ">N" (above N), "<=N" (at most N), ">=N" (at least N) or
    "==N". The comparison is the one written: a figure equal to N misses "<N" and ">N"."""
    t = target.strip()
    for op in ("<=", ">=", "==", "<", ">"):
        if t.startswith(op):
            try:
                limit = float(t[len(op):])
            except ValueError:
                return "BAD TARGET"
            ok = {"<=": value <= limit, "<": value < limit, ">=": value >= limit,
                  ">": value > limit, "==": value == limit}[op]
            return "ok" if ok else "MISS"
    return "BAD TARGET"


seen = set()
rows = []
for line in open(sys.argv[2], encoding="utf-8"):
    line = line.strip()
    if not line.startswith("{"):
        continue
    try:
        rec = json.loads(line)
    except json.JSONDecodeError:
        continue
    name = rec.get("bench", "?")
    # Text fields (screen, set, resolution) tell apart the lines of one benchmark.
    label = name + "".join(f" {v}" for k, v in rec.items()
                           if k not in ("bench", "error") and isinstance(v, str))
    for key, value in rec.items():
        if key == "bench" or not isinstance(value, (int, float)) or isinstance(value, bool):
            if key == "error":
                rows.append((label, key, value, "", "FAIL"))
            continue
        target = targets.get(f"{name}.{key}")
        seen.add(f"{name}.{key}")
        rows.append((label, key, value, target or "", judge(value, target) if target else ""))

# Targets no benchmark reported: a renamed figure or a benchmark that did not run.
for full, target in sorted(targets.items()):
    if full not in seen and "." in full:
        name, key = full.split(".", 1)
        rows.append((name, key, "-", target, "NO FIGURE"))

w = [max(len(str(r[i])) for r in rows + [("bench", "figure", "value", "target", "")]) for i in range(5)]
print(f"{'bench':<{w[0]}}  {'figure':<{w[1]}}  {'value':>{w[2]}}  {'target':<{w[3]}}  result")
for r in rows:
    v = f"{r[2]:.3f}" if isinstance(r[2], float) else str(r[2])
    print(f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {v:>{w[2]}}  {r[3]:<{w[3]}}  {r[4]}")
judged = [r[4] for r in rows if r[3]]
print(f"{len(rows)} figures, {len(judged)} with targets: {judged.count('ok')} ok, "
      f"{judged.count('MISS')} missed, {len(judged) - judged.count('ok') - judged.count('MISS')} "
      "without a figure or unreadable")
