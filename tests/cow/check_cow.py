#!/usr/bin/env python3
"""Checks the cow suite through the real binary: check_cow.py TEST MMBENCH SCRIPTS

TEST is one of
  private      private writes to a cached file (first write, after a read,
               a forked child's) and the anonymous baseline: every case ok
               and verified, which means the file was byte-for-byte
               unchanged afterwards (the runner fails a case whose verify()
               finds one changed byte), about one fault per page; the
               forked child's pass times its writes alone (wall_ns is what
               ns_per_page says, no CPU time of the parent's)
  shared       shared writes: ok and verified, which means the file holds
               the new bytes; at most one fault per page
  offset       a view offset that is not a multiple of the allocation
               granularity (the page size here) exits 2 naming it; a valid
               non-zero offset maps a larger file from there and verifies
  swapped      with --test-swap-views (private views mapped shared, shared ones
               private) every file case fails its verification, naming what
               went wrong: the file check can fail
  bad_options  bad values of the suite's options exit 2 and leave nothing
  scratch      SIGTERM in the middle of a run removes every scratch file and
               leaves no child process; too little space exits 2 up front
  chart        scripts/plot-cow draws a run and a subset, and refuses a
               results folder without summary.csv
Scratch files go under $MB_COW_TMP (default /var/tmp: disk-backed)."""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail, alive, children_of  # noqa: E402

f = suitelib.num
PRIVATE = ["private-write", "private-read-write", "fork-child-write"]
PAGE = os.sysconf("SC_PAGE_SIZE")


def run_suite(mmbench, work, tag, kinds, extra=()):
    """Runs the suite on `kinds` in a fresh --out; returns (summary rows,
    sample rows)."""
    out = os.path.join(work, "out-" + tag)
    cmd = [mmbench, "run", "--suite", "cow", "--quick", "--reps", "3", "--warmup", "1",
           "--out", out, "--dir", work, "--kinds", ",".join(kinds), "--format", "csv",
           "--no-plot", "--quiet", *extra]
    suitelib.run_mmbench(cmd)
    summary = suitelib.read_csv(os.path.join(out, "summary.csv"), "total")
    samples = suitelib.read_csv(os.path.join(out, "samples.csv"))
    return summary, samples


def check_ok(summary, samples, kinds):
    """Every case of `kinds` ran, at every size, and every sample verified."""
    seen = {r["kind"] for r in summary}
    if seen != set(kinds):
        fail("kinds in the summary: %s, want %s" % (sorted(seen), sorted(kinds)))
    for r in summary:
        if r["status"] != "ok":
            fail("%s: status %s (%s)" % (r["case"], r["status"], r["note"]))
        if r["expected_faults_per_page"] != "1":
            fail("%s: expected_faults_per_page %r" % (r["case"], r["expected_faults_per_page"]))
        if f(r, "ns_per_page_median") <= 0:
            fail("%s: ns_per_page %s" % (r["case"], r["ns_per_page_median"]))
    for s in samples:
        if s["verified"] != "1":
            fail("sample of %s not verified: %s" % (s["case"], s))
    if len(samples) != 3 * len(summary):
        fail("%d samples for %d cases, want 3 each" % (len(samples), len(summary)))


def test_private(mmbench, work):
    kinds = PRIVATE + ["anon-write"]
    summary, samples = run_suite(mmbench, work, "private", kinds)
    check_ok(summary, samples, kinds)
    for r in summary:
        views = {"anon-write": "MAP_PRIVATE|MAP_ANONYMOUS"}
        if r["view"] != views.get(r["kind"], "MAP_PRIVATE"):
            fail("%s: view %r" % (r["case"], r["view"]))
        # A private write copies every page: one fault each, none of them
        # major (the file is cached).
        fpp = f(r, "faults_per_page_median")
        if not 0.9 <= fpp <= 1.1:
            fail("%s: %s faults per page, want about 1 (a copy per page)" % (r["case"], fpp))
        if r["kind"] != "anon-write" and f(r, "resident_before_median") != f(r, "file_pages_median"):
            fail("%s: the file was not fully cached before the writes" % r["case"])
        if f(r, "major_faults_median") != 0:
            fail("%s: %s major faults" % (r["case"], r["major_faults_median"]))
    for s in samples:
        if s["kind"] != "fork-child-write" or s["phase"] != "total":
            continue
        pages = int(s["size_bytes"]) // PAGE
        timed = f(s, "ns_per_page") * pages
        if abs(f(s, "wall_ns") - timed) > 1e-4 * timed or s["cpu_ns"] != "":
            fail("%s rep %s: wall_ns %s, cpu_ns %r for %s ns of writes: the child's release "
                 "or its check was timed" % (s["case"], s["rep"], s["wall_ns"], s["cpu_ns"],
                                             timed))


def test_shared(mmbench, work):
    summary, samples = run_suite(mmbench, work, "shared", ["shared-write"])
    check_ok(summary, samples, ["shared-write"])
    for r in summary:
        if r["view"] != "MAP_SHARED":
            fail("%s: view %r" % (r["case"], r["view"]))
        # A write fault may map a whole large folio of the page cache: at
        # most one fault per page, never none.
        fpp = f(r, "faults_per_page_median")
        if not 0 < fpp <= 1.1:
            fail("%s: %s faults per page" % (r["case"], fpp))


def test_offset(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    for bad in (1, PAGE + 1, PAGE // 2, 3 * PAGE - 8):
        msg = suitelib.expect_exit2(mmbench, "cow", work, ["--offset", str(bad)], scratch)
        for word in ("--offset", "allocation granularity", "(%d bytes)" % PAGE, "not round"):
            if word not in msg:
                fail("--offset %d: the message does not say %r: %r" % (bad, word, msg))
    kinds = PRIVATE + ["shared-write"]
    for off in (PAGE, 16 * PAGE):
        summary, samples = run_suite(mmbench, work, "offset%d" % off, kinds,
                                     ["--offset", str(off), "--sizes", "256KiB"])
        check_ok(summary, samples, kinds)
        for r in summary:
            if r["offset_bytes"] != str(off):
                fail("%s: offset_bytes %r, want %d" % (r["case"], r["offset_bytes"], off))
            # The file is larger by the offset: its cached pages count it.
            if f(r, "file_pages_median") != (off + 256 * 1024) // PAGE:
                fail("%s: %s file pages with offset %d" % (r["case"], r["file_pages_median"], off))


def test_swapped(mmbench, work):
    out = os.path.join(work, "out-swapped")
    kinds = ["private-write", "fork-child-write", "shared-write"]
    cmd = [mmbench, "run", "--suite", "cow", "--quick", "--reps", "2", "--warmup", "0",
           "--out", out, "--dir", work, "--kinds", ",".join(kinds), "--format", "csv",
           "--no-plot", "--quiet", "--sizes", "256KiB", "--test-swap-views"]
    suitelib.run_mmbench(cmd, codes=(1,))
    want = {"private-write": "a private write must never reach the file",
            "fork-child-write": "of the parent's view holds another word",
            "shared-write": "a shared write must reach the file"}
    summary = suitelib.read_csv(os.path.join(out, "summary.csv"), "total")
    if sorted(r["kind"] for r in summary) != sorted(kinds):
        fail("cases: %s" % [r["case"] for r in summary])
    for r in summary:
        if r["status"] != "verification failed" or want[r["kind"]] not in r["note"]:
            fail("%s: status %r, note %r; want a verification failure saying %r" %
                 (r["case"], r["status"], r["note"], want[r["kind"]]))


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--sizes", "12x"], ["--sizes", "4KiB"], ["--sizes", "100000"], ["--sizes", "2GiB"],
           ["--sizes", ""], ["--kinds", "private-write,nope"], ["--kinds", ""],
           ["--offset", "-4096"], ["--offset", "2GiB"], ["--offset", "4k4"]]
    suitelib.check_bad_options(mmbench, "cow", work, scratch, bad)


def test_scratch(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    cmd = [mmbench, "run", "--suite", "cow", "--dir", scratch, "--out",
           os.path.join(work, "out-term"), "--quiet", "--no-plot", "--sizes", "64MiB",
           "--kinds", "fork-child-write", "--reps", "200"]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    kids = set()
    deadline = time.time() + 20
    while time.time() < deadline and not kids:
        kids.update(children_of(p.pid))
        time.sleep(0.01)
    if not kids:
        p.kill()
        p.wait()
        fail("no forked child seen in 20 s")
    if not [n for n in os.listdir(scratch) if n.startswith("mmbench-cow")]:
        p.kill()
        p.wait()
        fail("the run made no scratch file")
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)
    if os.listdir(scratch):
        fail("SIGTERM left %s in --dir" % os.listdir(scratch))
    time.sleep(0.5)
    left = [k for k in kids if alive(k)]
    if left:
        fail("SIGTERM left child processes %s" % left)
    suitelib.check_space_refused(mmbench, "cow", work, ["--sizes", "16MiB"], ("free", "need"))


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    plot = os.path.join(scripts, "plot-cow")
    run_suite(mmbench, work, "chart", ["private-write", "shared-write", "anon-write"],
              ["--sizes", "64KiB,1MiB"])
    out = os.path.join(work, "out-chart")
    suitelib.check_chart(plot, out, "cow", ["private-write", "shared-write", "anon-write"])
    # A subset with a kind that did not run, columns in another order and
    # an unknown extra column: drawn, the kind named with its status.
    cols = ["note", "kind", "status", "extra_column", "ns_per_page_median",
            "faults_per_page_median", "size_bytes", "view", "phase"]
    rows = [["", "private-write", "ok", "x", "1500", "1", "1048576", "MAP_PRIVATE", "total"],
            ["unsupported here: Windows has no fork()", "fork-child-write",
             "unsupported on this platform", "y", "", "", "1048576", "FILE_MAP_COPY", "total"]]
    suitelib.check_chart_subset(plot, os.path.join(work, "subset"), "cow", cols, rows,
                                "fork-child-write (unsupported",
                                "the chart does not say fork-child-write did not run")
    suitelib.check_chart_refuses_empty(plot, work)


def main():
    suitelib.main("check_cow.py",
                  {"private": test_private, "shared": test_shared, "offset": test_offset,
                   "swapped": test_swapped, "bad_options": test_bad_options, "scratch": test_scratch,
                   "chart": test_chart},
                  "MB_COW_TMP", "mbtest-cow.",
                  finish=lambda test, work, _: suitelib.check_no_scratch(work), ok="cow_")


if __name__ == "__main__":
    main()
