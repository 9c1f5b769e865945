"""Problems found in user input, reported one line each, never as a traceback.

Every stage that reads user-supplied files (the corpus, the built tables) collects
:class:`Problem` objects and raises :class:`InputError` when any is an error. The
command line prints ``str(problem)`` for each and exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Problem", "InputError", "ProblemLog"]


@dataclass(frozen=True)
class Problem:
    """One problem in one place of the input.

    Parameters
    ----------
    file : str
        The file (or folder) the problem is in, as the user named it.
    message : str
        What is wrong and, where possible, what to do about it.
    line : int or None
        1-based line or row number (a CSV row counts its header as line 1).
    field : str or None
        Column, front-matter key or table field.
    level : {"error", "warning"}
        Errors stop the build; warnings are printed and the build goes on.
    """

    file: str
    message: str
    line: int | None = None
    field: str | None = None
    level: str = "error"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f" [{self.field}]"
        return f"{self.level}: {where}: {self.message}"


class InputError(Exception):
    """Raised when user input has one or more errors; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ProblemLog:
    """Collects problems across a stage so all of them are reported at once."""

    problems: list[Problem] = field(default_factory=list)

    def error(self, file: str, message: str, line: int | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(file, message, line, field, "error"))

    def warn(self, file: str, message: str, line: int | None = None, field: str | None = None) -> None:
        self.problems.append(Problem(file, message, line, field, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]

    def raise_if_errors(self) -> None:
        """Raise :class:`InputError` with every problem (warnings included) if any is an error."""
        if self.errors:
            raise InputError(self.problems)
