"""Fixtures of the integration tests that start the platform's own processes: a new database on the test
server, a redis-server of the test's own, and a mail server that keeps what it receives."""

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import psycopg
import pytest
from aiosmtpd.controller import Controller

from tests.integration.support import Mailbox, PrivateRedis, database_url_of_the_test_database, free_port


@pytest.fixture
def database_url() -> Iterator[str]:
    """A new, empty database on the test server (the processes started migrate it), dropped afterwards."""
    name = f"t_topology_{uuid.uuid4().hex[:12]}"
    server = urlsplit(database_url_of_the_test_database())._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlsplit(server)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def broker() -> Iterator[PrivateRedis]:
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on a free loopback port; returns the messages it received and its port."""
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()
