"""Routing, in four parts that point one way.

- ``routing.travel``: distances, travel-time providers and geocoders (pure, or a server's client).
- ``routing.benchmarks``: the benchmark-format solvers (Solomon VRPTW, Li & Lim PDPTW) and
  their checker, raced against PyVRP and VROOM in ``bench/``.
- ``routing.live``: the live food-delivery engine: a round as immutable data in, a plan out.
- ``routing.service``: the one part that reads and writes the store: a round's input, the
  compare-and-set commit, and proposals waiting for an operator's yes.
"""
