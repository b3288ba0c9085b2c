"""The letter to parents and carers in the app: the dialog and the record-view button."""
