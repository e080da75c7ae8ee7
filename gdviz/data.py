"""Reading the user's data from a CSV file with a header row.

Every fault is a ``ValueError`` that names the file and, where there is one,
the column and the line, so nothing is half-loaded silently.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

from ._validate import did_you_mean


def load_csv(path, x_columns, y_column: str) -> tuple[np.ndarray, np.ndarray]:
    """Read columns ``x_columns`` (one or more names) and ``y_column`` as floats.

    Returns ``x`` of shape (n,) for one x column or (n, d) for several, and
    ``y`` of shape (n,). Lines are counted from 1, the header being line 1.

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
    path = Path(path)
    if isinstance(x_columns, str):
        x_columns = [x_columns]
    x_columns = list(x_columns)
    if not x_columns:
        raise ValueError("name at least one x column (--x COLUMN)")
    try:
        handle = open(path, newline="", encoding="utf-8-sig")
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: is a folder, not a CSV file") from None
    except OSError as error:
        raise ValueError(f"{path}: cannot be read ({error.strerror})") from None
    with handle:
        try:
            rows = list(csv.reader(handle))
        except (csv.Error, UnicodeDecodeError) as error:
            raise ValueError(f"{path}: not a readable CSV file ({error})") from None
    if not rows:
        raise ValueError(f"{path}: the file is empty; it needs a header row and data rows")
    header = [name.strip() for name in rows[0]]
    wanted = x_columns + [y_column]
    positions = []
    for name in wanted:
        if name not in header:
            raise ValueError(f"{path}: no column '{name}'{did_you_mean(name, header)} "
                             f"(columns: {', '.join(header)})")
        positions.append(header.index(name))
    values = []
    for line_number, row in enumerate(rows[1:], start=2):
        if not row or all(not cell.strip() for cell in row):
            continue  # blank lines carry no data
        record = []
        for name, position in zip(wanted, positions):
            if position >= len(row):
                raise ValueError(f"{path}, line {line_number}: no value in column '{name}' "
                                 f"(the line has {len(row)} fields, the header {len(header)})")
            cell = row[position].strip()
            try:
                number = float(cell)
            except ValueError:
                shown = repr(cell) if cell else "an empty cell"
                raise ValueError(f"{path}, line {line_number}, column '{name}': "
                                 f"{shown} is not a number") from None
            if not math.isfinite(number):
                raise ValueError(f"{path}, line {line_number}, column '{name}': {cell} is not "
                                 "a finite number; remove or fill that row")
            record.append(number)
        values.append(record)
    if len(values) < 2:
        raise ValueError(f"{path}: needs at least 2 data rows, found {len(values)}")
    table = np.array(values)
    x = table[:, :-1]
    return (x[:, 0] if x.shape[1] == 1 else x), table[:, -1]
