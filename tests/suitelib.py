"""What the suites' end-to-end checks (tests/<suite>/check_*.py) share.

A check script puts this folder on sys.path, relative to its own path:
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import suitelib
Exit status: 0 passed, 1 failed (fail()), 77 skipped (skip(); the tests'
SKIP_RETURN_CODE in tests/<suite>/CMakeLists.txt)."""
import csv
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def skip(msg):
    print("SKIP: " + msg)
    sys.exit(SKIP)


def num(row, col):
    """row[col] as a float; fails naming the column (and the case) if it is not one."""
    try:
        return float(row[col])
    except (KeyError, ValueError):
        fail("column %s is %r in %s" % (col, row.get(col), row.get("case")))


def read_csv(path, phase=None):
    """The rows of a CSV file as dicts; only those of `phase` if given."""
    with open(path, newline="") as fh:
        return [r for r in csv.DictReader(fh) if phase is None or r["phase"] == phase]


def run_mmbench(cmd, timeout=150, codes=(0, 1)):
    """Runs cmd (mmbench and its arguments); fails unless it exits with one of `codes`."""
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if p.returncode not in codes:
        fail("%s exited %d: %s" % (" ".join(cmd), p.returncode, p.stderr))
    return p


def check_no_scratch(work):
    """Fails when a mmbench-* scratch file is left in the --dir `work`."""
    left = [n for n in os.listdir(work) if n.startswith("mmbench-")]
    if left:
        fail("scratch files left in --dir: %s" % left)


def expect_exit2(mmbench, suite, work, args, scratch):
    """`mmbench run --suite SUITE --dir SCRATCH ARGS` exits 2 with a message
    on stderr, leaves nothing in `scratch` (if that folder exists) and
    writes no results; returns its stderr."""
    out = os.path.join(work, "out-bad")
    cmd = [mmbench, "run", "--suite", suite, "--dir", scratch, "--out", out, "--quiet", *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if p.returncode != 2:
        fail("%s exited %d, want 2 (stderr %r)" % (args, p.returncode, p.stderr))
    if not p.stderr.strip():
        fail("%s: no message on stderr" % args)
    if os.path.isdir(scratch) and os.listdir(scratch):
        fail("%s left %s in --dir" % (args, os.listdir(scratch)))
    if os.path.exists(os.path.join(out, "summary.csv")):
        fail("%s wrote results" % args)
    return p.stderr


def check_bad_options(mmbench, suite, work, scratch, bad):
    """expect_exit2 for every argument list in `bad`."""
    for args in bad:
        expect_exit2(mmbench, suite, work, args, scratch)


def need_gnuplot():
    if not shutil.which("gnuplot"):
        skip("gnuplot is not installed")


def plot(script, folder):
    """Runs a scripts/plot-* on a results folder; returns the finished process."""
    return subprocess.run([sys.executable, script, folder], capture_output=True, text=True,
                          timeout=60)


def check_chart(script, out, chart, words, what=None):
    """scripts/plot-SUITE (`script`) draws `out`: exit 0, a non-empty
    CHART.svg and CHART.png, the SVG naming every one of `words`, no
    temporary folder left. `what` words the failure when a word is missing
    (default: the word itself)."""
    name = os.path.basename(script)
    q = plot(script, out)
    if q.returncode != 0:
        fail("%s exited %d: %s" % (name, q.returncode, q.stderr))
    for ext in ("svg", "png"):
        path = os.path.join(out, chart + "." + ext)
        if not os.path.exists(path) or not os.path.getsize(path):
            fail("no or empty " + path)
    with open(os.path.join(out, chart + ".svg")) as fh:
        svg = fh.read()
    for word in words:
        if word not in svg:
            fail("the chart does not name " + (what or word))
    if [n for n in os.listdir(out) if n.startswith("." + name)]:
        fail("%s left its temporary folder" % name)


def check_chart_subset(script, subset, chart, cols, rows, says, what):
    """Writes a summary.csv of `cols` and `rows` into the new folder
    `subset`; the chart drawn from it must contain `says` (a case that did
    not run, named with its status), else fails with `what`."""
    os.mkdir(subset)
    with open(os.path.join(subset, "summary.csv"), "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        w.writerows(rows)
    q = plot(script, subset)
    if q.returncode != 0:
        fail("%s failed on a subset: %s" % (os.path.basename(script), q.stderr))
    with open(os.path.join(subset, chart + ".svg")) as fh:
        if says not in fh.read():
            fail(what)


def check_chart_refuses_empty(script, work):
    """The plot script refuses a results folder without summary.csv."""
    empty = os.path.join(work, "empty")
    os.mkdir(empty)
    if plot(script, empty).returncode == 0:
        fail("%s drew from a folder without summary.csv" % os.path.basename(script))


def sigterm_mid_run(mmbench, suite, work, args):
    """Starts a run of `suite` with `args` in work/scratch, sends SIGTERM once
    it has made a scratch file, and fails unless the handlers removed every
    scratch file."""
    scratch = os.path.join(work, "scratch")
    os.makedirs(scratch, exist_ok=True)
    cmd = [mmbench, "run", "--suite", suite, "--dir", scratch, "--out",
           os.path.join(work, "out-term"), "--quiet", "--no-plot", *args]
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        if [n for n in os.listdir(scratch) if n.startswith("mmbench-" + suite)]:
            break
        time.sleep(0.05)
    else:
        p.kill()
        p.wait()
        fail("the run made no scratch file")
    time.sleep(0.3)
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=60)
    if os.listdir(scratch):
        fail("SIGTERM left %s in --dir" % os.listdir(scratch))


def check_space_refused(mmbench, suite, work, args, words=("free",)):
    """A run of `suite` with `args` on a 4 MiB tmpfs exits 2 before making a
    file, with a message holding each of `words`; skips (after what the
    caller checked before) without root or mount."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        skip("the space check needs root to mount a small tmpfs")
    small = os.path.join(work, "small")
    os.mkdir(small)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", small],
                      capture_output=True).returncode != 0:
        skip("mounting a small tmpfs for the space check failed")
    try:
        msg = expect_exit2(mmbench, suite, work, args, small)
        missing = [w for w in words if w not in msg]
        if missing:
            fail("the space error does not say %s: %r" % (" or ".join(missing), msg))
    finally:
        subprocess.run(["umount", small], capture_output=True)


PR_SET_CHILD_SUBREAPER = 36


def become_subreaper():
    """Makes this process the reaper of its orphaned descendants, so that a
    check can count the processes a killed mmbench left behind; skips where
    the kernel refuses."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        skip("cannot become a child subreaper here")


def children_of(pid):
    """Pids whose parent is `pid` (from /proc/*/stat)."""
    kids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(name))
    return kids


def reap_orphans():
    """Reaps what was reparented to this subreaper without waiting; returns
    their pids."""
    got = []
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return got
        if pid == 0:
            return got
        got.append(pid)



def alive(pid):
    """Whether `pid` exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pids, what):
    """Waits up to 20 s (reaping orphans) until none of `pids` is alive;
    fails naming `what` otherwise."""
    deadline = time.time() + 20
    left = pids
    while time.time() < deadline:
        reap_orphans()
        left = [k for k in pids if alive(k)]
        if not left:
            return
        time.sleep(0.05)
    fail("%s: processes %s still alive" % (what, left))


def check_child_crash(p, kids, out, who):
    """SIGKILLs the last of `kids` (children of the run `p`, writing into
    `out`): the run must exit 1 with the case failed naming signal 9, and no
    child may be left to this subreaper or alive."""
    os.kill(kids[-1], signal.SIGKILL)
    _, err = p.communicate(timeout=170)
    if p.returncode != 1:
        fail("the run exited %d after a %s's crash, want 1 (a failed case): %s" %
             (p.returncode, who, err))
    rows = read_csv(os.path.join(out, "summary.csv"), "total")
    if not rows or rows[0]["status"] == "ok" or "signal 9" not in rows[0]["note"]:
        fail("the crashed case is not reported as such: %s" %
             [(r["status"], r["note"]) for r in rows])
    orphans = [k for k in reap_orphans() if k in kids]
    if orphans:
        fail("%s processes %s were left to the subreaper" % (who, orphans))
    wait_gone(kids, "a %s's crash" % who)


def check_parent_kill(p, kids, scratch):
    """SIGKILLs the run `p`: its children `kids` must die with it. A killed
    parent cannot remove its scratch files: what it left in `scratch` is
    noted and removed, so the test's folder is clean."""
    p.kill()
    p.wait(timeout=30)
    wait_gone(kids, "SIGKILL of the parent")
    left = os.listdir(scratch)
    if left:
        print("NOTE: a SIGKILLed parent cannot remove its scratch file: %s" % left)
        for n in left:
            os.remove(os.path.join(scratch, n))

def main(script, tests, tmp_env, prefix, prepare=None, finish=None, ok=None):
    """check_SUITE.py TEST MMBENCH SCRIPTS: runs tests[TEST] with (mmbench,
    work) or, if it takes three arguments, (mmbench, work, scripts), in a
    fresh work folder under $tmp_env (default /var/tmp) removed afterwards.
    prepare(work) runs first, its result handed to finish(test, work, it)
    after a test that passed. Prints "ok: OK" + TEST (or "ok" without `ok`)."""
    if len(sys.argv) != 4:
        fail("usage: %s TEST MMBENCH SCRIPTS" % script)
    test, mmbench, scripts = sys.argv[1:]
    fn = tests.get(test)
    if fn is None:
        fail("unknown test " + test)
    base = os.environ.get(tmp_env, "/var/tmp")
    work = tempfile.mkdtemp(prefix=prefix, dir=base)
    try:
        state = prepare(work) if prepare else None
        if fn.__code__.co_argcount == 3:
            fn(mmbench, work, scripts)
        else:
            fn(mmbench, work)
        if finish:
            finish(test, work, state)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("ok: " + ok + test if ok else "ok")
