"""REST API of the entities app."""
