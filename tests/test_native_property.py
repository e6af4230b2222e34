"""``_wrap.NativeProperty``: the read-only properties that are a native object's attribute of the
same name (``Ledger.span``, ``Capabilities.release``, ``Scenario.operations``, the coverage of
every yearly data set ...) are real ``property`` objects with their own docstrings, as
``help()``, the parity walk (tests/test_parity.py) and mypy see them."""

from __future__ import annotations

import pydoc

import powerbalance as pb
import pytest
from powerbalance import _wrap


@pytest.mark.parametrize(
    "cls,name,doc",
    [
        (pb.Ledger, "span", "``(first_year, last_year)`` with an entry, or None for an empty ledger."),
        (pb.Capabilities, "release", 'The NMC release (``"6.0"``, ``"7.0"``).'),
        (pb.StateList, "n_states", "Number of distinct ccodes."),
        (pb.Scenario, "operations", "The operations, one line each."),
        (pb.Maddison, "coverage", "The first and last year of the data (every period asked for must lie inside)."),
        (pb.Alliances, "directed", "True when ``(a, b)`` and ``(b, a)`` are read separately (ATOP)."),
    ],
)
def test_a_native_property_is_a_property_with_its_own_doc(cls: type, name: str, doc: str) -> None:
    prop = vars(cls).get(name) or next(vars(c)[name] for c in cls.__mro__ if name in vars(c))
    assert isinstance(prop, _wrap.NativeProperty) and isinstance(prop, property)
    assert prop.__doc__ == doc
    assert doc.split("``")[0] in pydoc.render_doc(cls, renderer=pydoc.plaintext)


def test_a_native_property_reads_the_native_attribute_and_cannot_be_set() -> None:
    s = pb.Scenario("x", baseline="sipri-register-2024").embargo("Russia", "China", 2016, 2020)
    assert (s.name, s.baseline, s.operations) == ("x", "sipri-register-2024", s.native.operations)
    assert len(s.operations) == 1
    with pytest.raises(AttributeError):
        s.name = "y"
