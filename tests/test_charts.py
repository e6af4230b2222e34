"""pb.chart: the Vega-Lite specification, the matplotlib fallback, Rhai's chart() in the engine,
and an import of powerbalance that loads no plotting library."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import powerbalance as pb
import pytest
from powerbalance.charts import RHAI_CHART_FN, VEGALITE_MIME, eval_with_charts


def long_table() -> pb.Table:
    return pb.Table(
        {
            "year": [2016, 2016, 2017, 2017, 2018],
            "supplier": ["United States", "Russia", "United States", "Russia", "United States"],
            "tiv": [10_000.0, 6_000.0, 11_000.0, None, 12_500.0],
        }
    )


def test_import_loads_no_plotting_library() -> None:
    lazy = ("matplotlib", "powerbalance.charts")
    code = f"import sys, powerbalance; print(sorted(m for m in {lazy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_a_line_chart_of_a_long_table() -> None:
    c = pb.chart(long_table(), x="year", y="tiv", color="supplier", title="Deliveries")
    spec = c.spec
    assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v5.json"
    assert spec["mark"]["type"] == "line" and spec["title"] == "Deliveries"
    assert spec["encoding"]["x"] == {
        "field": "year", "title": "year", "type": "quantitative", "axis": {"format": "d"}, "scale": {"zero": False}
    }
    assert spec["encoding"]["color"]["field"] == "supplier"
    # every row goes in, a missing value as null (a gap), and the spec is JSON
    values = spec["data"]["values"]
    assert len(values) == 5 and values[3] == {"year": 2017, "supplier": "Russia", "tiv": None}
    assert json.loads(json.dumps(spec)) == spec
    data, metadata = c._repr_mimebundle_()
    assert data[VEGALITE_MIME] is spec and metadata[VEGALITE_MIME]["embed_options"]["renderer"] == "svg"
    # the fallback: an SVG with one line per supplier
    svg = ET.fromstring(data["image/svg+xml"].encode())
    assert svg.tag.endswith("svg")
    assert "United States" in data["image/svg+xml"] and "Russia" in data["image/svg+xml"]
    assert repr(c) == "Chart: line of tiv by year per supplier, 5 points"


def test_a_bar_chart_keeps_the_table_order_and_shows_shares_in_per_cent(tmp_path: Path) -> None:
    t = pb.Table({"recipient": ["Saudi Arabia", "India", "Egypt"], "share": [0.114, 0.098, 0.057]})
    c = pb.chart(t, x="recipient", y="share", kind="bar")
    assert c.spec["encoding"]["x"]["sort"] is None and c.spec["encoding"]["x"]["type"] == "nominal"
    assert c.spec["encoding"]["y"]["axis"] == {"format": ".0%"}
    c.save(tmp_path / "c.png")
    png = (tmp_path / "c.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    c.save(tmp_path / "c.json")
    assert json.loads((tmp_path / "c.json").read_text()) == c.spec
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.json"):
        c.save(tmp_path / "c.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json", "c.png"]  # no temporary file left


def test_several_y_columns_are_one_series_each() -> None:
    t = pb.Table({"recipient": ["India", "China"], "share_baseline": [0.26, 0.18], "share_scenario": [0.31, None]})
    c = pb.chart(t, x="recipient", y=["share_baseline", "share_scenario"], kind="bar")
    assert c.spec["transform"] == [{"fold": ["share_baseline", "share_scenario"], "as": ["series", "value"]}]
    assert c.spec["encoding"]["xOffset"] == {"field": "series"} and c.spec["encoding"]["y"]["axis"]["format"] == ".0%"
    assert "<svg" in c.to_svg()


def test_any_arrow_table(tmp_path: Path) -> None:
    import polars as pl
    import pyarrow as pa

    t = pa.table({"year": [2000, 2001], "value": [1.5, float("nan")]})
    c = pb.chart(pl.DataFrame(t), x="year", y="value", kind="point")
    assert c.spec["data"]["values"] == [{"year": 2000, "value": 1.5}, {"year": 2001, "value": None}]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"x": "year", "y": "share"}, KeyError, r"no column 'share'; its columns are \['year', 'supplier', 'tiv'\]"),
        ({"x": "year", "y": "tiv", "kind": "pie"}, ValueError, "unknown kind 'pie'"),
        ({"x": "year", "y": "supplier"}, ValueError, "'supplier' is not numeric"),
        ({"x": "year", "y": ["tiv", "year"], "color": "supplier"}, ValueError, "several y columns"),
        ({"x": "year", "y": []}, ValueError, "at least one y column"),
    ],
)
def test_bad_arguments_say_what_is_wrong(kwargs: dict, error: type, match: str) -> None:
    with pytest.raises(error, match=match):
        pb.chart(long_table(), **kwargs)


def test_rhai_chart_in_an_engine_and_errors_at_the_callers_line() -> None:
    e = pb.Engine(echo=False)
    e.set("t", long_table())
    c = eval_with_charts(e, 'let c = 1;\nchart(t, #{x: "year", y: "tiv", color: "supplier", kind: "bar"})')
    assert isinstance(c, pb.charts.Chart) and c.kind == "bar" and c.color == "supplier"
    cases = [
        ('chart(t, #{x: "year", y: "value"})', 1, 1, "no column value"),
        ('let a = 2;\n  chart(t, #{x: "year"})', 2, 3, "give the columns of both axes"),
        ('chart(t, #{x: "year", y: "tiv", colour: "supplier"})', 1, 1, "unknown option colour"),
        ("chart(t.len(), #{})", 1, 1, "must be a table"),
        ('let x = chart(t, "year");', 1, 9, "options must be a map"),
    ]
    for code, line, column, message in cases:
        with pytest.raises(pb.errors.ScriptError) as err:
            eval_with_charts(e, code)
        assert (err.value.line, err.value.column) == (line, column), (code, err.value)
        assert message in err.value.message and str(err.value).startswith(f"{line}:{column}: ")
    # a script's own chart function wins; without a call to chart the cell runs as written
    assert eval_with_charts(e, "fn chart(a) { a * 2 }\nchart(21)") == 42
    assert eval_with_charts(e, "t.len()") == 5
    assert RHAI_CHART_FN.count("\n") == 0, "one line, so the cell's line numbers stay"
