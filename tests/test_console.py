"""`journeybot console`, driven through its standard input as a script of lines, as CI runs it."""
from pathlib import Path

from tests.cli_process import journeybot


def console(tmp_path: Path, *lines: str, **settings: str) -> str:
    """Runs the console with these lines typed in (and these settings); returns everything it printed."""
    result = journeybot("console", cwd=tmp_path, input="\n".join(lines) + "\n",
                        DATABASE_URL=f"sqlite:///{tmp_path / 'console.sqlite3'}", **settings)
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

    home = transcript.split("Lena> home")[1]
    assert "*Onboarding* in #journey-workshop" in home  # the channel by name, as Slack shows it

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
            "        It is stored, and shows as _not sorted yet_ until you pick; you can also sort it later on "
            "journeybot's Home tab.\n"
            "        [Does] [Thinks] [Feels] [Touchpoints and channels]") in transcript
    assert "        + Filed under *Does*: “asks the receptionist for the way”" in transcript
    assert "Closed the form without sending it." in transcript
    summary = transcript.split("Journey summary: Onboarding")[1]
    assert ":disappointed: badly signposted corridors — _Lena_" in summary
    assert "asks the receptionist for the way — _Lena_" in summary.split("_Does_")[1]
    assert "Bye." in transcript  # the input ended: the console said goodbye rather than crash


def test_same_label_buttons_are_told_apart_by_place_or_nearby_words_and_names_mention_people(tmp_path):
    transcript = console(
        tmp_path,
        "/journey start Onboarding",
        "people",
        "/journey lead @ana",
        "/journey hmw add How might we help?",
        "/journey hmw add How might we listen?",
        "/journey hmw",
        "click 8 Vote",
        "click 8 Vote 2",
        "click 8 Vote help",
        "click 8 Vote 3",
        "quit",
    )
    assert "In #journey-workshop: Lena (U0LENA, lead), Ana (U0ANA), Bram (U0BRAM)" in transcript
    assert "`/journey lead @Ana`" in transcript
    assert ":handshake: @Ana now co-leads *Onboarding* with the same controls, added by @Lena." in transcript
    assert ("Message #8 has 2 buttons “Vote”. Say which by its place or by words next to it, "
            "e.g. `click 8 Vote 2` or `click 8 Vote <words>`.") in transcript
    assert "You voted for “How might we listen?”. Votes left: 2 of 3." in transcript
    assert "You voted for “How might we help?”. Votes left: 1 of 3." in transcript
    assert "Message #8 has no button “Vote 3”. Its buttons: [Vote], [Vote]." in transcript


def test_the_console_speaks_dutch_and_says_how_to_pick_a_repeated_button(tmp_path):
    result = journeybot("console", cwd=tmp_path, input="\n".join([
        "/journey start Onboarding", "people", "/journey hmw add Hoe kunnen we helpen?",
        "/journey hmw add Hoe kunnen we luisteren?", "/journey hmw", "click 6 Stem", "click 6 Stem luisteren", "quit",
    ]) + "\n", DATABASE_URL=f"sqlite:///{tmp_path / 'console.sqlite3'}", JOURNEYBOT_LANG="nl")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert "In #journey-workshop: Lena (U0LENA, leider), Ana (U0ANA)" in result.stdout
    assert ("Bericht #6 heeft 2 knoppen “Stem”. Zeg welke, met de plaats of met woorden ernaast, "
            "bijv. `click 6 Stem 2` of `click 6 Stem <woorden>`.") in result.stdout
    assert "Je stemde op “Hoe kunnen we luisteren?”." in result.stdout


def test_typed_text_reaches_the_bot_as_slack_sends_it(tmp_path):
    """The console encodes & < > as Slack does, so a typed title or reply is stored and shown as typed."""
    transcript = console(tmp_path, "/journey start Online <b>ordering</b> & co", "reply 2 <!here> a & b @Ana", "quit")
    assert ":world_map: *Online <b>ordering</b> & co*: a customer journey workshop" in transcript
    assert "    #4 Lena · in the thread of #2\n        <!here> a & b @Ana\n" in transcript


def test_the_console_shows_the_workshops_canvas(tmp_path):
    transcript = console(tmp_path, "canvas", "/journey start Onboarding canvas:on", "reply 2 A new hire # on day one",
                         "/journey next", "canvas", "quit")
    assert "This channel has no canvas: start a workshop with `canvas:on`" in transcript
    assert "Canvas “Journey summary: Onboarding” (edits since it was made: 1):" in transcript
    assert "- A new hire \\# on day one — Lena" in transcript


def test_a_journey_subcommand_typed_without_the_slash_command_is_pointed_to_it(tmp_path):
    transcript = console(tmp_path, "/journey start Onboarding", "status", "next due:2d", "statsu", "quit")
    assert "I don't know `status`. Did you mean `/journey status`? Type `help` to see what you can do." in transcript
    assert "Did you mean `/journey next due:2d`?" in transcript
    assert "I don't know `statsu`. Type `help` to see what you can do." in transcript
    dutch = journeybot("console", cwd=tmp_path, input="Status\nquit\n",
                       DATABASE_URL=f"sqlite:///{tmp_path / 'nl.sqlite3'}", JOURNEYBOT_LANG="nl")
    assert "Ik ken `Status` niet. Bedoelde je `/journey status`? Typ `help` om te zien wat je kunt doen." in dutch.stdout


def test_a_lead_picks_a_storyboard_caption_from_the_summarys_menu_by_typing(tmp_path):
    transcript = console(
        tmp_path,
        "/journey start Bakery orders template:storyboard",
        "reply 2 Sam loses orders while her hands are in the dough",
        "as bram",
        "reply 2 Sam forgets who ordered <what>",
        "as lena",
        "/journey summary",
        "click 6 Caption",
        "cancel",  # leaves the menu as it was
        "click 6 caption",
        "nonsense",  # none of the choices: asked again
        "Sam forgets",
        "as bram",
        "click 6 Caption",
        "1",
        "as lena",
        "/journey summary",
        "quit",
    )
    assert "    [Caption ▾ The most voted answer (no pick)]\n" in transcript
    assert "Left the menu as it was." in transcript
    assert "That is none of the choices." in transcript
    assert "The caption of *Storyboard 1 of 5: the customer and their problem* is now: “Sam forgets who ordered" \
        in transcript
    assert "Only the workshop's lead (@Lena) can do that. Nothing was changed." in transcript
    latest = transcript.split("Journey summary: Bakery orders")[-1]
    assert "*Caption* · _the lead's pick_: Sam forgets who ordered <what> — _Bram_" in latest
    assert "• Sam loses orders while her hands are in the dough — _Lena_" in latest
    assert "    [Caption ▾ Sam forgets who ordered <what>]\n" in latest


def test_a_dutch_workshop_makes_the_console_speak_dutch(tmp_path):
    """The console's own words follow the workshop's language, not the bot's default (English here)."""
    transcript = console(
        tmp_path,
        "help",
        "/journey start Bakkerij lang:nl template:storyboard",
        "help",
        "canvas",
        "reply 2 Sam verliest bestellingen",
        "as bram",
        "reply 2 Sam vergeet wie wat bestelde",
        "as lena",
        "/journey summary",
        "click 6 Bijschrift",
        "onzin",
        "cancel",
        "click 6 Antwoorden",
        "bestel",
    )
    before, after = transcript.split("Lena> /journey start Bakkerij")
    assert "help                     this text" in before  # no workshop yet: the default language
    assert "help                     deze tekst\nquit                     stoppen" in after
    assert ("Dit kanaal heeft geen canvas: begin een workshop met `canvas:on`, of vraag er een met "
            "`/journey canvas`.") in after
    assert "#3 journeybot · alleen zichtbaar voor jou\n" in after
    assert "    #4 Lena · in de thread van #2\n" in after
    assert ("Bijschrift (Enter houdt “Het antwoord met de meeste stemmen (geen keuze)”)\n"
            "Typ een nummer of een naam: 1) Het antwoord met de meeste stemmen (geen keuze)  "
            "2) Sam verliest bestellingen  3) Sam vergeet wie wat bestelde\n") in after
    assert "    Bijschrift> onzin\nDat is geen van de keuzes.\n" in after
    assert "Het menu is gebleven zoals het was." in after
    assert "Bericht #6 heeft geen knop “Antwoorden”. De knoppen: [Bijschrift]." in after
    assert "Ik ken `bestel` niet. Typ `help` om te zien wat je kunt doen." in after
    assert f"Tot ziens. De workshop blijft bewaard in {tmp_path / 'console.sqlite3'}." in after
    for english in ("this text", "This channel", "only visible", "in the thread", "Enter keeps", "Type a number",
                    "none of the choices", "Left the menu", "I don't know", "Bye."):
        assert english not in after, english


def test_an_english_workshop_makes_a_dutch_console_speak_english(tmp_path):
    transcript = console(
        tmp_path,
        "/journey start Bakery lang:en template:storyboard",
        "help",
        "canvas",
        "reply 2 Sam loses orders",
        "as bram",
        "reply 2 Sam forgets who ordered what",
        "as lena",
        "/journey summary",
        "click 6 Caption",
        "cancel",
        "quit",
        JOURNEYBOT_LANG="nl",
    )
    before, after = transcript.split("Lena> /journey start Bakery")
    assert "Typ `help` voor wat je kunt doen" in before  # no workshop yet: the default language
    assert "help                     this text\nquit                     leave" in after
    assert "This channel has no canvas: start a workshop with `canvas:on`" in after
    assert "#3 journeybot · only visible to you\n" in after
    assert ("Caption (Enter keeps “The most voted answer (no pick)”)\n"
            "Type a number or a name: 1) The most voted answer (no pick)  2) Sam loses orders") in after
    assert "Left the menu as it was." in after
    assert f"Bye. The workshop is kept in {tmp_path / 'console.sqlite3'}." in after
    for dutch in ("deze tekst", "Dit kanaal", "alleen zichtbaar", "Typ een nummer", "Het menu", "Tot ziens"):
        assert dutch not in after, dutch
