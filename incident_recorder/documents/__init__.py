"""Printable documents made with reportlab. In: domain objects. Out: PDF bytes.

Nothing here imports Qt, SQL, the store, the services or the UI (import-linter checks
it), and reportlab itself is imported only when a document is first made, never while
the app starts.
"""
