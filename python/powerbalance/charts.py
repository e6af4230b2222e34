"""Charts of result tables: a Vega-Lite v5 specification for JupyterLab, an SVG for the rest.

:func:`chart` turns any result table (a :class:`~powerbalance.Table`, or anything with the Arrow
PyCapsule interface or a dict of columns) into a :class:`Chart`. In a notebook the chart shows
itself through ``_repr_mimebundle_``: JupyterLab draws the ``application/vnd.vegalite.v5+json``
specification natively (its built-in Vega extension, as an SVG); front ends without Vega show
the ``image/svg+xml`` fallback that matplotlib draws in the kernel process. Rhai cells reach the
same function as ``chart(table, #{x: "year", y: "tiv", kind: "line"})`` in the Rhai kernel and
in ``%%rhai`` cells (see :data:`RHAI_CHART_FN`).

The axes carry the units of the core's table formatter (``powerbalance_core::format``): shares
(``share``, ``*_share``, ``cinc``) and ``*_pct`` columns in per cent, years as plain digits,
other numbers with thousands separators.

Nothing here is imported by ``import powerbalance``: the module, pyarrow (through the table)
and matplotlib (only for the fallback) load on first use.

Examples
--------
>>> import powerbalance as pb
>>> t = pb.Table({"year": [2016, 2017, 2018], "tiv": [1200.0, 950.5, 1010.0]})
>>> c = pb.chart(t, x="year", y="tiv")
>>> c
Chart: line of tiv by year, 3 points
>>> c.spec["mark"]["type"], c.spec["encoding"]["x"]["axis"]["format"]
('line', 'd')
>>> data, metadata = c._repr_mimebundle_()
>>> sorted(data)
['application/vnd.vegalite.v5+json', 'image/svg+xml', 'text/plain']
"""

from __future__ import annotations

import io
import math
import os
import re
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Tuple, Union

if TYPE_CHECKING:
    from .script import Engine

__all__ = [
    "Chart",
    "chart",
    "KINDS",
    "VEGALITE_MIME",
    "VEGALITE_SCHEMA",
    "RHAI_CHART_FN",
    "chart_from_script",
    "eval_with_charts",
]

#: The MIME type JupyterLab (3 and 4) renders with its built-in Vega-Lite 5 extension.
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
VEGALITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"

#: The kinds of chart and the Vega-Lite mark each draws.
KINDS: Dict[str, str] = {"line": "line", "bar": "bar", "point": "point", "area": "area"}

#: The largest table charted (rows): the specification carries the data inline.
MAX_ROWS = 50_000

#: Marker key of the map that ``chart`` returns in Rhai (see :data:`RHAI_CHART_FN`).
SCRIPT_MARK = "$chart"

#: The Rhai function ``chart(table, options)`` that the Rhai kernel and ``%%rhai`` cells add to
#: every cell (kept on one line, so line numbers in errors stay the cell's own). It checks the
#: options where the script calls it (an error then carries that line) and returns a map that
#: the host turns into a :class:`Chart` with :func:`chart_from_script`. The command-line runner
#: does not have it: charts are for notebooks.
_USAGE = "chart(table, #{x: ..., y: ...})"
RHAI_CHART_FN = (
    "fn chart(t, o) { "
    'if type_of(t) != "Table" { '
    f"throw `{_USAGE}: the first argument must be a table, not ${{type_of(t)}}`; }} "
    'if type_of(o) != "map" { '
    f"throw `{_USAGE}: the options must be a map, not ${{type_of(o)}}`; }} "
    'for k in o.keys() { if !["x", "y", "kind", "color", "title"].contains(k) { '
    "throw `chart: unknown option ${k}; the options are x, y, kind, color, title`; } } "
    'if !("x" in o) || !("y" in o) { '
    'throw `chart: give the columns of both axes, #{x: "year", y: "tiv"}; the table has ${t.columns}`; } '
    'let ys = if type_of(o.y) == "array" { o.y } else { [o.y] }; '
    'for c in [o.x] + ys + (if "color" in o { [o.color] } else { [] }) { if !t.columns.contains(c) { '
    "throw `chart: the table has no column ${c}; its columns are ${t.columns}`; } } "
    'if "kind" in o && !["line", "bar", "point", "area"].contains(o.kind) { '
    "throw `chart: unknown kind ${o.kind}; use line, bar, point or area`; } "
    '#{"$chart": o, table: t} } '
)

#: ``chart`` as the engine's function listing describes a function (for completion and help).
RHAI_CHART_DOC: Dict[str, Any] = {
    "name": "chart",
    "signature": "chart(table: Table, options: map) -> Chart",
    "params": [("table", "Table"), ("options", "map")],
    "returns": "Chart",
    "this": None,
    "property": False,
    "doc": (
        "A chart of a result table, drawn in the notebook (Vega-Lite, with an SVG fallback).\n"
        "options: x (a column), y (a column or an array of columns), kind (\"line\", \"bar\", "
        "\"point\" or \"area\"; default line), color (a column that splits a long table into "
        "series), title.\n"
        "Example: chart(led.series(\"China\", 1992, 2021), #{x: \"year\", y: \"exports\"})"
    ),
}


def _is_share(name: str) -> bool:
    """Shares as the core formatter knows them (``share``, ``share_*``, ``*_share``, ``cinc``)."""
    return name in ("share", "cinc") or name.startswith("share_") or name.endswith("_share")


def _is_pct(name: str) -> bool:
    return name.endswith("_pct")


def _is_year(name: str) -> bool:
    return name in ("year", "start", "end", "order_year", "from_year", "to_year") or name.endswith("_year")


def _clean(v: Any) -> Any:
    """A JSON value: NaN and infinities become null (Vega then leaves a gap)."""
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


class Chart:
    """A chart of a table: a Vega-Lite v5 specification and its drawing.

    Made by :func:`chart`. In Jupyter it displays itself (``_repr_mimebundle_``); elsewhere
    :meth:`to_svg`, :meth:`to_png` and :meth:`save` give the drawing, :attr:`spec` the
    specification (a dict, JSON-ready).

    Attributes
    ----------
    spec : dict
        The Vega-Lite v5 specification, the data inline (``data.values``).
    kind, x, y, color, title
        What :func:`chart` was given (``y`` always a list).
    """

    def __init__(
        self,
        rows: List[Dict[str, Any]],
        types: Dict[str, str],
        kind: str,
        x: str,
        y: List[str],
        color: Optional[str],
        title: Optional[str],
    ) -> None:
        self.kind = kind
        self.x = x
        self.y = y
        self.color = color
        self.title = title
        self._rows = rows
        self._types = types
        self.spec: Dict[str, Any] = self._spec()

    # -- the Vega-Lite specification ---------------------------------------------------------

    def _field(self, name: str, channel: str) -> Dict[str, Any]:
        t = self._types.get(name, "string")
        enc: Dict[str, Any] = {"field": name, "title": name}
        if t == "string" or (channel == "x" and self.kind == "bar" and not _is_year(name)):
            enc["type"] = "nominal"
            if channel == "x":
                enc["sort"] = None  # the table's order (ranked tables stay ranked)
        elif t == "int" and _is_year(name):
            enc["type"] = "ordinal" if self.kind == "bar" else "quantitative"
            enc["axis"] = {"format": "d"}
            if self.kind != "bar":
                enc["scale"] = {"zero": False}
        else:
            enc["type"] = "quantitative"
            if _is_share(name):
                enc["axis"] = {"format": ".0%"}
            elif _is_pct(name):
                enc["axis"] = {"format": ".0f"}
                enc["title"] = f"{name} (%)"
            else:
                enc["axis"] = {"format": ",.0f" if t == "int" else ",~r"}
        return enc

    def _spec(self) -> Dict[str, Any]:
        mark: Dict[str, Any] = {"type": KINDS[self.kind], "tooltip": True}
        if self.kind == "line":
            mark["point"] = len(self._rows) <= 60
        enc: Dict[str, Any] = {"x": self._field(self.x, "x")}
        transform: List[Dict[str, Any]] = []
        if len(self.y) == 1:
            enc["y"] = self._field(self.y[0], "y")
        else:
            # a wide table: one series per y column (Vega-Lite's fold)
            transform.append({"fold": list(self.y), "as": ["series", "value"]})
            first = self._field(self.y[0], "y")
            enc["y"] = {"field": "value", "type": "quantitative", "title": ", ".join(self.y)}
            if "axis" in first:
                enc["y"]["axis"] = first["axis"]
            enc["color"] = {"field": "series", "type": "nominal", "title": None}
        if self.color is not None:
            enc["color"] = {"field": self.color, "type": "nominal", "title": self.color}
        if self.kind == "bar" and ("color" in enc):
            enc["xOffset"] = {"field": enc["color"]["field"]}
        spec: Dict[str, Any] = {
            "$schema": VEGALITE_SCHEMA,
            "data": {"values": self._rows},
            "mark": mark,
            "encoding": enc,
            "width": 480,
            "height": 260,
        }
        if transform:
            spec["transform"] = transform
        if self.title:
            spec["title"] = self.title
        return spec

    # -- the drawing (matplotlib, lazily) -----------------------------------------------------

    def _series(self) -> List[Tuple[str, List[Any], List[Any]]]:
        """(label, xs, ys) per series, in the table's order."""
        out: List[Tuple[str, List[Any], List[Any]]] = []
        if self.color is not None:
            groups: Dict[str, Tuple[List[Any], List[Any]]] = {}
            for r in self._rows:
                xs, ys = groups.setdefault(str(r.get(self.color)), ([], []))
                xs.append(r.get(self.x))
                ys.append(r.get(self.y[0]))
            return [(k, xs, ys) for k, (xs, ys) in groups.items()]
        for y in self.y:
            out.append((y, [r.get(self.x) for r in self._rows], [r.get(y) for r in self._rows]))
        return out

    def figure(self) -> Any:
        """The chart as a :class:`matplotlib.figure.Figure` (no pyplot state is touched)."""
        from matplotlib.figure import Figure
        from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

        fig = Figure(figsize=(6.4, 3.6), dpi=100)
        ax = fig.add_subplot()
        series = self._series()
        nominal_x = self._types.get(self.x) == "string" or self.kind == "bar"
        cats: List[Any] = []
        if nominal_x:
            for _, xs, _ in series:
                for v in xs:
                    if v not in cats:
                        cats.append(v)
        width = 0.8 / max(1, len(series))
        for i, (label, xs, ys) in enumerate(series):
            fy = [math.nan if v is None else float(v) for v in ys]
            if nominal_x:
                pos = [cats.index(v) for v in xs]
                if self.kind == "bar":
                    ax.bar([p - 0.4 + width * (i + 0.5) for p in pos], fy, width=width, label=label)
                else:
                    ax.plot(pos, fy, marker="o" if self.kind == "point" else None, label=label,
                            linestyle="none" if self.kind == "point" else "-")
            elif self.kind == "bar":
                ax.bar([float(v) - 0.4 + width * (i + 0.5) for v in xs], fy, width=width, label=label)
            elif self.kind == "point":
                ax.scatter(xs, fy, s=12, label=label)
            elif self.kind == "area":
                ax.fill_between(xs, fy, alpha=0.4, label=label)
            else:
                ax.plot(xs, fy, label=label)
        if nominal_x:
            ax.set_xticks(range(len(cats)))
            slanted = len(cats) > 6
            ax.set_xticklabels(
                [str(c) for c in cats], rotation=45 if slanted else 0, ha="right" if slanted else "center"
            )
        elif _is_year(self.x):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
        y0 = self.y[0]
        if _is_share(y0):
            ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        else:
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 10 else f"{v:g}"))
        ax.set_xlabel(self.x)
        ax.set_ylabel(self.spec["encoding"]["y"].get("title", ", ".join(self.y)))
        if len(series) > 1:
            ax.legend(fontsize=8, frameon=False)
        if self.title:
            ax.set_title(self.title)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        return fig

    def to_svg(self) -> str:
        """The chart drawn by matplotlib, as SVG text."""
        buf = io.StringIO()
        self.figure().savefig(buf, format="svg")
        return buf.getvalue()

    def to_png(self) -> bytes:
        """The chart drawn by matplotlib, as PNG bytes."""
        buf = io.BytesIO()
        self.figure().savefig(buf, format="png")
        return buf.getvalue()

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Write the chart: ``.svg`` or ``.png`` (matplotlib's drawing), ``.json`` (the
        Vega-Lite specification), by the file's suffix.

        Raises
        ------
        ValueError
            For another suffix.
        """
        import json

        p = os.fspath(path)
        ext = os.path.splitext(p)[1].lower()
        if ext == ".svg":
            data: Union[str, bytes] = self.to_svg()
        elif ext == ".png":
            data = self.to_png()
        elif ext == ".json":
            data = json.dumps(self.spec, indent=1)
        else:
            raise ValueError(f"Chart.save({p!r}): write .svg, .png or .json")
        tmp = p + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, p)

    def _repr_mimebundle_(
        self, include: Optional[Sequence[str]] = None, exclude: Optional[Sequence[str]] = None
    ) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """The displays and their metadata, as IPython takes them: Vega-Lite v5 (drawn by
        JupyterLab as an SVG, without its action menu), an SVG fallback drawn by matplotlib,
        and a line of text."""
        bundle: Dict[str, Any] = {VEGALITE_MIME: self.spec, "text/plain": repr(self)}

        def wanted(mime: str) -> bool:
            return (include is None or mime in include) and not (exclude is not None and mime in exclude)

        if wanted("image/svg+xml"):
            bundle["image/svg+xml"] = self.to_svg()
        data = {m: v for m, v in bundle.items() if wanted(m)}
        return data, {VEGALITE_MIME: {"embed_options": {"renderer": "svg", "actions": False}}}

    def __repr__(self) -> str:
        ys = ", ".join(self.y)
        by = f" per {self.color}" if self.color else ""
        n = len(self._rows)
        return f"Chart: {self.kind} of {ys} by {self.x}{by}, {n} point{'s' * (n != 1)}"


def chart(
    table: Any,
    x: str,
    y: Union[str, Sequence[str]],
    kind: str = "line",
    *,
    color: Optional[str] = None,
    title: Optional[str] = None,
) -> Chart:
    """A chart of a result table: a line, bar, point or area chart of ``y`` against ``x``.

    Parameters
    ----------
    table : Table or Arrow table or dict of columns
        Any result table (anything :class:`powerbalance.Table` takes).
    x : str
        The column along the x axis: years (an integer column named ``year`` or ``*_year``)
        are drawn as plain digits, text columns as categories in the table's order.
    y : str or list of str
        The column(s) along the y axis: several columns of a wide table give one series each.
    kind : {"line", "bar", "point", "area"}
        The mark.
    color : str, optional
        A column that splits a long table into series (one line or bar per value), e.g.
        ``color="supplier"`` for a table of ``year, supplier, tiv``.
    title : str, optional
        The chart's title.

    Returns
    -------
    Chart
        Displays itself in Jupyter (Vega-Lite v5 and an SVG fallback).

    Raises
    ------
    KeyError
        For a column the table does not have (the message lists its columns).
    ValueError
        For an unknown ``kind``, ``color`` together with several ``y`` columns, a ``y`` column
        that is not numeric, or a table of more than :data:`MAX_ROWS` rows.

    Examples
    --------
    >>> t = pb.Table({"recipient": ["India", "Saudi Arabia", "China"], "share": [0.248, 0.25, 0.24]})
    >>> c = pb.chart(t, x="recipient", y="share", kind="bar")
    >>> c.spec["encoding"]["y"]["axis"], c.spec["encoding"]["x"]["sort"]
    ({'format': '.0%'}, None)
    >>> pb.chart(t, x="recipient", y="tiv")
    Traceback (most recent call last):
    ...
    KeyError: "chart: the table has no column 'tiv'; its columns are ['recipient', 'share']"
    """
    from .table import Table

    t = Table(table)
    if kind not in KINDS:
        raise ValueError(f"chart: unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    ys = [y] if isinstance(y, str) else list(y)
    if not ys:
        raise ValueError("chart: give at least one y column")
    if color is not None and len(ys) > 1:
        raise ValueError("chart: color= splits one y column into series; several y columns are one series each")
    names = t.column_names
    for c in [x, *ys, *([color] if color else [])]:
        if not isinstance(c, str) or c not in names:
            raise KeyError(f"chart: the table has no column {c!r}; its columns are {names}")
    if t.num_rows > MAX_ROWS:
        raise ValueError(f"chart: {t.num_rows:,} rows is more than a chart carries ({MAX_ROWS:,}); aggregate first")
    import pyarrow as pa

    schema = t.schema
    types: Dict[str, str] = {}
    for field in schema:
        if pa.types.is_integer(field.type):
            types[field.name] = "int"
        elif pa.types.is_floating(field.type) or pa.types.is_decimal(field.type):
            types[field.name] = "float"
        elif pa.types.is_boolean(field.type):
            types[field.name] = "bool"
        else:
            types[field.name] = "string"
    for c in ys:
        if types[c] not in ("int", "float"):
            raise ValueError(f"chart: the y column {c!r} is not numeric ({schema.field(c).type})")
    keep = list(dict.fromkeys([x, *ys, *([color] if color else [])]))
    rows = [{k: _clean(v) for k, v in r.items()} for r in t.select(keep)]
    return Chart(rows, types, kind, x, ys, color, title)


def chart_from_script(value: Dict[str, Any]) -> Chart:
    """The :class:`Chart` of the map that Rhai's ``chart(table, options)`` returned
    (``{"$chart": options, "table": table}``; see :data:`RHAI_CHART_FN`)."""
    opts = dict(value[SCRIPT_MARK])
    return chart(
        value["table"],
        x=opts["x"],
        y=opts["y"],
        kind=opts.get("kind", "line"),
        color=opts.get("color"),
        title=opts.get("title"),
    )


def is_script_chart(value: Any) -> bool:
    """True for the map that Rhai's ``chart`` returns."""
    return isinstance(value, dict) and SCRIPT_MARK in value and "table" in value


_USER_CHART_FN = re.compile(r"\bfn\s+chart\s*\(")


def eval_with_charts(engine: "Engine", code: str) -> Any:
    """Run a notebook cell in ``engine`` with Rhai's ``chart(table, options)`` (see
    :data:`RHAI_CHART_FN`), and return its value, a :class:`Chart` when the cell's value is a
    chart.

    The function is added in front of the cell's first line only when the cell calls
    ``chart`` and does not define its own; an error on the first line gets its column back in
    the cell's own text.

    Raises
    ------
    powerbalance.errors.ScriptError
        As :meth:`powerbalance.script.Engine.eval`, at the cell's line and column.

    Examples
    --------
    >>> e = pb.Engine(echo=False)
    >>> e.set("t", pb.Table({"year": [2016, 2017], "tiv": [1.0, 2.0]}))
    >>> eval_with_charts(e, 'chart(t, #{x: "year", y: "tiv", kind: "bar"})')
    Chart: bar of tiv by year, 2 points
    >>> try:
    ...     eval_with_charts(e, 'chart(t, #{x: "year", y: "share"})')
    ... except pb.errors.ScriptError as err:
    ...     print(err)
    1:1: chart: the table has no column share; its columns are ["year", "tiv"]
    """
    from .errors import ScriptError

    if "chart" not in code or _USER_CHART_FN.search(code):
        value = engine.eval(code)
    else:
        try:
            value = engine.eval(RHAI_CHART_FN + code)
        except ScriptError as e:
            if e.line == 1 and e.column > len(RHAI_CHART_FN):
                e.column -= len(RHAI_CHART_FN)
                e.args = (f"{e.line}:{e.column}: {e.message}",)
            raise
    return chart_from_script(value) if is_script_chart(value) else value
