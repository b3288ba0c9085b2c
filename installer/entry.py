"""The frozen app's entry point (PyInstaller runs this file, not a console script).

The same as the ``incident-recorder`` command: no arguments opens the app; anything else
(``--self-check``, ``demo``, ``verify``…) is a command-line sub-command.
"""

from incident_recorder.launcher import main

if __name__ == "__main__":
    raise SystemExit(main())
