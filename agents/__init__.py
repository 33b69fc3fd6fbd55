"""LLM agents for customer service and dispatch, over the local model instance."""
