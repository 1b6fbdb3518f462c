"""Writes a copy of a results file in which the entries whose name matches
PATTERN (iterations and aggregates, except the unitless cv) have their
real_time and cpu_time multiplied by FACTOR: a known, exact slowdown for the
compare tests, with no timing involved.

usage: scale_rows.py IN.json OUT.json PATTERN FACTOR
"""
import json
import re
import sys

src, dst, pattern, factor = sys.argv[1], sys.argv[2], re.compile(sys.argv[3]), float(sys.argv[4])
doc = json.load(open(src))
for e in doc["benchmarks"]:
    if e.get("aggregate_name") != "cv" and pattern.search(e["name"]):
        for key in ("real_time", "cpu_time"):
            if isinstance(e.get(key), (int, float)):
                e[key] *= factor
json.dump(doc, open(dst, "w"), indent=1)
