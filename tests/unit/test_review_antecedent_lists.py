"""The kinds of antecedent: shipped in resources/picklists.toml, copied into the school's
settings at set-up (as the other pick-lists are)."""

from __future__ import annotations

from pathlib import Path

from incident_recorder.domain.model import PickLists, SchoolDetails
from incident_recorder.infra.picklists import load_pick_lists
from incident_recorder.services.accounts import AccountService, SetupRequest
from tests.fakes import FakeClock, FakeStoreFactory, FakeVault


def test_the_shipped_list_of_antecedent_kinds_loads() -> None:
    kinds = load_pick_lists().antecedents
    assert kinds[0] == "Demand or task given"
    assert kinds[-1] == "Not known"
    assert "Unstructured time (break, lunch)" in kinds
    assert len(kinds) == 12 and len({k.casefold() for k in kinds}) == 12


def test_a_file_without_antecedents_gives_an_empty_list(tmp_path: Path) -> None:
    file = tmp_path / "picklists.toml"
    file.write_text('[antecedents]\nitems = [" Change to routine ", " "]\n', encoding="utf-8")
    assert load_pick_lists(file).antecedents == ("Change to routine",)
    file.write_text('[locations]\nitems = ["Hall"]\n', encoding="utf-8")
    assert load_pick_lists(file).antecedents == ()


def test_set_up_copies_the_kinds_into_the_schools_settings() -> None:
    stores = FakeStoreFactory()
    lists = PickLists(techniques=("Single elbow",), antecedents=("Told no / asked to stop",))
    accounts = AccountService(FakeVault(), stores, FakeClock(), lists)
    result = accounts.set_up(
        SetupRequest(
            school=SchoolDetails(name="Larkfield Primary", address="1 Orchard Lane"),
            admin_full_name="Siân Griffiths",
            admin_username="s.griffiths",
            passphrase="correct horse battery staple 42",
        )
    )
    settings = result.session.settings()
    assert settings.antecedent_types == ("Told no / asked to stop",)
    assert settings.techniques == ("Single elbow",)
    assert settings.review_incident_threshold == 3
