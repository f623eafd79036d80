"""How the platform's connections to PostgreSQL are set up."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_platform_connects_with_just_in_time_compilation_off():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
