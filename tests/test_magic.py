"""``%load_ext powerbalance`` and ``%%rhai`` driven through IPython."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import powerbalance as pb
import pytest

TABLES = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021"


@pytest.fixture()
def ip(data_dir: Path) -> Iterator[Any]:
    from IPython.testing.globalipapp import get_ipython, start_ipython

    shell = start_ipython() or get_ipython()
    assert shell is not None
    shell.run_cell("%load_ext powerbalance", store_history=False)
    state = shell._powerbalance_rhai
    state.engine = None
    yield shell
    state.engine = None


def test_cells_share_a_scope_and_exchange_python_variables(ip: Any, data_dir: Path) -> None:
    ip.user_ns["top"] = 3
    r = ip.run_cell(
        f"%%rhai --in top --out share t --data {data_dir}\n"
        f'let led = read_sipri("{TABLES}");\n'
        "let t = led.exporters(2016, 2020, #{top: top});\n"
        "let share = t[0].share;\n"
        "t"
    )
    assert r.success, r.error_in_exec
    assert isinstance(r.result, pb.Table) and r.result.num_rows == 3
    led = pb.read_sipri(data_dir / TABLES)
    assert ip.user_ns["share"] == pytest.approx(led.exporters(2016, 2020)["share"][0])
    assert ip.user_ns["t"] == r.result
    # the next cell sees `led` and `share`
    r = ip.run_cell("%%rhai\nlet n = led.len();\nshare * 2.0")
    assert r.success and r.result == pytest.approx(2 * ip.user_ns["share"])
    r = ip.run_cell("%rhai n")
    assert r.result == len(led)


def test_a_failing_cell_raises_script_error_and_the_scope_survives(ip: Any) -> None:
    ip.run_cell("%%rhai\nlet kept = 7;")
    r = ip.run_cell("%%rhai\nlet x = 1;\nx.no_such_method()")
    assert isinstance(r.error_in_exec, pb.errors.ScriptError)
    assert r.error_in_exec.line == 2  # lines of the cell body
    assert r.error_in_exec._render_traceback_()[0].startswith("ScriptError: line 2")
    assert ip.run_cell("%rhai kept").result == 7
    r = ip.run_cell("%%rhai --in missing\n1")
    assert isinstance(r.error_in_exec, NameError)
    r = ip.run_cell("%%rhai --max-wall-time 0.2\nloop {}")
    assert r.error_in_exec.limit in ("max_wall_time", "max_operations")


REGISTER_2026 = "sipri/register_newformat_2026/trade_register_1995-2024.csv"


def test_without_data_option_the_magic_reads_the_user_data_home(
    ip: Any, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one data-home rule: no --data and no POWERBALANCE_DATA -> the user data home."""
    import shutil

    home = tmp_path / "cache" / "powerbalance"
    (home / REGISTER_2026).parent.mkdir(parents=True)
    shutil.copyfile(data_dir / REGISTER_2026, home / REGISTER_2026)
    monkeypatch.delenv("POWERBALANCE_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert pb.datasets.data_home() == home
    r = ip.run_cell(f'%%rhai --reset\nread_sipri("{REGISTER_2026}").len()')
    assert r.success, r.error_in_exec
    assert r.result == len(pb.read_sipri(data_dir / REGISTER_2026))
    # POWERBALANCE_DATA, when set, comes before the user data home
    monkeypatch.setenv("POWERBALANCE_DATA", str(tmp_path / "elsewhere"))
    r = ip.run_cell(f'%%rhai --reset\nread_sipri("{REGISTER_2026}").len()')
    assert not r.success


def test_a_rhai_cell_draws_a_chart(ip: Any, data_dir: Path) -> None:
    r = ip.run_cell(
        f'%%rhai --reset\nlet led = read_sipri("{TABLES}");\n'
        'chart(led.exporters(2016, 2020, #{top: 5}), #{x: "supplier", y: "share", kind: "bar"})'
    )
    assert r.success, r.error_in_exec
    assert isinstance(r.result, pb.charts.Chart) and r.result.spec["data"]["values"][0]["supplier"] == "United States"
    # IPython shows it through _repr_mimebundle_: Vega-Lite with its metadata, and the SVG fallback
    data, metadata = ip.display_formatter.format(r.result)
    assert {"application/vnd.vegalite.v5+json", "image/svg+xml", "text/plain"} <= set(data)
    assert metadata["application/vnd.vegalite.v5+json"]["embed_options"]["actions"] is False
    r = ip.run_cell('%%rhai\nlet t = led.exporters(2016, 2020);\nchart(t, #{x: "supplier", y: "tiv_share"})')
    assert isinstance(r.error_in_exec, pb.errors.ScriptError) and r.error_in_exec.line == 2
    assert "no column tiv_share" in r.error_in_exec.message
