#!/usr/bin/env python3
"""Checks the share suite through the real binary: check_share.py TEST MMBENCH SCRIPTS

TEST is one of
  run          every channel and mapping at two sizes: each case ok (or
               "unsupported here: reason"), every sample verified, one work
               item per round trip, no process and no /dev/shm name left
  sigint       SIGINT to the parent mid-run: it dies, its children die with
               it (PR_SET_PDEATHSIG), no /dev/shm name or scratch file is left
  child_crash  SIGKILL to a child mid-run: its case fails naming the death,
               the others finish, the run exits 1 and leaves no process
  no_shm       inside a mount namespace whose /dev/shm is read-only (unshare
               -rm): the by-name case is "unsupported here" with the reason,
               every other case runs
  bad_options  bad values of the suite's options exit 2 and leave nothing
  chart        scripts/plot-share draws a subset, and refuses a results
               folder without summary.csv
The test makes itself a child subreaper so that orphans of a killed run
come back to it and can be counted and reaped. Scratch files go under
$MB_SHARE_TMP (default /var/tmp)."""
import glob
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail, skip, become_subreaper, children_of  # noqa: E402

def reap_orphans(timeout=10.0):
    """Reaps every child that comes back to this subreaper; fails when one
    is still alive after `timeout` seconds."""
    end = time.time() + timeout
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.time() > end:
                fail("processes still alive: %s" % children_of(os.getpid()))
            time.sleep(0.05)


def shm_names(pid=None):
    pat = "/dev/shm/mmbench-share-%s-*" % (pid if pid else "*")
    return glob.glob(pat)


def base_cmd(mmbench, work, out, extra=()):
    return [mmbench, "run", "--suite", "share", "--quick", "--out", out, "--dir", work,
            "--format", "csv", "--no-plot", "--quiet", *extra]


def read_summary(out):
    return suitelib.read_csv(os.path.join(out, "summary.csv"), "total")


def test_run(mmbench, work):
    out = os.path.join(work, "out")
    cmd = base_cmd(mmbench, work, out, ["--sizes", "8,4KiB", "--round-trips", "40",
                                        "--reps", "3", "--warmup", "1"])
    suitelib.run_mmbench(cmd, codes=(0,))
    rows = read_summary(out)
    channels = {r["channel"] for r in rows}
    mappings = {r["mapping"] for r in rows}
    want_ch = {"futex", "condvar", "eventfd", "pipe-notify", "pipe", "socket"}
    want_map = {"name", "inherit-anon", "inherit-file", "scm-rights", "pidfd-getfd", "none"}
    if channels != want_ch or mappings != want_map:
        fail("channels %s mappings %s" % (sorted(channels), sorted(mappings)))
    if len(rows) != 2 * 6 + 4:
        fail("%d cases, want 16" % len(rows))
    # A size given twice is one case.
    out2 = os.path.join(work, "out2")
    cmd = base_cmd(mmbench, work, out2, ["--sizes", "8,8B,8", "--round-trips", "10",
                                         "--channels", "socket", "--reps", "1"])
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if p.returncode != 0 or len(read_summary(out2)) != 1:
        fail("--sizes 8,8B,8: exit %d, %s" % (p.returncode, p.stderr))
    for r in rows:
        if r["status"] != "ok":
            if "unsupported" in r["status"] and r["note"]:
                print("NOTE: %s: %s" % (r["case"], r["note"]))
                continue
            fail("%s: status %s (%s)" % (r["case"], r["status"], r["note"]))
        if float(r["work_items_median"]) != float(r["messages"]):
            fail("%s: %s work items for %s round trips" %
                 (r["case"], r["work_items_median"], r["messages"]))
        want_bytes = float(r["messages"]) * float(r["msg_bytes"])
        if float(r["work_bytes_median"]) != want_bytes:
            fail("%s: work_bytes %s, want %s" % (r["case"], r["work_bytes_median"], want_bytes))
        p50, p99 = float(r["round_trip_p50_ns_median"]), float(r["round_trip_p99_ns_median"])
        if not 0 < p50 <= p99:
            fail("%s: p50 %s p99 %s" % (r["case"], p50, p99))
        # The child checks every message: it used CPU time in every pass.
        if not float(r["child_cpu_ns_median"]) > 0 or not float(r["cpu_ns_per_round_trip_median"]) > 0:
            fail("%s: child CPU %s, CPU per round trip %s" % (
                r["case"], r["child_cpu_ns_median"], r["cpu_ns_per_round_trip_median"]))
    for s in suitelib.read_csv(os.path.join(out, "samples.csv")):
        if s["verified"] != "1":
            fail("sample not verified: %s" % s)


def start_long_run(mmbench, work, out, round_trips="4000", reps="40"):
    cmd = base_cmd(mmbench, work, out, ["--sizes", "8,64KiB", "--round-trips", round_trips,
                                        "--reps", reps, "--warmup", "0"])
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Every case forks its child in setup, before the first repetition.
    end = time.time() + 30
    kids = []
    while time.time() < end and p.poll() is None:
        kids = children_of(p.pid)
        if len(kids) >= 16:
            break
        time.sleep(0.05)
    if p.poll() is not None:
        fail("the run ended before its children were up: %s" % p.communicate()[1])
    if len(kids) < 16:
        fail("only %d children after 30 s" % len(kids))
    time.sleep(0.1)
    return p, kids


def test_sigint(mmbench, work):
    become_subreaper()
    out = os.path.join(work, "out")
    p, kids = start_long_run(mmbench, work, out)
    os.kill(p.pid, signal.SIGINT)  # the parent alone, not its process group
    try:
        p.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("the run did not stop on SIGINT")
    if p.returncode >= 0:
        fail("the run exited %d on SIGINT, want death by the signal" % p.returncode)
    reap_orphans()
    alive = [k for k in kids if os.path.exists("/proc/%d" % k)]
    if alive:
        fail("children still alive after SIGINT of the parent: %s" % alive)
    if shm_names(p.pid):
        fail("/dev/shm names left: %s" % shm_names(p.pid))


def test_child_crash(mmbench, work):
    become_subreaper()
    out = os.path.join(work, "out")
    # Interleaved repetitions: every case still has some to run when the
    # child is killed early on, so its death is seen.
    p, kids = start_long_run(mmbench, work, out, round_trips="1000", reps="15")
    victim = kids[len(kids) // 2]
    os.kill(victim, signal.SIGKILL)
    try:
        _, err = p.communicate(timeout=150)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("the run hung after a child was killed")
    if p.returncode != 1:
        fail("the run exited %d after a child died, want 1: %s" % (p.returncode, err))
    rows = read_summary(out)
    dead = [r for r in rows if r["status"] != "ok" and "unsupported" not in r["status"]]
    if len(dead) != 1:
        fail("%d failed cases, want 1: %s" % (len(dead), [(r["case"], r["note"]) for r in dead]))
    if "died" not in dead[0]["note"] or "signal 9" not in dead[0]["note"]:
        fail("the failed case does not say its child died of SIGKILL: %r" % dead[0]["note"])
    reap_orphans(timeout=2)
    if children_of(p.pid):
        fail("children left: %s" % children_of(p.pid))
    if shm_names(p.pid):
        fail("/dev/shm names left: %s" % shm_names(p.pid))


def test_no_shm(mmbench, work):
    if not shutil.which("unshare"):
        skip("no unshare(1)")
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o ro none /dev/shm"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        skip("cannot make a mount namespace here: " + probe.stderr.strip())
    out = os.path.join(work, "out")
    cmd = base_cmd(mmbench, work, out, ["--sizes", "8", "--round-trips", "20",
                                        "--channels", "futex", "--reps", "2"])
    script = 'mount -t tmpfs -o ro none /dev/shm && exec "$@"'
    p = subprocess.run(["unshare", "-rm", "sh", "-c", script, "sh", *cmd],
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fail("%s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr))
    rows = {r["mapping"]: r for r in read_summary(out)}
    name = rows.get("name")
    if not name or "unsupported" not in name["status"] or \
            not name["note"].startswith("shm_open"):
        fail("the by-name case without /dev/shm: %s" % name)
    for m, r in rows.items():
        if m != "name" and r["status"] != "ok" and \
                ("unsupported" not in r["status"] or not r["note"]):
            fail("%s: %s (%s)" % (m, r["status"], r["note"]))


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--sizes", "7"], ["--sizes", "0"], ["--sizes", "12x"], ["--sizes", "128MiB"],
           ["--sizes", "8,100"], ["--sizes", ""], ["--channels", "futex,nope"],
           ["--mappings", "shm"], ["--channels", "pipe,socket", "--mappings", "name"],
           ["--round-trips", "0"], ["--round-trips", "-3"],
           ["--bytes-per-pass", "4"], ["--bytes-per-pass", "1Q"]]
    suitelib.check_bad_options(mmbench, "share", work, scratch, bad)


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    plot = os.path.join(scripts, "plot-share")
    out = os.path.join(work, "out")
    cmd = base_cmd(mmbench, work, out, ["--sizes", "8,4KiB", "--round-trips", "20",
                                        "--channels", "futex,pipe", "--mappings",
                                        "inherit-anon,pidfd-getfd", "--reps", "2"])
    suitelib.run_mmbench(cmd, codes=(0,))
    suitelib.check_chart(plot, out, "share", ["futex", "pipe"])
    # Columns in another order, an unknown column, a channel that did not run.
    cols = ["note", "channel", "status", "extra", "mapping", "msg_bytes", "phase",
            "ns_per_item_median", "bytes_per_second_median", "round_trip_p99_ns_median"]
    rows = [["", "socket", "ok", "x", "none", "8", "total", "9000", "888", "20000"],
            ["", "socket", "ok", "x", "none", "65536", "total", "30000", "2e9", "50000"],
            ["boom", "eventfd", "failed", "y", "inherit-anon", "8", "total", "", "", ""]]
    suitelib.check_chart_subset(plot, os.path.join(work, "subset"), "share", cols, rows,
                                "eventfd (failed", "the chart does not say eventfd did not run")
    suitelib.check_chart_refuses_empty(plot, work)


def finish(test, work, before):
    suitelib.check_no_scratch(work)
    if test in ("run", "bad_options"):
        new = set(shm_names()) - before
        if new:
            fail("/dev/shm names left: %s" % sorted(new))


def main():
    suitelib.main("check_share.py",
                  {"run": test_run, "sigint": test_sigint, "child_crash": test_child_crash,
                   "no_shm": test_no_shm, "bad_options": test_bad_options, "chart": test_chart},
                  "MB_SHARE_TMP", "mbtest-share.",
                  prepare=lambda work: set(shm_names()), finish=finish, ok="share_")


if __name__ == "__main__":
    main()
