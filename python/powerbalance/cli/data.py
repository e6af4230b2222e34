"""``powerbalance data list|fetch|verify``: the named data sets and the data home.

Exit status: 0 when everything asked for is there and matches; 1 when ``verify`` finds a
missing or mismatching file; 2 on a usage error or a failed download (printed as
``powerbalance: error: ...``).
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Dict, List

HELP = "list, fetch and verify the named public data sets (SIPRI, COW, ...)"


def _home_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-home",
        metavar="DIR",
        default=None,
        help="the data folder (default: $POWERBALANCE_DATA, else the user cache dir)",
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Subcommands ``list``, ``fetch NAME`` and ``verify [NAME]``."""
    sub = parser.add_subparsers(dest="data_command", metavar="ACTION")
    sub.required = True

    p = sub.add_parser("list", help="one line per data set: vintage, files, present, verified")
    _home_option(p)
    p.add_argument("--quick", action="store_true", help="check sizes only, do not hash the files")

    p = sub.add_parser("fetch", help="download a data set into the data home (checked, atomic)")
    p.add_argument("name", metavar="NAME", help="a data set name (see `powerbalance data list`)")
    _home_option(p)
    p.add_argument("--force", action="store_true", help="download even files that are present and verified")
    p.add_argument("--attempts", type=int, default=4, help="tries per file (default 4)")
    p.add_argument("--backoff", type=float, default=1.0, help="first delay between tries, seconds (default 1)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds without data before a try fails (default 60)")
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


def run(args: argparse.Namespace) -> int:
    """Run the action; return the exit status."""
    from powerbalance import datasets
    from powerbalance.cli import error

    home = datasets.data_home(args.data_home)
    if args.data_command == "list":
        t = datasets.list(data_home=home, verify=not args.quick)
        print(f"data home: {home}")
        print(t.select(["name", "vintage", "files", "present", "verified", "downloadable"]).to_string(None))
        return 0

    if args.data_command == "fetch":
        if args.attempts < 1:
            return error(f"--attempts must be 1 or more, not {args.attempts}")
        if args.timeout <= 0:
            return error(f"--timeout must be positive, not {args.timeout}")
        ds = datasets.info(args.name)
        p = datasets.fetch(
            ds,
            data_home=home,
            force=args.force,
            attempts=args.attempts,
            backoff=max(0.0, args.backoff),
            timeout=args.timeout,
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
        print(f"  cite: {ds.citation}")
        return 0

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
            print(f"absent   {name} (not in the data home; `powerbalance data fetch {name}`)")
            continue
        status = 1
        print(f"FAILED   {name}: {len(bad)} of {len(rs)} file(s)")
        for r in bad:
            print(f"  {r['status']:<10} {r['file']}: {r['problem']}")
    if status:
        print(f"data home: {home}; `powerbalance data fetch NAME --force` downloads a set again")
    return status
