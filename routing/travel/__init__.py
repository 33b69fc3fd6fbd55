"""Distances, travel-time providers and geocoders."""
