"""Runs `mmbench.exe run --suite coherence --quick` (under Wine when an
emulator is given, as the cross build does) and reads its CSV back: the
Win32 twins of the coherence pairs (two MapViewOfFile views of one mapping,
WriteFile then a view, a view then ReadFile, one view shared by two
threads, and two processes, mmbench.exe started again by CreateProcess,
each mapping the file) see every one of their writes, exactly, with ordered
latency figures; nothing is left in --dir. Formats and facts only: no
timing is judged.
Usage: coherence_quick.py MMBENCH_EXE [EMULATOR...]"""
import csv
import os
import subprocess
import sys
import tempfile

PAIRS = ["same-view", "two-views", "write-view", "view-read", "two-processes"]
WRITES = 1000  # --quick
REPS = 5       # --quick

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r.get("phase", "total") == "total"]


def main():
    exe, emulator = sys.argv[1], sys.argv[2:]
    with tempfile.TemporaryDirectory(prefix="mmbench-win32-") as tmp:
        os.mkdir(os.path.join(tmp, "scratch"))
        # Relative paths: Wine maps the current directory, no path translation needed.
        cmd = emulator + [exe, "run", "--suite", "coherence", "--quick", "--out", "out",
                          "--dir", "scratch", "--format", "csv,json", "--no-plot", "--quiet"]
        run = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=600)
        sys.stdout.write(run.stdout)
        sys.stderr.write(run.stderr)
        check(run.returncode == 0, f"exit code {run.returncode}, expected 0")
        check(not os.listdir(os.path.join(tmp, "scratch")),
              f"left in --dir: {os.listdir(os.path.join(tmp, 'scratch'))}")
        out = os.path.join(tmp, "out")
        for name in ("samples.csv", "summary.csv", "results.json"):
            check(os.path.isfile(os.path.join(out, name)), f"{name} was not written")
        if errors:
            return
        check_summary(read_csv(os.path.join(out, "summary.csv")))
        check_samples(read_csv(os.path.join(out, "samples.csv")))


def check_summary(rows):
    check(sorted(r["pair"] for r in rows) == sorted(PAIRS),
          f"summary.csv: pairs {[r['pair'] for r in rows]}")
    for r in rows:
        sides = "processes" if r["pair"] == "two-processes" else "threads"
        check(r["status"] == "ok" and r["n"] == str(REPS),
              f"{r['case']}: status {r['status']!r} ({r['note']}), n {r['n']}")
        check(r["sides"] == sides and r["writes"] == str(WRITES),
              f"{r['case']}: sides {r['sides']}, writes {r['writes']}")


def check_samples(rows):
    check(sorted({r["pair"] for r in rows}) == sorted(PAIRS),
          f"samples.csv: pairs {sorted({r['pair'] for r in rows})}")
    check(len(rows) == REPS * len(PAIRS), f"samples.csv: {len(rows)} rows")
    for r in rows:
        check(r["verified"] == "1" and r["writes_seen"] == str(WRITES),
              f"{r['case']} rep {r['rep']}: verified {r['verified']}, "
              f"{r['writes_seen']} of {WRITES} writes seen")
        try:
            p50, p99, mx = (float(r[k]) for k in ("seen_p50_ns", "seen_p99_ns", "seen_max_ns"))
        except ValueError:
            check(False, f"{r['case']}: latency figures missing")
            continue
        check(0 < p50 <= p99 <= mx, f"{r['case']}: p50 {p50}, p99 {p99}, max {mx} not ordered")


if __name__ == "__main__":
    main()
    for e in errors:
        print(f"coherence_quick: FAIL {e}")
    print(f"coherence_quick: {'FAILED' if errors else 'ok'} ({len(errors)} problem(s))")
    sys.exit(1 if errors else 0)
