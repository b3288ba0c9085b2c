"""The safeguarding lead's desk (issue 13): the window, its badge and the record view's
amendment requests."""
