"""A tau-bench-style task suite for the agents, shared by the benchmark and the tests."""
