#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""kill_in_txn.py DB PID SIGNAL: wait until process PID holds the write lock
of the replica DB (its schema in place, so the write is the job and not the
migration), then send it SIGNAL (SIGINT, SIGTERM, SIGKILL). Prints "sent",
or "missed" when the process ended first or 30 s passed. Polls every 2 ms:
a condition, not a fixed sleep."""
import os
import signal
import sqlite3
import sys
import time

db, pid, sig = sys.argv[1], int(sys.argv[2]), getattr(signal, sys.argv[3])


def alive():
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def main():
    deadline = time.monotonic() + 30
    c = None
    while time.monotonic() < deadline and alive():
        try:
            if c is None and os.path.exists(db):
                c = sqlite3.connect(f"file:{db}?mode=rw", uri=True,
                                    timeout=0, isolation_level=None)
            if c is not None and \
                    c.execute("PRAGMA user_version").fetchone()[0] > 0:
                try:
                    c.execute("BEGIN IMMEDIATE")
                    c.execute("ROLLBACK")
                except sqlite3.OperationalError as e:
                    if "locked" in str(e) or "busy" in str(e):
                        os.kill(pid, sig)
                        print("sent")
                        return
        except sqlite3.DatabaseError:
            pass
        time.sleep(0.002)
    print("missed")


main()
