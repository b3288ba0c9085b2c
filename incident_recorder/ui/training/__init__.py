"""Staff training (issue 13): the training window, its entry and import dialogs."""
