def seed_demo_comments() -> None:
    """TODO(helper): write the demo comments through the services."""
