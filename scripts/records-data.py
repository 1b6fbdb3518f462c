#!/usr/bin/env python3
"""Data files for the records chart, from a results directory.

usage: records-data.py RESULTS_DIR WORK_DIR

Reads RESULTS_DIR/summary.csv (columns found by header name: added columns
and comment lines are ignored) and the run's description from
RESULTS_DIR/results.json when it exists, and writes into WORK_DIR, for
scripts/records.gp:
  <metric>.dat       four blocks (cold/default, cold/off, warm/default,
                     warm/off), one line "x value" per method; NaN where a
                     case is absent or failed, so that any subset draws
  <metric>_ylim.dat  two numbers: the bottom and top of the panel's y axis
  methods.dat        one line "position label" per method, for the x tics
  subtitle.txt       the run's description, enhanced-text specials escaped
Everything gnuplot gets from a run is data in these files, never code.
"""
import csv
import json
import math
import os
import re
import sys

METRICS = ["wall_ns_median", "os_calls_median", "storage_ops_median",
           "device_reads_median", "major_faults_median", "minor_faults_median"]
SERIES = [("cold", "default"), ("cold", "off"), ("warm", "default"), ("warm", "off")]


def number(text):
    try:
        v = float(text)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def read_summary(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [line for line in f if not line.startswith("#")]
    # One row per case: the whole pass, where a suite also reports phases.
    return [r for r in csv.DictReader(rows) if r.get("phase", "total") in ("total", "")]


def read_context(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f).get("context", {})
    except (OSError, ValueError, AttributeError):
        return {}


def label(text):
    # Tic labels are data, but keep them to characters that need no quoting.
    return re.sub(r"[^A-Za-z0-9_.+()-]", "_", text or "?")


def y_range(metric, values):
    """The y axis (log scale) of a panel: times span their own values;
    counts start below 1, where a zero is labelled."""
    top = max(values, default=0.0)
    if metric == "wall_ns_median":
        positive = [v for v in values if v > 0]
        if not positive:
            return (1.0, 10.0)
        return (min(positive) / 4, max(positive) * 4)
    return (0.5, top * 2 if top > 5 else 10.0)


def write_panels(rows, work, methods):
    for metric in METRICS:
        values = []
        with open(os.path.join(work, metric + ".dat"), "w", encoding="utf-8") as f:
            for j, (cache, ra) in enumerate(SERIES):
                f.write("# %s/%s\n" % (cache, ra))
                for i, m in enumerate(methods):
                    v = None
                    for r in rows:
                        if (r.get("method"), r.get("cache"), r.get("readahead")) == (m, cache, ra) \
                                and r.get("status") == "ok":
                            v = number(r.get(metric))
                    if v is not None:
                        values.append(v / 1000.0 if metric == "wall_ns_median" else v)
                    # cluster i, bar j: four bars side by side around the method tick
                    f.write("%.3f %s\n" % (i + (j - 1.5) * 0.2, "NaN" if v is None else repr(v)))
                f.write("\n\n")
        with open(os.path.join(work, metric + "_ylim.dat"), "w", encoding="utf-8") as f:
            f.write("%r\n%r\n" % y_range(metric, values))


def subtitle(rows, ctx):
    first = rows[0] if rows else {}
    parts = ["%s x %s B records" % (first.get("records", "?"), first.get("record_size_bytes", "?"))]
    if ctx:
        kernel = str(ctx.get("kernel", "")).split(" ")[0]
        parts += ["%s on %s" % (ctx.get("filesystem", "?"), ctx.get("cpu", "?")),
                  "%s %s" % (ctx.get("os", "Linux"), kernel),
                  "readahead %s KiB" % ctx.get("readahead_kb", "?"),
                  "mmbench %s %s" % (ctx.get("mmbench_version", ""), ctx.get("git_commit", ""))]
    text = " | ".join(parts).replace("\n", " ")
    return re.sub(r"([\\_^{}@&~\"])", r"\\\1", text)  # enhanced-text specials print as themselves


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: records-data.py RESULTS_DIR WORK_DIR")
    results, work = sys.argv[1], sys.argv[2]
    rows = read_summary(os.path.join(results, "summary.csv"))
    methods = []
    for r in rows:
        if r.get("method") not in methods:
            methods.append(r.get("method"))
    if not methods:
        sys.exit("records-data.py: no case in %s" % os.path.join(results, "summary.csv"))
    failed = {r.get("method") for r in rows if r.get("status") != "ok"}
    write_panels(rows, work, methods)
    with open(os.path.join(work, "methods.dat"), "w", encoding="utf-8") as f:
        for i, m in enumerate(methods):
            f.write('%d "%s"\n' % (i, label(m) + (" (failed)" if m in failed else "")))
    with open(os.path.join(work, "subtitle.txt"), "w", encoding="utf-8") as f:
        f.write(subtitle(rows, read_context(os.path.join(results, "results.json"))) + "\n")
    print(len(methods))


if __name__ == "__main__":
    main()
