"""Fetching through real HTTP: the SSRF guard, redirects, limits, content types, charsets.

The web is played by :class:`standins.WebStandIn` on loopback. The guard refuses loopback
addresses, so these tests let it reach the stand-in's one address (``127.0.0.1/32``) and
nothing else: a second stand-in on ``127.0.0.2`` plays a private server that must never
be reached. Host names are resolved by a resolver the test controls.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Iterator
from typing import Any

import httpcore2
import pytest

from bot.core import charset
from bot.core.fetch import (
    FEED_TYPES,
    MAX_REDIRECTS,
    USER_AGENT,
    Fetcher,
    FetchError,
    FetchLimits,
    HostPacer,
    media_type,
)
from bot.core.netguard import AddressPolicy, AddressRefused, GuardedBackend, parse_networks
from bot.core.urls import normalise_url
from bot.errors import InputError
from standins import WebStandIn

ALLOW_TEST_SERVER = AddressPolicy(also_allow=parse_networks(["127.0.0.1/32"]))


class Resolver:
    """A DNS the test controls: each name maps to a list of answers, handed out in turn
    (the last one repeats), and every lookup is counted."""

    def __init__(self, names: dict[str, list[list[str]]]) -> None:
        self.names = names
        self.lookups: dict[str, int] = {}

    def __call__(self, host: str, port: int) -> list[Any]:
        try:
            return [ipaddress.ip_address(host)]
        except ValueError:
            pass
        n = self.lookups.get(host, 0)
        self.lookups[host] = n + 1
        answers = self.names[host]
        return [ipaddress.ip_address(a) for a in answers[min(n, len(answers) - 1)]]


@pytest.fixture(scope="module")
def private_server() -> Iterator[WebStandIn]:
    """A server on another loopback address: the "private" address nothing may reach."""
    with WebStandIn(host="127.0.0.2") as server:
        yield server


def fetcher(
    max_bytes: int = 1_000_000,
    timeout: float = 5.0,
    policy: AddressPolicy = ALLOW_TEST_SERVER,
    resolver: Resolver | None = None,
) -> Fetcher:
    return Fetcher(
        FetchLimits(max_bytes, timeout),
        policy=policy,
        pacer=HostPacer(0),
        resolve=resolver or Resolver({}),
    )


PAGE = "<html><body><article><p>A page about the memorandum.</p></article></body></html>"


# ---------------------------------------------------------------------- the address policy


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("192.0.0.8", "private"),  # IETF protocol assignment; Python < 3.12.4: global
        ("fd12:3456::1", "private"),
        ("fec0::1", "private"),  # site-local, deprecated; Python's is_private omits it
        ("feff:ffff::1", "private"),
        ("100.64.0.1", "shared"),
        ("169.254.169.254", "cloud metadata"),
        ("169.254.170.2", "cloud metadata"),
        ("fd00:ec2::254", "cloud metadata"),
        ("100.100.100.200", "cloud metadata"),
        ("168.63.129.16", "cloud metadata"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("192.0.2.10", "reserved"),
        ("2001:db8::1", "reserved"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "cloud metadata"),
        ("64:ff9b::a00:1", "private"),
        ("2002:a00:1::1", "private"),
        ("::10.0.0.1", "private"),
    ],
)
def test_non_public_addresses_are_refused_with_their_kind(address: str, kind: str) -> None:
    why = AddressPolicy().refusal(ipaddress.ip_address(address))
    assert why is not None and kind in why


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "192.0.0.9", "192.0.0.10"]
)
def test_public_addresses_are_allowed(address: str) -> None:
    assert AddressPolicy().refusal(ipaddress.ip_address(address)) is None


def test_allowing_private_addresses_never_allows_metadata_or_link_local() -> None:
    policy = AddressPolicy(allow_private=True)
    for allowed in ("127.0.0.1", "10.0.0.1", "192.168.0.1", "::1", "fd00::1", "100.64.1.1"):
        assert policy.refusal(ipaddress.ip_address(allowed)) is None, allowed
    for refused in ("169.254.169.254", "fe80::1", "224.0.0.1", "0.0.0.0", "::ffff:169.254.169.254"):
        assert policy.refusal(ipaddress.ip_address(refused)) is not None, refused


# ---------------------------------------------------------------------- the guard, end to end


def test_a_loopback_url_is_refused_before_any_request(web: WebStandIn) -> None:
    web.page("/a", PAGE)
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 is a loopback address"):
        fetcher(policy=AddressPolicy()).get(web.url("/a"))
    assert web.requests() == []


def test_a_host_name_that_resolves_to_a_private_address_is_refused(
    web: WebStandIn, private_server: WebStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    """The refusal reaches whoever asked (a Slack user's /brief add): it says what kind
    of address the name has, and only the application log says which address."""
    private_server.reset()
    private_server.page("/admin", PAGE)
    dns = Resolver({"intranet.example": [["127.0.0.2"]]})
    url = f"http://intranet.example:{private_server.port}/admin"
    with caplog.at_level("INFO", "bot.core.netguard"), pytest.raises(FetchError) as refused:
        fetcher(resolver=dns).get(url)
    assert str(refused.value).startswith(
        "refused: intranet.example is not a public address: it is a loopback address"
    )
    assert "127.0.0.2" not in str(refused.value)
    assert "intranet.example: it resolves to 127.0.0.2, a loopback address" in caplog.text
    assert private_server.requests() == []


def test_a_name_with_one_private_address_among_public_ones_is_refused(web: WebStandIn) -> None:
    web.page("/a", PAGE)
    dns = Resolver({"mixed.example": [["127.0.0.1", "10.0.0.7"]]})
    with pytest.raises(FetchError, match=r"mixed\.example is not a public address: it is a priv"):
        fetcher(resolver=dns).get(f"http://mixed.example:{web.port}/a")
    assert web.requests() == []


def test_a_redirect_to_a_private_address_is_refused(
    web: WebStandIn, private_server: WebStandIn
) -> None:
    private_server.reset()
    private_server.page("/latest/meta-data/", "secret")
    web.redirect("/go", private_server.url("/latest/meta-data/"))
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.2 .*after a redirect"):
        fetcher().get(web.url("/go"))
    assert [r.path for r in web.requests()] == ["/go"]
    assert private_server.requests() == []


def test_dns_rebinding_between_redirects_is_refused(
    web: WebStandIn, private_server: WebStandIn
) -> None:
    """The name answers with the allowed address first and a private one the second time:
    the second connection (after a redirect on the same name) is checked again."""
    private_server.reset()
    private_server.page("/b", "secret")
    web.redirect("/a", f"http://rebind.example:{private_server.port}/b", close=True)
    # The redirect goes to the private server's port, so only a rebound name reaches it.
    dns = Resolver({"rebind.example": [["127.0.0.1"], ["127.0.0.2"]]})
    with pytest.raises(FetchError, match=r"rebind\.example is not a public address"):
        fetcher(resolver=dns).get(f"http://rebind.example:{web.port}/a")
    assert dns.lookups["rebind.example"] == 2
    assert private_server.requests() == []


def test_the_address_actually_connected_to_is_checked(caplog: pytest.LogCaptureFixture) -> None:
    """Whatever DNS said, a socket whose peer is not the checked address is closed; the
    refusal names the kind of address reached, the application log the address."""

    class Stream(httpcore2.NetworkStream):
        closed = False

        def get_extra_info(self, info: str) -> Any:
            return ("127.0.0.2", 80) if info == "server_addr" else None

        def close(self) -> None:
            Stream.closed = True

    class Backend(httpcore2.NetworkBackend):
        def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore2.NetworkStream:
            return Stream()

    guard = GuardedBackend(ALLOW_TEST_SERVER, Resolver({"a.example": [["127.0.0.1"]]}), Backend())
    refused = pytest.raises(AddressRefused, match=r"a\.example reached a loopback address")
    with caplog.at_level("INFO", "bot.core.netguard"), refused as exc:
        guard.connect_tcp("a.example", 80)
    assert "127.0.0.2" not in str(exc.value) and "reached 127.0.0.2" in caplog.text
    assert Stream.closed


def test_unix_sockets_are_refused() -> None:
    with pytest.raises(AddressRefused):
        GuardedBackend(AddressPolicy()).connect_unix_socket("/var/run/docker.sock")


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/a", "file:///etc/passwd", "gopher://x/", "javascript:alert(1)", "/a/b"],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(FetchError, match=r"http and https|not a URL|no host"):
        fetcher().get(url)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://999.1.1.1/", "Invalid IPv4 address"),
        ("http://a.example/" + "x" * 70_000, "URL too long"),
    ],
)
def test_a_url_the_http_client_refuses_is_a_fetch_error(url: str, reason: str) -> None:
    """What urlsplit reads but httpx2 refuses fails that url alone, with one line (it was
    "unexpected InvalidURL", which failed a whole feed)."""
    with pytest.raises(FetchError, match=f"not a valid URL: .*{reason}"):
        fetcher().get(url)


def test_a_redirect_to_another_scheme_is_refused(web: WebStandIn) -> None:
    web.redirect("/a", "file:///etc/passwd")
    with pytest.raises(FetchError, match="not http"):
        fetcher().get(web.url("/a"))


# ---------------------------------------------------------------------- redirects and status


def test_a_redirect_chain_is_followed_and_the_final_url_kept(web: WebStandIn) -> None:
    web.page("/end", PAGE)
    web.redirect("/r3", "/end", status=307)
    web.redirect("/r2", web.url("/r3"), status=301)
    web.redirect("/r1", "/r2", status=302)
    got = fetcher().get(web.url("/r1"))
    assert got.status == 200
    assert got.url == web.url("/r1")
    assert got.final_url == web.url("/end")
    assert got.redirects == (web.url("/r2"), web.url("/r3"), web.url("/end"))


def test_moved_to_is_where_the_permanent_redirects_before_a_temporary_one_led(
    web: WebStandIn,
) -> None:
    """A 301 or 308 says the url moved for good; a 302 or 307 says nothing lasting, so
    what comes after it is not where the url asked for lives."""
    web.page("/end", PAGE)
    web.redirect("/t", "/end", status=302)
    web.redirect("/p2", "/t", status=308)
    web.redirect("/p1", "/p2", status=301)
    assert fetcher().get(web.url("/p1")).moved_to == web.url("/t")
    assert fetcher().get(web.url("/t")).moved_to is None
    web.redirect("/t2", "/p1", status=307)
    assert fetcher().get(web.url("/t2")).moved_to is None
    assert fetcher().get(web.url("/end")).moved_to is None


def test_at_most_five_redirects(web: WebStandIn) -> None:
    for n in range(MAX_REDIRECTS + 1):
        web.redirect(f"/r{n}", f"/r{n + 1}")
    web.page(f"/r{MAX_REDIRECTS + 1}", PAGE)
    assert fetcher().get(web.url("/r1")).final_url == web.url(f"/r{MAX_REDIRECTS + 1}")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher().get(web.url("/r0"))


def test_a_redirect_loop_ends(web: WebStandIn) -> None:
    web.redirect("/a", "/b")
    web.redirect("/b", "/a")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetcher().get(web.url("/a"))


@pytest.mark.parametrize(("status", "reason"), [(404, "Not Found"), (500, "Internal"), (410, "")])
def test_error_statuses_give_their_reason(web: WebStandIn, status: int, reason: str) -> None:
    web.page("/x", "<p>nope</p>", status=status)
    with pytest.raises(FetchError, match=f"HTTP {status} {reason}"):
        fetcher().get(web.url("/x"))


def test_an_unknown_page_is_a_404(web: WebStandIn) -> None:
    with pytest.raises(FetchError, match="HTTP 404 Not Found"):
        fetcher().get(web.url("/missing"))


# ---------------------------------------------------------------------- limits and content


def test_a_huge_page_is_cut_off_while_streaming(web: WebStandIn) -> None:
    web.endless("/huge", 50_000_000)
    with pytest.raises(FetchError, match="larger than 1 MB, the limit"):
        fetcher(max_bytes=1_000_000).get(web.url("/huge"))


def test_a_declared_length_over_the_limit_is_refused_before_reading(web: WebStandIn) -> None:
    web.endless("/huge", 50_000_000, declare_length=True)
    with pytest.raises(FetchError, match=r"is 50\.0 MB, more than 1 MB"):
        fetcher(max_bytes=1_000_000).get(web.url("/huge"))


def test_a_gzip_bomb_is_cut_off_at_the_limit(web: WebStandIn) -> None:
    web.page("/bomb", b"<p>" + b" " * 30_000_000 + b"</p>", gzip=True)
    with pytest.raises(FetchError, match="larger than 1 MB"):
        fetcher(max_bytes=1_000_000).get(web.url("/bomb"))


def test_gzip_is_decoded(web: WebStandIn) -> None:
    web.page("/g", PAGE, gzip=True)
    got = fetcher().get(web.url("/g"))
    assert got.body.decode() == PAGE
    assert "gzip" in web.requests("/g")[0].headers["accept-encoding"]


def test_a_chunked_page_without_length_is_read(web: WebStandIn) -> None:
    body = "<p>" + "word " * 20_000 + "</p>"
    web.page("/c", body, chunked=True)
    assert fetcher().get(web.url("/c")).body.decode() == body


@pytest.mark.parametrize(
    "content_type", ["image/png", "application/pdf", "application/octet-stream", None]
)
def test_content_that_is_not_a_page_is_refused(web: WebStandIn, content_type: str | None) -> None:
    web.page("/bin", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", content_type=content_type)
    with pytest.raises(FetchError, match="not a web page"):
        fetcher().get(web.url("/bin"))


def test_pages_and_feeds_accept_different_types(web: WebStandIn) -> None:
    web.page("/feed", "<rss/>", content_type="application/rss+xml")
    with pytest.raises(FetchError, match="content type application/rss\\+xml"):
        fetcher().get(web.url("/feed"))
    assert fetcher().get(web.url("/feed"), accept=FEED_TYPES, what="feed").status == 200


def test_a_stalled_server_times_out(web: WebStandIn) -> None:
    web.hang("/slow", 30)
    with pytest.raises(FetchError, match="timed out waiting"):
        fetcher(timeout=0.1).get(web.url("/slow"))


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
def test_a_page_that_trickles_in_is_cut_off_at_the_deadline(web: WebStandIn, headers: bool) -> None:
    """One byte of the body, or one header line, every 0.2 s: no read ever times out, but
    the whole fetch gets at most three timeouts (0.9 s here), not the 8 s it would take."""
    web.drip("/drip", pieces=40, every=0.2, headers=headers)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"took more than 0\.9 s"):
        fetcher(timeout=0.3).get(web.url("/drip"))
    assert time.monotonic() - started < 3
    web.cancel_pauses()


def test_conditional_get_and_304(web: WebStandIn) -> None:
    web.page("/f", PAGE, etag='"v1"', last_modified="Wed, 01 May 2019 10:00:00 GMT")
    first = fetcher().get(web.url("/f"))
    assert (first.status, first.etag) == (200, '"v1"')
    again = fetcher().get(web.url("/f"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.body == b""
    headers = web.requests("/f")[1].headers
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Wed, 01 May 2019 10:00:00 GMT"


def test_the_user_agent_names_briefbot_and_its_version(web: WebStandIn) -> None:
    from bot import __version__

    web.page("/a", PAGE)
    fetcher().get(web.url("/a"))
    agent = web.requests("/a")[0].headers["user-agent"]
    assert agent == USER_AGENT and agent.startswith(f"briefbot/{__version__}")


def test_requests_to_one_host_are_spaced() -> None:
    now = [100.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    pacer = HostPacer(2.0, clock=lambda: now[0], sleep=sleep)
    assert pacer.wait("a.example") == 0
    assert pacer.wait("b.example") == 0  # another host does not wait
    assert pacer.wait("a.example") == 2.0
    now[0] += 5
    assert pacer.wait("a.example") == 0
    assert waits == [2.0]


# ---------------------------------------------------------------------- urls and charsets


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("HTTP://Example.ORG:80/a?b=1#frag", "http://example.org/a?b=1"),
        ("https://example.org:443", "https://example.org/"),
        ("https://example.org:8443/A/", "https://example.org:8443/A"),  # issue #10
        ("  https://[2001:DB8::1]:80/x  ", "https://[2001:db8::1]:80/x"),
    ],
)
def test_urls_are_normalised(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


@pytest.mark.parametrize(
    "bad",
    [
        "https://user:pw@example.org/",
        "http://",
        "http://x:99999/",
        "http://example.org/a\x7fb",  # DEL and NUL: a feed's <link> may hold them
        "http://example.org/a\x00b",
    ],
)
def test_bad_urls_are_refused(bad: str) -> None:
    with pytest.raises(InputError):
        normalise_url(bad)


def test_media_type_and_charset() -> None:
    assert media_type('text/HTML; charset="ISO-8859-1"') == ("text/html", "ISO-8859-1")
    assert media_type(None) == ("", None)


@pytest.mark.parametrize(
    ("body", "declared", "expected"),
    [
        ("café".encode(), "iso-8859-1", "café"),  # UTF-8 mislabelled as Latin-1
        ("café".encode("cp1252"), "utf-8", "café"),  # Latin-1 mislabelled as UTF-8
        ("café – ok".encode("cp1252"), "iso-8859-1", "café – ok"),  # means windows-1252
        ('<meta charset="windows-1251">Привет'.encode("cp1251"), None, "Привет"),
        ("naïve".encode("utf-16"), None, "naïve"),
        (b"plain ascii", "no-such-charset", "plain ascii"),
        ("café".encode("cp1252"), "us-ascii", "café"),  # so does us-ascii
        # a feed declares its charset in the XML declaration
        ('<?xml version="1.0" encoding="windows-1251"?>Привет'.encode("cp1251"), None, "Привет"),
        # a declaration inside a comment is not one (the WHATWG prescan skips comments)
        ('<!-- <meta charset="windows-1251"> --><p>café'.encode("cp1252"), None, "café"),
        # UTF-7 is no charset: it would turn "+ADw-" into "<" and smuggle markup
        (b"<meta charset='utf-7'><p>+ADw-script+AD4- caf\xe9", "utf-7", "+ADw-script+AD4- café"),
    ],
)
def test_charsets(body: bytes, declared: str | None, expected: str) -> None:
    assert expected in charset.decode(body, declared)
