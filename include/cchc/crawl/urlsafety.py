"""Which URLs the crawler may request: http(s) only, and no private, loopback or link-local
targets unless the portal's registry entry allows them (a discovered link may point anywhere)."""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeURLError(ValueError):
    pass


def check_url(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURLError(f"{url}: scheme {parts.scheme or '(none)'!r} is not http(s)")
    host = parts.hostname
    if not host:
        raise UnsafeURLError(f"{url}: no host")
    if allow_private:
        return
    for address in _addresses(host, parts.port or (443 if parts.scheme == "https" else 80)):
        ip = ipaddress.ip_address(address)
        if ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast or ip.is_unspecified:
            raise UnsafeURLError(f"{url}: {host} resolves to {ip}, a non-public address (the registry entry does not allow private targets)")


def _addresses(host: str, port: int) -> list[str]:
    try:
        return [ipaddress.ip_address(host).compressed]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise UnsafeURLError(f"{host}: cannot resolve ({exc})") from None
    return sorted({info[4][0] for info in infos})
