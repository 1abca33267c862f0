"""The registry of consistency rules: small functions registered by the check name."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from claimcheck.consistency.groups import Context, Outcome

RuleFunc = Callable[[Context], list[Outcome]]


@dataclass(frozen=True)
class Rule:
    """A named rule: ``run`` turns the indexed ledger into outcomes."""

    name: str
    run: RuleFunc
    family: str
    """``automatic`` (always applies) or ``explicit`` (written in the ledger's checks)."""

    @property
    def doc(self) -> str:
        """The rule's docstring, for docs and ``--help``."""
        return inspect.cleandoc(self.run.__doc__ or "")

    @property
    def summary(self) -> str:
        """The first line of the docstring."""
        return self.doc.split("\n", 1)[0]


RULES: dict[str, Rule] = {}
"""Every rule by check name, in the order they run and are reported (see the package)."""


def rule(name: str, family: str = "automatic") -> Callable[[RuleFunc], RuleFunc]:
    """Register ``func`` as the rule ``name``."""

    def register(func: RuleFunc) -> RuleFunc:
        RULES[name] = Rule(name, func, family)
        return func

    return register
