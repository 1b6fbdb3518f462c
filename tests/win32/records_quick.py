"""Runs `mmbench.exe run --suite records --quick` (under Wine when an
emulator is given, as the cross build does) and reads what it wrote back:
samples.csv, summary.csv and results.json must be there, complete and
honest about where they were measured: under Wine every file says so
(detected, not configured), counters Wine cannot give are absent rather
than 0, and no case is labelled cold that was not. Formats and facts only:
no timing is judged.
Usage: records_quick.py MMBENCH_EXE [EMULATOR...]"""
import csv
import glob
import io
import json
import os
import re
import subprocess
import sys
import tempfile

METHODS = ["ReadFile", "fread", "MapViewOfFile", "floor"]
CASES = [f"records/{m}/cache:{c}/readahead:{r}"
         for m in METHODS for c in ("cold", "warm") for r in ("default", "off")]
RECORDS = 1000
REPS = 5  # --quick

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def read_csv(path):
    """(rows as dicts, footer dict); header on line 1, '# key: value' after."""
    with open(path, "rb") as f:
        raw = f.read()
    check(b"\r" not in raw, f"{path}: has \\r (written in text mode?)")
    text = raw.decode("utf-8")
    lines = text.split("\n")
    check(lines[-1] == "", f"{path}: no final newline")
    lines = lines[:-1]
    cut = next((i for i, l in enumerate(lines) if l.startswith("#")), len(lines))
    footer = {}
    for line in lines[cut:]:
        m = re.match(r"^# ([a-z_]+): (.*)$", line)
        if check(m, f"{path}: not a '# key: value' line: {line!r}"):
            footer[m.group(1)] = m.group(2)
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[:cut]) + "\n"), strict=True))
    return rows, footer


def scratch_files():
    """The records suite's scratch files in the default --dir (%TEMP%: in the
    Wine prefix's drive_c under Wine)."""
    prefix = os.environ.get("WINEPREFIX")
    if prefix:
        pattern = os.path.join(prefix, "drive_c", "users", "*", "**", "mmbench-records-*")
    else:
        pattern = os.path.join(os.environ.get("TEMP", "."), "mmbench-records-*")
    return set(glob.glob(pattern, recursive=True))


def main():
    exe, emulator = sys.argv[1], sys.argv[2:]
    under_wine = any("wine" in os.path.basename(e) for e in emulator)
    before = scratch_files()
    with tempfile.TemporaryDirectory(prefix="mmbench-win32-") as tmp:
        # A relative --out: Wine maps the current directory, no path translation needed.
        cmd = emulator + [exe, "run", "--suite", "records", "--quick", "--out", "out"]
        run = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=600)
        sys.stdout.write(run.stdout)
        sys.stderr.write(run.stderr)
        check(run.returncode == 0, f"exit code {run.returncode}, expected 0 (unsupported cases "
              "are reported, not failures)")
        check(scratch_files() <= before, f"scratch files left behind: {scratch_files() - before}")
        out = os.path.join(tmp, "out")
        for name in ("samples.csv", "summary.csv", "results.json"):
            check(os.path.isfile(os.path.join(out, name)), f"{name} was not written")
        if errors:
            return
        check(not [n for n in os.listdir(out) if ".tmp." in n], "a temporary file was left")
        check_json(os.path.join(out, "results.json"), under_wine)
        check_summary(os.path.join(out, "summary.csv"), under_wine)
        check_samples(os.path.join(out, "samples.csv"), under_wine)


def cold_possible(method, under_wine):
    """Where a cold case can be measured, rather than reported unsupported."""
    return method == "floor" or (method == "ReadFile" and not under_wine)


def check_json(path, under_wine):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    ctx = doc["context"]
    check(ctx.get("json_schema_version") == 1, "context.json_schema_version is not 1")
    check(ctx.get("os") == "Windows", f"context.os is {ctx.get('os')!r}")
    check(ctx.get("allocation_granularity") == 65536, "allocation_granularity is not 64 KiB")
    check(ctx.get("under_wine") is under_wine, f"context.under_wine is {ctx.get('under_wine')!r}")
    if under_wine:
        check(ctx.get("wine_version"), "no wine_version in the context")
        check("not Windows timings" in ctx.get("timing_note", ""), "no timing_note under Wine")
        check("Wine" in ctx.get("kernel", ""), "the kernel string does not name Wine")
    for key in ("counters_note", "cache_note"):
        check(ctx.get(key), f"context.{key} is missing")
    check(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$", ctx.get("date", "")),
          f"context.date is not ISO 8601 with an offset: {ctx.get('date')!r}")
    by_case = {}
    for b in doc["benchmarks"]:
        by_case.setdefault(b["run_name"], []).append(b)
    check(sorted(by_case) == sorted(CASES), f"cases: {sorted(by_case)}")
    for name, entries in by_case.items():
        method, cache = name.split("/")[1], name.split("/")[2][6:]
        if cache == "cold" and not cold_possible(method, under_wine):
            check(len(entries) == 1 and entries[0].get("error_occurred") is True and
                  "cold" in entries[0].get("error_message", ""),
                  f"{name}: not reported as unsupported: {entries}")
            if under_wine:
                check("Wine" in entries[0].get("error_message", ""),
                      f"{name}: the reason does not name Wine")
            continue
        its = [e for e in entries if e["run_type"] == "iteration"]
        aggs = {e["aggregate_name"]: e for e in entries if e["run_type"] == "aggregate"}
        check(len(its) == REPS and not any(e.get("error_occurred") for e in its),
              f"{name}: {len(its)} iterations, expected {REPS} without errors")
        check(set(aggs) >= {"mean", "median", "stddev", "cv"}, f"{name}: aggregates {sorted(aggs)}")
        check(aggs.get("median", {}).get("real_time", 0) > 0, f"{name}: no median time")
        for e in its:
            check("cpu_time" in e, f"{name}: no cpu_time (Google Benchmark readers need it)")
            check("resident_before" not in e, f"{name}: a residency Windows cannot know")
            for absent in ("major_faults", "storage_bytes", "storage_ops"):
                check(absent not in e, f"{name}: {absent} written though Windows has none")
            if under_wine:
                check("minor_faults" not in e, f"{name}: Wine's PageFaultCount (always 0) written")
            calls = e.get("os_calls")
            if method == "ReadFile" and under_wine:
                # Counted by the method itself: one ReadFile per record.
                check(calls == RECORDS, f"{name}: os_calls {calls}, expected {RECORDS}")
            elif method == "ReadFile":
                # GetProcessIoCounters counts every read of the process.
                check(calls is not None and calls >= RECORDS,
                      f"{name}: os_calls {calls}, expected at least {RECORDS}")
            elif method == "MapViewOfFile" and under_wine:
                check(calls == 0, f"{name}: os_calls {calls}, expected 0 (page faults, no calls)")
            elif under_wine:
                check(calls is None, f"{name}: os_calls {calls} though nothing could count them")


def check_summary(path, under_wine):
    rows, footer = read_csv(path)
    check([r["case"] for r in rows] == CASES, "summary.csv: not one row per case in order")
    for r in rows:
        method, cache = r["method"], r["cache"]
        if cache == "cold" and not cold_possible(method, under_wine):
            check(r["status"] == "unsupported on this platform" and "cold" in r["note"],
                  f"summary.csv {r['case']}: status {r['status']!r}, note {r['note']!r}")
        else:
            check(r["status"] == "ok" and r["n"] == str(REPS),
                  f"summary.csv {r['case']}: status {r['status']!r}, n {r['n']}")
            check(r["resident_before_median"] == "", f"summary.csv {r['case']}: residency given")
    # The run's description (os, notes, Wine) lives in results.json: check_json.
    check(not footer, "summary.csv: comment lines after the table")


def check_samples(path, under_wine):
    rows, footer = read_csv(path)
    ok_cases = [c for c in CASES if "cache:warm" in c or
                cold_possible(c.split("/")[1], under_wine)]
    check([r["case"] for r in rows] == [c for c in ok_cases for _ in range(REPS)],
          "samples.csv: not REPS rows for every measured case, in order")
    for r in rows:
        check(r["cache_ok"] == "1" and r["verified"] == "1",
              f"samples.csv {r['case']}: cache_ok {r['cache_ok']}, verified {r['verified']}")
        check(r["resident_before"] == "" and r["major_faults"] == "",
              f"samples.csv {r['case']}: values Windows cannot measure")
        if r["method"] == "ReadFile" and under_wine:
            check(r["os_calls"] == str(RECORDS), f"samples.csv {r['case']}: os_calls {r['os_calls']}")
    check(not footer, "samples.csv: comment lines after the table")


if __name__ == "__main__":
    main()
    for e in errors:
        print(f"records_quick: FAIL {e}")
    print(f"records_quick: {'FAILED' if errors else 'ok'} ({len(errors)} problem(s))")
    sys.exit(1 if errors else 0)
