"""The PySide6 user interface. No SQL and no policy rules live here."""
