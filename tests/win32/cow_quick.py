"""Runs `mmbench.exe run --suite cow --quick` (under Wine when an emulator is
given, as the cross build does) and reads its CSV back: the FILE_MAP_COPY
cases (private-write, private-read-write) and the FILE_MAP_WRITE case ran
and verified every sample, which means the file was byte-for-byte unchanged
after the copy-on-write writes and held the new bytes after the shared ones;
the fork case says why Windows has none; fault counts Wine cannot give are
absent, not 0. Then the view offset rule (C10): an offset that is a page but
not a 64 KiB multiple exits 2 naming the granularity; 64 KiB maps and
verifies. Formats and facts only: no timing is judged.
Usage: cow_quick.py MMBENCH_EXE [EMULATOR...]"""
import csv
import glob
import io
import os
import subprocess
import sys
import tempfile

SIZES = [1 << 20, 8 << 20]  # --quick
REPS = 5
VIEWS = {"private-write": "FILE_MAP_COPY", "private-read-write": "FILE_MAP_COPY",
         "shared-write": "FILE_MAP_WRITE", "fork-child-write": "FILE_MAP_COPY",
         "anon-write": "VirtualAlloc"}
GRANULARITY = 65536

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def read_csv(path):
    with open(path, "rb") as f:
        raw = f.read()
    check(b"\r" not in raw, f"{path}: has \\r (written in text mode?)")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8")), strict=True))


def scratch_files():
    """The cow suite's scratch files in the default --dir (%TEMP%: in the
    Wine prefix's drive_c under Wine)."""
    prefix = os.environ.get("WINEPREFIX")
    if prefix:
        pattern = os.path.join(prefix, "drive_c", "users", "*", "**", "mmbench-cow*")
    else:
        pattern = os.path.join(os.environ.get("TEMP", "."), "mmbench-cow*")
    return set(glob.glob(pattern, recursive=True))


def run(cmd, tmp):
    p = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=600)
    sys.stdout.write(p.stdout)
    sys.stderr.write(p.stderr)
    return p


def check_quick(out, under_wine):
    rows = [r for r in read_csv(os.path.join(out, "summary.csv")) if r["phase"] == "total"]
    got = sorted((r["kind"], int(r["size_bytes"])) for r in rows)
    check(got == sorted((k, s) for k in VIEWS for s in SIZES), f"summary.csv cases: {got}")
    for r in rows:
        name = r["case"]
        check(r["view"] == VIEWS.get(r["kind"]), f"{name}: view {r['view']!r}")
        if r["kind"] == "fork-child-write":
            check(r["status"] == "unsupported on this platform" and "fork" in r["note"],
                  f"{name}: status {r['status']!r}, note {r['note']!r}")
            continue
        check(r["status"] == "ok" and r["n"] == str(REPS),
              f"{name}: status {r['status']!r} ({r['note']}), n {r['n']}")
        check(float(r["ns_per_page_median"] or 0) > 0, f"{name}: no ns_per_page")
        if under_wine:
            fpp = r.get("faults_per_page_median", "")
            check(fpp == "", f"{name}: faults_per_page {fpp!r} though Wine counts no faults")
        else:
            check(float(r.get("faults_per_page_median") or 0) > 0, f"{name}: no faults_per_page")
    samples = read_csv(os.path.join(out, "samples.csv"))
    ran = [r for r in rows if r["status"] == "ok"]
    check(len(samples) == REPS * len(ran), f"samples.csv: {len(samples)} rows")
    for s in samples:
        check(s["verified"] == "1", f"samples.csv {s['case']}: not verified")
        if s["kind"] in ("private-write", "private-read-write", "shared-write"):
            check(s["cache_ok"] == "1", f"samples.csv {s['case']}: cache_ok {s['cache_ok']}")


def main():
    exe, emulator = sys.argv[1], sys.argv[2:]
    under_wine = any("wine" in os.path.basename(e) for e in emulator)
    before = scratch_files()
    with tempfile.TemporaryDirectory(prefix="mmbench-win32-cow-") as tmp:
        p = run(emulator + [exe, "run", "--suite", "cow", "--quick", "--out", "out",
                            "--no-plot"], tmp)
        check(p.returncode == 0, f"exit code {p.returncode}, expected 0 (unsupported cases "
              "are reported, not failures)")
        out = os.path.join(tmp, "out")
        if check(os.path.isfile(os.path.join(out, "summary.csv")), "summary.csv not written"):
            check_quick(out, under_wine)
        # C10: a page is not a view offset on Windows; 64 KiB is.
        p = run(emulator + [exe, "run", "--suite", "cow", "--quick", "--out", "bad",
                            "--offset", "4096"], tmp)
        check(p.returncode == 2, f"--offset 4096: exit code {p.returncode}, expected 2")
        check("allocation granularity" in p.stderr and f"({GRANULARITY} bytes)" in p.stderr,
              f"--offset 4096: the message does not name the granularity: {p.stderr!r}")
        check(not os.path.exists(os.path.join(tmp, "bad")), "--offset 4096 wrote results")
        p = run(emulator + [exe, "run", "--suite", "cow", "--quick", "--out", "good",
                            "--offset", str(GRANULARITY), "--sizes", "1MiB",
                            "--kinds", "private-write,shared-write"], tmp)
        check(p.returncode == 0, f"--offset {GRANULARITY}: exit code {p.returncode}")
        good = os.path.join(tmp, "good", "summary.csv")
        if check(os.path.isfile(good), f"--offset {GRANULARITY}: no summary.csv"):
            for r in read_csv(good):
                check(r["status"] == "ok" and r["offset_bytes"] == str(GRANULARITY),
                      f"--offset {GRANULARITY}: {r['case']} {r['status']} ({r['note']}) "
                      f"offset {r['offset_bytes']}")
        check(scratch_files() <= before, f"scratch files left behind: {scratch_files() - before}")


if __name__ == "__main__":
    main()
    for e in errors:
        print(f"cow_quick: FAIL {e}")
    print(f"cow_quick: {'FAILED' if errors else 'ok'} ({len(errors)} problem(s))")
    sys.exit(1 if errors else 0)
