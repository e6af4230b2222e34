"""The paper's claims tested on data: one computation and one verdict per claim and release.

Every claim of the paper that data can test has a stable id (``T1``, ``F1``, ``A1`` ... ``A19``,
``P1`` ... ``P7``). The paper's words, its figure and where the paper says it are in the paper's
claims file (``claims.csv`` beside this module, read by :func:`claim_list`); this module holds
the tolerance and the computation that tests each claim. :func:`evaluate` runs every claim on
every data release it applies to and returns one row per claim and release, with a verdict:

``consistent``
    the data give the paper's figure within the tolerance;
``inconsistent``
    they do not (a finding about the paper, not a bug);
``not testable``
    the data cannot test the claim, and ``note`` says why (a financial value where SIPRI gives
    a volume index, a qualitative judgement, a breakdown the data do not have).

Tolerances are stated per claim. A figure the paper rounds to an integer per cent gets half a
unit (0.5 percentage points, pp); a figure in millions of US$ cited from CSIS is compared with
SIPRI TIV within 5 %, since TIV is a volume index priced in constant 1990 US$, not a financial
value (SIPRI, "Sources and methods").

Data: the named data sets of :data:`DATASETS`, found in the data home
(:func:`powerbalance.datasets.data_home`): SIPRI Arms Transfers Database, trend-indicator values
(TIV, millions), in the releases of 2021 (import totals only), 2022 (TIV tables), 2024 and 2026
(registers); COW National Material Capabilities 6.0 and 7.0; SIPRI military expenditure;
Maddison Project 2023; UN General Assembly ideal points; the countrycode code list.
"""

from __future__ import annotations

import csv
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

import pyarrow as pa

from .importers import _TABLE1_ROWS, compare_table1, shown_share

__all__ = [
    "Claim",
    "ClaimText",
    "Vintage",
    "CLAIMS",
    "CLAIM_IDS",
    "CLAIMS_FILE",
    "COLUMNS",
    "DATASETS",
    "KINDS",
    "claim_list",
    "claim_texts",
    "vintages",
    "evaluate",
    "vintage_changes",
    "SIPRI_SERIES",
]

CONSISTENT = "consistent"
INCONSISTENT = "inconsistent"
NOT_TESTABLE = "not testable"

CLAIMS_FILE: Path = Path(__file__).with_name("claims.csv")
"""The paper's claims file: one row per claim id with the paper's words (``claim``), the paper's
figure (``paper_figure``), where the paper says it (``where``: section, paragraph, footnote) and
the kind of verdict (``kind``, one of :data:`KINDS`). Shipped in the wheel with the package."""

KINDS: Dict[str, str] = {
    "table": "a table of figures, compared row by row",
    "figure": "a chart, recomputed",
    "range": "every value of a series inside a printed range",
    "value": "an amount (money, TIV) within a relative tolerance",
    "share": "a percentage within half a printed unit",
    "rank": "a position in a ranking, exact",
    "count": "a number of items or years",
    "order": "who came first",
    "direction": "the sign of a change or trend",
    "comparison": "one quantity against another",
    "classification": "a structure (poles, a triangle) classified from shares or distances",
    "forecast": "a statement about the future: the trend so far is shown, not tested",
    "qualitative": "a judgement the data cannot test; the relevant figures are shown",
}
"""The kinds of verdict of the claims file's ``kind`` column."""

_CLAIM_COLUMNS = ["id", "claim", "paper_figure", "where", "kind"]


@dataclass(frozen=True)
class ClaimText:
    """One row of the paper's claims file: the paper's words, figure and place, and the kind of verdict."""

    id: str
    claim: str
    paper_figure: str
    where: str
    kind: str


@functools.lru_cache(maxsize=1)
def _read_claims_file() -> Tuple[ClaimText, ...]:
    """Read and check the paper's claims file (UTF-8 CSV, header ``id,claim,paper_figure,where,kind``)."""
    from ..errors import PowerbalanceError

    with CLAIMS_FILE.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, None)
        if header != _CLAIM_COLUMNS:
            raise PowerbalanceError(f"{CLAIMS_FILE}: line 1: header {header!r}, expected {_CLAIM_COLUMNS!r}")
        out: List[ClaimText] = []
        seen = set()
        for row in reader:
            line = reader.line_num
            if len(row) != len(_CLAIM_COLUMNS):
                raise PowerbalanceError(
                    f"{CLAIMS_FILE}: line {line}: {len(row)} fields, expected {len(_CLAIM_COLUMNS)}"
                )
            c = ClaimText(*(x.strip() for x in row))
            if not all((c.id, c.claim, c.paper_figure, c.where)):
                raise PowerbalanceError(f"{CLAIMS_FILE}: line {line}: claim {c.id or '?'} has an empty field")
            if c.kind not in KINDS:
                raise PowerbalanceError(
                    f"{CLAIMS_FILE}: line {line}: claim {c.id}: unknown kind {c.kind!r} (one of {', '.join(KINDS)})"
                )
            if c.id in seen:
                raise PowerbalanceError(f"{CLAIMS_FILE}: line {line}: claim {c.id} repeated")
            seen.add(c.id)
            out.append(c)
    return tuple(out)


def claim_texts() -> Dict[str, ClaimText]:
    """The paper's claims file as ``{id: ClaimText}``, in the file's order.

    Examples
    --------
    >>> claim_texts()["A15"].paper_figure
    '47.7% (2006), 13.7% (2018)'
    """
    return {c.id: c for c in _read_claims_file()}


def claim_list() -> Any:
    """The paper's claims file as a :class:`powerbalance.Table`: ``id, claim, paper_figure, where, kind``.

    Needs no data: it is what the paper says, typed from its text.

    Examples
    --------
    >>> t = claim_list().to_pylist()
    >>> t[0]["id"], t[0]["kind"]
    ('T1', 'table')
    """
    from ..table import Table

    rows = [c.__dict__ for c in _read_claims_file()]
    return Table(pa.Table.from_pylist(rows, schema=pa.schema([(c, pa.string()) for c in _CLAIM_COLUMNS])))


#: The data sets :func:`evaluate` (and ``powerbalance replicate``) reads, by registry name.
DATASETS: Tuple[str, ...] = (
    "sipri-totals-2021",
    "sipri-tables-2022",
    "sipri-register-2024",
    "sipri-register-2026",
    "cow-nmc-v6",
    "cow-nmc-v7",
    "sipri-milex",
    "maddison-2023",
    "un-ideal-points",
    "country-codes",
)


@dataclass(frozen=True)
class Vintage:
    """One SIPRI release: its label, data set, where it is read from and whether it is dyadic."""

    label: str
    path: Path
    dyadic: bool
    description: str
    dataset: str
    home: Path


_VINTAGES = [
    (
        "2021",
        "sipri-totals-2021",
        False,
        "import totals by recipient, extracted Mar-May 2021 (the paper's own release)",
    ),
    ("2022", "sipri-tables-2022", True, "TIV tables by supplier, generated 28 July 2022"),
    ("2024", "sipri-register-2024", True, "trade register (per delivery year), generated April 2024"),
    ("2026", "sipri-register-2026", True, "trade register (per delivery year), generated 12 Feb 2026; starts in 1995"),
]


def vintages(data_home: Optional[os.PathLike[str] | str] = None) -> List[Vintage]:
    """The SIPRI releases the claims are tested on, oldest first, in the data home.

    ``data_home`` follows the one data-home rule (:func:`powerbalance.datasets.data_home`).
    The paths may not exist yet: :func:`evaluate` checks them with
    :func:`powerbalance.datasets.require`.
    """
    from .. import datasets

    home = datasets.data_home(data_home)
    return [
        Vintage(lbl, datasets.path(name, data_home=home), dy, desc, name, home) for lbl, name, dy, desc in _VINTAGES
    ]


@dataclass(frozen=True)
class Claim:
    """A claim's test: id, tolerance, method and computation (its words are in the claims file)."""

    id: str
    tolerance: str
    method: str
    # compute(ledger, vintage) -> (computed_value text, verdict, note)
    compute: Callable[[Any, Vintage], Tuple[str, str, str]] = field(repr=False)
    needs_dyadic: bool = True


# ---------------------------------------------------------------------------------------------
# helpers over the Python Ledger API


def _series(ledger: Any, supplier: str, recipient: str, start: int, end: int) -> Dict[int, Dict[str, Any]]:
    t = pa.table(ledger.dyad(supplier, recipient, start=start, end=end)).to_pylist()
    return {r["year"]: r for r in t}


def _share_of_exporters(ledger: Any, start: int, end: int) -> Dict[str, Tuple[int, float]]:
    t = pa.table(ledger.exporters(start, end, clients=0)).to_pylist()
    return {r["supplier"]: (r["rank"], r["share"]) for r in t}


def _name(ledger: Any, actor: str) -> str:
    return str(ledger.resolve(actor))


def _within(paper: float, computed: float, tol: float) -> str:
    return CONSISTENT if abs(paper - computed) <= tol + 1e-9 else INCONSISTENT


def _covers(ledger: Any, start: int, end: int) -> bool:
    span = ledger.span
    return span is not None and span[0] <= start and span[1] >= end


def _needs(ledger: Any, v: Vintage, start: int, end: int) -> Optional[Tuple[str, str, str]]:
    if not _covers(ledger, start, end):
        s = ledger.span
        return ("", NOT_TESTABLE, f"the {v.label} release at hand covers {s[0]}-{s[1]}, not {start}-{end}")
    return None


# ---------------------------------------------------------------------------------------------
# the claims


def _a1(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 1999, 2006)) is not None:
        return m
    s = _series(L, "Russia", "China", 1999, 2006)
    shares = [100 * (s[y]["share_of_supplier_exports"] or 0.0) for y in range(1999, 2007)]
    china = _name(L, "China")
    first = []
    for y in range(1999, 2007):
        top = pa.table(L.clients("Russia", y, y)).to_pylist()
        first.append(bool(top) and top[0]["recipient"] == china)
    lo, hi = min(shares), max(shares)
    verdict = CONSISTENT if (lo >= 33.5 and hi <= 60.5 and all(first)) else INCONSISTENT
    years_not_first = [y for y, f in zip(range(1999, 2007), first) if not f]
    note = "China first client every year" if all(first) else f"China not the first client in {years_not_first}"
    return (f"{lo:.1f}-{hi:.1f}% (yearly shares {', '.join(f'{x:.1f}' for x in shares)})", verdict, note)


def _a2(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2001, 2009)) is not None:
        return m
    s = _series(L, "Russia", "China", 2001, 2009)
    total = sum(s[y]["tiv"] for y in range(2001, 2010))
    ch = 100 * (s[2008]["tiv"] - s[2007]["tiv"]) / s[2007]["tiv"] if s[2007]["tiv"] else float("nan")
    verdict = INCONSISTENT if ch > -18 + 5 else CONSISTENT
    return (
        f"TIV sum 2001-09 = {total:,.0f} m; 2008 vs 2007 = {ch:+.0f}%",
        verdict,
        "the $16 bn is a financial value, which TIV (a volume index) cannot test; the 2008 change "
        "in volume can be tested (tolerance 5 points)",
    )


def _a4(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2013, 2018)) is not None:
        return m
    p = pa.table(L.clients("Russia", 2013, 2017)).to_pylist()
    china = _name(L, "China")
    share = next((100 * r["share"] for r in p if r["recipient"] == china), 0.0)
    s = _series(L, "Russia", "China", 2017, 2018)
    y17 = 100 * (s[2017]["share_of_supplier_exports"] or 0)
    y18 = 100 * (s[2018]["share_of_supplier_exports"] or 0)
    return (
        f"{share:.1f}% in 2013-17 (single years: 2017 {y17:.1f}%, 2018 {y18:.1f}%)",
        _within(12, share, 0.5),
        "read as SIPRI's five-year share 2013-17, the figure published in 2018",
    )


def _a5(L: Any, v: Vintage) -> Tuple[str, str, str]:
    out = []
    verdicts = []
    for a, b in ((2007, 2011), (2016, 2020)):
        if not _covers(L, a, b):
            continue
        ex = _share_of_exporters(L, a, b)
        rank = ex.get(_name(L, "Russia"), (None, 0))[0]
        top = min(ex.items(), key=lambda kv: kv[1][0])[0]
        out.append(f"{a}-{b}: Russia rank {rank}, first {top}")
        verdicts.append(rank == 2 and top == _name(L, "United States"))
    if not out:
        return ("", NOT_TESTABLE, "the release does not cover 2007-11 or 2016-20")
    return ("; ".join(out), CONSISTENT if all(verdicts) else INCONSISTENT, "")


def _a11(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2008, 2018)) is not None:
        return m
    ex = pa.table(L.exporters(2008, 2018, clients=0)).to_pylist()
    china = _name(L, "China")
    row = next(r for r in ex if r["supplier"] == china)
    ahead = [r["supplier"] for r in ex if r["rank"] < row["rank"]]
    return (
        f"rank {row['rank']} (behind {', '.join(ahead)}); TIV {row['tiv']:,.0f} m",
        CONSISTENT if row["rank"] == 5 else INCONSISTENT,
        "rank tested; the $15.7 bn is a financial value that TIV cannot test",
    )


def _a12(L: Any, v: Vintage) -> Tuple[str, str, str]:
    end = min(2020, (L.span or (0, 0))[1])
    if (m := _needs(L, v, 2011, end)) is not None:
        return m
    t = pa.table(L.series("China", start=2011, end=end)).to_pylist()
    net = [r["year"] for r in t if r["net_exports"] > 0]
    n = len(t)
    return (
        f"net exporter in {len(net)} of {n} years 2011-{end} ({', '.join(map(str, net)) or 'none'})",
        CONSISTENT if len(net) > n / 2 else INCONSISTENT,
        "most = more than half the years",
    )


def _a13(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2000, 2009)) is not None:
        return m
    s = _series(L, "Russia", "China", 2000, 2009)
    vals = {y: s[y]["tiv"] for y in range(2000, 2010)}
    mean = sum(vals.values()) / 10
    peak = max(vals, key=lambda y: vals[y])
    ok = abs(mean - 2600) / 2600 <= 0.05 and peak == 2005 and abs(vals[peak] - 3200) / 3200 <= 0.05
    return (
        f"mean 2000-09 = {mean:,.0f} m/yr; peak {vals[peak]:,.0f} m in {peak}",
        CONSISTENT if ok else INCONSISTENT,
        f"mean {100 * (mean - 2600) / 2600:+.0f}% against the paper; peak {100 * (vals[peak] - 3200) / 3200:+.0f}%",
    )


def _a14(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2010, 2018)) is not None:
        return m
    s = _series(L, "Russia", "China", 2010, 2018)
    mean = sum(s[y]["tiv"] for y in range(2010, 2019)) / 9
    return (
        f"mean 2010-18 = {mean:,.0f} m/yr",
        CONSISTENT if abs(mean - 816) / 816 <= 0.05 else INCONSISTENT,
        f"{100 * (mean - 816) / 816:+.1f}% against the paper",
    )


def _a15(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2006, 2018)) is not None:
        return m
    s = _series(L, "Russia", "China", 2006, 2018)
    a = 100 * (s[2006]["share_of_supplier_exports"] or 0)
    b = 100 * (s[2018]["share_of_supplier_exports"] or 0)
    near = [y for y in range(2006, 2019) if abs(100 * (s[y]["share_of_supplier_exports"] or 0) - 13.7) <= 1.0]
    verdict = CONSISTENT if abs(a - 47.7) <= 0.5 and abs(b - 13.7) <= 0.5 else INCONSISTENT
    return (
        f"2006: {a:.1f}%; 2018: {b:.1f}%",
        verdict,
        f"years with a share within 1 pp of 13.7%: {near or 'none'}",
    )


def _a16(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2007, 2011)) is not None:
        return m
    ex = _share_of_exporters(L, 2007, 2011)
    paper = {"United States": 30, "Russia": 24, "Germany": 9, "France": 8, "United Kingdom": 4}
    parts, bad = [], []
    for a, pv in paper.items():
        got = 100 * ex.get(_name(L, a), (None, 0.0))[1]
        parts.append(f"{a} {got:.1f}")
        if abs(got - pv) > 0.5:
            bad.append(f"{a} {got:.1f} vs {pv}")
    return ("2007-11: " + ", ".join(parts) + "%", CONSISTENT if not bad else INCONSISTENT, "; ".join(bad))


def _a17(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2016, 2020)) is not None:
        return m
    out, bad = [], []
    for rec, pv in (("China", 77), ("India", 49)):
        t = pa.table(L.suppliers(rec, 2016, 2020)).to_pylist()
        ru = next((100 * r["share"] for r in t if r["supplier"] == _name(L, "Russia")), 0.0)
        out.append(f"{rec} from Russia {ru:.1f}%")
        if abs(ru - pv) > 0.5:
            bad.append(f"{rec} {ru:.1f} vs {pv}")
    # the "alternative clients" half: Russia's exports without China
    cl = pa.table(L.clients("Russia", 2016, 2020)).to_pylist()
    china = next((r["share"] for r in cl if r["recipient"] == _name(L, "China")), 0.0)
    n_other = sum(1 for r in cl if r["recipient"] != _name(L, "China") and r["tiv"] > 0)
    out.append(f"China {100 * china:.1f}% of Russia's exports, {n_other} other clients")
    return ("; ".join(out), CONSISTENT if not bad else INCONSISTENT, "; ".join(bad))


def _a18(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2000, 2020)) is not None:
        return m
    t = {r["year"]: r["imports"] for r in pa.table(L.series("China", start=2000, end=2020)).to_pylist()}
    before = sum(t[y] for y in range(2000, 2007)) / 7
    after = sum(t[y] for y in range(2007, 2021)) / 14
    return (
        f"China's imports: mean {before:,.0f} m/yr 2000-06, {after:,.0f} m/yr 2007-20",
        CONSISTENT if after < before else INCONSISTENT,
        "the cause (domestic production) is not testable from transfer data",
    )


def _a19(L: Any, v: Vintage) -> Tuple[str, str, str]:
    span = L.span
    start = max(1992, span[0])
    end = span[1]
    c = _series(L, "Russia", "China", start, end)
    i = _series(L, "Russia", "India", start, end)
    lead = {y: ("India" if i[y]["tiv"] > c[y]["tiv"] else "China") for y in range(start, end + 1)}
    switches = [y for y in range(start + 1, end + 1) if lead[y] != lead[y - 1]]
    tc = sum(c[y]["tiv"] for y in c)
    ti = sum(i[y]["tiv"] for y in i)
    return (
        f"{start}-{end}: Russia->China {tc:,.0f} m, Russia->India {ti:,.0f} m; larger client by year "
        f"switches in {switches}; {lead[end]} larger in {end}",
        NOT_TESTABLE,
        "'more advanced weapons' is a judgement of quality that TIV volumes cannot test; the volumes are shown",
    )


@functools.lru_cache(maxsize=4)
def _asia_pacific(home: Path) -> Dict[str, bool]:
    """ISO3 -> in SIPRI's "Asia and Oceania": the UN's Asia without Western Asia and Iran (SIPRI
    counts both in the Middle East), plus Oceania (countrycode's UN regions)."""
    import pyarrow.csv as pacsv

    from .. import datasets

    t = pacsv.read_csv(
        datasets.path("country-codes", data_home=home, file="countrycode_codelist.csv"),
        convert_options=pacsv.ConvertOptions(
            column_types={c: pa.string() for c in ("iso3c", "un.region.name", "un.regionsub.name")},
            include_columns=["iso3c", "un.region.name", "un.regionsub.name"],
        ),
    )
    out: Dict[str, bool] = {}
    for r in t.to_pylist():
        iso, reg, sub = r["iso3c"], r["un.region.name"], r["un.regionsub.name"]
        if iso:
            out[iso] = (reg == "Asia" and sub != "Western Asia" and iso != "IRN") or reg == "Oceania"
    return out


def _a6(L: Any, v: Vintage) -> Tuple[str, str, str]:
    import powerbalance as pb

    if (m := _needs(L, v, 2005, 2009)) is not None:
        return m
    region = _asia_pacific(v.home)
    share = 0.0
    named: List[str] = []
    for r in pa.table(L.clients("Russia", 2005, 2009)).to_pylist():
        iso = pb.actor(r["recipient"]).get("iso3")
        if iso and region.get(iso, False):
            share += r["share"]
            if len(named) < 5:
                named.append(f"{r['recipient']} {100 * r['share']:.0f}%")
    return (
        f"{100 * share:.1f}% of Russia's exports 2005-09 went to Asia and Oceania ({', '.join(named)}, ...)",
        CONSISTENT if share > 2 / 3 else INCONSISTENT,
        "Asia-Pacific read as SIPRI's 'Asia and Oceania': UN Asia without Western Asia and Iran, plus Oceania",
    )


def _a7(L: Any, v: Vintage) -> Tuple[str, str, str]:
    import pyarrow.compute as pc

    if (m := _needs(L, v, 2005, 2009)) is not None:
        return m
    e = pa.table(L.entries())
    russia = str(L.resolve("Russia"))
    keep = pc.and_(
        pc.equal(e["supplier"], russia), pc.and_(pc.greater_equal(e["year"], 2005), pc.less_equal(e["year"], 2009))
    )
    t = e.filter(keep)
    cats = t["category"].to_pylist()
    if all(c is None or c == "" for c in cats):
        return (
            "",
            NOT_TESTABLE,
            f"the {v.label} release at hand has no armament categories (TIV tables); the registers have them",
        )
    total = sum(t["tiv"].to_pylist())
    by: Dict[str, float] = {}
    for c, x in zip(cats, t["tiv"].to_pylist()):
        by[c or "?"] = by.get(c or "?", 0.0) + x
    air = by.get("Aircraft", 0.0) / total if total else 0.0
    top = sorted(by.items(), key=lambda kv: -kv[1])[:3]
    return (
        f"aircraft {100 * air:.1f}% of Russia's exports 2005-09 (largest categories: "
        + ", ".join(f"{k} {100 * x / total:.0f}%" for k, x in top)
        + ")",
        _within(40, 100 * air, 5.0),
        "tolerance 5 points: the paper's 40% is a rounded figure from a 2010 article",
    )


def _a3(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 2002, 2019)) is not None:
        return m
    rows = pa.table(L.series("Russia", start=2002, end=2019)).to_pylist()
    t: Dict[int, float] = {r["year"]: r["exports"] for r in rows}

    def mean(a: int, b: int) -> float:
        return sum(t[y] for y in range(a, b + 1)) / (b - a + 1)

    m1, m2, m3 = mean(2002, 2006), mean(2007, 2009), mean(2010, 2014)
    declined, rose = m2 < m1, m3 > m2
    return (
        f"Russia's exports: mean {m1:,.0f} m/yr 2002-06, {m2:,.0f} 2007-09, {m3:,.0f} 2010-14",
        CONSISTENT if declined and rose else INCONSISTENT,
        (
            "a decline after 2006 and a rise in the 2010s"
            if declined and rose
            else f"{'no decline after 2006' if not declined else 'a decline after 2006'}; "
            f"{'a rise' if rose else 'no rise'} in 2010-14 (the fall after 2006 is in deliveries to China, not in "
            "Russia's total)"
        ),
    )


@functools.lru_cache(maxsize=4)  # A8, A9 and A10 read the same rows of a release
def _deals(L: Any, v: Vintage) -> Optional[Any]:
    """Russia's deliveries with deal detail as a list of rows, or None when the release has none."""
    e = pa.table(L.entries())
    if all(d is None for d in e["designation"].to_pylist()[:1000]):
        return None
    return e.to_pylist()


def _no_deals(v: Vintage) -> Tuple[str, str, str]:
    return ("", NOT_TESTABLE, f"the {v.label} release at hand has no deal detail (TIV tables); the registers have it")


def _designations(
    rows: List[Dict[str, Any]], supplier: str, recipient: Optional[str], *needles: str
) -> List[Dict[str, Any]]:
    return [
        r
        for r in rows
        if r["supplier"] == supplier
        and (recipient is None or r["recipient"] == recipient)
        and any(n in (r["designation"] or "") for n in needles)
    ]


def _a8(L: Any, v: Vintage) -> Tuple[str, str, str]:
    rows = _deals(L, v)
    if rows is None:
        return _no_deals(v)
    ru, cn = str(L.resolve("Russia")), str(L.resolve("China"))
    s300 = _designations(rows, ru, cn, "S-300")
    by_year: Dict[int, float] = {}
    for r in s300:
        by_year[r["year"]] = by_year.get(r["year"], 0.0) + (r["numbers_delivered"] or 0.0)
    in2010 = by_year.get(2010, 0.0)
    before = sum(n for y, n in by_year.items() if y < 2007)
    late = {y: n for y, n in sorted(by_year.items()) if y >= 2007}
    return (
        f"S-300 systems delivered to China: {in2010:.0f} in 2010; {before:.0f} before 2007; from 2007: "
        + ", ".join(f"{n:.0f} in {y}" for y, n in late.items()),
        CONSISTENT if abs(in2010 - 15) <= 2 else INCONSISTENT,
        (
            f"SIPRI counts S-300 'systems' (about a battery each); the {sum(late.values()):.0f} delivered from 2007 "
            "came in "
            f"{min(late)}-{max(late)}, not in 2010"
        )
        if in2010 == 0 and late
        else "SIPRI counts S-300 'systems' (about a battery each)",
    )


def _a9(L: Any, v: Vintage) -> Tuple[str, str, str]:
    rows = _deals(L, v)
    if rows is None:
        return _no_deals(v)
    ru, cn = str(L.resolve("Russia")), str(L.resolve("China"))
    kilo = _designations(rows, ru, cn, "Project-877", "Project-636", "Kilo")
    n = sum(r["numbers_delivered"] or 0.0 for r in kilo)
    years = sorted({r["year"] for r in kilo})
    return (
        f"{n:.0f} Kilo-class (Project-877/636) submarines delivered to China, "
        f"{years[0] if years else '-'}-{years[-1] if years else '-'}",
        CONSISTENT if n == 12 else INCONSISTENT,
        "'up to 12': tested as exactly 12 delivered",
    )


def _a10(L: Any, v: Vintage) -> Tuple[str, str, str]:
    rows = _deals(L, v)
    if rows is None:
        return _no_deals(v)
    ru, cn = str(L.resolve("Russia")), str(L.resolve("China"))
    out, ok = [], True
    for item in ("Su-35", "S-400"):
        first: Dict[str, int] = {}
        for r in _designations(rows, ru, None, item):
            first[r["recipient"]] = min(first.get(r["recipient"], 9999), r["year"])
        order = sorted(first.items(), key=lambda kv: (kv[1], kv[0]))
        out.append(f"{item}: " + ", ".join(f"{k} {y}" for k, y in order[:4]))
        ok = ok and bool(order) and order[0][0] == cn and (len(order) == 1 or order[1][1] > order[0][1])
    return (
        "first deliveries by recipient: " + "; ".join(out),
        CONSISTENT if ok else INCONSISTENT,
        "first export buyer = the earliest year of delivery among Russia's recipients",
    )


def _t1(L: Any, v: Vintage) -> Tuple[str, str, str]:
    """Table 1: every row at the paper's position, and how many 2016-20 shares differ.

    A share differs by the one rule of :data:`powerbalance.paper.importers.SHARE_DIFFERS` (it
    does not round to the printed figure), counted over the 40 rows, the four inferred included.
    """
    if (m := _needs(L, v, 2011, 2020)) is not None:
        return m
    rows = pa.table(compare_table1(L)).to_pylist()
    n = len(rows)
    at_rank = sum(1 for r in rows if r["computed_rank"] == r["position"])
    differ = [r for r in rows if r["share_differs"]]
    printed = {r["position"]: r["printed"]["share"] for r in _TABLE1_ROWS}
    off = [
        f"{r['importer']} {printed[r['position']]} vs {shown_share(printed[r['position']], r['computed_share'])}"
        for r in differ
    ]
    moved = [f"{r['importer']} {r['computed_rank']}" for r in rows if r["computed_rank"] != r["position"]]
    verdict = CONSISTENT if at_rank == n and len(differ) <= n // 10 else INCONSISTENT
    return (
        f"{len(differ)} of {n} shares of world imports 2016-20 differ from the printed figure; "
        f"{at_rank} of {n} rows at the paper's rank",
        verdict,
        "consistent = every row at its rank and at most a tenth of the shares differing "
        "(a share differs when it does not round to the printed figure)"
        + (f"; shares that differ: {', '.join(off)}" if off else "")
        + (f"; rows at another rank: {', '.join(moved)}" if moved else ""),
    )


def _f1(L: Any, v: Vintage) -> Tuple[str, str, str]:
    if (m := _needs(L, v, 1987, 2016)) is not None:
        return m
    t = pa.table(L.follow_succession().dyad("Russia", "China", start=1987, end=2016)).to_pylist()
    peak = max(t, key=lambda r: r["tiv"])
    return (
        f"series recomputed, 1987-2016 (Soviet Union before 1992): peak {peak['tiv']:,.0f} m in {peak['year']}",
        NOT_TESTABLE,
        "the figure's image is missing from the paper's text, so there is nothing to compare; the series is in the "
        "report",
    )


def _na(reason: str) -> Callable[[Any, Vintage], Tuple[str, str, str]]:
    def f(L: Any, v: Vintage) -> Tuple[str, str, str]:
        return ("", NOT_TESTABLE, reason)

    return f


CLAIMS: List[Claim] = [
    Claim(
        "T1",
        "every row at its rank; at most 4 of 40 shares differing (not rounding to the printed figure)",
        "Table 1 computed from the release (compare_table1), row by row",
        _t1,
        needs_dyadic=False,
    ),
    Claim("F1", "-", "dyad series Russia (Soviet Union before 1992) -> China", _f1),
    Claim(
        "A1",
        "0.5 pp",
        "dyad Russia->China share of Russia's exports, 1999-2006; China's rank among Russia's clients",
        _a1,
    ),
    Claim("A2", "5 points on the change", "dyad Russia->China TIV 2001-09 and 2008 vs 2007", _a2),
    Claim("A3", "direction of five-year means", "Russia's total exports 2002-06, 2007-09, 2010-14", _a3),
    Claim("A4", "0.5 pp", "China's share of Russia's exports 2013-17", _a4),
    Claim("A5", "exact", "exporter ranking 2007-11 and 2016-20", _a5),
    Claim("A6", "-", "Russia's clients 2005-09 in SIPRI's Asia and Oceania (UN regions via countrycode)", _a6),
    Claim("A7", "-", "armament category 'Aircraft' in Russia's exports 2005-09 (registers)", _a7),
    Claim("A8", "2 systems", "register deals: S-300 systems delivered to China by year", _a8),
    Claim("A9", "exact", "register deals: Project-877/636 submarines delivered to China", _a9),
    Claim("A10", "earliest delivery", "register deals: first year of delivery of Su-35 and S-400 by recipient", _a10),
    Claim("A11", "exact rank", "exporter ranking 2008-18", _a11),
    Claim("A12", "more than half the years", "China's exports minus imports by year", _a12),
    Claim("A13", "5%", "dyad Russia->China TIV 2000-09", _a13),
    Claim("A14", "5%", "dyad Russia->China TIV 2010-18", _a14),
    Claim("A15", "0.5 pp", "dyad Russia->China share of Russia's exports", _a15),
    Claim("A16", "0.5 pp", "exporter shares 2007-11", _a16),
    Claim("A17", "0.5 pp", "suppliers' shares of China's and India's imports 2016-20", _a17),
    Claim("A18", "direction", "China's imports 2000-06 vs 2007-20", _a18),
    Claim("A19", "-", "Russia's exports to China and India by year", _a19),
]


# ---------------------------------------------------------------------------------------------
# power and balance claims (P1-P7): capabilities, expenditure, GDP, alignment

_BIG3 = ("United States", "China", "Russia")


def _series_dict(t: Any, value: str = "value") -> Dict[int, Optional[float]]:
    return {r["year"]: r[value] for r in pa.table(t).to_pylist()}


def _power_rows(home: Path, tables_2022: Optional[Any] = None) -> List[Dict[str, Any]]:
    """The P claims, one row per claim and data source (NMC 6.0 / 7.0, SIPRI milex, Maddison,
    UN ideal points, COW alliances)."""
    from powerbalance import capabilities as cp
    from powerbalance import datasets
    from powerbalance import metrics as m

    rows: List[Dict[str, Any]] = []
    texts = claim_texts()

    def row(cid: str, value: str, verdict: str, note: str, dataset: str, vintage: str, series: str) -> None:
        tol, method = _P[cid]
        rows.append(_row(texts[cid], value, dataset, vintage, tol, verdict, note, method, series))

    def where(name: str) -> Path:
        return datasets.path(name, data_home=home)

    nmc = {
        rel: (name, cp.read_nmc(where(name))) for rel, name in (("NMC 6.0", "cow-nmc-v6"), ("NMC 7.0", "cow-nmc-v7"))
    }
    mx_file = "sipri-milex"
    mx = cp.read_milex(where(mx_file))
    md_file = "maddison-2023"
    md = cp.read_maddison(where(md_file))
    ip_file = "un-ideal-points"
    ip = cp.read_ideal_points(where(ip_file))

    # P1: China the largest economy after the US (GDP, Maddison: 2011 international $, PPP)
    if md is not None:
        rk = {r["country"]: r["rank"] for r in pa.table(md.rank(2020)).to_pylist()}
        g = {}
        for name in ("United States", "China"):
            g[name] = {r["year"]: r["gdp"] for r in pa.table(md.table(1990, 2022)).to_pylist() if r["actor"] == name}
        passed = next((y for y in sorted(g["China"]) if (g["China"][y] or 0) > (g["United States"].get(y) or 0)), None)
        china_rank = rk.get("China")
        row(
            "P1",
            f"2020: China rank {china_rank}, United States rank {rk.get('United States')}; China's GDP above the "
            f"US's from {passed}",
            CONSISTENT if china_rank == 2 else INCONSISTENT,
            "Maddison GDP is at purchasing-power parity (2011 international $); at market exchange rates, which "
            "these data do "
            "not have, the US leads and China is second",
            md_file,
            "Maddison 2023",
            "Maddison GDP (PPP)",
        )

    # P2: China the third military power after the US and Russia: the answer depends on the measure
    ranks: List[str] = []
    third = []
    if "NMC 6.0" in nmc:
        r = {x["actor"]: x["rank"] for x in pa.table(nmc["NMC 6.0"][1].rank(2016, "cinc")).to_pylist()}
        ranks.append(f"CINC 2016: US {r.get('United States')}, China {r.get('China')}, Russia {r.get('Russia')}")
        third.append(r.get("China") == 3 and r.get("United States", 9) < 3 and r.get("Russia", 9) < 3)
    if mx is not None:
        r = {x["actor"]: x["rank"] for x in pa.table(mx.rank(2020)).to_pylist()}
        ranks.append(
            f"military expenditure 2020: US {r.get('United States')}, China {r.get('China')}, Russia {r.get('Russia')}"
        )
        third.append(r.get("China") == 3 and r.get("United States", 9) < 3 and r.get("Russia", 9) < 3)
    L = tables_2022  # the 2022 release's ledger, read once by evaluate()
    if L is not None:
        r = {x["supplier"]: x["rank"] for x in pa.table(L.exporters(2016, 2020, clients=0)).to_pylist()}
        ranks.append(
            f"arms exports 2016-20: US {r.get('United States')}, Russia {r.get('Russia')}, China {r.get('China')}"
        )
        third.append(r.get("China") == 3 and r.get("United States", 9) < 3 and r.get("Russia", 9) < 3)
    if ranks:
        row(
            "P2",
            "; ".join(ranks),
            CONSISTENT if any(third) else INCONSISTENT,
            "Global Firepower's index is not public data; no standard measure puts China third behind the US and "
            "Russia",
            "cow-nmc-v6, sipri-milex, sipri-tables-2022",
            "NMC 6.0 / milex 2025 / SIPRI 2022",
            "ranks by CINC, military expenditure and arms exports",
        )

    # P3: China surpasses Russia: crossovers by measure, and arms exports projected
    for rel, (f, caps) in nmc.items():
        for meas in ("cinc", "milex"):
            a = _series_dict(caps.series("China", meas))
            b = _series_dict(caps.series("Russia", meas))
            x = pa.table(m.crossovers(a, b, names=("China", "Russia"))).to_pylist()
            last = x[-1] if x else None
            ahead = last is not None and last["leader"] == "China"
            row(
                "P3",
                f"{meas}: China ahead of Russia (the Soviet Union before 1992) since {last['year'] if last else '-'}"
                if ahead
                else f"{meas}: Russia still ahead",
                CONSISTENT if ahead else INCONSISTENT,
                "China has already passed Russia on this measure" if ahead else "",
                f,
                rel,
                f"COW NMC: {meas}",
            )
    if mx is not None:

        def mxs(name: str) -> Dict[int, Optional[float]]:
            # ccode 365 has a USSR row beside Russia's in every year; take the row with a value
            return {
                r["year"]: r["value"]
                for r in pa.table(mx.table("constant", 1992, 2024)).to_pylist()
                if r["actor"] == name and r["value"] is not None
            }

        x = pa.table(m.crossovers(mxs("China"), mxs("Russia"), names=("China", "Russia"))).to_pylist()
        last = x[-1] if x else None
        ok = last is not None and last["leader"] == "China"
        row(
            "P3",
            f"military expenditure (constant 2023 US$): China ahead of Russia since {last['year'] if last else '-'}",
            CONSISTENT if ok else INCONSISTENT,
            "",
            mx_file,
            "SIPRI milex 2025",
            "SIPRI military expenditure",
        )
    if L is not None:
        cs = {r["year"]: r["exports"] for r in pa.table(L.series("China", start=1992, end=2021)).to_pylist()}
        rs = {r["year"]: r["exports"] for r in pa.table(L.series("Russia", start=1992, end=2021)).to_pylist()}
        pr = pa.table(m.project_crossover(cs, rs, 2007, 2021, names=("China", "Russia"))).to_pylist()[0]
        yr = pr["crossover_year"]
        china_ahead = [y for y in cs if (cs[y] or 0) > (rs.get(y) or 0)]
        lead = f"China ahead in {china_ahead}" if china_ahead else f"Russia ahead in every year {min(cs)}-{max(cs)}"
        row(
            "P3",
            f"arms exports: {lead}; fitted growth 2007-21 China {100 * pr['growth_a']:+.1f}%/yr, "
            f"Russia {100 * pr['growth_b']:+.1f}%/yr; projected crossover "
            f"{('%.0f' % yr) if yr is not None else 'none'}",
            NOT_TESTABLE,
            "a forecast ('has the potency to surpass'); the projection is log-linear over 2007-21, not a test",
            "sipri-tables-2022",
            "2022",
            "SIPRI arms transfers: exports projected",
        )

    # P4 and P6: tri-polar balance; a China-Russia coalition against the US
    for rel, (f, caps) in nmc.items():
        year = caps.coverage[1]
        sh = {r["actor"]: r["share_of_group"] for r in pa.table(caps.shares(year, list(_BIG3), "cinc")).to_pylist()}
        conc = pa.table(caps.concentration(year, year)).to_pylist()[0] if hasattr(caps, "concentration") else None
        sysrank = {r["actor"]: r["rank"] for r in pa.table(caps.rank(year, "cinc")).to_pylist()}
        weakest = min(sh, key=lambda k: sh[k])
        tri = min(sh.values()) >= 0.2  # a third pole holds at least a fifth of the three's capabilities
        row(
            "P4",
            f"{year}: shares of the three's CINC US {100 * sh['United States']:.1f}%, China {100 * sh['China']:.1f}%, "
            f"Russia {100 * sh['Russia']:.1f}%; system ranks US {sysrank.get('United States')}, China "
            f"{sysrank.get('China')}, "
            f"Russia {sysrank.get('Russia')}" + (f"; system poles (Schweller rule) {conc['poles']}" if conc else ""),
            CONSISTENT if tri else INCONSISTENT,
            f"tri-polar = each of the three holds at least 20% of their combined CINC; {weakest} holds "
            f"{100 * sh[weakest]:.1f}%",
            f,
            rel,
            "COW NMC: CINC shares of the three",
        )
        co = {r["coalition"]: r for r in pa.table(m.coalitions(sh)).to_pylist()}
        key = next(k for k in co if set(k.split(" + ")) == {"China", "Russia"})
        row(
            "P6",
            f"{year} CINC: China + Russia {100 * co[key]['share']:.1f}% against the US "
            f"{100 * sh['United States']:.1f}%",
            CONSISTENT if co[key]["share"] > sh["United States"] else INCONSISTENT,
            "a coalition challenges the US when its combined share exceeds the US's (Morgenthau's equilibrium among "
            "the three)",
            f,
            rel,
            "COW NMC: CINC shares of the three",
        )
    if mx is not None:
        year = 2024
        vals = {
            r["actor"]: r["value"]
            for r in pa.table(mx.table("constant", year, year)).to_pylist()
            if r["actor"] in _BIG3 and r["value"] is not None
        }
        tot = sum(v for v in vals.values() if v)
        cr = (vals.get("China") or 0) + (vals.get("Russia") or 0)
        row(
            "P6",
            f"{year} military expenditure: China + Russia {100 * cr / tot:.1f}% of the three against the US "
            f"{100 * (vals.get('United States') or 0) / tot:.1f}%",
            CONSISTENT if cr > (vals.get("United States") or 0) else INCONSISTENT,
            "on spending the US outweighs China and Russia together",
            mx_file,
            "SIPRI milex 2025",
            "SIPRI military expenditure",
        )

    # P5 and P7: the triangle from UN voting, and China-Russia closeness over time
    if ip is not None:

        def dist(a: str, b: str) -> Dict[int, Optional[float]]:
            return {
                r["year"]: (None if r["distance"] is None else 1.0 - r["distance"])
                for r in pa.table(ip.distance(a, b, start=1992, end=2024)).to_pylist()
            }

        tri = pa.table(
            m.triangle(_BIG3, dist("United States", "China"), dist("China", "Russia"), dist("Russia", "United States"))
        ).to_pylist()
        kinds: Dict[str, int] = {}
        for r in tri:
            k = r["type"] + (
                f" ({r['actor']} {'pariah' if r['type'] == 'stable marriage' else 'pivot'})" if r.get("actor") else ""
            )
            kinds[k] = kinds.get(k, 0) + 1
        us_pariah = sum(1 for r in tri if r["type"] == "stable marriage" and r.get("actor") == "United States")
        row(
            "P5",
            "1992-2024: " + ", ".join(f"{k} {v} yrs" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])),
            CONSISTENT if us_pariah > len(tri) / 2 else INCONSISTENT,
            "a tie is positive when the ideal-point distance is at most 1; two close, one isolated = a stable "
            "marriage with a pariah",
            ip_file,
            "UN ideal points July 2025",
            "UN ideal points",
        )
        d = {
            r["year"]: r["distance"]
            for r in pa.table(ip.distance("China", "Russia", start=2000, end=2024)).to_pylist()
            if r["distance"] is not None
        }
        fit = pa.table(m.fit_growth(d, 2000, 2024)).to_pylist()[0]
        row(
            "P7",
            f"China-Russia ideal-point distance {d[2000]:.2f} (2000) -> {d[2024]:.2f} (2024); fitted trend "
            f"{100 * fit['growth']:+.1f}%/yr",
            CONSISTENT if fit["growth"] < 0 else INCONSISTENT,
            "closer = a falling distance in UN voting (log-linear trend over 2000-24); a forecast cannot be tested, "
            "the trend can",
            ip_file,
            "UN ideal points July 2025",
            "UN ideal points",
        )
    return rows


_P: Dict[str, Tuple[str, str]] = {
    # id: (tolerance, method); the paper's words and figure are in the claims file
    "P1": ("exact rank", "GDP ranking (Maddison)"),
    "P2": ("exact rank", "rank by CINC, military expenditure and arms exports"),
    "P3": ("direction", "crossover years of CINC, military expenditure, arms exports; projection"),
    "P4": ("each >= 20% of the three", "capability shares of the three; system polarity"),
    "P5": ("more than half the years", "strategic triangle from UN ideal-point distances"),
    "P6": ("share comparison", "coalition capability: China + Russia against the US"),
    "P7": ("sign of the trend", "trend of China-Russia ideal-point distance"),
}


CLAIM_IDS: List[str] = [c.id for c in CLAIMS] + list(_P)
"""Every claim id tested in code: the table and figure (T1, F1), the arms-trade figures (A1-A19)
and the power and balance arguments (P1-P7). The claims file has one row for each."""

COLUMNS: List[str] = [
    "id",
    "claim",
    "paper_value",
    "computed_value",
    "dataset",
    "vintage",
    "tolerance",
    "verdict",
    "note",
    "method",
    "where",
    "kind",
    "series",
]
"""The columns of :func:`evaluate`'s table. ``series`` names the measure a row computes; rows of
one claim with the same series and different ``vintage`` are releases of the same data (SIPRI
2021-2026, COW NMC 6.0 and 7.0), rows with different series are different measures."""

SIPRI_SERIES = "SIPRI arms transfers"
"""The ``series`` of every claim tested on a SIPRI Arms Transfers Database release."""


def vintage_changes(rows: Sequence[Dict[str, Any]], *, changed: bool = False) -> List[Tuple[str, str, Dict[str, str]]]:
    """The claims tested on more than one release of the same data, and their verdict per release.

    Groups the rows of :func:`evaluate` by ``(id, series)``: a group with two or more
    vintages is one measure computed on several releases of its data (SIPRI 2021-2026, COW
    NMC 6.0 and 7.0). Rows of one claim with different series (P3's CINC, military expenditure
    and arms exports) are different measures, not releases, and are never compared.

    With ``changed``, only the groups whose verdict differs between the releases that can test
    the claim (a release without the detail a claim needs, "not testable", is not a change).

    Returns
    -------
    list of (id, series, {vintage: verdict})
        In the rows' order; the verdict changes between releases where the dict holds more
        than one distinct verdict.

    Examples
    --------
    >>> rows = [dict(id="A4", series="s", vintage="2022", verdict="inconsistent"),
    ...         dict(id="A4", series="s", vintage="2024", verdict="consistent"),
    ...         dict(id="P3", series="cinc", vintage="NMC 6.0", verdict="consistent"),
    ...         dict(id="P3", series="milex", vintage="SIPRI", verdict="consistent")]
    >>> vintage_changes(rows)
    [('A4', 's', {'2022': 'inconsistent', '2024': 'consistent'})]
    >>> vintage_changes(rows[:1] + [dict(rows[1], verdict="not testable")], changed=True)
    []
    """
    groups: Dict[Tuple[str, str], Dict[str, str]] = {}
    for r in rows:
        groups.setdefault((r["id"], r["series"]), {})[r["vintage"]] = r["verdict"]
    return [
        (cid, series, vv)
        for (cid, series), vv in groups.items()
        if len(vv) > 1 and (not changed or len({v for v in vv.values() if v != NOT_TESTABLE}) > 1)
    ]


def _row(
    t: ClaimText,
    value: str,
    dataset: str,
    vintage: str,
    tolerance: str,
    verdict: str,
    note: str,
    method: str,
    series: str,
) -> Dict[str, Any]:
    return dict(
        id=t.id,
        claim=t.claim,
        paper_value=t.paper_figure,
        computed_value=value,
        dataset=dataset,
        vintage=vintage,
        tolerance=tolerance,
        verdict=verdict,
        note=note,
        method=method,
        where=t.where,
        kind=t.kind,
        series=series,
    )


def evaluate(
    data_home: Optional[os.PathLike[str] | str] = None,
    *,
    ids: Optional[Sequence[str]] = None,
    ledgers: Optional[Dict[str, Any]] = None,
) -> Any:
    """Test every claim of the paper on every data release it applies to.

    Parameters
    ----------
    data_home : path, optional
        The data home (the one rule: this argument, else ``POWERBALANCE_DATA``, else the user
        data home; :func:`powerbalance.datasets.data_home`). It must hold every data set of
        :data:`DATASETS`.
    ids : sequence of str, optional
        Only these claim ids.
    ledgers : dict, optional
        Vintage label -> :class:`powerbalance.Ledger`, releases the caller has already read.

    Returns
    -------
    powerbalance.Table
        One row per claim and vintage (a claim that needs a supplier breakdown is not run on a
        totals-only release), columns :data:`COLUMNS`: ``claim``, ``paper_value``, ``where`` and
        ``kind`` come from the paper's claims file; ``dataset`` names the registered data set(s).

    Raises
    ------
    powerbalance.datasets.DataUnavailableError
        When a data set of :data:`DATASETS` is not in the data home (the message names them
        all and the command that fetches them).

    Examples
    --------
    >>> from powerbalance import paper
    >>> t = paper.verdicts.evaluate(ids=["A15"])  # 10 real data sets  # doctest: +SKIP
    >>> [(r["vintage"], r["verdict"]) for r in t]  # 10 real data sets  # doctest: +SKIP
    [('2022', 'inconsistent'), ('2024', 'inconsistent'), ('2026', 'inconsistent')]
    """
    import powerbalance as pb
    from powerbalance import datasets

    if ids is not None:
        unknown = [i for i in ids if i not in CLAIM_IDS]
        if unknown:
            raise pb.errors.PowerbalanceError(
                f"unknown claim id(s) {', '.join(unknown)}; known: {', '.join(CLAIM_IDS)}"
            )
    home = datasets.require(DATASETS, data_home=data_home)
    texts = claim_texts()
    rows: List[Dict[str, Any]] = []
    vs = vintages(home)
    ledgers = dict(ledgers or {})
    for v in vs:
        if v.label not in ledgers:
            ledgers[v.label] = pb.read_sipri(v.path)
    for c in CLAIMS:
        if ids is not None and c.id not in ids:
            continue
        for v in vs:
            if c.needs_dyadic and not v.dyadic:
                continue
            try:
                value, verdict, note = c.compute(ledgers[v.label], v)
            except pb.errors.PowerbalanceError as e:  # a data problem: report it, don't hide it
                value, verdict, note = "", NOT_TESTABLE, f"error: {e}"
            rows.append(
                _row(texts[c.id], value, v.dataset, v.label, c.tolerance, verdict, note, c.method, SIPRI_SERIES)
            )
    if ids is None or any(i.startswith("P") for i in ids):
        rows += [r for r in _power_rows(home, ledgers.get("2022")) if ids is None or r["id"] in ids]
    schema = pa.schema([(c, pa.string()) for c in COLUMNS])
    return pb.Table(pa.Table.from_pylist(rows, schema=schema))
