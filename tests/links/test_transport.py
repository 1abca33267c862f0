"""The lean HTTP/1.1 transport against a scripted loopback server: connections kept alive
and reused only when safe, servers that close or misbehave between requests, and a body
that arrives faster than it is read."""

from __future__ import annotations

import pytest

from claimcheck.links import check_ledger_links
from claimcheck.results import LinkStatus

from .conftest import fast_options, ledger_of
from .scripted import PAGE, Scripted, ok

TITLE = "Report finds 54 stations"


def statuses(urls: list[str], **kw: object) -> list[LinkStatus]:
    results, _ = check_ledger_links(ledger_of(*urls, title=TITLE), fast_options(**kw))
    return [r.status for r in results]


def test_one_connection_carries_every_request_to_a_host(scripted) -> None:
    server = scripted(lambda path, n, i: (ok(), False))
    urls = [server.url(f"/p{i}") for i in range(20)]
    assert statuses(urls, max_per_host=1) == [LinkStatus.OK] * 20
    assert server.connections == 1


def test_a_server_that_closes_after_each_answer_is_reconnected_to(scripted) -> None:
    # Keep-alive is the default in HTTP/1.1, but this server hangs up after each answer
    # without saying so: the idle connection is retired, never reused.
    server = scripted(lambda path, n, i: (ok(), True))
    urls = [server.url(f"/p{i}") for i in range(10)]
    assert statuses(urls, max_per_host=1, retries=0) == [LinkStatus.OK] * 10
    assert server.connections == 10


def test_connection_close_and_http_1_0_are_not_reused(scripted) -> None:
    def script(path: str, n: int, i: int) -> tuple[bytes, bool]:
        if path.startswith("/old"):
            reply = ok().replace(b"HTTP/1.1 200 OK", b"HTTP/1.0 200 OK")
            return reply, False  # HTTP/1.0 without keep-alive: the client must not reuse
        return ok(extra=b"Connection: close\r\n"), False

    server = scripted(script)
    urls = [server.url(f"/old{i}") for i in range(3)] + [server.url(f"/c{i}") for i in range(3)]
    assert statuses(urls, max_per_host=1, retries=0) == [LinkStatus.OK] * 6
    assert server.connections == 6


def test_informational_answers_before_the_response_are_skipped(scripted) -> None:
    early = b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
    server = scripted(lambda path, n, i: (early + ok(), False))
    assert statuses([server.url("/p")]) == [LinkStatus.OK]


def test_a_chunked_body_is_read_and_judged(scripted) -> None:
    body = b"<html><head><title>Report finds 54 stations</title></head><body>"
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in (body, b"x" * 5000, b"</body>"))
    head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    server = scripted(lambda path, n, i: (head + chunks + b"0\r\n\r\n", False))
    results, _ = check_ledger_links(ledger_of(server.url("/p"), title=TITLE), fast_options())
    assert results[0].status is LinkStatus.OK and not results[0].warnings[1:]


def test_a_body_cut_short_is_said_to_have_stopped(scripted) -> None:
    # The head says 100 KB more than arrives before the server hangs up: not a clean
    # end of the page (the link is judged on what arrived, and says so).
    cut = ok(body=PAGE + b"x" * 100_000)[:-50_000]
    server = scripted(lambda path, n, i: (cut, True))
    results, _ = check_ledger_links(
        ledger_of(server.url("/p"), title=TITLE), fast_options(retries=0)
    )
    assert results[0].detail is not None
    assert "the page stopped sending after" in results[0].detail


def test_a_fast_endless_body_is_not_read_ahead_of_the_cap(scripted) -> None:
    # 64 MB offered at loopback speed while only the head is needed: reading pauses
    # while bytes wait, so the server can push little more than socket buffers hold.
    body = PAGE + b"<p>filler</p>" * (64 * 1024 * 1024 // 13)
    server = scripted(lambda path, n, i: (ok(body), True))
    assert statuses([server.url("/p")], retries=0) == [LinkStatus.OK]
    assert server.sent < 24 * 1024 * 1024, server.sent


def test_garbage_instead_of_http_is_a_broken_connection(scripted) -> None:
    server = scripted(lambda path, n, i: (b"SSH-2.0-OpenSSH_9.6\r\n\r\n", True))
    results, _ = check_ledger_links(
        ledger_of(server.url("/p"), title=TITLE), fast_options(retries=0)
    )
    assert results[0].status is not LinkStatus.OK
    assert results[0].detail is not None and "connection reset or broken" in results[0].detail


def test_reading_pauses_while_a_body_waits_to_be_read(scripted) -> None:
    # A response held open and not read (its reader busy elsewhere): the transport stops
    # taking bytes once HIGH_WATER wait, so the server stalls instead of filling memory.
    import asyncio
    import ssl

    import httpx

    from claimcheck.links.fetch import GuardedBackend
    from claimcheck.links.safety import SafetyPolicy, system_resolver
    from claimcheck.links.transport import LeanTransport

    body = b"<p>filler</p>" * (64 * 1024 * 1024 // 13)
    server = scripted(lambda path, n, i: (ok(body), True))

    async def held_open() -> tuple[int, int]:
        backend = GuardedBackend(system_resolver, SafetyPolicy(allow_private=True))
        transport = LeanTransport(backend, ssl.create_default_context(), 4, 10.0)
        async with (
            httpx.AsyncClient(transport=transport) as client,
            client.stream("GET", server.url("/p")) as response,
        ):
            await asyncio.sleep(0.5)  # the server pushes what it can meanwhile
            sent = server.sent
            got = 0
            async for chunk in response.aiter_raw():
                got += len(chunk)
                if got > 8 * 1024 * 1024:
                    break
            return sent, got

    sent, got = asyncio.run(held_open())
    assert got > 8 * 1024 * 1024  # reading resumes when the body is read
    # What the socket buffers hold (a few MB on loopback) and 256 KiB, not 64 MB.
    assert sent < 16 * 1024 * 1024, sent


def test_bytes_after_an_answer_are_never_read_as_the_next_one(scripted) -> None:
    # A server that sends a second, unasked-for response right after the first: the
    # connection is retired, so the next request gets its own answer (not the extra
    # one, which says the page is gone).
    extra = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"
    server = scripted(lambda path, n, i: (ok() + extra, False))
    urls = [server.url(f"/p{i}") for i in range(5)]
    assert statuses(urls, max_per_host=1, retries=0) == [LinkStatus.OK] * 5


def test_an_endless_stream_of_informational_answers_is_not_a_response(scripted) -> None:
    early = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
    server = scripted(lambda path, n, i: (early * 200 + ok(), True))
    results, _ = check_ledger_links(
        ledger_of(server.url("/p"), title=TITLE), fast_options(retries=0)
    )
    assert results[0].status is LinkStatus.UNREACHABLE
    assert results[0].detail == (
        "connection reset or broken: more than 16 informational (1xx) answers"
    )


def test_a_server_hanging_up_on_the_tls_handshake_is_a_tls_failure(hang_up) -> None:
    # As with httpcore: the handshake failed, so the detail says TLS (not a reset of
    # the network), and it is not retried (a retry meets the same refusal).
    url = f"https://127.0.0.1:{hang_up.sock.getsockname()[1]}/p"
    results, _ = check_ledger_links(ledger_of(url, title=TITLE), fast_options(retries=2))
    assert results[0].status is LinkStatus.UNREACHABLE
    assert results[0].detail is not None
    assert results[0].detail.startswith("TLS failure: "), results[0].detail
    assert hang_up.accepted == 1


def test_a_failed_handshake_is_said_once(server) -> None:
    # https to a plain-HTTP server: the TLS library's own words, after "TLS failure".
    url = server.url("/ok").replace("http://", "https://")
    results, _ = check_ledger_links(ledger_of(url, title=TITLE), fast_options(retries=0))
    assert results[0].detail is not None
    assert results[0].detail.startswith("TLS failure: [SSL: "), results[0].detail


def test_a_server_closing_before_any_answer_says_so(scripted) -> None:
    server = scripted(lambda path, n, i: (b"", True))
    results, _ = check_ledger_links(
        ledger_of(server.url("/p"), title=TITLE), fast_options(retries=0)
    )
    assert results[0].detail == (
        "connection reset or broken: Server disconnected without sending a response."
    )


def test_idle_connections_to_many_sites_are_closed_oldest_first(
    scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A ledger citing thousands of sites must not hold a socket open to each: past
    # MAX_IDLE idle connections (2 here), the oldest is closed while the run goes on.
    import claimcheck.links.transport as transport

    monkeypatch.setattr(transport, "MAX_IDLE", 2)
    servers: list[Scripted] = []
    closed_before_last: list[int] = []

    def script(path: str, n: int, i: int) -> tuple[bytes, bool]:
        if path == "/last":
            closed_before_last.append(sum(s.hung_up for s in servers))
        return ok(), False

    servers.extend(scripted(script, host=f"127.0.0.{k}") for k in range(2, 10))
    urls = [s.url("/p") for s in servers[:-1]] + [servers[-1].url("/last")]
    assert statuses(urls, max_concurrency=1) == [LinkStatus.OK] * 8
    # Seven sites answered before the last one: five of their connections were closed.
    assert closed_before_last and closed_before_last[0] >= 4, closed_before_last
