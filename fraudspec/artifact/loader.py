"""Open a model.tar.gz and import its `code/inference.py` the way a server does.

Each import gets its own package name, so several artifacts (or two builds of one) can be
loaded in one process without their top-level `predictor`/`payload` modules colliding.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import sys
import tarfile
import uuid
from pathlib import Path
from types import ModuleType


def extract(model_tar: Path, destination: Path) -> Path:
    """Unpack `model_tar` into `destination` (as SageMaker does into /opt/ml/model); returns it."""
    destination.mkdir(parents=True, exist_ok=True)
    with tarfile.open(model_tar, "r:gz") as archive:
        archive.extractall(destination, filter="data")  # refuses absolute paths, links out, devices
    return destination


def load_handler(model_dir: Path) -> ModuleType:
    """Import `model_dir/code/inference.py` as a fresh package; call its model_fn(model_dir) next."""
    code_dir = model_dir / "code"
    if not (code_dir / "inference.py").is_file():
        raise FileNotFoundError(f"{code_dir / 'inference.py'} not found: not a fraudspec model directory")
    name = f"_fraudspec_model_{uuid.uuid4().hex}"
    spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
    spec.submodule_search_locations = [str(code_dir)]
    sys.modules[name] = importlib.util.module_from_spec(spec)
    return importlib.import_module(f"{name}.inference")
