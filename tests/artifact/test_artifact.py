"""The issue's "done when": model.tar.gz's code/inference.py, run by a Python that has numpy and
nothing else, answers like the trained scikit-learn model and answers bad payloads 400 with a message."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from fraudspec.training import train
from fraudspec.training.dataset import read_csv

SCRIPT = r"""
import importlib.util, json, sys
sys.path[:0] = [sys.argv[1], sys.argv[2] + "/code"]
assert importlib.util.find_spec("sklearn") is None and importlib.util.find_spec("fraudspec") is None
import inference
model = inference.model_fn(sys.argv[2])
requests = json.loads(sys.stdin.read())
answers = []
for body, content_type, accept in requests:
    reply = inference.handle(model, body, content_type, accept)
    answers.append([reply.status, reply.body.decode(), reply.content_type])
forbidden = sorted(m for m in sys.modules if m.split(".")[0] in ("sklearn", "scipy", "fraudspec", "boto3"))
print(json.dumps({"answers": answers, "modules": forbidden}))
"""


def numpy_only_path(tmp_path: Path) -> Path:
    """A directory holding only numpy (symlinked from this environment)."""
    site = tmp_path / "numpy-only"
    site.mkdir()
    numpy_dir = Path(np.__file__).parent
    for entry in numpy_dir.parent.iterdir():
        if entry.name == "numpy" or entry.name.startswith("numpy.libs"):
            (site / entry.name).symlink_to(entry)
    return site


def test_artifact_answers_like_scikit_learn_without_it(tmp_path, built_model, example_features):
    result, model_dir = built_model
    manifest = json.loads((model_dir / "manifest.json").read_text())
    # The build is deterministic, so refitting on the written train.csv gives the trained model back.
    train_set = read_csv(result.train_csv, example_features, "is_fraud")
    fitted = train.fit(manifest["algorithm"], manifest["hyperparameters"], train_set.X, train_set.y)
    validation = read_csv(result.validation_csv, example_features, "is_fraud")
    rows = validation.X[:200]
    names = [f.name for f in example_features]
    records = [dict(zip(names, row)) for row in rows.tolist()]
    csv_body = "\n".join(",".join(repr(v) for v in row) for row in rows.tolist())
    requests = [
        [json.dumps(records), "application/json", "application/json"],
        [json.dumps({"instances": rows.tolist()}), "application/json", "text/csv"],
        [csv_body, "text/csv", "application/json"],
        [json.dumps(records[0]), "application/json", None],
        [json.dumps({"amount": 1}), "application/json", None],
        ["1,2", "text/csv", None],
    ]
    completed = subprocess.run(
        [sys.executable, "-I", "-S", "-c", SCRIPT, str(numpy_only_path(tmp_path)), str(model_dir)],
        input=json.dumps(requests), capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert completed.returncode == 0, completed.stderr
    output = json.loads(completed.stdout)
    answers = output["answers"]
    assert output["modules"] == []

    expected = fitted.predict_proba(rows)[:, 1]
    from_json = [r["fraud_probability"] for r in json.loads(answers[0][1])]
    from_csv_accept = [float(line.split(",")[1]) for line in answers[1][1].splitlines()]
    from_csv_body = [r["fraud_probability"] for r in json.loads(answers[2][1])]
    for probabilities in (from_json, from_csv_accept, from_csv_body):
        np.testing.assert_allclose(probabilities, expected, rtol=0, atol=1e-9)
    assert expected.max() >= 0.5 > expected.min()
    assert json.loads(answers[3][1])["fraud_probability"] == from_json[0]
    assert [answer[0] for answer in answers] == [200, 200, 200, 200, 400, 400]
    assert "missing feature(s) 'txn_count_1h'" in json.loads(answers[4][1])["error"]
    assert "CSV row 1 has 2 columns, expected 5" in json.loads(answers[5][1])["error"]
