#!/usr/bin/env python3
"""Checks the flush suite through the real binary: check_flush.py TEST MMBENCH SCRIPTS

TEST is one of
  durable        every operation on small views passes its durability check
                 (no page of the file dirty or under writeback, then the
                 bytes read back around the page cache equal those written),
                 every sample verified, the read-back way named
  missing_flush  with --test-skip-flush (the pass leaves the flush out) every
                 operation that promises durability fails its check, saying
                 the data is not durable; MS_ASYNC, which promises nothing,
                 passes; nothing is left in --dir
  counters       MS_SYNC, unmap+close+fdatasync and pwrite+fdatasync reach
                 the device (device_writes >= 1); pwrite counts
                 storage_write_bytes >= the dirty bytes (Linux charges a
                 mapped page's write when it is dirtied, before the flush, so
                 msync shows none); the kernel's dirty-page count covers the
                 pages written, exactly with --folios small (skipped on tmpfs)
  bad_options    bad values of the suite's options exit 2 and leave nothing;
                 a --dir on tmpfs makes every case unsupported, with why
  scratch        more space than --dir holds exits 2 before creating a file
                 (a 4 MiB tmpfs, root only); SIGTERM mid-run leaves nothing
  chart          scripts/plot-flush draws a subset, and refuses a results
                 folder without summary.csv
Scratch files go under $MB_FLUSH_TMP (default /var/tmp: disk-backed)."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail, skip  # noqa: E402

f = suitelib.num
DURABLE_OPS = ["msync-sync", "msync-range", "unmap-close", "pwrite-fdatasync", "save-all"]


def fs_type(path):
    p = subprocess.run(["stat", "-f", "-c", "%T", path], capture_output=True, text=True)
    return p.stdout.strip()


def run_suite(mmbench, work, name, extra=(), want=(0,)):
    """Runs the suite in a fresh --out; returns (total summary rows, samples,
    the process)."""
    out = os.path.join(work, "out-" + name)
    cmd = [mmbench, "run", "--suite", "flush", "--quick", "--reps", "3", "--warmup", "1",
           "--out", out, "--dir", work, "--format", "csv", "--no-plot", "--quiet", *extra]
    p = suitelib.run_mmbench(cmd, codes=want)
    summary = suitelib.read_csv(os.path.join(out, "summary.csv"), "total")
    samples = suitelib.read_csv(os.path.join(out, "samples.csv"))
    return summary, samples, p


def need_disk(work):
    if fs_type(work) in ("tmpfs", "ramfs"):
        skip("%s is on %s: nothing there is durable; set MB_FLUSH_TMP to a disk" %
             (work, fs_type(work)))


def test_durable(mmbench, work, scripts):
    need_disk(work)
    summary, samples, _ = run_suite(mmbench, work, "durable",
                                    ["--sizes", "64KiB,1MiB", "--dirty", "1page,10pct,100pct"])
    ops = {r["op"] for r in summary}
    if ops != set(DURABLE_OPS + ["msync-async"]):
        fail("operations run: %s" % sorted(ops))
    for r in summary:
        if r["status"] != "ok":
            fail("%s: %s (%s)" % (r["case"], r["status"], r["note"]))
        way = r["readback"]
        if r["op"] == "msync-async":
            if way != "read-through-cache":
                fail("%s: readback %r" % (r["case"], way))
        elif way not in ("cachestat-clean+o_direct", "cachestat-clean+evict+mincore"):
            fail("%s: readback %r" % (r["case"], way))
        if f(r, "work_items_median") != f(r, "dirty_pages"):
            fail("%s: work_items %s, dirty_pages %s" % (r["case"], r["work_items_median"],
                                                        r["dirty_pages"]))
    unmap = [r for r in summary if r["op"] == "unmap-close"]
    if not unmap:
        fail("no unmap-close case")
    phases = {s["phase"] for s in samples if s["op"] == "unmap-close"}
    if not {"unmap", "close", "durable", "total"} <= phases:
        fail("unmap-close phases: %s" % sorted(phases))
    for s in samples:
        if s["verified"] != "1":
            fail("sample of %s not verified" % s["case"])


def test_missing_flush(mmbench, work, scripts):
    need_disk(work)
    summary, _, p = run_suite(mmbench, work, "skip",
                              ["--sizes", "64KiB", "--dirty", "1page", "--test-skip-flush"],
                              want=(1,))
    for r in summary:
        if r["op"] == "msync-async":
            if r["status"] != "ok":
                fail("msync-async promises no durability yet failed: %s" % r["note"])
            continue
        if "verification" not in r["status"]:
            fail("%s: status %r with the flush left out (want a verification failure)" %
                 (r["case"], r["status"]))
    for op in DURABLE_OPS:
        if not [r for r in summary if r["op"] == op]:
            fail("no %s row" % op)
    # The message names the cause; it is in the console output (stderr).
    q = subprocess.run([mmbench, "run", "--suite", "flush", "--quick", "--reps", "1",
                        "--warmup", "0", "--dir", work, "--out", os.path.join(work, "out-msg"),
                        "--format", "console", "--no-plot", "--sizes", "64KiB", "--dirty",
                        "1page", "--ops", "msync-sync", "--test-skip-flush"],
                       capture_output=True, text=True, timeout=60)
    if "not durable" not in q.stdout + q.stderr:
        fail("the failure does not say the data is not durable: %s" % (q.stdout + q.stderr))


def test_counters(mmbench, work, scripts):
    need_disk(work)
    summary, _, _ = run_suite(mmbench, work, "counters",
                              ["--sizes", "1MiB", "--dirty", "1page,10pct,100pct",
                               "--patterns", "seq", "--folios", "large,small",
                               "--ops", "msync-sync,unmap-close,pwrite-fdatasync"])
    page = 4096
    for r in summary:
        if r["status"] != "ok":
            fail("%s: %s (%s)" % (r["case"], r["status"], r["note"]))
        dirty_bytes = f(r, "dirty_pages") * page
        if r["device_writes_median"] == "":
            print("NOTE: device_writes unavailable here (no block device under --dir)")
        elif f(r, "device_writes_median") < 1:
            fail("%s: %s device writes for a flush to storage" % (r["case"],
                                                                  r["device_writes_median"]))
        if r["op"] == "pwrite-fdatasync" and f(r, "storage_write_bytes_median") < dirty_bytes:
            fail("%s: storage_write_bytes %s < %d dirty bytes" %
                 (r["case"], r["storage_write_bytes_median"], dirty_bytes))
        if r["op"] in ("msync-sync", "unmap-close"):
            kern = f(r, "file_dirty_pages_median")
            if kern < f(r, "dirty_pages"):
                fail("%s: the kernel counted %s dirty pages for %s written" %
                     (r["case"], kern, r["dirty_pages"]))
            if r["folios"] == "small" and kern != f(r, "dirty_pages"):
                fail("%s: base-page folios, yet %s dirty pages for %s written" %
                     (r["case"], kern, r["dirty_pages"]))


def expect_exit2(mmbench, work, args, scratch):
    return suitelib.expect_exit2(mmbench, "flush", work, args, scratch)


def test_bad_options(mmbench, work, scripts):
    scratch = os.path.join(work, "scratch")
    os.mkdir(scratch)
    bad = [["--sizes", "32KiB"], ["--sizes", "512MiB"], ["--sizes", "65537"],
           ["--sizes", "1MiB,x"], ["--dirty", "5pct"], ["--patterns", "zigzag"],
           ["--ops", "msync-sync,fsync"], ["--folios", "huge"], ["--ops", ""]]
    suitelib.check_bad_options(mmbench, "flush", work, scratch, bad)
    expect_exit2(mmbench, work, [], os.path.join(work, "no-such-dir"))
    shm = "/dev/shm"
    if os.path.isdir(shm) and fs_type(shm) == "tmpfs":
        mine = tempfile.mkdtemp(prefix="mbtest-flush.", dir=shm)
        try:
            summary, _, _ = run_suite(mmbench, mine, "shm", ["--sizes", "64KiB", "--ops",
                                                              "msync-sync"])
            for r in summary:
                if "unsupported" not in r["status"] or "memory filesystem" not in r["note"]:
                    fail("on tmpfs %s: %s (%s)" % (r["case"], r["status"], r["note"]))
            if [n for n in os.listdir(mine) if n.startswith("mmbench-")]:
                fail("scratch left on tmpfs")
        finally:
            shutil.rmtree(mine, ignore_errors=True)


def test_scratch(mmbench, work, scripts):
    need_disk(work)
    suitelib.sigterm_mid_run(mmbench, "flush", work, ["--sizes", "16MiB", "--reps", "50"])
    # The space check comes before the check that refuses tmpfs.
    suitelib.check_space_refused(mmbench, "flush", work, ["--sizes", "16MiB"])


def test_chart(mmbench, work, scripts):
    suitelib.need_gnuplot()
    need_disk(work)
    plot = os.path.join(scripts, "plot-flush")
    run_suite(mmbench, work, "chart", ["--sizes", "64KiB", "--ops", "msync-sync,save-all",
                                       "--dirty", "1page,100pct"])
    out = os.path.join(work, "out-chart")
    suitelib.check_chart(plot, out, "flush", ["64 KiB view", "msync(MS_SYNC)"],
                         "its panel or operations")
    # Columns in another order, an extra column, a case that did not run.
    cols = ["note", "op", "status", "extra", "size_bytes", "dirty", "dirty_pages", "pattern",
            "folios", "wall_ns_median", "phase"]
    rows = [["", "msync-range", "ok", "x", "1048576", "1page", "1", "seq", "small",
             "3000000", "total"],
            ["why", "unmap-close", "verification failed", "y", "1048576", "1page", "1",
             "seq", "small", "", "total"]]
    suitelib.check_chart_subset(plot, os.path.join(work, "subset"), "flush", cols, rows,
                                "unmap-close 1 MiB 1page (verification failed)",
                                "the chart does not say unmap-close did not run")
    suitelib.check_chart_refuses_empty(plot, work)


def main():
    suitelib.main("check_flush.py",
                  {"durable": test_durable, "missing_flush": test_missing_flush,
                   "counters": test_counters, "bad_options": test_bad_options,
                   "scratch": test_scratch, "chart": test_chart},
                  "MB_FLUSH_TMP", "mbtest-flush.",
                  finish=lambda test, work, _: suitelib.check_no_scratch(work), ok="flush_")


if __name__ == "__main__":
    main()
