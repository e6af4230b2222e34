"""The ``%%rhai`` cell magic (and ``%rhai`` line magic) for IPython and Jupyter.

Load it with ``%load_ext powerbalance``. Every ``%%rhai`` cell of a session runs in one
:class:`powerbalance.script.Engine`, so variables a cell defines with ``let`` are there in the
next cell. Python variables go in with ``--in`` and come back with ``--out``::

    %%rhai --in top --out share
    let led = read_sipri("sipri/tiv_tables_2022/360info_TIV-Export-by-supplier_1950-2021");
    let t = led.exporters(2016, 2020, #{top: top});
    let share = t[0].share;
    t

The value of the cell's last expression is the cell's result (a result table shows as HTML,
``chart(table, #{x: "year", y: "tiv", kind: "line"})`` as a chart: see
:mod:`powerbalance.charts`); what the script prints is printed. A script error shows as
``ScriptError: line L, column C: message``. Options: ``--data DIR`` (the data folder; default the data home of
:func:`powerbalance.datasets.data_home`: ``$POWERBALANCE_DATA``, else the user data home),
``--reset`` (start from an empty scope), ``--max-wall-time SECONDS``.
"""

from __future__ import annotations

import argparse
import shlex
from typing import Any, Dict, List, Optional

from .script import Engine

__all__ = ["RhaiMagics", "load_ipython_extension"]


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="%%rhai", add_help=False)
    p.add_argument("--in", dest="inputs", nargs="+", default=[], metavar="NAME")
    p.add_argument("--out", dest="outputs", nargs="+", default=[], metavar="NAME")
    p.add_argument("--data", default=None)
    p.add_argument("--reset", action="store_true")
    p.add_argument("--max-wall-time", type=float, default=None)
    return p


class RhaiMagics:
    """The state behind ``%%rhai``: one engine per IPython shell."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.engine: Optional[Engine] = None
        self._config: Dict[str, Any] = {}

    def _engine(self, data: Optional[str], wall: Optional[float], reset: bool) -> Engine:
        config = {"data": data, "wall": wall}
        changed = any(config[k] is not None and config[k] != self._config.get(k) for k in config)
        if self.engine is None or reset or changed:
            limits = {} if wall is None else {"max_wall_time": wall}
            from . import datasets

            # file access under the data home; dataset(name) resolved by the same rule
            self.engine = Engine(data=datasets.data_home(data), data_home=data, limits=limits)
            self._config = config
        return self.engine

    def rhai(self, line: str, cell: Optional[str] = None) -> Any:
        """Run Rhai code: the cell (``%%rhai [options]``) or the rest of the line (``%rhai code``)."""
        if cell is None:  # line magic: the whole line is code
            return self._run(line, [], [], None, None, False)
        try:
            args = _parser().parse_args(shlex.split(line))
        except SystemExit:
            usage = "%%rhai [--in NAME ...] [--out NAME ...] [--data DIR] [--reset] [--max-wall-time S]"
            raise ValueError(f"%%rhai: bad options {line!r}; usage: {usage}") from None
        return self._run(cell, args.inputs, args.outputs, args.data, args.max_wall_time, args.reset)

    def _run(
        self,
        code: str,
        inputs: List[str],
        outputs: List[str],
        data: Optional[str],
        wall: Optional[float],
        reset: bool,
    ) -> Any:
        engine = self._engine(data, wall, reset)
        ns = self.shell.user_ns
        for name in inputs:
            if name not in ns:
                raise NameError(f"%%rhai --in {name}: no Python variable {name!r}")
            engine.set(name, ns[name])
        from .charts import eval_with_charts

        value = eval_with_charts(engine, code)
        for name in outputs:
            ns[name] = engine.get(name)
        return value


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%%rhai`` and ``%rhai`` (``%load_ext powerbalance``)."""
    state = RhaiMagics(ipython)
    ipython.register_magic_function(state.rhai, magic_kind="line_cell", magic_name="rhai")
    ipython._powerbalance_rhai = state
