"""code/inference.py from a built model.tar.gz: payloads in, predictions out, bad payloads as PayloadError
(from payload.parse) and as the status and JSON error the handler answers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from fraudspec.artifact.loader import load_handler

NAMES = ("txn_count_1h", "txn_amount_1h", "merchant_count_24h", "avg_amount_7d", "amount")
ROWS = [[1, 20.5, 2, 40.0, 12.0], [9, 900.0, 14, 35.5, 450.25], [0, 0.0, 0, 12.0, 3.5]]


@pytest.fixture(scope="module")
def handler(built_model, monkeypatch_module):
    _, model_dir = built_model
    module = load_handler(model_dir)
    model = module.model_fn(str(model_dir))
    return module, model


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("FRAUDSPEC_CAPTURE_DESTINATION", raising=False)
        yield patch


def invoke(handler, body, content_type="application/json", accept="application/json"):
    module, model = handler
    reply = module.handle(model, body, content_type, accept)
    assert reply.status == 200, reply.body
    return reply.body.decode(), reply.content_type


def expected(handler, rows):
    return handler[1].fraud_probability(np.array(rows, dtype=float))


def test_one_json_object_gives_one_result(handler):
    body, content_type = invoke(handler, json.dumps(dict(zip(NAMES, ROWS[1]))))
    result = json.loads(body)
    assert content_type == "application/json"
    assert set(result) == {"is_fraud", "fraud_probability", "confidence"}
    p = expected(handler, [ROWS[1]])[0]
    assert result["fraud_probability"] == p
    assert result["is_fraud"] == int(p >= 0.5)
    assert result["confidence"] == (p if p >= 0.5 else 1 - p)


def test_the_example_rows_span_both_decisions(handler):
    p = expected(handler, ROWS)
    assert p[1] >= 0.5 > p[0]  # otherwise the decision tests below prove little


@pytest.mark.parametrize(
    "payload",
    [
        [dict(zip(NAMES, row)) for row in ROWS],
        {"instances": ROWS},
        {"instances": [dict(zip(NAMES, row)) for row in ROWS]},
    ],
    ids=["list-of-objects", "instances", "instances-of-objects"],
)
def test_json_batches_give_lists(handler, payload):
    results = json.loads(invoke(handler, json.dumps(payload).encode())[0])
    assert [r["fraud_probability"] for r in results] == list(expected(handler, ROWS))
    assert [r["is_fraud"] for r in results] == [0, 1, 0]


def test_csv_rows_in_feature_order(handler):
    csv_body = "\n".join(",".join(map(str, row)) for row in ROWS) + "\n"
    results = json.loads(invoke(handler, csv_body, "text/csv")[0])
    assert [r["fraud_probability"] for r in results] == list(expected(handler, ROWS))
    single = json.loads(invoke(handler, "1,20.5,2,40.0,12.0", "text/csv; charset=utf-8")[0])
    assert single["fraud_probability"] == expected(handler, [ROWS[0]])[0]


def test_csv_answer_when_accept_asks_for_it(handler):
    body, content_type = invoke(handler, json.dumps({"instances": ROWS}), accept="text/csv")
    assert content_type == "text/csv"
    lines = [line.split(",") for line in body.splitlines()]
    assert [int(line[0]) for line in lines] == [0, 1, 0]
    assert [float(line[1]) for line in lines] == list(expected(handler, ROWS))


@pytest.mark.parametrize("accept", [None, "", "*/*", "application/xml, */*;q=0.1"])
def test_json_is_the_default_answer(handler, accept):
    assert invoke(handler, json.dumps(dict(zip(NAMES, ROWS[0]))), accept=accept)[1] == "application/json"


def test_null_and_empty_fields_are_missing_values(handler):
    row = dict(zip(NAMES, ROWS[0]), amount=None)
    from_json = json.loads(invoke(handler, json.dumps(row))[0])["fraud_probability"]
    from_csv = json.loads(invoke(handler, "1,20.5,2,40.0,", "text/csv")[0])["fraud_probability"]
    assert from_json == from_csv == expected(handler, [[1, 20.5, 2, 40.0, np.nan]])[0]


def test_the_decision_threshold_comes_from_the_manifest(handler):
    module, model = handler
    p = expected(handler, ROWS)
    records = module.payload.parse(json.dumps({"instances": ROWS}), "application/json", model.encoder)
    assert model.threshold == model.manifest["decision_threshold"] == 0.5
    low = module.payload.Prediction(model.fraud_probability(records.raw), float(p.min()), records.single)
    assert [r["is_fraud"] for r in json.loads(module.payload.render(low, None)[0])] == [1, 1, 1]


GOOD = dict(zip(NAMES, ROWS[0]))


@pytest.mark.parametrize(
    ("body", "content_type", "status", "message"),
    [
        (json.dumps({k: v for k, v in GOOD.items() if k != "amount"}), "application/json", 400,
         "missing feature(s) 'amount'"),
        (json.dumps({**GOOD, "colour": 1}), "application/json", 400, "unknown feature(s) 'colour'"),
        (json.dumps({**GOOD, "amount": "12.5"}), "application/json", 400,
         "feature 'amount': expected a finite number, got \"12.5\""),
        (json.dumps({**GOOD, "amount": True}), "application/json", 400, "expected a finite number, got true"),
        ('{"amount": NaN}', "application/json", 400, "malformed JSON"),
        (json.dumps({**GOOD, "amount": 0}).replace('"amount": 0', '"amount": 1e999'), "application/json", 400,
         "feature 'amount': expected a finite number, got Infinity"),
        ('{"txn_count_1h": 1,', "application/json", 400, "malformed JSON"),
        ("[" * 100_000 + "]" * 100_000, "application/json", 400, "malformed JSON: nested too deeply"),
        ("[]", "application/json", 400, "no records"),
        ('[{"txn_count_1h": 1}, 5]', "application/json", 400, "record 0: missing feature(s)"),
        ("[5]", "application/json", 400, "record 0 must be an object keyed by feature name"),
        ('{"instances": [[1, 2]]}', "application/json", 400, "record 0 has 2 values, expected 5"),
        ('"hello"', "application/json", 400, "expected a JSON object keyed by feature name"),
        ("1,2,3", "text/csv", 400, "CSV row 1 has 3 columns, expected 5"),
        ("1,2,3,4,5\n1,2,x,4,5", "text/csv", 400,
         "CSV row 2, column 3 ('merchant_count_24h'): 'x' is not a finite number"),
        ('1,2,3,4,"5', "text/csv", 400, "malformed CSV"),
        ("", "application/json", 400, "empty body"),
        ("  \n", "text/csv", 400, "empty body"),
        (b"\xff\xfe", "text/csv", 400, "not UTF-8"),
        ("1,2,3,4,5", "application/x-npy", 415, "unsupported Content-Type"),
        (b"1" * (6 * 1024 * 1024 + 1), "text/csv", 413, "over the 6291456-byte (6 MB) limit"),
    ],
)
def test_bad_payloads_raise_payload_error_naming_the_problem(handler, body, content_type, status, message):
    module, model = handler
    with pytest.raises(module.PayloadError) as caught:
        module.payload.parse(body, content_type, model.encoder)
    assert message in str(caught.value)
    assert caught.value.status == status
    reply = module.handle(model, body, content_type, None)
    assert (reply.status, json.loads(reply.body)) == (status, {"error": str(caught.value)})
    assert reply.content_type == "application/json" and reply.inference_id


def test_an_unanswerable_accept_header_is_406(handler):
    module, model = handler
    reply = module.handle(model, json.dumps(GOOD), "application/json", "application/xml")
    assert reply.status == 406 and "cannot answer in 'application/xml'" in json.loads(reply.body)["error"]


def test_each_loaded_artifact_is_its_own_module(built_model, handler):
    other = load_handler(built_model[1])
    assert other is not handler[0] and other.PayloadError is not handler[0].PayloadError
    assert other.capturer is None  # until its own model_fn runs


def test_categorical_features_take_strings_and_survive_unseen_values(tmp_path, make_spec, example_features):
    from fraudspec.artifact.loader import extract
    from fraudspec.artifact.pipeline import build
    from fraudspec.spec.model import Feature

    features = (*example_features, Feature("merchant_country", "categorical"))
    result = build(make_spec(tmp_path, features=features), progress=False)
    model_dir = extract(result.model_tar, tmp_path / "model")
    module = load_handler(model_dir)
    model = module.model_fn(str(model_dir))
    countries = model.manifest["features"][-1]["categories"]
    assert countries == sorted(countries) and "SG" in countries

    def probability(body, content_type="application/json"):
        return json.loads(module.handle(model, body, content_type, None).body)

    sg, unseen, missing = (probability(json.dumps({**GOOD, "merchant_country": c})) for c in ("SG", "ZZ", None))
    from_csv = probability("1,20.5,2,40.0,12.0,SG", "text/csv")
    raw = [[*ROWS[0], countries.index("SG")], [*ROWS[0], np.nan]]
    assert [sg["fraud_probability"], unseen["fraud_probability"]] == list(model.fraud_probability(np.array(raw)))
    assert from_csv == sg and unseen == missing
    with pytest.raises(module.PayloadError, match="feature 'merchant_country': expected a category"):
        module.payload.parse(json.dumps({**GOOD, "merchant_country": 1.5}), "application/json", model.encoder)
