"""Webhooks go to the public internet only: every address a URL leads to is checked."""

import ipaddress

import pytest
from django.utils import translation

from webhooks.targets import TargetRefusedError, refusal, target_resolve

REFUSED = [
    "127.0.0.1",  # loopback
    "127.8.9.10",
    "10.1.2.3",  # private
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # link-local: the cloud metadata service
    "100.64.0.1",  # shared address space (carrier NAT)
    "0.0.0.0",  # unspecified  # noqa: S104
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "192.0.2.1",  # documentation
    "::1",
    "::",
    "fe80::1",
    "fc00::1",  # unique local
    "ff02::1",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2001:db8::1",  # documentation
]


@pytest.fixture(autouse=True)
def _in_english():
    """The reasons are asserted in English; the site shows them in the visitor's language."""
    with translation.override("en"):
        yield


PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34", "64:ff9b::5db8:d822"]


@pytest.mark.parametrize("address", REFUSED)
def test_loopback_private_link_local_multicast_reserved_and_unspecified_addresses_are_refused(address):
    assert refusal(ipaddress.ip_address(address)) is not None


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert refusal(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://93.184.216.34/hook", "https"),
        ("ftp://93.184.216.34/hook", "https"),
        ("https:///hook", "host"),
        ("https://user:pass@93.184.216.34/hook", "password"),
        ("https://93.184.216.34:99999/hook", "port"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://[::1]:8443/hook", "loopback"),
        ("https://[::ffff:192.168.0.1]/hook", "private"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
    ],
)
def test_a_url_is_refused_with_the_reason(url, reason):
    with pytest.raises(TargetRefusedError, match=reason):
        target_resolve(url)


def test_every_address_of_a_name_is_checked_not_only_the_first(dns):
    dns["partner.example"] = ["93.184.216.34", "10.0.0.7"]

    with pytest.raises(TargetRefusedError, match=r"10\.0\.0\.7"):
        target_resolve("https://partner.example/hook")


def test_a_name_that_does_not_resolve_is_refused(dns):
    dns["nowhere.example"] = []

    with pytest.raises(TargetRefusedError, match="could not be found"):
        target_resolve("https://nowhere.example/hook")


def test_a_public_target_keeps_its_addresses_port_and_path(dns):
    dns["partner.example"] = ["93.184.216.34", "2606:4700:4700::1111"]

    target = target_resolve("https://partner.example:8443/in/hook?key=1")

    assert (target.host, target.port, target.path) == ("partner.example", 8443, "/in/hook?key=1")
    assert target.addresses == ("93.184.216.34", "2606:4700:4700::1111")


def test_the_setting_for_tests_allows_loopback_and_plain_http(settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = True

    assert target_resolve("http://127.0.0.1:8000/hook").addresses == ("127.0.0.1",)
