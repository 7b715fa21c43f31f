"""What tests that train and serve a real model share: a `model:` section that trains in about a
second (3,000 synthetic rows, 10 trees) and a free loopback port for a live endpoint.

SMALL_MODEL is plain YAML, inserted into a test's spec template through its `{model}` field."""

from __future__ import annotations

import socket

SMALL_MODEL = """\
model:
  features:
    - {name: txn_count_1h}
    - {name: txn_amount_1h}
    - {name: merchant_count_24h}
    - {name: avg_amount_7d}
    - {name: amount}
  target: is_fraud
  data:
    synthetic: {rows: 3000, seed: 7}
  hyperparameters: {n_estimators: 10, max_depth: 6}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
