"""``powerbalance data list|fetch|verify|home``: the named data sets and the data home.

- ``data home`` prints the data home and where it comes from (``argument``: ``--data-home``;
  ``env``: ``POWERBALANCE_DATA``, read-only to powerbalance; ``user``: the user data home).
- ``data fetch NAME [NAME...]`` or ``data fetch --all`` (every data set the replication reads,
  :data:`powerbalance.datasets.REPLICATION`) downloads into the user data home or ``--data-home``;
  never into the ``POWERBALANCE_DATA`` folder, which is read-only (the error names the command
  that fetches into the user data home). ``POWERBALANCE_MIRROR=BASE`` sends every download of
  ``https://HOST/PATH`` to ``BASE/HOST/PATH``.
- ``data list`` shows, for each data set, whether it is present, verified and downloadable.
- ``data verify [NAME]`` checks the files against their sha256.

Exit status: 0 when everything asked for is there and matches; 1 when ``verify`` finds a
missing or mismatching file; 2 on a usage error or a failed download (printed as
``powerbalance: error: ...``); 143 when a fetch was stopped by SIGTERM (nothing half-written is
left: the temporary file is removed, as on any failure).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any, Dict, Iterator, List, Optional

HELP = "list, fetch and verify the named public data sets (SIPRI, COW, ...); show the data home"


class Terminated(BaseException):
    """Raised by the SIGTERM handler of ``data fetch``: unwinds like Ctrl-C, so that every
    temporary file is removed, then the command exits 143."""


def _home_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-home",
        metavar="DIR",
        default=None,
        help="the data folder (default: $POWERBALANCE_DATA, read-only; else the user data home)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Subcommands ``list``, ``fetch NAME... | --all``, ``verify [NAME]`` and ``home``."""
    sub = parser.add_subparsers(dest="data_command", metavar="ACTION")
    sub.required = True

    p = sub.add_parser("list", help="one line per data set: vintage, files, present, verified, downloadable")
    _home_option(p)
    p.add_argument("--quick", action="store_true", help="check sizes only, do not hash the files")

    p = sub.add_parser("fetch", help="download data sets into the data home (checked, atomic; converted where needed)")
    p.add_argument("names", metavar="NAME", nargs="*", help="data set names (see `powerbalance data list`)")
    p.add_argument("--all", action="store_true", help="every data set the replication reads (all but the live one)")
    _home_option(p)
    p.add_argument("--force", action="store_true", help="download even files that are present and verified")
    p.add_argument("--attempts", type=int, default=4, help="tries per file (default 4)")
    p.add_argument("--backoff", type=float, default=1.0, help="first delay between tries, seconds (default 1)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds without data before a try fails (default 60)")
    p.add_argument(
        "--deadline",
        type=float,
        default=None,
        help="seconds one try at one file may take in all (default: timeout + size / 20,000 bytes/s)",
    )
    p.add_argument(
        "--sipri-url",
        metavar="URL",
        default=None,
        help="base URL of SIPRI's backend for sipri-register-live (default $POWERBALANCE_SIPRI_URL or "
        "https://atbackend.sipri.org/api/p)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")

    p = sub.add_parser("verify", help="check files against their sha256; exit 1 if any is missing or wrong")
    p.add_argument("name", metavar="NAME", nargs="?", default=None, help="a data set (default: every data set present)")
    _home_option(p)

    p = sub.add_parser("home", help="print the data home and where it comes from (argument, env or user)")
    _home_option(p)


def _on_sigterm(signum: int, frame: Optional[FrameType]) -> None:
    raise Terminated()


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` (a ``BaseException``, like Ctrl-C's
    ``KeyboardInterrupt``), so ``finally`` blocks and :func:`powerbalance.datasets.fetch`'s
    clean-up run (no ``.part`` file stays). Other commands that fetch (``replicate``) can use it
    too: catch :class:`Terminated` and exit 143. A no-op off the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _fetch(args: argparse.Namespace) -> int:
    from powerbalance import datasets
    from powerbalance.cli import error

    if args.attempts < 1:
        return error(f"--attempts must be 1 or more, not {args.attempts}")
    if args.timeout <= 0:
        return error(f"--timeout must be positive, not {args.timeout}")
    if args.deadline is not None and args.deadline <= 0:
        return error(f"--deadline must be positive, not {args.deadline}")
    if args.all and args.names:
        return error("give data set names or --all, not both")
    names: List[str] = list(datasets.REPLICATION) if args.all else list(args.names)
    if not names:
        return error("name the data sets to fetch (see `powerbalance data list`), or give --all")
    sets = [datasets.info(n) for n in names]  # unknown names fail before anything is downloaded
    home = datasets.data_home(args.data_home)
    t0 = time.monotonic()
    try:
        with sigterm_unwinds():
            _fetch_each(args, sets, home)
    except Terminated:
        print(f"powerbalance: fetch stopped by SIGTERM; no partial file was left in {home}", file=sys.stderr)
        return 143
    if len(sets) > 1:
        total = sum(ds.size for ds in sets)
        took = time.monotonic() - t0
        print(f"{len(sets)} data sets ({total / 1e6:.1f} MB) in {home}, {took:.1f} s; "
              "cite each publisher (`powerbalance data list`)")
    return 0


def _fetch_each(args: argparse.Namespace, sets: List[Any], home: Path) -> None:
    from powerbalance import datasets

    for ds in sets:
        p = datasets.fetch(
            ds,
            data_home=args.data_home,
            force=args.force,
            attempts=args.attempts,
            backoff=max(0.0, args.backoff),
            timeout=args.timeout,
            deadline=args.deadline,
            progress=False if args.no_progress else None,
            sipri_url=args.sipri_url,
        )
        if ds.live:
            meta_path = p.with_name(p.name + ".meta.json")
            with open(meta_path, "r", encoding="utf-8") as fh:
                meta = json.load(fh)
            print(f"{ds.name}: fetched {p} ({meta['size']:,} bytes, {meta['entries']:,} deliveries)")
            print(f"  SIPRI generated it: {meta.get('generated') or 'unknown'}; fetched {meta['fetched']}")
            print(f"  sha256 {meta['sha256']} (recorded in {meta_path.name}; a live release has no fixed checksum)")
        else:
            print(f"{ds.name}: {len(ds.files)} file(s) in {home}, sha256 verified")
        if len(sets) == 1:
            print(f"  cite: {ds.citation}")


def run(args: argparse.Namespace) -> int:
    """Run the action; return the exit status."""
    from powerbalance import datasets

    if args.data_command == "home":
        home = datasets.data_home(args.data_home)
        source = datasets.home_source(args.data_home)
        print(home)
        note = {
            "argument": "--data-home",
            "env": f"${datasets.ENV_DATA_HOME}; read-only to powerbalance: `data fetch` writes to the user data home",
            "user": "the user data home; `powerbalance data fetch` writes here",
        }[source]
        print(f"source: {source} ({note})")
        return 0

    home = datasets.data_home(args.data_home)
    if args.data_command == "list":
        t = datasets.list(data_home=home, verify=not args.quick)
        print(f"data home: {home} ({datasets.home_source(args.data_home)})")
        print(t.select(["name", "vintage", "files", "present", "verified", "downloadable"]).to_string(None))
        return 0

    if args.data_command == "fetch":
        return _fetch(args)

    # verify
    rows = datasets.verify(args.name, data_home=home).to_pylist()
    by_set: Dict[str, List[Dict[str, Any]]] = {}
    for r in rows:
        by_set.setdefault(r["dataset"], []).append(r)
    status = 0
    for name, rs in by_set.items():
        bad = [r for r in rs if r["status"] != "ok"]
        if not bad:
            print(f"ok       {name} ({len(rs)} file(s))")
            continue
        if args.name is None and all(r["status"] == "missing" for r in rs):
            print(f"absent   {name} (not in the data home; `{datasets.fetch_command([name], args.data_home)}`)")
            continue
        status = 1
        print(f"FAILED   {name}: {len(bad)} of {len(rs)} file(s)")
        for r in bad:
            print(f"  {r['status']:<10} {r['file']}: {r['problem']}")
    if status:
        print(f"data home: {home}; `powerbalance data fetch NAME --force` downloads a set again")
    return status
