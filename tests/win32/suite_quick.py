"""Runs `mmbench.exe run --suite SUITE --quick` (with the options SUITES
gives it, under Wine when an emulator is given, as the cross build does)
and reads what it wrote back:
samples.csv, summary.csv and results.json must be there, complete and
honest about where they were measured: under Wine every file says so
(detected, not configured), counters Wine cannot give are absent rather
than 0, no case is labelled cold that was not, and every case is either
measured and verified or reported unsupported with the reason this
script expects for it. A suite may add checks of its own that are not
per entry (other runs, its own columns); a suite Win32 cannot run at all
must refuse, with its reason, before writing anything. Formats and facts
only: no timing is judged.
Usage: suite_quick.py CHECK MMBENCH_EXE [EMULATOR...]
CHECK is a suite's name, or a name in SUITES that runs a suite with options."""
import csv
import glob
import io
import json
import os
import re
import subprocess
import sys
import tempfile

REPS = 5  # --quick
RECORDS = 1000

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


# ---- what each suite must measure, and what it must refuse and why ---------
#
# expect(case, params, under_wine) returns None for a case that must be
# measured, or the words its "unsupported" reason must contain.
# iteration(case, params, entry, under_wine) checks one JSON iteration entry
# of a measured case. extra(mmbench, folder, under_wine) makes the checks
# that are not per entry, after the others: mmbench(args) runs mmbench.exe
# again in `folder`, where the first run wrote "out". "unsupported": the words
# the reason of a suite Win32 cannot run must contain. "scratch_dir": the run
# gets a --dir of its own, which must be empty afterwards.


def records_expect(case, p, under_wine):
    if p["cache"] == "cold" and not (p["method"] == "floor" or
                                     (p["method"] == "ReadFile" and not under_wine)):
        return ["cold", "Wine"] if under_wine else ["cold"]
    return None


def records_iteration(name, p, e, under_wine):
    calls, method = e.get("os_calls"), p["method"]
    if method == "ReadFile" and under_wine:
        # Counted by the method itself: one ReadFile per record.
        check(calls == RECORDS, f"{name}: os_calls {calls}, expected {RECORDS}")
    elif method == "ReadFile":
        # GetProcessIoCounters counts every read of the process.
        check(calls is not None and calls >= RECORDS,
              f"{name}: os_calls {calls}, expected at least {RECORDS}")
    elif method == "MapViewOfFile" and under_wine:
        check(calls == 0, f"{name}: os_calls {calls}, expected 0 (page faults, no calls)")
    elif under_wine:
        check(calls is None, f"{name}: os_calls {calls} though nothing could count them")


RECORDS_CASES = [f"records/{m}/cache:{c}/readahead:{r}"
                 for m in ("ReadFile", "fread", "MapViewOfFile", "floor")
                 for c in ("cold", "warm") for r in ("default", "off")]


def sweep_expect(case, p, under_wine):
    m = p["method"]
    if m.startswith("uring-"):
        return ["io_uring"]
    if m in ("pread-direct", "device-floor"):
        # Cold by construction on Windows; Wine opens the file cached.
        return ["FILE_FLAG_NO_BUFFERING", "Wine"] if under_wine else None
    if p["cache"] == "cold":
        return ["cold"]
    if m in ("mmap-sequential", "mmap-random"):
        return ["madvise"]
    if m == "mmap-populate":
        return ["MAP_POPULATE"]
    return None


def sweep_iteration(name, p, e, under_wine):
    # Windows counts no faults a pass could difference: unavailable, not 0.
    check("access_faults_per_page" not in e, f"{name}: access_faults_per_page written")


def always_measured(case, p, under_wine):
    return None  # every method or operation of the suite has a Win32 twin


def flush_iteration(name, p, e, under_wine):
    # Windows counts no dirty or writeback pages, per file or system-wide.
    # (A phase entry holds only the metrics its own phase added; a write
    # baseline dirties no page of the file before its pass, 0 by construction.)
    mapped = not e["params"]["op"].startswith(("pwrite", "save"))
    for absent in ("file_dirty_pages",) * mapped + ("dirty_pages_before", "dirty_pages_after",
                                                    "writeback_pages_after"):
        check("phase" in p or absent not in e, f"{name}: {absent} written though Windows has none")
    # Under Wine no read reaches around Linux's page cache: the read-back
    # says so instead of claiming storage.
    durable = e["params"]["op"] != "msync-async"
    want = "uncached-read" if durable and not under_wine else "read-through-cache"
    check(e["params"].get("readback") == want,
          f"{name}: readback {e['params'].get('readback')!r}, expected {want!r}")


def read_rows(path):
    """The rows of one of mmbench's CSV files, for a suite's own columns
    (read_csv, below, checks the file's format)."""
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def summary_totals(folder):
    """The first run's summary rows of whole cases."""
    return [r for r in read_rows(os.path.join(folder, "out", "summary.csv"))
            if r["phase"] == "total"]


# backing (C8): every kind Windows has, each with its own phases; no dirty
# or writeback figures, which Windows does not count.
BACKING_PHASES = {"file": ["create", "fill", "rewrite", "unmap", "close", "durable"],
                  "file-nosync": ["create", "fill", "rewrite", "unmap", "close"],
                  "shared-anon": ["create", "fill", "rewrite", "unmap", "close"],
                  "private-anon": ["create", "fill", "rewrite", "unmap"]}
BACKING_NO_TWIN = {"shm": ["paging-file section", "shared-anon"], "memfd": ["memfd"]}
BACKING_CASES = [f"backing/kind:{k}/size:{z}{ph}"
                 for z in ("1MiB", "16MiB")
                 for k in ("file", "file-nosync", "shm", "memfd", "shared-anon", "private-anon")
                 for ph in [""] + [f"/phase:{x}" for x in BACKING_PHASES.get(k, [])]]


def backing_expect(case, p, under_wine):
    return BACKING_NO_TWIN.get(p["method"])


def backing_iteration(name, p, e, under_wine):
    for absent in ("dirty_bytes_before", "dirty_bytes_after", "writeback_bytes_after",
                   "shm_unlink_ns"):
        check(absent not in e, f"{name}: {absent} written though Windows has none")
    size = int(e["params"]["size_bytes"])
    check(e.get("work_bytes") == size, f"{name}: work_bytes {e.get('work_bytes')}, not {size}")


# coherence (C12): every write of every Win32 pair seen, two processes
# included (mmbench.exe starts itself again), latencies ordered.
COHERENCE_WRITES = 1000  # --quick
COHERENCE_CASES = [f"coherence/pair:{p}" for p in
                   ("same-view", "two-views", "write-view", "view-read", "two-processes")]


def coherence_iteration(name, p, e, under_wine):
    sides = "processes" if p["method"] == "two-processes" else "threads"
    got = (e["params"].get("sides"), e["params"].get("writes"))
    check(got == (sides, str(COHERENCE_WRITES)), f"{name}: sides and writes {got}")
    check(e.get("writes_seen") == COHERENCE_WRITES,
          f"{name}: {e.get('writes_seen')} of {COHERENCE_WRITES} writes seen")
    seen = [e.get(k) for k in ("seen_p50_ns", "seen_p99_ns", "seen_max_ns")]
    check(None not in seen and 0 < seen[0] <= seen[1] <= seen[2],
          f"{name}: seen p50, p99, max {seen} missing or not ordered")


# cow (C7, C10): FILE_MAP_COPY views leave the file as it was and
# FILE_MAP_WRITE ones change it (each sample verified); Windows has no
# fork(); a view offset must be a multiple of 64 KiB, not of a page.
COW_VIEWS = {"private-write": "FILE_MAP_COPY", "private-read-write": "FILE_MAP_COPY",
             "shared-write": "FILE_MAP_WRITE", "fork-child-write": "FILE_MAP_COPY",
             "anon-write": "VirtualAlloc"}
COW_CASES = [f"cow/kind:{k}/size_bytes:{s}" + "/cache:warm" * (k != "anon-write")
             for k in COW_VIEWS for s in (1 << 20, 8 << 20)]
GRANULARITY = 65536


def cow_expect(case, p, under_wine):
    return ["fork"] if p["method"] == "fork-child-write" else None


def cow_iteration(name, p, e, under_wine):
    check(e["params"].get("view") == COW_VIEWS[p["method"]],
          f"{name}: view {e['params'].get('view')!r}")
    check(e.get("ns_per_page", 0) > 0, f"{name}: no ns_per_page")
    if under_wine:
        check("faults_per_page" not in e, f"{name}: faults_per_page though Wine counts no faults")
    else:
        check(e.get("faults_per_page", 0) > 0, f"{name}: no faults_per_page")


def cow_extra(mmbench, folder, under_wine):
    for r in summary_totals(folder):
        check(r["view"] == COW_VIEWS.get(r["kind"]), f"summary.csv {r['case']}: view {r['view']!r}")
    # C10: a page is not a view offset on Windows; 64 KiB is.
    p = mmbench(["run", "--suite", "cow", "--quick", "--out", "bad", "--offset", "4096"])
    check(p.returncode == 2, f"--offset 4096: exit code {p.returncode}, expected 2")
    check("allocation granularity" in p.stderr and f"({GRANULARITY} bytes)" in p.stderr,
          f"--offset 4096: the message does not name the granularity: {p.stderr!r}")
    check(not os.path.exists(os.path.join(folder, "bad")), "--offset 4096 wrote results")
    p = mmbench(["run", "--suite", "cow", "--quick", "--out", "good", "--offset",
                 str(GRANULARITY), "--sizes", "1MiB", "--kinds", "private-write,shared-write"])
    check(p.returncode == 0, f"--offset {GRANULARITY}: exit code {p.returncode}")
    good = os.path.join(folder, "good")
    if not check(os.path.isfile(os.path.join(good, "summary.csv")),
                 f"--offset {GRANULARITY}: no summary.csv"):
        return
    rows = read_rows(os.path.join(good, "summary.csv"))
    check(sorted({r["kind"] for r in rows}) == ["private-write", "shared-write"],
          f"--offset {GRANULARITY}: kinds {sorted({r['kind'] for r in rows})}")
    for r in rows:
        check(r["status"] == "ok" and r["offset_bytes"] == str(GRANULARITY),
              f"--offset {GRANULARITY}: {r['case']} {r['status']} ({r['note']}) "
              f"offset {r['offset_bytes']}")
    for s in read_rows(os.path.join(good, "samples.csv")):
        check(s["verified"] == "1", f"--offset {GRANULARITY}: {s['case']} not verified")


# growth (C11): a mapping larger than its file grows the file under Win32
# (no fault, the file two pages long, the store in it); no mremap; every
# other strategy grows and verifies its file in 16 steps.
PAGE = 4096
GROWTH_STEPS = (("1MiB", "64KiB"), ("4MiB", "256KiB"))  # --quick
GROWTH_CASES = ["growth/strategy:past-eof"] + [
    f"growth/strategy:{s}/size:{z}/step:{st}"
    for s in ("mremap", "remap", "map-big-trim", "write") for z, st in GROWTH_STEPS]


def growth_expect(case, p, under_wine):
    return ["cannot resize"] if p["method"] == "mremap" else None


def growth_iteration(name, p, e, under_wine):
    if p["method"] == "past-eof":
        got = (e.get("past_eof_sigbus"), e.get("file_bytes_after"))
        check(got == (0, 2 * PAGE),
              f"{name}: past_eof_sigbus, file_bytes_after {got}, expected (0, {2 * PAGE})")
        return
    check(e["params"].get("steps") == "16" and e.get("step_median_ns", 0) > 0,
          f"{name}: steps {e['params'].get('steps')}, step median {e.get('step_median_ns')}")


def growth_extra(mmbench, folder, under_wine):
    probe = [r for r in summary_totals(folder) if r["strategy"] == "past-eof"]
    note = probe[0]["note"] if probe else None
    check(note and "grew the file to 8192 bytes" in note,
          f"the probe's note does not say the mapping grew the file: {note!r}")


# outofcore: every case needs a memory cgroup, which Windows has no twin of.
OUTOFCORE_CASES = [f"outofcore/{m}/file_bytes:134217728/mem_limit_bytes:33554432/cache:cold"
                   for m in ("pread", "mmap")]


def outofcore_expect(case, p, under_wine):
    return ["memory cgroup"]


SHARE_NO_TWIN = {"futex": "futex", "condvar": "process-local", "socket": "socketpair"}


def share_expect(case, p, under_wine):
    ch = p["method"]  # the channel: the case's first parameter
    return [SHARE_NO_TWIN[ch]] if ch in SHARE_NO_TWIN else None


def share_iteration(name, p, e, under_wine):
    check(e.get("round_trip_p50_ns", 0) > 0, f"{name}: no round-trip median")
    check("child_cpu_ns" in e, f"{name}: no child CPU time (GetProcessTimes)")


SHARE_MAPPINGS = {"mapping:" + m for m in
                  ("inherit-anon", "name", "inherit-file", "scm-rights", "pidfd-getfd")}


def lostupdates_iteration(name, p, e, under_wine):
    # A lock loses nothing; a mutex abandoned by a dead worker
    # (WAIT_ABANDONED, EOWNERDEAD's twin) is recovered exactly once.
    if p["method"] != "unlocked":
        check(e.get("lost_entries") == 0, f"{name}: lost_entries {e.get('lost_entries')}")
    if p["method"] == "mutex-owner-dead":
        check(e.get("owner_dead_recoveries") == 1,
              f"{name}: owner_dead_recoveries {e.get('owner_dead_recoveries')}")
    check(e.get("worker_cpu_ns", 0) > 0, f"{name}: no worker CPU time (GetProcessTimes)")


def startup_expect(case, p, under_wine):
    # No file can be made cold here; the second-instance case starts its
    # first instance cold.
    if p["cache"] == "cold":
        return ["cold", "Wine"] if under_wine else ["cold"]
    return None


def startup_iteration(name, p, e, under_wine):
    check(p["instance"] == "first", f"{name}: a second instance measured")
    check(e.get("work_items") == 1, f"{name}: work_items {e.get('work_items')}, expected 1")
    # mmbench is the timer: no second copy of the wall time, no hyperfine figures.
    for absent in ("own_start_ns", "own_cpu_ns", "max_rss_bytes"):
        check(absent not in e, f"{name}: {absent} written")
    if under_wine:
        # Wine's counters and times of a child are not the child's.
        for absent in ("cpu_time", "os_calls", "user_ns", "sys_ns"):
            check(absent not in e, f"{name}: {absent} written though Wine gives none")


SUITES = {
    "records": {"expect": records_expect, "iteration": records_iteration,
                "cases": RECORDS_CASES},
    "sweep": {"expect": sweep_expect, "iteration": sweep_iteration,
              "measured": {"read", "pread", "fread", "mmap", "mmap-willneed", "memory-floor"}},
    "flush": {"expect": always_measured, "iteration": flush_iteration,
              "measured": {"msync-sync", "msync-range", "msync-async", "unmap-close",
                           "pwrite-fdatasync", "save-all"}},
    "backing": {"expect": backing_expect, "iteration": backing_iteration,
                "cases": BACKING_CASES},
    "coherence": {"expect": always_measured, "iteration": coherence_iteration,
                  "cases": COHERENCE_CASES, "scratch_dir": True},
    "cow": {"expect": cow_expect, "iteration": cow_iteration, "extra": cow_extra,
            "cases": COW_CASES},
    "growth": {"expect": growth_expect, "iteration": growth_iteration, "extra": growth_extra,
               "cases": GROWTH_CASES},
    # The suite's --quick is one repetition; the checks read five.
    "outofcore": {"args": ["--reps", str(REPS)], "expect": outofcore_expect,
                  "cases": OUTOFCORE_CASES},
    # Suites with no Win32 side at all.
    "faults": {"unsupported": ["page faults", "PageFaultCount"]},
    "lazy": {"unsupported": ["Committed_AS", "not written"]},
    "footprint": {"unsupported": ["Committed_AS", "not written"]},
    "share": {"expect": share_expect, "iteration": share_iteration,
              "measured": {"eventfd", "pipe-notify", "pipe"}},
    # Every way the child obtains the mapping, over the eventfd channel (the
    # default mapping sweep rides on futex, which Windows lacks).
    "share_mappings": {"suite": "share", "args": ["--channels", "eventfd", "--sizes", "64"],
                       "expect": share_expect, "iteration": share_iteration,
                       "names": SHARE_MAPPINGS},
    # Two and four processes: every method and hold, in half the time.
    "lostupdates": {"args": ["--procs", "2,4"], "expect": always_measured,
                    "iteration": lostupdates_iteration,
                    "measured": {"unlocked", "mutex", "flock", "mutex-owner-dead"}},
    # Executables padded from the build's stub, started, their output and
    # exit code verified, timed by mmbench (no hyperfine under Wine).
    "startup": {"expect": startup_expect, "iteration": startup_iteration,
                "measured": {"mapped", "read"}, "child_cpu": False,
                "note": "timed by mmbench, not hyperfine"},
}


# ---- reading the outputs -----------------------------------------------------


def read_csv(path):
    """(rows as dicts, footer dict); header on line 1, '# key: value' after."""
    with open(path, "rb") as f:
        raw = f.read()
    check(b"\r" not in raw, f"{path}: has \\r (written in text mode?)")
    text = raw.decode("utf-8")
    lines = text.split("\n")
    check(lines[-1] == "", f"{path}: no final newline")
    lines = lines[:-1]
    cut = next((i for i, l in enumerate(lines) if l.startswith("#")), len(lines))
    footer = {}
    for line in lines[cut:]:
        m = re.match(r"^# ([a-z_]+): (.*)$", line)
        if check(m, f"{path}: not a '# key: value' line: {line!r}"):
            footer[m.group(1)] = m.group(2)
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[:cut]) + "\n"), strict=True))
    return rows, footer


def scratch_files(suite):
    """The suite's scratch files in the default --dir (%TEMP%: in the Wine
    prefix's drive_c under Wine)."""
    prefix = os.environ.get("WINEPREFIX")
    if prefix:
        pattern = os.path.join(prefix, "drive_c", "users", "*", "**", f"mmbench-{suite}*")
    else:
        pattern = os.path.join(os.environ.get("TEMP", "."), f"mmbench-{suite}*")
    return set(glob.glob(pattern, recursive=True))


def params_of(name):
    """The parameters in a case name "suite/first/key:value/...", and its
    first parameter (method, op) as "method"."""
    parts = name.split("/")
    p = {}
    for part in parts[1:]:
        k, _, v = part.rpartition(":")
        p[k or "method"] = v
    p.setdefault("method", parts[1].split(":")[-1])
    return p


def check_context(ctx, suite, under_wine):
    check(ctx.get("json_schema_version") == 1, "context.json_schema_version is not 1")
    check(ctx.get("suite") == suite, f"context.suite is {ctx.get('suite')!r}")
    check(ctx.get("os") == "Windows", f"context.os is {ctx.get('os')!r}")
    check(ctx.get("allocation_granularity") == 65536, "allocation_granularity is not 64 KiB")
    check(ctx.get("repetitions") == REPS, f"context.repetitions is {ctx.get('repetitions')}")
    check(ctx.get("under_wine") is under_wine, f"context.under_wine is {ctx.get('under_wine')!r}")
    if under_wine:
        check(ctx.get("wine_version"), "no wine_version in the context")
        check("not Windows timings" in ctx.get("timing_note", ""), "no timing_note under Wine")
        check("Wine" in ctx.get("kernel", ""), "the kernel string does not name Wine")
    for key in ("counters_note", "cache_note"):
        check(ctx.get(key), f"context.{key} is missing")
    check(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}$", ctx.get("date", "")),
          f"context.date is not ISO 8601 with an offset: {ctx.get('date')!r}")


def check_measured(name, p, entries, spec, under_wine):
    its = [e for e in entries if e["run_type"] == "iteration"]
    aggs = {e["aggregate_name"]: e for e in entries if e["run_type"] == "aggregate"}
    check(len(its) == REPS and not any(e.get("error_occurred") for e in its),
          f"{name}: {len(its)} iterations, expected {REPS} without errors: "
          f"{[e.get('error_message') for e in its if e.get('error_occurred')][:1]}")
    check(set(aggs) >= {"mean", "median", "stddev", "cv"}, f"{name}: aggregates {sorted(aggs)}")
    check(aggs.get("median", {}).get("real_time", 0) > 0, f"{name}: no median time")
    for e in its:
        if spec.get("child_cpu", True) or not under_wine:
            check("cpu_time" in e, f"{name}: no cpu_time (Google Benchmark readers need it)")
        check("resident_before" not in e, f"{name}: a residency Windows cannot know")
        for absent in ("major_faults", "storage_bytes", "storage_ops"):
            check(absent not in e, f"{name}: {absent} written though Windows has none")
        if under_wine:
            check("minor_faults" not in e, f"{name}: Wine's PageFaultCount (always 0) written")
        if spec.get("iteration"):
            spec["iteration"](name, p, e, under_wine)


def check_json(path, suite, spec, under_wine):
    """Returns {case: None (measured) or the reason's words}."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    check_context(doc["context"], suite, under_wine)
    by_case = {}
    for b in doc["benchmarks"]:
        by_case.setdefault(b["run_name"], []).append(b)
    if "cases" in spec:
        check(sorted(by_case) == sorted(spec["cases"]), f"cases: {sorted(by_case)}")
    expected = {}
    for name, entries in by_case.items():
        p = params_of(name)
        words = expected[name] = spec["expect"](name, p, under_wine)
        if words is None:
            check_measured(name, p, entries, spec, under_wine)
            continue
        msg = entries[0].get("error_message", "")
        check(len(entries) == 1 and entries[0].get("error_occurred") is True,
              f"{name}: not reported as unsupported: {entries[:2]}")
        for w in words:
            check(w in msg, f"{name}: the reason does not name {w!r}: {msg!r}")
    for part in spec.get("names", ()):
        check(any(part in n.split("/") and w is None for n, w in expected.items()),
              f"no case with {part} was measured")
    measured = {params_of(n)["method"] for n, w in expected.items() if w is None}
    check(measured >= spec.get("measured", set()),
          f"methods never measured: {sorted(spec.get('measured', set()) - measured)}")
    return expected


def check_summary(path, order, expected, strict, note):
    """One row per case (and phase); in plan order when `strict`; `note`
    (or None) in the note of every measured one."""
    rows, footer = read_csv(path)
    cases = [r["case"] for r in rows if r["phase"] == "total"]
    check(cases == order if strict else sorted(cases) == sorted(order),
          "summary.csv: not one row per case")
    for r in rows:
        words = expected.get(r["case"])
        if words is not None:
            check(r["status"] == "unsupported on this platform" and words[0] in r["note"],
                  f"summary.csv {r['case']}: status {r['status']!r}, note {r['note']!r}")
        else:
            check(r["status"] == "ok" and r["n"] == str(REPS),
                  f"summary.csv {r['case']}: status {r['status']!r}, n {r['n']}")
            check(r["resident_before_median"] == "", f"summary.csv {r['case']}: residency given")
            check(note is None or note in r["note"],
                  f"summary.csv {r['case']}: the note {r['note']!r} does not say {note!r}")
    # The run's description (os, notes, Wine) lives in results.json: check_json.
    check(not footer, "summary.csv: comment lines after the table")


def check_samples(path, order, expected, strict):
    """REPS rows for every measured case, none for the others."""
    rows, footer = read_csv(path)
    cases = [r["case"] for r in rows if r["phase"] == "total"]
    want = [c for c in order if expected.get(c) is None for _ in range(REPS)]
    check(cases == want if strict else sorted(cases) == sorted(want),
          "samples.csv: not REPS rows for every measured case")
    for r in rows:
        check(r["cache_ok"] == "1" and r["verified"] == "1",
              f"samples.csv {r['case']}: cache_ok {r['cache_ok']}, verified {r['verified']}")
        check(r["resident_before"] == "" and r["major_faults"] == "",
              f"samples.csv {r['case']}: values Windows cannot measure")
    check(not footer, "samples.csv: comment lines after the table")


def run_mmbench(emulator, exe, folder, args):
    """Runs mmbench.exe with `args` (under the emulator) in `folder`, its
    output echoed; returns the finished process."""
    run = subprocess.run(emulator + [exe] + args, cwd=folder, capture_output=True, text=True,
                         timeout=600)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    return run


def check_refused(mmbench, folder, suite, words):
    """A suite Win32 cannot run at all: exit 1, its reason, nothing written."""
    run = mmbench(["run", "--suite", suite, "--quick", "--out", "out"])
    check(run.returncode == 1, f"exit code {run.returncode}, expected 1 (a suite not supported)")
    check(f"suite {suite} is not supported here: " in run.stderr,
          f"stderr does not say the suite is not supported here: {run.stderr!r}")
    for w in words:
        check(w in run.stderr, f"the reason does not name {w!r}: {run.stderr!r}")
    check(not os.path.exists(os.path.join(folder, "out")), "--out was created")


def main():
    name, exe, emulator = sys.argv[1], sys.argv[2], sys.argv[3:]
    spec = SUITES[name]
    suite = spec.get("suite", name)
    under_wine = any("wine" in os.path.basename(e) for e in emulator)
    before = scratch_files(suite)
    with tempfile.TemporaryDirectory(prefix="mmbench-win32-") as tmp:
        def mmbench(args):
            return run_mmbench(emulator, exe, tmp, args)
        if "unsupported" in spec:
            check_refused(mmbench, tmp, suite, spec["unsupported"])
            return
        # A relative --out and --dir: Wine maps the current directory, no
        # path translation needed.
        args = ["run", "--suite", suite, "--quick", "--out", "out"] + spec.get("args", [])
        if spec.get("scratch_dir"):
            os.mkdir(os.path.join(tmp, "scratch"))
            args += ["--dir", "scratch"]
        run = mmbench(args)
        check(run.returncode == 0, f"exit code {run.returncode}, expected 0 (unsupported cases "
              "are reported, not failures)")
        check(scratch_files(suite) <= before,
              f"scratch files left behind: {scratch_files(suite) - before}")
        if spec.get("scratch_dir"):
            left = os.listdir(os.path.join(tmp, "scratch"))
            check(not left, f"left in --dir: {left}")
        out = os.path.join(tmp, "out")
        for name in ("samples.csv", "summary.csv", "results.json"):
            check(os.path.isfile(os.path.join(out, name)), f"{name} was not written")
        if errors:
            return
        check(not [n for n in os.listdir(out) if ".tmp." in n], "a temporary file was left")
        expected = check_json(os.path.join(out, "results.json"), suite, spec, under_wine)
        with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
            order = list(dict.fromkeys(b["run_name"] for b in json.load(f)["benchmarks"]
                                       if "/phase:" not in b["run_name"]))
        strict = "cases" in spec
        check_summary(os.path.join(out, "summary.csv"), order, expected, strict, spec.get("note"))
        check_samples(os.path.join(out, "samples.csv"), order, expected, strict)

        if "extra" in spec:
            spec["extra"](mmbench, tmp, under_wine)
            check(scratch_files(suite) <= before,
                  f"scratch files left behind by later runs: {scratch_files(suite) - before}")


if __name__ == "__main__":
    main()
    name = f"{sys.argv[1]}_quick" if len(sys.argv) > 1 else "suite_quick"
    for e in errors:
        print(f"{name}: FAIL {e}")
    print(f"{name}: {'FAILED' if errors else 'ok'} ({len(errors)} problem(s))")
    sys.exit(1 if errors else 0)
