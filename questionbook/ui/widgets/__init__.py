"""Widgets of the main window; each receives only the services it uses."""
