"""`journeybot console`, driven through its standard input as a script of lines, as CI runs it."""
from pathlib import Path

from tests.cli_process import journeybot


def console(tmp_path: Path, *lines: str) -> str:
    """Runs the console with these lines typed in; returns everything it printed."""
    result = journeybot("console", cwd=tmp_path, input="\n".join(lines) + "\n",
                        DATABASE_URL=f"sqlite:///{tmp_path / 'console.sqlite3'}")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def test_a_workshop_played_by_hand(tmp_path):
    transcript = console(
        tmp_path,
        "/journey start Onboarding template:understand",
        "reply 2 A new hire on their first day #interview",
        "edit 4 A new hire on their very first day",
        "reply 2 Someone from another galaxy",
        "delete 5",
        "as ana",
        "/journey next",
        "click 2 Answer",
        "A manager hiring for the first time",
        "2",
        "as lena",
        "/journey summary",
        "home",  # no Home tab yet, or the one the app publishes: either way no warning on stderr
        "quit",
    )
    assert "#1 journeybot\n    :world_map: *Onboarding*: a customer journey workshop, led by @Lena." in transcript
    assert "#2 journeybot\n    Step 1 of 10 · Understand\n    The end user and their problem\n" in transcript
    assert "    [Answer]\n" in transcript
    assert "#3 journeybot · only visible to you\n    You started *Onboarding*" in transcript
    assert ("    #4 Lena · in the thread of #2\n        A new hire on their first day #interview\n"
            "        :white_check_mark: journeybot\n") in transcript
    assert ("    #4 Lena · updated · in the thread of #2\n        - A new hire on their first day #interview\n"
            "        + A new hire on their very first day\n") in transcript
    assert "#5 was deleted." in transcript
    assert "You are now Ana.\nAna> /journey next\n" in transcript
    assert ("#6 journeybot · only visible to you\n"
            "    Only the workshop's lead (@Lena) can do that. Nothing was changed.") in transcript
    assert "Where does this come from? (Enter keeps “Assumption”)" in transcript
    assert "Sent." in transcript

    summary = transcript.split("Journey summary: Onboarding")[1]
    assert "• A new hire on their very first day — _Lena_" in summary
    assert "• A manager hiring for the first time — _Ana_ `research`" in summary
    assert "galaxy" not in summary


def test_a_modal_the_app_sends_back_is_asked_again_and_a_private_question_is_answered_by_button(tmp_path):
    transcript = console(
        tmp_path,
        "/journey start Onboarding template:understand",
        "/journey next",
        "/journey next",  # Phase 1: Awareness
        "click 6 Answer",
        "feels",
        "badly signposted corridors",
        "", "", "",  # no feeling, no why, the evidence as it is
        "negative",  # asked again: the app wants a feeling
        "reply 6 asks the receptionist for the way",
        "click 9 does",
        "as bram",
        "click 6 Answer",
        "cancel",
        "as lena",
        "/journey summary",
    )
    assert "The form came back with a problem:\n  How does the end user feel?: Pick how the end user feels." in transcript
    assert "Sent." in transcript
    assert ("    #9 journeybot · only visible to you · in the thread of #6\n"
            "        Where does your answer belong? “asks the receptionist for the way”\n"
            "        [Does] [Thinks] [Feels] [Touchpoints and channels]") in transcript
    assert "        + Filed under *Does*: “asks the receptionist for the way”" in transcript
    assert "Closed the form without sending it." in transcript
    summary = transcript.split("Journey summary: Onboarding")[1]
    assert ":disappointed: badly signposted corridors — _Lena_" in summary
    assert "asks the receptionist for the way — _Lena_" in summary.split("_Does_")[1]
    assert "Bye." in transcript  # the input ended: the console said goodbye rather than crash


def test_the_console_shows_the_workshops_canvas(tmp_path):
    transcript = console(tmp_path, "canvas", "/journey start Onboarding canvas:on", "reply 2 A new hire # on day one",
                         "/journey next", "canvas", "quit")
    assert "This channel has no canvas: start a workshop with `canvas:on`" in transcript
    assert "Canvas “Journey summary: Onboarding” (edits since it was made: 1):" in transcript
    assert "- A new hire \\# on day one — Lena" in transcript
