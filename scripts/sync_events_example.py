#!/usr/bin/env python3
"""A partner system keeping up with Samen Organiseren through the events feed: standard library only.

    SAMENORG_API_KEY=sok_... python3 scripts/sync_events_example.py https://samenorganiseren.example

It reads every event after the last position it processed, hands each to ``handle`` (here: print), and
stores the position after each event in a small state file, so a crash or restart resumes where it
stopped and never skips an event. Run it from cron, or in a loop with a pause. See docs/api.md.
"""

import argparse
import json
import os
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

Event = dict[str, Any]


def fetch(url: str, api_key: str | None) -> dict[str, Any]:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310 (https URL given)
    if api_key:
        request.add_header("X-Api-Key", api_key)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.load(response)


def sync(base_url: str, after: int, handle: Callable[[Event], None], *, api_key: str | None = None) -> int:
    """Hand every event after position ``after`` to ``handle``, in order; returns the last position
    handled (``after`` itself when there was nothing new). ``handle`` must finish before the next event:
    store the returned position only after it has."""
    url: str | None = f"{base_url.rstrip('/')}/api/v1/events?after={after}&pageSize=100"
    while url:
        page = fetch(url, api_key)
        for event in page["results"]:
            handle(event)
            after = event["position"]
        url = page["next"] if page["results"] else None
    return after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url", help="the platform, e.g. https://samenorganiseren.example")
    parser.add_argument("--state", default="samenorg-position.txt", help="file with the last position handled")
    arguments = parser.parse_args()
    state = Path(arguments.state)
    after = int(state.read_text()) if state.exists() else 0

    def handle(event: Event) -> None:
        print(event["position"], event["type"], event["initiative"] or event["standard"])  # noqa: T201
        state.write_text(str(event["position"]))  # after handling: a restart resumes after this one

    last = sync(arguments.base_url, after, handle, api_key=os.environ.get("SAMENORG_API_KEY"))
    print(f"up to date at position {last}", file=sys.stderr)  # noqa: T201


if __name__ == "__main__":
    main()
