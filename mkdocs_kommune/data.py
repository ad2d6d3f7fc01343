"""Load a data file (or the bundled dataset) into a validated ``Dataset``.

Parsing keeps line numbers (``yamlsource``); the rules live in ``validate``. Every problem found is
raised at once as one ``DataError``.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import stat
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from . import yamlsource
from .model import Dataset
from .validate import Problem, Problems, check_dataset, locate
from .validate.hints import yaml_hint
from .validate.problems import shown

BUNDLED_DATASET = "<bundled dataset>"
# A data file of every municipality with many links is well under 1 MB (about 300 KB with
# counts in five columns). Parsing keeps every node with its line: about 70 bytes of memory per
# byte of YAML, so this limit keeps a check under 200 MB and a few seconds.
MAX_BYTES = 2_000_000


class DataError(Exception):
    """The data file has problems; ``str()`` lists every one of them.

    ``problems`` holds them as ``Problem`` records (line, entry, field, message) of ``path``;
    ``records()`` gives them as plain dicts with the file, for ``--format json``.
    """

    def __init__(self, path: str, problems: list[Problem], dropped: int = 0) -> None:
        self.path = path
        self.problems = problems
        self.dropped = dropped  # found but not kept (see validate.problems.MAX_KEPT)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems) + self.dropped
        header = f"{self.path}: {count:,} problem{'s' if count != 1 else ''} in the data file:"
        kept, summaries = shown(self.problems, self.dropped)
        lines = ["  " + p.format(self.path) for p in kept]
        lines += ["  " + _summary(p) for p in summaries]
        return "\n".join([header, *lines])

    def records(self) -> list[dict[str, str | int]]:
        """The problems shown, then one record per kind cut short (its line is 0)."""
        kept, summaries = shown(self.problems, self.dropped)
        return [problem.record(self.path) for problem in [*kept, *summaries]]


def _summary(problem: Problem) -> str:
    return f"... {problem.message}" + (f" (field '{problem.field}')" if problem.field else "")


def bundled_text() -> str:
    """The bundled dataset's YAML, as packaged (``init`` writes it as a starting file)."""
    return (resources.files("mkdocs_kommune") / "datasets" / "default.yml").read_text("utf-8")


def load_dataset(
    path: str | Path | None, register: str | None = None, *, shown_as: str | None = None
) -> Dataset:
    """Read and validate a data file, or the bundled dataset when ``path`` is None.

    ``shown_as`` is how messages name the file (default: the path as given).
    """
    if path is None:
        return parse_dataset(bundled_text(), BUNDLED_DATASET, register)
    shown = shown_as or str(path)
    try:
        text = _read(Path(path))
    except FileNotFoundError:
        raise DataError(
            shown,
            [
                Problem(
                    0,
                    "",
                    "",
                    "the data file does not exist; fix the `data` option in mkdocs.yml, create "
                    "the file, or remove the option to use the bundled dataset",
                )
            ],
        ) from None
    except _Refused as refused:
        raise DataError(shown, [Problem(0, "", "", str(refused))]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(
            shown, [Problem(0, "", "", f"cannot read the file as UTF-8 text: {error}")]
        ) from None
    return parse_dataset(text, shown, register)


_TOO_LARGE = (
    f"is larger than {MAX_BYTES // 1_000_000} MB, far more than 357 municipalities need; "
    "check that `data` names the right file"
)


class _Refused(Exception):
    """The path names something that must not be read as a data file."""


def _read(path: Path) -> str:
    """The file's text; a device, FIFO or folder is refused before it is opened (``/dev/zero``
    would fill the memory, a FIFO would wait forever), and so is a file over ``MAX_BYTES``."""
    try:
        status = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise _Refused(
                "is a symbolic link that leads back to itself (a loop); point it at the data file"
            ) from None
        raise
    if not stat.S_ISREG(status.st_mode):
        raise _Refused(
            "is not a regular file (a folder, device or pipe); point the `data` option in "
            "mkdocs.yml at a YAML file"
        )
    if status.st_size > MAX_BYTES:
        raise _Refused(_TOO_LARGE)
    with path.open("rb") as file:
        data = file.read(MAX_BYTES + 1)  # the file may have grown since stat()
    if len(data) > MAX_BYTES:
        raise _Refused(_TOO_LARGE)
    return data.decode("utf-8")


def parse_dataset(text: str, path: str = "<data>", register: str | None = None) -> Dataset:
    """Validate YAML text; raises ``DataError`` listing every problem found."""
    with _no_gc():
        return _parse_dataset(text, path, register)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while the line-tracked tree is built and checked.

    That work allocates many objects and frees few, which makes the collector run again and again
    over a growing heap for nothing: about half the load time of a large file. The tree holds no
    reference cycles, so reference counting frees it as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _parse_dataset(text: str, path: str, register: str | None) -> Dataset:
    problems = Problems()
    try:
        top, yaml_problems = yamlsource.load(text)
    except yamlsource.YamlSyntaxError as error:
        hint = yaml_hint(error.message, error.char, error.context_line)
        message = f"not valid YAML: {error.message}; {hint}"
        raise DataError(path, [Problem(error.line, "", "", message, error.column)]) from None
    for problem in yaml_problems:
        problems.add(problem.line, *locate(problem.path, top), problem.message)
    dataset = check_dataset(problems, top, register, path)
    if problems.items or dataset is None:
        raise DataError(path, problems.sorted(), problems.dropped)
    return dataset
