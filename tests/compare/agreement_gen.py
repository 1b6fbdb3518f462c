"""Writes two synthetic Google Benchmark files with repetitions into DIR:
exact-test sizes (n <= 8, no ties), large sizes with many ties (the normal
approximation's tie correction), mixed time units, _median aggregates (for
the direction check), and error entries written as Google Benchmark writes
them (real_time and cpu_time 0, time_unit, iterations, error_occurred,
error_message): some repetitions of one benchmark, every repetition of
another, in head only. Deterministic: seeded.

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


def errored(name, reps, msg, unit):
    return [{"name": name, "run_name": name, "run_type": "iteration", "repetitions": reps,
             "repetition_index": i, "threads": 1, "iterations": 0, "real_time": 0,
             "cpu_time": 0, "time_unit": unit, "error_occurred": True, "error_message": msg}
            for i in range(reps)]


def side(shift, errors=False):
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
    good = [rng.lognormvariate(0, 0.05) * 10 for _ in range(10)]
    if errors:
        out += bench("BM_some_failed", good[:7], good[:7], "us")
        out += errored("BM_some_failed", 3, "open: Input/output error", "us")
        out += errored("BM_all_failed", 10, "not cold: 5 of 5 pages resident", "us")
    else:
        out += bench("BM_some_failed", good, good, "us")
        out += bench("BM_all_failed", good, good, "us")
    return {"context": {"json_schema_version": 1, "executable": "synthetic"}, "benchmarks": out}


d = sys.argv[1]
json.dump(side(1.0), open(f"{d}/gb_a.json", "w"), indent=1)
json.dump(side(1.04, errors=True), open(f"{d}/gb_b.json", "w"), indent=1)
