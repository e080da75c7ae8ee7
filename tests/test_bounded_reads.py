"""No file can hang gdviz or fill the machine's memory: every case runs in a subprocess
under an address-space limit, so a regression fails here instead of taking the machine
down. What is asserted: exit 2 (or a ValueError) with a one-line message naming the
file, and a peak memory well under the limit. A generous watchdog is the only clock."""
import gzip
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

LIMIT = 1 << 30  # address space of each case: 1 GiB
WATCHDOG = 120  # seconds: a hang fails the test instead of hanging it
ENV = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
           MPLBACKEND="Agg")


#: Runs a case in this process's place: sets the address-space limit first, then runs the
#: module or code, and at exit writes the process's own peak memory (VmHWM: the peak of
#: this program alone, not of the test process it was started from).
WRAPPER = """
import atexit, resource, runpy, sys
limit, report, mode, target = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

def peak():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                with open(report, "w") as out:
                    out.write(line.split()[1])

atexit.register(peak)
sys.argv = [target] + sys.argv[5:]
if mode == "-m":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    exec(compile(target, "<case>", "exec"), {"__name__": "__main__"})
"""


def limited(mode, target, *args, env=None):
    """Run ``python -m target args`` (mode ``-m``) or the code ``target`` (mode ``-c``)
    under the address-space limit; (exit code, stderr + stdout, its peak memory in MB)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "peak"
        try:
            done = subprocess.run([sys.executable, "-c", WRAPPER, str(LIMIT), str(report), mode,
                                   target, *map(str, args)], capture_output=True, text=True,
                                  env=env or ENV, timeout=WATCHDOG)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{target} {args} hung for {WATCHDOG} s")
        peak = int(report.read_text()) / 1024 if report.exists() else float("inf")
        return done.returncode, done.stderr + done.stdout, peak


def gdviz_run(path, *extra, env=None):
    return limited("-m", "gdviz", "run", "--csv", path, "--x", "a", "--y", "b", "--no-show",
                   "--save", os.devnull + ".json", *extra, env=env)


def load_trace(path):
    code = ("import sys, gdviz\n"
            "try:\n    gdviz.Trace.load(sys.argv[1])\n"
            "except ValueError as error:\n    print(error, file=sys.stderr); sys.exit(2)\n")
    return limited("-c", code, path)


def assert_refused(code, output, *words):
    assert code == 2, output
    lines = [line for line in output.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in output, output
    for word in words:
        assert word in lines[0], lines[0]


def test_a_device_and_a_link_to_it(tmp_path):
    code, output, peak = gdviz_run("/dev/zero")
    assert_refused(code, output, "/dev/zero: is a device, not a file")
    (tmp_path / "data.csv").symlink_to("/dev/zero")
    code, output, peak = gdviz_run(tmp_path / "data.csv")
    assert_refused(code, output, "data.csv: is a device, not a file")
    assert peak < 400
    (tmp_path / "random.csv").symlink_to("/dev/urandom")
    code, output, peak = gdviz_run(tmp_path / "random.csv")
    assert_refused(code, output, "random.csv: is a device, not a file")
    (tmp_path / "run.npz").symlink_to("/dev/urandom")
    code, output, peak = load_trace(tmp_path / "run.npz")
    assert_refused(code, output, "run.npz: is a device, not a file")
    assert peak < 400


def test_a_pipe_nobody_writes_to(tmp_path):
    os.mkfifo(tmp_path / "pipe.csv")
    code, output, _ = gdviz_run(tmp_path / "pipe.csv")  # would block forever on open
    assert_refused(code, output, "pipe.csv: is a pipe, not a file")


def test_a_sparse_file_of_nul_bytes(tmp_path):
    nul = tmp_path / "download.csv"
    with open(nul, "wb") as handle:
        handle.truncate(2 * 2**30 - 1)  # 2 GB of NUL bytes, taking no disk
    code, output, peak = gdviz_run(nul)
    assert_refused(code, output, "download.csv: holds binary data (NUL bytes)")
    assert peak < 400


def test_a_file_past_the_in_memory_limit_points_to_dask_and_max_rows(tmp_path):
    big = tmp_path / "big.csv"
    with open(big, "wb") as handle:
        handle.write(b"a,b\n1,2\n3,4\n")
        handle.truncate(3 * 2**30)
    code, output, peak = gdviz_run(big)
    assert_refused(code, output, "big.csv: 3.0 GB", "--engine dask", "--max-rows N")
    assert peak < 400


def test_one_line_of_hundreds_of_megabytes(tmp_path):
    line = tmp_path / "line.csv"
    with open(line, "wb") as handle:
        chunk = b"1234567890" * 100_000
        for _ in range(300):  # 300 MB, no newline
            handle.write(chunk)
    code, output, peak = gdviz_run(line)
    assert_refused(code, output, "line.csv: its first line is longer than 64 KB")
    assert peak < 400


def test_text_that_is_not_csv(tmp_path):
    page = tmp_path / "page.csv"
    page.write_text('{"not": "a table", "rows": [1, 2, 3]}\n' * 1000)
    code, output, _ = gdviz_run(page)
    assert_refused(code, output, "page.csv: no column 'a'")


def test_a_compressed_file_that_expands_past_the_row_limit(tmp_path):
    bomb = tmp_path / "rows.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=1) as handle:
        handle.write(b"a,b\n")
        block = b"1,2\n" * 250_000
        for _ in range(8):  # 2,000,000 rows
            handle.write(block)
    env = dict(ENV, GDVIZ_MAX_DATA_ROWS="1000000")
    code, output, peak = gdviz_run(bomb, env=env)
    assert_refused(code, output, "rows.csv.gz: more than 1,000,000 rows", "--max-rows N")
    code, output, _ = gdviz_run(bomb, "--max-rows", "1000", env=env)
    assert code == 0 and "data:        1000 rows of a and b" in output, output


def test_a_compressed_line_of_hundreds_of_megabytes_is_refused_before_it_is_inflated(
        tmp_path):
    """300 MB of digits on line 3 of a .gz of 300 KB: refused when 128 KB have come out
    with no line break, never inflated whole (the whole line used to take 730 MB)."""
    bomb = tmp_path / "line.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        handle.write(b"a,b\n1,2\n2,")
        chunk = b"9" * (1 << 20)
        for _ in range(300):
            handle.write(chunk)
        handle.write(b"\n3,4\n")
    code, output, peak = gdviz_run(bomb)
    assert_refused(code, output, "line.csv.gz, line 3: a line longer than 128 KB")
    assert peak < 250


def test_a_compressed_file_that_expands_past_the_byte_limit(tmp_path):
    bomb = tmp_path / "bytes.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as handle:
        handle.write(b"a,b\n")
        block = b"1.000000000000,2.000000000000\n" * 100_000  # 3 MB a block
        for _ in range(20):
            handle.write(block)
    env = dict(ENV, GDVIZ_MAX_DATA_BYTES=str(10 * 2**20))
    code, output, peak = gdviz_run(bomb, env=env)
    assert_refused(code, output, "bytes.csv.gz: more than 10 MB once decompressed")
    assert peak < 250


def test_trace_load_refuses_a_device_garbage_and_an_oversized_file(tmp_path):
    (tmp_path / "run.json").symlink_to("/dev/zero")
    code, output, peak = load_trace(tmp_path / "run.json")
    assert_refused(code, output, "run.json: is a device, not a file")
    assert peak < 400
    (tmp_path / "garbage.json").write_bytes(os.urandom(10_000))
    code, output, _ = load_trace(tmp_path / "garbage.json")
    assert_refused(code, output, "garbage.json", "not a gdviz trace")
    with open(tmp_path / "huge.json", "wb") as handle:
        handle.write(b'{"params": [')
        handle.truncate(300 * 2**20)
    code, output, peak = load_trace(tmp_path / "huge.json")
    assert_refused(code, output, "huge.json", "more than a trace of 10,000,000 numbers")
    assert peak < 400


def test_an_npz_zip_bomb_is_refused_not_inflated(tmp_path):
    from numpy.lib import format as npy

    bomb = tmp_path / "bomb.npz"
    header = {"descr": "<f8", "fortran_order": False, "shape": (2**27,)}  # 1 GiB of zeros
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("params.npy", "w", force_zip64=True) as member:
            npy.write_array_header_1_0(member, header)
            zeros = bytes(16 * 2**20)
            for _ in range(64):
                member.write(zeros)
    assert bomb.stat().st_size < 10 * 2**20
    code, output, peak = load_trace(bomb)
    assert_refused(code, output, "bomb.npz", "declare 1,024 MB", "zip bomb")
    assert peak < 400


def test_an_npz_never_unpickles(tmp_path):
    marker = tmp_path / "unpickled"
    code = ("import numpy as np, sys\n"
            "class Trap:\n"
            "    def __reduce__(self):\n"
            "        return (open, (sys.argv[2], 'w'))\n"
            "np.savez(sys.argv[1], meta=np.array([Trap()], dtype=object))\n")
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "trap.npz"), str(marker)],
                   check=True)
    code, output, _ = load_trace(tmp_path / "trap.npz")
    assert_refused(code, output, "trap.npz", "holds Python objects", "never unpickles")
    assert not marker.exists()
