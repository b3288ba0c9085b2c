"""Administration ▸ School calendar… (issue 14): the terms and closures that decide what
counts as a school day everywhere in the app."""
