"""A SIMS-style pupil export of any size, in memory, for the import figure.

The layout is ``tests/fixtures/mis/sims-style.csv``'s (codes, dd/mm/yyyy dates, two
contacts with an address); every pupil, parent, address, phone number (Ofcom's drama
range) and email address (example.org) is made up. UPNs are valid and unique.
"""

from __future__ import annotations

import csv
import io
import random

from incident_recorder.domain.ethnicity import ETHNICITY_CODES
from incident_recorder.domain.pupils import make_upn

FIRST = [
    ("Amara", "F"), ("Tomasz", "M"), ("Siân", "F"), ("Kwame", "M"), ("Zoë", "F"),
    ("Aarav", "M"), ("Niamh", "F"), ("Oluwaseun", "M"), ("Mei", "F"), ("Dylan", "M"),
    ("Fatima", "F"), ("Jakub", "M"), ("Isla", "F"), ("Rhys", "M"), ("Leila", "F"),
    ("Kofi", "M"), ("Ffion", "F"), ("Hamza", "M"), ("Ewa", "F"), ("Callum", "M"),
]  # fmt: skip
LAST = [
    "Okafor", "Nowak", "Griffiths", "Mensah", "Ó Briain", "Patel", "Byrne", "Adeyemi",
    "Chen", "Hughes", "Rahman", "Kowalski", "Fraser", "Llewellyn", "Haddad", "Boateng",
    "Price", "Siddiqui", "Wiśniewska", "McAllister",
]  # fmt: skip
STREETS = ["Imaginary Road", "Pretend Close", "Dream Lane", "Fable Street", "Notional Way"]
LANGUAGES = ["English", "English", "English", "Polish", "Urdu", "Yoruba", "Welsh", "Cantonese"]
SEN = [("N", ""), ("N", ""), ("N", ""), ("K", "SEMH"), ("K", "SLCN"), ("E", "ASD")]
HEADER = [
    "UPN", "Legal Surname", "Legal Forename", "Preferred Forename", "DOB", "Year",
    "Reg Group", "Gender", "Ethnicity", "SEN Status", "Primary Need", "In Care", "FSM",
    "First Language",
    "Contact 1 Name", "Contact 1 Relationship", "Contact 1 Parental Responsibility",
    "Contact 1 Address", "Contact 1 Phone", "Contact 1 Email", "Contact 1 Correspondence",
    "Contact 2 Name", "Contact 2 Relationship", "Contact 2 Parental Responsibility",
    "Contact 2 Phone",
]  # fmt: skip


def sims_export(pupils: int, seed: int = 2026, new_classes: bool = False) -> bytes:
    """``pupils`` rows of a SIMS-style export (UTF-8 with a byte-order mark, as SIMS
    writes it), Reception to Year 6, in surname order as an MIS report lists them.
    ``new_classes``: the same pupils, each in another class (every one an update)."""
    rng = random.Random(seed)
    codes = list(ETHNICITY_CODES)
    rows = []
    for n in range(pupils):
        first, sex = FIRST[rng.randrange(len(FIRST))]
        last = LAST[rng.randrange(len(LAST))]
        year = rng.randint(0, 6)
        born = 2020 - year
        sen, need = rng.choice(SEN)
        two = rng.random() < 0.6
        parent1 = f"{rng.choice(['Grace', 'Ola', 'Anna', 'Nia', 'Sadia'])} {last}"
        parent2 = f"{rng.choice(['David', 'Piotr', 'Emeka', 'Gareth', 'Imran'])} {last}"
        rows.append(
            [
                make_upn(873, 2041 + n // 1000, born, n % 1000), last, first, "",
                f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{born}",
                "R" if year == 0 else str(year), f"{year or 'R'}{'ABC'[(n + new_classes) % 3]}",
                sex,
                rng.choice(codes), sen, need, "Y" if n % 97 == 3 else "N",
                "Y" if rng.random() < 0.25 else "N", rng.choice(LANGUAGES),
                parent1, "Mother", "Y", f"{n % 300 + 1} {STREETS[n % 5]}, Exampletown",
                f"01632 960{n % 1000:03d}", f"{parent1.split()[0].lower()}{n}@example.org",
                "Y", parent2 if two else "", "Father" if two else "", "Y" if two else "",
                f"01632 961{n % 1000:03d}" if two else "",
            ]
        )  # fmt: skip
    rows.sort(key=lambda r: (r[1], r[2]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")
