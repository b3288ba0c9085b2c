"""``python -m incident_recorder``: the same as the ``incident-recorder`` command."""

from incident_recorder.launcher import main

raise SystemExit(main())
