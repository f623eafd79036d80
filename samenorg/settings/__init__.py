"""Settings modules: ``local`` (``make run``, ``manage.py``), ``test`` and ``production``. This package imports
none of them, so that production's checks run before anything of the base settings starts."""
