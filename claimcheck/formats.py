"""The names ``--format`` takes (kept apart from the reporters so ``--help`` stays light)."""

from enum import StrEnum


class ReportFormat(StrEnum):
    """Formats of a report (``verify``, ``check``, ``links``)."""

    table = "table"
    json = "json"
    markdown = "markdown"
    junit = "junit"
    github = "github"
    sarif = "sarif"


class ListFormat(StrEnum):
    """Formats of a listing (``claims``, ``sources``)."""

    table = "table"
    json = "json"
    markdown = "markdown"
