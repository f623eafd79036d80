"""Services: every write of the municipalities app, one keyword-only function per use case."""
