"""A Jupyter kernel for Rhai what-if scripts (``rhai``), built on ipykernel.

Install it with ``python -m powerbalance.kernel install --user``, then pick "Rhai (powerbalance)"
in Jupyter. Every cell runs in one sandboxed :class:`powerbalance.script.Engine`, so ``let``
variables persist across cells. A cell's last value is its result: a result table shows as an
HTML table (the units of the core's formatter: shares in per cent, TIV with thousands
separators), a chart (``chart(table, #{x: "year", y: "tiv", kind: "line"})``, see
:mod:`powerbalance.charts`) as a Vega-Lite drawing with an SVG fallback, other values as text;
what a cell prints is shown as it would be in a terminal. A failing cell gets an error reply
(``ScriptError`` with its line and column) and the kernel stays alive. A runaway cell stops on a
sandbox limit or on an interrupt (the stop button).

What the kernel knows of the language comes from the engine's own metadata
(:func:`powerbalance.script.functions`): Tab completes variables, functions, keywords and,
after ``led.``, the methods and properties of the variable's type; Shift-Tab shows a function's
signatures and doc comment; a cell with an open bracket or string is incomplete (the console
then waits for more lines).

The kernel reads data in the data home, found by the one rule of
:func:`powerbalance.datasets.data_home`: ``$POWERBALANCE_DATA``, else the user data home where
``powerbalance data fetch`` puts the data sets. Its limits are the engine's defaults except
the wall time, 60 seconds per cell (interactive users can interrupt); override any of them with
``POWERBALANCE_RHAI_LIMITS``, a JSON object such as ``{"max_wall_time": 600}``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Tuple

from ipykernel.kernelbase import Kernel
from traitlets import List as TList

from .. import __version__
from ..errors import ScriptError
from ..script import Engine
from ..table import Table
from .language import Language, is_complete

__all__ = ["RhaiKernel", "KERNEL_NAME", "kernel_json", "new_engine", "display_bundle"]

KERNEL_NAME = "rhai"

#: The kernel's default limits (the rest are the engine's defaults).
KERNEL_LIMITS: Dict[str, float] = {"max_wall_time": 60.0}


def kernel_json(python: str) -> Dict[str, Any]:
    """The kernel spec (``kernel.json``) that runs this kernel with ``python``."""
    return {
        "argv": [python, "-m", "powerbalance.kernel", "-f", "{connection_file}"],
        "display_name": "Rhai (powerbalance)",
        "language": "rhai",
        "interrupt_mode": "signal",
        "metadata": {"debugger": False},
    }


def _limits() -> Dict[str, float]:
    limits = dict(KERNEL_LIMITS)
    extra = os.environ.get("POWERBALANCE_RHAI_LIMITS")
    if extra:
        limits.update(json.loads(extra))
    return limits


def new_engine() -> Engine:
    """The kernel's engine: data from the data home, the kernel's limits, output kept for the reply."""
    from .. import datasets

    # file access under the data home; the Rhai dataset(name) resolves by the same rule
    return Engine(data=datasets.data_home(), data_home=None, limits=_limits(), echo=False)


def display_bundle(value: Any) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """The MIME bundle and metadata a cell's value shows as: a chart's Vega-Lite and SVG, a
    table's HTML (with its units legend) and text, any other value's text.

    Examples
    --------
    >>> data, _ = display_bundle(pb.Table({"actor": ["China"], "share": [0.0773]}))
    >>> sorted(data), "7.7%" in data["text/html"]
    (['text/html', 'text/plain'], True)
    >>> display_bundle(42)
    ({'text/plain': '42'}, {})
    """
    from ..charts import Chart

    if isinstance(value, Chart):
        return value._repr_mimebundle_()
    data: Dict[str, Any] = {"text/plain": repr(value)}
    if isinstance(value, Table):
        data["text/html"] = value._repr_html_()
    return data, {}


class RhaiKernel(Kernel):
    """A wrapper kernel: ipykernel's messaging around a :class:`~powerbalance.script.Engine`."""

    implementation = "powerbalance-rhai"
    implementation_version = __version__
    language = "rhai"
    language_version = "1"
    language_info = {
        "name": "rhai",
        "mimetype": "text/x-rhai",
        "file_extension": ".rhai",
        "codemirror_mode": "rust",
        "pygments_lexer": "rust",
    }
    banner = "Rhai what-ifs over powerbalance (sandboxed)"
    help_links = TList([{"text": "The Rhai book", "url": "https://rhai.rs/book/"}])

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)  # type: ignore[no-untyped-call]
        self.engine = new_engine()
        self.lang = Language(self.engine)

    def _stream(self, lines: List[str]) -> None:
        if lines:
            content = {"name": "stdout", "text": "\n".join(lines) + "\n"}
            self.send_response(self.iopub_socket, "stream", content)  # type: ignore[no-untyped-call]

    def _error(self, ename: str, evalue: str, traceback: List[str]) -> Dict[str, Any]:
        content = {"ename": ename, "evalue": evalue, "traceback": traceback}
        self.send_response(self.iopub_socket, "error", content)  # type: ignore[no-untyped-call]
        return {"status": "error", "execution_count": self.execution_count, **content}

    def do_execute(  # type: ignore[override]
        self,
        code: str,
        silent: bool,
        store_history: bool = True,
        user_expressions: Optional[Dict[str, Any]] = None,
        allow_stdin: bool = False,
        *,
        cell_id: Optional[str] = None,
    ) -> Dict[str, Any]:
        from ..charts import eval_with_charts

        ok = {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}
        if not code.strip():
            return ok
        try:
            value = eval_with_charts(self.engine, code)
        except ScriptError as e:
            if not silent:
                self._stream(e.output)
            where = f"line {e.line}, column {e.column}"
            text = f"ScriptError: {where}: {e.message}"
            return self._error("ScriptError", f"{where}: {e.message}", [text])
        except KeyboardInterrupt:
            if not silent:
                self._stream(self.engine.output)
            stopped = "the cell was interrupted"
            return self._error("KeyboardInterrupt", stopped, [f"KeyboardInterrupt: {stopped}"])
        except Exception as e:  # a bad value passed in, an internal error: answer, stay alive
            return self._error(type(e).__name__, str(e), [f"{type(e).__name__}: {e}"])
        if silent:
            return ok
        self._stream(self.engine.output)
        if value is not None:
            try:
                data, metadata = display_bundle(value)
            except Exception as e:  # a chart that cannot be drawn: say why, keep the kernel
                return self._error(type(e).__name__, str(e), [f"{type(e).__name__}: {e}"])
            self.send_response(  # type: ignore[no-untyped-call]
                self.iopub_socket,
                "execute_result",
                {"execution_count": self.execution_count, "data": data, "metadata": metadata},
            )
        return ok

    def do_complete(self, code: str, cursor_pos: int) -> Dict[str, Any]:  # type: ignore[override]
        """Complete variables, functions and keywords; after ``x.`` the methods of ``x``'s type."""
        return {"status": "ok", **self.lang.complete(code, cursor_pos)}

    def do_inspect(  # type: ignore[override]
        self, code: str, cursor_pos: int, detail_level: int = 0, omit_sections: Any = ()
    ) -> Dict[str, Any]:
        """Shift-Tab: the signatures and doc comment of the function (or the type of the
        variable) at the cursor, or of the call the cursor is in."""
        text = self.lang.inspect(code, cursor_pos)
        if text is None:
            return {"status": "ok", "found": False, "data": {}, "metadata": {}}
        return {"status": "ok", "found": True, "data": {"text/plain": text}, "metadata": {}}

    def do_is_complete(self, code: str) -> Dict[str, Any]:  # type: ignore[override]
        """``complete``, ``incomplete`` (an open bracket or string; the next line's indent
        given) or ``invalid`` (a closing bracket without its opening one)."""
        return is_complete(code)
