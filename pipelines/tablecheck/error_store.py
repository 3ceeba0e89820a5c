"""Where a task's errors go as they are found: all in memory (the default), only counted, or spilled to disk.

A file with a column in another format (every date written 31.12.2024) has an error on every row: a
million error dicts take 2.6 GB, and ten million would not fit. Frictionless holds them all; so does
`ErrorList`, a plain list, for callers that want the report as a dict. `ashyq validate` needs less: its
summary counts errors and shows the first few (`ErrorTally`), and its `--json` report streams them
(`ErrorSpool`: compact JSON text in a temporary file, a few MB of memory however many there are).

Every store takes a row's errors with `add`, and can go back to a `mark` (the engine replays a resource
again when it must take the exact path, or when a key cell turned out valid).
"""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from typing import IO, Iterator


class ErrorList(list):
    """Every error, in memory: the report stays a plain dict of lists."""

    def add(self, errors: list[dict]) -> None:
        self.extend(errors)

    def mark(self) -> int:
        return len(self)

    def rollback(self, mark: int) -> None:
        del self[mark:]

    def close(self) -> None:
        """Nothing to release (every store has close)."""


class ErrorTally:
    """Counts by type, and the first `keep` errors; the rest are only counted."""

    def __init__(self, keep: int = 20):
        self.keep = keep
        self.first: list[dict] = []
        self.counts: Counter = Counter()
        self.total = 0

    def add(self, errors: list[dict]) -> None:
        for error in errors:
            if len(self.first) < self.keep:
                self.first.append(error)
            self.counts[error["type"]] += 1
            self.total += 1

    def mark(self):
        return len(self.first), self.counts.copy(), self.total

    def rollback(self, mark) -> None:
        kept, counts, total = mark
        del self.first[kept:]
        self.counts, self.total = counts.copy(), total

    def __len__(self) -> int:
        return self.total

    def __iter__(self) -> Iterator[dict]:
        if self.total > len(self.first):
            raise ValueError(f"an ErrorTally kept {len(self.first)} of {self.total} errors")
        return iter(self.first)

    def close(self) -> None:
        """Nothing to release (every store has close)."""


_encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(..., ensure_ascii=False) without a new encoder per call


class ErrorSpool(ErrorTally):
    """Every error: counted and the first `keep` as dicts (as a tally), and all of them as compact JSON lines
    in a temporary file (deleted when closed or when the process ends). Strings are not tracked by Python's
    garbage collector, dicts are: a million spooled errors cost no collection time either."""

    BUFFER = 4 << 20  # characters of JSON held before a write

    def __init__(self, keep: int = 20):
        super().__init__(keep)
        self.file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", prefix="ashyq-errors-")
        self.buffer: list[str] = []
        self.buffered = 0

    def add(self, errors: list[dict]) -> None:
        super().add(errors)
        for error in errors:
            line = _encode(error)
            self.buffer.append(line)
            self.buffered += len(line)
        if self.buffered > self.BUFFER:
            self._flush()

    def _flush(self) -> None:
        if self.buffer:
            self.file.write("\n".join(self.buffer) + "\n")
            self.buffer, self.buffered = [], 0

    def mark(self):
        self._flush()
        return super().mark(), self.file.tell()

    def rollback(self, mark) -> None:
        tally, offset = mark
        self._flush()
        super().rollback(tally)
        self.file.seek(offset)
        self.file.truncate()

    def lines(self) -> Iterator[str]:
        """Each error as compact JSON (json.dumps's default separators), in order."""
        self._flush()
        self.file.seek(0)
        for line in self.file:
            yield line[:-1]
        self.file.seek(0, 2)

    def __iter__(self) -> Iterator[dict]:
        return (json.loads(line) for line in self.lines())

    def close(self) -> None:
        self.file.close()


def first_errors(errors, n: int) -> list[dict]:
    """The first n errors of a list or a store."""
    return list(errors.first[:n]) if isinstance(errors, ErrorTally) else list(errors[:n])


def error_counts(errors) -> Counter:
    """Errors by type, of a list or a store."""
    return errors.counts.copy() if isinstance(errors, ErrorTally) else Counter(error["type"] for error in errors)


PLACEHOLDER = "\u0000ashyq-errors-{}\u0000"


def write_report(report: dict, stream: IO[str], *, indent: int | None = None) -> None:
    """`json.dumps(report, ensure_ascii=False, indent=indent)`, byte for byte, with every spooled task's
    errors streamed from disk instead of held in memory."""
    spools: list[ErrorSpool] = []
    skeleton = dict(report)
    tasks = []
    for task in report.get("tasks", []):
        errors = task.get("errors")
        if isinstance(errors, ErrorSpool):
            task = {**task, "errors": PLACEHOLDER.format(len(spools))}
            spools.append(errors)
        elif isinstance(errors, ErrorTally):  # a tally, not a spool: see the branch above
            raise ValueError("an ErrorTally holds only the first errors: it cannot be written as a report")
        tasks.append(task)
    skeleton["tasks"] = tasks
    text = json.dumps(skeleton, ensure_ascii=False, indent=indent)
    for number, spool in enumerate(spools):
        marker = json.dumps(PLACEHOLDER.format(number))
        before, text = text.split(marker, 1)
        stream.write(before)
        _write_errors(spool, stream, indent, before)
    stream.write(text)


def _write_errors(spool: ErrorSpool, stream: IO[str], indent: int | None, before: str) -> None:
    if not len(spool):
        stream.write("[]")
        return
    if indent is None:
        stream.write("[")
        for n, line in enumerate(spool.lines()):
            stream.write(line if n == 0 else ", " + line)
        stream.write("]")
        return
    line = before[before.rfind("\n") + 1 :]  # the `"errors": ` line, indented as its key
    key_indent = len(line) - len(line.lstrip(" "))
    inner = " " * (key_indent + indent)
    stream.write("[\n")
    for n, line in enumerate(spool.lines()):
        item = json.dumps(json.loads(line), ensure_ascii=False, indent=indent)
        stream.write(("" if n == 0 else ",\n") + inner + item.replace("\n", "\n" + inner))
    stream.write("\n" + " " * key_indent + "]")
