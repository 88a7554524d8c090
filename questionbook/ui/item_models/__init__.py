"""Thin, lazy Qt item models over service results."""
