"""The sockets under ``requests``: an address check on every connection, and a deadline
that can cut a connection however slowly its server talks.

``requests`` only knows per-read timeouts: a server that sends one byte every few
seconds never trips one, and would hold a channel for ever. So each fetch runs under a
``Watch`` (a timer for the target's fetch deadline); every connection made or used while
it runs registers its socket there, and when the deadline passes the socket is shut down,
which ends whatever read is blocked on it. The same connection classes check the address
each new socket actually reached against the ``AddressPolicy``, which is what makes the
private-address rule hold even when a name resolves differently from one look-up to the
next. Connections through a configured proxy are not address-checked (the peer is the
proxy the operator chose) but are still cut at the deadline.

These are subclasses of urllib3's connection classes, plugged into the pool managers of
a ``requests`` adapter; nothing else of ``requests`` is changed.
"""
from __future__ import annotations

import socket
import threading
from typing import Any, Self

import requests.adapters
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager

from mi.transport.addresses import AddressPolicy

_current = threading.local()


class Watch:
    """The deadline of one fetch on this thread: registered sockets are shut down at ``seconds``."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._done = False
        self._timer = threading.Timer(max(seconds, 0.0), self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Self:
        _current.watch = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._done = True
            self._sockets.clear()
        self._timer.cancel()
        _current.watch = None

    def register(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            if self._done:
                return
            if self.expired:
                _shutdown(sock)
                return
            if not any(known is sock for known in self._sockets):
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            for sock in self._sockets:
                _shutdown(sock)


def current_watch() -> Watch | None:
    return getattr(_current, "watch", None)


def _shutdown(sock: socket.socket) -> None:
    # Shutting down (not closing) wakes a thread blocked in recv on this socket; the
    # owner then closes it as after any broken connection.
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed, or wrapped by TLS since: the wrapper is registered too


class _Guarded:
    """What both connection classes add: the peer check and the registration with the watch."""

    policy: AddressPolicy  # set on the per-transport subclasses made by ``_bound``
    host: str
    proxy: Any
    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        watch = current_watch()
        if watch is not None:
            watch.register(sock)
        if not self.proxy:
            try:
                self.policy.check_peer(self.host, sock.getpeername()[0])
            except Exception:
                sock.close()
                raise
        return sock

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        watch = current_watch()
        if watch is not None:
            watch.register(self.sock)  # after TLS: the wrapped socket

    def request(self, *args: Any, **kwargs: Any) -> None:
        watch = current_watch()
        if watch is not None:
            watch.register(self.sock)  # a kept-alive connection reused by this fetch
        super().request(*args, **kwargs)  # type: ignore[misc]


def _bound(policy: AddressPolicy) -> dict[str, type]:
    """Pool classes whose connections check against ``policy``."""
    http_conn = type("GuardedHTTPConnection", (_Guarded, HTTPConnection), {"policy": policy})
    https_conn = type("GuardedHTTPSConnection", (_Guarded, HTTPSConnection), {"policy": policy})
    return {
        "http": type("GuardedHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http_conn}),
        "https": type("GuardedHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https_conn}),
    }


class GuardedAdapter(requests.adapters.HTTPAdapter):
    """A ``requests`` adapter whose every connection is address-checked and deadline-bound."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._pool_classes = _bound(policy)
        super().__init__(max_retries=0)  # retries are the transport's own decision

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # SOCKS managers bring their own connections
            manager.pool_classes_by_scheme = self._pool_classes
        return manager


def guarded_session(policy: AddressPolicy) -> requests.Session:
    session = requests.Session()
    adapter = GuardedAdapter(policy)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session
