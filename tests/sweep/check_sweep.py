#!/usr/bin/env python3
"""Checks the sweep suite through the real binary: check_sweep.py TEST MMBENCH SCRIPTS

TEST is one of
  warm_touch   touching a cached file through every mmap method: no major
               fault (only minor ones mapping cached pages)
  populate     MAP_POPULATE maps every page inside mmap: the access loop
               that follows takes no fault, cold or warm, while plain mmap's
               access loop takes them
  kept         a mapping kept across passes (mmap-kept) faults in its case's
               first pass only, while plain mmap, which maps per pass, faults
               in every one; the kept mapping runs warm only
  cold_random  a cold file touched under MADV_RANDOM (no readahead): about
               one major fault per page (skipped on tmpfs, where nothing can
               be cold)
  verified     every method, unit, pattern and cache state on small files:
               every case passes its byte checks and every sample is verified
               (O_DIRECT and io_uring cases may instead say "unsupported here")
  corrupted    the file overwritten with zeros while the run reads it: every
               copy method (each read call, io_uring at depth 1 and 32, memcpy
               out of a mapping) fails, naming the first wrong 4 KiB chunk,
               and the run exits 1
  defaults     the suite's own runner defaults: 9 repetitions per case
               unless --reps or --quick says otherwise
  bad_options  bad values of the suite's options exit 2 and leave nothing, and
               so does a --dir too small for the files (a 4 MiB tmpfs, root only)
  chart        scripts/plot-sweep draws a subset, prints its table, and
               refuses a results folder without summary.csv
Scratch files go under $MB_SWEEP_TMP (default /var/tmp: disk-backed)."""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail, skip  # noqa: E402

f = suitelib.num
MAPS = ["mmap", "mmap-sequential", "mmap-random", "mmap-willneed", "mmap-populate", "mmap-kept"]


def run_suite(mmbench, work, tag, args):
    """Runs the suite with `args` in a fresh --out; returns (summary rows,
    sample rows, results folder)."""
    out = os.path.join(work, "out-" + tag)
    cmd = [mmbench, "run", "--suite", "sweep", "--quick", "--reps", "3", "--warmup", "1",
           "--out", out, "--dir", work, "--format", "csv", "--no-plot", "--quiet", *args]
    suitelib.run_mmbench(cmd)
    summary = suitelib.read_csv(os.path.join(out, "summary.csv"), "total")
    samples = suitelib.read_csv(os.path.join(out, "samples.csv"))
    return summary, samples, out


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


def test_kept(mmbench, work):
    """One pass per repetition, no warm-up: repetition 0 is the case's first pass."""
    summary, samples, _ = run_suite(mmbench, work, "kept", [
        "--sizes", "1M", "--methods", "mmap,mmap-kept", "--patterns", "sequential,random",
        "--warmup", "0", "--min-time-us", "0", "--reps", "4"])
    if any(r["method"] == "mmap-kept" and r["cache"] == "cold" for r in summary):
        fail("mmap-kept ran cold: its mapping pins the pages the runner must evict")
    for r in pick(summary, method="mmap-kept"):
        ok(r)
    cases = {}
    for s in samples:
        if s["cache"] == "warm" and s["method"] in ("mmap", "mmap-kept"):
            cases.setdefault((s["case"], s["method"]), []).append(s)
    if len([k for k in cases if k[1] == "mmap-kept"]) != 4:
        fail("want 4 warm mmap-kept cases (2 patterns x 2 units), got %s" % sorted(cases))
    for (case, method), rows in cases.items():
        rows.sort(key=lambda s: int(s["rep"]))
        if [s["passes"] for s in rows] != ["1"] * 4:
            fail("%s: passes per repetition %s, want 1" % (case, [s["passes"] for s in rows]))
        faults = [f(s, "access_faults_per_page") for s in rows]
        if faults[0] <= 0:
            fail("%s: its first pass took no fault (%s): the counter is blind" % (case, faults))
        if method == "mmap-kept" and any(x != 0 for x in faults[1:]):
            fail("%s: faults per page %s: a kept mapping faulted after its first pass" %
                 (case, faults))
        if method == "mmap" and any(x <= 0 for x in faults):
            fail("%s: faults per page %s: a fresh mapping per pass must fault in each" %
                 (case, faults))
    if any(s["verified"] != "1" for s in samples):
        fail("a sample is not verified")


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
                r["status"].startswith("unsupported") and r["note"]):
            print("NOTE: %s: %s" % (r["case"], r["note"]))
            continue
        fail("%s: status %s (%s)" % (r["case"], r["status"], r["note"]))
    if not samples or any(s["verified"] != "1" for s in samples):
        fail("a sample is not verified")
    for r in pick(summary, unit="copy", method="read"):
        if f(r, "work_bytes_median") != f(r, "size_bytes"):
            fail("%s: work_bytes %s for a %s-byte file" % (r["case"], r["work_bytes_median"],
                                                          r["size_bytes"]))


def test_corrupted(mmbench, work):
    methods = ["read", "pread", "fread", "mmap", "mmap-kept", "uring-qd1", "uring-qd32"]
    out = os.path.join(work, "out-corrupted")
    size = 4 << 20
    cmd = [mmbench, "run", "--suite", "sweep", "--sizes", str(size), "--methods",
           ",".join(methods), "--patterns", "sequential,random", "--units", "copy",
           "--caches", "warm", "--reps", "100000", "--warmup", "0", "--out", out,
           "--dir", work, "--format", "csv", "--no-plot", "--quiet"]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # mmap-kept reads a file of its own (its mapping pins the pages): two.
    paths = []
    for _ in range(2000):
        names = [os.path.join(work, n) for n in os.listdir(work) if n.startswith("mmbench-sweep")]
        paths = [n for n in names if os.path.getsize(n) == size]
        if len(paths) == 2:
            break
        time.sleep(0.005)
    if len(paths) != 2:
        p.kill()
        fail("the run made %d complete scratch files, want 2" % len(paths))
    time.sleep(0.3)  # every case has set up and run
    for path in paths:
        with open(path, "r+b") as fh:
            fh.write(bytes(size))
    try:
        _, err = p.communicate(timeout=150)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("the run went on reading a changed file")
    if p.returncode != 1:
        fail("a run that read changed bytes exited %d, want 1: %s" % (p.returncode, err))
    rows = suitelib.read_csv(os.path.join(out, "summary.csv"), "total")
    for m in methods:
        for r in pick(rows, method=m):
            if r["status"].startswith("unsupported") and m.startswith("uring"):
                continue
            if r["status"] == "ok" or "held the wrong bytes" not in r["note"]:
                fail("%s: status %s (%s), want a failed check" % (r["case"], r["status"],
                                                                 r["note"]))


def test_defaults(mmbench, work):
    for tag, extra, want in (("own", [], 9), ("quick", ["--quick"], 5),
                             ("given", ["--reps", "3"], 3)):
        out = os.path.join(work, "out-" + tag)
        suitelib.run_mmbench([mmbench, "run", "--suite", "sweep", "--sizes", "4K",
                              "--methods", "pread", "--patterns", "sequential", "--units", "copy",
                              "--caches", "warm", "--out", out, "--dir", work, "--format", "csv",
                              "--no-plot", "--quiet", *extra])
        samples = suitelib.read_csv(os.path.join(out, "samples.csv"))
        if len(samples) != want:
            fail("%s: %d repetitions, want %d" % (" ".join(extra) or "no option", len(samples),
                                                  want))


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--block", "5000"], ["--block", "0"], ["--sizes", "3K"], ["--sizes", "4K,6000"],
           ["--sizes", "2G"], ["--sizes", ""], ["--max-size", "2G"], ["--patterns", "zigzag"],
           ["--units", "bytes"], ["--methods", "mmap,nope"], ["--caches", "lukewarm"],
           ["--floor-size", "12x"]]
    suitelib.check_bad_options(mmbench, "sweep", work, scratch, bad)
    # Too little space: exit 2, saying what is free, before any file is made.
    suitelib.check_space_refused(mmbench, "sweep", work, ["--sizes", "16M"])


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    plot = os.path.join(scripts, "plot-sweep")
    _, _, out = run_suite(mmbench, work, "chart", [
        "--sizes", "4K,64K", "--methods", "pread,mmap,memory-floor", "--caches", "warm",
        "--floor-size", "4M"])
    suitelib.check_chart(plot, out, "sweep",
                         ["pread", "memory floor", "sequential copy, cold (not run)"])
    q = subprocess.run([sys.executable, plot, "--table", out], capture_output=True, text=True)
    if q.returncode != 0 or "| pread |" not in q.stdout or "memory floor" not in q.stdout:
        fail("plot-sweep --table: %d %s %s" % (q.returncode, q.stdout, q.stderr))
    suitelib.check_chart_refuses_empty(plot, work)


def main():
    suitelib.main("check_sweep.py",
                  {"warm_touch": test_warm_touch, "populate": test_populate,
                   "kept": test_kept, "cold_random": test_cold_random, "verified": test_verified,
                   "corrupted": test_corrupted,
                   "defaults": test_defaults, "bad_options": test_bad_options, "chart": test_chart},
                  "MB_SWEEP_TMP", "mbtest-sweep.",
                  finish=lambda test, work, _: suitelib.check_no_scratch(work), ok="sweep_")


if __name__ == "__main__":
    main()
