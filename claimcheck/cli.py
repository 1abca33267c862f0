"""Command-line interface (placeholder while the foundation lands)."""

import typer

app = typer.Typer()


def main() -> None:
    """Entry point of the ``claimcheck`` console script."""
    app()
