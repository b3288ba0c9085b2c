"""Each adult's own account of a record (issue 13): the editor, the list, the tab."""
