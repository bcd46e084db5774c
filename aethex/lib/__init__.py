"""Helpers with no Django in them."""
