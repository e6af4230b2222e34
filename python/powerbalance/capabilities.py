"""National material capabilities: the Correlates of War NMC data and the COW state lists.

:func:`read_nmc` reads an NMC abridged file (v6.0 with ``-9`` for missing values, or v7.0 with
empty fields) into a :class:`Capabilities`; :func:`read_states` and :func:`read_majors` read the
COW state system and major-power lists into a :class:`StateList`. States are keyed by their COW
code (``ccode``); wherever a method takes a state it accepts the code (``710`` or ``"710"``), the
COW abbreviation (``"CHN"``) or any name the actor registry knows (``"China"``).

Sources: Singer, Bremer & Stuckey (1972), "Capability Distribution, Uncertainty, and Major Power
War, 1820-1965"; Singer (1987), "Reconstructing the Correlates of War Dataset on Material
Capabilities of States, 1816-1985", *International Interactions* 14: 115-32; Correlates of War
Project (2017), "State System Membership List, v2016".
"""

from __future__ import annotations

import os
from typing import Dict, Iterable, List, Optional, Tuple, TypeVar, Union

from . import _native, _wrap
from ._wrap import PathLike
from .table import Table

__all__ = [
    "Alliances",
    "Capabilities",
    "IdealPoints",
    "Maddison",
    "MilitaryExpenditure",
    "SdpGdp",
    "StateList",
    "read_alliances",
    "read_ideal_points",
    "read_maddison",
    "read_majors",
    "read_milex",
    "read_nmc",
    "read_sdp_gdp",
    "read_states",
]

State = Union[int, str]

#: The measures states can be compared by: the published CINC and its six components.
MEASURES = ("cinc", "milex", "milper", "irst", "pec", "tpop", "upop")


def _state(s: State) -> str:
    return str(s)


def _states(states: Optional[Iterable[State]]) -> Optional[List[str]]:
    if states is None:
        return None
    if isinstance(states, (str, int)):
        raise TypeError("states must be a list of states, not a single state")
    return [_state(s) for s in states]


class Capabilities(_wrap.YearlyWrapper[_native.Capabilities]):
    """COW national material capabilities, one row per state-year (columnar, in Rust).

    The six components are military expenditure (``milex``, thousands: current British pounds
    1816-1913, current US dollars from 1914), military personnel (``milper``, thousands), iron and
    steel production (``irst``, thousands of tons), primary energy consumption (``pec``, thousands
    of coal-ton equivalents), total and urban population (``tpop``, ``upop``, thousands). CINC is
    the mean of a state's shares of the system totals of the components it has (Singer, Bremer &
    Stuckey 1972). No value is invented outside the years the file covers.

    Get one with :func:`read_nmc`.

    Examples
    --------
    >>> import powerbalance as pb
    >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))  # NMC 6.0 in the data home
    >>> caps.rank(2016).head(2)
    Table: 2 rows x 5 columns
    rank  ccode  stateabb  actor           value
       1    710  CHN       China          0.5939
       2      2  USA       United States  0.3002
    >>> caps.cinc(2016, ["USA", "RUS"]).select(["stateabb", "cinc_recomputed", "cinc_published"])
    Table: 2 rows x 3 columns
    stateabb  cinc_recomputed  cinc_published
    USA                 69.2%           30.0%
    RUS                 30.8%           10.6%
    """

    __slots__ = ()
    _native_class = _native.Capabilities
    _how = "powerbalance.read_nmc(path)"

    def cinc(self, year: int, states: Optional[Iterable[State]] = None, *, rule: str = "available") -> Table:
        """CINC recomputed from the six components, for the whole system or a subset.

        Formula: for each component ``k``, ``share_ik = c_ik / sum_j c_jk`` over the states of the
        set that have the component; ``CINC_i = (1 / K_i) sum_k share_ik``, where ``K_i`` is the
        number of components state ``i`` has (``rule="available"``, COW's rule) or 6
        (``rule="zero"``: a missing component counts as 0). Over the whole system this reproduces
        the published CINC (Singer, Bremer & Stuckey 1972); over a subset it is each state's
        capability share within the subset, and the values sum to 1 when no component is missing.

        Parameters
        ----------
        year : int
        states : list of int or str, optional
            The subset (ccodes, COW abbreviations or names); every state of the year when None.
        rule : {"available", "zero"}
            How a state's missing components count.

        Returns
        -------
        Table
            ``ccode, stateabb, actor, year``, the six ``*_share`` columns, ``n_components``,
            ``cinc_recomputed`` (over the states asked for) and ``cinc_published`` (COW's
            whole-system figure): they agree only for the whole system. Not the same as
            :meth:`shares` of CINC (``share_of_group``: published CINC over the group's sum); for
            the US, China and Russia in 2016 (NMC 6.0) the first gives 31.5, 58.7, 9.8 %, the
            second 33.3, 57.6, 9.1 %.

        Examples
        --------
        >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))
        >>> [round(c, 4) for c in caps.cinc(2016, ["USA", "CHN", "RUS"])["cinc_recomputed"]]
        [0.3002, 0.5939, 0.1059]
        >>> [round(c, 4) for c in caps.cinc(2016, ["USA", "RUS"])["cinc_recomputed"]]  # shares of the pair's totals
        [0.6917, 0.3083]
        """
        return Table(self._native.cinc(int(year), _states(states), rule))

    def shares(self, year: int, states: Iterable[State], measure: str = "cinc") -> Table:
        """Each state's share of a subset's total of a measure in a year.

        Formula: ``share_i = x_i / sum_{j in S} x_j`` over the states of ``S`` that have a value
        (a state without one gets no share). With the published CINC this is the relative
        capability of each member of the subset (Singer, Bremer & Stuckey 1972).

        Returns
        -------
        Table
            ``ccode, stateabb, actor, year, value, share_of_group``, in the order of ``states``.

        Examples
        --------
        >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))
        >>> caps.shares(2016, ["USA", "RUS"], measure="milex")
        Table: 2 rows x 6 columns
        ccode  stateabb  actor          year    value  share_of_group
            2  USA       United States  2016  600,000           89.6%
          365  RUS       Russia         2016   70,000           10.4%
        """
        names = _states(states)
        assert names is not None
        return Table(self._native.shares(int(year), names, measure))

    def ratio(
        self, a: State, b: State, measure: str = "cinc", start: Optional[int] = None, end: Optional[int] = None
    ) -> Table:
        """The capability ratio of ``a`` to ``b`` by year: ``ratio_t = x_a,t / x_b,t``.

        A year where either value is missing, or ``x_b`` is 0, has a null ratio. Organski & Kugler
        (1980, *The War Ledger*) read ratios of this kind for parity (see
        :func:`powerbalance.metrics.parity_windows`).

        Returns
        -------
        Table
            ``year, a_value, b_value, ratio``.

        Examples
        --------
        >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))
        >>> caps.ratio("China", "USA", start=2015, end=2016)
        Table: 2 rows x 4 columns
        year  a_value  b_value  ratio
        2015   0.5912   0.3055  1.935
        2016   0.5939   0.3002  1.979
        """
        return Table(self._native.ratio(_state(a), _state(b), measure, start, end))

    def rank(self, year: int, measure: str = "cinc") -> Table:
        """The states of a year ranked by a measure, largest first.

        Ties are broken by ascending ccode; states with a missing value come last with a null
        rank.

        Returns
        -------
        Table
            ``rank, ccode, stateabb, actor, value``.

        Examples
        --------
        >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))
        >>> caps.rank(2016)["stateabb"]
        ['CHN', 'USA', 'RUS']
        """
        return Table(self._native.rank(int(year), measure))

    def series(
        self, state: State, measure: str = "cinc", start: Optional[int] = None, end: Optional[int] = None
    ) -> Table:
        """One state's annual series of a measure (null where the state has no row or value).

        Without ``start`` the series begins at the state's first year with a value (China's
        at 1860, when it enters the state system, not at the data's 1816); without ``end`` it
        stops at the last. Gaps in between stay as null rows.

        Returns
        -------
        Table
            ``year, value``.

        Examples
        --------
        >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))
        >>> caps.series("CHN", "milex", 2015, 2016)
        Table: 2 rows x 2 columns
        year    value
        2015  200,000
        2016  210,000
        """
        t = self._native.series(_state(state), measure, start, end)
        return _trim_nulls(Table(t), leading=start is None, trailing=end is None)

    def table(self) -> Table:
        """Every state-year as read: ``ccode, stateabb, year, milex, milper, irst, pec, tpop, upop,
        cinc`` (missing values null; units as in the class documentation).

        Examples
        --------
        >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))
        >>> caps.table().select(["ccode", "stateabb", "year", "milex", "cinc"]).head(2)
        Table: 2 rows x 5 columns
        ccode  stateabb  year    milex   cinc
            2  USA       2015  600,000  30.5%
            2  USA       2016  600,000  30.0%
        """
        return Table(self._native.table())

    def concentration(
        self,
        start: Optional[int] = None,
        end: Optional[int] = None,
        *,
        measure: str = "cinc",
        states: Optional[Iterable[State]] = None,
        rule: str = "relative",
        threshold: float = 0.5,
    ) -> Table:
        """HHI, CON, entropy and poles of a measure, year by year.

        See :func:`powerbalance.metrics.concentration` for the formulas (Hirschman 1945; Ray &
        Singer 1973; Shannon 1948; Schweller 1998). States with a missing value in a year are left
        out of that year. ``states`` restricts the distribution to a subset (e.g. the major
        powers, as Singer, Bremer & Stuckey 1972 compute CON).

        Returns
        -------
        Table
            ``year, n, hhi, con, entropy, effective_poles, poles, strongest, strongest_share,
            equilibrium_holds`` (``strongest``: the state's name in the built-in registry, the
            current name of its COW code: ccode 365 is Russia in every year, as in COW).

        Examples
        --------
        >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))
        >>> caps.concentration(2015, 2016, states=["USA", "CHN", "RUS"]).select(["year", "n", "hhi", "con", "poles"])
        Table: 2 rows x 5 columns
        year  n     hhi     con  poles
        2015  3  0.4535  0.4245      2
        2016  3   0.454  0.4255      2
        """
        from . import metrics

        lo, hi = self.coverage
        t = self.table().to_pyarrow()
        import pyarrow.compute as pc

        s, e = (lo if start is None else int(start)), (hi if end is None else int(end))
        mask = pc.and_(pc.greater_equal(t["year"], s), pc.less_equal(t["year"], e))
        if states is not None:
            codes = [self.resolve(x) for x in states]
            mask = pc.and_(mask, pc.is_in(t["ccode"], value_set=_pa_int_array(codes)))
        t = t.filter(mask).select(["year", "ccode", measure])
        t = t.set_column(1, "ccode", pc.cast(t["ccode"], "string"))
        out = metrics.concentration(Table(t), by="year", actor="ccode", value=measure, rule=rule, threshold=threshold)
        return _names_for_codes(out, "strongest")

    def resolve(self, state: State) -> int:
        """The ccode of a state given as a code, a COW abbreviation or a name.

        Raises
        ------
        powerbalance.errors.UnknownActorError
            When no state of the data has this code or name (with the nearest known names).

        Examples
        --------
        >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))
        >>> caps.resolve("China"), caps.resolve("RUS"), caps.resolve(2)
        (710, 365, 2)
        """
        return int(self._native.resolve(_state(state)))

    def states_in(self, year: int) -> List[int]:
        """The ccodes with a row in ``year``, ascending.

        Examples
        --------
        >>> pb.read_nmc(pb.datasets.path("cow-nmc-v6")).states_in(2016)
        [2, 365, 710]
        """
        return list(self._native.states_in(int(year)))

    release = _wrap.NativeProperty[str]("""The NMC release (``"6.0"``, ``"7.0"``).""")
    version_column = _wrap.NativeProperty[Optional[str]](
        """The file's ``version`` column value (``"2021"`` for NMC 6.0), if it has one."""
    )
    layout = _wrap.NativeProperty[str](
        """``"cow-abridged"`` (with ``version``, ``-9`` missing) or ``"unversioned"``."""
    )


def _trim_nulls(t: Table, *, leading: bool, trailing: bool, column: str = "value") -> Table:
    """``t`` without its first (``leading``) and last (``trailing``) rows whose ``column`` is null."""
    values = t.to_pyarrow()[column].is_null().to_pylist()
    lo, hi = 0, len(values)
    while leading and lo < hi and values[lo]:
        lo += 1
    while trailing and hi > lo and values[hi - 1]:
        hi -= 1
    return t if (lo, hi) == (0, len(values)) else Table(t.to_pyarrow().slice(lo, hi - lo))


def _names_for_codes(t: Table, column: str) -> Table:
    """``t`` with the COW codes (as text) of ``column`` replaced by the registry's names; for a
    code that two actors share (365: the Soviet Union and Russia), the current one's."""
    import pyarrow as pa

    from . import actors

    names: Dict[str, str] = {}
    for r in actors():
        code = r["cow_code"]
        if code is not None and (str(code) not in names or r["successor"] is None and r["predecessor"] is not None):
            names[str(code)] = r["name"]
    pt = t.to_pyarrow()
    col = [None if c is None else names.get(c, c) for c in pt[column].to_pylist()]
    return Table(pt.set_column(pt.column_names.index(column), column, pa.array(col, pa.string())))


def _pa_int_array(values: List[int]) -> object:
    import pyarrow as pa

    return pa.array(values, type=pa.int64())


def read_nmc(path: PathLike) -> Capabilities:
    """Read a COW National Material Capabilities abridged CSV (v6.0 or v7.0 layout).

    ``-9`` and empty fields are missing values; exponent-notation CINC values are read as floats;
    ``milex`` keeps the source's units (thousands of current British pounds through 1913, of
    current US dollars from 1914).

    Examples
    --------
    >>> caps = pb.read_nmc(pb.datasets.path("cow-nmc-v6"))
    >>> caps.release, caps.coverage
    ('6.0', (2015, 2016))
    """
    return Capabilities(_native.read_nmc(os.fspath(path)))


class StateList(_wrap.Wrapper[_native.StateList]):
    """A COW membership list: the state system (``states2016.csv``) or the major powers.

    A state is a member in every year one of its spells touches (a state that joins on
    25 October 1860 is a member in 1860), as peacesciencer's ``create_stateyears`` counts it
    (Miller 2022).

    Examples
    --------
    >>> states = pb.read_states(pb.datasets.path("cow-states"))
    >>> states.members(2016)
    [2, 365, 710]
    """

    __slots__ = ()
    _native_class = _native.StateList
    _how = "powerbalance.read_states(path) or read_majors(path)"

    def table(self) -> Table:
        """The spells, one row each: ``ccode, stateabb, statenme, start_year, start_month,
        start_day, end_year, end_month, end_day``.

        Examples
        --------
        >>> states = pb.read_states(pb.datasets.path("cow-states"))
        >>> states.table().filter(ccode=365).select(["stateabb", "start_year", "end_year"])
        Table: 2 rows x 3 columns
        stateabb  start_year  end_year
        RUS             1816      1917
        RUS             1922      2016
        """
        return Table(self._native.table())

    def members(self, year: int) -> List[int]:
        """The ccodes that are members at any time during ``year``, ascending.

        Examples
        --------
        >>> pb.read_states(pb.datasets.path("cow-states")).members(1980)
        [2, 265, 365, 710]
        """
        return list(self._native.members(int(year)))

    def is_member(self, ccode: int, year: int) -> bool:
        """Is ``ccode`` a member at any time during ``year``?

        Examples
        --------
        >>> states = pb.read_states(pb.datasets.path("cow-states"))
        >>> states.is_member(365, 1917), states.is_member(365, 1920), states.is_member(265, 1991)
        (True, False, False)
        """
        return bool(self._native.is_member(int(ccode), int(year)))

    kind = _wrap.NativeProperty[str]("""``"states"`` or ``"majors"``.""")
    version = _wrap.NativeProperty[Optional[str]]("""The list's ``version`` column (``"2016"``).""")
    n_states = _wrap.NativeProperty[int]("""Number of distinct ccodes.""")


def read_states(path: PathLike) -> StateList:
    """Read COW's state system membership list (``states2016.csv``).

    Examples
    --------
    >>> states = pb.read_states(pb.datasets.path("cow-states"))
    >>> states.n_states
    4
    """
    return StateList(_native.read_states(os.fspath(path)))


def read_majors(path: PathLike) -> StateList:
    """Read COW's major-power list (``majors2016.csv``).

    Examples
    --------
    >>> majors = pb.read_majors(pb.datasets.path("cow-states", file="majors2016.csv"))
    >>> majors.members(2016)
    [2, 365, 710]
    """
    return StateList(_native.read_majors(os.fspath(path)))


# -- military expenditure, GDP, alliances, ideal points ----------------------------------------


Y = TypeVar("Y", bound=_wrap.Yearly)


class _YearlyWrapper(_wrap.YearlyWrapper[Y]):
    """A data set read by year, printed as ``<Name N rows, first-last>``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {len(self)} rows, {self.coverage[0]}-{self.coverage[1]}>"


class MilitaryExpenditure(_YearlyWrapper[_native.Milex]):
    """SIPRI Military Expenditure Database (SIPRI 2025): constant 2023 US$, current US$ and share
    of GDP by state and year; SIPRI's placeholder zeros are missing values, not zero spending.

    Read one with :func:`read_milex`; a :class:`~powerbalance.Scenario` applies to it
    (``scale_capabilities`` with a ``constant``, ``current`` or ``share_gdp`` measure). In Rhai:
    ``dataset("sipri-milex")``, ``rank(year, kind)``, ``series(state, kind, start, end)``.

    Examples
    --------
    >>> mx = pb.read_milex(pb.datasets.path("sipri-milex"))
    >>> mx
    <MilitaryExpenditure 7 rows, 1990-2024>
    >>> mx.rank(2024).head(2)
    Table: 2 rows x 7 columns
    rank  ccode  country        actor            value  share  flag
       1      2  United States  United States  950,000  67.4%  R
       2    710  China          China          310,000  22.0%  E
    """

    __slots__ = ()
    _native_class = _native.Milex
    _how = "powerbalance.read_milex(path)"

    def table(self, measure: str = "constant", start: Optional[int] = None, end: Optional[int] = None) -> Table:
        """One measure for every state-year of ``start..=end``.

        Parameters
        ----------
        measure : str
            ``"constant"`` (constant 2023 US$ m.), ``"current"`` (current US$ m.) or
            ``"share_gdp"`` (a fraction of GDP).
        start, end : int, optional
            The years, both included; a missing bound is the data's first or last year.

        Returns
        -------
        Table
            ``country, iso3, ccode, actor, year, value, flag`` (SIPRI's estimate flags).

        Examples
        --------
        >>> mx = pb.read_milex(pb.datasets.path("sipri-milex"))
        >>> mx.table("constant", 2023, 2024).head(3)
        Table: 3 rows x 7 columns
        country  iso3  ccode  actor   year    value  flag
        China    CHN     710  China   2023  300,000  E
        China    CHN     710  China   2024  310,000  E
        Russia   RUS     365  Russia  2023  110,000  E
        """
        return Table(self._native.table(measure, start, end))

    def rank(self, year: int, measure: str = "constant") -> Table:
        """The states of ``year`` ranked by a measure, largest first.

        Parameters
        ----------
        year : int
            The year.
        measure : str
            ``"constant"``, ``"current"`` or ``"share_gdp"`` (see :meth:`table`).

        Returns
        -------
        Table
            ``rank, ccode, country, actor, value, share, flag``; ``share`` is the value over the
            sum of the year's values.

        Examples
        --------
        >>> mx = pb.read_milex(pb.datasets.path("sipri-milex"))
        >>> mx.rank(2024, "share_gdp").head(2)
        Table: 2 rows x 7 columns
        rank  ccode  country        actor          value  share  flag
           1    365  Russia         Russia          0.07  57.8%  U
           2      2  United States  United States  0.034  28.1%  R
        """
        return Table(self._native.rank(int(year), measure))


def read_milex(path: PathLike) -> MilitaryExpenditure:
    """Read the SIPRI Military Expenditure Database, as the long CSV the data set ``sipri-milex``
    builds from SIPRI's workbook: ``country, iso3c, ccode, region, subregion, year``, then each
    measure (``milex_const2023_usd_m``, ``milex_current_usd_m``, ``milex_share_gdp``) with its
    flag (``R`` reported, ``E`` estimate, ``U`` uncertain, ``NA`` unavailable, ``X`` not a
    state), and ``notes``.

    Unavailable cells and SIPRI's placeholder zeros are missing values, not zero spending.

    Source: SIPRI Military Expenditure Database 2025, https://www.sipri.org/databases/milex.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.

    Raises
    ------
    powerbalance.errors.DataFormatError
        With the file, line, column and column name of a value that cannot be read.

    Examples
    --------
    >>> mx = pb.read_milex(pb.datasets.path("sipri-milex"))
    >>> mx.coverage, len(mx)
    ((1990, 2024), 7)
    """
    return MilitaryExpenditure(_native.read_milex(os.fspath(path)))


class Maddison(_YearlyWrapper[_native.Maddison]):
    """The Maddison Project Database 2023 (Bolt & van Zanden 2024, "Maddison style estimates of
    the evolution of the world economy: A new 2023 update", *Journal of Economic Surveys*): GDP per
    capita, population and GDP by country and year.

    ``gdppc`` is real GDP per capita in 2011 international dollars (PPP), ``pop`` thousands of
    people, and ``gdp = gdppc * pop * 1000`` (2011 international dollars). The former USSR,
    Czechoslovakia and Yugoslavia (``SUN``, ``CSK``, ``YUG``) run on beside their successors:
    their rows are flagged ``aggregate`` and left out of :meth:`rank` (adding them would count
    their territory twice).

    Read one with :func:`read_maddison`.

    Examples
    --------
    >>> md = pb.read_maddison(pb.datasets.path("maddison-2023"))
    >>> md
    <Maddison 7 rows, 2021-2022>
    """

    __slots__ = ()
    _native_class = _native.Maddison
    _how = "powerbalance.read_maddison(path)"

    def table(self, start: Optional[int] = None, end: Optional[int] = None) -> Table:
        """Every country-year of ``start..=end``.

        Parameters
        ----------
        start, end : int, optional
            The years, both included; a missing bound is the data's first or last year.

        Returns
        -------
        Table
            ``iso3, country, region, ccode, actor, year, gdppc, pop, gdp, aggregate`` (``ccode``
            and ``actor`` from the registry's ISO3 codes; null for the aggregates).

        Examples
        --------
        >>> md = pb.read_maddison(pb.datasets.path("maddison-2023"))
        >>> md.table(2022, 2022).select(["iso3", "ccode", "gdppc", "pop", "gdp", "aggregate"])
        Table: 4 rows x 6 columns
        iso3  ccode   gdppc        pop                 gdp  aggregate
        CHN     710  18,500  1,412,000  26,122,000,000,000  no
        RUS     365  25,500    144,000   3,672,000,000,000  no
        SUN                  24,000    290,000   6,960,000,000,000  yes
        USA       2  61,000    332,000  20,252,000,000,000  no
        """
        return Table(self._native.table(start, end))

    def rank(self, year: int, measure: str = "gdp") -> Table:
        """The countries of ``year`` ranked by a measure, largest first (aggregates left out).

        Parameters
        ----------
        year : int
            The year.
        measure : str
            ``"gdp"``, ``"gdppc"`` or ``"pop"``.

        Returns
        -------
        Table
            ``rank, iso3, country, value, share``; ``share`` = value / the sum of the year's
            values (meaningful for ``gdp`` and ``pop``, the sums of a system's totals).

        Examples
        --------
        >>> md = pb.read_maddison(pb.datasets.path("maddison-2023"))
        >>> md.rank(2022).select(["rank", "iso3", "share"])
        Table: 3 rows x 3 columns
        rank  iso3  share
           1  CHN   52.2%
           2  USA   40.5%
           3  RUS    7.3%
        """
        return Table(self._native.rank(int(year), measure))


def read_maddison(path: PathLike) -> Maddison:
    """Read the Maddison Project Database 2023 CSV (``iso3c, country, region, year, gdppc, pop``,
    as the data set ``maddison-2023`` builds it from the MaddisonData R package). ``path`` and
    the errors as for :func:`read_milex`.

    Examples
    --------
    >>> md = pb.read_maddison(pb.datasets.path("maddison-2023"))
    >>> md.coverage, len(md)
    ((2021, 2022), 7)
    """
    return Maddison(_native.read_maddison(os.fspath(path)))


class SdpGdp(_YearlyWrapper[_native.SdpGdp]):
    """GDP, population and surplus domestic product by COW state and year (Anders, Fariss &
    Markowitz 2020, "Bread Before Guns or Butter: Introducing Surplus Domestic Product (SDP)",
    *International Studies Quarterly* 64(2)).

    The file holds ``log(x + 1)`` of each value, rounded to 3 decimals (as peacesciencer
    distributes it); the reader gives ``x = exp(v) - 1``, so a value is known to about 0.05 %.
    ``sdp`` is the surplus a state produces beyond its population's subsistence, a measure of
    the resources it could turn to war; GDP in 2011 PPP US$.

    Read one with :func:`read_sdp_gdp`.

    Examples
    --------
    >>> sg = pb.read_sdp_gdp(pb.datasets.path("cow-sdp-gdp"))
    >>> sg
    <SdpGdp 9 rows, 2014-2016>
    """

    __slots__ = ()
    _native_class = _native.SdpGdp
    _how = "powerbalance.read_sdp_gdp(path)"

    def table(self, start: Optional[int] = None, end: Optional[int] = None) -> Table:
        """Every state-year of ``start..=end``, the values back-transformed from their logs.

        Parameters
        ----------
        start, end : int, optional
            The years, both included; a missing bound is the data's first or last year.

        Returns
        -------
        Table
            ``ccode, actor, year, gdp, pop, sdp, gdppc`` (null where the source row is empty,
            as every row of 2016 is).

        Examples
        --------
        >>> sg = pb.read_sdp_gdp(pb.datasets.path("cow-sdp-gdp"))
        >>> sg.table(2015, 2016).head(2)
        Table: 2 rows x 7 columns
        ccode  actor          year                 gdp          pop                 sdp   gdppc
            2  United States  2015  17,992,929,660,121  320,053,906  17,496,115,486,175  56,274
            2  United States  2016
        """
        return Table(self._native.table(start, end))


def read_sdp_gdp(path: PathLike) -> SdpGdp:
    """Read the Anders-Fariss-Markowitz GDP/SDP CSV (``ccode, year, wbgdp2011est, wbpopest,
    sdpest, wbgdppc2011est``, each ``log(x + 1)``), back-transformed. ``path`` and the errors as
    for :func:`read_milex`.

    Examples
    --------
    >>> sg = pb.read_sdp_gdp(pb.datasets.path("cow-sdp-gdp"))
    >>> sg.coverage, len(sg)
    ((2014, 2016), 9)
    """
    return SdpGdp(_native.read_sdp_gdp(os.fspath(path)))


class Alliances(_YearlyWrapper[_native.Alliances], _wrap.AllianceWrapper[_native.Alliances]):
    """Alliance dyad-years: COW Formal Alliances v4.1 (Gibler 2009; non-directed) or ATOP 5.1
    (Leeds et al. 2002; directed).

    Read one with :func:`read_alliances`; a :class:`~powerbalance.Scenario` applies to it
    (``form_alliance``, ``dissolve_alliance``). Each dyad-year carries its obligations (yes/no)
    and ``level``, the 0-3 alliance scale of the S score (3 defense, 2 neutrality or
    nonaggression, 1 entente, 0 none; Signorino & Ritter 1999).

    Attributes
    ----------
    source : str
        ``"COW alliances v4.1"`` or ``"ATOP 5.1"``.
    directed : bool
        True for ATOP.

    Examples
    --------
    >>> al = pb.read_alliances(pb.datasets.path("cow-alliances"))
    >>> al, al.source, al.directed
    (<Alliances 4 rows, 2011-2012>, 'COW alliances v4.1', False)
    """

    __slots__ = ()
    _native_class = _native.Alliances
    _how = "powerbalance.read_alliances(path)"

    def table(self, start: Optional[int] = None, end: Optional[int] = None) -> Table:
        """Every dyad-year of ``start..=end`` with its alliance types.

        Parameters
        ----------
        start, end : int, optional
            The years, both included; a missing bound is the data's first or last year.

        Returns
        -------
        Table
            ``ccode1, ccode2, year``, one yes/no column per obligation, ``level``.

        Examples
        --------
        >>> al = pb.read_alliances(pb.datasets.path("cow-alliances"))
        >>> al.table(2011, 2012).head(2)
        Table: 2 rows x 8 columns
        ccode1  ccode2  year  defense  neutrality  nonaggression  entente  level
             2      20  2011  yes      no          yes            yes          3
             2      20  2012  yes      no          yes            yes          3
        """
        return Table(self._native.table(start, end))

    def dyad(self, a: State, b: State, start: Optional[int] = None, end: Optional[int] = None) -> Table:
        """One dyad's alliances by year of ``start..=end``.

        Parameters
        ----------
        a, b : str or int
            The states (names, ISO3 or COW codes).
        start, end : int, optional
            The years, both included; a missing bound is the data's first or last year.

        Returns
        -------
        Table
            ``year, ccode1, ccode2``, one yes/no column per obligation, ``any``, ``level``.

        Raises
        ------
        powerbalance.errors.CoverageError
            When the years reach outside the data's coverage.

        Examples
        --------
        >>> al = pb.read_alliances(pb.datasets.path("cow-alliances"))
        >>> al.dyad("USA", "Canada", 2011, 2012).select(["year", "defense", "level"])
        Table: 2 rows x 3 columns
        year  defense  level
        2011  yes          3
        2012  yes          3
        """
        return Table(self._native.dyad(str(a), str(b), start, end))

    def s_scores(
        self,
        capabilities: Capabilities,
        year: int,
        dyads: Optional[Iterable[Tuple[State, State]]] = None,
        *,
        distance: str = "absolute",
    ) -> Table:
        """Alliance-portfolio similarity (S score) of every dyad of ``year`` (or of ``dyads``).

        ``S = 1 - 2 sum_k w_k d_k / sum_k w_k`` with ``d_k = |x_ik - x_jk| / 3`` over the 0-3
        alliance scale (``distance="squared"``: squared differences), unweighted and weighted by
        CINC (Signorino & Ritter 1999, "Tau-b or Not Tau-b", *International Studies Quarterly* 43).

        Parameters
        ----------
        capabilities : Capabilities
            The NMC data whose CINC weights the weighted score (its coverage must include ``year``).
        year : int
            The year.
        dyads : iterable of (state, state), optional
            The dyads; None for every dyad of the year's states.
        distance : str
            ``"absolute"`` or ``"squared"``.

        Returns
        -------
        Table
            One row per dyad with its unweighted and CINC-weighted S scores.
        """
        d = None if dyads is None else [(str(a), str(b)) for a, b in dyads]
        return Table(self._native.s_scores(capabilities.native, int(year), d, distance))

    def s_score_series(
        self, capabilities: Capabilities, a: State, b: State, start: int, end: int, *, distance: str = "absolute"
    ) -> Table:
        """One dyad's S scores by year of ``start..=end`` (Signorino & Ritter 1999), as
        :meth:`s_scores`. Rhai: ``s_score_series(alliances, capabilities, a, b, start, end)``.

        Parameters
        ----------
        capabilities : Capabilities
            The NMC data for the CINC weights.
        a, b : str or int
            The states.
        start, end : int
            The years, both included.
        distance : str
            ``"absolute"`` or ``"squared"``.
        """
        return Table(self._native.s_score_series(capabilities.native, str(a), str(b), int(start), int(end), distance))


def read_alliances(path: PathLike) -> Alliances:
    """Read a COW v4.1 or ATOP 5.1 alliance dyad-year file (peacesciencer's layouts; the source is
    told by the columns: ATOP's ``atop_defense`` ... or COW's ``cow_defense`` ...).

    Sources: Gibler (2009), *International Military Alliances, 1648-2008*; Leeds, Ritter,
    Mitchell & Long (2002), "Alliance Treaty Obligations and Provisions, 1815-1944",
    *International Interactions* 28.

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file.

    Examples
    --------
    >>> al = pb.read_alliances(pb.datasets.path("cow-alliances"))
    >>> al.coverage, len(al)
    ((2011, 2012), 4)
    """
    return Alliances(_native.read_alliances(os.fspath(path)))


class IdealPoints(_YearlyWrapper[_native.IdealPoints]):
    """UN General Assembly ideal points (Bailey, Strezhnev & Voeten 2017, "Estimating Dynamic State
    Preferences from United Nations Voting Data", *Journal of Conflict Resolution* 61).

    Read one with :func:`read_ideal_points`; a :class:`~powerbalance.Scenario` applies to it
    (``shift_ideal_point``). Three estimates, chosen by ``measure=``: ``fp`` (the published ideal
    point), ``all`` and ``legacy``.

    Examples
    --------
    >>> ip = pb.read_ideal_points(pb.datasets.path("un-ideal-points"))
    >>> ip
    <IdealPoints 9 rows, 2014-2016>
    """

    __slots__ = ()
    _native_class = _native.IdealPoints
    _how = "powerbalance.read_ideal_points(path)"

    def table(self, measure: str = "fp", start: Optional[int] = None, end: Optional[int] = None) -> Table:
        """One estimate for every state-year of ``start..=end``.

        Parameters
        ----------
        measure : str
            The estimate: ``"fp"``, ``"all"`` or ``"legacy"``.
        start, end : int, optional
            The years, both included; a missing bound is the data's first or last year.

        Returns
        -------
        Table
            ``ccode, iso3, name, actor, year, ideal_point, q5, q95, nvotes``.

        Examples
        --------
        >>> ip = pb.read_ideal_points(pb.datasets.path("un-ideal-points"))
        >>> ip.table("fp", 2016, 2016).select(["iso3", "year", "ideal_point"])
        Table: 3 rows x 3 columns
        iso3  year  ideal_point
        USA   2016          2.7
        RUS   2016         -0.8
        CHN   2016         -1.3
        """
        return Table(self._native.table(measure, start, end))

    def distance(
        self, a: State, b: State, start: Optional[int] = None, end: Optional[int] = None, measure: str = "fp"
    ) -> Table:
        """The ideal-point distance ``|x_a - x_b|`` of one dyad by year of ``start..=end``.

        The argument order is Rhai's: ``ip.distance(a, b, start, end, measure)``.
        ``measure`` names the estimate, as ``measure`` names the quantity everywhere in the
        package.

        Parameters
        ----------
        a, b : str or int
            The states (names, ISO3 or COW codes).
        start, end : int, optional
            The years, both included; a missing bound is the data's first or last year.
        measure : str
            The estimate: ``"fp"``, ``"all"`` or ``"legacy"``.

        Returns
        -------
        Table
            ``year, a_ideal_point, b_ideal_point, distance``.

        Examples
        --------
        >>> ip = pb.read_ideal_points(pb.datasets.path("un-ideal-points"))
        >>> ip.distance("USA", "China", 2015, 2016)
        Table: 2 rows x 4 columns
        year  a_ideal_point  b_ideal_point  distance
        2015            2.6           -1.4         4
        2016            2.7           -1.3         4
        """
        return Table(self._native.distance(str(a), str(b), measure, start, end))

    def distances(self, year: int, measure: str = "fp", states: Optional[Iterable[State]] = None) -> Table:
        """Every dyad's ideal-point distance in ``year`` (among ``states`` when given).

        Parameters
        ----------
        year : int
            The year.
        measure : str
            The estimate: ``"fp"``, ``"all"`` or ``"legacy"``.
        states : iterable of str or int, optional
            The states; None for every state with a point in ``year``.

        Returns
        -------
        Table
            ``ccode1, ccode2, year, distance``.

        Examples
        --------
        >>> ip = pb.read_ideal_points(pb.datasets.path("un-ideal-points"))
        >>> ip.distances(2016)
        Table: 3 rows x 4 columns
        ccode1  ccode2  year  distance
             2     365  2016       3.5
             2     710  2016         4
           365     710  2016       0.5
        """
        return Table(self._native.distances(int(year), measure, _states(states)))


def read_ideal_points(path: PathLike) -> IdealPoints:
    """Read the UN General Assembly ideal points CSV (Bailey, Strezhnev & Voeten 2017; the July
    2025 release, by calendar year).

    Parameters
    ----------
    path : str or os.PathLike
        The CSV file (as the data set ``un-ideal-points`` converts it from the Stata file).

    Examples
    --------
    >>> ip = pb.read_ideal_points(pb.datasets.path("un-ideal-points"))
    >>> ip.coverage, len(ip)
    ((2014, 2016), 9)
    """
    return IdealPoints(_native.read_ideal_points(os.fspath(path)))
