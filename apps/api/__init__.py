"""The HTTP API: tracking links and chat for customers, operator endpoints behind API keys."""
