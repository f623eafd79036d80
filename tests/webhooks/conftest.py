"""A real HTTP receiver on a loopback port, a clock the tests can move, and a resolver for made-up names."""

import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from samenorg.core.actors import Actor
from tests.factories import MembershipFactory


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Receiver:
    """Records each POST and answers with the replies queued by the test (200 "ok" when none is)."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.received: list[Received] = []
        self.replies: deque[Reply] = deque()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook?from=samenorg"

    def reply(self, *replies: Reply) -> None:
        self.replies.extend(replies)


@pytest.fixture
def receiver():
    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True  # answer at once, as a real receiver would

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            owner.received.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
            reply = owner.replies.popleft() if owner.replies else Reply()
            time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    owner = Receiver(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield owner
    server.shutdown()
    server.server_close()


@pytest.fixture
def allow_private(settings):
    """The receiver listens on loopback, which webhooks refuse unless this setting allows it."""
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True


class Clock:
    def __init__(self) -> None:
        self.now = timezone.now()

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    """``timezone.now`` under the test's control, so due times can pass without waiting."""
    moving = Clock()
    monkeypatch.setattr(timezone, "now", lambda: moving.now)
    return moving


@pytest.fixture
def dns(monkeypatch):
    """Made-up host names resolve to the addresses the test gives (``dns["partner.example"] = [...]``);
    addresses and other names resolve as usual."""
    table: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in table:
            return real(host, port, *args, **kwargs)
        return [
            (socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in table[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


def member_of(name: str, *, coordinator: bool = False) -> Actor:
    membership = MembershipFactory(
        organisation__name=f"Gemeente {name}", organisation__municipality__name=name, coordinator=coordinator
    )
    return Actor(organisation=membership.organisation, user=membership.user)
