"""Whole pages the main window shows beside its entry views (review, insights)."""
