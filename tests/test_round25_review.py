"""Second review of the twenty-fifth round's fixes: each test is a hole a user would
have seen, found in a commit of that round; see the commit that fixed it."""

from __future__ import annotations

from bot.core.guard import guard_answer

#: What the model is shown of an article that writes "<40%" and ">70%" (bot.core.packing).
TURNOUT = (
    "Turnout fell to ‹40% in the rural districts, a record low, officials said. "
    "Support was ›70% in the capital."
)


def test_guillemets_around_unchecked_words_go_though_a_cited_source_holds_a_sign() -> None:
    """A source that writes "<40%" (shown to the model as "‹40%") let every "‹" and "›"
    of a unit citing it stand: "‹a record low for the rural districts›", words no source
    says, was shown between quotation marks, as if the officials had said them. A sign
    stays where the source writes it so ("‹40%"), not where it opens or closes words."""
    guarded = guard_answer(
        "Officials called the turnout ‹a record low for the rural districts› [1].", {1: TURNOUT}
    )
    assert "‹" not in guarded.text and "›" not in guarded.text, guarded.text
    assert guarded.report.removed_quotes
    spaced = guard_answer("Officials called it ‹ a record low for everyone › [1].", {1: TURNOUT})
    assert "‹" not in spaced.text and "›" not in spaced.text, spaced.text
    kept = guard_answer(
        "Turnout fell to ‹40% in the rural districts [1]. Support was ›70% in the capital [1].",
        {1: TURNOUT},
    )
    assert "‹40%" in kept.text and "›70%" in kept.text, kept.text
    assert kept.report.removed_quotes == ()
