"""Demand forecasting: pure models and backtests, and the batch jobs over the store."""
