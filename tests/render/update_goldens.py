"""Regenerate tests/render/golden/ after an intended change to the rendered Terraform.

    .venv/bin/python tests/render/update_goldens.py

Then review `git diff tests/render/golden` like code: it is exactly what AWS would get.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from render_variants import VARIANTS, render_variant

from fraudspec.render.files import write


def main() -> None:
    for variant in VARIANTS:
        with tempfile.TemporaryDirectory() as tmp:
            rendered = render_variant(variant, Path(tmp))
        for stale in set(p.name for p in variant.golden.glob("*.tf.json")) - set(rendered):
            (variant.golden / stale).unlink()
        changed = write(variant.golden, rendered)
        print(f"{variant.name}: {', '.join(changed) or 'unchanged'}")


if __name__ == "__main__":
    main()
