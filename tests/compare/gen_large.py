"""Writes a Google Benchmark JSON file of BENCHMARKS x REPS iteration entries
(plus _mean/_median aggregates, as mmbench writes them), for measuring how
fast `mmbench compare` is on a large suite. Deterministic for a given SEED;
SLOWDOWN (e.g. 1.05) scales every tenth benchmark, so the comparison has
real work to do in every branch.

usage: gen_large.py OUT.json [BENCHMARKS=500] [REPS=30] [SEED=1] [SLOWDOWN=1.0]
"""
import json
import random
import sys

out = sys.argv[1]
nbench = int(sys.argv[2]) if len(sys.argv) > 2 else 500
reps = int(sys.argv[3]) if len(sys.argv) > 3 else 30
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
slow = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0

bench = []
for b in range(nbench):
    name = f"large/method{b % 6}/case:{b}"
    level = 1000.0 * (1 + b % 37) * (slow if b % 10 == 0 else 1.0)
    times = [level * rng.lognormvariate(0, 0.03) for _ in range(reps)]
    for i, t in enumerate(times):
        bench.append({"name": name, "run_name": name, "run_type": "iteration",
                      "repetitions": reps, "repetition_index": i, "threads": 1,
                      "iterations": 1, "real_time": round(t, 3), "cpu_time": round(t * 0.8, 3),
                      "time_unit": "ns", "os_calls": 5 + i % 2})
    s = sorted(times)
    for agg, v in (("mean", sum(times) / reps), ("median", s[reps // 2])):
        bench.append({"name": f"{name}_{agg}", "run_name": name, "run_type": "aggregate",
                      "aggregate_name": agg, "iterations": reps, "real_time": v,
                      "cpu_time": v * 0.8, "time_unit": "ns"})
json.dump({"context": {"json_schema_version": 1, "executable": "gen_large.py"},
           "benchmarks": bench}, open(out, "w"))
