"""The SSRF guard: which addresses briefbot may fetch from, enforced on the socket itself.

A URL from a user, a feed or a redirect must not make briefbot talk to the machine it runs
on, its private network or a cloud metadata service. Checking the URL's host name is not
enough: the name can resolve to a private address, resolve differently a second later (DNS
rebinding), or the page can redirect anywhere. So the check sits where connections are
made, in an httpcore2 network backend (:class:`GuardedBackend`) that every connection of
the fetcher goes through, the first request's and every redirect's alike:

1. the host is resolved once and every address it resolves to is checked; if any one is
   refused, the host is refused (a name that mixes a public and a private address is not
   one to trust). The refusal names the kind of address, never the address, since it
   reaches whoever asked (a Slack user); the application log has the address (INFO);
2. the socket connects to one of those checked addresses, never to the name again, so a
   second, different answer from DNS cannot slip in;
3. the address the socket is actually connected to (``getpeername``) is checked again
   before a byte of the request is written.

What is refused (:meth:`AddressPolicy.refusal`): loopback, private (RFC 1918, unique local
and site-local IPv6), shared carrier-grade NAT, link-local, multicast, unspecified, reserved and
documentation ranges, and cloud metadata addresses, in IPv4 and IPv6, including IPv4
addresses wrapped in IPv6 (``::ffff:127.0.0.1``, NAT64 ``64:ff9b::/96``, 6to4, Teredo,
IPv4-compatible). ``BRIEFBOT_ALLOW_PRIVATE_URLS=true`` allows loopback, private and shared
addresses (an intranet, a test server); link-local, multicast, unspecified, reserved and
metadata addresses stay refused whatever the setting, since no web page lives there.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore2

log = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
#: ``resolve(host, port)``: the addresses a host name stands for, in the order to try them.
Resolver = Callable[[str, int], list[IPAddress]]

#: Cloud metadata services: AWS, GCP, Azure, Oracle, DigitalOcean (169.254.169.254), AWS
#: ECS task metadata (169.254.170.2), Alibaba (100.100.100.200), AWS over IPv6
#: (fd00:ec2::254) and Azure's wire server, which is a public address (168.63.129.16).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",
        "169.254.170.2",
        "100.100.100.200",
        "fd00:ec2::254",
        "168.63.129.16",
    )
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_DOCUMENTATION = tuple(
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "198.18.0.0/15", "2001:db8::/32")
)
#: IETF protocol assignments (RFC 6890): not globally reachable, but for two anycast
#: services. Python before 3.12.4 counts all of it but 192.0.0.0/29 and 192.0.0.170/31
#: as global, so 192.0.0.8 (say) was let through.
_IETF_PROTOCOL = ipaddress.ip_network("192.0.0.0/24")
_IETF_ANYCAST = frozenset(ipaddress.ip_address(a) for a in ("192.0.0.9", "192.0.0.10"))
_PRIVATE_HINT = " (BRIEFBOT_ALLOW_PRIVATE_URLS=true allows private addresses)"


class AddressRefused(Exception):
    """A connection was refused by the guard. The message is one line."""


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries, if it is one of the forms that reach it:
    IPv4-mapped, NAT64, 6to4, Teredo (the client) or IPv4-compatible."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _IPV4_COMPATIBLE and int(ip) > 1:  # ::a.b.c.d, but not :: or ::1
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses may be connected to.

    ``also_allow`` lists networks allowed whatever their kind. Nothing in briefbot's
    configuration sets it; the tests use it to let the guard connect to their loopback
    server while every other loopback address stays refused.
    """

    allow_private: bool = False
    also_allow: tuple[IPNetwork, ...] = ()

    def refusal(self, ip: IPAddress) -> str | None:
        """Why ``ip`` is refused ("a loopback address", ...), or None when it is allowed."""
        if any(ip in net for net in self.also_allow if net.version == ip.version):
            return None
        inner = embedded_ipv4(ip)
        if inner is not None:
            why = self.refusal(inner)
            return f"{why} inside an IPv6 address" if why else None
        kind = _kind(ip)
        if kind is None:
            return None
        if self.allow_private and kind in ("loopback", "private", "shared"):
            return None
        article = "an" if kind[0] in "aeiou" else "a"
        hint = _PRIVATE_HINT if kind in ("loopback", "private", "shared") else ""
        return f"{article} {kind} address{hint}"


def _kind(ip: IPAddress) -> str | None:
    """The kind of a non-public address, or None for a public one."""
    if ip in METADATA_ADDRESSES:
        return "cloud metadata"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if any(ip in net for net in _DOCUMENTATION if net.version == ip.version):
        return "reserved"
    if ip.is_reserved:
        return "reserved"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED:
        return "shared"
    if ip.is_private or not ip.is_global or _site_local(ip) or _ietf_protocol(ip):
        return "private"
    return None


def _ietf_protocol(ip: IPAddress) -> bool:
    """Whether ``ip`` is an IETF protocol assignment that is not globally reachable."""
    return (
        isinstance(ip, ipaddress.IPv4Address) and ip in _IETF_PROTOCOL and ip not in _IETF_ANYCAST
    )


def _site_local(ip: IPAddress) -> bool:
    """Whether ``ip`` is an IPv6 site-local address (fec0::/10): deprecated (RFC 3879)
    but still routed inside some sites, the older form of a unique local address, and
    one that Python's ``is_private`` and ``is_global`` count as public."""
    return isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """The host's addresses from the system resolver, each once, in the order given."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore2.ConnectError(f"cannot resolve {host}: {exc}") from exc
    seen: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = _address(str(sockaddr[0]))
        if ip not in seen:
            seen.append(ip)
    return seen


def _address(text: str) -> IPAddress:
    return ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")


#: When the fetch under way in this thread must be done by (``time.monotonic()``), if it
#: has a deadline (:func:`deadline`).
_DEADLINE: ContextVar[float | None] = ContextVar("fetch_deadline", default=None)


class DeadlinePassed(Exception):
    """The fetch under way took longer than its :func:`deadline`."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Within this block, every connect, read and write of a guarded connection waits at
    most until ``seconds`` from now in all, then raises :class:`DeadlinePassed`.

    A per-read timeout does not bound a whole fetch: a server that sends one byte of its
    headers or its body a second never lets a read time out. The deadline is kept per
    thread (a context variable), so pooled connections serve each fetch under its own."""
    token = _DEADLINE.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def _within(timeout: float | None) -> float | None:
    """``timeout``, cut to what is left of the current deadline; raises
    :class:`DeadlinePassed` when nothing is left."""
    at = _DEADLINE.get()
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise DeadlinePassed
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore2.NetworkStream):
    """A network stream whose every wait ends by the current :func:`deadline`."""

    def __init__(self, inner: httpcore2.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        cut = _within(timeout)
        try:
            return self.inner.read(max_bytes, cut)
        except httpcore2.ReadTimeout:
            if cut != timeout:  # the deadline ended the wait, not the read's own timeout
                raise DeadlinePassed from None
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        cut = _within(timeout)
        try:
            self.inner.write(buffer, cut)
        except httpcore2.WriteTimeout:
            if cut != timeout:
                raise DeadlinePassed from None
            raise

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore2.NetworkStream:
        inner = self.inner.start_tls(ssl_context, server_hostname, _within(timeout))
        return _DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class GuardedBackend(httpcore2.NetworkBackend):
    """An httpcore2 network backend that connects only to addresses the policy allows."""

    def __init__(
        self,
        policy: AddressPolicy,
        resolve: Resolver = system_resolver,
        inner: httpcore2.NetworkBackend | None = None,
    ) -> None:
        self.policy = policy
        self.resolve = resolve
        self.inner = inner or httpcore2.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        addresses = self.resolve(host, port)
        if not addresses:
            raise httpcore2.ConnectError(f"{host} has no address")
        for ip in addresses:
            why = self.policy.refusal(ip)
            if why is not None:
                if _same(host, ip):
                    raise AddressRefused(f"refused: {ip} is {why}")
                # Whoever asked (a Slack user's /brief add) learns the kind, not the
                # address: what an internal name resolves to is the operator's to read.
                log.info("refused %s: it resolves to %s, %s", host, ip, why)
                raise AddressRefused(f"refused: {host} is not a public address: it is {why}")
        failure: Exception | None = None
        for ip in addresses:
            try:
                stream = self.inner.connect_tcp(
                    str(ip), port, _within(timeout), local_address, socket_options
                )
            except httpcore2.ConnectError as exc:
                failure = exc
                continue
            self._check_peer(host, ip, stream)
            return _DeadlineStream(stream)
        assert failure is not None
        raise failure

    def _check_peer(self, host: str, expected: IPAddress, stream: httpcore2.NetworkStream) -> None:
        """Refuse the connection unless its peer is the checked address, and allowed."""
        peer = stream.get_extra_info("server_addr")
        try:
            ip = _address(str(peer[0]))
        except (TypeError, IndexError, ValueError):
            stream.close()
            raise AddressRefused(
                f"refused: cannot tell which address {host} connected to"
            ) from None
        why = self.policy.refusal(ip)
        if why is not None or ip != expected:
            stream.close()
            log.info(
                "refused %s: the connection reached %s, %s",
                host,
                ip,
                why or f"not the checked address {expected}",
            )
            raise AddressRefused(
                f"refused: the connection to {host} reached "
                + (why or "another address than the one checked")
            )

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore2.NetworkStream:
        raise AddressRefused("refused: briefbot does not fetch over Unix sockets")


def _same(host: str, ip: IPAddress) -> bool:
    try:
        return _address(host.strip("[]")) == ip
    except ValueError:
        return False


def parse_networks(values: Sequence[str]) -> tuple[IPNetwork, ...]:
    """``["127.0.0.1/32", ...]`` as networks (for :attr:`AddressPolicy.also_allow`)."""
    return tuple(ipaddress.ip_network(v, strict=False) for v in values)
