#!/usr/bin/env python3
"""End-to-end checks of the startup suite (claim C1): the real binary, its
CSV and JSON read back. Nothing is timed.
Usage: check_startup.py TEST MMBENCH SCRIPTS
  counters      cold and warm starts of two sizes, both variants, and the
                second instance: every case verified, cold checked cold,
                the child's storage reads and faults where expected, the
                second instance sharing the first one's pages (mapped) or
                holding its own copy (read); no executable left
  fold          a stand-in hyperfine on PATH writes a JSON captured from
                hyperfine 1.15: its time lands in samples.csv, summary.csv
                and results.json under every case's name, in ns, and
                its user and system CPU time in user_ns, sys_ns, cpu_ns
  no_hyperfine  PATH without hyperfine: exit 2 with the message, nothing made
  no_compiler   $CC names no program: every case unsupported, saying so
  cache_evict   `mmbench cache-evict`: a file evicted (checked), bad use
  sigint        SIGINT to the parent while two instances run: it dies of
                SIGINT, having reaped every child (this test is their
                subreaper); nothing left in --dir
  child_crash   SIGKILL to a started program mid-run: that case fails
                saying so, the run goes on, nothing left behind
  parent_kill   SIGKILL to the parent mid-run: its children die with it,
                and the next run in the same --dir removes the executables
                it left
  bad_options   bad values of the suite's options, and a --dir with a ', exit 2
                and leave nothing
  chart         scripts/plot-startup draws a run and refuses an empty folder
Scratch files go under $MB_STARTUP_TMP (default /var/tmp)."""
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail, skip, become_subreaper, reap_orphans  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "hyperfine-1.15.json")
num = suitelib.num
MIB = 1 << 20


def need_tools():
    if not shutil.which("hyperfine"):
        skip("hyperfine is not installed")
    if not shutil.which(os.environ.get("CC") or "cc"):
        skip("no C compiler")


def cmd_for(mmbench, work, out, extra):
    return [mmbench, "run", "--suite", "startup", "--quick", "--out", out, "--dir",
            os.path.join(work, "scratch"), "--format", "csv", "--no-plot", "--quiet", *extra]


def run_suite(mmbench, work, name, extra, env=None, codes=(0,)):
    out = os.path.join(work, "out-" + name)
    p = subprocess.run(cmd_for(mmbench, work, out, extra), capture_output=True, text=True,
                       timeout=170, env=env)
    if p.returncode not in codes:
        fail("the run exited %d: %s" % (p.returncode, p.stderr))
    return (out, suitelib.read_csv(os.path.join(out, "summary.csv"), "total"),
            suitelib.read_csv(os.path.join(out, "samples.csv"), "total"))


def check_scratch_empty(work, what):
    left = os.listdir(os.path.join(work, "scratch"))
    if left:
        fail("after %s, --dir holds %s" % (what, left))


def by_case(rows):
    return {r["case"]: r for r in rows}


def check_start_counters(r):
    """One first-instance case's summary row."""
    size, cold = num(r, "size_bytes"), r["cache"] == "cold"
    if cold and num(r, "resident_before_median") != 0:
        fail("%s: not cold before the start" % r["case"])
    if not cold and num(r, "resident_before_median") != num(r, "file_pages_median"):
        fail("%s: not warm before the start" % r["case"])
    read = num(r, "storage_bytes_median")
    if r["method"] == "read":
        # It reads its whole file: cold from storage, warm from the cache.
        if cold and read < size:
            fail("%s: read %d bytes from storage, want at least %d" % (r["case"], read, size))
        if num(r, "max_rss_bytes_median") < size:
            fail("%s: its peak RSS is below the file it read" % r["case"])
    elif cold and read <= 0:
        fail("%s: a cold start read nothing from storage" % r["case"])
    if not cold and read != 0:
        fail("%s: a warm start read %d bytes from storage" % (r["case"], read))
    if cold and num(r, "major_faults_median") < 1:
        fail("%s: a cold start without a major fault" % r["case"])
    if num(r, "wall_ns_median") <= 0 or num(r, "own_start_ns_median") <= 0:
        fail("%s: no start-up time" % r["case"])
    if r.get("own_cpu_ns_median", "") == "" or num(r, "own_cpu_ns_median") < 0:
        fail("%s: no CPU time of mmbench's own start" % r["case"])


def test_counters(mmbench, work):
    need_tools()
    _, summary, samples = run_suite(mmbench, work, "counters",
                                    ["--sizes", "1MiB,4MiB", "--second-size", "4MiB",
                                     "--reps", "3"])
    if len(summary) != 10:
        fail("%d cases, want 10: %s" % (len(summary), [r["case"] for r in summary]))
    for r in summary:
        if r["status"] != "ok":
            fail("%s: %s %s" % (r["case"], r["status"], r["note"]))
        if r["instance"] == "first":
            check_start_counters(r)
    for s in samples:
        if s["verified"] != "1" or s["cache_ok"] != "1":
            fail("%s rep %s: verified %s cache_ok %s" % (s["case"], s["rep"], s["verified"],
                                                          s["cache_ok"]))
    second = {r["method"]: r for r in summary if r["instance"] == "second"}
    mapped, read = second["mapped"], second["read"]
    size = 4 * MIB
    # Both map the same page-cache pages: B's section is shared and half
    # of it charged to B; a copy in the heap is B's own.
    if num(mapped, "shared_clean_bytes_median") < size:
        fail("mapped second instance shares only %s bytes" % mapped["shared_clean_bytes_median"])
    if num(mapped, "private_bytes_median") >= size / 2:
        fail("mapped second instance holds %s private bytes" % mapped["private_bytes_median"])
    if num(read, "private_bytes_median") < size:
        fail("read second instance holds only %s private bytes" % read["private_bytes_median"])
    if num(mapped, "major_faults_median") != 0:
        fail("the second instance waited for I/O on pages the first had read")


def write_fake_hyperfine(bindir):
    """A stand-in hyperfine: runs the command once (so that its exit code is
    the program's), and writes the captured hyperfine 1.15 JSON with that
    exit code to --export-json."""
    path = os.path.join(bindir, "hyperfine")
    with open(path, "w") as f:
        f.write("""#!/usr/bin/env python3
import json, shlex, subprocess, sys
args = sys.argv[1:]
out = args[args.index("--export-json") + 1]
code = subprocess.run(shlex.split(args[-1]), stdout=subprocess.DEVNULL).returncode
with open(%r) as fh:
    d = json.load(fh)
d["results"][0]["exit_codes"] = [code]
with open(out, "w") as fh:
    json.dump(d, fh)
""" % FIXTURE)
    os.chmod(path, stat.S_IRWXU)


def test_fold(mmbench, work):
    need_tools()
    with open(FIXTURE) as f:
        res = json.load(f)["results"][0]
    want_wall = res["times"][0] * 1e9
    want_cpu = {"user_ns": res["user"] * 1e9, "sys_ns": res["system"] * 1e9,
                "cpu_ns": (res["user"] + res["system"]) * 1e9}
    bindir = os.path.join(work, "bin")
    os.mkdir(bindir)
    write_fake_hyperfine(bindir)
    env = dict(os.environ, PATH=bindir + ":" + os.environ.get("PATH", ""))
    out, summary, samples = run_suite(mmbench, work, "fold",
                                      ["--sizes", "1MiB", "--instances", "first", "--reps", "4",
                                       "--format", "csv,json"], env=env)
    names = {"startup/%s/instance:first/size_bytes:1048576/cache:%s" % (m, c)
             for m in ("mapped", "read") for c in ("cold", "warm")}
    if set(by_case(summary)) != names:
        fail("cases %s, want %s" % (sorted(by_case(summary)), sorted(names)))
    for r in summary:
        if r["status"] != "ok" or abs(num(r, "wall_ns_median") - want_wall) > 1:
            fail("%s: status %s, wall_ns_median %s, want %.0f" % (r["case"], r["status"],
                                                                  r["wall_ns_median"], want_wall))
    if len(samples) != 16:
        fail("%d samples, want 4 repetitions of 4 cases" % len(samples))
    for s in samples:
        if abs(num(s, "wall_ns") - want_wall) > 1:
            fail("%s rep %s: wall_ns %s, want %.0f" % (s["case"], s["rep"], s["wall_ns"],
                                                       want_wall))
        # Every CPU column is the start hyperfine timed, none mmbench's own.
        for col, want in want_cpu.items():
            if abs(num(s, col) - want) > 1:
                fail("%s rep %s: %s %s, want hyperfine's %.0f" % (s["case"], s["rep"], col,
                                                                  s[col], want))
    with open(os.path.join(out, "results.json")) as f:
        bench = json.load(f)["benchmarks"]
    seen = set()
    for b in bench:
        if b.get("time_unit") != "ns":
            fail("%s: time_unit %s" % (b["name"], b.get("time_unit")))
        if b["run_type"] == "iteration" or b.get("aggregate_name") == "median":
            if abs(b["real_time"] - want_wall) > 1:
                fail("%s (%s): real_time %s, want %.0f" % (b["name"], b["run_type"],
                                                           b["real_time"], want_wall))
            seen.add(b["run_name"])
    if seen != names:
        fail("results.json names %s, want %s" % (sorted(seen), sorted(names)))


def test_no_hyperfine(mmbench, work):
    bindir = os.path.join(work, "bin")
    os.mkdir(bindir)
    env = dict(os.environ, PATH=bindir)
    out = os.path.join(work, "out-nohf")
    p = subprocess.run(cmd_for(mmbench, work, out, []), capture_output=True, text=True,
                       timeout=60, env=env)
    if p.returncode != 2 or "hyperfine" not in p.stderr:
        fail("without hyperfine: exit %d, stderr %r; want 2 naming hyperfine" %
             (p.returncode, p.stderr))
    if os.path.exists(out):
        fail("without hyperfine, results were written")


def test_no_compiler(mmbench, work):
    if not shutil.which("hyperfine"):
        skip("hyperfine is not installed")
    env = dict(os.environ, CC=os.path.join(work, "no-such-cc"))
    _, summary, _ = run_suite(mmbench, work, "nocc", ["--sizes", "1MiB"], env=env)
    for r in summary:
        if not r["status"].startswith("unsupported") or "no C compiler" not in r["note"]:
            fail("%s without a compiler: %s %s" % (r["case"], r["status"], r["note"]))


def test_cache_evict(mmbench, work):
    path = os.path.join(work, "scratch", "data")
    with open(path, "wb") as f:
        f.write(os.urandom(1 << 20))
    p = subprocess.run([mmbench, "cache-evict", path], capture_output=True, text=True)
    if p.returncode != 0:
        fail("cache-evict of a file exited %d: %s" % (p.returncode, p.stderr))
    p = subprocess.run([mmbench, "cache-evict", path + ".none"], capture_output=True, text=True)
    if p.returncode != 1 or not p.stderr:
        fail("cache-evict of no file exited %d, want 1 with a message" % p.returncode)
    p = subprocess.run([mmbench, "cache-evict"], capture_output=True, text=True)
    if p.returncode != 2 or "usage" not in p.stderr:
        fail("cache-evict without a file exited %d, want 2 with its usage" % p.returncode)
    for arg, want in (("-", 2), ("-x", 2), ("-h", 0), ("--help", 0)):
        p = subprocess.run([mmbench, "cache-evict", arg], capture_output=True, text=True)
        if p.returncode != want or "usage" not in p.stderr:
            fail("cache-evict %s exited %d, want %d with its usage" % (arg, p.returncode, want))
    os.unlink(path)


def descendants(pid):
    """Pids below pid (from /proc/*/stat)."""
    parent = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                st = f.read()
        except OSError:
            continue
        parent[int(d)] = int(st[st.rindex(")") + 2:].split()[1])
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        kids = [k for k, v in parent.items() if v == p]
        out += kids
        todo += kids
    return out


def exe_of(pid):
    try:
        return os.readlink("/proc/%d/exe" % pid)
    except OSError:
        return ""


def start_long_run(mmbench, work, out, instances="first,second", want=1):
    """A run long enough to be interrupted; returns it once `want` of the
    generated programs run at once, with the pid of one of them."""
    cmd = cmd_for(mmbench, work, out, ["--sizes", "16MiB", "--variants", "read",
                                       "--instances", instances, "--second-size", "16MiB",
                                       "--reps", "400"])
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    scratch = os.path.join(work, "scratch")
    deadline = time.time() + 90
    while time.time() < deadline:
        kids = [k for k in descendants(p.pid) if exe_of(k).startswith(scratch)]
        if len(kids) >= want:
            return p, kids[0]
        if p.poll() is not None:
            fail("the run ended before its programs were seen: %s" % p.stderr.read())
        time.sleep(0.001)
    p.kill()
    fail("%d generated programs were not seen running at once within 90 s" % want)


def wait_no_descendants(pid, what):
    deadline = time.time() + 20
    while time.time() < deadline:
        reap_orphans()
        if not descendants(pid) and not reap_orphans():
            return
        time.sleep(0.05)
    fail("after %s, processes are still running" % what)


def test_sigint(mmbench, work):
    need_tools()
    become_subreaper()
    # Two held instances at once: the signal must end both.
    p, _ = start_long_run(mmbench, work, os.path.join(work, "out-int"), "second", 2)
    p.send_signal(signal.SIGINT)
    p.communicate(timeout=60)
    if p.returncode != -signal.SIGINT:
        fail("SIGINT: the run exited %d, want death by SIGINT" % p.returncode)
    orphans = reap_orphans()
    if orphans:
        fail("SIGINT left children %s to the subreaper" % orphans)
    check_scratch_empty(work, "SIGINT")


def test_child_crash(mmbench, work):
    need_tools()
    become_subreaper()
    out2 = os.path.join(work, "out-crash")
    q, kid = start_long_run(mmbench, work, out2, "second")
    os.kill(kid, signal.SIGKILL)
    _, err = q.communicate(timeout=170)
    if q.returncode != 1:
        fail("a run whose program was killed exited %d, want 1 (a failed case): %s" %
             (q.returncode, err))
    rows = suitelib.read_csv(os.path.join(out2, "summary.csv"), "total")
    if not rows or rows[0]["status"] == "ok" or "signal 9" not in rows[0]["note"]:
        fail("the killed start is not reported as such: %s" %
             [(r["status"], r["note"]) for r in rows])
    wait_no_descendants(os.getpid(), "a child's crash")
    check_scratch_empty(work, "a child's crash")


def test_parent_kill(mmbench, work):
    need_tools()
    become_subreaper()
    p, _ = start_long_run(mmbench, work, os.path.join(work, "out-kill"))
    p.kill()
    p.wait(timeout=30)
    wait_no_descendants(os.getpid(), "SIGKILL of the parent")
    left = [n for n in os.listdir(os.path.join(work, "scratch")) if n.startswith("mmbench-")]
    if not left:
        fail("a SIGKILLed run left no executable: the test saw no run to kill")
    # A SIGKILLed run cannot remove its files: the next run does.
    p = subprocess.run(cmd_for(mmbench, work, os.path.join(work, "out-next"),
                               ["--sizes", "1MiB", "--instances", "first", "--variants",
                                "mapped", "--caches", "warm", "--reps", "1"]),
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0 or "left by a run that ended" not in p.stderr:
        fail("the next run (exit %d) did not remove %s: %s" % (p.returncode, left, p.stderr))
    check_scratch_empty(work, "the run after a SIGKILL")


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    bad = [["--sizes", "0"], ["--sizes", "1GiB"], ["--sizes", "1MiB,1000"],
           ["--sizes", "1048577"], ["--sizes", ""], ["--variants", "mapped,nope"],
           ["--caches", "hot"], ["--second-size", "4KiB"], ["--second-size", "1049000"],
           ["--instances", "third"]]
    suitelib.check_bad_options(mmbench, "startup", work, scratch, bad)
    # hyperfine splits its command lines itself: a ' in a path is refused.
    quoted = os.path.join(work, "it's")
    os.mkdir(quoted)
    err = suitelib.expect_exit2(mmbench, "startup", work, [], quoted)
    if "without a '" not in err:
        fail("a --dir with a ' is refused without saying why: %s" % err)


def test_chart(mmbench, work, scripts):
    need_tools()
    suitelib.need_gnuplot()
    out, _, _ = run_suite(mmbench, work, "chart", ["--sizes", "1MiB,2MiB", "--second-size",
                                                   "1MiB", "--reps", "2"])
    suitelib.check_chart(os.path.join(scripts, "plot-startup"), out, "startup",
                         ["mapped, cold", "reads its file at start, warm", "Second instance"])
    suitelib.check_chart_refuses_empty(os.path.join(scripts, "plot-startup"), work)


def finish(test, work, _):
    if test != "parent_kill":
        check_scratch_empty(work, test)


def main():
    suitelib.main("check_startup.py",
                  {"counters": test_counters, "fold": test_fold, "no_hyperfine": test_no_hyperfine,
                   "no_compiler": test_no_compiler, "cache_evict": test_cache_evict,
                   "sigint": test_sigint, "child_crash": test_child_crash,
                   "parent_kill": test_parent_kill, "bad_options": test_bad_options,
                   "chart": test_chart},
                  "MB_STARTUP_TMP", "mbtest-startup.",
                  prepare=lambda work: os.mkdir(os.path.join(work, "scratch")), finish=finish,
                  ok="startup_")


if __name__ == "__main__":
    main()
