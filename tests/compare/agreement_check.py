"""Checks mmbench compare's JSON against compare.py's dump on the same files.

usage: agreement_check.py COMPARE_PY_DUMP.json MMBENCH_COMPARE.json METRIC [HEAD.json]
METRIC real_time is checked against compare.py's time_pvalue, cpu_time against
cpu_pvalue. compare.py's U test is two-sided, so mmbench's p_two_sided (the
same data, the same scipy rule) is what must match; the direction of change
is checked against compare.py's _median rows. Prints one line per problem and
a summary; exits 1 on any disagreement or when nothing was compared.
Benchmarks with error entries in HEAD (given as the fourth argument) are not
held to compare.py's p-value: compare.py ranks an errored repetition's
real_time of 0 as a measurement, mmbench leaves it out and must call the
benchmark failed; that is what is checked for them.
"""
import json
import sys

dump = json.load(open(sys.argv[1]))
mine = {r["name"]: r for r in json.load(open(sys.argv[2]))["benchmarks"]}
metric = sys.argv[3]
pkey = "time_pvalue" if metric == "real_time" else "cpu_pvalue"
mkey = "time" if metric == "real_time" else "cpu"
medians = {d["name"]: d for d in dump if d.get("aggregate_name") == "median"}
errored = set()
if len(sys.argv) > 4:
    errored = {e["name"] for e in json.load(open(sys.argv[4]))["benchmarks"]
               if e.get("error_occurred")}

bad = checked_p = checked_dir = 0
for d in dump:
    u = d.get("utest") or {}
    if pkey not in u:
        continue
    row = mine.get(d["name"])
    if d["name"] in errored:
        checked_err = globals().get("checked_err", 0) + 1
        globals()["checked_err"] = checked_err
        if row is None or row["verdict"] != "failed":
            print(f"{d['name']}: errored in head, mmbench verdict "
                  f"{row and row['verdict']} (want failed)")
            bad += 1
        continue
    if row is None or "p_two_sided" not in row:
        print(f"{d['name']}: compare.py has a p-value, mmbench compare none")
        bad += 1
        continue
    theirs, ours = u[pkey], row["p_two_sided"]
    checked_p += 1
    if abs(theirs - ours) > 1e-6 + 1e-6 * theirs:
        print(f"{d['name']}: p {ours:.10g} (mmbench) vs {theirs:.10g} (compare.py)")
        bad += 1
    med = medians.get(d["name"] + "_median")
    if med and "ratio" in row:
        change = med["measurements"][0][mkey]
        if abs(change) > 1e-9 and abs(row["ratio"] - 1) > 1e-9:
            checked_dir += 1
            if (change > 0) != (row["ratio"] > 1):
                print(f"{d['name']}: change {change:+.4f} (compare.py) vs ratio {row['ratio']:.4f}")
                bad += 1

print(f"agreement ({metric}): {checked_p} p-values, {checked_dir} directions, "
      f"{globals().get('checked_err', 0)} errored benchmarks checked, {bad} disagree")
sys.exit(1 if bad or checked_p == 0 else 0)
