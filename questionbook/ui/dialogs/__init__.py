"""Dialogs: settings and others, each built from what it is handed."""
