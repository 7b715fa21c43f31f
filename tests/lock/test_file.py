"""The lock file: deterministic JSON, atomic writes, concurrent writers, malformed files named."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path

import pytest

from fraudspec.core import jsonfile
from fraudspec.core.errors import FraudspecError
from fraudspec.lock.file import dumps, loads, lock_path, read_lock, update_lock
from fraudspec.lock.model import Lock, LockedArtifact, LockEntry

MODEL = LockedArtifact("a" * 64, "s3://b/fraudspec/x/models/sha256/" + "a" * 64 + "/model.tar.gz", "c" * 64)
LAMBDA = LockedArtifact("d" * 64, "s3://b/fraudspec/x/lambda/sha256/" + "d" * 64 + "/monitor.zip")


def test_the_lock_sits_beside_its_spec() -> None:
    assert lock_path(Path("specs/fraud-detection.yaml")) == Path("specs/fraud-detection.lock.json")


def test_round_trip_is_exact_and_sorted() -> None:
    lock = Lock({"staging": LockEntry({"model": MODEL, "monitor_lambda": LAMBDA}, promoted_from="dev"),
                 "dev": LockEntry({"monitor_lambda": LAMBDA, "model": MODEL})})
    data = dumps(lock)
    text = data.decode()
    assert loads(text) == lock
    assert text == json.dumps(json.loads(text), indent=2, sort_keys=True) + "\n"
    assert dumps(loads(text)) == data
    assert data == jsonfile.dumps(json.loads(text), sort_keys=True), "written like every JSON file fraudspec writes"
    document = json.loads(text)
    assert list(document["environments"]) == ["dev", "staging"]
    assert document["environments"]["staging"]["promoted_from"] == "dev"
    assert "spec_sha256" not in document["environments"]["dev"]["artifacts"]["monitor_lambda"]
    assert "promoted_from" not in document["environments"]["dev"]


def test_no_file_is_an_empty_lock(tmp_path: Path) -> None:
    assert read_lock(tmp_path / "x.lock.json") == Lock()


@pytest.mark.parametrize("text", ['{"version": 2, "environments": {}}', "not json",
                                  '{"version": 1, "environments": {"dev": {"artifacts": {"weights": {}}}}}'])
def test_a_malformed_lock_is_a_user_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.lock.json"
    path.write_text(text)
    with pytest.raises(FraudspecError, match="the lock file is malformed") as error:
        read_lock(path)
    assert error.value.location.file == str(path)


def test_an_unchanged_lock_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "x.lock.json"
    update_lock(path, lambda lock: lock.with_entry("dev", LockEntry({"model": MODEL})))
    before = path.stat().st_mtime_ns
    update_lock(path, lambda lock: lock.with_entry("dev", LockEntry({"model": MODEL})))
    assert path.stat().st_mtime_ns == before
    assert [p.name for p in tmp_path.iterdir()] == ["x.lock.json"], "no temporary file is left behind"


def _add(path: str, env: str) -> None:
    artifact = LockedArtifact("0" * 64, "s3://b/k")
    for round in range(100):
        name = f"{env}-{round}"
        update_lock(Path(path), lambda lock, name=name: lock.with_entry(name, LockEntry({"model": artifact})))


def test_concurrent_writers_lose_no_update(tmp_path: Path) -> None:
    path = tmp_path / "x.lock.json"
    workers = [multiprocessing.Process(target=_add, args=(str(path), env)) for env in ("dev", "staging")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    assert len(read_lock(path).environments) == 200


def test_json_files_are_written_by_one_policy() -> None:
    """Every JSON file the spec, lock, render and deploy stages (and the tools) write goes through
    fraudspec.core.jsonfile; rendered Terraform has its own deterministic dump (render/document.py)."""
    root = Path(__file__).resolve().parents[2]
    sources = [path for folder in ("fraudspec/spec", "fraudspec/lock", "fraudspec/render", "fraudspec/deploy", "tools")
               for path in sorted((root / folder).rglob("*.py"))] + [root / "fraudspec/artifact/pipeline.py"]
    own = [path.relative_to(root).as_posix() for path in sources
           if "indent=" in path.read_text() and path != root / "fraudspec/render/document.py"]
    assert own == [], "write JSON files with fraudspec.core.jsonfile.dumps"
