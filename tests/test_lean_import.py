"""A lean import (issue 14, item 1): ``import powerbalance``, printing a result table and the
command line (``--help``, ``run``) load neither pyarrow, numpy nor pandas; pyarrow comes when a
user asks for a pyarrow table, pandas when they ask for pandas.

Each check runs in a fresh interpreter and reads ``sys.modules`` (not a timing).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

import powerbalance as pb
import pytest

HEAVY = ("pyarrow", "numpy", "pandas")
ROOT = Path(__file__).resolve().parents[1]
FIXTURE_DATA = ROOT / "tests" / "fixtures" / "data"


def loaded_after(code: str, data: Path = FIXTURE_DATA) -> Dict[str, List[str]]:
    """Run ``code`` in a fresh interpreter; return ``{"heavy": [...], "out": [...]}``: the heavy
    modules then in ``sys.modules`` and what ``code`` printed (one line per print)."""
    probe = (
        "import sys, json, io, contextlib\n"
        "buf = io.StringIO()\n"
        "with contextlib.redirect_stdout(buf):\n"
        + "".join(f"    {line}\n" for line in code.splitlines())
        + f"heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)\n"
        "print(json.dumps({'heavy': heavy, 'out': buf.getvalue().splitlines()}))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(Path(pb.__file__).resolve().parents[1]), POWERBALANCE_DATA=str(data))
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    result: Dict[str, List[str]] = json.loads(r.stdout.strip().splitlines()[-1])
    return result


def test_import_loads_no_pyarrow_numpy_pandas() -> None:
    r = loaded_after("import powerbalance as pb\npb.script.Scenario, pb.Engine, pb.metrics, pb.panels")
    assert r["heavy"] == []


def test_printing_a_result_table_loads_none_of_them() -> None:
    code = (
        "import powerbalance as pb\n"
        "led = pb.read_sipri(pb.datasets.path('sipri-register-2024'))\n"
        "t = led.importers(2016, 2020, top=3, compare=(2012, 2015))\n"
        "print(repr(t))\n"
        "print(t.to_string())\n"
        "print(t._repr_html_()[:6])\n"
        "print(t.num_rows, t.num_columns, t.column_names[:2], len(t), 'tiv' in t)\n"
        "print(type(t.__arrow_c_stream__()).__name__, type(t.__arrow_c_schema__()).__name__)\n"
        "print(pb.actors().num_rows > 100)\n"
    )
    r = loaded_after(code)
    assert r["heavy"] == []
    out = r["out"]
    assert out[0] == "Table: 3 rows x 13 columns"
    assert "Saudi Arabia" in out[2] and "25.0%" in out[2]
    assert "<table" in out
    assert "3 13 ['rank', 'recipient'] 3 True" in out
    assert "PyCapsule PyCapsule" in out
    assert out[-1] == "True"


def test_a_compare_and_a_table_passed_into_a_script_load_none_of_them() -> None:
    """Tables given back to the native module (``compare_tables``, ``Engine.set``) come in
    through their Arrow capsule, not through pyarrow; anything else is refused by name."""
    code = (
        "import powerbalance as pb\n"
        "from powerbalance.script import Scenario, compare, compare_tables\n"
        "led = pb.read_sipri(pb.datasets.path('sipri-register-2024'))\n"
        "s = Scenario('x').embargo('Russia', 'China', 2016, 2020)\n"
        "print(compare(led, s, lambda l: l.clients('Russia', 2016, 2020)).column_names[:2])\n"
        "e = pb.Engine()\n"
        "e.set('t', led.clients('Russia', 2016, 2020))\n"
        "print(e.eval('t.len()'))\n"
        "try:\n"
        "    compare_tables({'tiv': [1]}, led.clients('Russia', 2016, 2020))\n"
        "except pb.errors.InvalidArgumentError as err:\n"
        "    print(err)\n"
    )
    r = loaded_after(code)
    assert r["heavy"] == []
    assert r["out"] == [
        "['recipient', 'tiv_baseline']",
        "3",
        "baseline must be an Arrow table (with __arrow_c_stream__), not dict",
    ]


def test_a_capsule_consumer_reads_the_native_table_without_a_copy_through_pyarrow() -> None:
    """The capsule the lean table exports is what pyarrow (once the user imports it) reads."""
    code = (
        "import powerbalance as pb\n"
        "t = pb.read_sipri(pb.datasets.path('sipri-register-2024')).exporters(2016, 2020, top=2)\n"
        "import pyarrow as pa\n"
        "print(pa.table(t).column('supplier').to_pylist())\n"
    )
    r = loaded_after(code)
    assert "pyarrow" in r["heavy"]
    assert r["out"] == ["['Russia', 'United States']"]


@pytest.mark.parametrize(
    "code,expected",
    [
        ("t.column('supplier')", ["pyarrow"]),
        ("t.to_arrow()", ["pyarrow"]),
        ("t.to_pandas()", ["pandas", "pyarrow"]),
    ],
)
def test_pyarrow_and_pandas_come_when_asked_for(code: str, expected: List[str]) -> None:
    r = loaded_after(
        "import powerbalance as pb\n"
        "t = pb.read_sipri(pb.datasets.path('sipri-register-2024')).exporters(2016, 2020)\n"
        f"{code}\n"
    )
    # numpy comes with pyarrow's own import (pyarrow.lib needs it); pandas only when asked for
    assert [m for m in r["heavy"] if m != "numpy"] == expected


def test_cli_help_and_run_load_none_of_them() -> None:
    r = loaded_after(
        "from powerbalance.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "main(['version'])\n"
    )
    assert r["heavy"] == []
    assert any(line.strip().startswith("replicate") for line in r["out"]), r["out"]
    script = ROOT / "examples" / "china_stops_buying_russian.rhai"
    r = loaded_after(
        f"from powerbalance.cli import main\nassert main(['run', {str(script)!r}]) == 0\n"
        "import sys\nprint(sorted(m for m in ('ssl', 'http.client', 'urllib.request') if m in sys.modules))\n"
    )
    assert r["heavy"] == []
    assert any("Algeria" in line for line in r["out"]), r["out"]
    assert r["out"][-1] == "[]", "the data-home rule loads no network module"


def test_the_replicate_help_line_is_the_paper_modules() -> None:
    """``powerbalance --help`` lists replicate without importing it: its line is kept beside the
    command's, and must say the same."""
    from powerbalance.cli import replicate as cli_replicate
    from powerbalance.paper import replicate

    assert cli_replicate.HELP == replicate.HELP


def test_the_cli_still_parses_the_chosen_commands_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    from powerbalance.cli import main

    assert main(["replicate", "--no-such-option"]) == 2
    err = capsys.readouterr().err
    assert "usage: powerbalance replicate" in err and "--no-such-option" in err


def test_a_lean_table_pickles_and_copies() -> None:
    """A table over the native data pickles (through pyarrow) and comes back equal."""
    import copy
    import pickle

    t = pb.actors()
    back = pickle.loads(pickle.dumps(t))
    assert back == t and back.num_rows == t.num_rows and back.column_names == t.column_names
    assert copy.deepcopy(t) == t
