"""Oversight (issue 14): the school's figures, disproportionality, the governors' report
and anonymised data for a local authority or trust.

``facts`` holds what goes in (one row per pupil on roll, one per incident, already
flagged by whoever gathered them); ``figures`` what comes out (the true figures, for
the roles who may see them) and ``published`` the same figures with small numbers
suppressed, for anything printed or exported. Pure: no Qt, no SQL, no I/O.
"""
