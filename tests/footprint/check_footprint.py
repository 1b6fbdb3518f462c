#!/usr/bin/env python3
"""Checks the footprint suite through the real binary:
check_footprint.py TEST MMBENCH SCRIPTS

TEST is one of
  counters     every case ran and every sample was verified (the bytes
               touched must sum as the content function says); a heap copy
               adds the file's size to RssAnon whatever k is, and nothing to
               RssFile; touching k pages of a mapping adds about k pages to
               RssFile (at least k, at most k plus one fault-around window
               or large folio) and nothing to RssAnon; after a pass the whole
               file is in the page cache for a heap copy, and when warm; the
               commit charge grows by about the file for a heap copy, by far
               less for a shared or read-only mapping (system-wide, so with a
               margin for other processes)
  bad_options  bad values of the suite's options exit 2 and leave nothing
  chart        scripts/plot-footprint draws a subset, and refuses a results
               folder without summary.csv
Scratch files go under $MB_FOOTPRINT_TMP (default /var/tmp: disk-backed)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail  # noqa: E402

f = suitelib.num
SIZE = 32 << 20
PAGE = 4096
SLACK = 2 << 20  # a fault maps up to a fault-around window or a 2 MiB folio


def run_suite(mmbench, work, extra=()):
    out = os.path.join(work, "out")
    cmd = [mmbench, "run", "--suite", "footprint", "--quick", "--reps", "5", "--warmup", "1",
           "--out", out, "--dir", work, "--size", "32MiB", "--format", "csv,json",
           "--no-plot", "--quiet", *extra]
    suitelib.run_mmbench(cmd)
    summary = suitelib.read_csv(os.path.join(out, "summary.csv"), "total")
    samples = suitelib.read_csv(os.path.join(out, "samples.csv"))
    return summary, samples, out


def touched(touch):
    return {"1-page": 1, "10pct": (SIZE // PAGE + 9) // 10, "all": SIZE // PAGE}[touch]


def check_row(r):
    name, m = r["case"], r["method"]
    k = touched(r["touch"])
    if f(r, "work_items_median") != k:
        fail("%s: work_items %s, want %d pages" % (name, r["work_items_median"], k))
    anon, rfile = f(r, "rss_anon_bytes_median"), f(r, "rss_file_bytes_median")
    if m == "heap":
        if not 0.98 * SIZE <= anon <= SIZE + SLACK:
            fail("%s: RssAnon grew by %d, want about the file (%d)" % (name, anon, SIZE))
        if abs(rfile) > SLACK:
            fail("%s: RssFile grew by %d for a heap copy" % (name, rfile))
        if f(r, "cache_pages_after_median") != SIZE // PAGE:
            fail("%s: %s pages cached after reading the whole file" %
                 (name, r["cache_pages_after_median"]))
    else:
        if not k * PAGE <= rfile <= k * PAGE + SLACK:
            fail("%s: RssFile grew by %d after touching %d pages (want %d .. %d)" %
                 (name, rfile, k, k * PAGE, k * PAGE + SLACK))
        if abs(anon) > SLACK:
            fail("%s: RssAnon grew by %d for a mapping read" % (name, anon))
    if r["cache"] == "warm" and f(r, "cache_pages_after_median") != SIZE // PAGE:
        fail("%s: warm, but %s pages cached after" % (name, r["cache_pages_after_median"]))
    commit = f(r, "commit_change_bytes_median")
    if m == "heap" and commit < 0.5 * SIZE:
        fail("%s: the commit charge grew by %d for a %d-byte heap copy" % (name, commit, SIZE))
    # Committed_AS is machine-wide: other processes move it too (by up to
    # 18 MB in one pass here, under ASan with tests running in parallel).
    # A mapping that was charged its size would show the whole SIZE.
    if m in ("shared", "private-ro") and commit > 0.9 * SIZE:
        fail("%s: the commit charge grew by %d for a %s mapping" % (name, commit, m))
    if f(r, "commit_after_bytes_median") <= 0:
        fail("%s: no commit charge read" % name)


def test_counters(mmbench, work):
    fs = subprocess.run(["stat", "-f", "-c", "%T", work], capture_output=True, text=True)
    cold_ok = fs.stdout.strip() not in ("tmpfs", "ramfs")
    summary, samples, _ = run_suite(mmbench, work)
    if len(summary) != 24:
        fail("%d cases, want 4 methods x 3 touches x 2 caches" % len(summary))
    for r in summary:
        if r["status"] != "ok":
            if r["cache"] == "cold" and not cold_ok:
                continue
            fail("%s: status %s (%s)" % (r["case"], r["status"], r["note"]))
        check_row(r)
    for s in samples:
        if s["verified"] != "1" and s["status"] == "ok":
            fail("sample not verified: %s" % s["case"])
    if os.listdir(work) != ["out"]:
        fail("scratch files left in --dir: %s" % os.listdir(work))


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--size", "12x"], ["--size", "512KiB"], ["--size", "-4M"], ["--touch", "half"],
           ["--touch", ""], ["--methods", "heap,mmap"], ["--pattern", "random"],
           ["--caches", "tepid"]]
    suitelib.check_bad_options(mmbench, "footprint", work, scratch, bad)


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    plot = os.path.join(scripts, "plot-footprint")
    _, _, out = run_suite(mmbench, work, ("--methods", "heap,shared", "--touch", "1-page",
                                           "--caches", "warm"))
    suitelib.check_chart(plot, out, "footprint", ["shared, 1-page"], "the cases it drew")
    suitelib.check_chart_refuses_empty(plot, work)


def main():
    suitelib.main("check_footprint.py",
                  {"counters": test_counters, "bad_options": test_bad_options,
                   "chart": test_chart},
                  "MB_FOOTPRINT_TMP", "mb-footprint-test.")


if __name__ == "__main__":
    main()
