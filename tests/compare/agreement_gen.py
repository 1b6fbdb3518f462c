"""Writes two synthetic Google Benchmark files with repetitions into DIR:
exact-test sizes (n <= 8, no ties), large sizes with many ties (the normal
approximation's tie correction), mixed time units, and _median aggregates
(for the direction check). Deterministic: seeded.

usage: agreement_gen.py DIR
"""
import json
import random
import statistics
import sys

rng = random.Random(20240601)


def bench(name, values, cpu, unit):
    out = []
    for i, (v, c) in enumerate(zip(values, cpu)):
        out.append({"name": name, "run_name": name, "run_type": "iteration",
                    "repetitions": len(values), "repetition_index": i, "threads": 1,
                    "iterations": 1000, "real_time": v, "cpu_time": c, "time_unit": unit})
    out.append({"name": name + "_median", "run_name": name, "run_type": "aggregate",
                "aggregate_name": "median", "iterations": len(values),
                "real_time": statistics.median(values), "cpu_time": statistics.median(cpu),
                "time_unit": unit})
    return out


def side(shift):
    out = []
    # (name, reps, level, shift applies, tie granularity, unit)
    specs = [("BM_exact_small", 5, 100.0, True, None, "ns"),
             ("BM_exact_eight", 8, 3.5, False, None, "us"),
             ("BM_exact_uneven", 7, 20.0, True, None, "ms"),
             ("BM_ties_big", 30, 1000.0, True, 10.0, "ns"),
             ("BM_ties_same", 25, 50.0, False, 1.0, "us"),
             ("BM_large_noisy", 40, 7.0, True, None, "s")]
    for name, reps, level, applies, grain, unit in specs:
        f = shift if applies else 1.0
        vals, cpu = [], []
        for _ in range(reps):
            v = level * f * rng.lognormvariate(0, 0.05)
            c = v * 0.9
            if grain:
                v, c = round(v / grain) * grain, round(c / grain) * grain
            vals.append(v)
            cpu.append(c)
        out += bench(name, vals, cpu, unit)
    return {"context": {"json_schema_version": 1, "executable": "synthetic"}, "benchmarks": out}


d = sys.argv[1]
json.dump(side(1.0), open(f"{d}/gb_a.json", "w"), indent=1)
json.dump(side(1.04), open(f"{d}/gb_b.json", "w"), indent=1)
