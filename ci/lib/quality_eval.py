"""Evaluates the trials ci/gate-quality collected: replays ci/gate's
adaptive procedure on each trial's rounds with `mmbench compare`, chooses the
threshold on the calibration trials (cal-*) only, and prints the outcome
rates of the other trials with Wilson 95% intervals, as markdown.

Outcomes per trial:
  A/A      regression = compare exit 1 (a false alarm), same = exit 0,
           inconclusive = exit 3 when the rounds ran out;
  A/B PCT  regression = an mmap row (the slowed one) is slower: a detection;
           same = every mmap row same or faster: the worst miss;
           inconclusive = anything else. A non-mmap row called slower or
           failed in an A/B trial is counted as a false alarm of its own.

Only trials with --rounds complete rounds count (one still running does not).

With fewer rounds collected than ci/gate's budget (40), a trial the real gate
would take further is counted inconclusive: an upper bound on that rate.

usage: quality_eval.py --mmbench PATH [--start 12] [--rounds 20] [--cal-rounds N]
                       [--looks 5] [--thresholds 0.05,...] DIR
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys

SLOWED = re.compile(r"/mmap/")


def wilson(k, n, z=1.959963984540054):
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    mid = (p + z * z / (2 * n)) / d
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, mid - half), min(1.0, mid + half))


def rounds_in(trial, limit=None):
    k = 0
    while (limit is None or k < limit) and all(
            os.path.exists(os.path.join(trial, f"{s}{k + 1}", "results.json")) for s in "AB"):
        k += 1
    return k


def next_target(done, limit):
    return min(limit, done + max(2, done // 2 // 2 * 2))


def looks(start, limit):
    n, r = 1, start
    while r < limit:
        r, n = next_target(r, limit), n + 1
    return n


def compare(mmbench, trial, rounds, threshold, nlooks):
    args = [mmbench, "compare", "--threshold", str(threshold), "--format", "json",
            "--alpha", f"{0.05 / nlooks:.6g}", "--confidence", f"{1 - 0.05 / nlooks:.6g}"]
    for side, flag in (("A", "--base"), ("B", "--head")):
        for k in range(1, rounds + 1):
            args += [flag, os.path.join(trial, f"{side}{k}", "results.json")]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode not in (0, 1, 3):
        sys.exit(f"quality: compare failed on {trial} ({p.returncode}): {p.stderr.strip()}")
    return p.returncode, json.loads(p.stdout)


def replay(mmbench, trial, threshold, start, limit, gate_looks):
    """ci/gate's loop: start rounds, then half as many again while exit 3,
    with alpha and the interval split over `gate_looks` looks (ci/gate's
    default schedule has 5) or, when 0, over the looks the collected rounds
    allow."""
    have = rounds_in(trial, limit)
    r = min(start, have)
    nlooks = gate_looks or looks(r, have)
    while True:
        code, rep = compare(mmbench, trial, r, threshold, nlooks)
        if code != 3 or r >= have:
            return code, rep, r
        r = next_target(r, have)


def outcome(kind, code, rep):
    rows = rep["benchmarks"]
    if kind == "AA":
        return {0: "same", 1: "regression", 3: "inconclusive"}[code], 0
    slowed = [b for b in rows if SLOWED.search(b["name"])]
    others_bad = sum(1 for b in rows if not SLOWED.search(b["name"])
                     and b["verdict"] in ("slower", "failed"))
    if any(b["verdict"] == "slower" for b in slowed):
        return "regression", others_bad
    if slowed and all(b["verdict"] in ("same", "faster") for b in slowed):
        return "same", others_bad
    return "inconclusive", others_bad


def trials(root, prefix, rounds):
    out = {}
    for name in sorted(os.listdir(root)):
        m = re.fullmatch(prefix + r"(AA|AB\d+)-(\d+)", name)
        if m and rounds_in(os.path.join(root, name)) >= rounds:
            out.setdefault(m.group(1), []).append(os.path.join(root, name))
    return out


def evaluate(mmbench, groups, threshold, start, limit, gate_looks=5):
    res = {}
    for kind, dirs in groups.items():
        counts = {"regression": 0, "same": 0, "inconclusive": 0}
        rounds = others = 0
        for d in dirs:
            code, rep, r = replay(mmbench, d, threshold, start, limit, gate_looks)
            o, bad = outcome("AA" if kind == "AA" else "AB", code, rep)
            counts[o] += 1
            rounds += r
            others += bad > 0
        res[kind] = (counts, len(dirs), rounds / max(1, len(dirs)), others)
    return res


def table(res, threshold):
    lines = [f"threshold {threshold * 100:g}%", "",
             "| trials | n | P(regression) [95% CI] | P(same) [95% CI] | "
             "P(inconclusive) [95% CI] | mean rounds | trials with a false alarm on an unslowed row |",
             "|---|---:|---|---|---|---:|---:|"]
    for kind in sorted(res, key=lambda k: (k != "AA", int(k[2:] or 0))):
        counts, n, rounds, others = res[kind]
        label = "A/A" if kind == "AA" else f"A/B mmap +{kind[2:]}%"
        cells = []
        for o in ("regression", "same", "inconclusive"):
            lo, hi = wilson(counts[o], n)
            cells.append(f"{counts[o]}/{n} = {100 * counts[o] / n:.0f}% [{100 * lo:.0f}, {100 * hi:.0f}]")
        fa = "-" if kind == "AA" else f"{others}/{n}"
        lines.append(f"| {label} | {n} | {' | '.join(cells)} | {rounds:.1f} | {fa} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mmbench", required=True)
    ap.add_argument("--start", type=int, default=12)
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--cal-rounds", type=int, default=None)
    ap.add_argument("--looks", type=int, default=5,
                    help="looks to split alpha over (ci/gate's default schedule: 5); 0: as many "
                         "as the collected rounds allow")
    ap.add_argument("--thresholds", default="0.05,0.075,0.10,0.125,0.15,0.20")
    ap.add_argument("--chosen", type=float, default=None,
                    help="use this threshold instead of calibrating (calibration done already)")
    ap.add_argument("dir")
    a = ap.parse_args()
    a.cal_rounds = a.cal_rounds or a.rounds
    cal, rep = trials(a.dir, "cal-", a.cal_rounds), trials(a.dir, "", a.rounds)
    out = []
    chosen = a.chosen
    if cal and chosen is None:
        out.append("## Calibration trials (threshold chosen here only)\n")
        ok = []
        for t in [float(x) for x in a.thresholds.split(",")]:
            res = evaluate(a.mmbench, cal, t, a.start, a.cal_rounds, a.looks)
            out.append(table(res, t) + "\n")
            aa = res.get("AA")
            ab = [res[k] for k in sorted(res) if k != "AA"][-1:]  # the largest slowdown
            # Admissible: no calibration A/A alarm, >= 90% of the largest
            # slowdown's calibration trials detected.
            if aa and aa[0]["regression"] == 0 and ab and ab[0][0]["regression"] >= 0.9 * ab[0][1]:
                ok.append((t, aa[0]["same"] / aa[1], 1 / aa[1]))
        # The rule: among admissible thresholds, the smallest whose A/A pass
        # rate is within one trial of the best one's.
        if ok:
            best = max(p for _, p, _ in ok)
            chosen = min(t for t, p, one in ok if p >= best - one - 1e-9)
            out.append(f"rule: smallest threshold with no calibration A/A alarm, >= 90% of the "
                       f"largest slowdown detected, and an A/A pass rate within one trial of the "
                       f"best ({100 * best:.0f}%): {100 * chosen:g}%\n")
    if chosen is None:
        chosen = 0.15
        out.append("no candidate met the rule; the default 15% is used\n")
    out.append(f"## Reported trials, at the threshold chosen on calibration: {chosen * 100:g}%\n")
    if rep:
        out.append(table(evaluate(a.mmbench, rep, chosen, a.start, a.rounds, a.looks), chosen) + "\n")
        if chosen != 0.15:
            out.append("## Reported trials at the default threshold (15%), for comparison\n")
            out.append(table(evaluate(a.mmbench, rep, 0.15, a.start, a.rounds, a.looks), 0.15) + "\n")
    text = "\n".join(out)
    print(text)
    with open(os.path.join(a.dir, "evaluation.md"), "w") as f:
        f.write(text + "\n")


main()
