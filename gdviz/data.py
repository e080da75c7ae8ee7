"""The user's data, from files and DataFrames, into a problem's arrays.

Files: CSV (the delimiter sniffed from the first lines, quoted fields, UTF-8 with or
without a BOM, gzip-compressed as ``.gz``) read by pandas' C parser, only the columns
asked for, straight to float64; Parquet through pyarrow. Measured on a 1,000,000-row
CSV (``benchmarks/bench_data.py``): pandas' C parser read the two columns in 0.11 s with
33 MB over the 16 MB of numbers; pyarrow's CSV reader took 0.37 s and 119 MB, polars
0.08 s and 67 MB. DataFrames (pandas, polars, pyarrow tables) go through narwhals, so one
path serves them all.

Every fault is a ``ValueError`` naming the file (or frame), the column and the line (or
row), so nothing is half-loaded silently. Rows with a missing or non-finite value are
refused, or dropped and counted with ``dropna=True``.
"""
from __future__ import annotations

import csv
import gzip
import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ._validate import _, did_you_mean, env_limit
from .words.i18n import N_, listed, ngettext

#: Bytes read to sniff the delimiter and the header; a first line longer than this is
#: not a CSV header.
SNIFF_BYTES = 64 * 1024
PARQUET_SUFFIXES = (".parquet", ".pq")


#: The largest data file read into memory (GDVIZ_MAX_DATA_BYTES raises it); past it,
#: --engine dask reads the file where it lies, or --max-rows reads its first rows.
MAX_DATA_BYTES = env_limit("GDVIZ_MAX_DATA_BYTES", 2 * 2**30)
#: The most rows read into memory (GDVIZ_MAX_DATA_ROWS raises it): 50 million rows of two
#: columns are 800 MB of numbers. It also bounds a compressed file that expands.
MAX_DATA_ROWS = env_limit("GDVIZ_MAX_DATA_ROWS", 50_000_000)


def _too_big(path, what: str) -> ValueError:
    return ValueError(_("{path}: {what}, more than gdviz reads into memory; read it where "
                        "it lies with --engine dask (pip install \"gdviz[big]\"), or only its "
                        "first rows with --max-rows N (GDVIZ_MAX_DATA_BYTES and "
                        "GDVIZ_MAX_DATA_ROWS raise the limits)").format(path=path, what=what))


@dataclass
class Columns:
    """What was read: ``x`` of shape (n,) for one input column or (n, d) for several,
    ``y`` of shape (n,), their names, and the rows dropped (lines of a CSV, rows of a
    frame) when asked to drop incomplete ones."""

    x: np.ndarray
    y: np.ndarray
    x_names: list[str]
    y_name: str
    dropped: list[int] = field(default_factory=list)
    where: str = "line"  # what ``dropped`` counts: CSV lines, or rows of a frame

    def dropped_words(self) -> str:
        """``"dropped 2 rows with a missing or non-finite value (lines 5, 9)"``, or ""."""
        if not self.dropped:
            return ""
        shown = listed([*map(str, self.dropped[:8]), *(["..."] if len(self.dropped) > 8 else [])])
        count = len(self.dropped)
        if self.where == "line":
            words = ngettext("dropped {count} row with a missing or non-finite value "
                             "(line {shown})", "dropped {count} rows with a missing or "
                             "non-finite value (lines {shown})", count)
        else:
            words = ngettext("dropped {count} row with a missing or non-finite value "
                             "(row {shown})", "dropped {count} rows with a missing or "
                             "non-finite value (rows {shown})", count)
        return words.format(count=count, shown=shown)


def check_file(path) -> Path:
    """``path`` if it is a regular file that can be read; else a one-line ``ValueError``
    saying what it is (a folder, a pipe, a device), before anything is read from it."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ValueError(_("{path}: no such file").format(path=path)) from None
    except OSError as error:
        raise ValueError(_("{path}: cannot be read ({error})").format(
            path=path, error=error.strerror)) from None
    if stat.S_ISDIR(info.st_mode):
        raise ValueError(_("{path}: is a folder, not a data file (a folder of files is read "
                           "by --engine dask)").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        kind = (_("a pipe") if stat.S_ISFIFO(info.st_mode) else
                _("a device") if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                _("a socket") if stat.S_ISSOCK(info.st_mode) else _("not a regular file"))
        raise ValueError(_("{path}: is {kind}, not a file; save the data to a file first")
                         .format(path=path, kind=kind))
    if not os.access(path, os.R_OK):
        raise ValueError(_("{path}: cannot be read (permission denied)").format(path=path))
    return path


def require_columns(what: str, names, wanted) -> None:
    """Refuse the first of ``wanted`` missing from ``names``, naming the nearest one and
    every column there is: ``"data.csv: no column 'hour'; did you mean 'hours'? ..."``."""
    names = [str(name) for name in names]
    for name in wanted:
        if name not in names:
            raise ValueError(_("{what}: no column '{name}'{hint} (columns: {names})").format(
                what=what, name=name, hint=did_you_mean(name, names), names=listed(names)))


def column_names(x, y: str) -> tuple[list[str], list[str]]:
    """``(x_columns, x_columns + [y])`` from one input column's name or a list of them."""
    x_columns = [x] if isinstance(x, str) else list(x)
    if not x_columns:
        raise ValueError(_("name at least one x column (--x COLUMN)"))
    return x_columns, x_columns + [y]


def load_csv(path, x_columns, y_column: str) -> tuple[np.ndarray, np.ndarray]:
    """Read columns ``x_columns`` (one or more names) and ``y_column`` as floats.

    Returns ``x`` of shape (n,) for one x column or (n, d) for several, and ``y`` of
    shape (n,). Lines are counted from 1, the header being line 1.

    Examples
    --------
    >>> import tempfile, os
    >>> folder = tempfile.mkdtemp()
    >>> path = os.path.join(folder, "d.csv")
    >>> _ = open(path, "w").write("hours,score\\n1,52\\n2,61\\n")
    >>> x, y = load_csv(path, ["hours"], "score")
    >>> x.tolist(), y.tolist()
    ([1.0, 2.0], [52.0, 61.0])
    """
    columns = load(path, x_columns, y_column)
    return columns.x, columns.y


def load(path, x_columns, y_column: str, *, dropna: bool = False,
         kind: str | None = None, max_rows: int | None = None) -> Columns:
    """Read the columns from a CSV file (also ``.gz``) or a Parquet file (``.parquet``,
    ``.pq``, or ``kind="parquet"``).

    ``dropna=True`` drops rows with an empty, missing or non-finite value in those
    columns (``Columns.dropped`` says which) instead of refusing the file. ``max_rows``
    reads only the first rows; without it a file past ``MAX_DATA_BYTES`` or
    ``MAX_DATA_ROWS`` is refused before it fills the memory.
    """
    x_columns, wanted = column_names(x_columns, y_column)
    if max_rows is not None and (not isinstance(max_rows, int) or max_rows < 2):
        raise ValueError(_("max_rows must be a whole number of at least 2, got {value!r}")
                         .format(value=max_rows))
    path = check_file(path)
    size = path.stat().st_size
    if max_rows is None and size > MAX_DATA_BYTES:
        raise _too_big(path, _("{size:.1f} GB").format(size=size / 2**30))
    if kind == "parquet" or path.suffix.lower() in PARQUET_SUFFIXES:
        table = _read_parquet(path, wanted, max_rows)
        values = _finite_rows(table, wanted, dropna, _row_words(str(path), start=1))
        return _columns(values, x_columns, y_column, str(path), "row")
    table, reader = _read_csv(path, wanted, max_rows)
    values = _finite_rows(table, wanted, dropna, reader.line_of)
    return _columns(values, x_columns, y_column, str(path), "line")


def _columns(values, x_columns, y_column, what: str, where: str) -> Columns:
    table, dropped = values
    if len(table) < 2:
        raise ValueError(_("{what}: needs at least 2 data rows, found {count}").format(
            what=what, count=len(table)))
    x = inputs(table, len(x_columns))
    return Columns(np.ascontiguousarray(x),
                   np.ascontiguousarray(table[:, -1]), list(x_columns), y_column, dropped, where)


def inputs(table: np.ndarray, width: int) -> np.ndarray:
    """The first ``width`` columns of ``table``: shape (n,) for one, (n, width) for more."""
    x = table[:, :width]
    return x[:, 0] if width == 1 else x


def _finite_rows(table: np.ndarray, names, dropna: bool, where):
    """The rows of ``table`` (float, one column per name) that are all finite; without
    ``dropna`` the first other one is an error naming it (``where(k)`` for row ``k``)."""
    finite = np.isfinite(table)
    bad = np.flatnonzero(~finite.all(axis=1))
    if bad.size == 0:
        return table, []
    if dropna:
        return table[finite.all(axis=1)], [where(int(k), line_only=True) for k in bad]
    k = int(bad[0])
    column = names[int(np.flatnonzero(~finite[k])[0])]
    raise ValueError(where(k, column=column))


# -- CSV ---------------------------------------------------------------------------------
class _CsvLines:
    """Finds the line and the text behind a data row, for error messages only (the data
    itself is read by pandas): re-reads the file with the csv module up to that row."""

    def __init__(self, path: Path, delimiter: str, header: list[str]):
        self.path, self.delimiter, self.header = path, delimiter, header

    def _row(self, k: int):
        with _open_text(self.path) as handle:
            reader = csv.reader(handle, delimiter=self.delimiter)
            try:
                next(reader, None)
                seen = -1
                for row in reader:
                    if not row or all(not cell.strip() for cell in row):
                        continue  # blank lines carry no data (pandas skips them too)
                    seen += 1
                    if seen == k:
                        return reader.line_num, row
            except csv.Error:  # a field past the csv module's limit: say where, not raise
                raise ValueError(_("{path}, line {line}: a value longer than {size} KB is not "
                                   "a number (is it the right file?)").format(
                    path=self.path, line=reader.line_num,
                    size=csv.field_size_limit() // 1024)) from None
        return None, []

    def line_of(self, k: int, column: str | None = None, line_only: bool = False):
        line, row = self._row(k)
        if line_only:
            return line
        position = self.header.index(column)
        if position >= len(row):
            return _("{path}, line {line}: no value in column '{column}' (the line has "
                     "{fields} fields, the header {header})").format(
                path=self.path, line=line, column=column, fields=len(row),
                header=len(self.header))
        cell = row[position].strip()
        if not cell:
            return _("{path}, line {line}, column '{column}': an empty cell is not a number; "
                     "remove or fill that row, or drop such rows with --dropna").format(
                path=self.path, line=line, column=column)
        shown = cell if len(cell) <= 40 else f"{cell[:20]}...({len(cell):,} characters)"
        try:
            float(cell)
        except ValueError:
            return _("{path}, line {line}, column '{column}': {value!r} is not a number").format(
                path=self.path, line=line, column=column, value=shown)
        return _("{path}, line {line}, column '{column}': {value} is not a finite number; "
                 "remove or fill that row, or drop such rows with --dropna").format(
            path=self.path, line=line, column=column, value=shown)


#: The longest line of a CSV read: the csv module's own field limit (128 KB).
LONGEST_LINE = csv.field_size_limit()


class _Refused(ValueError):
    """A bounded read's refusal, raised through pandas as it is (one line, said as is)."""


class _Bounded(io.RawIOBase):
    """A compressed file read through a bound: it refuses a line longer than
    ``LONGEST_LINE`` as soon as that much has come out with no line break (never the
    whole line decompressed), and more than ``MAX_DATA_BYTES`` in all (a small file
    that expands to gigabytes). Chunks are at most ``LONGEST_LINE`` bytes, so only the
    text before a chunk's first line break and after its last can continue a long line."""

    def __init__(self, path: Path, limit: int | None = None):
        self.path, self.inner = path, gzip.open(path, "rb")
        self.limit = MAX_DATA_BYTES if limit is None else limit
        self.total = self.line = 0
        self.lines = 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            chunk = self.inner.read(min(len(buffer), LONGEST_LINE))
        except (OSError, EOFError, gzip.BadGzipFile) as error:  # not gzip, or cut short
            raise _Refused(_("{path}: not a readable gzip file ({error})").format(
                path=self.path, error=error)) from None
        size = len(chunk)
        self.total += size
        if self.total > self.limit:
            size = (f"{self.limit / 2**30:.1f} GB" if self.limit >= 2**30
                    else f"{self.limit / 2**20:.0f} MB")
            raise _Refused(str(_too_big(self.path, _("more than {size} once decompressed")
                                        .format(size=size))))
        first = min((k for k in (chunk.find(b"\n"), chunk.find(b"\r")) if k >= 0), default=-1)
        if first < 0:
            self.line += size
        else:
            self.line += first
            if self.line <= LONGEST_LINE:
                self.lines += chunk.count(b"\n") or chunk.count(b"\r")
                self.line = size - 1 - max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
        if self.line > LONGEST_LINE:
            raise _Refused(_("{path}, line {line}: a line longer than {size} KB is not a row "
                             "of numbers (is it the right file?)").format(
                path=self.path, line=self.lines, size=LONGEST_LINE // 1024))
        buffer[:size] = chunk
        return size

    def close(self) -> None:
        self.inner.close()
        super().close()


def _open_binary(path: Path):
    """The file's bytes: a ``.gz`` decompressed through ``_Bounded``."""
    if path.suffix.lower() == ".gz":
        return io.BufferedReader(_Bounded(path), buffer_size=LONGEST_LINE)
    return open(path, "rb")


def _open_text(path: Path):
    return io.TextIOWrapper(_open_binary(path), encoding="utf-8-sig", newline="")


def sniff(path: Path) -> tuple[str, list[str]]:
    """The delimiter and the header's names, from the first ``SNIFF_BYTES``."""
    try:
        with _open_text(path) as handle:
            sample = handle.read(SNIFF_BYTES)
    except UnicodeDecodeError:
        raise ValueError(_("{path}: not a text CSV file (it is not UTF-8)").format(
            path=path)) from None
    except (OSError, EOFError) as error:  # e.g. a .gz that is not gzip
        raise ValueError(_("{path}: cannot be read as CSV ({error})").format(
            path=path, error=error)) from None
    if not sample.strip():
        raise ValueError(_("{path}: the file is empty; it needs a header row and data rows")
                         .format(path=path))
    if "\x00" in sample:
        raise ValueError(_("{path}: holds binary data (NUL bytes), not CSV text").format(
            path=path))
    if "\n" not in sample and "\r" not in sample and len(sample) >= SNIFF_BYTES:
        raise ValueError(_("{path}: its first line is longer than {size} KB: not a CSV "
                           "header (is it the right file?)").format(path=path,
                                                                    size=SNIFF_BYTES // 1024))
    first_lines = "\n".join(sample.splitlines()[:20])
    try:
        delimiter = csv.Sniffer().sniff(first_lines, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    header = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
    return delimiter, [name.strip() for name in header]


def _read_csv(path: Path, wanted: list[str], max_rows: int | None = None):
    delimiter, header = sniff(path)
    require_columns(str(path), header, wanted)
    lines = _CsvLines(path, delimiter, header)
    positions = sorted({header.index(name) for name in wanted})
    try:
        # One row past the cap, read at most; a compressed file through its bound.
        with _open_binary(path) as handle:
            frame = pd.read_csv(handle, sep=delimiter, usecols=positions, dtype=np.float64,
                                encoding="utf-8-sig", engine="c", skip_blank_lines=True,
                                nrows=max_rows if max_rows is not None else MAX_DATA_ROWS + 1)
    except _Refused as error:
        raise ValueError(str(error)) from None
    except ValueError as error:
        text = str(error)
        if "Expected" in text and "fields" in text:  # a line with more fields than the header
            raise ValueError(_("{path}: {error} (the header has {count})").format(
                path=path, error=text.replace("Expected", "expected"),
                count=len(header))) from None
        raise ValueError(_first_non_number(path, delimiter, positions, wanted, lines)) from None
    except (UnicodeDecodeError, EOFError, OSError) as error:
        raise ValueError(_("{path}: not a readable CSV file ({error})").format(
            path=path, error=error)) from None
    if max_rows is None and len(frame) > MAX_DATA_ROWS:
        raise _too_big(path, _("more than {count:,} rows").format(count=MAX_DATA_ROWS))
    # Columns come back in the file's order: name them, then take them in the order asked.
    frame.columns = [header[p] for p in positions]
    return frame[wanted].to_numpy(dtype=np.float64), lines


def _first_non_number(path, delimiter, positions, wanted, lines) -> str:
    """The first cell that is not a number, in words (the error path: the columns are
    read again as text to find it)."""
    try:
        with _open_binary(path) as handle:
            text = pd.read_csv(handle, sep=delimiter, usecols=positions, dtype=str,
                               keep_default_na=False, encoding="utf-8-sig",
                               skip_blank_lines=True, nrows=MAX_DATA_ROWS + 1)
    except _Refused as error:
        return str(error)
    text.columns = [lines.header[p] for p in positions]
    first = None
    for name in wanted:
        cells = text[name].str.strip()
        numbers = pd.to_numeric(cells.where(cells != "", "nan"), errors="coerce")
        bad = np.flatnonzero(numbers.isna().to_numpy() & ~cells.str.lower().isin(
            ["nan", "", "na", "n/a", "null", "none", "inf", "-inf", "+inf"]).to_numpy())
        if bad.size and (first is None or bad[0] < first[0]):
            first = (int(bad[0]), name)
    if first is None:
        return f"{path}: not a readable CSV file"
    return lines.line_of(first[0], column=first[1])


# -- Parquet -------------------------------------------------------------------------------
def _read_parquet(path: Path, wanted: list[str], max_rows: int | None = None) -> np.ndarray:
    from ._optional import import_optional

    parquet = import_optional("pyarrow.parquet", "parquet", N_("reading Parquet files"))
    try:
        schema = parquet.read_schema(path)
    except Exception as error:  # pyarrow's own errors for a file that is not Parquet
        raise ValueError(_("{path}: not a readable Parquet file ({error})").format(
            path=path, error=error)) from None
    require_columns(str(path), schema.names, wanted)
    file = parquet.ParquetFile(path)
    rows = file.metadata.num_rows
    if max_rows is None and rows > MAX_DATA_ROWS:
        raise _too_big(path, _("{count:,} rows").format(count=rows))
    if max_rows is None:
        table = file.read(columns=wanted)
    else:  # the first row groups only, as many as the rows asked for
        import pyarrow as pa

        batches, got = [], 0
        for batch in file.iter_batches(columns=wanted, batch_size=min(max_rows, 1 << 16)):
            batches.append(batch.slice(0, max_rows - got))
            got += len(batches[-1])
            if got >= max_rows:
                break
        table = pa.Table.from_batches(batches, schema=file.schema_arrow.empty_table()
                                      .select(wanted).schema)
    return _numeric_table({name: table.column(name) for name in wanted}, str(path))


def _numeric_table(columns: dict, what: str) -> np.ndarray:
    """Stack named columns (anything ``np.asarray`` takes) as float64, refusing text."""
    out = []
    for name, column in columns.items():
        values = np.asarray(column.to_numpy() if hasattr(column, "to_numpy") else column)
        if values.dtype.kind not in "fiub":
            if values.dtype == object:
                try:
                    values = values.astype(np.float64)  # None (a missing value) -> NaN
                except (TypeError, ValueError):
                    raise ValueError(_("{what}: column '{name}' holds text, not numbers")
                                     .format(what=what, name=name)) from None
            else:
                raise ValueError(_("{what}: column '{name}' holds {kind}, not numbers")
                                 .format(what=what, name=name, kind=values.dtype))
        out.append(values.astype(np.float64, copy=False))
    return np.column_stack(out) if out else np.empty((0, 0))


# -- DataFrames ----------------------------------------------------------------------------
def from_frame(frame, x, y: str, *, dropna: bool = False) -> Columns:
    """Columns ``x`` (a name or names) and ``y`` of a pandas or polars DataFrame or a
    pyarrow Table, as floats (through narwhals: one path for every kind of frame).

    Examples
    --------
    >>> import pandas as pd
    >>> got = from_frame(pd.DataFrame({"hours": [1, 2, 3], "score": [52, 61, 70]}),
    ...                  "hours", "score")
    >>> got.x.tolist(), got.x_names
    ([1.0, 2.0, 3.0], ['hours'])
    """
    import narwhals as nw

    x_columns, wanted = column_names(x, y)
    try:
        table = nw.from_native(frame, eager_only=True)
    except TypeError:
        raise ValueError(_("a DataFrame was expected (pandas, polars or pyarrow), got "
                           "{kind}").format(kind=type(frame).__name__)) from None
    what = _("the frame")
    require_columns(what, table.columns, wanted)
    values = _numeric_table({name: table[name].to_numpy() for name in wanted}, what)
    rows = _finite_rows(values, wanted, dropna, _row_words(what, start=0))
    return _columns(rows, x_columns, y, what, "row")


def _row_words(what: str, start: int):
    """Words for row ``k`` of a table (counted from ``start``) with a missing or
    non-finite value, for ``_finite_rows``."""
    def words(k: int, column: str | None = None, line_only: bool = False):
        if line_only:
            return k + start
        if start == 0:
            words = _("{what}, row {row} (counting from 0), column '{column}': missing or not "
                      "a finite number; fill or drop such rows (dropna)")
        else:
            words = _("{what}, row {row}, column '{column}': missing or not a finite number; "
                      "fill or drop such rows (dropna)")
        return words.format(what=what, row=k + start, column=column)
    return words
