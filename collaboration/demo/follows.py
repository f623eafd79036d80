def seed_demo_follows() -> None:
    """TODO(helper): write the demo follows through the services."""
