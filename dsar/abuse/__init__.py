"""Abuse of the public side: budgets per address, email and controller, and proof of work."""
