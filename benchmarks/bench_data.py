"""Loading data: gdviz against pandas.read_csv on the same 1,000,000-row CSV.

    python benchmarks/bench_data.py [FILE.csv]

Without a file, one is written to a temporary folder: three columns, 1,000,000 rows
(25 MB). Each reader runs in a fresh process (so neither profits from the other's
imports or caches), three times; printed are the best time and the peak memory the read
added to the process, and the ratios (targets: time at most 3x pandas, memory at most 3x
the 16 MB of numbers read).
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

READ = {
    "pandas.read_csv": "import pandas as pd\n"
                       "read = lambda: pd.read_csv(PATH, usecols=['hours', 'score'])",
    "gdviz.data.load": "from gdviz.data import load\n"
                       "read = lambda: load(PATH, ['hours'], 'score')",
}

CHILD = """
import json, resource, sys, time
PATH = sys.argv[1]
{setup}
def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
base = rss()
start = time.perf_counter()
read()
print(json.dumps({{"seconds": time.perf_counter() - start, "added_mb": rss() - base}}))
"""


def write_csv(path: Path, rows: int = 1_000_000) -> None:
    rng = np.random.default_rng(0)
    hours = rng.uniform(0, 10, rows)
    table = np.column_stack([rng.normal(size=rows), hours, 3 + 2 * hours + rng.normal(size=rows)])
    with open(path, "w") as handle:
        handle.write("a,hours,score\n")
        np.savetxt(handle, table, delimiter=",", fmt="%.6g")


def measure(name: str, path: Path, repeats: int = 3) -> dict:
    runs = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", CHILD.format(setup=READ[name]), str(path)],
                             capture_output=True, text=True, check=True).stdout
        runs.append(json.loads(out))
    return {"seconds": min(r["seconds"] for r in runs), "added_mb": min(r["added_mb"] for r in runs)}


def main():
    with tempfile.TemporaryDirectory() as folder:
        path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(folder) / "1m.csv"
        if len(sys.argv) == 1:
            write_csv(path)
        results = {name: measure(name, path) for name in READ}
    print(f"reading hours and score from {path.name} ({path.stat().st_size / 1e6:.0f} MB):"
          if path.exists() else "reading hours and score from a 1,000,000-row CSV:")
    for name, result in results.items():
        print(f"  {name:<16} {result['seconds']:6.3f} s   +{result['added_mb']:5.0f} MB peak")
    ours, theirs = results["gdviz.data.load"], results["pandas.read_csv"]
    print(f"  time ratio gdviz / pandas   {ours['seconds'] / theirs['seconds']:5.2f}  (target: at most 3)")
    print(f"  gdviz memory / 16 MB of numbers  {ours['added_mb'] / 16:5.2f}  (target: at most 3)")


if __name__ == "__main__":
    main()
