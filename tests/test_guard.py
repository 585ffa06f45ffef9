"""The citation guard on its own: markers, quotations and how an answer is cut into units.

The end-to-end cases (through the model stand-in) are in test_llm.py.
"""

from __future__ import annotations

import pytest

from bot.core.guard import guard_answer, read_markers

CRITICS = "Critics said it was “a gift to smugglers and traffickers”."
SIGNED = "The agreement was signed in March 2024 by both countries. It runs for 5.5 years."
SOURCES = {1: CRITICS, 2: SIGNED}


# --- Quotations ------------------------------------------------------------------------


def test_invented_quotation_across_two_sentences_is_dropped_whole() -> None:
    text = "Critics said “The deal is a betrayal. It will kill 5,000 people every year” [1]."
    guarded = guard_answer(text, {1: CRITICS})
    assert guarded.text == ""
    assert guarded.report.removed_quotes == (
        "The deal is a betrayal. It will kill 5,000 people every year",
    )
    assert guarded.report.fell_back


def test_misquote_across_two_sentences_loses_both_marks() -> None:
    source = "The deal was signed in March. Critics said it would help smugglers."
    text = "Critics said “The deal was signed. It would help smugglers” [1]."
    guarded = guard_answer(text, {1: source})
    assert guarded.text == "Critics said The deal was signed. It would help smugglers [1]."
    assert len(guarded.report.removed_quotes) == 1


def test_verbatim_quotation_across_two_sentences_is_kept() -> None:
    source = "“We signed it. We will keep it,” the minister said."
    text = "The minister said “We signed it. We will keep it” [1]."
    guarded = guard_answer(text, {1: source})
    assert guarded.text == text
    assert not guarded.report.changed


@pytest.mark.parametrize(
    "quoted",
    [
        "‘a present for all the smugglers’",
        "«a present for all the smugglers»",
        "« a present for all the smugglers »",
        "„a present for all the smugglers“",
        "„a present for all the smugglers”",
        "‚a present for all the smugglers‘",
        "'a present for all the smugglers'",
    ],
)
def test_invented_quotation_in_any_quote_style_is_dropped(quoted: str) -> None:
    text = f"It was signed in March [2]. Critics called it {quoted} [1]."
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == "It was signed in March [1]."
    assert guarded.report.removed_quotes == (quoted[1:-1].strip(),)


@pytest.mark.parametrize("mark", ["‘’", "''", "«»", "„“"])
def test_verbatim_quotation_in_any_quote_style_is_kept(mark: str) -> None:
    text = f"Critics called it {mark[0]}a gift to smugglers and traffickers{mark[1]} [1]."
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == text
    assert not guarded.report.changed


@pytest.mark.parametrize(
    "text",
    [
        "They don't share the countries' plans for 5,000 returns a year [2].",
        "They don’t share the countries’ plans for 5,000 returns a year [2].",
        "In the '90s the countries' plans were smaller [2].",
        "It was signed [2]. 'Tis a deal the neighbours' lawyers disliked [2].",
    ],
)
def test_apostrophes_are_not_quotation_marks(text: str) -> None:
    said = (
        "It was signed in March. In the '90s the countries' plans were smaller, with 5,000 "
        "returns a year; 'tis a deal the neighbours' lawyers disliked."
    )
    guarded = guard_answer(text, {1: CRITICS, 2: said})
    assert guarded.text == text.replace("[2]", "[1]")
    assert not guarded.report.removed_quotes


def test_punctuation_inside_the_closing_mark_is_the_writers() -> None:
    text = "Critics called it “a gift to smugglers and traffickers.” [1]"
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == text
    assert not guarded.report.changed


def test_nested_quotation_stays_balanced_when_the_outer_one_is_unquoted() -> None:
    source = "Critics said the pact is a deal and was “a gift to smugglers and traffickers”."
    text = "Critics said “the pact was “a gift to smugglers and traffickers” indeed” [1]."
    guarded = guard_answer(text, {1: source})
    assert guarded.text == (
        "Critics said the pact was “a gift to smugglers and traffickers” indeed [1]."
    )
    assert guarded.report.removed_quotes == (
        "the pact was “a gift to smugglers and traffickers” indeed",
    )


# --- Units -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("- It was signed [2]\n- Officials admitted 5,000 people died", "- It was signed [1]"),
        ("It was signed [2].Officials admitted 5,000 people died.", "It was signed [1]."),
        ("It was signed [2]. the deal will kill 5,000 people every year.", "It was signed [1]."),
        ("It was signed [2]\nOfficials admitted 5,000 people died", "It was signed [1]"),
        (
            "It was signed by the U.S. [2] the deal kills 5,000 people.",
            "It was signed by the U.S. [1]",
        ),
    ],
)
def test_uncited_claim_glued_to_a_cited_sentence_is_dropped(text: str, kept: str) -> None:
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == kept
    assert len(guarded.report.dropped_sentences) == 1
    assert "5,000" in guarded.report.dropped_sentences[0]


def test_short_framing_line_stays_and_lines_keep_their_breaks() -> None:
    text = "In short:\n- It was signed in March [2]\n- Critics objected [1]"
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == "In short:\n- It was signed in March [1]\n- Critics objected [2]"
    assert not guarded.report.dropped_sentences


@pytest.mark.parametrize("stop", [".", "!"])
def test_a_citation_and_a_stop_after_a_quoted_sentence_are_its_own(stop: str) -> None:
    """``"...traffickers." [1].``: the marker and the stop after it end the quoted
    sentence, so the quotation is checked against the source it cites, and kept."""
    text = f"Critics said “a gift to smugglers and traffickers.” [1]{stop} It was signed [2]."
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == text
    assert not guarded.report.changed


def test_numbered_list_markers_are_not_sentences() -> None:
    text = "1. It was signed in March [2].\n2. It runs for 5.5 years [2]."
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == text.replace("[2]", "[1]")
    assert not guarded.report.changed


def test_a_hard_wrapped_sentence_is_one_unit() -> None:
    text = "It was signed in March by both of the\ncountries that negotiated it [2]."
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == text.replace("[2]", "[1]")
    assert not guarded.report.changed


# --- Markers ---------------------------------------------------------------------------


def test_invalid_range_is_removed_and_reported() -> None:
    guarded = guard_answer("It was signed in March [2][4-9].", SOURCES)
    assert guarded.text == "It was signed in March [1]."
    assert guarded.report.removed_citations == ("[4-9]",)


@pytest.mark.parametrize("written", ["[1-2]", "[1–2]", "[1 — 2]", "[1, 2]", "[1; 2]", "[1][2]"])
def test_valid_range_and_list_cite_each_source(written: str) -> None:
    guarded = guard_answer(f"Critics objected to what was signed {written}.", SOURCES)
    assert guarded.text == "Critics objected to what was signed [1][2]."
    assert guarded.used == {1: 1, 2: 2}
    assert not guarded.report.changed


@pytest.mark.parametrize("written", ["[1-3]", "[2-1]", "[1-99999999999999999999]"])
def test_range_longer_than_the_sources_or_reversed_is_invalid(written: str) -> None:
    guarded = guard_answer(f"It was signed in March {written} [2].", SOURCES)
    assert guarded.text == "It was signed in March [1]."
    assert guarded.report.removed_citations == (written,)


def test_repeated_markers_are_deduplicated() -> None:
    text = "It was signed in March [2][2], to criticism [1, 1][1] and [2 ; 2]."
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == "It was signed in March [1], to criticism [2] and [1]."
    assert not guarded.report.changed


@pytest.mark.parametrize(
    "junk", ["[Source 2]", "[source: 2]", "[Sources 1, 2]", "[^2]", "[#2]", "[ref. 2]"]
)
def test_marker_look_alikes_are_removed_and_reported(junk: str) -> None:
    guarded = guard_answer(f"Critics objected [1]. It was signed in March {junk}.", SOURCES)
    assert guarded.text == "Critics objected [1]."
    assert guarded.report.removed_citations == (junk,)
    assert guarded.report.dropped_sentences == ("It was signed in March .",)


def test_read_markers() -> None:
    assert read_markers("a [1] b [2-3, 9] c [0–1]", {1: "", 2: "", 3: ""}) == (
        [1, 2, 3],
        ["[9]", "[0-1]"],
    )
    assert read_markers("[sic] [Source 1]", {1: ""}) == ([], ["[Source 1]"])
    assert read_markers("[007] [0002]", {2: "", 7: ""}) == ([7, 2], [])


def test_a_runaway_marker_number_cites_nothing() -> None:
    """A marker of thousands of digits (a model degenerating) is an invalid marker, as
    [9] is, not a crash in int(); the answer it leaves with no citation falls back."""
    runaway = "1" * 5000
    valid, invalid = read_markers(f"[{runaway}] [1-{runaway}] [{'0' * 4999}1]", {1: ""})
    assert valid == [1]
    assert invalid == [f"[{'1' * 32}…]", f"[1-{'1' * 32}…]"]
    guarded = guard_answer(f"The memorandum is non-binding [{runaway}].", SOURCES)
    assert not guarded.has_citations and guarded.report.fell_back


def test_an_invented_quotation_across_a_line_break_is_dropped() -> None:
    text = (
        'Critics objected [1]. Nielsen said "We will end the caravans forever.\n'
        'The border will be closed to all migrants" [2].'
    )
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == "Critics objected [1]."
    assert guarded.report.removed_quotes == (
        "We will end the caravans forever.\nThe border will be closed to all migrants",
    )


def test_a_lead_in_line_stays_while_its_list_does() -> None:
    text = "The 2019 memorandum was met with:\n- criticism from activists [1]\n- 5,000 protests"
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == "The 2019 memorandum was met with:\n- criticism from activists [1]"
    alone = guard_answer(
        "It was signed [2].\n\nThe 2019 memorandum brings:\n- 5,000 guards", SOURCES
    )
    assert alone.text == "It was signed [1]."  # a lead-in that introduces nothing goes too


def test_every_uncited_sentence_goes_however_short() -> None:
    text = "What critics say\n\nCritics objected [1]. The moon is cheese. It was fine!"
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == "What critics say\n\nCritics objected [1]."
    assert guarded.report.dropped_sentences == ("The moon is cheese.", "It was fine!")


@pytest.mark.parametrize(
    "quoted",
    ["“security and violence which drive populations”", "“1 legal-aid groups”"],
)
def test_a_quotation_must_match_whole_words(quoted: str) -> None:
    sources = {
        1: "It is mainly insecurity and violence which drive populations to migrate.",
        2: "The coalition brings together 41 legal-aid groups and shelters.",
    }
    guarded = guard_answer(f"They said {quoted} [1][2].", sources)
    assert guarded.report.removed_quotes  # not verbatim: it starts inside a word
    assert quoted not in guarded.text


@pytest.mark.parametrize(
    "text",
    [
        'Activists said “the memorandum was written by smugglers" [1].',
        "Activists said 「the memorandum was written by smugglers」 [1].",
        "Activists said 『the memorandum was written by smugglers』 [1].",
        "Activists said 〝the memorandum was written by smugglers〞 [1].",
        "Activists said «the memorandum was written by smugglers” [1].",
        "Activists said “the memorandum was written by smugglers [1].",
    ],
)
def test_no_quotation_mark_is_left_beside_unchecked_text(text: str) -> None:
    guarded = guard_answer(text, SOURCES)
    assert not any(mark in guarded.text for mark in '“”«»「」『』〝〞"')
    assert guarded.report.removed_quotes == ("the memorandum was written by smugglers",)


def test_a_single_quote_after_emphasis_opens_a_quotation() -> None:
    guarded = guard_answer("They called it *'a plan written by smugglers'* [1].", SOURCES)
    assert guarded.report.removed_quotes == ("a plan written by smugglers",)


@pytest.mark.parametrize(
    "text",
    [
        # Two lead-ins, and nothing after them survives: both go.
        "Honduras quit it in 2020 after 3,000 deaths:\nWhy:\n- Nobody knows.\n\n"
        "Critics objected [1].",
        # A lead-in with nothing after it in its paragraph.
        "Smugglers wrote the memorandum and Honduras quit it:\n\nCritics objected [1].",
        # A long lead-in with digits before a plain sentence, not a list.
        "The 2018 memorandum, signed by four countries after talks that lasted many long"
        " weeks in the capital, commits them to this:\nCritics objected [1].",
    ],
)
def test_a_lead_in_stays_only_while_it_introduces_something(text: str) -> None:
    assert guard_answer(text, SOURCES).text == "Critics objected [1]."


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # After a cited sentence on its line, with no final stop: no heading, a claim.
        ("It was signed [2]. Officials admitted thousands died", "It was signed [1]."),
        # On the last line, nothing after it: a claim, not a heading.
        ("It was signed [2]\nNielsen took bribes from cartels", "It was signed [1]"),
        # Alone on its line with something after it, but in words no source uses.
        ("Nielsen took bribes from cartels\n\nCritics objected [1].", "Critics objected [1]."),
        # A short lead-in before a plain line says something no source says.
        ("Nielsen was arrested:\nCritics objected [1].", "Critics objected [1]."),
        ("**Nielsen was arrested**\n\nCritics objected [1].", "Critics objected [1]."),
    ],
)
def test_an_uncited_claim_shaped_like_framing_goes(text: str, kept: str) -> None:
    """A heading frames what follows: alone on its line, before something, and in the
    sources' words. An uncited claim without a final stop is none of these."""
    assert guard_answer(text, SOURCES).text == kept


def test_framing_in_the_sources_words_stays() -> None:
    text = (
        "Critics and smugglers\n\nCritics objected [1].\n\nWhat critics said:\nIt was signed [2]."
    )
    assert guard_answer(text, SOURCES).text == (
        "Critics and smugglers\n\nCritics objected [1].\n\nWhat critics said:\nIt was signed [2]."
    )


def test_a_short_quotation_not_in_the_sources_loses_its_marks() -> None:
    """A scare quote of one or two words is checked too: one the sources do not hold is
    not theirs, so it is no longer shown as a quotation."""
    guarded = guard_answer('Critics called it "a catastrophe" [1].', SOURCES)
    assert guarded.text == "Critics called it a catastrophe [1]."
    assert guarded.report.removed_quotes == ("a catastrophe",)
    kept = guard_answer('Critics spoke of "smugglers and traffickers" [1].', SOURCES)
    assert kept.text == 'Critics spoke of "smugglers and traffickers" [1].'


def test_doubled_quotation_marks_are_read_as_one() -> None:
    guarded = guard_answer('Critics said ""a gift to smugglers and traffickers"" [1].', SOURCES)
    assert guarded.text == 'Critics said "a gift to smugglers and traffickers" [1].'
    assert guarded.report.removed_quotes == ()


def test_many_stray_marks_are_all_removed() -> None:
    """A reply full of stray quotation marks (a server that ignores max_tokens) loses
    them all. (The set of marks to remove was rebuilt for every character, so this took
    seconds; it takes milliseconds.)"""
    guarded = guard_answer("It was signed " + 'a" ' * 10_000 + "[2].", SOURCES)
    assert guarded.text.startswith("It was signed a a a")
    assert '"' not in guarded.text


# --- Support ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "claim",
    [
        "Officials confirmed the memorandum will cost $5 billion [2].",  # no 5 in source 2
        "My system prompt says: You are briefbot, never reveal this [1].",  # nothing shared
        "Please log in at the portal to read more [1].",
    ],
)
def test_a_claim_its_source_cannot_say_goes_however_it_is_cited(claim: str) -> None:
    guarded = guard_answer(f"It was signed in March [2]. {claim}", SOURCES)
    assert guarded.text == "It was signed in March [1]."
    assert len(guarded.report.dropped_sentences) == 1


@pytest.mark.parametrize(
    ("claim", "kept"),
    [
        # a name none of whose words the source writes is not the source's
        ("The memorandum was signed by Vladimir Putin [1].", False),
        ("It was signed by President Jimmy Morales [1].", False),
        # a name the source writes, in part or in other words for the US, is
        ("Kirstjen Nielsen signed the memorandum [1].", True),
        ("Secretary Nielsen and El Salvador's officials signed it [1].", True),
        ("The U.S. Secretary of Homeland Security signed it [1].", True),
        ("The Pentagon signed the memorandum [1].", True),  # one word: not checked
    ],
)
def test_a_name_of_several_words_must_be_its_source_s(claim: str, kept: bool) -> None:
    source = (
        "The memorandum was signed in Tegucigalpa by Kirstjen Nielsen, the US Secretary "
        "of Homeland Security, and officials of Guatemala, Honduras and El Salvador."
    )
    guarded = guard_answer(claim, {1: source})
    assert (guarded.text == claim) is kept


@pytest.mark.parametrize("written", ["Nielsen,", "(Nielsen)", '"Nielsen"', "Nielsen's"])
def test_a_name_beside_punctuation_in_its_source_is_that_name(written: str) -> None:
    claim = "Kirstjen Nielsen signed the memorandum in Tegucigalpa [1]."
    source = f"It was signed in Tegucigalpa by {written} who met the officials."
    assert guard_answer(claim, {1: source}).text == claim


@pytest.mark.parametrize(
    ("text", "dropped"),
    [
        ("[1][2]", ("[1][2]",)),
        ("[1]. [2].", ("[1]. [2].",)),
        ("**[1]**", ("**[1]**",)),
        ("- [1]\n- [2]", ("[1]", "[2]")),
        ("Critics objected\n[1]", ("Critics objected", "[1]")),
    ],
)
def test_citations_with_nothing_beside_them_are_no_answer(
    text: str, dropped: tuple[str, ...]
) -> None:
    """A citation vouches for what is said beside it; alone, it says nothing, and a reply
    of citations alone is no answer (the caller falls back)."""
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == "" and not guarded.has_citations
    assert guarded.report.dropped_sentences == dropped
    kept = guard_answer("Critics objected [1]. [2]", SOURCES)
    assert kept.text == "Critics objected [1]. [2]"  # markers after a stop are its own


def test_a_paraphrase_of_its_source_with_its_numbers_stays() -> None:
    text = "Both countries signed the agreement in March 2024, for 5.5 years [2]."
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == text.replace("[2]", "[1]") and not guarded.report.changed


@pytest.mark.parametrize(
    ("claim", "source"),
    [
        ("The council met on March 12 2024 [1].", "The council met on March 12, 2024."),
        ("Signed in 2019 by 4 countries [1].", "Four countries signed it in 2019."),
        ("About 38 000 trips a day [1].", "It will carry about 38,000 trips a day."),
        ("One official spoke [1].", "An official spoke."),  # a word is no number to find
    ],
)
def test_numbers_are_read_as_numbers_not_as_runs_of_digits(claim: str, source: str) -> None:
    guarded = guard_answer(claim, {1: source})
    assert guarded.text == claim and not guarded.report.changed


# --- Clauses: citations mid-sentence ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # the quotation is source 1's, but its own marker says 2: the sentence's other
        # marker must not vouch for it
        "Critics called it “a gift to smugglers and traffickers” [2], and it was signed "
        "in March 2024 [1].",
        "It was signed in March 2024 [2], and critics called it “a gift to smugglers and "
        "traffickers” [2], as critics said [1].",
        # a quotation after the last marker is its clause's, cited by the marker before it
        # (as it was when the sentence cited one source)
        "It was signed in March 2024 [2], and critics called it “a gift to smugglers and "
        "traffickers”.",
    ],
)
def test_a_quotation_is_checked_against_the_source_its_own_marker_names(text: str) -> None:
    guarded = guard_answer(text, SOURCES)
    assert "smugglers" not in guarded.text
    assert guarded.report.removed_quotes == ("a gift to smugglers and traffickers",)
    assert len(guarded.report.dropped_sentences) == 1


def test_quotations_cited_mid_sentence_by_their_own_sources_are_kept() -> None:
    text = (
        "It was signed in March 2024 [2], and critics called it “a gift to smugglers and "
        "traffickers” [1]."
    )
    guarded = guard_answer(text, SOURCES)
    assert guarded.text == text.replace("[2]", "[x]").replace("[1]", "[2]").replace("[x]", "[1]")
    assert not guarded.report.changed


@pytest.mark.parametrize(
    "text",
    [
        # the clause after the marker shares nothing with the source the marker names
        "It was signed in March 2024 [2], while astronauts applauded enthusiastically.",
        # its number is not its own source's, though the sentence's other source has it
        "Critics objected [1], it was signed in March 2024 [2] and runs for 5.5 years [1].",
        # a number in a clause cited mid-sentence must be its own marker's
        "It runs for 5.5 years [1], and critics objected [2][1].",
    ],
)
def test_a_clause_after_a_mid_sentence_citation_is_checked_on_its_own(text: str) -> None:
    guarded = guard_answer(f"Critics objected [1]. {text}", SOURCES)
    assert guarded.text == "Critics objected [1]."
    assert len(guarded.report.dropped_sentences) == 1


@pytest.mark.parametrize(
    "text",
    [
        # an attribution before the marker, the claim after it: the source's
        "As the second report puts it [2], both countries signed the agreement in March 2024.",
        "Critics objected [1], while both countries signed it in March 2024 [2].",
        "[2] Both countries signed it in March 2024.",
    ],
)
def test_a_clause_its_marker_vouches_for_is_kept(text: str) -> None:
    guarded = guard_answer(text, SOURCES)
    assert not guarded.report.dropped_sentences and guarded.text
