"""The desktop app (PySide6 widgets only). The core, storage and exchange never import this."""
