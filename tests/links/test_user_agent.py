"""The default User-Agent names the tool and stays clear of what stock WAF rules block."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimcheck import __version__
from claimcheck.cli import app
from claimcheck.links import DEFAULT_USER_AGENT
from tests.serving import serving

from .netservers import RecordingServer
from .test_cli import ledger_with

# Matched as case-insensitive substrings, as ModSecurity's @pmFromFile does.
# OWASP CRS rule 913100 (paranoia level 1, scanners-user-agents.data), a selection:
CRS_SCANNERS = [
    "user-agent",
    "useragent",
    "arachni",
    "betabot",
    "bfac",
    "commix",
    "detectify",
    "dirbuster",
    "fimap",
    "fuzz faster",
    "whatwaf",
    "gobuster",
    "havij",
    "hexometer",
    "jbrofuzz",
    "jorgee",
    "libwhisker",
    "masscan",
    "morfeus",
    "mozlila",
    "mozilla/5.g",
    "nessus",
    "netlab360",
    "netsparker",
    "nettacker",
    "nikto",
    "nmap",
    "nuclei",
    "openvas",
    "securityagent",
    "sitelockspider",
    "sqlmap",
    "sysscan",
    "w3af.org",
    "webbandit",
    "webshag",
    "wfuzz",
    "whatweb",
    "wprecon",
    "wpscan",
    "feroxbuster",
    "wapiti",
    "vega",
    "appspider",
    "skipfish",
    "qualysguard",
    "acunetix",
    "zgrab",
    "zmeu",
    "shortscan",
    "mozilla/5.0 (compatible; panoptic",
    "mozilla/5.0 (compatible; appscan;",
]
# CRS 3.x rules 913101 and 913102 (paranoia level 2: scripting clients and crawlers):
CRS_SCRIPTING_AND_CRAWLERS = [
    "aiohttp/",
    "go-http-client/",
    "libwww-perl",
    "mozilla/4.0 (compatible)",
    "python-httplib2",
    "python-httpx/",
    "python-requests",
    "python-urllib",
    "typhoeus",
    "80legs",
    "ahrefsbot",
    "black widow",
    "censysinspect",
    "crawler4j",
    "heritrix/",
    "mechanize",
    "mj12bot",
    "nutchcvs/",
    "piplbot",
    "pyspider/",
    "rogerbot",
    "scrapy/",
    "semrushbot",
    "wappalyzer",
]
# CRS automated-agents lists and common hand-written WAF/bot-blocker rules:
GENERIC = [
    "bot", "crawl", "spider", "scan", "scrap", "checker", "linkcheck", "link check",
    "checklink", "curl", "wget", "python", "httpx", "httpclient", "fetch", "headless",
    "monitor", "validator", "java", "go-http",
]  # fmt: skip


def test_default_user_agent_contains_no_blocked_token() -> None:
    ua = DEFAULT_USER_AGENT.lower()
    for token in CRS_SCANNERS + CRS_SCRIPTING_AND_CRAWLERS + GENERIC:
        assert token not in ua, token
    assert re.fullmatch(r"Mozilla/5\.0 \(compatible; claimcheck/[\d.]+\)", DEFAULT_USER_AGENT)
    assert f"claimcheck/{__version__}" in DEFAULT_USER_AGENT


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    srv = RecordingServer("127.0.0.1")
    with serving(srv):
        yield srv


def test_the_server_receives_it_with_the_configured_contact(
    server: RecordingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = ledger_with(tmp_path, [f"http://127.0.0.1:{server.port}/ok"])
    args = ["links", str(ledger), "-f", "json", "--allow-private", "--no-cache", "--no-archive"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert server.record.requests[0].headers["User-Agent"] == DEFAULT_USER_AGENT
    monkeypatch.setenv("CLAIMCHECK_CONTACT", "https://desk.example.org/bots")
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    sent = server.record.requests[1].headers["User-Agent"]
    assert (
        sent
        == f"Mozilla/5.0 (compatible; claimcheck/{__version__}; +https://desk.example.org/bots)"
    )
    shown = json.loads(CliRunner().invoke(app, ["config", "-f", "json"]).stdout)
    assert shown["settings"]["user-agent"]["value"] == sent
