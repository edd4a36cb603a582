"""Every exception valuechain raises, under one root, :class:`ValuechainError` (as NetworkX does with
``NetworkXException``).

Each also derives from the built-in exception callers caught before it existed (``InputError`` is a
``ValueError``, ``PartyNotFound`` a ``KeyError``...), so ``except ValueError`` keeps working; new code catches
:class:`ValuechainError` or the precise class. Messages say what to do.

Examples
--------
>>> import valuechain as vc
>>> chain = vc.load("data/restaurant/handoffs.csv", parties="data/restaurant/parties.csv")
>>> try:
...     chain.analyze().hangs_on("kitchn")
... except vc.PartyNotFound as err:
...     print(err)
'kitchn' is not a party; did you mean 'kitchen'?
>>> issubclass(vc.PartyNotFound, KeyError), issubclass(vc.InputError, ValueError)
(True, True)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from valuechain.problems import Problem


class ValuechainError(Exception):
    """The root of every exception valuechain raises on purpose."""


class InputError(ValuechainError, ValueError):
    """The input cannot be analysed; ``problems`` lists every reason.

    The message shows the first 50 problems and how many more there are.

    Examples
    --------
    >>> from valuechain.problems import Problem
    >>> err = InputError([Problem("error", "h.csv", None, "source", "missing column")])
    >>> print(err)
    1 problem in the input:
      h.csv, column 'source': missing column
    """

    shown = 50

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = list(problems)
        super().__init__(self._text())

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop the load."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that would not have stopped the load on their own."""
        return [p for p in self.problems if p.severity == "warning"]

    def _text(self) -> str:
        errors = self.errors or self.problems
        n = len(errors)
        lines = [f"{n} problem{'s' if n != 1 else ''} in the input:"]
        lines += [f"  {p}" for p in errors[: self.shown]]
        if n > self.shown:
            lines.append(f"  ... and {n - self.shown} more")
        return "\n".join(lines)


class NotFound(ValuechainError, KeyError):
    """Something asked for by name is not there (a department, a loop, a unit of a rolled-up figure).

    Its text reads as a sentence (a ``KeyError`` would show it in quotes).

    Examples
    --------
    >>> print(NotFound("no department 'Legal' to expand"))
    no department 'Legal' to expand
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class PartyNotFound(NotFound):
    """An id that is no party of the chain, with the closest ids as suggestions.

    Parameters
    ----------
    party : str
        The id asked for.
    candidates : iterable of str, optional
        The chain's ids, to suggest the closest one from.

    Examples
    --------
    >>> err = PartyNotFound("kitchn", ["kitchen", "floor"])
    >>> print(err), err.party
    'kitchn' is not a party; did you mean 'kitchen'?
    (None, 'kitchn')
    """

    def __init__(self, party: object, candidates: Iterable[str] = ()) -> None:
        from valuechain.problems import closest

        self.party = party
        near = closest(str(party), candidates)
        super().__init__(f"'{party}' is not a party" + (f"; did you mean '{near[0]}'?" if near else ""))


class OptionError(ValuechainError, ValueError):
    """An argument has a value the function does not take; the message lists the ones it does."""


class OutputError(ValuechainError, ValueError):
    """The output cannot be written as asked (a file name whose format we cannot write, say)."""


class ToolMissing(OutputError, RuntimeError):
    """Writing this output needs a program the machine lacks (Chromium for a PDF or an image); the message
    says how to install it."""


class ToolFailed(OutputError, RuntimeError):
    """A program the output needs (Chromium printing a PDF) ran and failed; the message quotes what it said."""
