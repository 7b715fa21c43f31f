"""Broken or hand-edited local state files and bad arguments give located user errors, never a bug."""

from __future__ import annotations

import json

import pytest

from fraudspec.cli.main import main
from fraudspec.core.errors import FraudspecError
from fraudspec.runtime import local
from fraudspec.runtime.monitoring import run_since_last
from fraudspec.spec.load import load_spec


@pytest.fixture
def prepared(local_project):
    spec = load_spec(local_project(), "local")
    local.prepare(spec, progress=False)
    return spec


def test_corrupted_alarm_states_are_a_located_error(prepared) -> None:
    prepared.workspace.alarm_states.parent.mkdir(parents=True, exist_ok=True)
    prepared.workspace.alarm_states.write_text("{bad")
    with pytest.raises(FraudspecError) as raised:
        run_since_last(prepared)
    assert raised.value.location.file == str(prepared.workspace.alarm_states) and "delete it" in raised.value.hint


def test_corrupted_cursor_is_a_located_error(prepared) -> None:
    cursor = prepared.workspace.monitoring / "data-cursor.json"
    cursor.parent.mkdir(parents=True, exist_ok=True)
    for text in ("{bad", '{"offsets": {"x": "y"}, "end": null}', '{"offsets": {}, "end": "yesterday"}'):
        cursor.write_text(text)
        with pytest.raises(FraudspecError) as raised:
            run_since_last(prepared)
        assert f"delete {cursor}" in raised.value.hint


def test_a_broken_history_line_adds_no_datapoint(prepared) -> None:
    history = prepared.workspace.monitoring / "data-metrics.jsonl"
    history.parent.mkdir(parents=True, exist_ok=True)
    history.write_text('{"window_end": "x", "sta\n')
    with pytest.raises(FraudspecError) as raised:
        run_since_last(prepared)
    assert raised.value.location.line == 1 and "remove the broken line" in raised.value.hint
    assert history.read_text() == '{"window_end": "x", "sta\n', "the failed run appended nothing"
    history.write_text("")
    run_since_last(prepared)
    assert len(history.read_text().splitlines()) == 1


def test_unwritable_html_path_is_a_user_error(prepared, capsys, tmp_path) -> None:
    run_since_last(prepared)
    assert main(["drift", "--spec", str(prepared.path), "--html", str(tmp_path)]) == 1
    assert f"cannot use {tmp_path}" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["--label-delay-hours", "1e9"], ["--label-delay-hours", "inf"], ["--rate", "nan"]])
def test_traffic_rejects_unusable_numbers_before_sending(prepared, capsys, argv) -> None:
    assert main(["traffic", "--spec", str(prepared.path), "--n", "5", "--ground-truth", *argv]) == 1
    assert "sent" not in capsys.readouterr().out


def test_model_quality_report_corruption_is_a_located_error(prepared, capsys) -> None:
    run_since_last(prepared)
    folder = prepared.workspace.reports / prepared.names.endpoint / \
        prepared.names.model_quality_schedule / "2026" / "01" / "01" / "00"
    folder.mkdir(parents=True)
    (folder / "execution_summary.json").write_text("{bad")
    assert main(["drift", "--spec", str(prepared.path)]) == 1
    assert "execution_summary.json" in capsys.readouterr().err
    assert json.loads(prepared.workspace.alarm_states.read_text()) is not None


def test_corrupted_runtime_description_is_not_taken_for_a_stopped_runtime(prepared, capsys) -> None:

    prepared.workspace.runtime_info.write_text("{bad")
    assert main(["status", "--spec", str(prepared.path)]) == 1
    err = capsys.readouterr().err
    assert "runtime.json is not a runtime description" in err and "pgrep" in err
