"""Checks a backing run's samples.csv, summary.csv and results.json (read by
column name and by key), as written by `mmbench run --suite backing`."""
import csv
import json
import os
import sys

KINDS = ["file", "file-nosync", "shm", "memfd", "shared-anon", "private-anon"]
BASE = ["create", "fill", "rewrite", "unmap"]
WITH_FD = {"file", "file-nosync", "shm", "memfd"}
MEMORY = {"shm", "memfd", "shared-anon", "private-anon"}
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


def expected_phases(kind):
    p = list(BASE)
    if kind in WITH_FD:
        p.append("close")
    if kind == "file":
        p.append("durable")
    return p


def main(out):
    with open(os.path.join(out, "samples.csv"), newline="") as f:
        samples = list(csv.DictReader(f))
    with open(os.path.join(out, "summary.csv"), newline="") as f:
        summary = list(csv.DictReader(f))
    with open(os.path.join(out, "results.json")) as f:
        results = json.load(f)

    seen = {}
    for r in samples:
        seen.setdefault((r["kind"], r["size_bytes"]), set()).add(r["phase"])
        check(r["verified"] == "1", "%s %s: not verified" % (r["case"], r["phase"]))
    sizes = {s for _, s in seen}
    check(sizes == {str(1 << 20), str(4 << 20)}, "sizes %s" % sorted(sizes))
    for kind in KINDS:
        for size in sizes:
            got = seen.get((kind, size), set())
            want = set(expected_phases(kind)) | {"total"}
            check(got == want, "%s %s: phases %s, want %s" % (kind, size, sorted(got), sorted(want)))

    for r in summary:
        check(r["status"] == "ok", "%s %s: status %s (%s)" % (r["case"], r["phase"], r["status"], r.get("note")))
        if r["phase"] == "total":
            # system-wide Dirty is never 0 bytes after a pass that wrote a file
            if r["kind"] == "file-nosync":
                check(float(r["dirty_bytes_after_median"]) > 0, "%s: no dirty bytes after" % r["case"])
            check(float(r["dirty_bytes_before_median"]) >= 0, "%s: no dirty metric" % r["case"])
        if r["phase"] != "fill":
            continue
        pages = int(r["size_bytes"]) // 4096
        flt = float(r["minor_faults_median"])
        # Memory kinds fault once per page. A shared file mapping may map a
        # large folio's pages on one fault (ext4 with large folios), so it
        # is only required to fault at all.
        if r["kind"] in MEMORY:
            check(flt >= 0.95 * pages, "%s fill: %g minor faults for %d pages" % (r["case"], flt, pages))
        else:
            check(flt >= 1, "%s fill: no minor fault" % r["case"])
        has_unlink = r.get("shm_unlink_ns_median", "") != ""
        check(has_unlink == (r["kind"] == "shm"), "%s: shm_unlink_ns present: %s" % (r["case"], has_unlink))

    names = [b["name"] for b in results["benchmarks"]]
    for kind in KINDS:
        for size in ("1MiB", "4MiB"):
            base = "backing/kind:%s/size:%s" % (kind, size)
            for ph in ("create", "fill", "rewrite", "unmap"):
                check(any(n.startswith(base + "/phase:" + ph) for n in names), "results.json lacks %s/phase:%s" % (base, ph))
            durable = any(n.startswith(base + "/phase:durable") for n in names)
            check(durable == (kind == "file"), "%s: durable entry %s" % (base, durable))
    check(not any(b.get("error_occurred") for b in results["benchmarks"]), "an entry reports an error")

    if errors:
        for e in errors:
            print("FAIL: " + e, file=sys.stderr)
        sys.exit(1)
    print("backing outputs: %d samples, %d summary rows, %d JSON entries ok" % (len(samples), len(summary), len(names)))


main(sys.argv[1])
