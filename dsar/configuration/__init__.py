"""A controller's settings, managed by its admins in the officer app (issue 19).

Every change goes through a service here that writes a ``ControllerEvent`` (who, what,
before and after) in the same transaction; the settings pages only collect and show.
"""
