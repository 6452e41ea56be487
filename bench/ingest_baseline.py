#!/usr/bin/env python3
"""The way teams' scripts store training logs today: read the log line by line, pull step and
`key: value` pairs out with regular expressions, and insert one row per point with the standard
sqlite3 module (executemany, one commit at the end). Standard library only.

Usage: python3 bench/ingest_baseline.py LOG DB    (prints the number of points stored)
"""
import re
import sqlite3
import sys

STEP = re.compile(r"Iter (\d+)(?:/(\d+))?")
PAIR = re.compile(r"([A-Za-z_][\w/.]*): ([-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|nan|inf))")


def points(path, metric_id):
    with open(path, encoding="utf-8", errors="replace") as log:
        for line in log:
            step = STEP.search(line)
            if step is None:
                continue
            n = int(step.group(1))
            for key, value in PAIR.findall(line, step.end()):
                yield metric_id(key), n, float(value)


def main(log_path, db_path):
    db = sqlite3.connect(db_path)
    db.execute("CREATE TABLE IF NOT EXISTS metrics (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE)")
    db.execute("CREATE TABLE IF NOT EXISTS points (metric_id INTEGER NOT NULL, step INTEGER NOT NULL, value REAL, "
               "PRIMARY KEY (metric_id, step)) WITHOUT ROWID")
    ids = {}

    def metric_id(key):
        if key not in ids:
            ids[key] = db.execute("INSERT OR IGNORE INTO metrics (key) VALUES (?)", (key,)).lastrowid or \
                db.execute("SELECT id FROM metrics WHERE key = ?", (key,)).fetchone()[0]
        return ids[key]

    db.executemany("INSERT OR REPLACE INTO points (metric_id, step, value) VALUES (?, ?, ?)", points(log_path, metric_id))
    db.commit()
    print(db.execute("SELECT count(*) FROM points").fetchone()[0])
    db.close()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
