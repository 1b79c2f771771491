"""The `tkg` command line: each command works, says what went wrong, and is documented."""

import json
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from graph.cli import EXAMPLES, main, parser

README = Path(__file__).resolve().parent.parent / "README.md"


@pytest.fixture(scope="module")
def store(tmp_path_factory, seeds_dir):
    path = tmp_path_factory.mktemp("cli") / "store"
    assert main(["build", str(seeds_dir), "--store", str(path), "--quiet"]) == 0
    return path


def test_every_command_is_in_the_readme_with_its_example():
    readme = README.read_text(encoding="utf-8")
    commands = parser()._subparsers._group_actions[0].choices
    assert set(commands) == set(EXAMPLES)
    for name, example in EXAMPLES.items():
        assert f"`tkg {name}`" in readme, name
        assert example in readme, example


def test_every_command_has_help_with_an_example(capsys):
    for name in EXAMPLES:
        with pytest.raises(SystemExit) as exit_info:
            main([name, "--help"])
        assert exit_info.value.code == 0
        assert f"example: {EXAMPLES[name]}" in capsys.readouterr().out


def test_build_prints_a_summary(store, seeds_dir, capsys):
    assert main(["build", str(seeds_dir), "--store", str(store), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "articles: 0 read, 5 already stored, 0 rejected" in out
    assert re.search(r"statements: \d+", out) and re.search(r"relations: \d+", out)


def test_build_shows_progress_on_request_only(tmp_path, capsys):
    source = tmp_path / "one.jsonl"
    source.write_text('{"id": "a", "text": "Putin said the talks failed.", "published": "2022-10-14"}\n',
                      encoding="utf-8")
    assert main(["build", str(source), "--store", str(tmp_path / "s"), "--jobs", "1"]) == 0
    assert "articles/s" not in capsys.readouterr().err  # stderr is not a terminal here
    assert main(["build", str(source), "--store", str(tmp_path / "s"), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "1/1" in err and "articles/s" in err and "linking" in err


@pytest.mark.parametrize("argv", [["--jobs", "0"], ["--jobs", "two"], ["--quiet", "--progress"]])
def test_build_refuses_bad_options(argv, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["build", "--store", str(tmp_path / "s"), *argv])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "whole number of processes" in err or "not allowed with" in err


def test_build_reports_a_bad_line_and_keeps_the_rest(tmp_path, capsys):
    source = tmp_path / "mixed.jsonl"
    source.write_text(
        '{"id": "ok-1", "text": "Putin said the talks failed.", "published": "2022-10-14"}\n'
        '{"id": "broken", "text": \n'
        '{"id": "ok-2", "text": "Zelensky said the offensive was a success.", "published": "2024-09-05"}\n',
        encoding="utf-8",
    )
    assert main(["build", str(source), "--store", str(tmp_path / "s"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "articles: 2 read" in captured.out
    assert f"{source}:2" in captured.err


def test_timeline_text_and_json(store, capsys):
    assert main(["timeline", "--store", str(store), "--speaker", "Putin", "--topic", "negotiations"]) == 0
    text = capsys.readouterr().out
    assert text.index("2022-10-14") < text.index("2024-09-05")
    assert "cited by: " in text
    assert main(["timeline", "--store", str(store), "--speaker", "PUTIN", "--topic", "negotiations",
                 "--format", "json", "--since", "2024-01-01"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and all(row["date"]["begin"] >= "2024-01-01" for row in rows)


def test_timeline_for_an_unknown_speaker_says_so(store, capsys):
    assert main(["timeline", "--store", str(store), "--speaker", "Nobody Known"]) == 0
    assert "no statements by 'Nobody Known'" in capsys.readouterr().out


@pytest.mark.parametrize(("fmt", "parse"), [("turtle", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml"),
                                             ("trig", "trig"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_export_formats_parse_back(store, tmp_path, fmt, parse):
    out = tmp_path / f"graph.{fmt}"
    assert main(["export", "--store", str(store), "--format", fmt, "-o", str(out)]) == 0
    graph = Dataset() if fmt in {"trig", "nquads", "jsonld"} else Graph()
    graph.parse(out, format=parse)
    assert len(graph) > 1000


def test_export_json_is_the_contract(store, tmp_path):
    out = tmp_path / "graph.json"
    assert main(["export", "--store", str(store), "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) >= {"articles", "statements", "events", "relations"}
    statement = data["statements"][0]
    assert set(statement) >= {"id", "speaker", "date", "topics", "quote", "evidence", "cited_by", "about"}


def test_export_rejects_an_unknown_format(store, capsys):
    assert main(["export", "--store", str(store), "--format", "docx"]) == 2
    assert "choose one of" in capsys.readouterr().err


def test_validate_conforms(store, capsys):
    assert main(["validate", "--store", str(store)]) == 0


def test_eval_prints_each_figure(store, capsys):
    gold = Path(__file__).parent / "data" / "seeds.gold.json"
    assert main(["eval", str(gold), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    for figure in ("recall", "precision", "speaker accuracy", "date accuracy", "full recall", "noise hits"):
        assert figure in out


def test_dates_prints_one_line_per_article(tmp_path, capsys):
    source = tmp_path / "a.jsonl"
    source.write_text(
        '{"id": "a", "text": "He spoke on Friday and again last week.", "published": "2022-10-15"}\n'
        '{"id": "b", "text": "Nothing dated here.", "published": "2022-10-15"}\n', encoding="utf-8")
    assert main(["dates", str(source)]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b"]
    assert {t["value"] for t in lines[0]["timexes"]} >= {"2022-10-14"}
    assert lines[1]["timexes"] == []


def test_python_dash_m_graph_is_tkg(capsys):
    import runpy

    with pytest.raises(SystemExit) as exit_info:
        runpy.run_module("graph", run_name="__main__", alter_sys=True)
    assert exit_info.value.code == 2  # no command given: argparse usage error


@pytest.mark.parametrize("argv", [
    ["timeline", "--speaker", "Putin"],
    ["export", "--format", "json", "-o", "{tmp}/graph.json"],
    ["eval", "{gold}"],
    ["validate"],
    ["review", "list"],
])
def test_reading_commands_do_not_wait_for_a_writer(store, tmp_path, argv, capsys):
    from graph.store import open_store

    with open_store(store):
        gold = Path(__file__).parent / "data" / "seeds.gold.json"
        args = [a.replace("{tmp}", str(tmp_path)).replace("{gold}", str(gold)) for a in argv]
        assert main([*args, "--store", str(store)]) == 0
    assert "tkg " not in capsys.readouterr().err


def test_a_writing_command_on_a_locked_store_gives_a_clear_error(store, capsys):
    from graph.store import open_store

    with open_store(store):
        assert main(["review", "reject", "merge", "statement/a", "statement/b",
                     "--store", str(store)]) == 2
    assert "already open" in capsys.readouterr().err


def test_a_gold_file_of_the_wrong_shape_gives_a_clear_error(store, tmp_path, capsys):
    bad = tmp_path / "gold.json"
    bad.write_text('{"statements": "not a list"}', encoding="utf-8")
    assert main(["eval", str(bad), "--store", str(store)]) == 2
    assert "tkg eval:" in capsys.readouterr().err


def test_timeline_stance_summary(store, capsys):
    assert main(["timeline", "--store", str(store), "--speaker", "Putin", "--topic", "negotiations",
                 "--stance", "--format", "json"]) == 0
    months = json.loads(capsys.readouterr().out)
    assert [m["period"] for m in months] == sorted(m["period"] for m in months)
    assert months[-1]["period"] == "2024-09" and months[-1]["for"] >= 1
