"""A synthetic delivery city (Shanghai) for demos, tests and the simulator."""
