#!/usr/bin/env python3
"""What scripts/outofcore-fastdev refuses, checked without a loop device: bad
options, a user who is not root, a file /dev/shm cannot hold. Each must exit 2
with a message saying why, and leave nothing in /dev/shm or /tmp.
Usage: check_fastdev.py usage MMBENCH SCRIPTS"""
import glob
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import suitelib  # noqa: E402
from suitelib import fail  # noqa: E402

MADE = ("/dev/shm/mmbench-fastdev.*", "/tmp/mmbench-fastdev.*")


def made():
    return {p for pattern in MADE for p in glob.glob(pattern)}


def expect_refusal(cmd, words):
    """Runs cmd; fails unless it exits 2 with all of `words` in its stderr and
    nothing new of the script's is left."""
    before = made()
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if p.returncode != 2:
        fail("%s exited %d, want 2: %s" % (" ".join(cmd), p.returncode, p.stderr))
    missing = [w for w in words if w not in p.stderr]
    if missing:
        fail("%s: the message %r does not say %s" % (" ".join(cmd), p.stderr, missing))
    left = made() - before
    if left:
        fail("%s left %s" % (" ".join(cmd), sorted(left)))


def test_usage(mmbench, work, scripts):
    script = os.path.join(scripts, "outofcore-fastdev")
    base = [sys.executable, script, "--mmbench", mmbench, "--out", os.path.join(work, "out")]
    for args, words in ((["--dir", work], ["--dir"]), (["--suite", "records"], ["--suite"]),
                        (["--mem-limit", "none"], ["--mem-limit", "none"]),
                        (["--mem-limit", "0"], ["--mem-limit"]),
                        (["--file-size", "abc"], ["--file-size", "abc"]),
                        (["--file-size", "1.5GiB"], ["--file-size"])):
        expect_refusal(base + args, words)
    if os.geteuid() != 0:
        expect_refusal(base, ["needs root"])
        return
    expect_refusal(base + ["--file-size", "64TiB"], ["/dev/shm", "free"])
    expect_refusal(base[:2] + ["--mmbench", os.path.join(work, "none")], ["no mmbench"])
    if shutil.which("setpriv"):
        os.chmod(work, 0o777)
        user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        expect_refusal(user + base, ["needs root"])
    if os.path.exists(os.path.join(work, "out")):
        fail("a refused run made --out")


def main():
    suitelib.main("check_fastdev.py", {"usage": test_usage}, "MB_OUTOFCORE_TMP",
                  "mbtest-fastdev.", ok="outofcore_fastdev_")


if __name__ == "__main__":
    main()
