"""Routing: pure solvers for delivery problems, and the dispatch service over the store."""
