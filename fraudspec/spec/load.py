"""Loading a spec: read (YAML + locations), validate (schema + rules), parse (typed Spec).

Each environment's document is the base merged with its overrides (spec.merge), checked against
the schema, then given the schema's defaults (spec.defaults): the rules and the parser both read
that one document.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from fraudspec.core.errors import Finding, FraudspecError
from fraudspec.spec.defaults import with_defaults
from fraudspec.spec.merge import effective_source
from fraudspec.spec.model import Spec
from fraudspec.spec.parse import parse_spec
from fraudspec.spec.rules import Context
from fraudspec.spec.rules.registry import RULES
from fraudspec.spec.schema import schema_findings
from fraudspec.spec.yaml_source import Source, read_source


def load_spec(path: Path, env: str) -> Spec:
    """The validated effective spec of `env`; raises FraudspecError carrying every finding."""
    return load_environments(path, [env])[env]


def load_environments(path: Path, envs: Sequence[str] | None = None) -> dict[str, Spec]:
    """The validated effective spec of each of `envs` (every declared one, in order, when None),
    from one read of the file; raises FraudspecError carrying every finding of them all."""
    source = read_source(path)
    findings, documents = _checked(source, envs)
    if findings:
        raise FraudspecError(findings=findings)
    return {env: parse_spec(document.data, env, path) for env, document in documents.items()}


def validate_spec(path: Path, env: str | None = None) -> list[Finding]:
    """Every finding for `env`, or for all environments when env is None."""
    try:
        source = read_source(path)
    except FraudspecError as error:
        return list(error.findings)
    return validate_source(source, env)


def validate_source(source: Source, env: str | None) -> list[Finding]:
    return _checked(source, None if env is None else [env])[0]


def _checked(source: Source, envs: Sequence[str] | None) -> tuple[list[Finding], dict[str, Source]]:
    """Sorted findings, and the effective document (defaults filled) of each environment checked.

    Validity is per environment: each checked environment's effective document (base merged with its
    overrides) is what the schema and rules see, so a base value an environment overrides is judged
    only where it is inherited, and one every environment overrides is deployed nowhere and not
    checked. The whole file is checked as written only when it declares no environments to merge."""
    declared = source.data.get("environments") if isinstance(source.data, dict) else None
    declared = list(declared) if isinstance(declared, dict) else []
    findings = set() if declared else set(schema_findings(source))
    if not isinstance(source.data, dict):
        return _sorted(findings), {}
    unknown = [env for env in envs or () if env not in declared]
    for env in unknown:
        close = difflib.get_close_matches(env, declared, n=1)
        hint = f"did you mean '{close[0]}'? " if close else ""
        findings.add(Finding("FS007", f"unknown environment '{env}'", source.locate(("environments",)),
                             f"{hint}declared: {', '.join(declared) or 'none'}"))
    if unknown:
        return _sorted(findings), {}
    documents = {}
    for env in declared if envs is None else envs:
        effective = effective_source(source, env)
        structural = schema_findings(effective)
        if structural:
            findings.update(structural)  # rules assume a schema-valid document
            continue
        documents[env] = with_defaults(effective)
        findings.update(_rule_findings(documents[env], env, Path(source.file).resolve().parent))
    return _sorted(findings), documents


def _rule_findings(document: Source, env: str, spec_dir: Path) -> list[Finding]:
    context = Context(document.data, env, spec_dir)
    findings = []
    for rule in RULES.values():
        if rule.check is None:
            continue
        try:
            issues = list(rule.check(context))
        except Exception as exc:  # a crashing rule is reported, never a traceback
            findings.append(Finding(rule.id, f"rule {rule.id} failed: {exc!r}", document.locate(()),
                                    "this is a fraudspec bug; please report it"))
            continue
        findings.extend(Finding(rule.id, issue.message, document.locate(issue.path), issue.hint) for issue in issues)
    return findings


def _sorted(findings: set[Finding]) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)
