"""Reference value for test_compare_stats.c's van_elteren_weights: van
Elteren's stratified rank-sum test (weights 1/(N_k+1), normal approximation
with tie correction, continuity correction of half the smallest weight),
written from the textbook definition with scipy's rankdata, independently of
the C code. Prints the one-sided p (head larger) and, for comparison, the p
of the equal-weight sum the gate used before.

usage: van_elteren_ref.py
"""
import math

from scipy.stats import norm, rankdata

nb, nh = [5, 7, 3, 6], [6, 7, 9, 4]
strata = []
for k in range(4):
    b = [float(i % 4) for i in range(nb[k])]
    h = [float(i % 4) + (1 if k % 2 else 0) for i in range(nh[k])]
    strata.append((b, h))


def test(weight):
    w_obs = mu = var = 0.0
    cc = math.inf
    for b, h in strata:
        m, n = len(b), len(h)
        big_n = m + n
        ranks = rankdata(b + h)
        u = sum(ranks[m:]) - n * (n + 1) / 2
        ties = {}
        for x in b + h:
            ties[x] = ties.get(x, 0) + 1
        tie = sum(t ** 3 - t for t in ties.values())
        v = m * n / 12 * ((big_n + 1) - tie / (big_n * (big_n - 1)))
        w = weight(big_n)
        w_obs += w * u
        mu += w * m * n / 2
        var += w * w * v
        cc = min(cc, w / 2)
    return norm.sf((w_obs - mu - cc) / math.sqrt(var))


print(f"van Elteren p_greater {test(lambda n: 1 / (n + 1)):.17g}")
print(f"equal weights p_greater {test(lambda n: 1.0):.17g}")
