"""The Glue job's --extra-py-files zip: byte-for-byte reproducible, so its sha256 (and S3 key) only
change when its content does.

Contents: the fraudspec modules the Glue entry (fraudspec.monitoring.jobs.glue_entry) imports, found
the way the Lambda's zip finds them (lambda_package.module_entries), and nothing compiled: AWS Glue
5.0 provides numpy, pyarrow, boto3 and PySpark itself, and Python puts a zip on sys.path only for
pure-Python modules (zipimport loads no extension modules). Entries are sorted, timestamped
1980-01-01 and given fixed permissions (lambda_package.write_zip).
"""

from __future__ import annotations

from pathlib import Path

from fraudspec.deploy.lambda_package import module_entries, write_zip
from fraudspec.spec.model import Spec

ENTRY_MODULE = "fraudspec.monitoring.jobs.glue_entry"


def build(spec: Spec) -> Path:
    """Write build/<spec>/<env>/glue/monitor.zip; returns its path."""
    output = spec.workspace.monitor_glue
    write_zip(output, module_entries(ENTRY_MODULE))
    return output
