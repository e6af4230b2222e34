"""Panels: state-year and dyad-year tables of the COW state system, joined with capabilities,
arms flows and alliances (as peacesciencer's ``create_stateyears`` and ``create_dyadyears``;
Miller 2022, "peacesciencer: An R Package for Quantitative Peace Science Research", *Conflict
Management and Peace Science* 39(6)).

Units. A state is a system member in every year one of its COW spells touches. A dyad-year is an
ordered pair of distinct members of the same year (``directed=True``: 2-20 and 20-2 are two rows)
or an unordered pair with ``ccode1 < ccode2``. Rows are ordered by ``ccode1, ccode2, year``.

Joins (each optional; give the object or a path to its file):

- ``capabilities`` (COW NMC): ``cinc1, cinc2`` as published and ``cinc_ratio = cinc1 / cinc2``
  (null when either is missing or ``cinc2`` is 0);
- ``ledger`` (SIPRI, dyadic): ``tiv_1to2`` and ``tiv_2to1``, TIV (millions) delivered from ccode1
  to ccode2 and back in the year. SIPRI actors map to COW codes by these rules: only states map
  (non-state actors ``*``, organisations ``**`` and unknown parties do not); SIPRI's ``Germany``
  is the Federal Republic (COW 260) through 1990 and unified Germany (255) from 1991, East
  Germany is 265; the Soviet Union (to 1991) and Russia (from 1992) are both COW 365, Yugoslavia
  and Serbia both 345. A delivery enters the panel when both sides are system members that year;
  :func:`arms_flows` accounts for every delivery left out. Years the ledger covers have 0 where
  nothing was delivered; other years are null.
- ``alliances`` (COW v4.1 or ATOP 5.1 dyad-year file, or :func:`alliance_years` over any table):
  ``alliance`` (any alliance in force; COW is non-directed, ATOP is read as ccode1's obligation
  toward ccode2) and, for the COW and ATOP files, ``defense`` (a defense pact). Null outside the
  source's years (COW 1816-2012, ATOP 1815-2018).

Examples
--------
>>> import powerbalance as pb
>>> p = pb.datasets.path  # the files of the data home
>>> panel = pb.panels.dyad_years(
...     p("cow-states"),
...     capabilities=p("cow-nmc-v6"),
...     ledger=p("sipri-register-2024"),
...     alliances=p("cow-alliances"),
...     directed=False, start=2012, end=2016,
... )
>>> panel.num_rows
15
>>> russia_china = panel.filter(ccode1=365, ccode2=710)
>>> russia_china.select(["year", "cinc1", "cinc2", "tiv_1to2", "tiv_2to1", "alliance", "defense"])
Table: 5 rows x 7 columns
year  cinc1  cinc2  tiv_1to2  tiv_2to1  alliance  defense
2012                     300         0  yes       no
2013                       0         0
2014                       0         0
2015  10.3%  59.1%         0         0
2016  10.6%  59.4%       160         0
"""

from __future__ import annotations

import os
from typing import Any, Callable, Dict, Optional, Sized, Tuple, Type, TypeVar, Union

from . import _native, _wrap, errors
from ._wrap import PathLike
from .capabilities import (
    Alliances,
    Capabilities,
    IdealPoints,
    Maddison,
    MilitaryExpenditure,
    SdpGdp,
    StateList,
    read_ideal_points,
    read_maddison,
    read_majors,
    read_milex,
    read_nmc,
    read_sdp_gdp,
    read_states,
)
from .ledger import Ledger, read_sipri
from .table import Table, _pyarrow

__all__ = [
    "AllianceYears",
    "alliance_years",
    "arms_flows",
    "coverage",
    "dyad_years",
    "read_alliance_years",
    "state_years",
]

N = TypeVar("N", bound=Sized)  # a native object


def _native_of(
    x: Any, cls: Type[_wrap.Wrapper[N]], read: Callable[[PathLike], _wrap.Wrapper[N]], what: str
) -> Optional[N]:
    """The native object of a source given as a wrapper or a path (None stays None)."""
    w = _wrap.from_path(x, cls, read, what, f"powerbalance.{read.__name__}")
    return None if w is None else w.native


def _states(x: Union[StateList, PathLike]) -> _native.StateList:
    s = _native_of(x, StateList, read_states, "states")
    if s is None:
        raise TypeError("states must be a StateList (powerbalance.read_states) or a path, not None")
    return s


def _majors(x: Union[StateList, PathLike, None]) -> Optional[_native.StateList]:
    return _native_of(x, StateList, read_majors, "majors")


def _caps(x: Union[Capabilities, PathLike, None]) -> Optional[_native.Capabilities]:
    return _native_of(x, Capabilities, read_nmc, "capabilities")


def _ledger(x: Union[Ledger, PathLike, None]) -> Optional[_native.Ledger]:
    return _native_of(x, Ledger, read_sipri, "ledger")


def _alliances(x: Union["AllianceYears", Alliances, PathLike, None]) -> Optional[_native.AllianceYears]:
    if isinstance(x, Alliances):
        return x.native.panel_input()
    how = "powerbalance.panels.read_alliance_years or alliance_years; a COW/ATOP dyad-year file"
    a = _wrap.from_path(x, AllianceYears, read_alliance_years, "alliances", how)
    return None if a is None else a.native


def _joins(
    milex: Union[MilitaryExpenditure, PathLike, None],
    maddison: Union[Maddison, PathLike, None],
    sdp: Union[SdpGdp, PathLike, None],
    ideal_points: Union[IdealPoints, PathLike, None],
) -> Dict[str, Any]:
    """The state-measure sources of a panel as the native keyword arguments."""
    return {
        "milex": _native_of(milex, MilitaryExpenditure, read_milex, "milex"),
        "maddison": _native_of(maddison, Maddison, read_maddison, "maddison"),
        "sdp": _native_of(sdp, SdpGdp, read_sdp_gdp, "sdp"),
        "ideal_points": _native_of(ideal_points, IdealPoints, read_ideal_points, "ideal_points"),
    }


class AllianceYears(_wrap.AllianceWrapper[_native.AllianceYears]):
    """Dyad-years with an alliance in force, indexed for the panels.

    Get one with :func:`read_alliance_years` (COW v4.1 or ATOP 5.1 dyad-year files) or
    :func:`alliance_years` (any table with ``ccode1, ccode2, year``).

    Examples
    --------
    >>> al = pb.panels.read_alliance_years(pb.datasets.path("cow-alliances"))
    >>> al.source, al.directed, al.coverage, len(al) > 0
    ('COW alliances v4.1', False, (2011, 2012), True)
    """

    __slots__ = ()
    _native_class = _native.AllianceYears
    _how = "powerbalance.panels.read_alliance_years(path) or alliance_years(table)"

    def in_force(self, a: int, b: int, year: int) -> Optional[bool]:
        """Is an alliance in force from ``a`` toward ``b`` in ``year`` (None outside the coverage)?

        Parameters
        ----------
        a, b : int
            COW codes, ``a``'s obligation toward ``b`` (either order when not :attr:`directed`).
        year : int
            The year.
        """
        return self._native.in_force(int(a), int(b), int(year))


def read_alliance_years(path: PathLike) -> AllianceYears:
    """Read a COW Formal Alliances v4.1 or ATOP 5.1 dyad-year file (peacesciencer's layouts) for
    the panels.

    Sources: Gibler (2009), *International Military Alliances, 1648-2008*; Leeds, Ritter,
    Mitchell & Long (2002), "Alliance Treaty Obligations and Provisions, 1815-1944",
    *International Interactions* 28.

    Examples
    --------
    >>> al = pb.panels.read_alliance_years(pb.datasets.path("cow-alliances"))
    >>> al.coverage, al.in_force(365, 710, 2012), al.in_force(2, 365, 2012), al.in_force(365, 710, 2016)
    ((2011, 2012), True, False, None)
    """
    return AllianceYears(_native.read_alliance_years(os.fspath(path)))


def alliance_years(
    data: Any,
    *,
    directed: bool,
    source: str = "alliance table",
    coverage: Optional[Tuple[int, int]] = None,
) -> AllianceYears:
    """Alliance dyad-years from any table with integer ``ccode1, ccode2, year`` columns.

    Each row is a dyad-year with an alliance in force. ``directed=False`` counts a row for both
    orders of the pair; ``directed=True`` keeps ``ccode1``'s obligation toward ``ccode2``.
    ``coverage`` (first, last year) defaults to the rows' span; outside it the panel's flag is
    null.

    Examples
    --------
    >>> al = alliance_years({"ccode1": [2], "ccode2": [20], "year": [2000]}, directed=False)
    >>> al.in_force(20, 2, 2000), al.in_force(20, 2, 2001)
    (True, None)
    """
    pa = _pyarrow()
    t = Table(data).to_arrow()
    t = pa.table({c: t[c].cast(pa.int64()) for c in ("ccode1", "ccode2", "year")})
    start, end = (None, None) if coverage is None else (int(coverage[0]), int(coverage[1]))
    return AllianceYears(_native.alliance_years(t, source, bool(directed), start, end))


def state_years(
    states: Union[StateList, PathLike],
    start: Optional[int] = None,
    end: Optional[int] = None,
    *,
    capabilities: Union[Capabilities, PathLike, None] = None,
    ledger: Union[Ledger, PathLike, None] = None,
    alliances: Union[AllianceYears, Alliances, PathLike, None] = None,
    majors: Union[StateList, PathLike, None] = None,
    milex: Union[MilitaryExpenditure, PathLike, None] = None,
    maddison: Union[Maddison, PathLike, None] = None,
    sdp: Union[SdpGdp, PathLike, None] = None,
    ideal_points: Union[IdealPoints, PathLike, None] = None,
    measure: str = "fp",
    carry_forward: Optional[bool] = None,
    arms_by_category: bool = False,
) -> Table:
    """State-years: every COW system member in every year of ``start..end``, as peacesciencer's
    ``create_stateyears`` (Miller 2022), joined with what is given.

    The period comes first, as everywhere in the package (``start, end`` after the required
    arguments; a missing bound is the state list's first or last year, 1816 and 2016 for COW's
    states2016); the sources to join are keyword-only.

    Returns
    -------
    Table
        ``ccode, stateabb, year``; with ``majors`` a ``major`` flag; with ``capabilities``
        ``milex, milper, irst, pec, tpop, upop, cinc`` (NMC as published; Singer, Bremer & Stuckey
        1972); with ``ledger`` ``tiv_exports, tiv_imports`` (TIV the state delivered to and
        received from anyone, non-state and unknown parties included; 0 inside the ledger's span,
        null outside) and, with ``arms_by_category=True``, ``tiv_exports_<category>`` for every
        SIPRI armament category then ``tiv_imports_<category>`` (see :func:`dyad_years`); with
        ``alliances`` ``n_allies`` (states with an alliance in force; null outside the source's
        years).

    Examples
    --------
    >>> p = pb.datasets.path  # the files of the data home
    >>> sy = pb.panels.state_years(
    ...     p("cow-states"), capabilities=p("cow-nmc-v6"), ledger=p("sipri-register-2024"),
    ...     majors=p("cow-states", file="majors2016.csv"), start=2016, end=2016,
    ... )
    >>> sy.select(["ccode", "stateabb", "year", "major", "milex", "cinc", "tiv_exports", "tiv_imports"])
    Table: 3 rows x 8 columns
    ccode  stateabb  year  major    milex   cinc  tiv_exports  tiv_imports
        2  USA       2016  yes    600,000  30.0%        1,000            0
      365  RUS       2016  yes     70,000  10.6%          160            0
      710  CHN       2016  yes    210,000  59.4%            0          160
    """
    return Table(
        _native.state_years(
            _states(states),
            _caps(capabilities),
            _ledger(ledger),
            _alliances(alliances),
            _majors(majors),
            start,
            end,
            **_joins(milex, maddison, sdp, ideal_points),
            measure=measure,
            carry_forward=carry_forward,
            arms_by_category=bool(arms_by_category),
        )
    )


def dyad_years(
    states: Union[StateList, PathLike],
    start: Optional[int] = None,
    end: Optional[int] = None,
    *,
    capabilities: Union[Capabilities, PathLike, None] = None,
    ledger: Union[Ledger, PathLike, None] = None,
    alliances: Union[AllianceYears, Alliances, PathLike, None] = None,
    directed: bool = True,
    milex: Union[MilitaryExpenditure, PathLike, None] = None,
    maddison: Union[Maddison, PathLike, None] = None,
    sdp: Union[SdpGdp, PathLike, None] = None,
    ideal_points: Union[IdealPoints, PathLike, None] = None,
    measure: str = "fp",
    alignment: Union[AllianceYears, Alliances, PathLike, None] = None,
    components: bool = False,
    distance: str = "absolute",
    carry_forward: Optional[bool] = None,
    false_dyads: bool = False,
    arms_by_category: bool = False,
) -> Table:
    """Dyad-years: every pair of COW system members in every year of ``start..end``, as
    peacesciencer's ``create_dyadyears`` (Miller 2022), joined with capabilities, arms flows and
    alliances (rules in the module documentation).

    ``start, end`` as in :func:`state_years` (a missing bound is the state list's first or last
    year). Formula of the capability ratio: ``cinc_ratio = cinc1 / cinc2`` with the published CINC
    (Singer, Bremer & Stuckey 1972). The arms flows are SIPRI TIV (millions).

    Returns
    -------
    Table
        ``ccode1, ccode2, year``; with capabilities ``cinc1, cinc2, cinc_ratio`` (and with
        ``components=True`` the six NMC components, ``milex1, milex2, ..., upop2``); with a ledger
        ``tiv_1to2, tiv_2to1`` and, with ``arms_by_category=True``, ``tiv_1to2_<category>`` for
        every SIPRI armament category then ``tiv_2to1_<category>`` (see below); with alliances
        ``alliance`` and one flag per type of the source (COW ``defense, neutrality,
        nonaggression, entente``; ATOP's five obligations ``defense, offense, neutrality,
        nonaggression, consultation``, ccode1's toward ccode2); with
        ``milex``, ``maddison``, ``sdp``, ``ideal_points`` their state columns
        (:func:`state_years`) suffixed ``1`` and ``2``, and ``ideal_point_distance =
        |ideal_point1 - ideal_point2|``; with ``alignment`` (alliance portfolios: COW or ATOP) the
        measures of :func:`powerbalance.metrics.alignment` (``s_binary, s_valued,
        s_binary_weighted, s_valued_weighted, kappa, pi, kappa_weighted, pi_weighted, tau_b``),
        the system of a year being the panel's members and the weights their CINC (with
        ``capabilities``). About 2 million rows for all directed dyad-years 1816-2016.

    False dyads (two members of a year that never share a day of membership in it, as Suriname
    and South Vietnam in 1975) are dropped, as peacesciencer does; ``false_dyads=True`` keeps
    them. Past the state list's last year the system is carried forward (see
    :func:`state_years`). Every joined column is null outside its source's years; :func:`coverage`
    lists each source, its years and its columns.

    Arms flows by category (``arms_by_category=True``): one column per armament category of the
    SIPRI Arms Transfers Database, in the order ``aircraft, air_defence_systems,
    armoured_vehicles, artillery, engines, missiles, naval_weapons, satellites, sensors, ships,
    other`` (the category names in snake case; the spellings of every release map to one name,
    as in :meth:`Ledger.by_category`; a spelling no release has used so far gets a column of its
    own after them): ``tiv_1to2_<c>`` is the TIV delivered from ccode1 to ccode2 in the year in
    deals of category ``c``. Missing is as for the totals (null outside the ledger's years, 0
    inside where nothing was delivered), and ``sum_c tiv_1to2_<c> = tiv_1to2`` where every
    delivery has a category (a delivery whose register row gives none is in the total only).
    Only the new-format registers carry the category; another release raises
    :class:`powerbalance.errors.InvalidArgumentError` naming one that does.

    Examples
    --------
    >>> d = pb.panels.dyad_years(pb.datasets.path("cow-states"), 2016, 2016, directed=False)
    >>> d
    Table: 3 rows x 3 columns
    ccode1  ccode2  year
         2     365  2016
         2     710  2016
       365     710  2016

    Arms flows by category, from a new-format register:

    >>> p = pb.datasets.path
    >>> d = pb.panels.dyad_years(p("cow-states"), 2016, 2016, ledger=p("sipri-register-2024"), arms_by_category=True)
    >>> d.select(["ccode1", "ccode2", "tiv_1to2", "tiv_1to2_aircraft", "tiv_1to2_engines"]).filter(ccode1=365)
    Table: 2 rows x 5 columns
    ccode1  ccode2  tiv_1to2  tiv_1to2_aircraft  tiv_1to2_engines
       365       2         0                  0                 0
       365     710       160                160                 0
    """
    return Table(
        _native.dyad_years(
            _states(states),
            _caps(capabilities),
            _ledger(ledger),
            _alliances(alliances),
            bool(directed),
            start,
            end,
            **_joins(milex, maddison, sdp, ideal_points),
            measure=measure,
            alignment=_alliances(alignment),
            components=bool(components),
            distance=distance,
            carry_forward=carry_forward,
            false_dyads=bool(false_dyads),
            arms_by_category=bool(arms_by_category),
        )
    )


def arms_flows(ledger: Union[Ledger, PathLike], states: Union[StateList, PathLike]) -> Table:
    """Every delivery of a ledger accounted for against the dyad-year panels.

    One row per SIPRI supplier, recipient and year, with the COW codes they map to (rules in the
    module documentation) and whether the delivery enters a panel over ``states``.

    Returns
    -------
    Table
        ``supplier, recipient, year, tiv, ccode1, ccode2, in_panel, reason`` (``reason`` is null
        for deliveries in the panel, otherwise why it is left out).

    Examples
    --------
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
    >>> acc = pb.panels.arms_flows(led, pb.datasets.path("cow-states"))  # states2016: members to 2016
    >>> acc.filter(year=2016)
    Table: 3 rows x 8 columns
    supplier       recipient     year    tiv  ccode1  ccode2  in_panel  reason
    Germany        Algeria       2016    350     255     615  no        supplier not a system member
    Russia         China         2016    160     365     710  yes
    United States  Saudi Arabia  2016  1,000       2     670  no        recipient not a system member
    """
    led = _ledger(ledger)
    if led is None:
        raise TypeError("ledger must be a Ledger (powerbalance.read_sipri) or a path, not None")
    return Table(_native.arms_flows(led, _states(states)))


def coverage(panel: Any) -> Table:
    """The years each source of a panel covers, from the panel's schema metadata.

    Every panel (:func:`state_years`, :func:`dyad_years`) lists in its Arrow schema metadata
    (key ``powerbalance.coverage``) the years of each source it was joined with: ``states`` (the
    panel's own years), then ``majors``, ``capabilities``, ``arms`` (the ledger's coverage, fixed
    when it was read) and ``alliances`` when given. A source's columns are null in the panel's
    years outside its span, never 0 and never an error (arms flows are 0 inside the ledger's
    coverage where nothing was delivered). pyarrow keeps the metadata; polars and pandas drop
    it, so call this on the table the panel function returned.

    Returns
    -------
    Table
        ``source, dataset, start, end, columns`` (``columns``: the panel's columns from that
        source, comma-separated).

    Examples
    --------
    A panel of 1990-2000 joined with the 2026 register (which covers 1995-2024) carries:

    >>> arms = {"source": "arms", "dataset": "trade_register_1995-2024.csv", "start": 1995, "end": 2024}
    >>> import json
    >>> meta = json.dumps([{"source": "states", "dataset": "COW states", "start": 1990, "end": 2000}, arms])
    >>> import pyarrow as pa
    >>> panel = pa.table({"year": [1990]}).replace_schema_metadata({"powerbalance.coverage": meta})
    >>> coverage(panel).to_pylist()[-1]
    {'source': 'arms', 'dataset': 'trade_register_1995-2024.csv', 'start': 1995, 'end': 2024, 'columns': ''}
    """
    pa = _pyarrow()
    meta = Table(panel).schema.metadata or {}
    raw = meta.get(b"powerbalance.coverage")
    if raw is None:
        raise errors.InvalidArgumentError(
            "this table has no powerbalance.coverage metadata: pass the table a panel function returned "
            "(polars and pandas drop Arrow metadata)"
        )
    import json

    rows = json.loads(raw)
    return Table(
        pa.table(
            {
                "source": pa.array([r["source"] for r in rows], pa.string()),
                "dataset": pa.array([r["dataset"] for r in rows], pa.string()),
                "start": pa.array([r["start"] for r in rows], pa.int64()),
                "end": pa.array([r["end"] for r in rows], pa.int64()),
                "columns": pa.array([",".join(r.get("columns", [])) for r in rows], pa.string()),
            }
        )
    )
