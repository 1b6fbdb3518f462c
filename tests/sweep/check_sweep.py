#!/usr/bin/env python3
"""Checks the sweep suite through the real binary: check_sweep.py TEST MMBENCH SCRIPTS

TEST is one of
  warm_touch   touching a cached file through every mmap method: no major
               fault (only minor ones mapping cached pages)
  populate     MAP_POPULATE maps every page inside mmap: the access loop
               that follows takes no fault, cold or warm, while plain mmap's
               access loop takes them
  cold_random  a cold file touched under MADV_RANDOM (no readahead): about
               one major fault per page (skipped on tmpfs, where nothing can
               be cold)
  verified     every method, unit, pattern and cache state on small files:
               every case passes its byte checks and every sample is verified
               (O_DIRECT and io_uring cases may instead say "unsupported here")
  bad_options  bad values of the suite's options exit 2 and leave nothing
  chart        scripts/plot-sweep draws a subset, prints its table, and
               refuses a results folder without summary.csv
Scratch files go under $MB_SWEEP_TMP (default /var/tmp: disk-backed)."""
import csv
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
MAPS = ["mmap", "mmap-sequential", "mmap-random", "mmap-willneed", "mmap-populate"]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(SKIP)


def run_suite(mmbench, work, tag, args):
    """Runs the suite with `args` in a fresh --out; returns (summary rows,
    sample rows, results folder)."""
    out = os.path.join(work, "out-" + tag)
    cmd = [mmbench, "run", "--suite", "sweep", "--quick", "--reps", "3", "--warmup", "1",
           "--out", out, "--dir", work, "--format", "csv", "--no-plot", "--quiet", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=150)
    if p.returncode not in (0, 1):
        fail("%s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr))
    with open(os.path.join(out, "summary.csv"), newline="") as fh:
        summary = [r for r in csv.DictReader(fh) if r["phase"] == "total"]
    with open(os.path.join(out, "samples.csv"), newline="") as fh:
        samples = list(csv.DictReader(fh))
    return summary, samples, out


def f(row, col):
    try:
        return float(row[col])
    except (KeyError, ValueError):
        fail("%s: column %s is %r" % (row.get("case"), col, row.get(col)))


def ok(row):
    if row["status"] != "ok":
        fail("%s: status %s (%s)" % (row["case"], row["status"], row["note"]))
    return row


def pick(summary, **want):
    rows = [r for r in summary if all(r.get(k) == v for k, v in want.items())]
    if not rows:
        fail("no row with %s" % want)
    return rows


def not_tmpfs(work):
    fs = subprocess.run(["stat", "-f", "-c", "%T", work], capture_output=True, text=True)
    if fs.stdout.strip() in ("tmpfs", "ramfs"):
        skip("%s is %s: no page can be cold there; set MB_SWEEP_TMP to a disk" %
             (work, fs.stdout.strip()))


def test_warm_touch(mmbench, work):
    summary, samples, _ = run_suite(mmbench, work, "warm", [
        "--sizes", "64K,1M", "--methods", ",".join(MAPS), "--units", "touch",
        "--caches", "warm"])
    rows = pick(summary, cache="warm", unit="touch")
    if len(rows) != len(MAPS) * 2 * 2:
        fail("%d warm touch rows, want %d" % (len(rows), len(MAPS) * 4))
    for r in rows:
        ok(r)
        if f(r, "major_faults_median") != 0:
            fail("%s: %s major faults on a cached file" % (r["case"], r["major_faults_median"]))
        if f(r, "resident_before_median") != f(r, "file_pages_median"):
            fail("%s: the file was not fully cached before the pass" % r["case"])
    if any(s["verified"] != "1" for s in samples):
        fail("a sample is not verified")


def test_populate(mmbench, work):
    not_tmpfs(work)
    summary, _, _ = run_suite(mmbench, work, "populate", [
        "--sizes", "256K", "--methods", "mmap,mmap-populate", "--units", "touch",
        "--patterns", "sequential"])
    for cache in ("cold", "warm"):
        r = ok(pick(summary, method="mmap-populate", cache=cache)[0])
        if f(r, "access_faults_per_page_median") != 0:
            fail("%s: the access loop took %s faults per page after MAP_POPULATE" %
                 (r["case"], r["access_faults_per_page_median"]))
        plain = ok(pick(summary, method="mmap", cache=cache)[0])
        if f(plain, "access_faults_per_page_median") <= 0:
            fail("%s: plain mmap's access loop took no fault: the counter is blind" %
                 plain["case"])
    cold = pick(summary, method="mmap-populate", cache="cold")[0]
    if f(cold, "storage_bytes_median") < f(cold, "work_bytes_median"):
        fail("%s: MAP_POPULATE on a cold file read %s bytes from storage, want the file's %s" %
             (cold["case"], cold["storage_bytes_median"], cold["work_bytes_median"]))


def test_cold_random(mmbench, work):
    not_tmpfs(work)
    summary, _, _ = run_suite(mmbench, work, "cold", [
        "--sizes", "256K", "--methods", "mmap-random", "--units", "touch", "--caches", "cold"])
    for r in pick(summary, method="mmap-random", cache="cold"):
        if r["status"] != "ok" and "cold" in r["note"]:
            skip("the file could not be made cold here: " + r["note"])
        ok(r)
        pages, major = f(r, "work_items_median"), f(r, "major_faults_median")
        if not 0.9 * pages <= major <= 1.1 * pages:
            fail("%s: %s major faults for %s pages (want ~1 per page: readahead off)" %
                 (r["case"], major, pages))
        if f(r, "resident_before_median") != 0:
            fail("%s: pages resident before the pass" % r["case"])


def test_verified(mmbench, work):
    summary, samples, _ = run_suite(mmbench, work, "all", [
        "--sizes", "4K,64K", "--floor-size", "4M", "--block", "8K"])
    methods = {r["method"] for r in summary}
    urings = ["uring-qd1", "uring-qd32", "uring-direct-qd1", "uring-direct-qd32"]
    for m in MAPS + urings + ["read", "pread", "fread", "pread-direct", "memory-floor",
                              "device-floor"]:
        if m not in methods:
            fail("method %s did not run" % m)
    for r in summary:
        if r["status"] == "ok":
            continue
        # O_DIRECT refused by the filesystem, or io_uring by the kernel:
        # said so, and the rest ran.
        if (r["method"] in ["pread-direct", "device-floor"] + urings and
                r["status"].startswith("unsupported") and "unsupported here" in r["note"]):
            print("NOTE: %s: %s" % (r["case"], r["note"]))
            continue
        fail("%s: status %s (%s)" % (r["case"], r["status"], r["note"]))
    if not samples or any(s["verified"] != "1" for s in samples):
        fail("a sample is not verified")
    for r in pick(summary, unit="copy", method="read"):
        if f(r, "work_bytes_median") != f(r, "size_bytes"):
            fail("%s: work_bytes %s for a %s-byte file" % (r["case"], r["work_bytes_median"],
                                                          r["size_bytes"]))


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--block", "5000"], ["--block", "0"], ["--sizes", "3K"], ["--sizes", "4K,6000"],
           ["--sizes", "2G"], ["--sizes", ""], ["--max-size", "2G"], ["--patterns", "zigzag"],
           ["--units", "bytes"], ["--methods", "mmap,nope"], ["--caches", "lukewarm"],
           ["--floor-size", "12x"]]
    for args in bad:
        out = os.path.join(work, "out-bad")
        cmd = [mmbench, "run", "--suite", "sweep", "--dir", scratch, "--out", out, "--quiet",
               *args]
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
    plot = os.path.join(scripts, "plot-sweep")
    _, _, out = run_suite(mmbench, work, "chart", [
        "--sizes", "4K,64K", "--methods", "pread,mmap,memory-floor", "--caches", "warm",
        "--floor-size", "4M"])
    q = subprocess.run([sys.executable, plot, out], capture_output=True, text=True, timeout=60)
    if q.returncode != 0:
        fail("plot-sweep exited %d: %s" % (q.returncode, q.stderr))
    for ext in ("svg", "png"):
        if not os.path.getsize(os.path.join(out, "sweep." + ext)):
            fail("empty sweep." + ext)
    with open(os.path.join(out, "sweep.svg")) as fh:
        svg = fh.read()
    for text in ("pread", "memory floor", "sequential copy, cold (not run)"):
        if text not in svg:
            fail("the chart does not say %r" % text)
    if [n for n in os.listdir(out) if n.startswith(".plot-sweep")]:
        fail("plot-sweep left its temporary folder")
    q = subprocess.run([sys.executable, plot, "--table", out], capture_output=True, text=True)
    if q.returncode != 0 or "| pread |" not in q.stdout or "memory floor" not in q.stdout:
        fail("plot-sweep --table: %d %s %s" % (q.returncode, q.stdout, q.stderr))
    empty = os.path.join(work, "empty")
    os.mkdir(empty)
    q = subprocess.run([sys.executable, plot, empty], capture_output=True, text=True)
    if q.returncode == 0:
        fail("plot-sweep drew from a folder without summary.csv")


def main():
    if len(sys.argv) != 4:
        fail("usage: check_sweep.py TEST MMBENCH SCRIPTS")
    test, mmbench, scripts = sys.argv[1:]
    base = os.environ.get("MB_SWEEP_TMP", "/var/tmp")
    work = tempfile.mkdtemp(prefix="mbtest-sweep.", dir=base)
    try:
        if test == "chart":
            test_chart(mmbench, work, scripts)
        else:
            {"warm_touch": test_warm_touch, "populate": test_populate,
             "cold_random": test_cold_random, "verified": test_verified,
             "bad_options": test_bad_options}[test](mmbench, work)
        left = [n for n in os.listdir(work) if n.startswith("mmbench-")]
        if left:
            fail("scratch files left in --dir: %s" % left)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("ok: sweep_" + test)


if __name__ == "__main__":
    main()
