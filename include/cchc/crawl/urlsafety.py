"""Which URLs the crawler may request: http(s) only, and only globally routable targets (a
discovered link or a redirect may point anywhere, cloud metadata services included).

A registry entry with ``allow_private: true`` (the sample portals on 127.0.0.x) may also
reach loopback and private addresses, never link-local ones or the carrier-grade NAT range
100.64.0.0/10, where metadata services live (169.254.169.254, 100.100.100.200).
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeURLError(ValueError):
    def __init__(self, url: str, reason: str):
        super().__init__(f"{url}: {reason}")
        self.url, self.reason = url, reason


def check_url(url: str, allow_private: bool) -> None:
    """Raise UnsafeURLError unless every address the URL's host resolves to may be fetched."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURLError(url, f"scheme {parts.scheme or '(none)'!r} is not http(s)")
    host = parts.hostname
    if not host:
        raise UnsafeURLError(url, "no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:  # a port out of range, from a link or a Location header
        raise UnsafeURLError(url, str(exc)) from None
    # Every address counts: the connection may go to any of them.
    for address in _addresses(url, host, port):
        ip = _unwrap(ipaddress.ip_address(address))
        if _allowed(ip, allow_private):
            continue
        what = f"{host} is" if str(ip) == host else f"{host} resolves to {ip}, which is"
        unless = "; the registry entry does not allow private targets" if _allowed(ip, True) else ""
        raise UnsafeURLError(url, f"{what} a non-public address, not globally routable{unless}")


def _allowed(ip: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> bool:
    if ip.is_multicast or ip.is_unspecified or ip.is_link_local:
        return False
    if allow_private and (ip.is_loopback or ip.is_private):
        return True
    # is_private misses 100.64.0.0/10; is_global does not.
    return ip.is_global


def _unwrap(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4): the one actually reached."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return ip.ipv4_mapped
        if ip in _NAT64:
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour:
            return ip.sixtofour
    return ip


def _addresses(url: str, host: str, port: int) -> list[str]:
    try:
        return [ipaddress.ip_address(host).compressed]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise UnsafeURLError(url, f"cannot resolve {host} ({exc})") from None
    # An IPv6 scope ("fe80::1%eth0") is not part of the address.
    return sorted({info[4][0].split("%", 1)[0] for info in infos})
