"""One HTTP POST to a checked target, with the standard library.

It connects to an address ``targets`` approved (TLS still verifies the host name), follows no redirect
(http.client never does; a 3xx is a failure), gives up after ``WEBHOOKS_TIMEOUT_SECONDS`` of silence,
and reads at most ``WEBHOOKS_RESPONSE_MAX_BYTES`` of the answer."""

import http.client
import socket
import ssl
from dataclasses import dataclass

from django.conf import settings

from .targets import Target

USER_AGENT = "SamenOrganiseren-Webhooks/1.0"


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes  # the first bytes only


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address given, not to whatever the host name resolves to now."""

    def __init__(self, target: Target, address: str, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)
        # http.client sends the headers and the body apart: without this, Nagle's algorithm and the
        # receiver's delayed ACK hold the body back for tens of milliseconds.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(_PinnedHTTPConnection):
    default_port = http.client.HTTPS_PORT

    def connect(self) -> None:
        super().connect()
        self.sock = ssl.create_default_context().wrap_socket(self.sock, server_hostname=self.host)


def post(target: Target, *, headers: dict[str, str], body: bytes) -> Answer:
    """POST ``body`` to the first of the target's addresses that answers. Raises ``OSError`` (refused,
    timed out, TLS) or ``http.client.HTTPException`` (not HTTP) when none does."""
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    timeout = settings.WEBHOOKS_TIMEOUT_SECONDS
    last_error: OSError | None = None
    for address in target.addresses:
        connection = connection_class(target, address, timeout)
        try:
            try:
                connection.connect()
            except OSError as error:
                last_error = error
                continue
            connection.request("POST", target.path, body=body, headers={"User-Agent": USER_AGENT, **headers})
            response = connection.getresponse()
            return Answer(status=response.status, body=response.read(settings.WEBHOOKS_RESPONSE_MAX_BYTES))
        finally:
            connection.close()
    raise last_error or OSError("no address to connect to")
