"""The sub-commands of ``incident-recorder`` (incident_recorder/cli.py builds the parser
and runs them). Each imports the services and store it needs only when it runs."""
