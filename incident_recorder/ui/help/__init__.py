"""The Help menu: the bundled user guide (F1) and About Incident Recorder."""
