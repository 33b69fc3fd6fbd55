"""The live city: orders arrive, merchants cook, couriers ride, dispatch plans, customers complain.

Every tick of simulated time is one transaction on the shared store, together with the
simulation's clock, so the dashboard and the tracking page see the city move and a
restarted simulation picks up exactly where the last committed tick left off.
"""
