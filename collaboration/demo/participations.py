def seed_demo_participations() -> None:
    """TODO(helper): write the demo participations through the services."""
