"""Corporate networks: private certificate authorities and forward proxies named by the
standard variables, against a real loopback HTTPS server and a real loopback proxy."""

from __future__ import annotations

import json
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from typer.testing import CliRunner

from claimcheck.cli import app
from tests.serving import serving

from .netservers import ForwardProxy, RecordingServer
from .test_cli import ledger_with


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_server(ca: trustme.CA) -> Iterator[RecordingServer]:
    """HTTPS on 127.0.0.1 with a certificate from the private CA (for the address and
    for the name ``site.test``, which only the proxy resolves)."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "site.test").configure_cert(ctx)
    srv = RecordingServer("127.0.0.1", ctx)
    with serving(srv):
        yield srv


@pytest.fixture(scope="module")
def plain_server() -> Iterator[RecordingServer]:
    srv = RecordingServer("127.0.0.1")
    with serving(srv):
        yield srv


@pytest.fixture
def ca_pem(ca: trustme.CA, tmp_path: Path) -> Path:
    path = tmp_path / "corp-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


@pytest.fixture
def proxy(tls_server: RecordingServer, plain_server: RecordingServer) -> Iterator[ForwardProxy]:
    srv = ForwardProxy(
        {
            "site.test": ("127.0.0.1", tls_server.port),
            "news.test": ("127.0.0.1", plain_server.port),
        }
    )
    with serving(srv):
        yield srv


def links(ledger: Path, *args: str) -> tuple[int, dict[str, object], str]:
    result = CliRunner().invoke(
        app, ["links", str(ledger), "--format", "json", "--no-cache", "--no-archive", *args]
    )
    doc = json.loads(result.stdout) if result.stdout.strip() else {}
    return result.exit_code, doc, result.stderr


def statuses(doc: dict[str, object]) -> dict[str, tuple[str, str | None]]:
    return {lk["url"]: (lk["status"], lk["detail"]) for lk in doc["links"]}  # type: ignore[attr-defined]


def test_private_ca_is_trusted_from_option_or_variables(
    tls_server: RecordingServer, ca_pem: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"https://127.0.0.1:{tls_server.port}/ok"
    ledger = ledger_with(tmp_path, [url])
    code, doc, _ = links(ledger, "--allow-private", "--retries", "0")
    status, detail = statuses(doc)[url]
    assert (code, status) == (1, "unreachable")
    assert "TLS" in (detail or "")
    code, doc, _ = links(ledger, "--allow-private", "--ca-file", str(ca_pem))
    assert (code, statuses(doc)[url][0]) == (0, "ok")
    for variable in ("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        with monkeypatch.context() as m:
            m.setenv(variable, str(ca_pem))
            code, doc, _ = links(ledger, "--allow-private")
            assert (code, statuses(doc)[url][0]) == (0, "ok"), variable


def test_ca_file_that_cannot_be_used_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = ledger_with(tmp_path, ["https://127.0.0.1:9/ok"])
    code, _, err = links(ledger, "--ca-file", str(tmp_path / "nope.pem"))
    assert code == 2
    assert f"--ca-file {tmp_path / 'nope.pem'}: no such file or folder" in err
    junk = tmp_path / "junk.pem"
    junk.write_text("not a certificate\n", encoding="utf-8")
    monkeypatch.setenv("SSL_CERT_FILE", str(junk))
    code, _, err = links(ledger, "--allow-private")
    assert code == 2
    assert f"SSL_CERT_FILE={junk}: not a PEM bundle" in err
    assert "Traceback" not in err


def test_https_through_a_proxy_that_alone_resolves_the_name(
    proxy: ForwardProxy,
    tls_server: RecordingServer,
    ca_pem: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The runner cannot resolve site.test (tests resolve loopback names only) and the
    proxy listens on a loopback address: neither stops the check, without
    --allow-private."""
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    url = f"https://site.test:{tls_server.port}/ok"
    code, doc, err = links(ledger_with(tmp_path, [url]), "--ca-file", str(ca_pem))
    assert (code, statuses(doc)[url][0]) == (0, "ok"), err
    assert ("CONNECT", f"site.test:{tls_server.port}") in proxy.requests


def test_plain_http_through_a_proxy(
    proxy: ForwardProxy,
    plain_server: RecordingServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("http_proxy", proxy.url)
    url = f"http://news.test:{plain_server.port}/ok"
    code, doc, err = links(ledger_with(tmp_path, [url]))
    assert (code, statuses(doc)[url][0]) == (0, "ok"), err
    assert ("GET", url) in proxy.requests


def test_safety_rule_still_applies_to_targets_behind_a_proxy(
    proxy: ForwardProxy,
    plain_server: RecordingServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    port = plain_server.port
    literal = f"http://127.0.0.1:{port}/ok"
    named = f"http://localhost:{port}/ok"  # resolves (locally) to loopback
    bounce = f"http://news.test:{port}/redirect?to=http://localhost:{port}/ok"
    _, doc, _ = links(ledger_with(tmp_path, [literal, named, bounce]))
    got = statuses(doc)
    assert got[literal][0] == "skipped"
    assert got[named][0] == "skipped"
    assert "loopback" in (got[named][1] or "")
    assert got[bounce][0] == "skipped"  # the redirect into loopback is refused
    targets = [t for _, t in proxy.requests]
    assert targets == [bounce]  # nothing else went through the proxy


def test_proxy_answers_are_not_an_offline_network(
    proxy: ForwardProxy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Direct connections fail here (the probe of well-known hosts would too) but the
    proxy replied: the site is unreachable, the network is not down, exit 1 not 3."""
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    url = "https://gone.test/story"
    code, doc, _ = links(ledger_with(tmp_path, [url]), "--retries", "0")
    status, detail = statuses(doc)[url]
    assert (code, status) == (1, "unreachable")
    assert "proxy" in (detail or "")
    assert doc["summary"]["checked"] is True  # type: ignore[index]


def test_proxy_that_is_down_is_named(
    tmp_path: Path, refused_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:pw@127.0.0.1:{refused_port}")
    url = "https://site.test/story"
    _, doc, _ = links(ledger_with(tmp_path, [url]), "--retries", "0")
    status, detail = statuses(doc)[url]
    assert status == "unreachable"
    assert f"could not reach the proxy http://user:***@127.0.0.1:{refused_port}" in (detail or "")
    assert "pw" not in json.dumps(doc)


def test_no_proxy_connects_directly(
    proxy: ForwardProxy,
    plain_server: RecordingServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.0/8")
    url = f"http://127.0.0.1:{plain_server.port}/ok"
    code, doc, _ = links(ledger_with(tmp_path, [url]), "--allow-private")
    assert (code, statuses(doc)[url][0]) == (0, "ok")
    assert proxy.requests == []


def test_unsupported_proxy_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    code, _, err = links(ledger_with(tmp_path, ["https://site.test/"]))
    assert code == 2
    assert "ALL_PROXY=socks5://127.0.0.1:1080: socks5 proxies are not supported" in err


def test_http_to_https_rewrite_checks_the_page_over_tls(
    tls_server: RecordingServer, ca_pem: Path, tmp_path: Path
) -> None:
    cited = f"http://127.0.0.1:{tls_server.port}/ok"
    cfg = tmp_path / "claimcheck.toml"
    cfg.write_text('[[rewrite]]\nfrom = "http://"\nto = "https://"\n', encoding="utf-8")
    ledger = ledger_with(tmp_path, [cited])
    code, doc, err = links(
        ledger, "--allow-private", "--ca-file", str(ca_pem), "--config", str(cfg)
    )
    link = doc["links"][0]  # type: ignore[index]
    assert (code, link["status"]) == (0, "ok"), err
    assert link["rewritten_url"] == f"https://127.0.0.1:{tls_server.port}/ok"
    assert link["rewrite_rules"] == ["http:// → https://"]
    assert "insecure" in link["warnings"]  # the citation itself is still plain http


def test_behind_a_proxy_the_network_probe_asks_the_proxy(
    plain_server: RecordingServer, refused_port: int
) -> None:
    import asyncio

    from claimcheck.links.check import proxy_probe

    assert asyncio.run(proxy_probe({("127.0.0.1", plain_server.port)}, timeout=1.0)) is True
    assert asyncio.run(proxy_probe({("127.0.0.1", refused_port)}, timeout=1.0)) is False
