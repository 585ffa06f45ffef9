"""The weekly digest: what the sources gained this week, each article's lead verbatim."""

from __future__ import annotations

import time
from pathlib import Path

from bot.core.briefing import Briefing
from bot.core.digest import MAX_ITEMS, lead_sentence
from bot.slack.blocks import digest_message


def _article(folder: Path, n: int, published: str | None) -> Path:
    front = f"---\ntitle: Report {n}\npublished: {published}\n---\n" if published else ""
    path = folder / f"report-{n:02d}.md"
    path.write_text(
        f"{front}\nThe harbour report number {n} counted new boats in the bay this week.\n",
        encoding="utf-8",
    )
    return path


def test_the_digest_lists_the_latest_additions_and_counts_the_rest(
    briefing: Briefing, tmp_path: Path
) -> None:
    # Added one by one, oldest first: dated 2031 (in the future), then undated ones last.
    dates = ["2031-01-01", "2019-03-01", "2019-03-02", *["2019-03-03"] * 5, *[None] * 4]
    for n, published in enumerate(dates):
        assert briefing.ingest([_article(tmp_path, n, published)]).added == 1
        time.sleep(0.01)  # distinct ingestion times
    digest = briefing.digest()
    titles = [item.title for item in digest.items]
    assert len(titles) == MAX_ITEMS
    # The most recently added first, whatever their own dates say: the undated four lead.
    assert titles[:4] == ["report 11", "report 10", "report 09", "report 08"]
    assert "Report 0" not in titles  # the 2031 article was added first, so it is left out
    assert digest.more == len(dates) + 1 - MAX_ITEMS  # the seed was added this week too
    text, blocks = digest_message(digest)
    assert f"({len(dates) + 1} new)" in text
    assert f"and {digest.more} more this week" in blocks[-1]["text"]["text"]


def test_the_lead_is_the_first_whole_sentence_verbatim() -> None:
    assert lead_sentence("The minister called it ‘a good deal for all.’ Critics disagreed.") == (
        "The minister called it ‘a good deal for all.’"
    )
    chinese = "边境安全备忘录在特古西加尔巴签署。批评者表示反对。" * 3
    assert lead_sentence(chinese) == "边境安全备忘录在特古西加尔巴签署。"
    run_on = "word " * 300
    lead = lead_sentence(run_on)
    assert lead.endswith("…") and len(lead) <= 401 and run_on.startswith(lead[:-1])
