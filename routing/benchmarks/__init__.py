"""Benchmark-format solvers (Solomon VRPTW, Li & Lim PDPTW), their result type and checker."""
