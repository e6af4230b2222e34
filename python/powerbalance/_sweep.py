"""Sweeps of what-ifs over all cores, and over the workers of any ``concurrent.futures`` executor.

Public names live in :mod:`powerbalance.script` (``pb.script.sweep``, ``pb.script.Metric``);
this module also holds the functions that rebuild a pickled :class:`~powerbalance.Ledger`,
:class:`~powerbalance.Table` and :class:`~powerbalance.script.Scenario`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _native
from .errors import InvalidArgumentError
from .ledger import Ledger
from .table import Table

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .script import Scenario

__all__ = ["Metric", "sweep"]

#: Each metric's positional arguments, in the order of the Ledger method of the same name.
_POSITIONAL: Dict[str, Tuple[str, ...]] = {
    "importers": ("start", "end"),
    "exporters": ("start", "end"),
    "dyad": ("supplier", "recipient", "start", "end"),
    "suppliers": ("recipient", "start", "end"),
    "clients": ("supplier", "start", "end"),
    "total": ("start", "end"),
    "by_supplier": ("start", "end"),
    "by_recipient": ("start", "end"),
    "by_dyad": ("start", "end"),
    "series": ("actor", "start", "end"),
    "world": ("start", "end"),
}


class Metric:
    """A core metric named with its arguments, for :func:`sweep`.

    The metric runs in the sweep's Rust threads (no Python call per what-if) and pickles to
    other processes as JSON. Its arguments are those of the :class:`~powerbalance.Ledger`
    method of the same name, in the same order.

    ==============================================  ==============================================
    metric                                          arguments
    ==============================================  ==============================================
    ``importers``                                   ``start, end, top=None, suppliers=3, compare=None``
    ``exporters``                                   ``start, end, top=None, clients=3, compare=None``
    ``dyad``                                        ``supplier, recipient, start=None, end=None``
    ``suppliers`` / ``clients``                     ``recipient`` / ``supplier``, ``start, end``
    ``total``                                       ``start, end`` (a one-row table ``tiv``)
    ``by_supplier``, ``by_recipient``, ``by_dyad``  ``start, end``
    ``series``                                      ``actor, start=None, end=None``
    ``world``                                       ``start=None, end=None``
    ==============================================  ==============================================

    Parameters
    ----------
    metric : str
        The metric's name.
    *args, **kwargs
        Its arguments.

    Examples
    --------
    >>> from powerbalance.script import Metric
    >>> m = Metric("importers", 2016, 2020, top=10)
    >>> m.to_dict()
    {'metric': 'importers', 'start': 2016, 'end': 2020, 'top': 10, 'suppliers': 3}
    >>> Metric.from_dict({"metric": "total", "start": 2016, "end": 2020}) == Metric("total", 2016, 2020)
    True
    """

    __slots__ = ("_json",)

    def __init__(self, metric: str, *args: Any, **kwargs: Any) -> None:
        names = _POSITIONAL.get(metric)
        if names is None:
            raise InvalidArgumentError(f"unknown metric {metric!r}; the metrics are {', '.join(_POSITIONAL)}")
        if len(args) > len(names):
            raise TypeError(f"Metric({metric!r}) takes at most {len(names)} positional arguments ({', '.join(names)})")
        d: Dict[str, Any] = {"metric": metric}
        for k, v in zip(names, args):
            d[k] = v
        for k, v in kwargs.items():
            if k in d:
                raise TypeError(f"Metric({metric!r}) got {k!r} twice")
            d[k] = v
        self._json = _normal(d)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Metric":
        """A metric from its dict form (``{"metric": "importers", "start": 2016, ...}``)."""
        m = cls.__new__(cls)
        m._json = _normal(dict(d))
        return m

    @classmethod
    def from_json(cls, text: str) -> "Metric":
        """A metric from JSON (as :meth:`to_json` writes it)."""
        m = cls.__new__(cls)
        m._json = _native.metric_json(text)
        return m

    def to_json(self) -> str:
        """The metric as JSON."""
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The metric as a dict (defaults filled in)."""
        import json

        d: Dict[str, Any] = json.loads(self._json)
        if isinstance(d.get("compare"), list):
            d["compare"] = tuple(d["compare"])
        return d

    @property
    def name(self) -> str:
        """The metric's name."""
        return str(self.to_dict()["metric"])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Metric) and other._json == self._json

    def __hash__(self) -> int:
        return hash(self._json)

    def __repr__(self) -> str:
        d = self.to_dict()
        name = d.pop("metric")
        return f"Metric({name!r}, {', '.join(f'{k}={v!r}' for k, v in d.items())})"

    def __reduce__(self) -> Tuple[Any, Tuple[str]]:
        return (Metric.from_json, (self._json,))


def _normal(d: Dict[str, Any]) -> str:
    import json

    if isinstance(d.get("compare"), tuple):
        d["compare"] = list(d["compare"])
    d = {k: v for k, v in d.items() if v is not None}
    try:
        text = json.dumps(d)
    except TypeError as e:
        raise InvalidArgumentError(f"metric arguments must be numbers and strings: {e}") from None
    return _native.metric_json(text)


def _metric_json(metric: Union[Metric, Mapping[str, Any]]) -> str:
    if isinstance(metric, Metric):
        return metric.to_json()
    if isinstance(metric, Mapping):
        return _normal(dict(metric))
    raise TypeError(
        f"metric must be a Metric or a dict such as {{'metric': 'importers', ...}}, not {type(metric).__name__}"
    )


def _scenario_texts(scenarios: Sequence[Union["Scenario", str]]) -> List[str]:
    from .script import Scenario

    out = []
    for i, s in enumerate(scenarios):
        if isinstance(s, Scenario):
            out.append(s.to_json())
        elif isinstance(s, str):
            out.append(s)
        else:
            raise TypeError(f"scenario {i} is a {type(s).__name__}, not a Scenario or its JSON")
    return out


def _native_ledger(ledger: Union[Ledger, "_native.Ledger"]) -> "_native.Ledger":
    if isinstance(ledger, Ledger):
        return ledger.native
    if isinstance(ledger, _native.Ledger):
        return ledger
    raise TypeError(f"ledger must be a powerbalance.Ledger, not {type(ledger).__name__}")


# the last ledger a worker process rebuilt, by the key the caller gave it
_LEDGER_CACHE: Dict[str, "_native.Ledger"] = {}


def _run_chunk(key: str, ledger_ipc: bytes, scenarios_json: str, metric_json: str, threads: int, first: int) -> bytes:
    """One chunk of a sweep in a worker: the ledger from its bytes (rebuilt once per process
    and ledger), the sweep of the chunk's scenarios, the table as Arrow IPC bytes."""
    led = _LEDGER_CACHE.get(key)
    if led is None:
        led = _native.ledger_from_ipc(ledger_ipc)
        _LEDGER_CACHE.clear()
        _LEDGER_CACHE[key] = led
    t = _native.sweep(led, scenarios_json, metric_json, threads, first)
    return bytes(_native.table_to_ipc(t))


def _broadcast(executor: "Executor", data: bytes) -> Any:
    """``data`` sent once to every worker when the executor offers it (a Dask client's
    executor: ``Client.scatter(broadcast=True)``), else ``data`` itself (pickled with each
    chunk)."""
    client = getattr(executor, "_client", None)
    scatter = getattr(client, "scatter", None)
    if scatter is not None:
        return scatter(data, broadcast=True, hash=True)
    return data


def sweep(
    ledger: Ledger,
    scenarios: Sequence[Union["Scenario", str]],
    metric: Union[Metric, Mapping[str, Any]],
    *,
    threads: Optional[int] = None,
    executor: Optional["Executor"] = None,
    chunk_size: Optional[int] = None,
) -> Table:
    """Apply each scenario to the ledger, compute the metric on each what-if, and stack the
    tables: one table with a ``scenario`` column (the scenario's position in ``scenarios``,
    from 0) and the metric's columns, in scenario order.

    The same table as ``for i, s in enumerate(scenarios): metric(s.apply(ledger))`` with the
    ``scenario`` column added, computed in the Rust core on ``threads`` threads (default: every
    core, or ``POWERBALANCE_THREADS``), without the interpreter lock.

    Parameters
    ----------
    ledger : Ledger
        The baseline.
    scenarios : sequence of Scenario (or their JSON)
        The what-ifs.
    metric : Metric or dict
        A core metric and its arguments: ``Metric("importers", 2016, 2020, top=10)`` or
        ``{"metric": "importers", "start": 2016, "end": 2020, "top": 10}`` (see :class:`Metric`).
    threads : int, optional
        Threads per sweep (per chunk with ``executor``, default 1 there: the executor's workers
        are the parallelism).
    executor : concurrent.futures.Executor, optional
        Run the scenarios in chunks on the executor's workers: a
        ``concurrent.futures.ProcessPoolExecutor``, a Dask cluster's executor
        (``distributed.Client(address).get_executor()``), or any other ``Executor`` whose
        workers can import ``powerbalance``. The ledger goes to the workers as Arrow IPC bytes
        (once, by ``Client.scatter(broadcast=True)``, on a Dask executor; with each chunk
        otherwise) and is rebuilt once per worker process; each chunk comes back as Arrow IPC
        bytes; the chunks are stacked in order, so the table is the local sweep's.
    chunk_size : int, optional
        Scenarios per chunk (default: the scenarios split into four chunks per worker, when the
        executor says how many workers it has, else into 16 chunks).

    Returns
    -------
    Table
        ``scenario`` (int64), then the metric's columns.

    Raises
    ------
    powerbalance.errors.PowerbalanceError
        The first failing scenario's error, its message starting ``scenario <i> ("<name>")``
        (an unknown actor's :class:`~powerbalance.errors.UnknownActorError` keeps its own
        message, which names the actor).

    Notes
    -----
    On a real Dask cluster::

        from distributed import Client
        client = Client("tcp://scheduler:8786")   # workers with powerbalance installed
        t = pb.script.sweep(led, scenarios, metric, executor=client.get_executor())

    On Ray, any ``concurrent.futures.Executor`` over Ray tasks works, e.g. a small wrapper whose
    ``submit(fn, *args)`` returns ``ray.remote(fn).remote(*args).future()`` (Ray's object refs
    convert to ``concurrent.futures.Future``). The tests run the Dask path on a
    ``distributed.LocalCluster`` (real scheduler and worker processes) and a
    ``ProcessPoolExecutor``; Ray is not tested here (not installed).

    Examples
    --------
    >>> from powerbalance.script import Metric, Scenario, sweep
    >>> led = pb.read_sipri(pb.datasets.path("sipri-register-2024"))
    >>> whatifs = [Scenario(f"no {c}").embargo("Russia", c, 2016, 2020) for c in ["China", "India"]]
    >>> t = sweep(led, whatifs, Metric("total", 2016, 2020))
    >>> t.column_names, len(t)
    (['scenario', 'tiv'], 2)
    """
    native = _native_ledger(ledger)
    texts = _scenario_texts(scenarios)
    mjson = _metric_json(metric)
    if threads is not None and threads < 1:
        raise InvalidArgumentError(f"threads must be 1 or more, not {threads}")
    if chunk_size is not None and chunk_size < 1:
        raise InvalidArgumentError(f"chunk_size must be 1 or more, not {chunk_size}")
    if executor is None or not texts:
        return Table(_native.sweep(native, "[" + ",".join(texts) + "]", mjson, threads or 0, 0))
    if chunk_size is None:
        workers = getattr(executor, "_max_workers", None)
        parts = 4 * workers if isinstance(workers, int) and workers > 0 else 16
        chunk_size = max(1, math.ceil(len(texts) / parts))
    import hashlib

    data = bytes(_native.ledger_to_ipc(native))
    key = hashlib.blake2b(data, digest_size=16).hexdigest()
    shared = _broadcast(executor, data)
    futures = [
        executor.submit(
            _run_chunk, key, shared, "[" + ",".join(texts[i : i + chunk_size]) + "]", mjson, threads or 1, i
        )
        for i in range(0, len(texts), chunk_size)
    ]
    return Table(_native.table_from_ipc([f.result() for f in futures]))


# ---------------------------------------------------------------------------------------------
# pickling: what __reduce__ of Ledger, Table and Scenario name


def _ledger_from_ipc(data: bytes) -> Ledger:
    return Ledger(_native.ledger_from_ipc(data))


def _table_from_ipc(data: bytes) -> Table:
    return Table(_native.table_from_ipc([data]))


def _scenario_from_json(text: str) -> "Scenario":
    from .script import Scenario

    return Scenario.from_json(text)
