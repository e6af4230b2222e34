"""Table 1 of the paper (the 40 largest importers of major arms), typed, and its comparison with the data.

The paper
---------
Kusuma, Ngambut and Christina (2021), "China and Russia's security cooperation on arms exports
to the US' global hegemony". The paper is qualitative, but it rests on one table of SIPRI figures,
its Table 1, "The 40 Largest Importers of Major Arms and their Main Suppliers, 2016-2020". The
table's only source note is footnote 50, "Stockholm International Peace Research Institute
(SIPRI), 2021": it reproduces the table of the 40 largest importers in SIPRI's fact sheet of
March 2021 (Wezeman, Kuimova and Wezeman, *Trends in International Arms Transfers, 2020*), which
was computed from the March-2021 release of the SIPRI Arms Transfers Database.

What is typed here
------------------
:func:`table1` holds Table 1 **typed by hand from the paper's text**: every figure is as printed,
nothing is computed. The paper's text has lost some of the table (four importer names, nine rank
numbers, one supplier cell is a tie with a truncated share, one row lists Italy as a supplier of
Italy). These defects are flagged in a ``defects`` column and never repaired: a lost name stays
null, the Italy cell stays ``Italy``. :func:`compare_table1` sets the table computed from a SIPRI
ledger beside the paper's, row by row, and infers the importers of the rows without a name from
their shares and suppliers.

Conventions: shares are fractions (the paper's ``11`` per cent is ``0.11``); per cent changes
stay in per cent, as printed; differences between paper and data are in percentage points (pp).
"""

from __future__ import annotations

import itertools
import math
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Dict, FrozenSet, List, Optional, Sequence, Tuple, Type

import pyarrow as pa

if TYPE_CHECKING:
    from ..ledger import Ledger
    from ..table import Table

__all__ = [
    "PAPER_CITATION",
    "TABLE1_SOURCE",
    "TABLE1_PERIOD",
    "TABLE1_COMPARE",
    "SHARE_DIFFERS",
    "table1",
    "share_differs",
    "shown_share",
    "compare_table1",
    "format_comparison",
]

PAPER_CITATION = (
    "Kusuma, Ngambut and Christina (2021), \"China and Russia's security cooperation on arms "
    "exports to the US' global hegemony\""
)

TABLE1_SOURCE = (
    "Table 1 of Kusuma, Ngambut and Christina (2021), 'The 40 Largest Importers of Major Arms and "
    "their Main Suppliers, 2016-2020', typed by hand from the paper's text. The paper's source "
    "note is footnote 50, 'Stockholm International Peace Research Institute (SIPRI), 2021': the "
    "table reproduces the list of the 40 largest importers in SIPRI's fact sheet of March 2021 "
    "(P. D. Wezeman, A. Kuimova and S. T. Wezeman, 'Trends in International Arms Transfers, "
    "2020', SIPRI Fact Sheet, March 2021), computed from that month's release of the SIPRI Arms "
    "Transfers Database (TIV). Columns: share of world imports of major arms 2016-20 and "
    "2011-15, per cent change in volume from 2011-15 to 2016-20 (the paper's footnote 'a' to "
    "that column is lost), and the three main suppliers with their share of the importer's "
    "imports in 2016-20."
)

TABLE1_PERIOD = (2016, 2020)
"""The period of Table 1 (inclusive years)."""

TABLE1_COMPARE = (2011, 2015)
"""The comparison period of Table 1 (inclusive years)."""

# Table 1 as printed in the paper's text, one line per row, in the paper's order. Fields:
# rank | importer | share 2016-20 (%) | share 2011-15 (%) | per cent change | 1st | 2nd | 3rd.
# An empty field is one the text has lost; "-" is the paper's own mark for "no such supplier".
# Typed from the paper's text; spellings as printed.
_TABLE1_TEXT = """\
1  | Saudi Arabia   | 11  | 7.1 | 61   | USA (79)          | UK (9.3)          | France (4.0)
2  | India          | 9.5 | 14  | -33  | Russia (49)       | France (18)       | Israel (13)
3  | Egypt          | 5.8 | 2.4 | 136  | Russia (41)       | France (28)       | USA (8.7)
4  | Australia      | 5.1 | 3.6 | 41   | USA (69)          | Spain (21)        | Switzerland (3.4)
5  | China          | 4.7 | 4.4 | 5.5  | Russia (77)       | France (9.7)      | Ukraine (6.3)
6  | Algeria        | 4.3 | 2.6 | 64   | Russia (69)       | Germany (12)      | China (9.9)
7  | South Korea    | 4.3 | 2.7 | 57   | USA (58)          | Germany (31)      | Spain (6.5)
8  | Qatar          | 3.8 | 0.8 | 361  | USA (47)          | France (38)       | Germany (7.5)
9  | UAE            | 3.0 | 4.7 | -37  | USA (64)          | France (10)       | Russia (4.7)
10 | Pakistan       | 2.7 | 3.4 | -23  | China (74)        | Russia (6.6)      | Italy (5.9)
11 | Iraq           | 2.5 | 2.5 | -0.6 | USA (41)          | Russia (34)       | South Korea (12)
12 | Japan          | 2.2 | 1.0 | 124  | USA (97)          | UK (2.1)          | Sweden (1.0)
13 | United States  | 2.1 | 2.9 | -30  | UK (22)           | Germany (14)      | Netherlands (14)
14 | United Kingdom | 2.1 | 1.5 | 41   | USA (72)          | Spain (18)        | Germany (4.0)
15 | Israel         | 1.9 | 1.2 | 65   | USA (92)          | Germany (5.9)     | Italy (2.3)
16 | Viet Nam       | 1.8 | 3.0 | -41  | Russia (66)       | Israel (19)       | Belarus/SouthKorea (4.)
17 | Singapore      | 1.7 | 1.8 | -9.0 | USA (36)          | Spain (25)        | France (17)
18 | Indonesia      | 1.7 | 2.0 | -18  | USA (23)          | Netherlands (19)  | South Korea (17)
19 | Italy          | 1.5 | 0.7 | 120  | USA (62)          | Germany (26)      | Italy (5.9)
20 | Turkey         | 1.5 | 3.6 | -59  | USA (29)          | Italy (27)        | Spain (21)
21 |                | 1.3 | 0.7 | 93   | USA (79)          | South Korea (12)  | Italy (3.3)
22 | Bangladesh     | 1.2 | 1.3 | -3.6 | China (71)        | Russia (16)       | UK (4.1)
23 | Thailand       | 1.2 | 0.8 | 44   | South Korea (26)  | China (22)        | Ukraine (12)
24 | Oman           | 1.2 | 1.0 | 12   | UK (47)           | USA (14)          | Turkey (12)
25 | Afghanistan    | 1.0 | 1.3 | -24  | USA (89)          | Brazil (8.2)      | Belarus (1.0)
   |                | 1.0 | 0.6 | 52   | USA (90)          | Germany (6.8)     | Italy (2.0)
27 | Kazakhstan     | 1.0 | 0.6 | 62   | Russia (89)       | Spain (3.6)       | China (2.4)
28 | Jordan         | 0.9 | 0.6 | 38   | USA (36)          | Netherlands (22)  | UAE (11)
29 | Morocco        | 0.9 | 2.1 | -60  | USA (90)          | France (9.2)      | UK (0.3)
30 | Canada         | 0.8 | 1.0 | -24  | USA (48)          | Australia (14)    | Israel (12)
31 | Philippines    | 0.8 | 0.2 | 229  | South Korea (42)  | Indonesia (17)    | USA (17)
   | Azerbaijan     | 0.7 | 1.6 | -56  | Israel (69)       | Russia (17)       | Belarus (4.8)
   |                | 0.7 | 1.2 | -40  | China (48)        | India (16)        | Russia (15)
   | Taiwan         | 0.6 | 2.0 | -70  | USA (100)         | -                 | -
   | Mexico         | 0.6 | 0.7 | -14  | USA (49)          | Netherlands (34)  | France (10)
   | Poland         | 0.6 | 0.6 | -12  | USA (33)          | Italy (13)        | South Korea (11)
   |                | 0.6 | 0.9 | -38  | France (23)       | USA (21)          | UK (20)
   | Belarus        | 0.5 | 0.3 | 93   | Russia (99)       | China (0.5)       | -
39 | Angola         | 0.5 | 0.1 | 843  | Russia (64)       | China (9.7)       | Lithuania (8.1)
   | Malaysia       | 0.5 | 0.2 | 114  | Spain (32)        | Turkey (17)       | South Korea (11)
"""

_SUPPLIER_CELL = re.compile(r"^(?P<name>.+?)\s*\((?P<share>[^()]*)\)$")
_NUMBER = re.compile(r"^-?\d+(\.\d*)?$")


def _number(text: str, what: str) -> Decimal:
    if not _NUMBER.match(text):
        raise ValueError(f"Table 1: {what} {text!r} is not a number")
    return Decimal(text)


def _half_unit(text: str) -> float:
    """Half a unit of the last digit printed: '11' -> 0.5, '7.1' -> 0.05, '4.' -> 0.5."""
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return 0.5 * 10.0 ** (-decimals)


SHARE_DIFFERS = (
    "A share differs from the paper's when the share computed from the data, rounded to the "
    "digits the paper prints, is not the printed figure: |computed - printed| > half a unit of "
    "the printed figure's last digit (0.5 percentage point for a printed '11', 0.05 for '9.5'; a "
    "computed value exactly half-way rounds either way and does not differ). Table 1's count of "
    "differing shares is taken over the 2016-20 share of world imports of all 40 rows, the four "
    "rows whose importer is inferred included."
)
"""The one definition of "a share that differs" (:func:`share_differs`), used by the report, claim
T1 and notebook 01 alike."""


def share_differs(printed: str, computed: Optional[float]) -> Optional[bool]:
    """Whether a computed share (a fraction) does not round to the paper's printed figure (per cent).

    The paper prints shares rounded (``11``, ``9.5``, ``4.``), so a computed share agrees with a
    printed ``p`` when it lies within half a unit of the last printed digit:

    .. math:: \\mathrm{differs} = |100\\,c - p| > h,\\qquad h = \\tfrac12 10^{-d}

    with ``d`` the number of decimals printed (:data:`SHARE_DIFFERS`). ``None`` when there is no
    computed value.

    Examples
    --------
    >>> share_differs("11", 0.1140), share_differs("9.5", 0.0985), share_differs("5.1", 0.0505)
    (False, True, False)
    >>> share_differs("5.1", 0.05049)
    True
    """
    if computed is None or _isnan(computed):
        return None
    return abs(100.0 * computed - float(_number(printed, "printed share"))) > _half_unit(printed) + 1e-9


def shown_share(printed: str, computed: float, decimals: int = 2) -> str:
    """A computed share (a fraction) in per cent for a reader, with ``decimals`` decimals, or one
    more when the rounded figure would hide whether it differs from ``printed``.

    Examples
    --------
    >>> shown_share("9.5", 0.0985), shown_share("5.1", 0.05049)
    ('9.85', '5.049')
    """
    shown = f"{100.0 * computed:.{decimals}f}"
    if share_differs(printed, float(shown) / 100.0) != share_differs(printed, computed):
        shown = f"{100.0 * computed:.{decimals + 1}f}"
    return shown


def _fraction(text: str, what: str) -> float:
    """A printed per-cent figure as the nearest float to the decimal fraction: '9.5' -> 0.095."""
    return float(_number(text, what) / 100)


def _parse_table1() -> List[Dict[str, Any]]:
    """Parse :data:`_TABLE1_TEXT` into one dict per row, keeping the printed strings."""
    rows: List[Dict[str, Any]] = []
    for position, line in enumerate(_TABLE1_TEXT.splitlines(), start=1):
        fields = [f.strip() for f in line.split("|")]
        if len(fields) != 8:
            raise ValueError(f"Table 1 line {position}: {len(fields)} fields, not 8")
        rank, importer, share, share_compare, change, *cells = fields
        row: Dict[str, Any] = {
            "position": position,
            "rank": int(rank) if rank else None,
            "importer": importer or None,
            "share": _fraction(share, "share"),
            "share_compare": _fraction(share_compare, "share_compare"),
            "change_pct": float(_number(change, "change_pct")),
            "printed": {"share": share, "share_compare": share_compare, "change_pct": change},
        }
        defects: List[str] = []
        if not rank:
            defects.append("rank missing")
        if not importer:
            defects.append("importer name missing")
        for k, cell in enumerate(cells, start=1):
            col = f"supplier_{k}"
            if cell == "-":
                name, share_text = None, None
            else:
                m = _SUPPLIER_CELL.match(cell)
                if m is None:
                    raise ValueError(f"Table 1 line {position}: supplier cell {cell!r}")
                name, share_text = m.group("name").strip(), m.group("share").strip()
            row[col] = name
            row[f"{col}_share"] = _fraction(share_text, col) if share_text is not None else None
            row["printed"][f"{col}_share"] = share_text
            if name is None:
                continue
            problems: List[str] = []
            if "/" in name:
                parts = name.split("/")
                note = f"{col} is a tie '{name}'"
                joined = [p for p in parts if re.search(r"[a-z][A-Z]", p)]
                if joined:
                    note += " (" + ", ".join(f"'{p}' has lost its space" for p in joined) + ")"
                problems.append(note)
            elif importer and name.casefold() == importer.casefold():
                problems.append(f"{col} is the importer itself ({name})")
            if share_text is not None and share_text.endswith("."):
                if problems:
                    problems[-1] += f" with a truncated share '{share_text}'"
                else:
                    problems.append(f"{col} has a truncated share '{share_text}'")
            defects.extend(problems)
        row["defects"] = "; ".join(defects)
        rows.append(row)
    return rows


_TABLE1_ROWS = _parse_table1()

_TABLE1_SCHEMA = pa.schema(
    [
        pa.field("position", pa.int64(), nullable=False),
        pa.field("rank", pa.int64()),
        pa.field("importer", pa.string()),
        pa.field("share", pa.float64()),
        pa.field("share_compare", pa.float64()),
        pa.field("change_pct", pa.float64()),
        pa.field("supplier_1", pa.string()),
        pa.field("supplier_1_share", pa.float64()),
        pa.field("supplier_2", pa.string()),
        pa.field("supplier_2_share", pa.float64()),
        pa.field("supplier_3", pa.string()),
        pa.field("supplier_3_share", pa.float64()),
        pa.field("defects", pa.string(), nullable=False),
    ],
    metadata={"source": TABLE1_SOURCE, "citation": PAPER_CITATION},
)


def _wrap(table: pa.Table) -> Table:
    """Return a :class:`powerbalance.Table` around an Arrow table."""
    from ..table import Table

    return Table(table)


def table1() -> Table:
    """The paper's Table 1, typed by hand: the 40 largest importers of major arms, 2016-20.

    Every figure is as printed in Kusuma, Ngambut and Christina (2021), Table 1, whose source is
    SIPRI's fact sheet of March 2021 (footnote 50; see :data:`TABLE1_SOURCE`). Nothing is
    computed. The share of world imports is, in SIPRI's definition,

    .. math:: \\mathrm{share}_r = \\mathrm{TIV}_r(P) / \\sum_k \\mathrm{TIV}_k(P),

    the sum running over all recipients, including non-state actors, organisations and unknown
    recipients, with TIV the SIPRI trend-indicator value of deliveries of major arms in the
    period P (2016-20, or 2011-15 for ``share_compare``). A supplier's share is
    ``TIV_sr(2016-20) / TIV_r(2016-20)``, of the importer's imports.

    The paper's text has lost parts of the table. Defects are flagged in ``defects``, never
    repaired:

    - positions 21, 26, 33 and 37 have no importer name (``importer`` is null);
    - positions 26, 32-38 and 40 have no rank number (``rank`` is null);
    - position 16 (Viet Nam) has the tie ``Belarus/SouthKorea`` as third supplier, with the
      truncated share ``4.`` (read as 0.04);
    - position 19 (Italy) lists Italy as its own third supplier.

    A ``-`` in the paper (no further supplier) is a null name and share, not a defect.

    Returns
    -------
    powerbalance.Table
        40 rows in the paper's order. Columns: ``position`` (1-40, the row's place),
        ``rank`` (as printed, null where lost), ``importer`` (as printed, null where lost),
        ``share`` (2016-20, fraction: 11 -> 0.11), ``share_compare`` (2011-15, fraction),
        ``change_pct`` (per cent change in volume from 2011-15 to 2016-20, in per cent, as
        printed), ``supplier_k`` and ``supplier_k_share`` for k = 1, 2, 3 (names as printed,
        shares as fractions of the importer's imports), ``defects`` (``"; "``-separated, empty
        when none).

    See Also
    --------
    compare_table1 : the same table computed from SIPRI data, beside the paper's.

    Examples
    --------
    >>> from powerbalance import paper
    >>> t = paper.table1().to_pylist()
    >>> len(t)
    40
    >>> t[0]["importer"], t[0]["share"], t[0]["supplier_1"], t[0]["supplier_1_share"]
    ('Saudi Arabia', 0.11, 'USA', 0.79)
    >>> [r["position"] for r in t if r["importer"] is None]
    [21, 26, 33, 37]
    >>> t[18]["defects"]
    'supplier_3 is the importer itself (Italy)'
    """
    cols = [f.name for f in _TABLE1_SCHEMA]
    data = [{c: r[c] for c in cols} for r in _TABLE1_ROWS]
    return _wrap(pa.Table.from_pylist(data, schema=_TABLE1_SCHEMA))


# ---------------------------------------------------------------------------------------------
# Comparison with data
# ---------------------------------------------------------------------------------------------


def _arrow(obj: Any) -> pa.Table:
    """Any table (powerbalance.Table, pyarrow, or an Arrow C stream) as a pyarrow.Table."""
    if isinstance(obj, pa.Table):
        return obj
    to_pyarrow = getattr(obj, "to_pyarrow", None)
    if callable(to_pyarrow):
        return to_pyarrow()
    if hasattr(obj, "__arrow_c_stream__"):
        return pa.RecordBatchReader.from_stream(obj).read_all()
    return pa.table(obj)


def _resolver() -> Any:
    """A function name -> the registry's display name, or None when the name is unknown."""
    import powerbalance as pb

    from ..errors import PowerbalanceError

    # UnknownActorError is both a PowerbalanceError and a KeyError.
    errors: Tuple[Type[BaseException], ...] = (PowerbalanceError, LookupError)
    cache: Dict[str, Optional[str]] = {}

    def resolve(name: Optional[str]) -> Optional[str]:
        if name is None:
            return None
        if name not in cache:
            try:
                cache[name] = pb.actor(name)["name"]
            except errors:
                cache[name] = None
        return cache[name]

    return resolve


def _supplier_keys(name: Optional[str], resolve: Any) -> Optional[FrozenSet[str]]:
    """The actors a printed supplier cell names: one, or several for a tie such as 'A/B'.

    A part the registry does not know is retried with the space a CamelCase join lost
    ('SouthKorea' -> 'South Korea'); this reads the paper's cell, it does not change it.
    """
    if name is None:
        return None
    keys = set()
    for part in name.split("/"):
        key = resolve(part.strip())
        if key is None:
            key = resolve(re.sub(r"([a-z])([A-Z])", r"\1 \2", part.strip()))
        keys.add(key if key is not None else f"?{part.strip()}")
    return frozenset(keys)


def _supplier_matches(paper_name: Optional[str], computed_name: Optional[str], resolve: Any) -> bool:
    if paper_name is None or computed_name is None:
        return paper_name is None and computed_name is None
    keys = _supplier_keys(paper_name, resolve)
    return resolve(computed_name) in keys if keys else False


def _pp(paper: Optional[float], computed: Optional[float]) -> Optional[float]:
    """computed - paper, in percentage points (both are fractions)."""
    if paper is None or computed is None or _isnan(computed):
        return None
    return round((computed - paper) * 100.0, 10)


def _isnan(x: Any) -> bool:
    return isinstance(x, float) and math.isnan(x)


def _clean(x: Any) -> Any:
    return None if _isnan(x) else x


def _inference_score(p: Dict[str, Any], c: Dict[str, Any], resolve: Any) -> float:
    """How badly a computed row fits an unnamed paper row (0 = perfect fit).

    score = |d share| + |d share_compare| (pp of world imports)
          + sum_k |d supplier_k_share| / 10 (pp of the importer's imports)
          + 2 per supplier position whose actor differs.
    """
    score = abs(_pp(p["share"], c.get("share")) or 0.0)
    score += abs(_pp(p["share_compare"], c.get("share_compare")) or 0.0)
    for k in (1, 2, 3):
        if not _supplier_matches(p[f"supplier_{k}"], c.get(f"supplier_{k}"), resolve):
            score += 2.0
        d = _pp(p[f"supplier_{k}_share"], c.get(f"supplier_{k}_share"))
        score += abs(d) / 10.0 if d is not None else 0.0
    return score


def _assign(
    unnamed: Sequence[Dict[str, Any]], candidates: Sequence[Dict[str, Any]], resolve: Any
) -> Dict[int, Tuple[Dict[str, Any], float]]:
    """Assign computed rows to unnamed paper rows, minimising the total inference score.

    Exhaustive over the assignments when that is small, greedy (best fit first) otherwise.
    """
    if not unnamed or not candidates:
        return {}
    score = {(i, j): _inference_score(p, c, resolve) for i, p in enumerate(unnamed) for j, c in enumerate(candidates)}
    n = min(len(unnamed), len(candidates))
    best: Optional[Tuple[float, Tuple[int, ...], Tuple[int, ...]]] = None
    if math.perm(len(candidates), n) * math.comb(len(unnamed), n) <= 200_000:
        for rows in itertools.combinations(range(len(unnamed)), n):
            for cols in itertools.permutations(range(len(candidates)), n):
                total = sum(score[i, j] for i, j in zip(rows, cols))
                if best is None or total < best[0]:
                    best = (total, rows, cols)
        assert best is not None
        pairs = list(zip(best[1], best[2]))
    else:
        pairs, used_i, used_j = [], set(), set()
        for (i, j), _ in sorted(score.items(), key=lambda kv: kv[1]):
            if i not in used_i and j not in used_j:
                pairs.append((i, j))
                used_i.add(i)
                used_j.add(j)
    return {unnamed[i]["position"]: (candidates[j], score[i, j]) for i, j in pairs}


def _fmt(x: Optional[float], pct: bool = True) -> str:
    """A computed figure for a message: a fraction in per cent, 2 decimals."""
    if x is None:
        return "-"
    return f"{x * 100.0 if pct else x:.2f}"


def compare_table1(ledger: Ledger, *, totals: Optional[Ledger] = None) -> Table:
    """Compute Table 1 from a SIPRI ledger and set it beside the paper's, row by row.

    The computed table is ``ledger.importers(2016, 2020, top=50, suppliers=3,
    compare=(2011, 2015))``: for each recipient r,

    .. math:: \\mathrm{share}_r = \\mathrm{TIV}_r(2016\\text{-}20) / \\sum_k \\mathrm{TIV}_k(2016\\text{-}20),

    with the sum over **all** recipients (states, non-state actors, organisations and unknown
    recipients), ``share_compare`` the same over 2011-15, ``change_pct = 100 (TIV_r(2016-20) -
    TIV_r(2011-15)) / TIV_r(2011-15)``, and supplier shares ``TIV_sr / TIV_r`` over 2016-20
    (SIPRI fact sheet, Wezeman, Kuimova and Wezeman, 2021). The paper's figures are those of
    :func:`table1`.

    Rows with a name are matched by actor (``pb.actor(name)["name"]``, so ``Turkey`` finds
    ``Turkiye`` and ``USA`` finds ``United States``). The four rows whose name the paper's text
    lost are matched to the computed recipients not already matched, choosing the assignment
    that minimises, summed over the unnamed rows,
    ``|d share| + |d share_compare| + sum_k |d supplier_k_share| / 10 + 2 * (suppliers in the
    wrong place)`` (differences in percentage points); ``match_score`` reports each row's term.

    Parameters
    ----------
    ledger : powerbalance.Ledger
        A ledger covering 2011-2020, e.g. the 2022 TIV tables. A totals-only ledger (import
        totals by recipient, ``ledger.layout == "import-totals"``) gives no suppliers: the
        computed supplier columns are null and the unnamed rows are inferred from shares alone.
    totals : powerbalance.Ledger, optional
        A totals-only ledger (import totals by recipient), e.g. the 2021-vintage import table:
        the same database release as the paper's source. Adds ``totals_rank`` (rank among all
        recipients), ``totals_share``, ``totals_share_diff_pp``, ``totals_share_compare``,
        ``totals_share_compare_diff_pp`` and ``totals_change_pct``, looked up by the row's
        importer (the paper's name, or the inferred one).

    Returns
    -------
    powerbalance.Table
        One row per paper row (40), in the paper's order. Columns:
        ``position, paper_rank, computed_rank, rank_diff`` (computed rank minus position),
        ``importer`` (the paper's name, or the inferred one), ``importer_inferred`` (null for
        named rows), ``computed_recipient`` (the data's spelling), ``match`` (``"name"``,
        ``"inferred from suppliers and shares"``, or ``"name, not in computed top 50"``),
        ``match_score`` (inferred rows only), ``paper_share, computed_share, share_diff_pp``,
        ``paper_share_compare, computed_share_compare, share_compare_diff_pp``,
        ``paper_change_pct, computed_change_pct, change_pct_diff``, for k = 1, 2, 3
        ``paper_supplier_k, computed_supplier_k, paper_supplier_k_share,
        computed_supplier_k_share, supplier_k_share_diff_pp``, ``suppliers_agree`` (the same
        three suppliers in the same order, by actor; a tie matches either of its actors),
        ``suppliers_same_set``, ``share_differs`` (the 2016-20 share of world imports does not
        round to the printed figure: :func:`share_differs`, the one definition of
        :data:`SHARE_DIFFERS`; with ``totals`` also ``totals_share_differs``), ``beyond_rounding``
        (every figure the data does not round to as printed, and every supplier out of place,
        e.g. ``"supplier_1_share 49 vs 54.35"``; empty when none), ``defects`` (from
        :func:`table1`). Differences are computed minus paper.

    Examples
    --------
    >>> import powerbalance as pb
    >>> from powerbalance import paper
    >>> ledger = pb.read_sipri(pb.datasets.path("sipri-tables-2022"))
    >>> cmp = paper.compare_table1(ledger)  # the real 2022 tables  # doctest: +SKIP
    >>> [r["importer"] for r in cmp if r["match"] != "name"]  # the real 2022 tables  # doctest: +SKIP
    ['Norway', 'Netherlands', 'Myanmar', 'Brazil']
    """
    resolve = _resolver()
    computed = _arrow(
        ledger.importers(
            TABLE1_PERIOD[0],
            TABLE1_PERIOD[1],
            top=50,
            suppliers=3 if ledger.layout == "dyadic" else 0,
            compare=TABLE1_COMPARE,
        )
    ).to_pylist()
    computed = [{k: _clean(v) for k, v in c.items()} for c in computed]
    by_key: Dict[Optional[str], Dict[str, Any]] = {}
    for c in computed:
        by_key.setdefault(resolve(c["recipient"]) or c["recipient"], c)

    matched: Dict[int, Dict[str, Any]] = {}
    used = set()
    for p in _TABLE1_ROWS:
        if p["importer"] is None:
            continue
        key = resolve(p["importer"]) or p["importer"]
        c = by_key.get(key)
        if c is not None:
            matched[p["position"]] = c
            used.add(id(c))
    unnamed = [p for p in _TABLE1_ROWS if p["importer"] is None]
    candidates = [c for c in computed if id(c) not in used]
    inferred = _assign(unnamed, candidates, resolve)

    totals_by_key: Dict[str, Dict[str, Any]] = {}
    if totals is not None:
        for t in _arrow(
            totals.importers(TABLE1_PERIOD[0], TABLE1_PERIOD[1], top=None, suppliers=0, compare=TABLE1_COMPARE)
        ).to_pylist():
            totals_by_key.setdefault(resolve(t["recipient"]) or t["recipient"], t)

    out: List[Dict[str, Any]] = []
    for p in _TABLE1_ROWS:
        pos = p["position"]
        score: Optional[float] = None
        inferred_name: Optional[str] = None
        if p["importer"] is not None:
            c = matched.get(pos)
            match = "name" if c is not None else "name, not in computed top 50"
            importer = p["importer"]
        elif pos in inferred:
            c, score = inferred[pos]
            match = "inferred from suppliers and shares"
            inferred_name = resolve(c["recipient"]) or c["recipient"]
            importer = inferred_name
        else:
            c, match, importer = None, "not matched", None
        c = c or {}
        row: Dict[str, Any] = {
            "position": pos,
            "paper_rank": p["rank"],
            "computed_rank": c.get("rank"),
            "rank_diff": (c["rank"] - pos) if c.get("rank") is not None else None,
            "importer": importer,
            "importer_inferred": inferred_name,
            "computed_recipient": c.get("recipient"),
            "match": match,
            "match_score": round(score, 4) if score is not None else None,
            "paper_share": p["share"],
            "computed_share": c.get("share"),
            "share_diff_pp": _pp(p["share"], c.get("share")),
        }
        if totals is not None:
            key = resolve(importer) or importer if importer is not None else None
            t = totals_by_key.get(key, {}) if key is not None else {}
            row["totals_rank"] = t.get("rank")
            row["totals_share"] = _clean(t.get("share"))
            row["totals_share_diff_pp"] = _pp(p["share"], row["totals_share"])
        row.update(
            {
                "paper_share_compare": p["share_compare"],
                "computed_share_compare": c.get("share_compare"),
                "share_compare_diff_pp": _pp(p["share_compare"], c.get("share_compare")),
            }
        )
        if totals is not None:
            row["totals_share_compare"] = _clean(t.get("share_compare"))
            row["totals_share_compare_diff_pp"] = _pp(p["share_compare"], row["totals_share_compare"])
        computed_change = c.get("change_pct")
        row.update(
            {
                "paper_change_pct": p["change_pct"],
                "computed_change_pct": computed_change,
                "change_pct_diff": round(computed_change - p["change_pct"], 10)
                if computed_change is not None
                else None,
            }
        )
        if totals is not None:
            row["totals_change_pct"] = _clean(t.get("change_pct"))
        beyond: List[str] = []
        have = bool(c)
        for field, pval, cval in (
            ("share", p["share"], c.get("share")),
            ("share_compare", p["share_compare"], c.get("share_compare")),
        ):
            if have and cval is not None and abs(cval - pval) * 100 > _half_unit(p["printed"][field]) + 1e-9:
                beyond.append(f"{field} {p['printed'][field]} vs {_fmt(cval)}")
        if (
            have
            and computed_change is not None
            and abs(computed_change - p["change_pct"]) > _half_unit(p["printed"]["change_pct"]) + 1e-9
        ):
            beyond.append(f"change_pct {p['printed']['change_pct']} vs {_fmt(computed_change, pct=False)}")
        agree = have
        for k in (1, 2, 3):
            ps, cs = p[f"supplier_{k}"], c.get(f"supplier_{k}")
            psh, csh = p[f"supplier_{k}_share"], c.get(f"supplier_{k}_share")
            d = _pp(psh, csh)
            row[f"paper_supplier_{k}"] = ps
            row[f"computed_supplier_{k}"] = cs
            row[f"paper_supplier_{k}_share"] = psh
            row[f"computed_supplier_{k}_share"] = csh
            row[f"supplier_{k}_share_diff_pp"] = d
            if not have:
                continue
            if not _supplier_matches(ps, cs, resolve):
                agree = False
                beyond.append(f"supplier_{k} {ps or '-'} vs {cs or '-'}")
            elif psh is not None and csh is not None:
                if abs(csh - psh) * 100 > _half_unit(p["printed"][f"supplier_{k}_share"]) + 1e-9:
                    beyond.append(f"supplier_{k}_share {p['printed'][f'supplier_{k}_share']} vs {_fmt(csh)}")
        paper_keys: List[FrozenSet[str]] = []
        for k in (1, 2, 3):
            keys = _supplier_keys(p[f"supplier_{k}"], resolve)
            if keys:
                paper_keys.append(keys)
        computed_keys = [resolve(c.get(f"supplier_{k}")) for k in (1, 2, 3) if c.get(f"supplier_{k}")]
        same_set = (
            have
            and len(computed_keys) == len(paper_keys)
            and all(any(key in keys for keys in paper_keys) for key in computed_keys)
            and all(any(key in keys for key in computed_keys) for keys in paper_keys)
        )
        row["suppliers_agree"] = agree if have else None
        row["suppliers_same_set"] = same_set if have else None
        row["share_differs"] = share_differs(p["printed"]["share"], c.get("share")) if have else None
        if totals is not None:
            row["totals_share_differs"] = share_differs(p["printed"]["share"], row["totals_share"])
        row["beyond_rounding"] = "; ".join(beyond) if have else "no computed row"
        row["defects"] = p["defects"]
        out.append(row)

    schema = _comparison_schema(totals is not None)
    table = pa.Table.from_pylist(out, schema=schema)
    return _wrap(table)


def _comparison_schema(with_totals: bool) -> pa.Schema:
    f64, i64, s, b = pa.float64(), pa.int64(), pa.string(), pa.bool_()
    fields = [
        ("position", i64),
        ("paper_rank", i64),
        ("computed_rank", i64),
        ("rank_diff", i64),
        ("importer", s),
        ("importer_inferred", s),
        ("computed_recipient", s),
        ("match", s),
        ("match_score", f64),
        ("paper_share", f64),
        ("computed_share", f64),
        ("share_diff_pp", f64),
    ]
    if with_totals:
        fields += [("totals_rank", i64), ("totals_share", f64), ("totals_share_diff_pp", f64)]
    fields += [("paper_share_compare", f64), ("computed_share_compare", f64), ("share_compare_diff_pp", f64)]
    if with_totals:
        fields += [("totals_share_compare", f64), ("totals_share_compare_diff_pp", f64)]
    fields += [("paper_change_pct", f64), ("computed_change_pct", f64), ("change_pct_diff", f64)]
    if with_totals:
        fields += [("totals_change_pct", f64)]
    for k in (1, 2, 3):
        fields += [
            (f"paper_supplier_{k}", s),
            (f"computed_supplier_{k}", s),
            (f"paper_supplier_{k}_share", f64),
            (f"computed_supplier_{k}_share", f64),
            (f"supplier_{k}_share_diff_pp", f64),
        ]
    fields += [("suppliers_agree", b), ("suppliers_same_set", b), ("share_differs", b)]
    if with_totals:
        fields += [("totals_share_differs", b)]
    fields += [("beyond_rounding", s), ("defects", s)]
    return pa.schema([pa.field(n, t) for n, t in fields], metadata={"source": TABLE1_SOURCE})


DIFFERS_MARK = "\u2260"
"""The mark after a computed figure that does not round to the paper's printed one (:data:`SHARE_DIFFERS`)."""

COMPARISON_LEGEND = (
    "Each figure pair reads paper / data: the paper's figure as printed, then the one computed "
    "from the data (per cent, two decimals; one for supplier shares). "
    f"{DIFFERS_MARK} after a computed figure: it does not round to the printed one (the rule of "
    "'a share that differs': |computed - printed| > half a unit of the printed figure's last "
    "digit). 'lost': the paper's text has lost the rank number. '(inferred)': the paper's text "
    "has lost the importer's name; the importer is inferred from the row's shares and suppliers. "
    "A supplier cell reads 'USA 79 / 78.2' when the paper and the data name the same supplier "
    "at that place, and 'Italy 5.9 / data: Israel 5.8' when the data name another. 'none': no "
    "further supplier (the paper's '-')."
)
"""The legend of every mark in :func:`comparison_cells` and :func:`format_comparison`."""

#: (key, header) of :func:`comparison_cells`, in order; "totals" only with a totals ledger.
COMPARISON_HEADERS: Tuple[Tuple[str, str], ...] = (
    ("row", "Row"),
    ("rank_paper", "Rank, paper"),
    ("rank_data", "Rank, data"),
    ("importer", "Importer"),
    ("share", "Share of world imports 2016-20 (%), paper / data"),
    ("totals", "Same, in the paper's own release (2021 totals)"),
    ("share_compare", "Share 2011-15 (%), paper / data"),
    ("change", "Change 2011-15 to 2016-20 (%), paper / data"),
    ("suppliers", "Main suppliers, % of the importer's imports, paper / data"),
)


def comparison_cells(comparison: Any) -> List[Dict[str, str]]:
    """The rows of :func:`compare_table1` as text cells for a reader, keyed as :data:`COMPARISON_HEADERS`.

    Marks as in :data:`COMPARISON_LEGEND`; a computed figure is marked with
    :data:`DIFFERS_MARK` by :func:`share_differs` (the one rule; for the per cent change, the
    same rule on its printed digits).
    """
    rows = _arrow(comparison).to_pylist()
    with_totals = bool(rows) and "totals_share" in rows[0]
    printed = {r["position"]: r["printed"] for r in _TABLE1_ROWS}
    resolve = _resolver()

    def pair(text: Optional[str], computed: Optional[float], nd: int = 2, scale: float = 100.0) -> str:
        if text is None:
            return "none"
        if computed is None:
            return f"{text} / -"
        shown = shown_share(text, computed * scale / 100.0, nd)
        return f"{text} / {shown}" + (f" {DIFFERS_MARK}" if share_differs(text, computed * scale / 100.0) else "")

    out: List[Dict[str, str]] = []
    for r in rows:
        pr = printed[r["position"]]
        name = r["importer"] or "?"
        cells = {
            "row": str(r["position"]),
            "rank_paper": "lost" if r["paper_rank"] is None else str(r["paper_rank"]),
            "rank_data": "-" if r["computed_rank"] is None else str(r["computed_rank"]),
            "importer": name + (" (inferred)" if r["importer_inferred"] else ""),
            "share": pair(pr["share"], r["computed_share"]),
            "share_compare": pair(pr["share_compare"], r["computed_share_compare"]),
            "change": pair(pr["change_pct"], r["computed_change_pct"], nd=1, scale=1.0),
        }
        if with_totals:
            t = r["totals_share"]
            cells["totals"] = "-" if t is None else pair(pr["share"], t).split(" / ", 1)[1]
        sup = []
        for k in (1, 2, 3):
            ps, cs = r[f"paper_supplier_{k}"], r[f"computed_supplier_{k}"]
            pshare = pr.get(f"supplier_{k}_share")
            csh = r[f"computed_supplier_{k}_share"]
            if ps is None and cs is None:
                sup.append("none")
            elif r["computed_rank"] is None or cs is None or _supplier_matches(ps, cs, resolve):
                sup.append(f"{ps or 'none'} {pair(pshare, csh, nd=1)}")
            else:
                sup.append(f"{ps or 'none'} {pshare or ''} / data: {cs} {100 * csh:.1f}".replace("  ", " "))
        cells["suppliers"] = "; ".join(sup)
        out.append(cells)
    return out


def format_comparison(comparison: Any, *, only_differs: bool = False) -> str:
    """The result of :func:`compare_table1` as a fixed-width text table, one line per row, and its legend.

    The cells of :func:`comparison_cells` under short headers; the legend
    (:data:`COMPARISON_LEGEND`) follows the table.

    Parameters
    ----------
    comparison : powerbalance.Table
        The result of :func:`compare_table1`.
    only_differs : bool, default False
        Print only the rows whose 2016-20 share differs (:func:`share_differs`).

    Returns
    -------
    str

    Examples
    --------
    >>> from powerbalance import paper
    >>> ledger = pb.read_sipri(pb.datasets.path("sipri-tables-2022"))
    >>> print(paper.format_comparison(paper.compare_table1(ledger)))  # the real 2022 tables  # doctest: +SKIP
    row  rank:  importer  share 2016-20 (%)  share 2011-15 (%)  change (%)  main suppliers (% of the importer's imports)
         paper  data      paper / data       paper / data       paper / data  paper / data
    1    1      1     Saudi Arabia  11 / 11.40  7.1 / 7.07  61 / 62.0 ≠  USA 79 / 78.2 ≠; UK 9.3 / 9.2 ≠; ...
    ...
    """
    rows = _arrow(comparison).to_pylist()
    cells = comparison_cells(comparison)
    keys = [k for k, _ in COMPARISON_HEADERS if not cells or k in cells[0]]
    top = {
        "row": "row",
        "rank_paper": "rank:",
        "rank_data": "",
        "importer": "importer",
        "share": "share 2016-20 (%)",
        "totals": "2021 release",
        "share_compare": "share 2011-15 (%)",
        "change": "change (%)",
        "suppliers": "main suppliers (% of the importer's imports)",
    }
    sub = {
        "row": "",
        "rank_paper": "paper",
        "rank_data": "data",
        "importer": "",
        "share": "paper / data",
        "totals": "(%)",
        "share_compare": "paper / data",
        "change": "paper / data",
        "suppliers": "paper / data",
    }
    shown = [c for r, c in zip(rows, cells) if not only_differs or r["share_differs"]]
    width = {k: max([len(top[k]), len(sub[k])] + [len(c[k]) for c in shown]) for k in keys[:-1]}

    def line(c: Dict[str, str]) -> str:
        return "  ".join(c[k].ljust(width[k]) for k in keys[:-1]) + "  " + c[keys[-1]]

    out = [line(top).rstrip(), line(sub).rstrip()]
    out += [line(c) for c in shown]
    return "\n".join(out) + "\n\n" + COMPARISON_LEGEND
