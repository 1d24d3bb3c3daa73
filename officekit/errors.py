"""One error hierarchy for the library.

Library code raises these; only ``cli.py`` prints them. Each error carries one Chinese
sentence that names the place (file, sheet, cell, template paragraph) and says what to do,
plus the exit code the CLI returns for it.
"""

from __future__ import annotations

# A build that wrote every document but some still break GB/T 9704 (errors, not
# warnings): the files are there to look at, not to print. Not an exception: nothing failed.
FORMAT_ERRORS_EXIT = 8


class OfficekitError(Exception):
    """Base of every error a user can cause. ``message`` is the one sentence shown."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class JobError(OfficekitError):
    """officekit.toml is missing, unreadable or names things that do not exist."""

    exit_code = 2


class WorkbookError(OfficekitError):
    """The workbook breaks a rule: wrong type in a cell, unknown unit, missing column…"""

    exit_code = 3

    def __init__(self, message: str, *, sheet: str | None = None, cell: str | None = None) -> None:
        super().__init__(message)
        self.sheet = sheet
        self.cell = cell


class TemplateError(OfficekitError):
    """A template cannot be compiled or rendered (syntax, unknown variable…)."""

    exit_code = 4


class OutputError(OfficekitError):
    """An output file could not be written (e.g. held open by Word)."""

    exit_code = 5


class ExportError(OfficekitError):
    """PDF conversion failed."""

    exit_code = 6


class DocumentError(OfficekitError):
    """A document given to ``check`` or ``typeset`` cannot be read (missing, not a .docx…)."""

    exit_code = 7


class ProblemsError(OfficekitError):
    """Several independent problems found in one run (e.g. the workbook and a template).

    The message has one sentence per problem, one per line; the exit code is the first
    problem's, in the order job, workbook, template.
    """

    def __init__(self, problems: list[OfficekitError]) -> None:
        ordered = sorted(problems, key=lambda p: p.exit_code)
        super().__init__("\n".join(p.message for p in ordered))
        self.problems = ordered
        self.exit_code = ordered[0].exit_code


class BusyError(OfficekitError):
    """Another build is running in the same output folder (it holds the folder's lock)."""

    exit_code = 9
