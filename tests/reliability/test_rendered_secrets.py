"""A webhook's URL never reaches what `render` writes for an aws environment, nor the lock: Terraform
receives it as a sensitive variable at apply time."""

from __future__ import annotations

import shutil
from pathlib import Path

from fraudspec.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[2] / "specs"
SECRET = "https://hooks.example.com/services/T0KEN-rendered-9f2c"


def test_render_writes_no_webhook_url(tmp_path: Path, monkeypatch, capsys) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(EXAMPLE, specs)
    spec = specs / "fraud-detection.yaml"
    text = spec.read_text()
    assert "    - email: fraud-oncall@example.com\n" in text
    spec.write_text(text.replace("    - email: fraud-oncall@example.com\n",
                                 "    - email: fraud-oncall@example.com\n    - webhook: ${env:FRAUD_WEBHOOK_URL}\n"))
    monkeypatch.setenv("FRAUD_WEBHOOK_URL", SECRET)
    monkeypatch.chdir(tmp_path)
    assert main(["render", "--spec", str(spec)]) == 0, capsys.readouterr()
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    rendered = [path for path in written if path.suffix == ".json" and "terraform" in path.parts]
    assert any(b"webhook_fraud_webhook_url" in path.read_bytes() for path in rendered), "the webhook is rendered"
    assert [str(path) for path in written if SECRET.encode() in path.read_bytes()] == []
    assert SECRET not in "".join(capsys.readouterr())
