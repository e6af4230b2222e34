"""The main job: `powerbalance replicate` writes the report from the data home, says what data it
lacks, and writes its report folder safely; the paper's claims file is the one source of the
claims' words."""

from __future__ import annotations

import argparse
import base64
import csv
import html.parser
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import powerbalance as pb
import pytest
from powerbalance import datasets
from powerbalance.paper import replicate as rp
from powerbalance.paper import verdicts as cl

FIGURES = ("figure1_russia_china.png", "balance_shares.png", "un_voting.png")
REPORT_FILES = {"report.md", "report.html", "claims.csv", "table1_comparison.csv", *FIGURES}


def _run(args: List[str], env: Dict[str, str]) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [sys.executable, "-m", "powerbalance", *args], capture_output=True, text=True, env=env, timeout=600
    )


def _env(**extra: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "POWERBALANCE_DATA"}
    env.update(extra)
    return env


# -- the report from data ----------------------------------------------------------------------


def test_replicate_writes_report(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report"
    r = _run(["replicate", "--out", str(out)], _env(POWERBALANCE_DATA=str(data_dir)))
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(
        r"replicate: wrote .*report\.md \(79 claim rows; consistent \d+, inconsistent \d+, not testable \d+\)\n",
        r.stdout,
    )
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "Table 1" in report and "Figure 1" in report
    for name in ("figure1_russia_china.png", "balance_shares.png", "un_voting.png"):
        png = out / name
        assert png.stat().st_size > 10_000, name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert f"]({name})" in report, f"the report does not show {name}"
    with (out / "claims.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == cl.COLUMNS
    ids = {r["id"] for r in rows}
    assert ids == set(cl.CLAIM_IDS) == set(cl.claim_texts())
    texts = cl.claim_texts()
    for r in rows:
        # every claim row carries the paper's words, figure and place from the claims file
        t = texts[r["id"]]
        assert (r["claim"], r["paper_value"], r["where"], r["kind"]) == (t.claim, t.paper_figure, t.where, t.kind)
        assert r["dataset"] and all(n.strip() in datasets.names() for n in r["dataset"].split(",")), r["dataset"]
    for t in texts.values():
        assert f"\n> {t.claim}\n" in report, f"report.md does not give the text of {t.id}"
        assert re.search(rf"^### {re.escape(t.id)}: ", report, re.M), f"report.md has no section for {t.id}"
    assert {r["verdict"] for r in rows} <= {"consistent", "inconsistent", "not testable"}
    for r in rows:
        if r["verdict"] == "not testable":
            assert r["note"], f"{r['id']} {r['vintage']}: a 'not testable' verdict must say why"
    with (out / "table1_comparison.csv").open(encoding="utf-8") as f:
        t1 = list(csv.DictReader(f))
    assert len(t1) == 40
    manifest = json.loads((out / rp.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["tool"] == "powerbalance replicate" and set(manifest["files"]) == REPORT_FILES
    assert set(os.listdir(out)) == REPORT_FILES | {rp.MANIFEST}  # no temporary file or staging folder left

    # the README command can run twice: the second run replaces its own report
    before = (out / "claims.csv").read_bytes()
    r = _run(["replicate", "--out", str(out), "--offline"], _env(POWERBALANCE_DATA=str(data_dir)))
    assert r.returncode == 0, r.stderr
    assert (out / "claims.csv").read_bytes() == before
    assert set(os.listdir(out)) == REPORT_FILES | {rp.MANIFEST}


@pytest.fixture(scope="module")
def report(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One report, written by the command on the real data."""
    out = tmp_path_factory.mktemp("replicate") / "report"
    r = _run(["replicate", "--out", str(out), "--offline"], _env(POWERBALANCE_DATA=str(data_dir)))
    assert r.returncode == 0, r.stderr
    return out


def _claim_rows(report: Path) -> List[Dict[str, str]]:
    with (report / "claims.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _section(md: str, heading: str) -> List[str]:
    """The lines of a ``## heading`` section of report.md, up to the next ``## `` heading, without
    the trailing blank lines."""
    lines = md.splitlines()
    start = lines.index(f"## {heading}") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("## "))
    body = lines[start:end]
    while body and not body[-1].strip():
        body.pop()
    return body


def _md_table(lines: List[str]) -> List[List[str]]:
    rows = [ln for ln in lines if ln.startswith("| ")]
    return [[c.strip() for c in ln.strip("|").split("|")] for ln in rows[1:]]  # without the header


def test_summary_is_short_and_its_counts_add_up(report: Path) -> None:
    md = (report / "report.md").read_text(encoding="utf-8")
    lines = md.splitlines()
    assert lines[0] == "# Replication report" and lines.index("## Summary") < 5, "the summary opens the report"
    summary = _section(md, "Summary")
    assert len(summary) <= 15, "\n".join(summary)
    text = "\n".join(summary)
    rows = _claim_rows(report)
    counts = {v: sum(1 for r in rows if r["verdict"] == v) for v in rp.VERDICTS}
    # the counts per release and class add up to the claim rows, class by class
    table = _md_table(summary)
    assert table and all(len(r) == 5 for r in table), table
    assert sum(int(r[4]) for r in table) == len(rows) == 79
    for k, v in enumerate(rp.VERDICTS, start=1):
        assert sum(int(r[k]) for r in table) == counts[v], v
    for r in table:
        assert sum(int(x) for x in r[1:4]) == int(r[4]), r
    # each SIPRI release's row counts the claim rows of that release
    by_release = {r[0]: r for r in table}
    for label, name in (
        ("2021", "March 2021"),
        ("2022", "2022 release"),
        ("2024", "April 2024"),
        ("2026", "February 2026"),
    ):
        row = next(v for k, v in by_release.items() if name in k)
        assert int(row[4]) == sum(1 for r in rows if r["vintage"] == label), (label, row)
    assert (
        f"All 79 claim rows: consistent {counts['consistent']}, inconsistent {counts['inconsistent']}, "
        f"not testable {counts['not testable']}." in text
    )
    # the answer to the paper's question: one sentence, computed (the numbers are the data's)
    answer = next(ln for ln in summary if ln.startswith("**Our answer**"))
    sentence = answer.split("below). ", 1)[1]
    assert re.match(r"(Yes|No|Partly): ", sentence) and sentence.count(". ") == 0 and sentence.endswith("."), sentence
    assert "0.26 in 2024" in sentence  # China-Russia UN-vote distance, as P7's row
    p7 = next(r for r in rows if r["id"] == "P7")
    assert "0.26 (2024)" in p7["computed_value"]
    p4 = [r for r in rows if r["id"] == "P4"]
    assert "is not tri-polar" in sentence and all(r["verdict"] == "inconsistent" for r in p4)
    assert (
        "Table 1: of the 40 shares of world imports 2016-20, 1 differs from the paper in its own release (2021), 16 "
        "in the 2022 release" in text
    )


def test_vintage_changes_compare_releases_not_measures(report: Path) -> None:
    md = (report / "report.md").read_text(encoding="utf-8")
    section = "\n".join(_section(md, "Does a verdict change between releases?"))
    changed = section.split("**The verdict changes with the release:**", 1)[1].split("**Testable only", 1)[0]
    listed = re.findall(r"^- (\S+?)[: ]", changed, re.M)
    assert listed == ["T1", "A3", "A4", "A14"], listed
    assert "P3" not in changed and "P6" not in changed
    # the rule: rows of a claim are compared only within one series (one measure)
    rows = _claim_rows(report)
    for cid, series, vv in cl.vintage_changes(rows):
        assert series == cl.SIPRI_SERIES or set(vv) == {"NMC 6.0", "NMC 7.0"}, (cid, series, vv)
    p3 = {r["series"] for r in rows if r["id"] == "P3"}
    assert len(p3) == 4, p3  # CINC, NMC milex, SIPRI milex, arms exports: four measures, never compared
    assert "Verdicts that change with the release of the same data: T1, A3, A4, A14." in md


def test_every_claim_has_its_text_the_papers_figure_and_ours_per_release(report: Path) -> None:
    md = (report / "report.md").read_text(encoding="utf-8")
    rows = _claim_rows(report)
    for cid, t in cl.claim_texts().items():
        part = md.split(f"\n### {cid}: ", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
        assert f"\n> {t.claim}\n" in part
        assert f"**The paper's figure**: {t.paper_figure}" in part and f"**Where in the paper**: {t.where}" in part
        table = _md_table(part.splitlines())
        mine = [r for r in rows if r["id"] == cid]
        assert len(table) == len(mine), cid
        for cells, r in zip(table, mine):
            assert cells[0].startswith(r["vintage"]) and cells[2] == f"**{r['verdict']}**", (cells, r)
            assert cells[3] != "-" or r["verdict"] != "not testable", f"{cid}: a 'not testable' verdict must say why"


def test_legend_and_references(report: Path) -> None:
    md = (report / "report.md").read_text(encoding="utf-8")
    legend = "\n".join(_section(md, "How to read this report"))
    for word in (
        "**consistent**",
        "**inconsistent**",
        "**not testable**",
        "**TIV**",
        "**pp**",
        "**A share that differs**",
    ):
        assert word in legend, word
    assert pb.paper.SHARE_DIFFERS in legend
    t1 = "\n".join(_section(md, "Table 1: the 40 largest importers of major arms, 2016-20"))
    assert "**Legend.**" in t1 and pb.paper.importers.COMPARISON_LEGEND in t1
    for old in ("crk", "d_pp", "2021v", "<>", "share16-20"):
        assert old not in md, old
    refs = "\n".join(_section(md + "\n## end", "References"))
    for name in pb.paper.DATASETS:
        d = datasets.info(name)
        assert f"`{name}`: {d.title}. Vintage: {d.vintage}. {d.citation}" in refs, name
    assert "`cow-states`" in refs and "Used to build: cow-nmc-v7" in refs  # NMC 7.0's state abbreviations
    for who in ("Bailey", "Strezhnev", "Voeten", "Maddison", "Correlates of War", "Military Expenditure", "Wezeman"):
        assert who in refs, who


class _Page(html.parser.HTMLParser):
    """Every tag with its attributes, and the text under each heading of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: List[Tuple[str, Dict[str, Optional[str]]]] = []
        self.text: List[str] = []

    def handle_starttag(self, tag: str, attrs: List[Tuple[str, Optional[str]]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_one_page_with_the_figures_embedded(report: Path) -> None:
    page = (report / "report.html").read_text(encoding="utf-8")
    p = _Page()
    p.feed(page)
    p.close()
    tags = [t for t, _ in p.tags]
    assert tags[:2] == ["html", "head"] and "body" in tags
    # no external resource: no src or href leaving the page, no stylesheet link, no script
    for tag, attrs in p.tags:
        for key in ("src", "href", "srcset", "data", "action", "poster"):
            value = attrs.get(key)
            if value is not None:
                assert value.startswith(("data:image/png;base64,", "#")), (tag, key, value[:80])
        assert tag not in ("script", "link", "iframe", "object", "embed"), tag
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style
    # every figure present, byte for byte the PNG beside report.md
    imgs = [a for t, a in p.tags if t == "img"]
    assert len(imgs) == len(FIGURES)
    embedded = [base64.b64decode((a["src"] or "").split(",", 1)[1]) for a in imgs]
    assert embedded == [(report / f).read_bytes() for f in FIGURES]
    assert all(a.get("alt") for a in imgs)
    assert tags.count("figcaption") == len(FIGURES)
    # the same report as the Markdown: the summary, every claim, its text
    text = "".join(p.text)
    heads = [a.get("id") for t, a in p.tags if t == "h3"]
    assert heads == [f"{cid.lower()}-{cl.claim_texts()[cid].kind}" for cid in cl.CLAIM_IDS], heads
    for t in cl.claim_texts().values():
        assert t.claim in text, t.id
    md = (report / "report.md").read_text(encoding="utf-8")
    answer = next(ln for ln in md.splitlines() if ln.startswith("**Our answer**")).replace("**", "")
    assert answer in text
    assert tags.count("table") == md.count("\n|---") and tags.count("h2") == md.count("\n## ")


@pytest.mark.parametrize(
    "cid, vintage, verdict",
    [
        ("A15", "2022", "inconsistent"),  # 13.7% in 2018: the data give 24.9%
        ("A13", "2022", "inconsistent"),  # the 2000s mean is 2,159, not 2,600
        ("A14", "2022", "consistent"),  # 833 vs 816
        ("T1", "2021", "consistent"),  # 40 rows at their rank, 1 share of 40 differs (Australia)
        ("T1", "2022", "inconsistent"),  # 16 of 40 shares differ
        ("A1", "2022", "inconsistent"),  # 34.3-59.8%, but India outbought China in 2003 (2,096 vs 2,066)
        ("A17", "2022", "inconsistent"),  # India 54.3% from Russia, not 49
        ("A17", "2024", "inconsistent"),  # China 77.0 but India 50.0, not 49
        ("A5", "2022", "consistent"),
    ],
)
def test_claim_verdicts_match_the_data_readme(data_dir: Path, cid: str, vintage: str, verdict: str) -> None:
    rows = [r for r in cl.evaluate(data_dir, ids=[cid]).to_pylist() if r["vintage"] == vintage]
    assert len(rows) == 1
    assert rows[0]["verdict"] == verdict, rows[0]


def test_claims_follow_the_data_home_rule(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POWERBALANCE_DATA", str(data_dir))
    rows = pb.paper.claims(ids=["A14"]).to_pylist()
    assert [r["dataset"] for r in rows] == ["sipri-tables-2022", "sipri-register-2024", "sipri-register-2026"]
    with pytest.raises(pb.errors.PowerbalanceError, match="unknown claim id"):
        pb.paper.claims(ids=["A99"])


# -- without data --------------------------------------------------------------------------------


def _one_line_naming_every_set(stderr: str) -> None:
    assert "Traceback" not in stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    for name in pb.paper.DATASETS:
        assert name in lines[0], (name, lines[0])


def test_no_data_offline_exits_1_naming_the_sets_and_the_command(tmp_path: Path) -> None:
    home = tmp_path / "empty-home"
    home.mkdir()
    out = tmp_path / "report"
    r = _run(["replicate", "--out", str(out), "--data-home", str(home), "--offline"], _env())
    assert r.returncode == 1, r
    _one_line_naming_every_set(r.stderr)
    assert f"powerbalance data fetch {' '.join(pb.paper.DATASETS)} --data-home {home}" in r.stderr
    assert not out.exists(), "no report without data (not a partial one)"
    assert os.listdir(home) == []


def test_no_data_in_the_user_home_offline(tmp_path: Path) -> None:
    r = _run(["replicate", "--out", str(tmp_path / "r"), "--offline"], _env(XDG_CACHE_HOME=str(tmp_path / "cache")))
    assert r.returncode == 1, r
    _one_line_naming_every_set(r.stderr)
    assert str(tmp_path / "cache" / "powerbalance") in r.stderr
    assert "`powerbalance data fetch sipri-totals-2021" in r.stderr


def test_powerbalance_data_is_read_only(tmp_path: Path) -> None:
    """Without --offline, a folder named by POWERBALANCE_DATA is still never written: the command
    says how to fetch into the user data home instead."""
    shared = tmp_path / "shared-data"
    shared.mkdir()
    r = _run(["replicate", "--out", str(tmp_path / "r")], _env(POWERBALANCE_DATA=str(shared)))
    assert r.returncode == 1, r
    _one_line_naming_every_set(r.stderr)
    assert "read-only" in r.stderr and "env -u POWERBALANCE_DATA powerbalance data fetch" in r.stderr
    assert os.listdir(shared) == []


def _args(out: Path, home: Path, offline: bool = False) -> argparse.Namespace:
    return argparse.Namespace(out=str(out), data_home=str(home), offline=offline, no_progress=True)


def test_replicate_fetches_what_it_lacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --offline, the missing sets are fetched into the data home; a failed fetch ends
    in the one message (exit 1), not a traceback or a partial report."""
    asked: List[Any] = []

    def fake_fetch(name: str, *, data_home: Any = None, progress: Any = None, **kw: Any) -> Path:
        asked.append((name, Path(data_home), progress))
        raise datasets.FetchError(f"{name}: cannot reach the server (test)")

    monkeypatch.setattr(datasets, "fetch", fake_fetch)
    home = tmp_path / "home"
    assert rp.run(_args(tmp_path / "r", home)) == 1
    err = capsys.readouterr().err
    assert asked and asked[0] == ("sipri-totals-2021", home, False)
    _one_line_naming_every_set(err)
    assert "cannot reach the server" in err
    assert not (tmp_path / "r").exists()


# -- the report folder ---------------------------------------------------------------------------


@pytest.fixture
def fake_build(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """A fast stand-in for the report (the folder's safety does not depend on the data)."""
    calls: List[str] = []

    def build(stage: Any, home: Path) -> Any:
        calls.append(str(home))
        stage.write_text("report.md", f"# report {len(calls)}\n")
        stage.write_text("claims.csv", "id\n")
        if len(calls) == 1:
            stage.write_text("old_only.csv", "x\n")
        return 1, {"consistent": 1}

    monkeypatch.setattr(rp, "build", build)
    monkeypatch.setattr(datasets, "require", lambda names, **kw: Path(kw.get("data_home") or "."))
    return calls


def _replicate(out: Path, tmp_path: Path) -> int:
    return rp.run(_args(out, tmp_path / "home", offline=True))


def test_out_refuses_a_folder_it_did_not_write(tmp_path: Path, fake_build: List[str]) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "report.md").write_text("my own notes\n")
    with pytest.raises(rp.ReportFolderError, match=r"not empty \(report.md\).*no \.powerbalance-report\.json"):
        _replicate(out, tmp_path)
    assert (out / "report.md").read_text() == "my own notes\n" and os.listdir(out) == ["report.md"]
    assert fake_build == []  # refused before any work


def test_out_may_replace_its_own_report(tmp_path: Path, fake_build: List[str]) -> None:
    out = tmp_path / "report"
    assert _replicate(out, tmp_path) == 0
    assert (out / "report.md").read_text() == "# report 1\n" and (out / "old_only.csv").exists()
    (out / "notes.txt").write_text("the user's file, not the report's\n")
    assert _replicate(out, tmp_path) == 0
    assert (out / "report.md").read_text() == "# report 2\n"
    assert not (out / "old_only.csv").exists(), "a file of the previous report not written again is removed"
    assert (out / "notes.txt").exists(), "a file the command did not write is left alone"
    assert json.loads((out / rp.MANIFEST).read_text())["files"] == ["report.md", "claims.csv"]
    assert sorted(os.listdir(out)) == sorted(["report.md", "claims.csv", "notes.txt", rp.MANIFEST])


def test_out_refuses_a_symlinked_folder(tmp_path: Path, fake_build: List[str]) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "report"
    link.symlink_to(target)
    with pytest.raises(rp.ReportFolderError, match="symlink"):
        _replicate(link, tmp_path)
    assert os.listdir(target) == []


def test_out_refuses_a_symlink_inside(tmp_path: Path, fake_build: List[str]) -> None:
    out = tmp_path / "report"
    assert _replicate(out, tmp_path) == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch\n")
    (out / "report.md").unlink()
    (out / "report.md").symlink_to(victim)
    with pytest.raises(rp.ReportFolderError, match=r"symlinks \(report.md\)"):
        _replicate(out, tmp_path)
    assert victim.read_text() == "do not touch\n"
    # a dangling symlink is refused as well
    (out / "report.md").unlink()
    (out / "claims.csv").unlink()
    (out / "claims.csv").symlink_to(tmp_path / "not-yet")
    with pytest.raises(rp.ReportFolderError, match="symlink"):
        _replicate(out, tmp_path)
    assert not (tmp_path / "not-yet").exists()


@pytest.mark.parametrize(
    "manifest",
    [
        '{"tool": "powerbalance replicate", "files": ["../victim.txt"]}',
        '{"tool": "other", "files": []}',
        "not json",
        "[]",
    ],
)
def test_out_refuses_a_manifest_it_did_not_write(tmp_path: Path, fake_build: List[str], manifest: str) -> None:
    out = tmp_path / "report"
    out.mkdir()
    (out / rp.MANIFEST).write_text(manifest)
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch\n")
    with pytest.raises(rp.ReportFolderError):
        _replicate(out, tmp_path)
    assert victim.read_text() == "do not touch\n"


def test_out_refuses_a_file(tmp_path: Path, fake_build: List[str]) -> None:
    f = tmp_path / "report"
    f.write_text("a file\n")
    with pytest.raises(rp.ReportFolderError, match="not a folder"):
        _replicate(f, tmp_path)
    assert f.read_text() == "a file\n"


def test_out_failure_keeps_the_previous_report_whole(
    tmp_path: Path, fake_build: List[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report"
    assert _replicate(out, tmp_path) == 0
    before = {n: (out / n).read_bytes() for n in os.listdir(out)}

    def broken(stage: Any, home: Path) -> Any:
        stage.write_text("report.md", "half a report\n")
        raise RuntimeError("the build failed half way")

    monkeypatch.setattr(rp, "build", broken)
    with pytest.raises(RuntimeError):
        _replicate(out, tmp_path)
    assert {n: (out / n).read_bytes() for n in os.listdir(out)} == before, "no partial file, no staging folder left"


def test_out_failure_on_a_new_folder_leaves_nothing(
    tmp_path: Path, fake_build: List[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(stage: Any, home: Path) -> Any:
        raise RuntimeError("no")

    monkeypatch.setattr(rp, "build", broken)
    with pytest.raises(RuntimeError):
        _replicate(tmp_path / "new" / "report", tmp_path)
    assert not (tmp_path / "new" / "report").exists()


def test_out_cleans_the_staging_folder_of_a_killed_run(tmp_path: Path, fake_build: List[str]) -> None:
    out = tmp_path / "report"
    stale = out / ".powerbalance-staging-killed"
    stale.mkdir(parents=True)
    (stale / "report.md").write_text("from a killed run\n")
    assert _replicate(out, tmp_path) == 0
    assert not stale.exists()
    assert (out / "report.md").read_text() == "# report 1\n"


def test_out_refusal_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "taken"
    out.mkdir()
    (out / "thesis.tex").write_text("\\documentclass{article}\n")
    r = _run(["replicate", "--out", str(out), "--data-home", str(tmp_path / "empty"), "--offline"], _env())
    assert r.returncode == 2, r
    assert r.stderr.startswith("powerbalance: error: refusing to write the report into") and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert (out / "thesis.tex").read_text() == "\\documentclass{article}\n"


# -- the paper's claims file ---------------------------------------------------------------------


def test_claims_file_has_a_row_for_every_claim_in_the_code_and_no_other() -> None:
    texts = cl.claim_texts()
    assert list(texts) == cl.CLAIM_IDS, "the claims file and the code list the same ids, in the same order"
    assert cl.CLAIMS_FILE.name == "claims.csv" and cl.CLAIMS_FILE.parent == Path(pb.paper.__file__).parent
    with cl.CLAIMS_FILE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["id"] for r in rows] == cl.CLAIM_IDS
    for r in rows:
        assert r["kind"] in cl.KINDS, r
        assert r["claim"] and r["paper_figure"] and r["where"], r
        assert "|" not in r["claim"], "claim texts go into a Markdown table"
    # the paper's words, not a paraphrase: a few checked against the text of the paper
    assert texts["A15"].claim == (
        "As a result, China's share of Russian arms exports has decreased from 47.7 percent of total sales in 2006 "
        "to 13.7 percent in 2018."
    )
    assert texts["A14"].where.endswith("fifth paragraph (footnote 60)")
    assert texts["P4"].claim == "There is a tri-polar power balance between these countries and with the US."
    t = pb.paper.claim_list()
    assert isinstance(t, pb.Table) and t.to_pylist()[2]["id"] == "A1"


def test_claims_file_errors_name_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "claims.csv"
    bad.write_text('id,claim,paper_figure,where,kind\nA1,"words",fig,"p. 3",guess\n', encoding="utf-8")
    monkeypatch.setattr(cl, "CLAIMS_FILE", bad)
    cl._read_claims_file.cache_clear()
    try:
        with pytest.raises(pb.errors.PowerbalanceError, match=r"claims.csv: line 2: claim A1: unknown kind 'guess'"):
            cl.claim_texts()
        bad.write_text('id,claim,paper_figure,where,kind\nA1,"words",fig,"p. 3",share\nA1,"again",fig,"p. 4",share\n')
        cl._read_claims_file.cache_clear()
        with pytest.raises(pb.errors.PowerbalanceError, match="line 3: claim A1 repeated"):
            cl.claim_texts()
    finally:
        cl._read_claims_file.cache_clear()


def test_one_import_direction() -> None:
    """replicate -> verdicts -> importers: no module of the subpackage imports a later one."""
    root = Path(pb.paper.__file__).parent
    order = ["importers", "verdicts", "replicate"]
    for i, name in enumerate(order):
        src = (root / f"{name}.py").read_text(encoding="utf-8")
        for later in order[i + 1 :]:
            assert not re.search(
                rf"(from \.|from powerbalance\.paper)\s*import\s+{later}\b|from \.{later} import|paper\.{later}\b", src
            ), (name, later)
        assert "from powerbalance import paper" not in src.replace(">>> from powerbalance import paper", "")
