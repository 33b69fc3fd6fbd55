"""Dispatch over the store: read a round, solve it, commit the plan compare-and-set."""
