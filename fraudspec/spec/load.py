"""Loading a spec: read (YAML + locations), validate (schema + rules), parse (typed Spec)."""

from __future__ import annotations

import difflib
from pathlib import Path

from fraudspec.core.errors import Finding, FraudspecError
from fraudspec.spec.merge import effective_source
from fraudspec.spec.model import Spec
from fraudspec.spec.parse import parse_spec
from fraudspec.spec.rules import Context
from fraudspec.spec.rules.registry import RULES
from fraudspec.spec.schema import schema_findings
from fraudspec.spec.yaml_source import Source, read_source


def load_spec(path: Path, env: str) -> Spec:
    """The validated effective spec of `env`; raises FraudspecError carrying every finding."""
    source = read_source(path)
    findings = validate_source(source, env)
    if findings:
        raise FraudspecError(findings=findings)
    return parse_spec(effective_source(source, env).data, env, path)


def validate_spec(path: Path, env: str | None = None) -> list[Finding]:
    """Every finding for `env`, or for all environments when env is None."""
    try:
        source = read_source(path)
    except FraudspecError as error:
        return list(error.findings)
    return validate_source(source, env)


def validate_source(source: Source, env: str | None) -> list[Finding]:
    findings = set(schema_findings(source))
    if not isinstance(source.data, dict):
        return _sorted(findings)
    declared = source.data.get("environments")
    declared = list(declared) if isinstance(declared, dict) else []
    if env is not None and env not in declared:
        close = difflib.get_close_matches(env, declared, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        findings.add(Finding("FS007", f"unknown environment '{env}'", source.locate(("environments",)),
                             f"{hint}declared: {', '.join(declared) or 'none'}"))
        return _sorted(findings)
    for name in [env] if env is not None else declared:
        findings.update(_environment_findings(source, name))
    return _sorted(findings)


def _environment_findings(source: Source, env: str) -> list[Finding]:
    effective = effective_source(source, env)
    structural = schema_findings(effective)
    if structural:
        return structural  # rules assume a schema-valid document
    context = Context(effective.data, env, Path(source.file).resolve().parent)
    findings = []
    for rule in RULES.values():
        if rule.check is None:
            continue
        try:
            issues = list(rule.check(context))
        except Exception as exc:  # noqa: BLE001 - a crashing rule is reported, never a traceback
            findings.append(Finding(rule.id, f"rule {rule.id} failed: {exc!r}", effective.locate(()),
                                    "this is a fraudspec bug; please report it"))
            continue
        findings.extend(Finding(rule.id, issue.message, effective.locate(issue.path), issue.hint) for issue in issues)
    return findings


def _sorted(findings: set[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
