"""API routes, one module per audience."""
