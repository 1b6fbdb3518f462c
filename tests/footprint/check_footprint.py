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
import csv
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
SIZE = 32 << 20
PAGE = 4096
SLACK = 2 << 20  # a fault maps up to a fault-around window or a 2 MiB folio


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(SKIP)


def run_suite(mmbench, work, extra=()):
    out = os.path.join(work, "out")
    cmd = [mmbench, "run", "--suite", "footprint", "--quick", "--reps", "5", "--warmup", "1",
           "--out", out, "--dir", work, "--size", "32MiB", "--format", "csv,json",
           "--no-plot", "--quiet", *extra]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=150)
    if p.returncode not in (0, 1):
        fail("%s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr))
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        summary = [r for r in csv.DictReader(f) if r["phase"] == "total"]
    with open(os.path.join(out, "samples.csv"), newline="") as f:
        samples = list(csv.DictReader(f))
    return summary, samples, out


def f(row, col):
    try:
        return float(row[col])
    except (KeyError, ValueError):
        fail("column %s is %r in %s" % (col, row.get(col), row.get("case")))


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
    if m in ("shared", "private-ro") and commit > 0.5 * SIZE:
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
    for args in bad:
        out = os.path.join(work, "out-bad")
        cmd = [mmbench, "run", "--suite", "footprint", "--dir", scratch, "--out", out,
               "--quiet", *args]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if p.returncode != 2:
            fail("%s exited %d, want 2 (stderr %r)" % (args, p.returncode, p.stderr))
        if not p.stderr.strip():
            fail("%s: no message on stderr" % args)
        if os.listdir(scratch):
            fail("%s left %s in --dir" % (args, os.listdir(scratch)))
        if os.path.exists(os.path.join(out, "summary.csv")):
            fail("%s wrote results" % args)


def test_chart(mmbench, work, scripts):
    if not shutil.which("gnuplot"):
        skip("gnuplot is not installed")
    plot = os.path.join(scripts, "plot-footprint")
    _, _, out = run_suite(mmbench, work, ("--methods", "heap,shared", "--touch", "1-page",
                                           "--caches", "warm"))
    q = subprocess.run([sys.executable, plot, out], capture_output=True, text=True, timeout=60)
    if q.returncode != 0:
        fail("plot-footprint exited %d: %s" % (q.returncode, q.stderr))
    for ext in ("svg", "png"):
        path = os.path.join(out, "footprint." + ext)
        if not os.path.getsize(path):
            fail("empty " + path)
    with open(os.path.join(out, "footprint.svg")) as fh:
        svg = fh.read()
    if "shared, 1-page" not in svg:
        fail("the chart does not name the cases it drew")
    if [n for n in os.listdir(out) if n.startswith(".plot-footprint")]:
        fail("plot-footprint left its temporary folder")
    empty = os.path.join(work, "empty")
    os.mkdir(empty)
    q = subprocess.run([sys.executable, plot, empty], capture_output=True, text=True, timeout=60)
    if q.returncode == 0:
        fail("plot-footprint drew a folder without summary.csv")


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: check_footprint.py TEST MMBENCH SCRIPTS")
    test, mmbench, scripts = sys.argv[1:]
    base = os.environ.get("MB_FOOTPRINT_TMP", "/var/tmp")
    work = tempfile.mkdtemp(prefix="mb-footprint-test.", dir=base)
    try:
        if test == "counters":
            test_counters(mmbench, work)
        elif test == "bad_options":
            test_bad_options(mmbench, work)
        elif test == "chart":
            test_chart(mmbench, work, scripts)
        else:
            fail("unknown test " + test)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("ok")


if __name__ == "__main__":
    main()
