"""What the configuration changes in a link's result, applied after the fetch and the
store: rewrites shown, statuses a host policy accepts, plain ``http`` failing the run.

Applied to fresh and cached results alike, so a changed configuration takes effect at
once and the store keeps what the sites actually answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from claimcheck.links.policy import HostPolicy, Rewritten, host_of, policy_for
from claimcheck.results import LinkResult, LinkStatus

_NOT_JUDGED = frozenset({LinkStatus.SKIPPED, LinkStatus.OFFLINE})


def _join(a: str | None, b: str) -> str:
    return b if not a else f"{a}; {b}"


def show_rewrite(result: LinkResult, rw: Rewritten) -> LinkResult:
    """Name the URL fetched in place of the cited one, and the rules, in every format."""
    if not rw.rules:
        return result
    note = f"fetched as {rw.url} (rewrite {'; '.join(rw.rules)})"
    return replace(
        result, rewritten_url=rw.url, rewrite_rules=rw.rules, detail=_join(result.detail, note)
    )


def accept_status(result: LinkResult, hosts: Sequence[HostPolicy]) -> LinkResult:
    """``ok`` when the answering host's policy lists the HTTP status it answered."""
    code = result.http_status
    if code is None or result.status in (LinkStatus.OK, *_NOT_JUDGED):
        return result
    host = host_of(result.final_url or result.rewritten_url or result.url)
    policy = policy_for(hosts, host)
    if policy is None or code not in policy.accept:
        return result
    where = f" ({policy.origin})" if policy.origin else ""
    return replace(
        result,
        status=LinkStatus.OK,
        history=None,
        detail=f"HTTP {code} accepted by the host policy for {policy.pattern}{where}; "
        f"would otherwise be {result.status.value}",
    )


def fail_plain_http(result: LinkResult, fail_on: frozenset[LinkStatus]) -> LinkResult:
    """With ``insecure`` in ``fail_on``, a link cited with plain ``http`` is ``insecure``
    unless it already fails for another reason (or was skipped)."""
    if LinkStatus.INSECURE not in fail_on or result.status in _NOT_JUDGED:
        return result
    if result.status in fail_on or result.url.split(":", 1)[0].strip().lower() != "http":
        return result
    was = result.status.value + (f": {result.detail}" if result.detail else "")
    return replace(
        result,
        status=LinkStatus.INSECURE,
        detail=f"cited with plain http (--fail-on-http); use https. The link itself: {was}",
    )
