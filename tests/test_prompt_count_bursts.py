"""A burst of answers updates the count on its prompt in a few chat.update calls, and the count ends true."""
import time

from bot.standin.session import open_standin
from tests.test_workshop import ANA, BRAM, LEAD, PEOPLE, block_text

INTERVAL = 0.4


def test_a_burst_of_answers_updates_the_prompt_a_few_times_and_ends_with_the_true_count(tmp_path):
    with open_standin(database_url=f"sqlite:///{tmp_path / 'journeybot.sqlite3'}", people=PEOPLE,
                      progress_interval=INTERVAL) as slack:
        slack.command(LEAD, "start Ordering online")
        prompt = slack.open_prompt()
        before = len(slack.web_api.calls_of("chat.update"))
        for number in range(12):
            slack.reply(ANA if number % 2 else BRAM, f"Someone who orders supplies, take {number}")
        time.sleep(INTERVAL * 2)  # the trailing update of the burst
        slack.people.executor.wait_idle()
        updates = len(slack.web_api.calls_of("chat.update")) - before
        assert 1 <= updates <= 4
        assert "12 answers from 2 people so far" in block_text(slack.web_api.message(slack.channel, prompt["ts"]))
