"""Runs `mmbench.exe run --suite growth --quick` (under Wine when an
emulator is given, as the cross build does) and reads its summary.csv and
samples.csv back: the Win32 side of C11. The past-EOF probe must show a
mapping larger than its file growing the file (no fault, the file two
pages long afterwards, the store in it); mremap must be reported
unsupported here with the reason, not faked; every other strategy must
grow and verify its file; no scratch file may be left. Facts only: no
timing is judged.
Usage: growth_quick.py MMBENCH_EXE [EMULATOR...]"""
import csv
import glob
import os
import subprocess
import sys
import tempfile

PAGE = 4096
REPS = 5  # --quick
SIZES = [1 << 20, 4 << 20]  # --quick
STRATEGIES = ["remap", "map-big-trim", "write"]

errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)
    return cond


def scratch_files():
    """The suite's scratch files in the default --dir (%TEMP%: in the Wine
    prefix's drive_c under Wine)."""
    prefix = os.environ.get("WINEPREFIX")
    if prefix:
        pattern = os.path.join(prefix, "drive_c", "users", "*", "**", "mmbench-growth*")
    else:
        pattern = os.path.join(os.environ.get("TEMP", "."), "mmbench-growth*")
    return set(glob.glob(pattern, recursive=True))


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_probe(summary, samples):
    probe = [r for r in summary if r["strategy"] == "past-eof"]
    if not check(len(probe) == 1 and probe[0]["status"] == "ok",
                 f"the past-eof probe did not pass: {probe}"):
        return
    check("grew the file to 8192 bytes" in probe[0]["note"],
          f"the probe's note does not say the mapping grew the file: {probe[0]['note']!r}")
    mine = [s for s in samples if s["strategy"] == "past-eof"]
    check(len(mine) == REPS, f"{len(mine)} probe samples, expected {REPS}")
    for s in mine:
        check(s["past_eof_sigbus"] == "0" and s["file_bytes_after"] == str(2 * PAGE),
              f"probe sample: past_eof_sigbus {s['past_eof_sigbus']}, file_bytes_after "
              f"{s['file_bytes_after']} (expected 0 and {2 * PAGE})")
        check(s["verified"] == "1", "probe sample not verified")


def check_growth(summary, samples):
    for size in SIZES:
        mrem = [r for r in summary if r["strategy"] == "mremap" and r["size_bytes"] == str(size)]
        check(len(mrem) == 1 and mrem[0]["status"] == "unsupported on this platform" and
              "cannot resize" in mrem[0]["note"], f"mremap {size}: not unsupported with why: {mrem}")
        for st in STRATEGIES:
            r = [x for x in summary if x["strategy"] == st and x["size_bytes"] == str(size)]
            if not check(len(r) == 1, f"{st} {size}: {len(r)} summary rows"):
                continue
            check(r[0]["status"] == "ok" and r[0]["n"] == str(REPS),
                  f"{st} {size}: status {r[0]['status']!r}, n {r[0]['n']} ({r[0]['note']})")
            check(r[0]["steps"] == "16" and r[0]["step_median_ns_median"] != "",
                  f"{st} {size}: steps {r[0]['steps']}, step median {r[0]['step_median_ns_median']!r}")
    for s in samples:
        if s["strategy"] in STRATEGIES:
            check(s["verified"] == "1", f"{s['case']}: sample not verified")


def main():
    exe, emulator = sys.argv[1], sys.argv[2:]
    before = scratch_files()
    with tempfile.TemporaryDirectory(prefix="mmbench-win32-") as tmp:
        # A relative --out: Wine maps the current directory, no path translation needed.
        cmd = emulator + [exe, "run", "--suite", "growth", "--quick", "--out", "out",
                          "--no-plot"]
        run = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True, timeout=600)
        sys.stdout.write(run.stdout)
        sys.stderr.write(run.stderr)
        check(run.returncode == 0, f"exit code {run.returncode}, expected 0 (unsupported cases "
              "are reported, not failures)")
        check(scratch_files() <= before, f"scratch files left behind: {scratch_files() - before}")
        out = os.path.join(tmp, "out")
        for name in ("samples.csv", "summary.csv"):
            check(os.path.isfile(os.path.join(out, name)), f"{name} was not written")
        if errors:
            return
        summary = [r for r in rows(os.path.join(out, "summary.csv")) if r["phase"] == "total"]
        samples = rows(os.path.join(out, "samples.csv"))
        check_probe(summary, samples)
        check_growth(summary, samples)


if __name__ == "__main__":
    main()
    for e in errors:
        print(f"growth_quick: FAIL {e}")
    print(f"growth_quick: {'FAILED' if errors else 'ok'} ({len(errors)} problem(s))")
    sys.exit(1 if errors else 0)
