#!/usr/bin/env python3
"""Checks the growth suite through the real binary: check_growth.py TEST MMBENCH SCRIPTS

TEST is one of
  past_eof      a store into a mapped page past the end of the file raises
                SIGBUS, which the probe reports as its outcome
                (past_eof_sigbus 1, the file still one page) in every
                sample; the run goes on: the cases after it (--interleave
                off) run and verify, and the run exits 0
  strategies    every strategy, with a step that does not divide the size
                (a short last step), verifies its file (size and every
                byte); steps, pages and peak size are as asked; write()
                makes one write call per step; a view that grows takes at
                least one page fault per step (the big view at least one)
  missing_step  with --test-skip-last-step (every pass leaves its last step
                out) every growth case fails verification, naming the size
                or the first wrong byte; the probe still passes; exit 1
  bad_options   bad values of the suite's options exit 2 and leave nothing
  scratch       SIGTERM mid-run leaves nothing in --dir; more space than
                --dir holds exits 2 before creating a file (a 4 MiB tmpfs,
                root only)
  chart         scripts/plot-growth draws a run, names the probe's outcome
                and a case that did not run, and refuses a folder without
                summary.csv
Scratch files go under $MB_GROWTH_TMP (default /var/tmp: disk-backed)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail  # noqa: E402

f = suitelib.num
PAGE = os.sysconf("SC_PAGE_SIZE")
GROWTH = ["mremap", "remap", "map-big-trim", "write"]


def run_suite(mmbench, work, name, extra=(), want=(0,), fmt="csv"):
    """Runs the suite in a fresh --out; returns (total summary rows, samples,
    the process)."""
    out = os.path.join(work, "out-" + name)
    cmd = [mmbench, "run", "--suite", "growth", "--quick", "--reps", "3", "--warmup", "1",
           "--out", out, "--dir", work, "--format", fmt, "--no-plot", *extra]
    p = suitelib.run_mmbench(cmd, codes=want)
    summary = suitelib.read_csv(os.path.join(out, "summary.csv"), "total")
    samples = suitelib.read_csv(os.path.join(out, "samples.csv"))
    return summary, samples, p


def test_past_eof(mmbench, work):
    summary, samples, p = run_suite(mmbench, work, "eof",
                                    ["--strategies", "past-eof,write,remap", "--sizes", "64KiB",
                                     "--interleave", "off"], fmt="console,csv")
    probe = [r for r in summary if r["strategy"] == "past-eof"]
    if len(probe) != 1 or probe[0]["status"] != "ok":
        fail("the probe did not run as a case that passed: %s" % probe)
    mine = [s for s in samples if s["strategy"] == "past-eof"]
    if len(mine) != 3:
        fail("%d probe samples, want 3" % len(mine))
    for s in mine:
        if f(s, "past_eof_sigbus") != 1 or f(s, "file_bytes_after") != PAGE:
            fail("probe sample: past_eof_sigbus %s, file_bytes_after %s (want 1, %d)" %
                 (s["past_eof_sigbus"], s["file_bytes_after"], PAGE))
        if s["verified"] != "1":
            fail("probe sample not verified")
    order = [s["strategy"] for s in samples]
    if order[:3] != ["past-eof"] * 3 or set(order[3:]) != {"write", "remap"}:
        fail("the cases after the probe did not run after it: %s" % order)
    for r in summary:
        if r["status"] != "ok":
            fail("%s after the probe: %s (%s)" % (r["case"], r["status"], r["note"]))
    if "raised SIGBUS (caught)" not in probe[0]["note"]:
        fail("summary.csv's note does not say what the probe saw: %r" % probe[0]["note"])
    lines = p.stdout.splitlines()
    row = [i for i, line in enumerate(lines) if line.startswith("strategy:past-eof ")]
    if not row or row[0] + 1 >= len(lines) or "note: a store into the mapped page past the " \
            "end of the file raised SIGBUS" not in lines[row[0] + 1]:
        fail("the console does not show the probe and its outcome:\n" + p.stdout)


def test_strategies(mmbench, work):
    summary, samples, _ = run_suite(mmbench, work, "all",
                                    ["--strategies", ",".join(GROWTH), "--sizes",
                                     "64KiB,1MiB", "--step", "12KiB", "--reserve", "3"])
    got = sorted((r["strategy"], r["size_bytes"]) for r in summary)
    want = sorted((s, str(n)) for s in GROWTH for n in (65536, 1 << 20))
    if got != want:
        fail("cases run: %s" % got)
    for r in summary:
        if r["status"] != "ok" or r["n"] != "3":
            fail("%s: %s, n %s (%s)" % (r["case"], r["status"], r["n"], r["note"]))
        size, step = int(r["size_bytes"]), int(r["step_bytes"])
        steps = -(-size // step)
        if step != 12288 or int(r["steps"]) != steps or f(r, "work_items_median") != steps:
            fail("%s: step %s, steps %s, want 12288 and %d" % (r["case"], r["step_bytes"],
                                                                r["steps"], steps))
        if int(r["pages"]) != size // PAGE:
            fail("%s: pages %s" % (r["case"], r["pages"]))
        peak = size * (3 if r["strategy"] == "map-big-trim" else 1)
        if int(r["peak_file_bytes"]) != peak:
            fail("%s: peak_file_bytes %s, want %d" % (r["case"], r["peak_file_bytes"], peak))
        for m in ("grow_ns_median", "finish_ns_median", "step_median_ns_median",
                  "step_max_ns_median"):
            if r[m] == "":
                fail("%s: no %s" % (r["case"], m))
        if f(r, "step_max_ns_median") < f(r, "step_median_ns_median"):
            fail("%s: slowest step faster than the median step" % r["case"])
    for s in samples:
        if s["verified"] != "1":
            fail("sample of %s not verified" % s["case"])
        steps = f(s, "steps")
        if s["strategy"] == "write":
            if s["os_write_calls"] and f(s, "os_write_calls") < steps:
                fail("%s: %s write calls for %d steps" % (s["case"], s["os_write_calls"], steps))
        elif s["minor_faults"]:
            # Each step of mremap and remap writes pages no view has mapped
            # yet; the big view may map a whole large folio per fault.
            faults = f(s, "minor_faults") + f(s, "major_faults")
            least = 1 if s["strategy"] == "map-big-trim" else steps
            if faults < least:
                fail("%s: %d faults for %d steps" % (s["case"], faults, steps))


def test_missing_step(mmbench, work):
    summary, _, _ = run_suite(mmbench, work, "skip", ["--sizes", "64KiB",
                                                      "--test-skip-last-step"], want=(1,))
    for r in summary:
        if r["strategy"] == "past-eof":
            if r["status"] != "ok":
                fail("the probe failed: %s" % r["note"])
            continue
        if r["status"] != "verification failed":
            fail("%s: %s without its last step" % (r["case"], r["status"]))
        if "is %d bytes after the pass" % (65536 - 4096) not in r["note"] and \
                "byte at %d differs" % (65536 - 4096) not in r["note"]:
            fail("%s: the note does not name the short file or the wrong byte: %r" %
                 (r["case"], r["note"]))


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--sizes", "32KiB"], ["--sizes", "512MiB"], ["--sizes", "65537"],
           ["--sizes", "1MiB,x"], ["--step", "1000"], ["--step", "0"], ["--reserve", "0"],
           ["--reserve", "17"], ["--strategies", "remap,grow"], ["--strategies", ""]]
    suitelib.check_bad_options(mmbench, "growth", work, scratch, bad)
    suitelib.expect_exit2(mmbench, "growth", work, [], os.path.join(work, "no-such-dir"))


def test_scratch(mmbench, work):
    suitelib.sigterm_mid_run(mmbench, "growth", work, ["--sizes", "16MiB", "--reps", "50"])
    suitelib.check_space_refused(mmbench, "growth", work, ["--sizes", "16MiB"])


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    plot = os.path.join(scripts, "plot-growth")
    run_suite(mmbench, work, "chart", ["--sizes", "64KiB,1MiB"])
    out = os.path.join(work, "out-chart")
    suitelib.check_chart(plot, out, "growth", ["cost per step", "mremap", "raised SIGBUS"],
                         "its panels, a strategy or the probe's outcome")
    cols = ["note", "strategy", "status", "extra", "size_bytes", "wall_ns_median",
            "step_median_ns_median", "phase"]
    rows = [["", "write", "ok", "x", "1048576", "300000", "20000", "total"],
            ["why", "mremap", "unsupported on this platform", "y", "1048576", "", "", "total"]]
    suitelib.check_chart_subset(plot, os.path.join(work, "subset"), "growth", cols, rows,
                                "mremap 1 MiB (unsupported on this platform)",
                                "the chart does not say mremap did not run")
    suitelib.check_chart_refuses_empty(plot, work)


def main():
    suitelib.main("check_growth.py",
                  {"past_eof": test_past_eof, "strategies": test_strategies,
                   "missing_step": test_missing_step, "bad_options": test_bad_options,
                   "scratch": test_scratch, "chart": test_chart},
                  "MB_GROWTH_TMP", "mbtest-growth.",
                  finish=lambda test, work, _: suitelib.check_no_scratch(work), ok="growth_")


if __name__ == "__main__":
    main()
