"""Balance-of-power metrics: concentration and polarity, Morgenthau's equilibrium and coalitions,
and power transition (parity windows, crossovers, projected crossovers).

Every function returns a :class:`powerbalance.Table`.

Distributions (the concentration functions) are given as

- a dict ``{actor: value}``,
- a sequence of ``(actor, value)`` pairs, or
- a table (a :class:`powerbalance.Table`, or anything with ``__arrow_c_stream__``: pyarrow,
  polars, pandas via pyarrow) with an ``actor`` and a ``value`` column (names set by ``actor=`` and
  ``value=``); with ``by=`` (a column name or a list of them) the metric is computed for every
  group, e.g. every year, and the group columns lead the result. Rows whose value is missing are
  left out.

Values are any non-negative quantity (CINC, military expenditure, TIV); shares are
``s_i = x_i / sum_j x_j`` and ``N`` is the number of actors given. Series (the transition
functions) are given as a dict ``{year: value}``, a sequence of ``(year, value)`` pairs or a table
with ``year`` and ``value`` columns (as :meth:`powerbalance.Capabilities.series` returns); a
missing value is ``None``.

Examples
--------
>>> import powerbalance as pb
>>> pb.metrics.hhi({"USA": 50, "CHN": 30, "RUS": 20})["hhi"]
[0.38]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from .table import Table, _pyarrow

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "alignment",
    "alignment_dyad",
    "alignment_scores",
    "change_points",
    "client_dependence",
    "coalitions",
    "con",
    "concentration",
    "crossovers",
    "dependence_asymmetry",
    "entropy",
    "equilibrium",
    "fit_growth",
    "hhi",
    "net_exporter",
    "parity_windows",
    "peak",
    "poles",
    "project_crossover",
    "shares",
    "supplier_dependence",
    "triangle",
]

Distribution = Union[Mapping[str, float], Sequence[Tuple[str, float]], Any]
Series = Union[Mapping[int, Optional[float]], Sequence[Tuple[int, Optional[float]]], Any]
By = Union[None, str, Sequence[str]]


def _is_table(x: Any) -> bool:
    return isinstance(x, Table) or hasattr(x, "__arrow_c_stream__")


def _to_arrow(x: Any) -> pa.Table:
    return Table(x).to_arrow()


def _pairs(values: Distribution, actor: str, value: str) -> Tuple[List[str], List[float]]:
    if isinstance(values, Mapping):
        items = list(values.items())
    elif _is_table(values):
        t = _to_arrow(values)
        d = t.select([actor, value]).to_pydict()
        items = list(zip(d[actor], d[value]))
    else:
        items = [tuple(p) for p in values]
    names: List[str] = []
    vals: List[float] = []
    for n, v in items:
        if v is None:
            continue
        names.append(str(n))
        vals.append(float(v))
    return names, vals


#: A native metric of a distribution: ``fn(names, values) -> table``.
Metric = Callable[[List[str], List[float]], _native.ArrowTable]


def _grouped(fn: Metric, values: Distribution, by: By, actor: str, value: str) -> Table:
    """Apply ``fn(names, values) -> native table`` to the distribution, or to each group."""
    if by is None:
        return Table(fn(*_pairs(values, actor, value)))
    if not _is_table(values):
        raise TypeError("by= needs a table (with the group, actor and value columns)")
    keys = [by] if isinstance(by, str) else list(by)
    t = _to_arrow(values)
    d = t.select(keys + [actor, value]).to_pydict()
    groups: Dict[Tuple[Any, ...], Tuple[List[str], List[float]]] = {}
    for i in range(t.num_rows):
        v = d[value][i]
        g = tuple(d[k][i] for k in keys)
        names, vals = groups.setdefault(g, ([], []))
        if v is not None:
            names.append(str(d[actor][i]))
            vals.append(float(v))
    pa = _pyarrow()
    parts = []
    for g, (names, vals) in groups.items():
        r = Table(fn(names, vals)).to_arrow()
        for j, k in reversed(list(enumerate(keys))):
            typ = t.schema.field(k).type
            r = r.add_column(0, pa.field(k, typ), pa.array([g[j]] * r.num_rows, type=typ))
        parts.append(r)
    if not parts:
        raise ValueError("the table has no rows")
    return Table(pa.concat_tables(parts))


def _series(s: Series, what: str) -> Tuple[List[int], List[Optional[float]]]:
    if isinstance(s, Mapping):
        items = list(s.items())
    elif _is_table(s):
        d = _to_arrow(s).select(["year", "value"]).to_pydict()
        items = list(zip(d["year"], d["value"]))
    else:
        items = [tuple(p) for p in s]
    years = [int(y) for y, _ in items]
    vals = [None if v is None else float(v) for _, v in items]
    if not years:
        raise ValueError(f"series {what} is empty")
    return years, vals


def concentration(
    values: Distribution,
    *,
    rule: str = "relative",
    threshold: float = 0.5,
    by: By = None,
    actor: str = "actor",
    value: str = "value",
) -> Table:
    """All concentration measures of a distribution of power, one row (per group).

    - ``hhi = sum_i s_i^2`` (Hirschman 1945; Herfindahl 1950), in ``[1/N, 1]``;
    - ``con = sqrt((HHI - 1/N) / (1 - 1/N))`` (Ray & Singer 1973, "Measuring the Concentration of
      Power in the International System"; Singer, Bremer & Stuckey 1972), in ``[0, 1]``, 1 when
      ``N = 1``;
    - ``entropy = -(sum_i s_i ln s_i) / ln N`` (Shannon 1948; Mansfield 1994), in ``[0, 1]``, 0
      when ``N = 1``;
    - ``effective_poles = 1 / HHI`` (Laakso & Taagepera 1979);
    - ``poles``: the number of actors that are poles under ``rule`` (see :func:`poles`);
    - ``equilibrium_holds``: no actor has more than half the total (Morgenthau 1948).

    Returns
    -------
    Table
        ``[by...], n, hhi, con, entropy, effective_poles, poles, strongest, strongest_share,
        equilibrium_holds``.

    Examples
    --------
    >>> t = concentration({"USA": 50, "CHN": 30, "RUS": 20})
    >>> round(t["con"][0], 4), t["poles"][0]
    (0.2646, 2)
    """
    return _grouped(lambda n, v: _native.concentration(n, v, rule, float(threshold)), values, by, actor, value)


def _one(column: str, values: Distribution, by: By, actor: str, value: str) -> Table:
    t = concentration(values, by=by, actor=actor, value=value).to_pyarrow()
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    return Table(t.select(keys + ["n", column]))


def hhi(values: Distribution, *, by: By = None, actor: str = "actor", value: str = "value") -> Table:
    """Herfindahl-Hirschman index: ``HHI = sum_i s_i^2``, in ``[1/N, 1]``.

    1/N when all actors are equal, 1 when one holds everything (Hirschman 1945, *National Power
    and the Structure of Foreign Trade*; Herfindahl 1950).

    Returns
    -------
    Table
        ``[by...], n, hhi``.

    Examples
    --------
    >>> hhi({"USA": 50, "CHN": 30, "RUS": 20})["hhi"]
    [0.38]
    """
    return _one("hhi", values, by, actor, value)


def con(values: Distribution, *, by: By = None, actor: str = "actor", value: str = "value") -> Table:
    """The Ray-Singer-Stuckey concentration index: ``CON = sqrt((HHI - 1/N) / (1 - 1/N))``.

    In ``[0, 1]``: 0 when power is spread evenly, 1 when one actor holds it all (defined as 1 for
    ``N = 1``). Singer, Bremer & Stuckey (1972); Ray & Singer (1973), "Measuring the
    Concentration of Power in the International System", *Sociological Methods & Research* 1(4).

    Returns
    -------
    Table
        ``[by...], n, con``.

    Examples
    --------
    >>> round(con({"USA": 50, "CHN": 30, "RUS": 20})["con"][0], 6)
    0.264575
    """
    return _one("con", values, by, actor, value)


def entropy(values: Distribution, *, by: By = None, actor: str = "actor", value: str = "value") -> Table:
    """Normalised Shannon entropy: ``H = -(sum_i s_i ln s_i) / ln N``, with ``0 ln 0 = 0``.

    In ``[0, 1]``: 1 when power is spread evenly, 0 when one actor holds it all (defined as 0 for
    ``N = 1``). Shannon (1948); as a measure of the diffusion of power, Mansfield (1994), *Power,
    Trade and War*.

    Returns
    -------
    Table
        ``[by...], n, entropy``.

    Examples
    --------
    >>> round(entropy({"USA": 50, "CHN": 30, "RUS": 20})["entropy"][0], 6)
    0.937231
    """
    return _one("entropy", values, by, actor, value)


def shares(values: Distribution, *, by: By = None, actor: str = "actor", value: str = "value") -> Table:
    """Each actor's share of the total: ``s_i = x_i / sum_j x_j`` (they sum to 1).

    Returns
    -------
    Table
        ``[by...], actor, value, share``.

    Examples
    --------
    >>> shares({"USA": 50, "CHN": 30, "RUS": 20})["share"]
    [0.5, 0.3, 0.2]
    """
    return _grouped(_native.value_shares, values, by, actor, value)


def poles(
    values: Distribution,
    *,
    rule: str = "relative",
    threshold: float = 0.5,
    by: By = None,
    actor: str = "actor",
    value: str = "value",
) -> Table:
    """The poles of a distribution under a documented rule, largest first.

    ``rule="relative"``: a pole holds at least ``threshold`` times the largest share
    (``s_i >= f * s_max``; ``f = 0.5`` is Schweller's 1998 rule, *Deadly Imbalances*, that a pole
    has at least half the resources of the strongest state). ``rule="share"``: a pole holds at
    least ``threshold`` of the total (``s_i >= t``). The threshold lies in ``(0, 1]``.

    Returns
    -------
    Table
        ``[by...], rank, actor, share``.

    Examples
    --------
    >>> poles({"USA": 50, "CHN": 30, "RUS": 20}, rule="share", threshold=0.25)["actor"]
    ['USA', 'CHN']
    """
    return _grouped(lambda n, v: _native.poles(n, v, rule, float(threshold)), values, by, actor, value)


def coalitions(values: Distribution, *, by: By = None, actor: str = "actor", value: str = "value") -> Table:
    """Every coalition of a set of actors, with its combined share and whether it can balance.

    ``share_C = sum_{i in C} s_i``; ``exceeds_rest``: ``share_C > 1 - share_C``; ``C`` balances
    the strongest actor ``m`` when ``m`` is not in ``C`` and ``share_C >= s_m``; a minimal balancer
    balances and stops doing so when any one member leaves. Morgenthau (1948), *Politics Among
    Nations*, ch. 11-12. At most 20 actors.

    Returns
    -------
    Table
        ``[by...], coalition`` (members joined by `` + ``), ``size, share, rest_share, exceeds_rest,
        balances_strongest, minimal_balancer``.

    Examples
    --------
    >>> t = coalitions({"USA": 50, "CHN": 30, "RUS": 20})
    >>> t.filter(minimal_balancer=True)["coalition"]
    ['CHN + RUS']
    """
    return _grouped(_native.coalitions, values, by, actor, value)


def equilibrium(values: Distribution, *, by: By = None, actor: str = "actor", value: str = "value") -> Table:
    """Morgenthau's equilibrium condition: does any actor have more than all others combined?

    The balance holds while no actor has ``s_i > 1/2`` (Morgenthau 1948, *Politics Among
    Nations*); the minimal coalitions that can balance the strongest actor are listed (see
    :func:`coalitions`).

    Returns
    -------
    Table
        ``[by...], strongest, strongest_share, preponderant`` (null when none), ``holds,
        n_balancers, balancers`` (``; ``-separated coalitions).

    Examples
    --------
    >>> equilibrium({"USA": 60, "CHN": 25, "RUS": 15})["holds"]
    [False]
    """
    return _grouped(_native.equilibrium, values, by, actor, value)


def parity_windows(a: Series, b: Series, *, low: float = 0.8, high: float = 1.25) -> Table:
    """Parity windows: maximal runs of consecutive years with ``r_t = a_t / b_t`` in ``[low, high]``.

    Organski & Kugler (1980, *The War Ledger*) take 0.8-1.25 as parity, the default band. A year
    where either value is missing, or ``b_t`` is 0, breaks a window.

    Returns
    -------
    Table
        ``start, end, years, min_ratio, max_ratio``.

    Examples
    --------
    >>> parity_windows({2000: 1, 2001: 9, 2002: 10}, {2000: 10, 2001: 10, 2002: 10})["start"]
    [2001]
    """
    ay, av = _series(a, "a")
    by_, bv = _series(b, "b")
    return Table(_native.parity_windows(ay, av, by_, bv, float(low), float(high)))


def crossovers(a: Series, b: Series, *, names: Tuple[str, str] = ("a", "b")) -> Table:
    """Crossover years: each year in which the series strictly ahead changes.

    Compared on the years both series have a value; ties do not start or end a lead, so a
    crossover is dated to the first year the new leader is strictly ahead (the transition of
    Organski 1958, *World Politics*).

    Returns
    -------
    Table
        ``year, leader, trailer, previous_lead_year, a_value, b_value`` (leaders by ``names``).

    Examples
    --------
    >>> crossovers({1990: 1, 1991: 3}, {1990: 2, 1991: 2}, names=("CHN", "USA"))["leader"]
    ['CHN']
    """
    ay, av = _series(a, "a")
    by_, bv = _series(b, "b")
    return Table(_native.crossovers(names[0], ay, av, names[1], by_, bv))


def fit_growth(values: Series, start: int, end: int) -> Table:
    """Log-linear growth fitted by OLS over the years ``start..=end``: ``ln x_t = alpha + beta t``.

    ``growth = exp(beta) - 1`` is the fitted annual growth rate; ``slope_se`` the OLS standard
    error of ``beta``. Needs at least 3 positive values in the window.

    Returns
    -------
    Table
        ``fit_start, fit_end, n, intercept, slope, slope_se, growth``.

    Examples
    --------
    >>> round(fit_growth({2000: 1.0, 2001: 1.1, 2002: 1.21}, 2000, 2002)["growth"][0], 6)
    0.1
    """
    y, v = _series(values, "values")
    return Table(_native.fit_growth(y, v, int(start), int(end)))


def project_crossover(
    a: Series, b: Series, start: int, end: int, *, z: float = 1.96, names: Tuple[str, str] = ("a", "b")
) -> Table:
    """Project a future crossover of two series from log-linear growth fitted over
    the years ``start..=end``.

    Fit ``ln x_t = alpha + beta t`` to both series by OLS; with ``t0`` the window's last year, the
    fitted log gap ``g(t) = g0 + d (t - t0)`` (``d = beta_a - beta_b``) closes at
    ``t* = t0 - g0 / d``, a crossover when ``t* >= t0``. The band runs ``d`` over
    ``d +- z se(d)``, ``se(d) = sqrt(se_a^2 + se_b^2)``: a sensitivity range for the growth
    differential, not a forecast interval (it ignores the intercepts' uncertainty and serial
    correlation). Log-linear extrapolation as in power-transition forecasts (Tammen et al. 2000,
    *Power Transitions*).

    Returns
    -------
    Table
        ``fit_start, fit_end, n_a, n_b, growth_a, growth_b, slope_a, slope_se_a, slope_b,
        slope_se_b, gap_at_end, leader_at_end, crossover_year, earliest, latest, z``.

    Examples
    --------
    >>> a = {y: 1.0 * 1.10 ** (y - 2000) for y in range(2000, 2011)}
    >>> b = {y: 4.0 * 1.02 ** (y - 2000) for y in range(2000, 2011)}
    >>> round(project_crossover(a, b, 2000, 2010, names=("CHN", "USA"))["crossover_year"][0])
    2018
    """
    ay, av = _series(a, "a")
    by_, bv = _series(b, "b")
    return Table(_native.project_crossover(names[0], ay, av, names[1], by_, bv, int(start), int(end), float(z)))


# -- dependence, change points, strategic triangles ------------------------------------------------


def _led(ledger: Any) -> Any:
    return ledger.native if hasattr(ledger, "native") else ledger


def supplier_dependence(
    ledger: Any, recipient: str, start: int, end: int, *, supplier: Optional[str] = None, block: Optional[int] = None
) -> Table:
    """A recipient's dependence on its suppliers, by year (or by blocks of ``block`` years).

    Supplier dependence of recipient ``r`` on supplier ``s``: ``D_rs = TIV_sr / sum_k TIV_kr``;
    with no ``supplier``, the largest supplier's share and the HHI of the recipient's suppliers,
    ``HHI_r = sum_k (TIV_kr / sum_j TIV_jr)^2`` (Hirschman 1945; arms-trade dependence as in
    Kinsella 1998, "Arms Transfer Dependence and Foreign Policy Conflict", *Journal of Peace
    Research* 35).

    Parameters
    ----------
    ledger : Ledger
        The transfers (a :class:`powerbalance.Ledger`).
    recipient : str
        The recipient (any known spelling).
    start, end : int
        The period, both years included (inside the ledger's coverage).
    supplier : str, optional
        The supplier whose share is given; the largest supplier of each year or block when None.
    block : int, optional
        Sum over blocks of ``block`` years from ``start`` instead of single years.

    Returns
    -------
    Table
        ``start, end, recipient, supplier, tiv, total, share, hhi, n_partners``.

    Examples
    --------
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
    >>> supplier_dependence(led, "China", 2016, 2018).select(["start", "supplier", "tiv", "share", "hhi"])
    Table: 3 rows x 5 columns
    start  supplier  tiv   share  hhi
     2016  Russia    160  100.0%    1
     2017  Russia    400  100.0%    1
     2018  Russia    400  100.0%    1
    """
    return Table(_native.supplier_dependence(_led(ledger), recipient, int(start), int(end), supplier, block))


def client_dependence(
    ledger: Any, supplier: str, start: int, end: int, *, client: Optional[str] = None, block: Optional[int] = None
) -> Table:
    """A supplier's dependence on its clients (market dependence): ``M_sr = TIV_sr / sum_k TIV_sk``,
    by year or block, with the HHI of the supplier's clients (Hirschman 1945).

    The arguments mirror :func:`supplier_dependence` (``client`` for ``supplier``).

    Returns
    -------
    Table
        ``start, end, supplier, client, tiv, total, share, hhi, n_partners``.

    Examples
    --------
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
    >>> client_dependence(led, "Russia", 2016, 2020, block=5)
    Table: 1 row x 9 columns
    start   end  supplier  client  tiv  total  share     hhi  n_partners
     2016  2020  Russia    China   960  1,690  56.8%  0.4168           3
    """
    return Table(_native.client_dependence(_led(ledger), supplier, int(start), int(end), client, block))


def dependence_asymmetry(
    ledger: Any, supplier: str, recipient: str, start: int, end: int, *, block: Optional[int] = None
) -> Table:
    """The asymmetry of a dyad's dependence, by year or block (Hirschman 1945):
    ``asymmetry = D_rs - M_sr``, the recipient's dependence on the supplier
    (:func:`supplier_dependence`) minus the supplier's dependence on the recipient's market
    (:func:`client_dependence`). Positive: the recipient needs the supplier more than the
    supplier needs it.

    Returns
    -------
    Table
        ``start, end, tiv, recipient_dependence, supplier_dependence, asymmetry``.

    Examples
    --------
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
    >>> dependence_asymmetry(led, "Russia", "China", 2017, 2018)
    Table: 2 rows x 6 columns
    start   end  tiv  recipient_dependence  supplier_dependence  asymmetry
     2017  2017  400                     1                    1          0
     2018  2018  400                     1                  0.5        0.5
    """
    return Table(_native.dependence_asymmetry(_led(ledger), supplier, recipient, int(start), int(end), block))


def net_exporter(ledger: Any, actor: str, start: Optional[int] = None, end: Optional[int] = None) -> Table:
    """An actor's exports, imports and net exporter status by year: ``net = exports - imports``
    (TIV), a net exporter when ``net > 0`` (SIPRI Arms Transfers Database).

    Returns
    -------
    Table
        ``year, exports, imports, net, net_exporter, status`` (``exporter``, ``importer``,
        ``balanced`` when both are equal and non-zero, ``none`` without trade).

    Examples
    --------
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
    >>> net_exporter(led, "Russia", 2016, 2017)
    Table: 2 rows x 6 columns
    year  exports  imports  net  net_exporter  status
    2016      160        0  160  yes           exporter
    2017      400        0  400  yes           exporter
    """
    return Table(_native.net_exporter(_led(ledger), actor, start, end))


def peak(values: Series) -> Table:
    """The peak (largest value, earliest on ties) of an annual series: ``year, value``.

    Examples
    --------
    >>> peak({2000: 1.0, 2001: 3.0, 2002: 2.0})["year"]
    [2001]
    """
    y, v = _series(values, "values")
    return Table(_native.peak(y, v))


def change_points(
    values: Series, *, min_segment: int = 2, penalty: float = 2.0, max_changes: Optional[int] = None
) -> Table:
    """Change points of an annual series: the segmentation into runs of constant mean that
    minimises the residual sum of squares plus ``penalty * ln(n)`` per change (a BIC-type
    penalty; optimal partitioning, Jackson et al. 2005).

    Returns
    -------
    Table
        One row per segment: ``segment, start, end, n, mean, change`` (whether the segment
        starts a change), ``peak_year, peak_value`` (of the whole series).

    Examples
    --------
    >>> change_points({2000 + i: v for i, v in enumerate([1, 1, 1, 1, 5, 5, 5, 5])})
    Table: 2 rows x 8 columns
    segment  start   end  n  mean  change  peak_year  peak_value
          1   2000  2003  4     1  no           2004           5
          2   2004  2007  4     5  yes          2004           5
    """
    y, v = _series(values, "values")
    return Table(_native.change_points(y, v, int(min_segment), float(penalty), max_changes))


def triangle(
    actors: Tuple[str, str, str],
    ab: Series,
    bc: Series,
    ca: Series,
    *,
    positive: float = 0.0,
    negative: float = 0.0,
) -> Table:
    """A strategic triangle over the years from the pairwise relation scores of ``A-B``, ``B-C``
    and ``C-A``: each year classified in Dittmer's (1981, "The Strategic Triangle", *World
    Politics* 33) types (menage a trois, romantic triangle with its pivot, stable marriage with its
    pariah, unit veto) and checked for Heider (1946) balance. A score at or above ``positive`` is a
    positive tie, below ``negative`` a negative one, in between neutral (unclassified).

    Examples
    --------
    >>> t = triangle(("USA", "CHN", "RUS"), {2016: -1.0}, {2016: 1.0}, {2016: -1.0})
    >>> t["type"], t["actor"]
    (['stable marriage'], ['USA'])
    """
    ya, va = _series(ab, "ab")
    yb, vb = _series(bc, "bc")
    yc, vc = _series(ca, "ca")
    years = sorted(set(ya) | set(yb) | set(yc))
    ma, mb, mc = dict(zip(ya, va)), dict(zip(yb, vb)), dict(zip(yc, vc))
    return Table(
        _native.triangle_series(
            (actors[0], actors[1], actors[2]),
            years,
            [ma.get(y) for y in years],
            [mb.get(y) for y in years],
            [mc.get(y) for y in years],
            float(positive),
            float(negative),
        )
    )


# ---------------------------------------------------------------------------------------------
# alignment

_ALIGNMENT_DOC = """
    The measures, all from the 4 x 4 contingency table ``n[a][b]`` of the two states' alliance
    portfolios (their levels toward every member k of the system: 3 defense, 2 neutrality or
    nonaggression, 1 entente or consultation, 0 none, 3 toward itself; Bueno de Mesquita 1975),
    counted or weighted by CINC; ``D_o = sum n[a][b] d(a, b) / N``:

    - ``s_binary``, ``s_valued``: Signorino & Ritter's (1999) ``S = 1 - 2 D_o``, with ``d`` the
      allied/not-allied disagreement or ``|a - b| / 3`` (``distance="squared"``: its square);
      ``*_weighted``: each member weighted by its CINC;
    - ``kappa``, ``pi`` (and weighted): Hage's (2011) chance-corrected ``1 - D_o / D_e`` on the
      valued scale, ``D_e`` from each state's own level distribution (Cohen's kappa) or from the
      pooled one (Scott's pi); null when ``D_e = 0``;
    - ``tau_b``: Kendall's tau-b of the table (Bueno de Mesquita 1975), from concordant and
      discordant pairs of cells, not pairs of members (linear per dyad-year).

    Identical portfolios give 1; S and tau-b lie in [-1, 1], kappa and pi at most 1; all are
    symmetric in the two states.
"""


def alignment(
    alliances: Any,
    capabilities: Any,
    start: Optional[int] = None,
    end: Optional[int] = None,
    *,
    states: Optional[Sequence[Union[str, int]]] = None,
    distance: str = "absolute",
) -> Table:
    """Every alignment measure for every pair of states by year: binary and valued S,
    unweighted and capability-weighted, Hage's kappa and pi, tau-b.

    The system of a year (the portfolios' members) is the states with an NMC row in
    ``capabilities`` that year, weighted by their CINC (0 where missing); the levels come from
    ``alliances`` (:func:`powerbalance.read_alliances`; ATOP is read as each state's own
    obligations). ``start, end`` default to the alliance file's years and must lie within both
    files. ``states`` (names or COW codes) restricts the pairs; a listed state that is not a
    member in a year gets nulls.
    MEASURES
    Returns
    -------
    Table
        ``ccode1, ccode2, year, n_states, s_binary, s_valued, s_binary_weighted,
        s_valued_weighted, kappa, pi, kappa_weighted, pi_weighted, tau_b``.

    Examples
    --------
    Outside the years both files cover there is no value (the fixture NMC holds 2015-2016, the
    fixture alliances 2011-2012):

    >>> p = pb.datasets.path
    >>> al, caps = pb.read_alliances(p("cow-alliances")), pb.read_nmc(p("cow-nmc-v6"))
    >>> alignment(al, caps, 2012, 2012)
    Traceback (most recent call last):
    ...
    powerbalance.errors.CoverageError: NMC 6.0 covers 2015-2016; the query asks for 2012, ...
    """
    return Table(
        _native.alignment(
            alliances.native,
            capabilities.native,
            start,
            end,
            None if states is None else [str(s) for s in states],
            distance,
        )
    )


def alignment_dyad(
    alliances: Any,
    capabilities: Any,
    a: Union[str, int],
    b: Union[str, int],
    start: Optional[int] = None,
    end: Optional[int] = None,
    *,
    distance: str = "absolute",
) -> Table:
    """Every alignment measure of one pair of states by year (as :func:`alignment`).

    Returns
    -------
    Table
        ``ccode1, ccode2, year, n_states`` and the measures of :func:`alignment`.
    """
    return Table(_native.alignment_dyad(alliances.native, capabilities.native, str(a), str(b), start, end, distance))


def alignment_scores(
    x: Sequence[int],
    y: Sequence[int],
    *,
    weights: Optional[Sequence[float]] = None,
    distance: str = "absolute",
) -> Table:
    """Every alignment measure of two portfolios given as levels 0-3, one per member of the
    system (``weights``, e.g. CINC, give the weighted variants).
    MEASURES
    Returns
    -------
    Table
        One row: ``n_states`` and the measures of :func:`alignment`.

    Examples
    --------
    Five members; ``x`` and ``y`` disagree by one level on three of them, so ``D_o = 1/5`` and
    ``S = 3/5``; tau-b has 7 concordant and 1 discordant pair of the 10: ``6 / 9``.

    >>> t = alignment_scores([3, 2, 0, 0, 1], [2, 3, 0, 1, 1])
    >>> [round(v, 4) for v in t.to_arrow().select(["s_valued", "s_binary", "tau_b"]).to_pylist()[0].values()]
    [0.6, 0.6, 0.6667]
    >>> alignment_scores([3, 1, 0], [3, 1, 0])["kappa"]
    [1.0]
    """
    return Table(
        _native.alignment_scores(
            [int(v) for v in x], [int(v) for v in y], None if weights is None else [float(w) for w in weights], distance
        )
    )


for _f in (alignment, alignment_scores):
    _f.__doc__ = (_f.__doc__ or "").replace("    MEASURES\n", _ALIGNMENT_DOC)
del _f


def __dir__() -> List[str]:
    # `dir(pb.metrics)` lists the metrics, not the names this module imports (typing, pyarrow, Table)
    return sorted(__all__)
