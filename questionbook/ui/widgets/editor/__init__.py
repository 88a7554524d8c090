"""The editor pane (right-hand side of the main window) and its parts."""
