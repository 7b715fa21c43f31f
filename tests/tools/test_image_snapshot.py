"""The image table is regenerated from sagemaker-core's JSON (the resolver is tested in tests/render)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from fraudspec.core import jsonfile
from fraudspec.render.images import SKLEARN_VERSION, SNAPSHOT
from tools.image_snapshot import CONFIG_DIR, snapshot_from_wheel


def test_snapshot_from_a_sagemaker_core_wheel(tmp_path: Path) -> None:
    wheel = tmp_path / "sagemaker_core-9.9.9-py3-none-any.whl"
    serving = {"processors": ["cpu"], "py_versions": ["py3"], "repository": "sagemaker-scikit-learn",
               "registries": {"eu-west-1": "141502667606"}}
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr(f"{CONFIG_DIR}/sklearn.json", json.dumps(
            {"inference": {"versions": {SKLEARN_VERSION: serving, "0.20.0": {}}}}))
        archive.writestr(f"{CONFIG_DIR}/model-monitor.json", json.dumps(
            {"versions": {"": {"repository": "sagemaker-model-monitor-analyzer",
                               "registries": {"eu-west-1": "468650794304"}}}}))
    table = snapshot_from_wheel(wheel)
    assert table["sklearn"] == {"repository": "sagemaker-scikit-learn", "tag": f"{SKLEARN_VERSION}-cpu-py3",
                                "registries": {"eu-west-1": "141502667606"}}
    assert table["model_monitor"]["tag"] is None and table["source"] == wheel.name


def test_the_snapshot_is_written_like_every_json_file() -> None:
    text = SNAPSHOT.read_bytes()
    assert text == jsonfile.dumps(json.loads(text), sort_keys=True), "run `python -m tools.image_snapshot`"
