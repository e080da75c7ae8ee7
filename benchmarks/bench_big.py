"""Data beyond memory: 10,000,000 rows as 16 Parquet files, 100 logistic-regression GD
steps on a Dask LocalCluster; wall time and the client process's peak memory.

    python benchmarks/bench_big.py [--rows 10000000] [--steps 100] [--folder DIR]

The files are written first (into --folder, or a temporary folder). The client's memory
must stay far below the data's size: the rows live on the workers, only sums and a
5,000-point sample come back. Each step is one distributed reduction.
"""
import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_parts(folder: Path, rows: int, files: int = 16) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(0)
    per = rows // files
    for k in range(files):
        t, u = rng.uniform(-2, 2, per), rng.uniform(-2, 2, per)
        label = ((t + u + rng.normal(0, 0.5, per)) > 0).astype(np.float64)
        pq.write_table(pa.table({"t": t, "u": u, "label": label}), folder / f"part-{k:02}.parquet")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--folder", type=Path, default=None)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = options.folder or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        if not list(folder.glob("*.parquet")):
            started = time.perf_counter()
            write_parts(folder, options.rows)
            print(f"wrote {options.rows:,} rows as 16 Parquet files in "
                  f"{time.perf_counter() - started:.1f} s")
        import dask.dataframe as dd
        import distributed

        import gdviz
        from gdviz import optim, problems, stop

        base = rss_mb()
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1,
                                      dashboard_address=None) as cluster, \
                distributed.Client(cluster):
            started = time.perf_counter()
            frame = dd.read_parquet(str(folder), columns=["t", "u", "label"])
            problem = problems.LogisticRegression.from_frame(frame, x=["t", "u"], y="label")
            ready = time.perf_counter()
            trace = gdviz.run(problem, optim.gd(learning_rate=0.5),
                              stop=stop.MaxIter(options.steps))
            done = time.perf_counter()
        data_mb = options.rows * 3 * 8 / 2**20
        print(f"logistic regression on {problem.n_samples:,} rows ({data_mb:,.0f} MB of numbers) "
              f"in {frame.npartitions} partitions, 2 workers:")
        print(f"  set-up (count, sample, the partitions' problems) {ready - started:6.1f} s")
        print(f"  {trace.iterations} GD steps                          {done - ready:6.1f} s "
              f"({(done - ready) / trace.iterations * 1e3:.0f} ms a step)")
        print(f"  final loss {trace.final_loss:.4f}")
        print(f"  client peak memory  +{rss_mb() - base:.0f} MB over {base:.0f} MB at start; "
              f"data / client = {data_mb / max(rss_mb() - base, 1):.0f}x")


if __name__ == "__main__":
    main()
