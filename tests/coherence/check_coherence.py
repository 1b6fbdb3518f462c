#!/usr/bin/env python3
"""Checks the coherence suite through the real binary:
check_coherence.py TEST MMBENCH SCRIPTS

TEST is one of
  processes    two processes that each map the file: every write of every
               repetition seen (writes_seen == writes, exactly), latency
               figures ordered (0 < p50 <= p99 <= max), no process left
  views        two views at different addresses in one process, and one view
               shared by two threads: every write seen, figures ordered
  view_write   pwrite then a view, a view then pread: every write seen; the
               pwrite side makes one write call per write
  stale        a 4KiB file, so that every pass writes its records over the
               last pass's: no write's time until seen exceeds its pass's
               wall time (an old record taken for a new one would)
  missed       --test-skip-write: the write left out is not seen, so every
               case fails verification, saying how many of how many were
               seen; the run exits 1 and leaves nothing in --dir
  sigint       SIGINT to the parent while two processes write and read: it
               dies of SIGINT having reaped both (this test is their
               subreaper), no scratch file left, no results written
  child_crash  SIGKILL to the reader process mid-run: that case fails saying
               the process was killed, the run goes on and ends (exit 1),
               nothing left behind
  parent_kill  SIGKILL to the parent mid-run: both side processes die with it
  bad_options  bad values of the suite's options exit 2 and leave nothing
  chart        scripts/plot-coherence draws a run and a subset, and refuses
               a folder without summary.csv
Scratch files go under $MB_COHERENCE_TMP (default /var/tmp)."""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail, become_subreaper, children_of, reap_orphans  # noqa: E402

num = suitelib.num
WRITES = 400


def cmd_for(work, mmbench, out, pairs, extra=()):
    return [mmbench, "run", "--suite", "coherence", "--quick", "--reps", "3", "--out", out,
            "--dir", os.path.join(work, "scratch"), "--pairs", pairs, "--writes", str(WRITES),
            "--format", "csv", "--no-plot", "--quiet", *extra]


def run_suite(mmbench, work, pairs, extra=(), codes=(0,)):
    """Runs the suite in a fresh --out; returns (summary rows, sample rows, process)."""
    os.makedirs(os.path.join(work, "scratch"), exist_ok=True)
    out = os.path.join(work, "out-" + pairs.replace(",", "_"))
    p = suitelib.run_mmbench(cmd_for(work, mmbench, out, pairs, extra), codes=codes)
    return (suitelib.read_csv(os.path.join(out, "summary.csv"), "total"),
            suitelib.read_csv(os.path.join(out, "samples.csv"), "total"), p)


def check_all_seen(summary, samples, pairs, sides):
    """Every case ran and passed; every sample saw all WRITES writes."""
    if sorted(r["pair"] for r in summary) != sorted(pairs):
        fail("cases run: %s, want %s" % ([r["pair"] for r in summary], pairs))
    for r in summary:
        if r["status"] != "ok":
            fail("%s: %s (%s)" % (r["case"], r["status"], r["note"]))
        if r["sides"] != sides or int(r["writes"]) != WRITES:
            fail("%s: sides %s, writes %s" % (r["case"], r["sides"], r["writes"]))
    if len(samples) != 3 * len(pairs):
        fail("%d samples, want %d" % (len(samples), 3 * len(pairs)))
    for s in samples:
        if s["verified"] != "1" or num(s, "writes_seen") != WRITES:
            fail("%s rep %s: verified %s, %s of %d writes seen" %
                 (s["case"], s["rep"], s["verified"], s["writes_seen"], WRITES))
        if num(s, "work_items") != WRITES:
            fail("%s: work_items %s" % (s["case"], s["work_items"]))
        p50, p99, mx = num(s, "seen_p50_ns"), num(s, "seen_p99_ns"), num(s, "seen_max_ns")
        if not 0 < p50 <= p99 <= mx:
            fail("%s: p50 %s, p99 %s, max %s are not ordered" % (s["case"], p50, p99, mx))


def test_processes(mmbench, work):
    become_subreaper()
    summary, samples, _ = run_suite(mmbench, work, "two-processes")
    check_all_seen(summary, samples, ["two-processes"], "processes")
    left = reap_orphans()
    if left:
        fail("processes %s were left to the subreaper" % left)


def test_views(mmbench, work):
    summary, samples, _ = run_suite(mmbench, work, "two-views,same-view")
    check_all_seen(summary, samples, ["two-views", "same-view"], "threads")
    for r in summary:
        if r["writer"] != "view" or r["reader"] != "view":
            fail("%s: writer %s, reader %s" % (r["case"], r["writer"], r["reader"]))


def test_view_write(mmbench, work):
    summary, samples, _ = run_suite(mmbench, work, "write-view,view-read")
    check_all_seen(summary, samples, ["write-view", "view-read"], "threads")
    for s in samples:
        calls = num(s, "os_write_calls")
        if s["pair"] == "write-view" and calls < WRITES:
            fail("write-view made %s write calls for %d writes" % (calls, WRITES))
        if s["pair"] == "view-read" and num(s, "os_calls") < WRITES:
            fail("view-read made %s read calls for %d writes" % (s["os_calls"], WRITES))


def test_stale(mmbench, work):
    # 128 slots and 128 writes a pass: a pass leaves record k at the place
    # of the next pass's write k about once in three passes (the most it
    # can: more writes overwrite it first).
    os.makedirs(os.path.join(work, "scratch"), exist_ok=True)
    out = os.path.join(work, "out-stale")
    cmd = cmd_for(work, mmbench, out, "same-view,two-views")
    cmd += ["--file-size", "4KiB", "--writes", "128", "--reps", "15"]
    suitelib.run_mmbench(cmd, codes=(0,))
    for s in suitelib.read_csv(os.path.join(out, "samples.csv"), "total"):
        if s["verified"] != "1" or num(s, "writes_seen") != 128:
            fail("%s rep %s: verified %s, %s writes seen" %
                 (s["case"], s["rep"], s["verified"], s["writes_seen"]))
        if num(s, "seen_max_ns") >= num(s, "wall_ns"):
            fail("%s rep %s: a write was seen %s ns after it began, in a pass of %s ns: an "
                 "earlier pass's record was taken for it" %
                 (s["case"], s["rep"], s["seen_max_ns"], s["wall_ns"]))


def test_missed(mmbench, work):
    pairs = "two-views,write-view,view-read,two-processes"
    # The deadline is what the left-out write costs; a short one would let a
    # side descheduled on a loaded machine look like a writer gone.
    summary, samples, _ = run_suite(mmbench, work, pairs,
                                    ["--test-skip-write", "7", "--deadline-ms", "250"],
                                    codes=(1,))
    if len(summary) != 4:
        fail("%d cases reported, want 4" % len(summary))
    for r in summary:
        want = "%d of %d writes were seen" % (WRITES - 1, WRITES)
        if r["status"] != "verification failed" or want not in r["note"] or \
                "first unseen: write 7" not in r["note"]:
            fail("%s: %s (%s)" % (r["case"], r["status"], r["note"]))
    suitelib.check_no_scratch(os.path.join(work, "scratch"))


def start_long_run(work, mmbench, out):
    """A run of two processes long enough to be interrupted: (process, side pids)."""
    os.makedirs(os.path.join(work, "scratch"), exist_ok=True)
    cmd = cmd_for(work, mmbench, out, "two-processes",
                  ["--writes", "1000000", "--reps", "20", "--deadline-ms", "100"])
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    kids, deadline = [], time.time() + 60
    while time.time() < deadline and len(kids) < 2:
        if p.poll() is not None:
            fail("the run ended before its processes were seen: %s" % p.stderr.read())
        kids = children_of(p.pid)
        time.sleep(0.005)
    if len(kids) < 2:
        p.kill()
        fail("no writer and reader processes within 60 s")
    # The sides of one pass live for the pass only (a second or more of a
    # million writes): act on them while it runs, not after it has ended.
    time.sleep(0.05)
    return p, sorted(kids)


def test_sigint(mmbench, work):
    become_subreaper()
    out = os.path.join(work, "out-int")
    p, kids = start_long_run(work, mmbench, out)
    p.send_signal(signal.SIGINT)
    p.communicate(timeout=60)
    if p.returncode != -signal.SIGINT:
        fail("the parent ended with %s, want death by SIGINT" % p.returncode)
    orphans = [k for k in reap_orphans() if k in kids]
    if orphans:
        fail("processes %s were left to the subreaper: the parent did not reap them" % orphans)
    suitelib.check_no_scratch(os.path.join(work, "scratch"))
    if os.path.exists(os.path.join(out, "summary.csv")):
        fail("an interrupted run wrote results")


def test_child_crash(mmbench, work):
    become_subreaper()
    out = os.path.join(work, "out-crash")
    p, kids = start_long_run(work, mmbench, out)
    # the second forked: the reader
    suitelib.check_child_crash(p, kids, out, "side")
    suitelib.check_no_scratch(os.path.join(work, "scratch"))


def test_parent_kill(mmbench, work):
    become_subreaper()
    p, kids = start_long_run(work, mmbench, os.path.join(work, "out-kill"))
    suitelib.check_parent_kill(p, kids, os.path.join(work, "scratch"))


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    bad = [["--pairs", "two-views,nope"], ["--pairs", ""], ["--writes", "0"],
           ["--writes", "1000001"], ["--writes", "ten"], ["--file-size", "2KiB"],
           ["--file-size", "1GiB"], ["--deadline-ms", "0"],
           ["--writes", "10", "--test-skip-write", "11"]]
    suitelib.check_bad_options(mmbench, "coherence", work, scratch, bad)
    suitelib.expect_exit2(mmbench, "coherence", work, [], os.path.join(work, "no-such-dir"))


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    plot = os.path.join(scripts, "plot-coherence")
    run_suite(mmbench, work, "two-views,view-read")
    out = os.path.join(work, "out-two-views_view-read")
    suitelib.check_chart(plot, out, "coherence", ["two views", "view, then pread"])
    cols = ["pair", "status", "extra", "seen_p50_ns_median", "seen_p99_ns_median",
            "seen_max_ns_median", "writes_seen_median", "writes", "phase"]
    rows = [["two-views", "ok", "x", "300", "900", "5000", "1000", "1000", "total"],
            ["two-processes", "unsupported here", "y", "", "", "", "", "1000", "total"]]
    suitelib.check_chart_subset(plot, os.path.join(work, "subset"), "coherence", cols, rows,
                                "two-processes (unsupported here)",
                                "the chart does not say two-processes did not run")
    suitelib.check_chart_refuses_empty(plot, work)


def main():
    suitelib.main("check_coherence.py",
                  {"processes": test_processes, "views": test_views,
                   "view_write": test_view_write, "stale": test_stale, "missed": test_missed,
                   "sigint": test_sigint,
                   "child_crash": test_child_crash, "parent_kill": test_parent_kill,
                   "bad_options": test_bad_options, "chart": test_chart},
                  "MB_COHERENCE_TMP", "mbtest-coherence.",
                  finish=lambda test, work, _: suitelib.check_no_scratch(
                      os.path.join(work, "scratch")) if os.path.isdir(
                      os.path.join(work, "scratch")) else None,
                  ok="coherence_")


if __name__ == "__main__":
    main()
