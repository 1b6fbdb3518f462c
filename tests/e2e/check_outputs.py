"""Reads back what one `mmbench run --suite records` wrote and checks its
shape: samples.csv (one row per case x repetition for the whole pass,
phase "total"), summary.csv (one row per case), both with the header on
line 1 (any "# key: value" lines after the rows are checked too, while the
CSV still has them); results.json in Google Benchmark's schema. Formats and consistency only: no
timing is judged. Usage: check_outputs.py OUT --reps N --records N
--record-size N --methods a,b,..."""
import argparse
import csv
import io
import itertools
import json
import math
import os
import re
import sys

SERIES = ["suite", "case", "method", "cache", "readahead", "access", "records",
          "record_size_bytes"]
FIELDS = ["wall_ns", "user_ns", "sys_ns", "os_calls", "storage_bytes", "storage_ops",
          "major_faults", "minor_faults"]
SAMPLE_COLS = ["rep", "passes", "cache_ok", "verified", "resident_before", "file_pages"]
SUMMARY_COLS = ["status", "n", "reps", "cache_misses", "wall_ns_min", "wall_ns_median",
                "wall_ns_mean", "wall_ns_stddev", "wall_ns_cv", "wall_ns_p90", "wall_ns_max",
                "resident_before_median", "file_pages_median", "note"]
FOOTER_KEYS = ["mmbench_version", "git_commit", "command_line", "date", "os", "kernel", "cpu",
               "num_cpus", "filesystem", "page_size", "thp", "readahead_kb"]
CONTEXT_KEYS = ["date", "host_name", "executable", "num_cpus", "library_build_type",
                "mmbench_version", "git_commit", "command_line", "suite", "os", "kernel",
                "arch", "cpu", "filesystem", "page_size", "allocation_granularity", "thp",
                "timer_resolution_ns", "timer_overhead_ns", "repetitions", "seed", "options"]
TEXT_COLS = {"status", "note", "item", "phase"}  # the non-numeric columns after the series
NAME_RE = re.compile(r"^records/([a-z-]+)/cache:(cold|warm)/readahead:(default|off)$")

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def read_csv(path):
    """Returns (header, rows as dicts, footer dict) and checks the layout."""
    with open(path, newline="", encoding="utf-8") as f:
        text = f.read()
    check(text.endswith("\n"), f"{path}: no final newline")
    lines = text.split("\n")[:-1]
    check(lines and not lines[0].startswith("#"), f"{path}: line 1 is not the header")
    first_comment = next((i for i, l in enumerate(lines) if l.startswith("#")), len(lines))
    data, footer_lines = lines[:first_comment], lines[first_comment:]
    check(all(l for l in data), f"{path}: blank line among the rows")
    footer = {}
    for l in footer_lines:
        m = re.match(r"^# ([a-z_]+): (.*)$", l)
        if check(m, f"{path}: not a '# key: value' line: {l!r}"):
            footer[m.group(1)] = m.group(2)
    reader = csv.reader(io.StringIO("\n".join(data) + "\n"), strict=True)
    table = list(reader)
    header = table[0]
    rows = []
    for n, r in enumerate(table[1:], 2):
        if check(len(r) == len(header), f"{path}:{n}: {len(r)} fields, header has {len(header)}"):
            rows.append(dict(zip(header, r)))
    for key in FOOTER_KEYS if footer else []:
        check(key in footer, f"{path}: no '# {key}:' line")
    check(all(re.match(r"^[a-z][a-z0-9_]*$", h) for h in header), f"{path}: header not snake_case")
    return header, rows, footer


def number(path, row, col):
    """The cell as a float; None when empty (unavailable). Never NaN/inf."""
    v = row[col]
    if v == "":
        return None
    try:
        x = float(v)
    except ValueError:
        errors.append(f"{path}: {row['case']} {col} = {v!r} is not a number")
        return None
    check(math.isfinite(x) and v.lower() not in ("nan", "inf", "-inf"),
          f"{path}: {row['case']} {col} = {v!r}")
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--reps", type=int, required=True)
    ap.add_argument("--records", type=int, required=True)
    ap.add_argument("--record-size", type=int, required=True)
    ap.add_argument("--methods", required=True)
    a = ap.parse_args()
    methods = a.methods.split(",")
    cases = [f"records/{m}/cache:{c}/readahead:{r}"
             for m, c, r in itertools.product(methods, ["cold", "warm"], ["default", "off"])]

    # ---- samples.csv
    p = os.path.join(a.out, "samples.csv")
    header, rows, footer = read_csv(p)
    if "phase" in header:
        rows = [r for r in rows if r["phase"] == "total"]
    check(header[:len(SERIES)] == SERIES, f"{p}: series columns {header[:len(SERIES)]}")
    for col in SAMPLE_COLS + FIELDS:
        check(col in header, f"{p}: no column {col}")
    check(len(rows) == len(cases) * a.reps, f"{p}: {len(rows)} rows, want {len(cases) * a.reps}")
    check([r["case"] for r in rows] == [c for c in cases for _ in range(a.reps)],
          f"{p}: rows not in case order, one per case x rep")
    for r in rows:
        m = NAME_RE.match(r["case"])
        if not check(m, f"{p}: case name {r['case']!r}"):
            continue
        check((r["method"], r["cache"], r["readahead"]) == m.groups(),
              f"{p}: {r['case']} columns disagree with its name")
        check(r["records"] == str(a.records) and r["record_size_bytes"] == str(a.record_size),
              f"{p}: {r['case']} records/record_size_bytes")
        check(r["verified"] == "1" and r["cache_ok"] == "1", f"{p}: {r['case']} rep {r['rep']} not ok")
        for col in header[len(SERIES):]:
            if col not in TEXT_COLS:
                number(p, r, col)
        check(number(p, r, "wall_ns") is not None, f"{p}: {r['case']} without wall_ns")
    reps_seen = {}
    for r in rows:
        reps_seen.setdefault(r["case"], []).append(r["rep"])
    for c, reps in reps_seen.items():
        check(reps == [str(i) for i in range(a.reps)], f"{p}: {c} reps {reps}")
    if footer:
        check(footer.get("command_line", "").startswith("mmbench run"), f"{p}: command_line")

    # ---- summary.csv
    p = os.path.join(a.out, "summary.csv")
    sheader, srows, _ = read_csv(p)
    if "phase" in sheader:
        srows = [r for r in srows if r["phase"] == "total"]
    check(sheader[:len(SERIES)] == SERIES, f"{p}: series columns")
    for col in SUMMARY_COLS + [f + "_median" for f in FIELDS if f != "wall_ns"]:
        check(col in sheader, f"{p}: no column {col}")
    check([r["case"] for r in srows] == cases, f"{p}: one row per case in order")
    summary = {r["case"]: r for r in srows}
    for r in srows:
        check(r["status"] == "ok", f"{p}: {r['case']} status {r['status']}: {r['note']}")
        check(r["n"] == str(a.reps) and r["reps"] == str(a.reps), f"{p}: {r['case']} n/reps")
        for col in sheader[len(SERIES):]:
            if col not in TEXT_COLS:
                number(p, r, col)
        lo, med, hi = (number(p, r, k) for k in ("wall_ns_min", "wall_ns_median", "wall_ns_max"))
        check(None not in (lo, med, hi) and lo <= med <= hi, f"{p}: {r['case']} min<=median<=max")

    # ---- results.json
    p = os.path.join(a.out, "results.json")

    def no_constants(name):
        raise ValueError(f"{p}: holds {name}")

    try:
        with open(p, encoding="utf-8") as f:
            doc = json.load(f, parse_constant=no_constants)
    except ValueError as e:
        errors.append(f"{p}: not strict JSON: {e}")
        doc = {}
    ctx = doc.get("context", {})
    check(ctx.get("json_schema_version") == 1, f"{p}: json_schema_version")
    for key in CONTEXT_KEYS:
        check(key in ctx, f"{p}: context lacks {key}")
    check(ctx.get("suite") == "records" and ctx.get("repetitions") == a.reps, f"{p}: suite/reps")
    benches = doc.get("benchmarks", [])
    iters = [b for b in benches if b.get("run_type") == "iteration"]
    aggs = [b for b in benches if b.get("run_type") == "aggregate"]
    check(len(iters) == len(cases) * a.reps, f"{p}: {len(iters)} iteration entries")
    check(len(aggs) == len(cases) * 4, f"{p}: {len(aggs)} aggregate entries")
    for b in iters:
        check(b.get("name") == b.get("run_name") and NAME_RE.match(b.get("name", "")),
              f"{p}: iteration name {b.get('name')!r}")
        check(not b.get("error_occurred"), f"{p}: {b.get('name')} error {b.get('error_message')}")
        check(b.get("time_unit") == "ns" and isinstance(b.get("real_time"), (int, float)),
              f"{p}: {b.get('name')} real_time/time_unit")
        for fld in ["os_calls", "major_faults", "minor_faults", "resident_before"]:
            check(isinstance(b.get(fld), (int, float)), f"{p}: {b.get('name')} lacks {fld}")
    for c in cases:
        got = sorted(b["aggregate_name"] for b in aggs if b.get("run_name") == c)
        check(got == ["cv", "mean", "median", "stddev"], f"{p}: {c} aggregates {got}")
        med = [b for b in aggs if b.get("name") == c + "_median"]
        if check(len(med) == 1, f"{p}: no {c}_median"):
            # the CSV keeps 6 significant digits
            want = float(summary[c]["wall_ns_median"])
            check(math.isclose(med[0]["real_time"], want, rel_tol=1e-5),
                  f"{p}: {c} median {med[0]['real_time']} but summary.csv says {want}")
    for b in benches:
        for k, v in b.items():
            check(not isinstance(v, float) or math.isfinite(v), f"{p}: {b.get('name')} {k}={v}")

    for e in errors:
        print("FAIL:", e, file=sys.stderr)
    if not errors:
        print(f"ok: {len(rows)} samples, {len(srows)} cases, {len(benches)} JSON entries")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
