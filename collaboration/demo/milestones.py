def seed_demo_milestones() -> None:
    """TODO(helper): write the demo milestones through the services."""
