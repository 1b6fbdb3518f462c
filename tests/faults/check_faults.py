#!/usr/bin/env python3
"""Checks the faults suite through the real binary: check_faults.py TEST MMBENCH SCRIPTS

TEST is one of
  anon         first touches of anonymous memory: one minor fault per page
               (>= 90% of the pages), no major fault; the huge-page case
               maps 2 MiB per fault, or says why it cannot run
  file         cached file pages: no major fault, >= 1 page mapped per fault,
               at most fault-around's window when cached in base pages;
               private and shared writes verified (the runner fails a case
               whose bytes do not read back)
  cold         a cold file under MADV_RANDOM: about one major fault per page
               (skipped on tmpfs, where nothing can be cold)
  bad_options  bad values of the suite's options exit 2 and leave nothing
  chart        scripts/plot-faults draws a subset of kinds, and refuses a
               results folder without summary.csv
Scratch files go under $MB_FAULTS_TMP (default /var/tmp: disk-backed)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail, skip  # noqa: E402

f = suitelib.num


def run_suite(mmbench, work, kinds, extra=()):
    """Runs the suite on `kinds` in a fresh --out; returns (summary rows by
    kind, sample rows)."""
    out = os.path.join(work, "out-" + kinds.replace(",", "_"))
    cmd = [mmbench, "run", "--suite", "faults", "--quick", "--reps", "3", "--warmup", "1",
           "--out", out, "--dir", work, "--kinds", kinds, "--format", "csv", "--no-plot",
           "--quiet", *extra]
    p = suitelib.run_mmbench(cmd)
    summary = {r["kind"]: r for r in suitelib.read_csv(os.path.join(out, "summary.csv"), "total")}
    samples = suitelib.read_csv(os.path.join(out, "samples.csv"))
    return summary, samples, p


def ok_row(summary, kind):
    r = summary.get(kind)
    if r is None:
        fail("no summary row for kind %s" % kind)
    if r["status"] != "ok":
        fail("%s: status %s (%s)" % (kind, r["status"], r["note"]))
    return r


def check_samples_verified(samples, kinds):
    for s in samples:
        if s["kind"] in kinds and s["verified"] != "1":
            fail("sample of %s not verified: %s" % (s["kind"], s))


def test_anon(mmbench, work):
    kinds = ["anon-read", "anon-write", "shared-anon-write"]
    summary, samples, _ = run_suite(mmbench, work, ",".join(kinds + ["thp-write"]))
    for k in kinds:
        r = ok_row(summary, k)
        pages = f(r, "work_items_median")
        if f(r, "minor_faults_median") < 0.9 * pages:
            fail("%s: %s minor faults for %s pages (want >= 90%%)" %
                 (k, r["minor_faults_median"], pages))
        if f(r, "major_faults_median") != 0:
            fail("%s: %s major faults (want 0)" % (k, r["major_faults_median"]))
        if not 0.9 <= f(r, "faults_per_page_median") <= 1.1:
            fail("%s: faults_per_page %s (want ~1)" % (k, r["faults_per_page_median"]))
        if f(r, "expected_faults_per_page") != 1:
            fail("%s: expected_faults_per_page %s" % (k, r["expected_faults_per_page"]))
    check_samples_verified(samples, kinds)
    thp = summary.get("thp-write")
    if thp is None:
        fail("no thp-write row")
    if thp["status"] == "ok":
        # 512 base pages per 2 MiB huge page: far fewer faults than pages,
        # unless the kernel could not find a free huge page (then say so).
        if f(thp, "faults_per_page_median") > 0.5:
            print("NOTE: thp-write took %s faults per page: no huge pages were available" %
                  thp["faults_per_page_median"])
    elif "unsupported" not in thp["status"] or not thp["note"]:
        fail("thp-write: status %s note %r" % (thp["status"], thp["note"]))


def test_file(mmbench, work):
    kinds = ["file-read", "file-read-random", "file-read-small-folios", "file-private-write",
             "file-shared-write"]
    summary, samples, _ = run_suite(mmbench, work, ",".join(kinds))
    for k in kinds:
        r = ok_row(summary, k)
        if f(r, "major_faults_median") != 0:
            fail("%s: %s major faults on a cached file" % (k, r["major_faults_median"]))
        if f(r, "resident_before_median") != f(r, "file_pages_median"):
            fail("%s: the file was not fully cached before the pass" % k)
        if f(r, "pages_per_fault_median") < 1:
            fail("%s: %s pages per fault (want >= 1)" % (k, r["pages_per_fault_median"]))
    for k in ("file-read", "file-read-random", "file-read-small-folios"):
        if summary[k]["fault_around_bytes"] == "":
            fail("%s: no fault_around_bytes column" % k)
    # Base-page folios: a read fault maps fault-around's window, no more
    # (fault_around_bytes where readable, else the kernel's default 64 KiB).
    r = summary["file-read-small-folios"]
    fab = r["fault_around_bytes"]
    window = (int(fab) if fab.isdigit() else 65536) / 4096
    ppf = f(r, "pages_per_fault_median")
    if not 0.9 <= ppf <= window * 1.05:
        fail("file-read-small-folios: %s pages per fault, fault-around window %s pages" %
             (ppf, window))
    # A private write copies every page: one fault each.
    r = summary["file-private-write"]
    if f(r, "minor_faults_median") < 0.9 * f(r, "work_items_median"):
        fail("file-private-write: %s minor faults for %s pages" %
             (r["minor_faults_median"], r["work_items_median"]))
    check_samples_verified(samples, kinds)


def test_cold(mmbench, work):
    fs = subprocess.run(["stat", "-f", "-c", "%T", work], capture_output=True, text=True)
    if fs.stdout.strip() in ("tmpfs", "ramfs"):
        skip("%s is %s: no page can be cold there; set MB_FAULTS_TMP to a disk" %
             (work, fs.stdout.strip()))
    summary, samples, _ = run_suite(mmbench, work, "file-cold")
    r = summary.get("file-cold")
    if r is None:
        fail("no file-cold row")
    if r["status"] != "ok":
        if "cold" in r["note"]:
            skip("the file could not be made cold here: " + r["note"])
        fail("file-cold: %s (%s)" % (r["status"], r["note"]))
    pages = f(r, "work_items_median")
    major = f(r, "major_faults_median")
    if not 0.9 * pages <= major <= 1.1 * pages:
        fail("file-cold: %s major faults for %s pages (want ~1 per page: readahead off)" %
             (major, pages))
    if f(r, "resident_before_median") != 0:
        fail("file-cold: %s pages resident before the pass" % r["resident_before_median"])
    check_samples_verified(samples, ["file-cold"])


def test_bad_options(mmbench, work):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--size", "12x"], ["--size", "1MiB"], ["--size", "-4M"], ["--io-size", "0"],
           ["--kinds", "anon-read,nope"], ["--kinds", ""]]
    suitelib.check_bad_options(mmbench, "faults", work, scratch, bad)


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    plot = os.path.join(scripts, "plot-faults")
    run_suite(mmbench, work, "anon-write,thp-write")
    out = os.path.join(work, "out-anon-write_thp-write")
    suitelib.check_chart(plot, out, "faults", ["anon-write"])
    # A subset with a kind that did not run, columns in another order and
    # an unknown extra column: drawn, the kind named with its status.
    cols = ["note", "kind", "status", "extra_column", "faults_per_page_median",
            "expected_faults_per_page", "ns_per_item_median", "ns_per_fault_median",
            "size_bytes", "phase"]
    rows = [["", "anon-write", "ok", "x", "1", "1", "3000", "3000", "16777216", "total"],
            ["unsupported here: THP is never", "thp-write", "unsupported on this platform",
             "y", "", "0.00195312", "", "", "16777216", "total"]]
    suitelib.check_chart_subset(plot, os.path.join(work, "subset"), "faults", cols, rows,
                                "thp-write (unsupported",
                                "the chart does not say thp-write did not run")
    suitelib.check_chart_refuses_empty(plot, work)


def main():
    suitelib.main("check_faults.py",
                  {"anon": test_anon, "file": test_file, "cold": test_cold,
                   "bad_options": test_bad_options, "chart": test_chart},
                  "MB_FAULTS_TMP", "mbtest-faults.",
                  finish=lambda test, work, _: suitelib.check_no_scratch(work), ok="faults_")


if __name__ == "__main__":
    main()
