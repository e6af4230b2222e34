"""The paper this project replicates: its Table 1 typed, its claims, and the replication report.

Kusuma, Ngambut and Christina (2021), "China and Russia's security cooperation on arms exports
to the US' global hegemony". Three modules, imported in one direction
(``replicate`` -> ``verdicts`` -> ``importers``; none imports this package's ``__init__``):

:mod:`powerbalance.paper.importers`
    Table 1 (the 40 largest importers of major arms, 2016-20) typed by hand from the paper,
    with its defects flagged (:func:`table1`), and its comparison with a SIPRI release
    (:func:`compare_table1`, :func:`format_comparison`), and the one rule of "a share that
    differs" (:func:`share_differs`, :data:`SHARE_DIFFERS`).
:mod:`powerbalance.paper.verdicts`
    every claim the data can test (``T1``, ``F1``, ``A1``-``A19``, ``P1``-``P7``): the paper's
    words from the paper's claims file (``claims.csv`` in this package, :func:`claim_list`), the
    computation and a verdict per data release (:func:`claims`).
:mod:`powerbalance.paper.replicate`
    ``powerbalance replicate``: the report (Markdown and one self-contained HTML page, CSV
    tables and figures).

The data sets the replication reads are :data:`DATASETS`, found in the data home
(:func:`powerbalance.datasets.data_home`).

Examples
--------
>>> import powerbalance as pb
>>> pb.paper.table1().to_pylist()[0]["importer"]
'Saudi Arabia'
>>> [c["id"] for c in pb.paper.claim_list().to_pylist()][:4]
['T1', 'F1', 'A1', 'A2']
"""

from __future__ import annotations

import os
from typing import Any, Optional, Sequence

from . import importers
from .importers import *  # noqa: F403 (Table 1 and its comparison are the package's)
from .verdicts import CLAIM_IDS, CLAIMS_FILE, DATASETS, claim_list, claim_texts

__all__ = [
    "CLAIM_IDS",
    "CLAIMS_FILE",
    "DATASETS",
    "claim_list",
    "claim_texts",
    "claims",
]
__all__ += importers.__all__


def claims(data_home: Optional[os.PathLike[str] | str] = None, *, ids: Optional[Sequence[str]] = None) -> Any:
    """Every claim of the paper the data can test, with a verdict per data release.

    Columns ``id, claim, paper_value, computed_value, dataset, vintage, tolerance, verdict,
    note, method, where, kind``: ``claim`` (the paper's words), ``paper_value`` (the paper's
    figure), ``where`` (its place in the paper) and ``kind`` come from the paper's claims file;
    verdicts are ``consistent``, ``inconsistent`` or ``not testable`` (with the reason in
    ``note``). See :mod:`powerbalance.paper.verdicts` for each claim's test.

    ``data_home`` follows the one data-home rule (:func:`powerbalance.datasets.data_home`); it
    must hold :data:`DATASETS`, else :class:`powerbalance.datasets.DataUnavailableError` names
    the missing sets and the command that fetches them.

    Examples
    --------
    >>> import powerbalance as pb
    >>> [(r["vintage"], r["verdict"]) for r in pb.paper.claims(ids=["A14"])]  # 10 real data sets  # doctest: +SKIP
    [('2022', 'consistent'), ('2024', 'inconsistent'), ('2026', 'consistent')]
    """
    from .verdicts import evaluate

    return evaluate(data_home, ids=ids)
