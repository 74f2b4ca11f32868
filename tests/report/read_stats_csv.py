#!/usr/bin/env python3
"""The kind of script teams keep for Locust's --csv output (the seeds' analyze_load_results.py):
reads <prefix>_stats.csv with the csv module, the Aggregated row and each request's p95. It must
read Locust's file and loadgate's with the same code; it fails (exit 1) when one of them does not
parse as such a script expects.

    read_stats_csv.py A_stats.csv [B_stats.csv ...]
"""
import csv
import sys


def summarize(path):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames
        rows = list(reader)
    aggregated = [r for r in rows if r["Name"] == "Aggregated"]
    if len(aggregated) != 1:
        raise ValueError(f"{path}: expected one Aggregated row, found {len(aggregated)}")
    total = aggregated[0]
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    p95 = float(total["95%"])
    rps = float(total["Requests/s"])
    names = [r["Name"] for r in rows if r["Name"] != "Aggregated"]
    per_name = {r["Name"]: float(r["95%"]) for r in rows if r["Name"] != "Aggregated" and r["95%"] != "N/A"}
    print(f"{path}: requests={requests} failures={failures} rps={rps:.1f} p95_ms={p95:.1f} names={','.join(names)}"
          f" per_name_p95={per_name}")
    return header


def main(paths):
    headers = [summarize(p) for p in paths]
    if any(h != headers[0] for h in headers):
        print("the files' headers differ:", *headers, sep="\n  ")
        return 1
    print("same header:", ",".join(headers[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
