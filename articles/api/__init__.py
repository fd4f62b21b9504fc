"""REST API of the articles app."""
