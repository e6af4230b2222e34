"""Conversions of the publishers' originals into the files powerbalance reads.

Several registered data sets are not published as the CSV file that powerbalance reads: the
public copies are R data files (``.rda``), a Stata file (``.dta``) or an Excel workbook
(``.xlsx``). :func:`powerbalance.datasets.fetch` downloads the original(s) from a pinned URL,
checks their sha256 and size, converts them here, and installs the result only when it has the
registered sha256 of our file. Each function below is one recipe of the section "Original for
download" of the data folder's README, followed exactly (the recipes were verified there to
rebuild our files byte for byte); each takes the paths of its originals and returns the bytes of
the file.

Libraries (imported inside the functions, so ``import powerbalance`` does not import them):

- ``pyreadr`` (0.5.x) reads R's ``.rda``: a maintained wrapper of the C library librdata, with
  wheels for Linux, macOS and Windows, that gives pandas data frames; the READMEs verified the
  recipes with pyreadr 0.5.8 (and, separately, with ``rdata`` 1.1.0, which needs xarray too).
- ``pandas`` (2 or later) reads Stata's ``.dta`` (``pandas.read_stata``, verified with pandas
  3.1.1) and the country code list as strings.
- ``openpyxl`` (3.1) reads the SIPRI military expenditure workbook. It is needed because SIPRI
  marks estimates and uncertain figures by the **font colour** of a cell (blue, red), which faster
  readers (python-calamine) do not report. Verified with openpyxl 3.1.5.

Numbers are written as each recipe says (integers as integers, ``repr`` of a float, ``%.10g``,
``%.3f`` or ``%.7g``), with LF line endings, a final newline, missing values as empty fields
and standard CSV quoting.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple

__all__ = [
    "RECIPES",
    "ConversionError",
    "nmc_v7",
    "cow_states_csv",
    "country_crosswalk",
    "sipri_milex_long",
    "cow_alliance",
    "atop_alliance",
    "maddison",
    "sdp_gdp",
    "ideal_points",
]


class ConversionError(ValueError):
    """An original does not have the shape its recipe expects."""


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _missing(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)  # NaN, pandas NA
    except (TypeError, ValueError):
        return False


def _int(v: Any) -> str:
    """An integer, or empty for a missing value."""
    if _missing(v):
        return ""
    f = float(v)
    if f != int(f):
        raise ConversionError(f"expected a whole number, got {v!r}")
    return str(int(f))


def _short(v: Any) -> str:
    """A whole number as an integer, any other as the shortest round-trip decimal."""
    if _missing(v):
        return ""
    f = float(v)
    if math.isfinite(f) and f == int(f):
        return str(int(f))
    return repr(f)


def _g(digits: int) -> Callable[[Any], str]:
    fmt = f"%.{digits}g"

    def out(v: Any) -> str:
        return "" if _missing(v) else fmt % float(v)

    return out


def _f3(v: Any) -> str:
    return "" if _missing(v) else "%.3f" % float(v)


def _read_rda(path: Path, name: str) -> Any:
    import pyreadr

    try:
        result = pyreadr.read_r(str(path))
    except Exception as e:  # pyreadr raises its own LibrdataError and others
        raise ConversionError(f"{path}: not a readable R data file ({e})") from None
    if name not in result:
        raise ConversionError(f"{path}: no R object {name!r} (it has {', '.join(result) or 'none'})")
    return result[name]


def _need_columns(df: Any, columns: Sequence[str], where: str) -> None:
    lacking = [c for c in columns if c not in df.columns]
    if lacking:
        has = ", ".join(map(str, df.columns))
        raise ConversionError(f"{where}: missing column(s) {', '.join(lacking)} (has {has})")


def _read_codelist(path: Path) -> Any:
    import pandas as pd

    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


# -- COW ------------------------------------------------------------------------------------


def cow_states_csv(src: Path) -> bytes:
    """``cow_states/states2016.csv`` and ``majors2016.csv`` (recipe of ``cow_states/README.md``).

    COW's own CSV, as committed in ``brickleq/CoW``, with CRLF turned into LF and a final newline
    added; nothing else.
    """
    data = Path(src).read_bytes().replace(b"\r\n", b"\n")
    if not data.endswith(b"\n"):
        data += b"\n"
    return data


def nmc_v7(rda: Path, states: Path) -> bytes:
    """``cow_nmc/NMC-v7.0-abridged.csv`` (recipe of ``cow_nmc/README.md``).

    1. Object ``cow_nmc`` of peacesciencer's ``cow_nmc.rda``: 17,121 rows, ``ccode, year, milex,
       milper, irst, pec, tpop, upop, cinc`` (doubles; -9 already NA).
    2. ``stateabb`` left-joined on ``ccode`` from COW ``states2016.csv`` (one per ccode).
    3. Columns ``stateabb, ccode, year, milex, ..., cinc`` in the .rda's row order.
    4. NA empty, whole numbers as integers, other values as ``repr(float)``.
    """
    df = _read_rda(rda, "cow_nmc")
    cols = ["ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]
    _need_columns(df, cols, str(rda))
    abb: Dict[int, str] = {}
    text = cow_states_csv(states).decode("utf-8")
    for row in csv.DictReader(io.StringIO(text)):
        abb.setdefault(int(row["ccode"]), row["stateabb"])
    rows = []
    for rec in df[cols].itertuples(index=False):
        cc = int(rec[0])
        if cc not in abb:
            raise ConversionError(f"{rda}: ccode {cc} is not in {states}")
        rows.append([abb[cc], _int(rec[0]), _int(rec[1])] + [_short(v) for v in rec[2:]])
    return _csv(["stateabb"] + cols, rows)


def cow_alliance(rda: Path) -> bytes:
    """``alliances/cow_alliance_v4.1_dyad_year.csv`` (COW recipe of ``alliances/README.md``).

    Object ``cow_alliance`` (120,784 symmetric rows); the rows with ``ccode1 < ccode2`` in the
    .rda's order (60,392); every value an integer.
    """
    df = _read_rda(rda, "cow_alliance")
    cols = ["ccode1", "ccode2", "year", "cow_defense", "cow_neutral", "cow_nonagg", "cow_entente"]
    _need_columns(df, cols, str(rda))
    kept = df[df["ccode1"] < df["ccode2"]]
    return _csv(cols, ([_int(v) for v in rec] for rec in kept[cols].itertuples(index=False)))


def atop_alliance(rda: Path) -> bytes:
    """``alliances/atop_v5.1_directed_dyad_year.csv`` (ATOP recipe of ``alliances/README.md``).

    Object ``atop_alliance`` (273,296 rows, 8 columns) as is, every value an integer.
    """
    df = _read_rda(rda, "atop_alliance")
    cols = ["ccode1", "ccode2", "year", "atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]
    _need_columns(df, cols, str(rda))
    return _csv(cols, ([_int(v) for v in rec] for rec in df[cols].itertuples(index=False)))


# -- GDP ------------------------------------------------------------------------------------


def maddison(data_rda: Path, countries_rda: Path) -> bytes:
    """``gdp/maddison_mpd2023.csv`` (Maddison recipe of ``gdp/README.md``).

    ``MaddisonData`` (``ISO, year, gdppc, pop``) left-joined on ``ISO`` with
    ``MaddisonCountries`` (``ISO, country, region``); ``ISO`` renamed ``iso3c``; columns
    ``iso3c, country, region, year, gdppc, pop`` in ``MaddisonData``'s order; ``year`` an
    integer, ``gdppc`` and ``pop`` with ``%.10g``.
    """
    data = _read_rda(data_rda, "MaddisonData")
    countries = _read_rda(countries_rda, "MaddisonCountries")
    _need_columns(data, ["ISO", "year", "gdppc", "pop"], str(data_rda))
    _need_columns(countries, ["ISO", "country", "region"], str(countries_rda))
    names = {str(r[0]): (str(r[1]), str(r[2])) for r in countries[["ISO", "country", "region"]].itertuples(index=False)}
    g10 = _g(10)
    rows = []
    for iso, year, gdppc, pop in data[["ISO", "year", "gdppc", "pop"]].itertuples(index=False):
        if iso not in names:
            raise ConversionError(f"{data_rda}: ISO {iso!r} is not in {countries_rda}")
        country, region = names[iso]
        rows.append([iso, country, region, _int(year), g10(gdppc), g10(pop)])
    return _csv(["iso3c", "country", "region", "year", "gdppc", "pop"], rows)


def sdp_gdp(rda: Path) -> bytes:
    """``gdp/cow_sdp_gdp_log.csv`` (SDP/GDP recipe of ``gdp/README.md``).

    Object ``cow_sdp_gdp`` (27,753 rows) as is: ``ccode``, ``year`` integers, the four value
    columns with ``%.3f``.
    """
    df = _read_rda(rda, "cow_sdp_gdp")
    cols = ["ccode", "year", "wbgdp2011est", "wbpopest", "sdpest", "wbgdppc2011est"]
    _need_columns(df, cols, str(rda))
    return _csv(cols, ([_int(r[0]), _int(r[1])] + [_f3(v) for v in r[2:]] for r in df[cols].itertuples(index=False)))


# -- UN ideal points ------------------------------------------------------------------------


def ideal_points(dta: Path) -> bytes:
    """``un_ideal_points/IdealpointsJuly2025.csv`` (recipe of ``un_ideal_points/README.md``).

    ``pandas.read_stata(path, convert_categoricals=False)``: 11,440 rows x 24 columns in the
    file's order. Integer columns (``ccode``) and whole-valued ``year`` and ``nvotes*`` as
    integers; every other float column with ``%.7g`` of the float32 value widened to float64;
    strings as they are; missing values empty.
    """
    import pandas as pd
    from pandas.api.types import is_float_dtype, is_integer_dtype

    try:
        df = pd.read_stata(dta, convert_categoricals=False)
    except Exception as e:  # pandas raises ValueError and others for a file that is not .dta
        raise ConversionError(f"{dta}: not a readable Stata file ({e})") from None
    _need_columns(df, ["ccode", "year", "nvotesfp", "nvotesall", "nvotesLegacy"], str(dta))
    as_int = {"ccode", "year", "nvotesfp", "nvotesall", "nvotesLegacy"}
    g7 = _g(7)
    writers: List[Callable[[Any], str]] = []
    for name in df.columns:
        kind = df[name].dtype
        if name in as_int or is_integer_dtype(kind):
            writers.append(_int)
        elif is_float_dtype(kind):
            writers.append(g7)
        else:
            writers.append(lambda v: "" if _missing(v) else str(v))
    rows = ([w(v) for w, v in zip(writers, rec)] for rec in df.itertuples(index=False))
    return _csv([str(c) for c in df.columns], rows)


# -- country codes and SIPRI military expenditure --------------------------------------------

_CROSSWALK = [
    ("country.name.en", "name"),
    ("iso3c", "iso3c"),
    ("iso2c", "iso2c"),
    ("iso3n", "iso3n"),
    ("cowc", "cowc"),
    ("cown", "cown"),
    ("cow.name", "cow_name"),
    ("gwc", "gwc"),
    ("gwn", "gwn"),
    ("un", "un"),
    ("wb", "wb"),
    ("imf", "imf"),
    ("continent", "continent"),
    ("region", "region"),
    ("country.name.en.regex", "name_regex"),
]


def country_crosswalk(codelist: Path) -> bytes:
    """``country_codes/cow_iso3_crosswalk.csv`` (recipe of ``country_codes/README.md``).

    countrycode's ``codelist_without_cldr.csv`` read with every column a string and empty
    fields kept empty (``pandas.read_csv(dtype=str, keep_default_na=False)``); all 292 rows in
    order; 15 columns renamed (``country.name.en`` -> ``name``, ``cow.name`` -> ``cow_name``,
    ``country.name.en.regex`` -> ``name_regex``, ...).
    """
    df = _read_codelist(codelist)
    src = [a for a, _ in _CROSSWALK]
    _need_columns(df, src, str(codelist))
    return _csv([b for _, b in _CROSSWALK], df[src].itertuples(index=False))


_REGIONS = {"Africa", "Americas", "Asia & Oceania", "Europe", "Middle East"}
_SHEETS = [  # sheet, first year column (1-based), notes column
    ("Constant (2023) US$", 4, 3),
    ("Current US$", 3, 2),
    ("Share of GDP", 3, 2),
]
_YEARS = list(range(1949, 2025))
_CCODE_BY_HAND = {
    "USSR": 365,
    "Yemen, North": 678,
    "German Democratic Republic": 265,
    "Czechoslovakia": 315,
    "Yugoslavia": 345,
    "Serbia": 345,
    "Kosovo": 347,
    "Germany": 255,
}


def _flag(cell: Any) -> str:
    color = cell.font.color if cell.font is not None else None
    rgb = getattr(color, "rgb", None) if color is not None else None
    if rgb is None or not isinstance(rgb, str) or rgb == "FF000000":
        return "R"
    if rgb == "FF0000FF":
        return "E"
    if rgb == "FFFF0000":
        return "U"
    raise ConversionError(f"cell {cell.coordinate}: unexpected font colour {rgb!r}")


def _milex_sheet(ws: Any, first_year_col: int, notes_col: int, where: str) -> List[Dict[str, Any]]:
    header = [ws.cell(row=6, column=first_year_col + i).value for i in range(len(_YEARS))]
    if [int(h) if h is not None else None for h in header] != _YEARS:
        raise ConversionError(f"{where}: row 6 does not hold the years 1949-2024 from column {first_year_col}")
    out: List[Dict[str, Any]] = []
    region = subregion = ""
    last_col = first_year_col + len(_YEARS) - 1
    for row in ws.iter_rows(min_row=8, max_col=last_col):
        name = row[0].value
        if name is None:
            continue
        name = str(name).strip()
        cells = row[first_year_col - 1 : last_col]
        if all(c.value is None for c in cells):
            if name in _REGIONS:
                region, subregion = name, ""
            else:
                subregion = name
            continue
        values: List[Tuple[Optional[float], str]] = []
        for c in cells:
            v = c.value
            if isinstance(v, str) and v.strip() == "...":
                values.append((None, "NA"))
            elif isinstance(v, str) and v.strip() == "xxx":
                values.append((None, "X"))
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                values.append((float(v), _flag(c)))
            else:
                raise ConversionError(f"{where}!{c.coordinate}: unexpected value {v!r}")
        notes = row[notes_col - 1].value
        note = "" if notes is None else str(notes)
        out.append({"country": name, "region": region, "subregion": subregion, "values": values, "notes": note})
    return out


def sipri_milex_long(xlsx: Path, codelist: Path) -> bytes:
    """``sipri_milex/sipri_milex_1949_2024_long.csv`` (recipe of ``sipri_milex/README.md``).

    1. Sheets ``Constant (2023) US$`` (years in D..CA, notes in C), ``Current US$`` and
       ``Share of GDP`` (years in C..BZ, notes in B); header row 6, data from row 8, name in A.
    2. A row with all 76 year cells empty is a heading: a region (Africa, Americas, Asia &
       Oceania, Europe, Middle East; clears the subregion) or a subregion. 174 countries, the
       same on the three sheets; ``European Union`` dropped: 173 x 76 = 13,148 rows.
    3. ``...`` -> empty, flag ``NA``; ``xxx`` -> empty, ``X``; a number -> its value, flag by
       font colour: none or black ``R``, blue ``E``, red ``U``.
    4. ``notes`` from the Notes cell.
    5. ISO3 and COW codes: the one code-list row whose ``country.name.en.regex`` matches the
       name (``re.search``, case-insensitive), then by hand (USSR no ISO3; ccodes of USSR,
       North Yemen, GDR, Czechoslovakia, Yugoslavia, Serbia, Kosovo, Germany).
    6. Sorted by ``region, subregion, country, year``; values with ``%.10g``.
    """
    import openpyxl

    try:
        wb = openpyxl.load_workbook(xlsx, read_only=False, data_only=True)
    except Exception as e:  # openpyxl raises zipfile, KeyError and others on a bad file
        raise ConversionError(f"{xlsx}: not a readable Excel workbook ({e})") from None
    try:
        sheets = []
        for title, ycol, ncol in _SHEETS:
            if title not in wb.sheetnames:
                raise ConversionError(f"{xlsx}: no sheet {title!r} (it has {', '.join(wb.sheetnames)})")
            sheets.append(_milex_sheet(wb[title], ycol, ncol, f"{xlsx}[{title}]"))
    finally:
        wb.close()
    names = [[r["country"] for r in s] for s in sheets]
    if not (names[0] == names[1] == names[2]):
        raise ConversionError(f"{xlsx}: the three sheets do not list the same countries in the same order")
    codes = _read_codelist(codelist)
    _need_columns(codes, ["country.name.en.regex", "iso3c", "cown"], str(codelist))
    code_rows = codes[["country.name.en.regex", "iso3c", "cown"]].itertuples(index=False)
    patterns = [(re.compile(rx, re.IGNORECASE), iso, cown) for rx, iso, cown in code_rows if rx]
    g10 = _g(10)
    rows = []
    for i, const in enumerate(sheets[0]):
        country = const["country"]
        if country == "European Union":
            continue
        hits = [(iso, cown) for rx, iso, cown in patterns if rx.search(country)]
        if len(hits) != 1:
            raise ConversionError(f"{codelist}: {len(hits)} code-list rows match {country!r}, expected 1")
        iso3c, cown = hits[0]
        if country == "USSR":
            iso3c = ""
        ccode = str(_CCODE_BY_HAND[country]) if country in _CCODE_BY_HAND else cown
        cur, share = sheets[1][i], sheets[2][i]
        for k, year in enumerate(_YEARS):
            (cv, cf), (uv, uf), (sv, sf) = const["values"][k], cur["values"][k], share["values"][k]
            rows.append(
                (const["region"], const["subregion"], country, year,
                 [country, iso3c, ccode, const["region"], const["subregion"], str(year),
                  g10(cv), cf, g10(uv), uf, g10(sv), sf, const["notes"]])
            )  # fmt: skip
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3]))
    header = [
        "country", "iso3c", "ccode", "region", "subregion", "year", "milex_const2023_usd_m", "const_flag",
        "milex_current_usd_m", "current_flag", "milex_share_gdp", "share_gdp_flag", "notes",
    ]  # fmt: skip
    return _csv(header, (r[4] for r in rows))


#: Recipe name -> function; :class:`powerbalance.datasets.Build` names one of these.
RECIPES: Dict[str, Callable[..., bytes]] = {
    "nmc_v7": nmc_v7,
    "cow_states_csv": cow_states_csv,
    "country_crosswalk": country_crosswalk,
    "sipri_milex_long": sipri_milex_long,
    "cow_alliance": cow_alliance,
    "atop_alliance": atop_alliance,
    "maddison": maddison,
    "sdp_gdp": sdp_gdp,
    "ideal_points": ideal_points,
}
