"""The Rhai Jupyter kernel, driven through jupyter_client as a frontend drives it: install the
spec, start the kernel, execute cells, read results and errors, interrupt a runaway cell."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

TABLES = "sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021"


@pytest.fixture(scope="module")
def kernel(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    prefix = tmp_path_factory.mktemp("prefix")
    r = subprocess.run(
        [sys.executable, "-m", "powerbalance.kernel", "install", "--prefix", str(prefix)],
        capture_output=True, text=True, timeout=60,
    )
    assert r.returncode == 0, r.stderr
    kdir = prefix / "share" / "jupyter" / "kernels"
    spec = json.loads((kdir / "rhai" / "kernel.json").read_text())
    assert spec["language"] == "rhai" and spec["argv"][:3] == [sys.executable, "-m", "powerbalance.kernel"]
    ksm = KernelSpecManager(kernel_dirs=[str(kdir)])
    km = KernelManager(kernel_name="rhai", kernel_spec_manager=ksm)
    limits = json.dumps({"max_operations": 0, "max_wall_time": 60})
    env = dict(os.environ, POWERBALANCE_DATA=str(data_dir), POWERBALANCE_RHAI_LIMITS=limits)
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)
    yield km, kc
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def execute(kc: Any, code: str, timeout: float = 60) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """Run a cell; return the shell reply's content and the iopub messages of the cell."""
    msg_id = kc.execute(code)
    reply = kc.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=timeout)
    msgs = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            break
        msgs.append(m)
    return reply["content"], msgs


def of(msgs: List[Dict[str, Any]], kind: str) -> List[Dict[str, Any]]:
    return [m["content"] for m in msgs if m["msg_type"] == kind]


def test_state_results_and_html_tables(kernel: Any) -> None:
    _, kc = kernel
    reply, msgs = execute(kc, f'let led = read_sipri("{TABLES}");\nprint("read");\nled.len()')
    assert reply["status"] == "ok", reply
    assert "read" in "".join(c["text"] for c in of(msgs, "stream"))
    n = int(of(msgs, "execute_result")[0]["data"]["text/plain"])
    assert n > 20000
    reply, msgs = execute(kc, "led.importers(2016, 2020, #{top: 5})")
    assert reply["status"] == "ok"
    shown = of(msgs, "execute_result")[0]["data"]
    assert "<table" in shown["text/html"] and "India" in shown["text/html"]


def test_a_failing_cell_gets_an_error_reply_and_the_kernel_lives(kernel: Any) -> None:
    _, kc = kernel
    execute(kc, "let kept = 41;")
    reply, msgs = execute(kc, "let a = 1;\nundefined_fn(a)")
    assert reply["status"] == "error" and reply["ename"] == "ScriptError"
    assert reply["evalue"].startswith("line 2, column 1")
    assert of(msgs, "error")
    reply, msgs = execute(kc, "fn f(n) { f(n + 1) }\nf(0)")
    assert reply["status"] == "error" and "max_call_levels" in reply["evalue"]
    reply, msgs = execute(kc, "kept + 1")
    assert reply["status"] == "ok" and of(msgs, "execute_result")[0]["data"]["text/plain"] == "42"


def test_interrupt_stops_a_runaway_cell(kernel: Any) -> None:
    km, kc = kernel
    msg_id = kc.execute("let i = 0;\nloop { i += 1; }")
    # wait until the cell runs
    while True:
        m = kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
            break
    time.sleep(0.5)
    t = time.monotonic()
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = kc.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert time.monotonic() - t < 5
    # ipykernel aborts requests queued right after a failed cell (stop_on_error), as Jupyter
    # shows "aborted" for the cells below an error; the kernel itself is alive
    for _ in range(20):
        reply, msgs = execute(kc, "i > 0")
        if reply["status"] != "aborted":
            break
        time.sleep(0.1)
    assert reply["status"] == "ok" and of(msgs, "execute_result")[0]["data"]["text/plain"] == "True"


def test_the_kernel_engine_reads_the_data_home(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The kernel's engine follows the one data-home rule: POWERBALANCE_DATA, else the user
    data home (where `powerbalance data fetch` puts the data sets)."""
    import shutil

    import powerbalance as pb
    from powerbalance.kernel import new_engine

    register = "sipri/register_newformat_2026/trade_register_1995-2024.csv"
    n = len(pb.read_sipri(data_dir / register))
    monkeypatch.setenv("POWERBALANCE_DATA", str(data_dir))
    assert new_engine().eval(f'read_sipri("{register}").len()') == n
    home = tmp_path / "cache" / "powerbalance"
    (home / register).parent.mkdir(parents=True)
    shutil.copyfile(data_dir / register, home / register)
    monkeypatch.delenv("POWERBALANCE_DATA")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert new_engine().eval(f'read_sipri("{register}").len()') == n


def test_a_chart_cell_shows_vega_lite_with_an_svg_fallback(kernel: Any) -> None:
    _, kc = kernel
    reply, msgs = execute(
        kc,
        f'let led = read_sipri("{TABLES}");\n'
        'let s = led.series("China", 1992, 2021);\n'
        'chart(s, #{x: "year", y: "exports"})',
    )
    assert reply["status"] == "ok", reply
    out = of(msgs, "execute_result")[0]
    spec = out["data"]["application/vnd.vegalite.v5+json"]
    assert spec["$schema"].endswith("vega-lite/v5.json") and spec["mark"]["type"] == "line"
    assert [r["year"] for r in spec["data"]["values"]] == list(range(1992, 2022))
    assert out["data"]["image/svg+xml"].lstrip().startswith("<?xml") and "<svg" in out["data"]["image/svg+xml"]
    assert out["metadata"]["application/vnd.vegalite.v5+json"]["embed_options"]["renderer"] == "svg"
    # a bar chart of a ranked table keeps the table's order
    reply, msgs = execute(kc, 'chart(led.importers(2016, 2020, #{top: 5}), #{x: "recipient", y: "share", kind: "bar"})')
    spec = of(msgs, "execute_result")[0]["data"]["application/vnd.vegalite.v5+json"]
    assert spec["encoding"]["x"]["sort"] is None and spec["encoding"]["y"]["axis"]["format"] == ".0%"
    assert [r["recipient"] for r in spec["data"]["values"]][:2] == ["Saudi Arabia", "India"]  # SIPRI 2016-20 ranks


def test_a_bad_chart_is_an_error_at_its_line(kernel: Any) -> None:
    _, kc = kernel
    execute(kc, f'let led2 = read_sipri("{TABLES}");')
    reply, _ = execute(kc, 'let s2 = led2.series("China", 1992, 2021);\nchart(s2, #{x: "year", y: "tiv"})')
    assert reply["status"] == "error" and reply["evalue"].startswith("line 2, column 1:"), reply
    assert "no column tiv" in reply["evalue"] and "exports" in reply["evalue"]
    # on the first line the column is the cell's own
    reply, _ = execute(kc, 'chart(s2, #{x: "year", y: "exports", kind: "pie"})')
    assert reply["evalue"].startswith("line 1, column 1:") and "unknown kind pie" in reply["evalue"], reply


def request(kc: Any, kind: str, **content: Any) -> Dict[str, Any]:
    """Send a shell request (complete, inspect, is_complete) and return its reply's content."""
    msg_id = getattr(kc, kind)(**content)
    while True:
        reply = kc.get_shell_msg(timeout=60)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]  # type: ignore[no-any-return]


def test_completion_from_the_engine_listing(kernel: Any) -> None:
    from powerbalance import script

    _, kc = kernel
    execute(kc, f'let led = read_sipri("{TABLES}");\nlet top5 = led.importers(2016, 2020, #{{top: 5}});')
    # after `led.`: the ledger's methods and properties, and nothing else
    code = "led."
    r = request(kc, "complete", code=code, cursor_pos=len(code))
    ledger = {f["name"] for f in script.functions() if f["this"] == "Ledger"}
    assert set(r["matches"]) == ledger and {"importers", "exporters", "clients"} <= ledger
    assert (r["cursor_start"], r["cursor_end"]) == (4, 4)
    types = {t["text"]: t for t in r["metadata"]["_jupyter_types_experimental"]}
    assert types["importers"]["type"] == "method" and "Ledger.importers(" in types["importers"]["signature"]
    # a prefix narrows the list; the span to replace is the prefix
    code = "let x = led.imp"
    r = request(kc, "complete", code=code, cursor_pos=len(code))
    assert r["matches"] == sorted(m for m in ledger if m.startswith("imp")) and r["cursor_start"] == len(code) - 3
    # a table's methods after a variable that holds a table
    def complete(code: str) -> List[str]:
        matches: List[str] = request(kc, "complete", code=code, cursor_pos=len(code))["matches"]
        return matches

    # a table's methods after a variable that holds a table, or after a method returning one
    for code in ("top5.", "led.importers(2016, 2020)."):
        assert "column" in complete(code) and "importers" not in complete(code), code
    # functions, variables and keywords elsewhere
    for code, name in [("let y = 1;\nsce", "scenario"), ("to", "top5"), ("whi", "while"), ("cha", "chart")]:
        assert name in complete(code), code


def test_inspection_shows_signatures_and_doc_comments(kernel: Any) -> None:
    from powerbalance import script

    _, kc = kernel
    execute(kc, f'let led = read_sipri("{TABLES}");')
    doc = next(f["doc"] for f in script.functions() if f["name"] == "importers" and f["this"] == "Ledger" and f["doc"])
    # on the name, and anywhere inside the call's parentheses
    for code, pos in [("led.importers(2016, 2020)", 7), ("led.importers(2016, 2020)", 20)]:
        r = request(kc, "inspect", code=code, cursor_pos=pos)
        assert r["status"] == "ok" and r["found"], r
        text = r["data"]["text/plain"]
        assert "Ledger.importers(" in text and doc.splitlines()[0] in text, text
    r = request(kc, "inspect", code="led", cursor_pos=3)
    assert r["found"] and r["data"]["text/plain"].startswith("led: Ledger") and "importers" in r["data"]["text/plain"]
    r = request(kc, "inspect", code="chart(t, #{})", cursor_pos=2)
    assert r["found"] and "kind" in r["data"]["text/plain"]
    r = request(kc, "inspect", code="no_such_name", cursor_pos=3)
    assert r["status"] == "ok" and not r["found"]


def test_is_complete_for_multi_line_cells(kernel: Any) -> None:
    _, kc = kernel
    cases = {
        "let x = 1;": "complete",
        "for y in 2016..2021 {": "incomplete",
        'let s = "open': "incomplete",
        "let t = `a text\nover lines": "incomplete",
        "/* a comment": "incomplete",
        'print("}");': "complete",
        "// (\nlet z = 2;": "complete",
        "x)": "invalid",
    }
    for code, status in cases.items():
        r = request(kc, "is_complete", code=code)
        assert r["status"] == status, (code, r)
    assert request(kc, "is_complete", code="fn f(a) {\n  if a {")["indent"] == "        "


def test_kernel_info(kernel: Any) -> None:
    _, kc = kernel
    info = request(kc, "kernel_info")
    assert info["language_info"]["name"] == "rhai" and info["implementation"] == "powerbalance-rhai"
    assert info["help_links"][0]["url"].startswith("https://rhai.rs/")
