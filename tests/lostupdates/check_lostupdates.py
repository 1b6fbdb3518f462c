#!/usr/bin/env python3
"""Checks the lostupdates suite through the real binary:
check_lostupdates.py TEST MMBENCH SCRIPTS

TEST is one of
  exact        mutex and flock lose exactly 0 entries in every repetition
               (5 of them, 2 and 8 processes, hold 0 and 100 us); unlocked
               is never failed for its losses and reports them
               (0 <= lost < expected), and loses some when 8 processes each
               hold their copy 100 us
  recovery     mutex-owner-dead: worker 0 dies holding the robust mutex;
               exactly one EOWNERDEAD recovery per repetition, 0 lost
  sigint       SIGINT to the parent mid-run: it dies of SIGINT having
               reaped every worker itself (this test is their subreaper, so
               an orphan would be reaped here), no scratch file left
  child_crash  SIGKILL to one worker mid-run: that case fails saying so,
               the run goes on and ends, nothing left behind
  parent_kill  SIGKILL to the parent mid-run: every worker dies with it
               (the scratch file a SIGKILLed process cannot remove is
               reported, not failed)
  bad_options  bad values of the suite's options exit 2 and leave nothing
  chart        scripts/plot-lostupdates draws a subset of methods, and
               refuses a results folder without summary.csv
Scratch files go under $MB_LOSTUPDATES_TMP (default /var/tmp)."""
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail, become_subreaper, children_of, reap_orphans, wait_gone  # noqa: E402

num = suitelib.num


def cmd_for(mmbench, work, out, methods, extra=()):
    return [mmbench, "run", "--suite", "lostupdates", "--quick", "--out", out, "--dir",
            os.path.join(work, "scratch"), "--methods", methods, "--format", "csv",
            "--no-plot", "--quiet", *extra]


def run_suite(mmbench, work, methods, extra=()):
    """Runs the suite in a fresh --out; returns (summary rows, sample rows)."""
    out = os.path.join(work, "out-" + methods.replace(",", "_"))
    cmd = cmd_for(mmbench, work, out, methods, extra)
    suitelib.run_mmbench(cmd)
    return (suitelib.read_csv(os.path.join(out, "summary.csv"), "total"),
            suitelib.read_csv(os.path.join(out, "samples.csv"), "total"))


def check_ok(summary, methods, procs):
    seen = {(r["method"], r["procs"]) for r in summary}
    for m in methods:
        for p in procs:
            if (m, p) not in seen:
                fail("no summary row for %s with %s processes" % (m, p))
    for r in summary:
        if r["status"] != "ok":
            fail("%s: status %s (%s)" % (r["case"], r["status"], r["note"]))


def test_exact(mmbench, work):
    summary, samples = run_suite(mmbench, work, "unlocked,mutex,flock",
                                 ["--procs", "2,8", "--reps", "5"])
    check_ok(summary, ["unlocked", "mutex", "flock"], ["2", "8"])
    counted = {}
    for s in samples:
        if s["verified"] != "1":
            fail("sample not verified: %s" % s["case"])
        lost, expected = num(s, "lost_entries"), num(s, "expected_entries")
        if s["method"] in ("mutex", "flock") and lost != 0:
            fail("%s lost %s entries in repetition %s" % (s["case"], lost, s["rep"]))
        if not 0 <= lost < expected:
            fail("%s: %s lost of %s" % (s["case"], lost, expected))
        if num(s, "work_items") != expected or num(s, "items_per_second") <= 0:
            fail("%s: work_items %s items_per_second %s" %
                 (s["case"], s["work_items"], s["items_per_second"]))
        counted[s["case"]] = counted.get(s["case"], 0) + 1
    for case, n in counted.items():
        if n != 5:
            fail("%s: %d measured repetitions, want 5" % (case, n))
    # Held for 100 us between load and save, 8 unlocked windows overlap
    # for certain: the last save of each round wins.
    held = [num(s, "lost_entries") for s in samples if s["method"] == "unlocked" and
            s["procs"] == "8" and s["hold_us"] == "100"]
    if not held or max(held) == 0:
        fail("unlocked, 8 processes, hold 100 us: no entry lost in %s" % held)
    for r in summary:
        if r["method"] == "unlocked":
            print("%s: median %s lost of %s, overlap %s" %
                  (r["case"], r["lost_entries_median"], r["expected_entries"],
                   r["overlap_median"]))


def test_recovery(mmbench, work):
    summary, samples = run_suite(mmbench, work, "mutex-owner-dead",
                                 ["--procs", "2,4", "--reps", "5"])
    check_ok(summary, ["mutex-owner-dead"], ["2", "4"])
    for s in samples:
        if s["verified"] != "1" or num(s, "lost_entries") != 0:
            fail("%s: verified %s lost %s" % (s["case"], s["verified"], s["lost_entries"]))
        if num(s, "owner_dead_recoveries") != 1:
            fail("%s: %s EOWNERDEAD recoveries, want 1" % (s["case"],
                                                           s["owner_dead_recoveries"]))
        # Worker 0 commits half its entries before it dies.
        per = num(s, "entries_per_proc")
        want = (num(s, "procs") - 1) * per + per // 2
        if num(s, "expected_entries") != want:
            fail("%s: expected_entries %s, want %s" % (s["case"], s["expected_entries"], want))


def start_long_run(mmbench, work, out):
    """A run long enough to be interrupted: returns (process, worker pids)."""
    cmd = cmd_for(mmbench, work, out, "flock",
                  ["--procs", "8", "--entries", "3000", "--reps", "50", "--hold-us", "0"])
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        kids = children_of(p.pid)
        if len(kids) >= 8:
            time.sleep(0.2)  # released and adding
            return p, children_of(p.pid) or kids
        if p.poll() is not None:
            fail("the run ended before its workers were seen: %s" % p.stderr.read())
        time.sleep(0.005)
    p.kill()
    fail("no workers appeared within 60 s")


def check_scratch_empty(work, what):
    left = os.listdir(os.path.join(work, "scratch"))
    if left:
        fail("%s left %s in --dir" % (what, left))


def test_sigint(mmbench, work):
    become_subreaper()
    shm_before = set(os.listdir("/dev/shm")) if os.path.isdir("/dev/shm") else set()
    p, kids = start_long_run(mmbench, work, os.path.join(work, "out-int"))
    p.send_signal(signal.SIGINT)
    p.communicate(timeout=60)
    if p.returncode != -signal.SIGINT:
        fail("the parent ended with %s, want death by SIGINT" % p.returncode)
    orphans = [k for k in reap_orphans() if k in kids]
    if orphans:
        fail("workers %s were left to the subreaper: the parent did not reap them" % orphans)
    wait_gone(kids, "SIGINT")
    check_scratch_empty(work, "SIGINT")
    if os.path.exists(os.path.join(work, "out-int", "summary.csv")):
        fail("an interrupted run wrote results")
    if os.path.isdir("/dev/shm"):
        new = [n for n in set(os.listdir("/dev/shm")) - shm_before if "mmbench" in n]
        if new:
            fail("left in /dev/shm: %s" % new)


def test_child_crash(mmbench, work):
    become_subreaper()
    out = os.path.join(work, "out-crash")
    p, kids = start_long_run(mmbench, work, out)
    suitelib.check_child_crash(p, kids, out, "worker")
    check_scratch_empty(work, "a worker's crash")


def test_parent_kill(mmbench, work):
    become_subreaper()
    p, kids = start_long_run(mmbench, work, os.path.join(work, "out-kill"))
    suitelib.check_parent_kill(p, kids, os.path.join(work, "scratch"))


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    bad = [["--procs", "1"], ["--procs", "9"], ["--procs", "2,x"], ["--procs", ""],
           ["--hold-us", "100001"], ["--hold-us", "1ms"], ["--hold-us", ""],
           ["--procs", "-2"], ["--entries", "0"], ["--entries", "99999"],
           ["--entries", "ten"], ["--methods", "mutex,nope"], ["--methods", ""]]
    suitelib.check_bad_options(mmbench, "lostupdates", work, scratch, bad)


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    plot = os.path.join(scripts, "plot-lostupdates")
    run_suite(mmbench, work, "unlocked,mutex", ["--procs", "2,4", "--reps", "2", "--hold-us",
                                                "0,20"])
    out = os.path.join(work, "out-unlocked_mutex")
    suitelib.check_chart(plot, out, "lostupdates", ["unlocked", "mutex"])
    # A subset: columns in another order, an extra column, a method that
    # did not run: drawn, and the failed method named with its status.
    cols = ["note", "method", "extra", "procs", "status", "lost_entries_median",
            "items_per_second_median", "expected_entries", "phase"]
    rows = [["", "flock", "x", "2", "ok", "0", "50000", "400", "total"],
            ["", "flock", "x", "4", "ok", "0", "60000", "800", "total"],
            ["unsupported here: no fork", "mutex", "y", "2",
             "unsupported on this platform", "", "", "400", "total"]]
    suitelib.check_chart_subset(plot, os.path.join(work, "subset"), "lostupdates", cols, rows,
                                "mutex, hold 0 µs (unsupported",
                                "the chart does not say mutex did not run")
    suitelib.check_chart_refuses_empty(plot, work)


def finish(test, work, _):
    if test != "parent_kill":
        check_scratch_empty(work, test)


def main():
    suitelib.main("check_lostupdates.py",
                  {"exact": test_exact, "recovery": test_recovery, "sigint": test_sigint,
                   "child_crash": test_child_crash, "parent_kill": test_parent_kill,
                   "bad_options": test_bad_options, "chart": test_chart},
                  "MB_LOSTUPDATES_TMP", "mbtest-lostupdates.",
                  prepare=lambda work: os.mkdir(os.path.join(work, "scratch")), finish=finish,
                  ok="lostupdates_")


if __name__ == "__main__":
    main()
