"""The command line's parser: every sub-command that signs in takes --data-dir and
--user; the PDF commands take -o FILE and --overwrite; the set-up commands sign nobody
in. (The wording of --help is the e2e tests' and docs/command-line.md's.)"""

from __future__ import annotations

import pytest

from incident_recorder import cli

SIGNS_IN = (
    ("list",),
    ("export", "--json", "out.json"),
    ("record", "2026-0001", "-o", "out.pdf"),
    ("letter", "2026-0001", "-o", "out.pdf"),
    ("import", "--json", "in.json"),
    ("pupils", "import", "pupils.csv"),
    ("pupils", "list"),
    ("verify",),
    ("user", "add", "r.mensah", "--full-name", "Ruth Mensah"),
)


@pytest.mark.parametrize("words", SIGNS_IN, ids=lambda words: " ".join(words[:2]))
def test_every_command_that_signs_in_takes_the_folder_and_the_account(
    words: tuple[str, ...],
) -> None:
    args = cli.build_parser().parse_args([*words, "--data-dir", "D:/records", "--user", "h.ali"])
    assert (args.data_dir, args.user) == ("D:/records", "h.ali")
    assert callable(args.run) and args.run is not cli._cmd_gui


@pytest.mark.parametrize("command", ["record", "letter"])
def test_the_pdf_commands_take_an_output_file_and_overwrite(command: str) -> None:
    parser = cli.build_parser()
    args = parser.parse_args([command, "2026-0007", "--output", "copy.pdf", "--overwrite"])
    assert (args.reference, args.output, args.overwrite) == ("2026-0007", "copy.pdf", True)
    assert parser.parse_args([command, "2026-0007", "-o", "copy.pdf"]).overwrite is False
    with pytest.raises(SystemExit):
        parser.parse_args([command, "2026-0007"])  # -o is required


def test_export_may_overwrite_too() -> None:
    args = cli.build_parser().parse_args(["export", "--json", "out.json", "--overwrite"])
    assert args.overwrite is True


@pytest.mark.parametrize("words", [("init", "--school", "Oakfield", "--admin", "a"), ("demo",)])
def test_the_set_up_commands_sign_nobody_in(words: tuple[str, ...]) -> None:
    parser = cli.build_parser()
    assert parser.parse_args([*words, "--data-dir", "D:/records"]).data_dir == "D:/records"
    with pytest.raises(SystemExit):
        parser.parse_args([*words, "--user", "h.ali"])
