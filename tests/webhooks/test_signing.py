"""Signatures by the Standard Webhooks scheme, checked against the scheme's own example."""

import base64
import hashlib
import hmac

from webhooks.signing import secret_new, signature


def test_the_signature_matches_the_example_of_the_standard_webhooks_reference_library():
    # The sign test of the scheme's reference libraries: this secret, id, timestamp and body give this header.
    assert (
        signature(
            secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            webhook_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
            timestamp=1614265330,
            body=b'{"test": 2432232314}',
        )
        == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_a_new_secret_is_whsec_and_32_random_bytes_in_base64():
    first, second = secret_new(), secret_new()

    assert first.startswith("whsec_")
    assert len(base64.b64decode(first.removeprefix("whsec_"))) == 32
    assert first != second


def test_a_receiver_checks_the_signature_with_the_decoded_secret():
    secret = secret_new()
    body = b'{"specversion":"1.0"}'

    header = signature(secret=secret, webhook_id="msg_1", timestamp=1_700_000_000, body=body)

    key = base64.b64decode(secret[len("whsec_") :])
    expected = base64.b64encode(hmac.new(key, b"msg_1.1700000000." + body, hashlib.sha256).digest()).decode()
    assert header == f"v1,{expected}"
