import os

# Under SAMENORG_REQUIRE_ALL=1 (CI) tests that need a browser or services must run, never skip.
REQUIRE_ALL = os.environ.get("SAMENORG_REQUIRE_ALL") == "1"
