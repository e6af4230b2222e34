"""Rhai and Python at parity: every capability of the Python API is reachable from Rhai with the
same name and the same argument order, and every function of the Rhai package has its Python
twin, except the short, explicit lists below (each with the reason it does not cross).

The Rhai side is the engine's own listing (:func:`powerbalance.script.functions`, from Rhai's
metadata); the Python side is the public API walked with :mod:`inspect`. Python's keyword-only
arguments are, in Rhai, the keys of a trailing option map whose doc comment names them.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import powerbalance as pb
import pytest
from powerbalance import metrics, panels
from powerbalance.script import Engine, FunctionInfo, functions

ROOT = Path(__file__).resolve().parents[1]

#: Python classes and the Rhai type of the same values.
CLASSES: Dict[type, str] = {
    pb.Ledger: "Ledger",
    pb.Table: "Table",
    pb.Capabilities: "Capabilities",
    pb.StateList: "StateList",
    pb.MilitaryExpenditure: "MilitaryExpenditure",
    pb.Maddison: "Maddison",
    pb.SdpGdp: "SdpGdp",
    pb.Alliances: "Alliances",
    pb.IdealPoints: "IdealPoints",
    panels.AllianceYears: "AllianceYears",
    pb.Scenario: "Scenario",
}

#: Module functions of the Python API (module, names); their Rhai twins are functions.
MODULES: List[Tuple[Any, List[str]]] = [
    (pb, ["actor", "actors"] + [n for n in pb.__all__ if n.startswith("read_")]),
    (metrics, [n for n, f in vars(metrics).items() if inspect.isfunction(f) and not n.startswith("_")
               and f.__module__ == metrics.__name__]),
    (panels, [n for n in panels.__all__ if inspect.isfunction(getattr(panels, n))]),
    (pb.script, ["compare", "compare_tables", "sweep"]),
]

#: Python names that Rhai spells otherwise (Python has no free function for a constructor).
RENAMED: Dict[str, Tuple[Optional[str], str]] = {
    "Scenario.__init__": (None, "scenario"),
    "Scenario.from_json": (None, "scenario_from_json"),
    "Table.to_pylist": ("Table", "to_array"),
    "Table.to_pydict": ("Table", "to_map"),
}

#: Python capabilities that do not cross to Rhai, and why.
PYTHON_ONLY: Dict[str, str] = {
    "Table.to_pandas": "a pandas DataFrame is a Python object",
    "Table.to_polars": "a polars DataFrame is a Python object",
    "Table.to_pyarrow": "a pyarrow Table is a Python object",
    "Table.to_arrow": "a pyarrow Table is a Python object",
    "Table.schema": "a pyarrow schema is a Python object",
    "Table.to_csv": "writes a file: scripts are sandboxed and write no files",
    "Table.__init__": "a table from Python data (a dict of lists, a pyarrow or pandas table)",
    "read_sipri_bytes": "bytes held by Python; scripts read files under the data folder",
    "*.native": "the native object behind a Python wrapper",
}

#: Keyword-only Python arguments with no Rhai option, and why.
KEYWORDS_PYTHON_ONLY: Dict[str, str] = {
    "by": "grouping a DataFrame by columns: in Rhai, filter the table and pass one group",
    "actor": "the column names of a grouped DataFrame (Rhai tables use `actor`, `value`)",
    "value": "the column names of a grouped DataFrame (Rhai tables use `actor`, `value`)",
    "executor": "a concurrent.futures executor is a Python object (a script's sweep runs on the host's cores)",
    "chunk_size": "the chunks of an executor's sweep (a script's sweep runs in-process)",
}

#: Rhai functions with no Python twin, and why.
RHAI_ONLY: Dict[str, str] = {
    "len": "Python's len() (__len__)",
    "to_string": "Python's str() and repr() (__repr__)",
    "to_debug": "Rhai's debug(); Python's repr()",
    "dataset": "Python: pb.datasets.load(name) (the same readers by dataset name)",
    "Table.find": "a script's row lookup; Python filters with Table.filter",
    "Table.lookup": "a script's cell lookup; Python filters with Table.filter",
    "Table.sum": "a script's column sum; Python sums Table.column(name)",
    "Capabilities.value": "one number for a what-if line; Python reads it from table()",
    "MilitaryExpenditure.value": "one number for a what-if line; Python reads it from table()",
    "MilitaryExpenditure.series": "one state's series for a what-if; Python filters table()",
    "Maddison.value": "one number for a what-if line; Python reads it from table()",
    "Maddison.series": "one state's series for a what-if; Python filters table()",
    "IdealPoints.value": "one number for a what-if line; Python reads it from table()",
    "Alliances.level": "one dyad-year's level; Python reads it from dyad() or table()",
    "Alliances.types": "one dyad-year's types; Python reads them from dyad() or table()",
    "Alliances.partners": "one state's partners in a year; Python filters table()",
    "effective_poles": "a column of concentration() (one number in a script)",
    "classify_triangle": "one year's triangle as a map; Python: triangle() over one year",
}

#: Parameter names Python cannot spell as Rhai does (`from` is a Python keyword).
PARAM_ALIASES = {"from_": "from"}


def rhai_listing() -> List[FunctionInfo]:
    return functions()


LISTING = rhai_listing()


#: `(Rhai type, name)` of every Python method and property.
CLAIMED = {(t, n) for t in CLASSES.values() for n in dir(next(c for c, x in CLASSES.items() if x == t))}


def twins(this: Optional[str], name: str) -> List[FunctionInfo]:
    """The Rhai overloads of a method of `this`, or, for None, of the function `name`: those
    not claimed by a Python class's method or property of the same name (a module function such
    as `metrics.supplier_dependence` may be, in Rhai, the method `Ledger.supplier_dependence`)."""
    if this is None:
        named = [f for f in LISTING if f["name"] == name]
        return [f for f in named if (f["this"], name) not in CLAIMED] or named
    return [f for f in LISTING if f["name"] == name and f["this"] == this]


def python_api() -> List[Tuple[str, Optional[str], str, Any]]:
    """``(qualified name, Rhai this, name, object)`` for every public callable and property."""
    out: List[Tuple[str, Optional[str], str, Any]] = []
    for cls, this in CLASSES.items():
        # constructors: only Scenario's and Table's are public (the others wrap native objects)
        extra = {"__init__"} if cls in (pb.Scenario, pb.Table) else set()
        for name in sorted({n for n in dir(cls) if not n.startswith("_")} | extra):
            obj = inspect.getattr_static(cls, name)
            if isinstance(obj, (property, staticmethod, classmethod)) or inspect.isfunction(obj):
                out.append((f"{cls.__name__}.{name}", this, name, obj))
    for mod, names in MODULES:
        for name in names:
            out.append((name, None, name, getattr(mod, name)))
    return out


PYTHON = python_api()


def python_only(qual: str) -> bool:
    return qual in PYTHON_ONLY or qual.split(".")[-1] in PYTHON_ONLY or f"*.{qual.split('.')[-1]}" in PYTHON_ONLY


def signature_of(obj: Any) -> inspect.Signature:
    fn = obj.__func__ if isinstance(obj, (staticmethod, classmethod)) else obj
    return inspect.signature(fn)


def test_the_walks_find_both_apis() -> None:
    quals = {q for q, *_ in PYTHON}
    assert {"Ledger.importers", "Scenario.embargo", "supplier_dependence", "state_years", "triangle"} <= quals
    assert len(PYTHON) > 120
    assert len(LISTING) > 200
    assert all(f["doc"] for f in LISTING if f["name"] not in ("to_string", "to_debug")), "every function has a doc"


CROSSING = [x for x in PYTHON if not python_only(x[0])]


@pytest.mark.parametrize("qual,this,name,obj", CROSSING, ids=[q for q, *_ in CROSSING])
def test_python_capability_is_in_rhai_in_the_same_order(qual: str, this: Optional[str], name: str, obj: Any) -> None:
    rthis, rname = RENAMED.get(qual, (this, name))
    # a module function (metrics.supplier_dependence) may be a method of its first argument
    found = twins(rthis, rname)
    assert found, f"{qual} has no Rhai twin {rthis + '.' if rthis else ''}{rname}"
    if isinstance(obj, property):
        assert any(f["property"] for f in found), f"{qual} is a property in Python, not in Rhai: {found}"
        return
    sig = signature_of(obj)
    params = list(sig.parameters.values())
    if params and params[0].name in ("self", "cls"):
        params = params[1:]
    positional = [PARAM_ALIASES.get(p.name, p.name) for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
    keywords = [p.name for p in params if p.kind is p.KEYWORD_ONLY]
    var_keyword = [p.name for p in params if p.kind is p.VAR_KEYWORD]
    # a method's receiver is Python's self; a module function's first argument is Rhai's receiver
    overloads = [[n for n, _ in f["params"]][1 if rthis is not None else 0 :] for f in found]
    overloads = [o[:-1] if o and o[-1] == "options" else o for o in overloads]
    assert positional in overloads, f"{qual}{sig}: no Rhai overload takes {positional}; Rhai has {overloads}"

    def subsequence(short: List[str], long: List[str]) -> bool:
        it = iter(long)
        return all(x in it for x in short)

    allowed = positional + var_keyword
    stray = [o for o in overloads if not subsequence(o, allowed)]
    assert not stray, f"{qual}{sig}: Rhai overloads with arguments Python lacks or orders otherwise: {stray}"
    crossing = [k for k in keywords if k not in KEYWORDS_PYTHON_ONLY]
    if crossing:
        docs = [f["doc"] for f in found if f["params"] and f["params"][-1][0] == "options"]
        assert docs, f"{qual}: keyword-only {crossing} but no Rhai overload with an option map"
        missing = [k for k in crossing if not any(re.search(rf"\b{k}\b", d) for d in docs)]
        assert not missing, f"{qual}: the Rhai option map's doc does not name {missing}"


def python_names() -> Dict[Tuple[Optional[str], str], str]:
    names: Dict[Tuple[Optional[str], str], str] = {}
    for qual, this, name, _ in PYTHON:
        rthis, rname = RENAMED.get(qual, (this, name))
        names[(rthis, rname)] = qual
    return names


PY_NAMES = python_names()
RHAI_KEYS = sorted({(f["this"], f["name"]) for f in LISTING}, key=lambda k: (k[0] or "", k[1]))


@pytest.mark.parametrize("this,name", RHAI_KEYS, ids=[f"{t}.{n}" if t else n for t, n in RHAI_KEYS])
def test_rhai_function_is_in_python(this: Optional[str], name: str) -> None:
    if name in RHAI_ONLY or f"{this}.{name}" in RHAI_ONLY:
        return
    module_functions = {n for (t, n) in PY_NAMES if t is None}
    assert (this, name) in PY_NAMES or name in module_functions, (
        f"Rhai has {this + '.' if this else ''}{name} and Python has no twin: add it to Python, or to "
        "RHAI_ONLY with the reason"
    )


def test_the_exception_lists_name_real_functions() -> None:
    """A renamed or removed function must not leave a stale exception behind."""
    quals = {q for q, *_ in PYTHON}
    for q in PYTHON_ONLY:
        if not q.startswith("*."):
            assert q in quals or any(x.endswith("." + q) or x == q for x in quals), q
    rhai = {(f["this"], f["name"]) for f in LISTING}
    for q in RHAI_ONLY:
        this, _, name = q.rpartition(".")
        assert any(n == name and (not this or t == this) for t, n in rhai), q


def test_the_listing_feeds_completion_and_help() -> None:
    led = {f["name"] for f in LISTING if f["this"] == "Ledger"}
    assert {"importers", "exporters", "dyad", "supplier_dependence", "span", "arms_flows"} <= led
    imp = [f for f in LISTING if f["name"] == "importers" and f["this"] == "Ledger"]
    assert [f["signature"] for f in imp] == [
        "Ledger.importers(start: i64, end: i64) -> Table",
        "Ledger.importers(start: i64, end: i64, options: map) -> Table",
    ]
    assert "top" in imp[1]["doc"] and imp[0]["params"][0] == ("l", "Ledger")
    assert len(functions(standard=True)) > len(LISTING) + 300
    e = Engine(echo=False)
    e.eval("let s = scenario(`x`); let n = 2; let t = shares(#{a: 1.0, b: 3.0});")
    assert e.variables() == {"s": "Scenario", "n": "i64", "t": "Table"}


def rhai_blocks() -> List[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```rhai\n(.*?)```", text, flags=re.S)


def test_readme_rhai_examples_run_as_written(data_dir: Path) -> None:
    blocks = rhai_blocks()
    assert blocks, "the README has no Rhai example"
    for code in blocks:
        e = Engine(data=data_dir, echo=False, limits={"max_wall_time": 60})
        e.eval(code)


def test_same_metric_same_table_in_both_doors(data_dir: Path) -> None:
    """A few capabilities called from both doors give the same table."""
    e = Engine(data=data_dir, echo=False, limits={"max_wall_time": 60})
    led = pb.read_sipri(data_dir / "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021")
    e.set("led", led)
    cases: List[Tuple[str, Callable[[], Any]]] = [
        ("led.importers(2016, 2020, #{top: 5, compare: [2011, 2015]})",
         lambda: led.importers(2016, 2020, top=5, compare=(2011, 2015))),
        ("led.dyad(\"Russia\", \"China\", (), 2000)", lambda: led.dyad("Russia", "China", None, 2000)),
        ("led.supplier_dependence(\"India\", 2000, 2010, #{block: 5})",
         lambda: led.supplier_dependence("India", 2000, 2010, block=5)),
        ("net_exporter(led, \"China\", 2010, ())", lambda: metrics.net_exporter(led, "China", 2010, None)),
    ]
    for code, py in cases:
        assert e.eval(code) == py(), code
