"""The Reports screen (issue 14): the school's figures, the governors' report and the
data for the local authority or trust."""
