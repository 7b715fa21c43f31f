"""`fraudspec apply`, `invoke --variant`, `traffic --variant` and `status` on a local endpoint with an A/B
challenger: the real runtime process serving both models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fraudspec.cli.main import main
from fraudspec.client.targets import check_target_variant
from fraudspec.core.errors import FraudspecError
from fraudspec.runtime import process as runtime
from fraudspec.spec.load import load_spec
from tests.runtime.test_variants import SPEC
from tests.small_model import SMALL_MODEL, free_port

pytestmark = pytest.mark.slow  # a live runtime process
ROW = '{"txn_count_1h": 9, "txn_amount_1h": 900.0, "merchant_count_24h": 14, "avg_amount_7d": 35.5, "amount": 450.25}'


@pytest.fixture
def ab_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stop_runtimes) -> Path:
    path = tmp_path / "specs" / "fraud.yaml"
    path.parent.mkdir()
    text = SPEC.format(model=SMALL_MODEL, mode="ab", percent=40)
    path.write_text(text.replace("port: 18080", f"port: {free_port()}"))
    monkeypatch.chdir(tmp_path)
    stop_runtimes(load_spec(path, "local"))
    return path


def test_invoke_traffic_and_status_name_the_variants(ab_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec_arg = ["--spec", str(ab_project)]
    assert main(["apply", *spec_arg, "--no-progress"]) == 0
    spec = load_spec(ab_project, "local")
    assert spec.for_variant("gbm").workspace.model_tar.is_file()  # apply built the challenger too
    capsys.readouterr()

    for _ in range(5):
        assert main(["invoke", *spec_arg, "--data", ROW, "--variant", "gbm"]) == 0
        out, err = capsys.readouterr()
        assert set(json.loads(out)) == {"is_fraud", "fraud_probability", "confidence"}
        assert err == "answered by variant gbm\n"

    assert main(["traffic", *spec_arg, "--n", "30", "--variant", "gbm", "--seed", "1", "--no-progress"]) == 0
    assert "answered by variant: gbm 30" in capsys.readouterr().out
    assert main(["traffic", *spec_arg, "--n", "200", "--seed", "2", "--no-progress"]) == 0
    shares = capsys.readouterr().out.split("answered by variant: ")[1].splitlines()[0]
    counts = dict(part.split() for part in shares.split(", "))
    assert set(counts) == {"AllTraffic", "gbm"} and abs(int(counts["gbm"]) - 80) <= 35  # 40 % of 200, sd 6.9

    assert main(["invoke", *spec_arg, "--data", ROW, "--variant", "blue"]) == 1
    assert "has no variant 'blue'" in capsys.readouterr().err

    assert main(["status", *spec_arg, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [(v["name"], v["role"], v["weight"]) for v in document["variants"]] == [
        ("AllTraffic", "champion", 0.6), ("gbm", "ab", 0.4)]
    assert main(["status", *spec_arg]) == 0
    assert "variant   gbm: ab, weight 0.4" in capsys.readouterr().out
    assert runtime.running(spec) is not None



def test_a_shadow_or_unknown_variant_is_refused_before_sending(tmp_path: Path) -> None:
    path = tmp_path / "fraud.yaml"
    path.write_text(SPEC.format(model=SMALL_MODEL, mode="shadow", percent=20))
    spec = load_spec(path, "local")
    check_target_variant(spec, "AllTraffic")
    with pytest.raises(FraudspecError, match="'gbm' is a shadow: it gets copies of AllTraffic's requests") as shadow:
        check_target_variant(spec, "gbm")
    assert "target AllTraffic" in shadow.value.findings[0].hint
    with pytest.raises(FraudspecError, match="has no variant 'blue'") as unknown:
        check_target_variant(spec, "blue")
    assert unknown.value.findings[0].hint.endswith("production variants: AllTraffic")
