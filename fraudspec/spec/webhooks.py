"""Webhook URLs: read from the environment variable a spec names (`webhook: ${env:NAME}`), never
written anywhere, and https-only on every target.

The one exception is plain http to a loopback address on the local target (a receiver on this
machine: nothing crosses a network). A problem names the variable and the spec line that references
it, never the URL, which may carry a token.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from urllib.parse import urlsplit

from fraudspec.core.errors import Finding, FraudspecError, Location
from fraudspec.spec.model import Spec

RULE = "FS502"


def url_problem(url: str, local: bool) -> str | None:
    """Why `url` cannot receive alarms, else None; the message never quotes the URL."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return "is not a URL"
    if not parts.scheme:
        return "has no scheme: write https://..."
    if not host:
        return "names no host"
    if parts.scheme == "https" or (parts.scheme == "http" and local and _loopback(host)):
        return None
    return f"uses {parts.scheme}://, and only https:// is allowed" + (" (or http:// on loopback)" if local else "")


def resolve(spec: Spec, local: bool, environ: Mapping[str, str] = os.environ) -> dict[str, str | None]:
    """Each webhook variable's URL (None when unset); raises one located FraudspecError for every set
    variable whose URL is not allowed."""
    urls: dict[str, str | None] = {}
    findings = []
    for target in spec.alarms.notify:
        name = target.webhook_variable
        if name is None:
            continue
        urls[name] = environ.get(name) or None
        problem = url_problem(urls[name] or "", local) if urls[name] else None
        if problem:
            findings.append(Finding(RULE, f"the webhook URL in ${{env:{name}}} {problem}", _where(spec, name),
                                    f"export {name}=https://... (the receiver's https URL)"))
    if findings:
        raise FraudspecError(findings=findings)
    return urls


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _where(spec: Spec, name: str) -> Location:
    """The spec line that references ${env:NAME}."""
    reference = f"${{env:{name}}}"
    try:
        lines = spec.path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return Location(str(spec.path))
    line = next((number for number, text in enumerate(lines, 1) if reference in text), None)
    return Location(str(spec.path), line, lines[line - 1].index(reference) + 1) if line else Location(str(spec.path))
