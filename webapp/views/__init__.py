"""Blueprints, one per family of pages."""
