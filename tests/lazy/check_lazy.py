#!/usr/bin/env python3
"""Checks the lazy suite through the real binary: check_lazy.py TEST MMBENCH SCRIPTS

TEST is one of
  counters     every case ran and every sample was verified (the runner
               fails a pass whose records do not fold to the content
               function's checksum); the heap copy adds the file's size to
               RssAnon in its load phase and reads the whole file from storage
               when cold; the mapping's load phase adds nothing resident and
               reads nothing; a cold mapping takes its first major fault at
               the first record and never reads more than the file; warm
               cases take no major fault
  bad_options  bad values of the suite's options exit 2 and leave nothing
  chart        scripts/plot-lazy draws a subset, and refuses a results
               folder without summary.csv
Scratch files go under $MB_LAZY_TMP (default /var/tmp: disk-backed)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail  # noqa: E402

f = suitelib.num
SIZE = 2 << 20


def run_suite(mmbench, work, extra=()):
    """Runs the suite in a fresh --out; returns (summary rows, sample rows)."""
    out = os.path.join(work, "out")
    cmd = [mmbench, "run", "--suite", "lazy", "--quick", "--reps", "3", "--warmup", "1",
           "--out", out, "--dir", work, "--sizes", "2MiB", "--format", "csv,json",
           "--no-plot", "--quiet", *extra]
    suitelib.run_mmbench(cmd)
    summary = suitelib.read_csv(os.path.join(out, "summary.csv"))
    samples = suitelib.read_csv(os.path.join(out, "samples.csv"))
    return summary, samples, out


def rows_by(summary):
    by = {}
    for r in summary:
        by[(r["method"], r["order"], r["cache"], r["phase"])] = r
    return by


def test_counters(mmbench, work):
    fs = subprocess.run(["stat", "-f", "-c", "%T", work], capture_output=True, text=True)
    cold_ok = fs.stdout.strip() not in ("tmpfs", "ramfs")
    summary, samples, _ = run_suite(mmbench, work)
    for r in summary:
        if r["status"] != "ok":
            if r["cache"] == "cold" and not cold_ok:
                continue
            fail("%s: status %s (%s)" % (r["case"], r["status"], r["note"]))
    for s in samples:
        if s["verified"] != "1" and s["status"] == "ok":
            fail("sample not verified: %s" % s["case"])
    by = rows_by(summary)
    caches = ("cold", "warm") if cold_ok else ("warm",)
    for order in ("sequential", "random"):
        for cache in caches:
            heap = by[("heap", order, cache, "load")]
            if not 0.95 * SIZE <= f(heap, "rss_anon_bytes_median") <= 1.05 * SIZE + (1 << 20):
                fail("heap %s %s: load added %s bytes of RssAnon, want about %d" %
                     (order, cache, heap["rss_anon_bytes_median"], SIZE))
            load = by[("map", order, cache, "load")]
            for col in ("rss_anon_bytes_median", "rss_file_bytes_median", "major_faults_median",
                        "storage_bytes_median"):
                if abs(f(load, col)) > 64 * 1024:
                    fail("map %s %s: the load phase (mmap alone) shows %s = %s" %
                         (order, cache, col, load[col]))
            total = by[("map", order, cache, "total")]
            if cache == "warm":
                for m in ("heap", "map"):
                    if f(by[(m, order, cache, "total")], "major_faults_median") != 0:
                        fail("%s %s warm: major faults on a cached file" % (m, order))
            else:
                if f(by[("map", order, cache, "first")], "major_faults_median") < 1:
                    fail("map %s cold: no major fault at the first record" % order)
                if f(total, "storage_bytes_median") > 1.05 * SIZE:
                    fail("map %s cold: read %s bytes of a %d-byte file" %
                         (order, total["storage_bytes_median"], SIZE))
                if f(heap, "storage_bytes_median") < 0.95 * SIZE:
                    fail("heap %s cold: read %s bytes from storage, want the whole file" %
                         (order, heap["storage_bytes_median"]))
            if f(total, "rss_file_bytes_median") > 1.05 * SIZE + (1 << 20):
                fail("map %s %s: RssFile grew by %s, more than the file" %
                     (order, cache, total["rss_file_bytes_median"]))
    if os.listdir(work) != ["out"]:
        fail("scratch files left in --dir: %s" % os.listdir(work))


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--sizes", "12x"], ["--sizes", "1KiB"], ["--sizes", "1MiB,"], ["--sizes", ""],
           ["--record", "0"], ["--record", "4"], ["--record", "2GiB"], ["--orders", "backwards"],
           ["--methods", "heap,nope"], ["--caches", "hot"], ["--sizes", "64KiB", "--record",
                                                              "1MiB"]]
    suitelib.check_bad_options(mmbench, "lazy", work, scratch, bad)


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    plot = os.path.join(scripts, "plot-lazy")
    _, _, out = run_suite(mmbench, work, ("--orders", "random", "--methods", "map",
                                           "--caches", "warm"))
    suitelib.check_chart(plot, out, "lazy", ["mapping, warm"], "the series it drew")
    suitelib.check_chart_refuses_empty(plot, work)


def main():
    suitelib.main("check_lazy.py",
                  {"counters": test_counters, "bad_options": test_bad_options,
                   "chart": test_chart},
                  "MB_LAZY_TMP", "mb-lazy-test.")


if __name__ == "__main__":
    main()
