"""Regenerates fraudspec/render/images.json, the SageMaker images render resolves offline, from
the newest sagemaker-core wheel (downloaded with pip; sagemaker-core is not a dependency).

    python -m tools.image_snapshot

Render only reads the snapshot (fraudspec.render.images), so it needs neither the SDK nor a provider.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from fraudspec.core import jsonfile
from fraudspec.core.files import write_atomic
from fraudspec.render.images import SKLEARN_VERSION, SNAPSHOT

CONFIG_DIR = "sagemaker/core/image_uri_config"


def snapshot_from_wheel(wheel: Path) -> dict:
    """The table fraudspec keeps, extracted from a sagemaker-core wheel."""
    with zipfile.ZipFile(wheel) as archive:
        sklearn = json.loads(archive.read(f"{CONFIG_DIR}/sklearn.json"))
        monitor = json.loads(archive.read(f"{CONFIG_DIR}/model-monitor.json"))
    serving = sklearn["inference"]["versions"][SKLEARN_VERSION]
    (processor,), (py_version,) = serving["processors"], serving["py_versions"]
    analyzer = monitor["versions"][""]
    return {
        "source": wheel.name,
        "sklearn": {
            "repository": serving["repository"],
            "tag": f"{SKLEARN_VERSION}-{processor}-{py_version}",
            "registries": serving["registries"],
        },
        # The SDK pulls the analyzer without a tag, i.e. `latest`.
        "model_monitor": {"repository": analyzer["repository"], "tag": None, "registries": analyzer["registries"]},
    }


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--dest", tmp, "sagemaker-core"], check=True)
        (wheel,) = Path(tmp).glob("sagemaker_core-*.whl")
        table = snapshot_from_wheel(wheel)
    write_atomic(SNAPSHOT, jsonfile.dumps(table, sort_keys=True))
    print(f"wrote {SNAPSHOT} from {table['source']}")


if __name__ == "__main__":
    main()
