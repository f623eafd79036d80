"""Standard Webhooks signatures (https://www.standardwebhooks.com), written here with the standard
library: no implementation of the scheme is a dependency of the platform.

A secret is ``whsec_`` followed by the base64 of random bytes. A message is signed as the base64 of
HMAC-SHA256, keyed with those bytes, over ``"{webhook-id}.{webhook-timestamp}.{body}"``, and sent as
``webhook-signature: v1,<signature>``."""

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 (the scheme's prefix, not a secret)
SECRET_BYTES = 32  # the scheme asks for 24 to 64


def secret_new() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def signature(*, secret: str, webhook_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value of ``body`` sent as ``webhook_id`` at ``timestamp``."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")
