#!/usr/bin/env python3
"""End-to-end checks of the outofcore suite and of --mem-limit.
Usage: check_outofcore.py TEST MMBENCH SCRIPTS, TEST one of: cgroup,
no_cgroup, bad_options, interrupt, verify, chart, threads, threads_quick,
threads_bad, threads_compare, threads_verify, threads_truncate.

The runs read a 64 MiB file under a 16 MiB limit for 4 s per method. A
check that needs a writable memory cgroup (root) or setpriv skips (77)
with the reason where there is none."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail, skip, num, read_csv  # noqa: E402

LIMIT = 16 << 20
FILE = 64 << 20
SMALL = ["--mem-limit", "16MiB", "--file-size", "64MiB", "--duration", "4",
         "--interval-ms", "100", "--reps", "1"]
METHODS = ("pread", "mmap")


def run_args(mmbench, work, name, extra=()):
    scratch = os.path.join(work, "scratch-" + name)
    os.makedirs(scratch, exist_ok=True)
    out = os.path.join(work, "out-" + name)
    return [mmbench, "run", "--suite", "outofcore", "--dir", scratch, "--out", out, "--quiet",
            "--no-plot", *SMALL, *extra], scratch, out


def cgroup_dir(pid):
    """The directory of the memory cgroup process `pid` is in, or None."""
    try:
        with open("/proc/%d/cgroup" % pid) as fh:
            lines = [ln.rstrip("\n").split(":", 2) for ln in fh]
    except OSError:
        return None
    mounts = {}
    with open("/proc/self/mountinfo") as fh:
        for ln in fh:
            left, right = ln.split(" - ", 1)
            root, mnt = left.split()[3:5]
            fstype, _, opts = right.split()[:3]
            if fstype == "cgroup2":
                mounts["v2"] = (root, mnt)
            elif fstype == "cgroup" and "memory" in opts.split(","):
                mounts["v1"] = (root, mnt)
    for hier, ctrl, path in lines:
        key = "v2" if hier == "0" and ctrl == "" else "v1" if "memory" in ctrl.split(",") else None
        if key in mounts and "mmbench-" in path:
            root, mnt = mounts[key]
            rel = path[len(root):] if root != "/" and path.startswith(root) else path
            return mnt + rel
    return None


def limit_of(d):
    for name in ("memory.max", "memory.limit_in_bytes"):
        p = os.path.join(d, name)
        if os.path.exists(p):
            with open(p) as fh:
                return int(fh.read().split()[0])
    fail("no limit file in " + d)


def start_and_find_cgroup(cmd):
    """Starts the run; returns (process, its cgroup dir) once it is inside
    the cgroup, or skips when the run finishes without one."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for _ in range(400):
        d = cgroup_dir(p.pid)
        if d:
            return p, d
        if p.poll() is not None:
            break
        time.sleep(0.025)
    out, err = p.communicate(timeout=120)
    if "no writable memory cgroup" in out + err or "unsupported" in out + err:
        skip("no writable memory cgroup here: %s" % (err or out).strip()[:300])
    fail("the run never entered a memory cgroup (exit %s): %s" % (p.returncode, err))


def check_series(out, limit=LIMIT, threads=1):
    rows = read_csv(os.path.join(out, "timeseries.csv"))
    if any(r["threads"] != str(threads) for r in rows):
        fail("timeseries.csv: threads column %s, want %d" %
             (sorted({r["threads"] for r in rows}), threads))
    for m in METHODS:
        mine = [r for r in rows if r["method"] == m]
        if len(mine) < 4:
            fail("%d intervals of %s in timeseries.csv" % (len(mine), m))
        ts = [num(r, "t_s") for r in mine]
        if ts != sorted(ts):
            fail("the %s series is not in time order" % m)
        for r in mine:
            # The limit caps the page cache: the file never stays cached.
            if num(r, "resident_pages") * 4096 > limit:
                fail("%s: %s resident pages exceed the %d-byte limit" %
                     (m, r["resident_pages"], limit))
            if r["charged_bytes"] and num(r, "charged_bytes") > limit:
                fail("%s: %s bytes charged, above the limit" % (m, r["charged_bytes"]))
            if num(r, "reads") <= 0 or num(r, "iops") <= 0:
                fail("%s: an interval without reads: %s" % (m, r))
        # Four threads can fill the 16 MiB in the first 100 ms interval:
        # there, resident_before (0, check_summary) says the start was cold.
        if threads == 1 and num(mine[0], "resident_pages") >= num(mine[-1], "resident_pages"):
            fail("%s: the cache did not fill from cold (%s then %s pages)" %
                 (m, mine[0]["resident_pages"], mine[-1]["resident_pages"]))


def check_summary(out, limit=LIMIT, size=FILE, threads=1):
    rows = [r for r in read_csv(os.path.join(out, "summary.csv")) if r["phase"] in ("", "total")]
    by = {r["method"]: r for r in rows}
    for m in METHODS:
        r = by.get(m)
        if r and r["status"].startswith("unsupported"):
            skip("no writable memory cgroup here: " + r["note"])
        if not r or r["status"] != "ok":
            fail("%s did not pass: %s" % (m, r and r.get("note")))
        if num(r, "file_bytes") != size or num(r, "mem_limit_bytes") != limit:
            fail("%s: wrong file_bytes / mem_limit_bytes columns" % m)
        if num(r, "threads") != threads:
            fail("%s: threads column %s, want %d" % (m, r["threads"], threads))
        if num(r, "resident_before_median") != 0:
            fail("%s: the file was not cold at the start" % m)
        if num(r, "steady_iops_median") <= 0 or num(r, "reads_median") <= 0:
            fail("%s: no steady-state IOPS or reads" % m)
        if not 0 < num(r, "fill_s_median") <= 2.1:  # the first half of the 4 s
            fail("%s: fill_s %s after the first half of the pass" % (m, r["fill_s_median"]))
        if num(r, "steady_resident_pages_median") * 4096 > limit:
            fail("%s: steady resident pages above the limit" % m)
        # The pass measures itself, and hands over the counters of its
        # reading, every thread's: a read call or a few more (short reads)
        # per read.
        calls, reads = num(r, "os_calls_median"), num(r, "reads_median")
        if m == "pread" and not reads <= calls <= 1.01 * reads:
            fail("pread: %s read calls for %s reads" % (r["os_calls_median"], r["reads_median"]))
        if not 0 < num(r, "cpu_ns_median") <= 1.1 * threads * num(r, "wall_ns_median"):
            fail("%s: cpu_ns %s for wall_ns %s" % (m, r["cpu_ns_median"], r["wall_ns_median"]))
    with open(os.path.join(out, "results.json")) as fh:
        doc = json.load(fh)
    iters = [b for b in doc["benchmarks"] if b["run_type"] == "iteration"]
    for m in METHODS:
        if not any(("/%s/" % m) in b["name"] and b.get("steady_iops", 0) > 0 for b in iters):
            fail("results.json carries no steady_iops for " + m)
    # A 1-thread case keeps its old name; any other names its thread count.
    for b in iters:
        named = "/threads:" in b["name"]
        if named != (threads > 1) or (named and "/threads:%d/" % threads not in b["name"]):
            fail("results.json: %s does not name %d thread(s) as it should" % (b["name"], threads))
    if "timeseries.csv" not in os.listdir(out):
        fail("the time series is not in the result set")


def test_cgroup(mmbench, work):
    cmd, scratch, out = run_args(mmbench, work, "cg")
    p, d = start_and_find_cgroup(cmd)
    if os.path.basename(d) != "mmbench-%d" % p.pid:
        fail("the cgroup is named %s" % d)
    if limit_of(d) != LIMIT:
        fail("the cgroup's limit is %d, want %d" % (limit_of(d), LIMIT))
    stdout, err = p.communicate(timeout=150)
    if p.returncode != 0:
        fail("the run exited %d: %s" % (p.returncode, err))
    if os.path.exists(d):
        fail("the cgroup %s was left after the run" % d)
    suitelib.check_no_scratch(scratch)
    check_series(out)
    check_summary(out)


def test_no_cgroup(mmbench, work):
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        skip("needs root and setpriv to run as a user who may not make cgroups")
    os.chmod(work, 0o777)
    cmd, scratch, out = run_args(mmbench, work, "user")
    os.chmod(scratch, 0o777)
    # Without --reps and --mem-limit: the suite's own defaults apply.
    for opt in ("--reps", "--mem-limit"):
        i = cmd.index(opt)
        del cmd[i:i + 2]
    user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    p = subprocess.run(user + cmd, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        fail("the run without a writable cgroup exited %d, want 0: %s" % (p.returncode, p.stderr))
    rows = [r for r in read_csv(os.path.join(out, "summary.csv")) if r["phase"] in ("", "total")]
    if sorted(r["method"] for r in rows) != sorted(METHODS):
        fail("cases reported: %s" % [r["method"] for r in rows])
    for r in rows:
        if not r["status"].startswith("unsupported") or \
                "no writable memory cgroup" not in r["note"]:
            fail("%s: status %r, note %r" % (r["method"], r["status"], r["note"]))
    suitelib.check_no_scratch(scratch)
    if os.path.exists(os.path.join(out, "timeseries.csv")):
        fail("a time series was written without a limit")
    with open(os.path.join(out, "results.json")) as fh:
        opts = json.load(fh)["context"]["options"]
    want = {"reps": "3", "warmup": "0", "mem-limit": "128MiB"}
    if any(opts.get(k) != v for k, v in want.items()):
        fail("the suite's defaults were not applied: %s" % {k: opts.get(k) for k in want})


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--mem-limit", v] for v in ("0", "15MiB", "-1", "abc", "1.5GiB", "", "2PiB")]
    bad += [["--mem-limit", "none"], ["--block", "3000"], ["--file-size", "100MiB", "--block",
            "1MiB", "--file-size", "100001KiB"], ["--duration", "1", "--interval-ms", "500"],
            ["--methods", "read"], ["--duration", "0"], ["--file-size", "1TiB"]]
    for args in bad:
        suitelib.expect_exit2(mmbench, "outofcore", work, args, scratch)
    # The message names the suite's real defaults (its run_defaults).
    err = suitelib.expect_exit2(mmbench, "outofcore", work, ["--mem-limit", "none"], scratch)
    if "its default is 128MiB; 32MiB with --quick" not in err:
        fail("--mem-limit none: the message does not name the defaults: %r" % err)
    # --mem-limit is a run option of every suite.
    suitelib.expect_exit2(mmbench, "records", work, ["--mem-limit", "1X"], scratch)


def test_interrupt(mmbench, work):
    cmd, scratch, out = run_args(mmbench, work, "int")
    cmd = [c if c != "4" else "30" for c in cmd]  # --duration 30: Ctrl-C comes first
    p, d = start_and_find_cgroup(cmd)
    for _ in range(400):
        if [n for n in os.listdir(scratch) if n.startswith("mmbench-outofcore")]:
            break
        time.sleep(0.025)
    time.sleep(1.0)
    p.send_signal(signal.SIGINT)
    p.communicate(timeout=60)
    if p.returncode != -signal.SIGINT:
        fail("the interrupted run ended with %d, not by SIGINT" % p.returncode)
    if os.path.exists(d):
        fail("Ctrl-C left the cgroup %s" % d)
    suitelib.check_no_scratch(scratch)
    if os.path.exists(out):
        fail("Ctrl-C left --out")


def wait_for_file(p, scratch):
    """The run's scratch file once it has its full size, a moment later."""
    path = None
    for _ in range(800):
        names = [n for n in os.listdir(scratch) if n.startswith("mmbench-outofcore")]
        if names and os.path.getsize(os.path.join(scratch, names[0])) == FILE:
            path = os.path.join(scratch, names[0])
            break
        time.sleep(0.01)
    if not path:
        p.kill()
        fail("the run made no complete scratch file")
    time.sleep(0.5)
    return path


def verify_run(mmbench, work, extra):
    """Blocks that change under the run are caught: the file is overwritten
    with zeros once mmbench has made it, and a case fails naming a block."""
    cmd, scratch, out = run_args(mmbench, work, "verify", extra)
    p, _ = start_and_find_cgroup(cmd)
    path = wait_for_file(p, scratch)
    with open(path, "r+b") as fh:
        for _ in range(FILE >> 20):
            fh.write(bytes(1 << 20))
    _, err = p.communicate(timeout=150)
    if p.returncode != 1:
        fail("a run that read changed blocks exited %d, want 1: %s" % (p.returncode, err))
    rows = [r for r in read_csv(os.path.join(out, "summary.csv")) if r["phase"] in ("", "total")]
    caught = [r for r in rows if "folds to" in r["note"] and "the content function" in r["note"]]
    if not caught:
        fail("no case says which block was wrong: %s" % [(r["status"], r["note"]) for r in rows])
    suitelib.check_no_scratch(scratch)


def test_verify(mmbench, work):
    verify_run(mmbench, work, ())


def test_threads(mmbench, work, scripts):
    """--threads 4 under the cgroup: what test_cgroup checks of one thread,
    the thread count in every output and the chart's title, and the
    counters of all four (pread: a read call per read, whichever thread made
    it)."""
    cmd, scratch, out = run_args(mmbench, work, "thr", ["--threads", "4"])
    p, _ = start_and_find_cgroup(cmd)
    _, err = p.communicate(timeout=150)
    if p.returncode != 0:
        fail("the run exited %d: %s" % (p.returncode, err))
    suitelib.check_no_scratch(scratch)
    check_series(out, threads=4)
    check_summary(out, threads=4)
    if shutil.which("gnuplot"):
        suitelib.check_chart(os.path.join(scripts, "plot-outofcore"), out, "outofcore",
                             ["pread", "mmap", "4 threads at once"])


def test_threads_quick(mmbench, work):
    """`--quick --threads 4` with the suite's own limit (no --mem-limit)."""
    scratch, out = os.path.join(work, "scratch"), os.path.join(work, "out")
    os.mkdir(scratch)
    cmd = [mmbench, "run", "--suite", "outofcore", "--dir", scratch, "--out", out, "--quiet",
           "--no-plot", "--quick", "--threads", "4"]
    p, _ = start_and_find_cgroup(cmd)
    _, err = p.communicate(timeout=150)
    if p.returncode != 0:
        fail("the run exited %d: %s" % (p.returncode, err))
    suitelib.check_no_scratch(scratch)
    check_series(out, limit=32 << 20, threads=4)
    check_summary(out, limit=32 << 20, size=128 << 20, threads=4)


def test_threads_bad(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    for v in ("0", "-1", "abc", "65", "1000", "1.5", "", "4x"):
        err = suitelib.expect_exit2(mmbench, "outofcore", work, ["--threads", v], scratch)
        if "--threads" not in err:
            fail("--threads %r: the message does not name the option: %r" % (v, err))


def test_threads_compare(mmbench, work):
    """`mmbench compare` pairs cases of the same --threads only."""
    docs = {}
    for n in ("2", "1"):
        cmd, scratch, out = run_args(mmbench, work, "cmp" + n,
                                     ["--threads", n, "--methods", "pread"])
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=150)
        if p.returncode != 0:
            fail("--threads %s: the run exited %d: %s" % (n, p.returncode, p.stderr))
        if any(r["status"].startswith("unsupported")
               for r in read_csv(os.path.join(out, "summary.csv"))):
            skip("no writable memory cgroup here: nothing to compare")
        docs[n] = os.path.join(out, "results.json")

    def paired(base, head):
        p = subprocess.run([mmbench, "compare", "--metric", "steady_iops", "--format", "json",
                            base, head], capture_output=True, text=True, timeout=60)
        try:
            rows = json.loads(p.stdout)["benchmarks"]
        except (ValueError, KeyError):
            fail("compare exited %d without a JSON table: %s" % (p.returncode, p.stderr))
        return [b["name"] for b in rows if b["n_base"] > 0 and b["n_head"] > 0]
    same = paired(docs["2"], docs["2"])
    if len(same) != 1 or "/threads:2/" not in same[0]:
        fail("a 2-thread run compared with itself pairs %s" % same)
    if paired(docs["2"], docs["1"]) or paired(docs["1"], docs["2"]):
        fail("a 2-thread case was paired with a 1-thread case")


def test_threads_verify(mmbench, work):
    verify_run(mmbench, work, ["--threads", "4"])


def test_threads_truncate(mmbench, work):
    """The file truncated under a 4-thread mmap pass: each thread that
    touches the mapping gets SIGBUS, caught on its own thread; the case fails
    saying so, the run exits 1 (not killed by the signal) and removes its
    files."""
    cmd, scratch, out = run_args(mmbench, work, "trunc",
                                 ["--threads", "4", "--methods", "mmap"])
    cmd[cmd.index("--duration") + 1] = "30"
    p, _ = start_and_find_cgroup(cmd)
    os.truncate(wait_for_file(p, scratch), 0)
    _, err = p.communicate(timeout=60)
    if p.returncode != 1:
        fail("the truncated run exited %d, want 1: %s" % (p.returncode, err))
    rows = [r for r in read_csv(os.path.join(out, "summary.csv")) if r["phase"] in ("", "total")]
    if not rows or "truncated during the pass" not in rows[0]["note"]:
        fail("the case does not say the file was truncated: %s" %
             [(r["status"], r["note"]) for r in rows])
    suitelib.check_no_scratch(scratch)


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    cmd, scratch, out = run_args(mmbench, work, "chart")
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=150)
    if p.returncode != 0:
        fail("the run exited %d: %s" % (p.returncode, p.stderr))
    rows = read_csv(os.path.join(out, "summary.csv"))
    if any(r["status"].startswith("unsupported") for r in rows):
        skip("no writable memory cgroup here: nothing to draw")
    suitelib.check_chart(os.path.join(scripts, "plot-outofcore"), out, "outofcore",
                         ["pread", "mmap", "memory limit 16 MiB", "file 64 MiB"])
    suitelib.check_chart_refuses_empty(os.path.join(scripts, "plot-outofcore"), work)


def main():
    suitelib.main("check_outofcore.py",
                  {"cgroup": test_cgroup, "no_cgroup": test_no_cgroup,
                   "bad_options": test_bad_options, "interrupt": test_interrupt,
                   "verify": test_verify, "chart": test_chart, "threads": test_threads,
                   "threads_quick": test_threads_quick, "threads_bad": test_threads_bad,
                   "threads_compare": test_threads_compare,
                   "threads_verify": test_threads_verify,
                   "threads_truncate": test_threads_truncate},
                  "MB_OUTOFCORE_TMP", "mbtest-outofcore.", ok="outofcore_")


if __name__ == "__main__":
    main()
