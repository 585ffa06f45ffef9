"""Ingestion: formats, idempotence, replacement, bad input, one transaction per article."""

from __future__ import annotations

import itertools
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DataError, OperationalError

from bot.config import Settings
from bot.core import ingest as ingest_module
from bot.core.briefing import Briefing
from bot.core.files import display_path
from bot.core.ingest import ingest_parsed
from bot.core.parse import ParsedArticle, parse_file
from bot.core.urls import normalise_url
from bot.errors import IngestError
from conftest import EVALS, run_briefbot, settings_env
from storage.models import Article, Chunk

MD = """---
title: "Rights groups fault the border memorandum"
url: https://example.org/rights-groups
source: Example Ledger (test fixture)
author: A. Writer
published: 2019-03-29
---

Rights groups said the memorandum *ignores* the reasons people leave.

## Asylum

A [statement](https://example.org/s) warned that **asylum** access could narrow.

---

> "We are seeing families turned back," a spokesperson said.
> > Nested, too.
"""


# A 492-byte YAML "billion laughs": a8 is 10**8 references, and str() of it never ends.
BOMB = (
    b"---\na0: &a0 [x,x,x,x,x,x,x,x,x,x]\n"
    + b"".join(f"a{n}: &a{n} [{','.join([f'*a{n - 1}'] * 10)}]\n".encode() for n in range(1, 9))
    + b"title: *a8\n---\nBody text about the bomb. Second sentence.\n"
)


def _front(key: str, value: str, body: str = "Body text. Second sentence.") -> bytes:
    return f"---\n{key}: {value}\n---\n\n{body}\n".encode()


def _count(briefing: Briefing, model: type) -> int:
    with briefing.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def _titles(briefing: Briefing) -> list[str]:
    return sorted(s.title for s in briefing.sources())


def test_txt_first_line_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("\n\n  My Title  \n\nBody sentence one. Body two.\n", encoding="utf-8")
    parsed = parse_file(path, 10_000)
    assert parsed.title == "My Title"
    assert parsed.text == "Body sentence one. Body two."
    assert parsed.origin == str(path.resolve())


@pytest.mark.parametrize(
    ("name", "text", "source"),
    [
        (  # a wire story names its agency in its dateline
            "wire.txt",
            "Blackout hits Brenmouth\n\nBRENMOUTH, 30 November (Tarn News Service) — A fire "
            "cut power to 70,000 homes.\n",
            "Tarn News Service",
        ),
        (  # a paper's story names the paper in its byline
            "paper.txt",
            "Blackout hits Brenmouth\n\nBy Oriel Hathaway, Brenmouth Echo\n\nA fire cut power.\n",
            "Brenmouth Echo",
        ),
        (  # a byline that says what the writer is names no outlet: the file does
            "staff.txt",
            "Blackout hits Brenmouth\n\nBy Ana Ruiz, Staff Writer\n\nA fire cut power.\n",
            "staff.txt",
        ),
        ("plain.txt", "Blackout hits Brenmouth\n\nBRENMOUTH — A fire cut power.\n", "plain.txt"),
        (  # a degree after the name is no outlet
            "degree.txt",
            "Blackout hits Brenmouth\n\nBy Ana Ruiz, Ph.D.\n\nA fire cut power.\n",
            "degree.txt",
        ),
        (  # a byline in Markdown is read as its text reads, without the markup
            "bold.md",
            "---\ntitle: Blackout\n---\n\n**By Oriel Hathaway, Brenmouth Echo**\n\nA fire cut "
            "power.\n",
            "Brenmouth Echo",
        ),
        (  # front matter without a source: the dateline's agency
            "wire.md",
            "---\ntitle: Blackout hits Brenmouth\n---\n\nBRENMOUTH (Tarn News Service) — A "
            "fire cut power to 70,000 homes.\n",
            "Tarn News Service",
        ),
        (  # front matter's source first
            "echo.md",
            "---\ntitle: Blackout\nsource: Brenmouth Echo\n---\n\nBRENMOUTH (Tarn News "
            "Service) — A fire cut power.\n",
            "Brenmouth Echo",
        ),
    ],
)
def test_a_story_without_metadata_is_sourced_to_the_outlet_it_names(
    tmp_path: Path, name: str, text: str, source: str
) -> None:
    """A plain-text story has no metadata, but news names its outlet in its first lines;
    that is its source (shown with its citations), else the file's name."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert parse_file(path, 10_000).source == source


@pytest.mark.parametrize(
    "line",
    [
        "By Ana Ruiz, Tegucigalpa",  # where she wrote it
        "By Ana Ruiz, New York",
        "By Ana Ruiz, Monday",  # when
        "By Ana Ruiz | March",
        "By Ana Ruiz, Chief Economist",  # what she is
        "By Ana Ruiz, Senior Fellow",
        "By Ana Ruiz, Professor of Law",
        "By Ana Ruiz, Editor-in-Chief",
        "By Ana Ruiz, Jr.",
        "WASHINGTON (Updated) — The senate voted on the bill.",  # a label, no agency
        "WASHINGTON (Photo) — The senate voted on the bill.",
        "LONDON (Analysis) — The senate voted on the bill.",
        "WASHINGTON (File photo) — The senate voted on the bill.",
        "WASHINGTON (Updated: Monday) — The senate voted on the bill.",
        "By Ana Ruiz | PORT CALVISSE | 5 December 2026",  # a place and a date
        "By Ana Ruiz, health correspondent, 3 March 2028",
        "By Ana Ruiz, News",  # a section: stop words only
        "By Ana Ruiz | Latest News",
        "WASHINGTON (US News) — The senate voted on the bill.",
        "By Ana Ruiz, In Kyiv",  # a phrase, a credit, a time stamp: no names
        "By Ana Ruiz, Translated From The French",
        "By Ana Ruiz, Photos By Mark Lee",
        "By Ana Ruiz | Published Monday",
        "By Ana Ruiz, Lee Park, The Caldry Times",  # a second writer, and the outlet
        "By Ana Ruiz, Lee Park and Mia Chen, The Caldry Times",
        "By Ana Ruiz, Lee Park | Reuters",
        "By Ana Ruiz, The Caldry Times, and Lee Park, The Lindmark Post",
        "By Ana Ruiz, Senior Fellow, Brookings Institution",  # where she works
        "By Ana Ruiz, a professor of law, Yale University",
        "By Ana Ruiz | Chief Economist | ING",
        # a sentence that starts as a byline does
        "By Friday, Lenhaven City Council, which had opposed the plan, reversed course.",
        "By Noon, Sarnow Prison, in the north of the country, was quiet again.",
        "By Election Day, Lenhaven City Council, which had opposed the plan, said so.",
        "PORT ELVERY — By Tuesday, Harbour Master Lee Tarvik, in a statement, said no.",
    ],
)
def test_a_byline_or_dateline_that_names_no_outlet_is_no_source(line: str) -> None:
    """A byline may end with where or when the story was written, or with what its writer
    is, and a dateline's brackets may hold a label: none is the outlet, and a citation
    that gave "Tegucigalpa" or "Updated" as its source would mislead (the file's name is
    honest). A second writer's name looks like an outlet's: with two such parts, which is
    the outlet is not sure (the first, "Lee Park", was the source). A writer from outside
    the newsroom names where they work ("Brookings Institution" was the source). A lead
    sentence may start "By Friday," and name a council or a prison next: a writer's name
    has two words, and is not a day's ("Lenhaven City Council" was the source)."""
    from bot.core.datelines import outlet_named

    assert outlet_named(f"{line}\n\nA fire cut power to 70,000 homes.") is None


@pytest.mark.parametrize(
    ("line", "outlet"),
    [
        ("By Ana Ruiz, Associated Press", "Associated Press"),
        ("By Ana Ruiz, The Guardian", "The Guardian"),
        ("By Ana Ruiz, Miami Herald", "Miami Herald"),
        ("By Ana Ruiz, Washington Post", "Washington Post"),
        ("By Ana Ruiz, Reuters", "Reuters"),
        ("By Ana Ruiz of the Guardian", "the Guardian"),
        ("WASHINGTON (AP) — The senate voted on the bill.", "AP"),
        ("MEXICO CITY (Northern News Service) — The senate voted.", "Northern News Service"),
        # what the writer is, then the outlet, then a date
        ("By Ana Ruiz, health correspondent, The Caldry Times, 3 March 2028", "The Caldry Times"),
        ("By Ana Ruiz, The Lindmark Post, 22 October 2027", "The Lindmark Post"),
        ("By Ana Ruiz, security correspondent, Morvik Observer - 3 December 2026",
         "Morvik Observer"),
        ("PORT ELVERY, 17 May 2028 - By Ana Ruiz, The Elvery Echo", "The Elvery Echo"),
        ("By Ana Ruiz, film critic, The Caldry Times", "The Caldry Times"),
        # a writer not on the staff
        ("By Ana Ruiz, Special to The Lindmark Post", "The Lindmark Post"),
        ("By Ana Ruiz, For The Caldry Times", "The Caldry Times"),
    ],
)  # fmt: skip
def test_a_byline_or_dateline_names_its_outlet(line: str, outlet: str) -> None:
    """A byline names its outlet among what the writer is, where and when, in any order;
    a dateline may come before it. (Before, only a byline that ended with the outlet named
    one: "By Ana Ruiz, The Lindmark Post, 22 October 2027" left the file's name as the
    source; and "For The Caldry Times" was the outlet's name.)"""
    from bot.core.datelines import outlet_named

    assert outlet_named(f"{line}\n\nA fire cut power to 70,000 homes.") == outlet


def test_a_line_of_hyphens_is_read_once_for_a_dateline() -> None:
    """A dateline's place may hold a hyphen ("WINSTON-SALEM") and is followed by a dash
    ("WASHINGTON-- "): a first line of 30,000 hyphens in a hostile article takes
    milliseconds to find no dateline in, not the seconds a reading from each hyphen took
    (the bound is generous)."""
    import time

    from bot.core.datelines import DATELINE, outlet_named

    started = time.perf_counter()
    assert outlet_named("WASHINGTON" + "-" * 30_000 + "\n\nA fire cut power.") is None
    assert time.perf_counter() - started < 1.0
    assert DATELINE.match("WASHINGTON-- The senate voted.") is not None
    assert DATELINE.match("WINSTON-SALEM, N.C. (AP) — The senate voted.") is not None


def test_a_name_longer_than_the_source_column_is_no_outlet(tmp_path: Path) -> None:
    """A byline's or a masthead's name longer than the source column names no outlet: cut
    short to fit, "The Lenhaven Lenhaven ...…" would be the source. (Before, a byline's
    was, and reading it took seconds on a long line.)"""
    from storage.upsert import SOURCE_CHARS

    name = "The " + "Lenhaven " * (SOURCE_CHARS // 9) + "Courier"
    story = tmp_path / "riot.txt"
    story.write_text(f"Riot\n\nBy Ana Ruiz, {name}\n\nTwo prisoners died.\n", encoding="utf-8")
    assert parse_file(story, 100_000).source == "riot.txt"
    page = tmp_path / "riot.html"
    page.write_text(
        f'<html><body><header><a href="/">{name}</a></header><article><h1>Riot</h1><p>Two '
        "prisoners died in a riot at Sarnow Prison on Saturday, the justice ministry said."
        "</p></article></body></html>",
        encoding="utf-8",
    )
    assert parse_file(page, 100_000).source is None


def test_a_long_line_is_not_read_as_a_byline() -> None:
    """A byline is short: a first line of 32,768 capitalised parts after "By Ana Ruiz" is
    no byline, and finding so takes milliseconds, not the seconds that looking up every
    part in WordNet took (the bound is generous)."""
    import time

    from bot.core.datelines import outlet_named

    names = ("Zq" + "".join(letters) for letters in itertools.product("abcdefgh", repeat=5))
    line = "By Ana Ruiz, " + ", ".join(names)
    started = time.perf_counter()
    assert outlet_named(f"{line}\n\nA fire cut power.") is None
    assert time.perf_counter() - started < 1.0


def test_markdown_front_matter_and_markup(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(MD, encoding="utf-8")
    parsed = parse_file(path, 10_000)
    assert parsed.title == "Rights groups fault the border memorandum"
    assert parsed.url == parsed.origin == "https://example.org/rights-groups"
    assert parsed.source == "Example Ledger (test fixture)"
    assert parsed.author == "A. Writer"
    assert str(parsed.published) == "2019-03-29"
    assert parsed.text == (
        "Rights groups said the memorandum ignores the reasons people leave.\n\n"
        "Asylum\n\n"
        "A statement warned that asylum access could narrow.\n\n"
        '"We are seeing families turned back," a spokesperson said.\n'
        "Nested, too."
    )


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("`code *not emphasis*` here", "code *not emphasis* here"),
        ("__snake_case__ and a ** b ** c", "snake_case and a ** b ** c"),
        ("[x](https://en.wikipedia.org/wiki/X_(y)) and ![alt](i.png)", "x and alt"),
        ("*unclosed [unclosed (unclosed `unclosed **unclosed", None),
    ],
)
def test_markdown_markup_goes_and_unclosed_markup_stays(line: str, text: str | None) -> None:
    """Code keeps what is in it, a lone ``_`` or ``**`` between spaces is text, a link's
    address may hold one pair of parentheses, and markup never closed is left as written."""
    from bot.core.parse import markdown_to_text

    assert markdown_to_text(line) == (line if text is None else text)


#: Markup that opens a span: emphasis, code, a link's words and its address.
OPENERS = ("*", "`", "[", "**", "[a](")


def test_a_markdown_line_of_unclosed_emphasis_is_not_quadratic(
    settings: Settings, tmp_path: Path
) -> None:
    """A Markdown file of lists pasted as one line each, every item opening markup it
    never closes ("*Item0 *Item1 ...", and the same with `, [, ** and [a]( ), 30,000
    items (300 KB) a line, is ingested in seconds. Emphasis and links were matched from
    every opener to the end of its line: one line of 20,000 "*Item" took a minute, and
    this file would take about five (the ingest run, every file after it, waited). The
    subprocess is killed after 60 s, many times what the ingest takes on a loaded
    machine."""
    lines = [" ".join(f"{opener}Item{i}" for i in range(30_000)) for opener in OPENERS]
    path = tmp_path / "list.md"
    path.write_text(
        "# Shopping list\n\nA short sentence before the list.\n\n" + "\n\n".join(lines),
        encoding="utf-8",
    )
    result = run_briefbot("ingest", str(path), env=settings_env(settings), timeout=60)
    assert result.code == 0 and "added 1" in result.out, result


def test_a_markdown_heading_with_a_long_run_of_spaces_is_read_at_once(
    settings: Settings, tmp_path: Path
) -> None:
    """A heading with 20,000 spaces in it ("## Later" and "news" far apart) is ingested
    at once, its words kept and its closing hashes dropped. The heading pattern tried
    every split of the spaces at every position: 2,000 spaces took 10 s, 4,000 over a
    minute, and this file would take hours. The subprocess is killed after 60 s."""
    path = tmp_path / "spaced.md"
    path.write_text(
        "# Storm warning\n\nThe harbour closed at noon.\n\n## Later"
        + " " * 20_000
        + "news ##\n\nIt opened again.\n",
        encoding="utf-8",
    )
    result = run_briefbot("ingest", str(path), env=settings_env(settings), timeout=60)
    assert result.code == 0 and "added 1" in result.out, result
    parsed = parse_file(path, 1_000_000)
    assert parsed.title == "Storm warning"
    assert parsed.text.split("\n\n")[1] == "Later" + " " * 20_000 + "news"


def test_html_main_text_and_metadata_come_from_trafilatura() -> None:
    path = EVALS / "articles" / "central-america-aid-conditions-analyst.html"
    parsed = parse_file(path, 1_000_000)
    assert parsed.title.startswith("Analyst Warns Conditions on Central American Aid")
    assert parsed.author == "Tobias Merriweather"
    assert str(parsed.published) == "2019-04-04"
    assert parsed.url and parsed.url.startswith("https://example.com/")
    raw = path.read_text(encoding="utf-8")
    # Navigation, cookie banner and footer are page furniture, not article text.
    for furniture in ("cookie", "Subscribe", "All rights reserved"):
        if furniture.lower() in raw.lower():
            assert furniture.lower() not in parsed.text.lower()
    assert "Castellanos-Moore" in parsed.text


@pytest.mark.parametrize(
    ("masthead", "source"),
    [
        ('<a class="brand" href="/">The Lenhaven Courier</a>', "The Lenhaven Courier"),
        ('<a href="/"><img src="l.png" alt="Lenhaven Courier"></a>', "Lenhaven Courier"),
        # another site's home page: a sponsor, a social network, the site's software
        ('Sponsored by <a href="https://acmebank.example/">Acme Bank</a>', None),
        ('<a href="https://www.facebook.com/">Facebook</a>', None),
        ('<a href="https://wordpress.org/">Proudly Powered By WordPress</a>', None),
        ('<a href="/">Home</a> <a href="./"><span>The Lenhaven</span> Courier</a>',
         "The Lenhaven Courier"),
        ('<a href="/"><b>The</b> <i>Lenhaven</i> <b>Courier</b></a>', "The Lenhaven Courier"),
        ('<a href="/"><picture><source srcset="l.webp"><source srcset="l.avif">'
         '<img src="l.png" alt="Lenhaven Courier"></picture></a>', "Lenhaven Courier"),
        # more than a name, or not all of it: not "The Lenhaven"
        ('<a href="/">' + "".join(f"<span>{w}</span> " for w in
         ["The", "Lenhaven", "Evening", "Courier", "Gazette"]) + "</a>", None),
        ('<a href="/">Home</a> <a href="/news">The Lenhaven Courier</a>', None),
        ('<a class="wordmark" href="/">Meridian Coast Times</a>', "Meridian Coast Times"),
        ('<a href="/">BBC News</a>', "BBC News"),
        # what a logo or a link adds to the name
        ('<a href="/"><img src="l.png" alt="The Lenhaven Courier logo"></a>',
         "The Lenhaven Courier"),
        ('<a href="/">Lenhaven Courier Home</a>', "Lenhaven Courier"),
        # the site's own labels, in English words, and one word alone
        ('<a href="/">Skip To Content</a>', None),
        ('<a href="/">Home Page</a>', None),
        ('<a href="/">Privacy Policy</a>', None),
        ('<a href="/"><img src="l.png" alt="Site Logo"></a>', None),
        ('<a href="/">News</a>', None),  # a breadcrumb
        ('<a href="/">Local News</a>', None),
        ('<a href="/">Latest Post</a>', None),
        ('<a href="/">Sitemap</a>', None),
        ('<a href="/">Deutsch</a>', None),  # a language
        ('<a href="/" hreflang="id">Bahasa Indonesia</a>', None),
        ('<a href="/">Welcome To The Lenhaven Courier</a>', None),  # a phrase
        ('<a href="/">Download The App</a>', None),
        ('<a href="/">Lenhaven Courier Is Your Trusted Source</a>', None),  # a slogan
        ('<a href="/">We Are Lenhaven Courier</a>', None),
        ('<a href="/">Lenhaven, 3 March 2028</a>', None),
    ],
)  # fmt: skip
def test_a_page_without_a_site_name_is_from_its_masthead(
    tmp_path: Path, masthead: str, source: str | None
) -> None:
    """A page whose metadata names no site still shows its name at the top, as the link
    to its home page (its text or its logo's alt text); that is its source, so that a
    citation says where it comes from and "according to the Courier" finds it. A link
    that says "Home", a link elsewhere or a date names nothing, nor does a link to another
    site's home page (the sponsor's name was the page's source), nor a link that holds
    more tags than are read (the words before them were the name). Alone, a link's text
    is a name when it starts with "The", or has a word that is not English, or ends as a
    paper's name does ("Meridian Coast Times"): "Skip To Content", "Privacy Policy" and
    "Site Logo" named their pages' outlets, as did one word ("News", "Deutsch"). (Before,
    such a page had no source.)"""
    page = (
        f"<html><head><title>Riot at Sarnow Prison</title></head><body><header>{masthead}"
        "</header><article><h1>Riot at Sarnow Prison</h1><p>Two prisoners died in a riot at "
        "Sarnow Prison on Saturday, the justice ministry said.</p><p>The riot lasted 19 "
        "hours before a special unit retook the wing.</p></article></body></html>"
    )
    path = tmp_path / "riot.html"
    path.write_text(page, encoding="utf-8")
    assert parse_file(path, 1_000_000).source == source


def test_a_tag_full_of_addresses_is_read_once_for_the_masthead() -> None:
    """An address is looked for only in a link's own tag, and read to the tag's end once:
    a hostile page whose one unclosed tag holds "href=/" 20,000 times (in an attribute's
    value, where no limit on attributes counts them) takes milliseconds, not the seconds a
    reading from each "href" to the tag's end took (the bound is generous)."""
    import time

    from bot.core.parse import home_link_name

    started = time.perf_counter()
    assert home_link_name('<a title="' + "href=/ " * 20_000) is None
    assert time.perf_counter() - started < 1.0
    assert home_link_name('<a class="logo" href="/">The Lenhaven Courier</a>') == (
        "The Lenhaven Courier"
    )


def test_a_page_in_its_declared_charset_is_read(tmp_path: Path) -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        "<title>Caf\u00e9 talks</title></head><body><article><h1>Caf\u00e9 talks</h1>"
        "<p>Officials met in Tegucigalpa \u2013 the caf\u00e9 was full \u2014 and "
        "signed the memorandum on border security after long talks.</p>"
        "<p>Critics said the agreement ignored why people leave their homes.</p>"
        "</article></body></html>"
    )
    path = tmp_path / "cafe.html"
    path.write_bytes(page.encode("cp1252"))
    parsed = parse_file(path, 1_000_000)
    assert "caf\u00e9 was full \u2014 and signed" in parsed.text
    txt = tmp_path / "cafe.txt"
    txt.write_bytes("Caf\u00e9\n\nIt was full.".encode("cp1252"))
    with pytest.raises(IngestError, match="not UTF-8"):
        parse_file(txt, 1_000_000)  # text files declare nothing: UTF-8 or refused


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "file is empty"),
        ("blank.md", b"  \n\n \n", "file is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("latin1.txt", "Título\n\nCafé con leche.".encode("latin-1"), "not UTF-8"),
        ("broken.md", b"---\ntitle: [unclosed\n---\nBody.", "front matter is not valid YAML"),
        ("unterminated.md", b"---\ntitle: x\nBody without end", "never ends"),
        ("baddate.md", b"---\ntitle: x\npublished: someday\n---\nBody text.", "not a date"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type .pdf"),
        ("title-only.txt", b"Just a title\n", "no article text"),
        ("late-nul.txt", b"Title\n\n" + b"A sentence. " * 1000 + b"\x00 more.", "binary"),
        ("utf16.txt", "Title\n\nA sentence.".encode("utf-16"), "UTF-16 text; save it as UTF-8"),
        ("bomb.md", BOMB, r"uses a YAML alias \(\*name\) \(line 3\)"),
        ("deep.md", b"---\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\nBody.", "too deeply"),
        ("yaml-line.md", b"---\ntitle: x\nauthor: a: b\n---\nBody.", r"YAML \(line 3\)"),
        ("list-title.md", b"---\ntitle: [a, b]\n---\nBody.", "title must be text, not a list"),
        ("map-author.md", b"---\nauthor: {a: b}\n---\nBody.", "author must be text, not a map"),
        ("bool-source.md", b"---\nsource: yes\n---\nBody.", "source must be text, not true/"),
        ("int-url.md", b"---\nurl: 12\n---\nBody.", "url must be an http.s. URL, not a n"),
        ("list-url.md", b"---\nurl: [https://a.example]\n---\nBody.", "url must be an http"),
        ("ftp-url.md", b"---\nurl: ftp://a.example/x\n---\nBody.", "is not an http.s. URL"),
        ("word-url.md", b"---\nurl: see the website\n---\nBody.", "is not an http.s. URL"),
        ("list-date.md", b"---\npublished: [2019]\n---\nBody.", "published must be a date"),
        ("long-url.md", _front("url", "https://a.example/" + "x" * 2000), "url is 2,018 bytes"),
        ("cjk-url.md", _front("url", "https://a.example/" + "漢" * 1500), "url is 4,518 bytes"),
        ("nul-title.md", b'---\ntitle: "a\\0b"\n---\nBody.', "title contains a NUL"),
        ("surrogate.md", b'---\nauthor: "\\ud800"\n---\nBody.', "author is not valid Unicode"),
        # Values the YAML loader itself would raise ValueError for.
        ("no-such-day.md", _front("published", "2019-02-30"), "'2019-02-30' is not a date"),
        ("hour-25.md", _front("published", "2019-03-29 25:00:00"), "25:00:00' is not a date"),
        ("tagged.md", _front("published", "!!timestamp 2019-13-01"), "-13-01' is not a date"),
        ("long-int.md", _front("title", "9" * 5000), "a value YAML cannot read .Exceeds"),
        ("bad-float.md", _front("title", "!!float abc"), "YAML cannot read .could not conv"),
        ("bad-int.md", _front("title", "!!int abc"), "YAML cannot read .invalid literal"),
        ("bad-port.md", _front("url", "http://a.example:99999/x"), "is not an http.s. URL"),
    ],
)
def test_bad_files_have_one_line_reasons(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as info:
        parse_file(path, 100_000)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("given", "identity"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("HTTPS://Example.ORG/a/", "https://example.org/a"),
        ("https://example.org:443/a#section-2", "https://example.org/a"),
        ("http://example.org:80", "http://example.org/"),
        ("http://example.org:8080/a/?q=1#x", "http://example.org:8080/a?q=1"),
        ("https://example.org/A/b//", "https://example.org/A/b"),
        ("https://[2001:DB8::1]:443/x/", "https://[2001:db8::1]/x"),
    ],
)
def test_urls_are_normalised_into_one_identity(given: str, identity: str) -> None:
    article = ParsedArticle(origin=given, title="T", text="Text.", format="md", url=given)
    assert (article.origin, article.url) == (identity, identity)
    assert normalise_url(identity) == identity


def test_a_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(IngestError, match=r"52\.4 MB; the limit is 10 MB"):
        parse_file(path, 10_000_000)


def test_ingest_is_idempotent_and_replaces_changed_files(
    briefing: Briefing, tmp_path: Path
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    a = folder / "a.txt"
    a.write_text(
        "Article A\n\nThe first version mentions zeppelins. It has two sentences.", "utf-8"
    )
    (folder / "b.md").write_text(MD, "utf-8")

    first = briefing.ingest([folder])
    assert (first.added, first.updated, first.unchanged, first.failed) == (2, 0, 0, [])
    again = briefing.ingest([folder])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)

    # The same text under another name adds nothing.
    (tmp_path / "copy.txt").write_text(a.read_text("utf-8"), "utf-8")
    assert briefing.ingest([tmp_path / "copy.txt"]).unchanged == 1

    chunks_before = _count(briefing, Chunk)
    a.write_text("Article A\n\nThe second version mentions submarines instead.", "utf-8")
    changed = briefing.ingest([a])
    assert changed.updated == 1
    assert _count(briefing, Article) == 3  # seed + a + b
    with briefing.db.session() as s:
        text = s.scalar(select(Article.text).where(Article.origin == str(a.resolve())))
        chunk_texts = s.scalars(
            select(Chunk.text).join(Article).where(Article.origin == str(a.resolve()))
        ).all()
    assert text == "The second version mentions submarines instead."
    assert chunk_texts == [text]
    assert _count(briefing, Chunk) == chunks_before  # one chunk replaced by one chunk
    # The old text is no longer searchable; the new one is.
    assert briefing.quote("zeppelins") == []
    assert briefing.quote("submarines")[0].text == text


def test_metadata_change_with_same_text_updates(briefing: Briefing, tmp_path: Path) -> None:
    path = tmp_path / "b.md"
    path.write_text(MD, "utf-8")
    briefing.ingest([path])
    path.write_text(MD.replace("A. Writer", "B. Writer"), "utf-8")
    assert briefing.ingest([path]).updated == 1
    with briefing.db.session() as s:
        assert s.scalar(select(Article.author).where(Article.url.is_not(None))) == "B. Writer"


def test_bad_files_are_skipped_and_the_rest_land(briefing: Briefing, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good\n\nA perfectly good sentence.", "utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    summary = briefing.ingest([tmp_path, tmp_path / "missing.txt"])
    assert summary.added == 1
    reasons = dict(summary.failed)
    assert reasons[str(tmp_path / "missing.txt")] == "no such file or folder"
    assert "empty" in reasons[str(tmp_path / "empty.txt")]
    assert "binary" in reasons[str(tmp_path / "bin.txt")]
    assert "Good" in _titles(briefing)
    assert json.loads(json.dumps(summary.as_dict()))["failed"][0].keys() == {"path", "error"}


def test_one_transaction_per_article(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while storing one article leaves no trace of it; the next one lands."""
    (tmp_path / "1-boom.txt").write_text(
        "Boom\n\nThis one fails while its chunks are written.", "utf-8"
    )
    (tmp_path / "2-fine.txt").write_text("Fine\n\nThis one is stored normally.", "utf-8")
    real = ingest_module.upsert_article

    def flaky(**kwargs: Any) -> Any:
        outcome = real(**kwargs)  # the article and its chunks are written...
        if kwargs["record"].title == "Boom":
            raise IngestError("simulated failure after the article row was written")
        return outcome

    monkeypatch.setattr(ingest_module, "upsert_article", flaky)
    summary = briefing.ingest([tmp_path])
    assert summary.added == 1 and len(summary.failed) == 1
    assert "Boom" not in _titles(briefing)
    assert "Fine" in _titles(briefing)


def test_bundled_corpus_is_ingested_into_an_empty_database(briefing: Briefing) -> None:
    sources = briefing.sources()
    assert [s.title for s in sources] == [
        "Central America-US Security Cooperation Deal questioned by Activists"
    ]
    assert sources[0].chunks >= 2
    assert sources[0].source == "central-america-us-security-deal.txt"
    assert briefing.ingest_corpus_if_empty() is None  # not twice


def test_chunks_are_exact_slices_of_the_article(full_briefing: Briefing) -> None:
    with full_briefing.db.session() as s:
        for article in s.scalars(select(Article)):
            for chunk in article.chunks:
                assert article.text[chunk.char_start : chunk.char_end] == chunk.text
                assert chunk.token_count > 0


def _loader(title: str, body: str) -> tuple[str, Callable[[], ParsedArticle]]:
    article = ParsedArticle(origin=f"test://{title}", title=title, text=body, format="txt")
    return title, lambda: article


def _ingest_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("briefbot-ingest")]


# One writer is SQLite's way; several are PostgreSQL's (Database.writers). Both are run on
# both databases: SQLite's busy timeout lets several writers take turns.
several_writers = pytest.mark.parametrize("writers", [1, 3], ids=["one-writer", "3-writers"])


@several_writers
def test_every_item_is_stored_and_reported_once(briefing: Briefing, writers: int) -> None:
    briefing.db.writers = writers
    items = [_loader(f"Item {i}", f"Item number {i} is about topic {i}.") for i in range(60)]
    items.append(_loader("Twin", "Item number 7 is about topic 7."))  # same text as Item 7
    seen: list[str] = []
    summary = ingest_parsed(briefing.db, briefing.store, items, on_item=seen.append)
    assert sorted(seen) == sorted(label for label, _ in items)
    assert (summary.added, summary.unchanged, summary.chunks) == (60, 1, 60)
    with briefing.db.session() as s:
        titles = s.scalars(
            select(Article.title).where(Article.origin.like("test://%")).order_by(Article.id)
        ).all()
    assert len(titles) == 60
    assert ("Item 7" in titles) != ("Twin" in titles)  # the same text is stored once
    if writers == 1:  # one writer stores and reports in the order given
        assert seen == [label for label, _ in items]
        assert titles == seen[:-1]
    assert not _ingest_threads()


def test_known_text_is_not_chunked_again(
    briefing: Briefing, monkeypatch: pytest.MonkeyPatch
) -> None:
    items = [_loader("Once", "This text is chunked once and only once.")]
    ingest_parsed(briefing.db, briefing.store, items)
    chunked: list[str] = []
    real = briefing.store.chunk_rows
    monkeypatch.setattr(briefing.store, "chunk_rows", lambda t: chunked.append(t) or real(t))
    assert ingest_parsed(briefing.db, briefing.store, items).unchanged == 1
    assert chunked == []


@several_writers
def test_whatever_a_loader_raises_fails_its_item_alone(briefing: Briefing, writers: int) -> None:
    """Reading or parsing one file can raise anything on hostile input (a YAML date
    that does not exist, a parser's own bug); that item fails with a one-line reason
    naming the exception and every other item lands."""
    briefing.db.writers = writers

    def broken() -> ParsedArticle:
        raise RuntimeError("a bug in a loader\nwith a second line")

    def too_deep() -> ParsedArticle:
        raise RecursionError("maximum recursion depth exceeded")

    items = [
        _loader("Before", "Stored before the bug."),
        ("broken", broken),
        ("too deep", too_deep),
        _loader("After", "Stored after the bug."),
    ]
    summary = ingest_parsed(briefing.db, briefing.store, items)
    assert summary.added == 2
    assert summary.failed == [
        ("broken", "could not be read (RuntimeError: a bug in a loader)"),
        ("too deep", "could not be read (RecursionError: maximum recursion depth exceeded)"),
    ]
    titles = _titles(briefing)
    assert "Before" in titles and "After" in titles
    assert not _ingest_threads()


@several_writers
def test_an_unexpected_error_while_storing_stops_the_run_and_its_threads(
    briefing: Briefing, monkeypatch: pytest.MonkeyPatch, writers: int
) -> None:
    """A bug on the writing side (not a bad file) is raised, not summarised; what came
    before it is stored, and no thread outlives the call."""
    briefing.db.writers = writers
    real = ingest_module.upsert_article

    def upsert(**kwargs: Any) -> Any:
        if kwargs["record"].title == "Broken":
            raise RuntimeError("a bug in the writer")
        return real(**kwargs)

    monkeypatch.setattr(ingest_module, "upsert_article", upsert)
    items = [_loader("Before", "Stored before the bug."), _loader("Broken", "Never stored.")]
    with pytest.raises(RuntimeError, match="a bug in the writer"):
        ingest_parsed(briefing.db, briefing.store, items)
    assert not _ingest_threads()
    titles = _titles(briefing)
    assert "Before" in titles and "Broken" not in titles


@several_writers
def test_a_database_error_stops_every_thread(
    briefing: Briefing, monkeypatch: pytest.MonkeyPatch, writers: int
) -> None:
    briefing.db.writers = writers

    def failing(**_kwargs: Any) -> Any:
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr(ingest_module, "upsert_article", failing)
    items = [_loader(f"Item {i}", f"Sentence {i}.") for i in range(100)]
    with pytest.raises(OperationalError):
        ingest_parsed(briefing.db, briefing.store, items)
    assert not _ingest_threads()


def test_a_failing_list_of_items_is_raised_not_hung_on(briefing: Briefing) -> None:
    def items() -> Iterator[tuple[str, Callable[[], ParsedArticle]]]:
        yield _loader("First", "The first item is fine.")
        raise OSError("the folder went away")

    with pytest.raises(OSError, match="the folder went away"):
        ingest_parsed(briefing.db, briefing.store, items())
    assert "First" in _titles(briefing)
    assert not _ingest_threads()


def _md(url: str, body: str) -> str:
    return f"---\ntitle: Same page\nurl: {url}\n---\n\n{body}\n"


@several_writers
def test_two_files_claiming_one_url_are_a_conflict_reported_once(
    briefing: Briefing, tmp_path: Path, writers: int
) -> None:
    """Two files with the same url and different text: the first in the order given is
    stored, the other fails with a reason that names both, once per run; nothing is
    rewritten on the next run."""
    briefing.db.writers = writers
    (tmp_path / "a.md").write_text(_md("https://example.org/p", "The first draft."), "utf-8")
    (tmp_path / "b.md").write_text(_md("https://Example.org:443/p/#top", "The second."), "utf-8")
    for run in range(2):
        summary = briefing.ingest([tmp_path])
        a, b = display_path(tmp_path / "a.md"), display_path(tmp_path / "b.md")
        assert (summary.added, summary.updated, summary.unchanged) == (1 - run, 0, run)
        assert summary.failed == [
            (
                b,
                f"{a} has the same url (https://example.org/p) with different text; "
                f"{a} is kept, as the first in the order given",
            )
        ]
    with briefing.db.session() as s:
        texts = s.scalars(select(Article.text).where(Article.url == "https://example.org/p"))
        assert texts.all() == ["The first draft."]


def test_two_files_with_one_url_and_text_but_other_titles_settle(
    briefing: Briefing, tmp_path: Path
) -> None:
    """The same text under one url with another title: the first file is kept and the
    other fails, as for different text; the run settles (it rewrote the title back and
    forth, reporting both as updated on every run)."""
    body = "The memorandum was signed in Tegucigalpa. Critics objected."
    (tmp_path / "a.md").write_text(_md("https://example.org/s", body), "utf-8")
    other = _md("https://example.org/s", body).replace("Same page", "Another title")
    (tmp_path / "b.md").write_text(other, "utf-8")
    for run in range(3):
        summary = briefing.ingest([tmp_path])
        assert (summary.added, summary.updated, summary.unchanged) == (
            1 - min(run, 1),
            0,
            min(run, 1),
        )
        assert [reason for _, reason in summary.failed] == [
            f"{display_path(tmp_path / 'a.md')} has the same url (https://example.org/s) with "
            f"other details (title, date...); {display_path(tmp_path / 'a.md')} is kept, as "
            "the first in the order given"
        ]
    assert [s.title for s in briefing.sources() if s.url == "https://example.org/s"] == [
        "Same page"
    ]


def test_an_article_stored_by_someone_else_since_the_run_began(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer inserts an article it believes new without looking first; if another
    process stored it meanwhile, the unique constraint stops the insert and the writer
    looks again."""
    path = tmp_path / "p.md"
    path.write_text(_md("https://example.org/q", "Stored by another process."), "utf-8")
    briefing.ingest([path])
    monkeypatch.setattr(ingest_module, "stored_identities", lambda session: {})
    assert briefing.ingest([path]).unchanged == 1
    path.write_text(_md("https://example.org/q", "Changed since."), "utf-8")
    assert briefing.ingest([path]).updated == 1
    assert _count(briefing, Article) == 2  # the seed and this page


@pytest.mark.parametrize("step", ["_known_text", "_copy_metadata"])
def test_an_article_removed_by_someone_else_since_it_was_found(
    briefing: Briefing, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """The writer finds the text it is storing already stored (the page moved to a new
    url), and another process removes that article before the writer reads it, or
    before it writes the new url (two ``briefbot ingest`` at once: the other one's file
    at the old url changed to a text stored elsewhere). The writer looks again and
    stores the text itself. It used to end the whole run with "unexpected
    NoResultFound: No row was found when one was required" (or StaleDataError)."""
    from storage import upsert

    text = "Stored first, then removed by another writer."
    (tmp_path / "first.md").write_text(_md("https://example.org/first", text), "utf-8")
    briefing.ingest([tmp_path / "first.md"])
    with briefing.db.session() as s:
        first = s.scalar(select(Article.id).where(Article.url == "https://example.org/first"))
    later = tmp_path / "later"
    later.mkdir()
    (later / "moved.md").write_text(_md("https://example.org/moved", text), "utf-8")
    (later / "z-after.txt").write_text("After\n\nThe file after it lands too.\n", "utf-8")
    original = getattr(upsert, step)

    def removed_meanwhile(*args: Any) -> Any:
        with briefing.db.engine.begin() as other:
            other.execute(Chunk.__table__.delete().where(Chunk.article_id == first))
            if other.execute(Article.__table__.delete().where(Article.id == first)).rowcount:
                removed.append(first)
        return original(*args)

    removed: list[int] = []
    monkeypatch.setattr(upsert, step, removed_meanwhile)
    summary = briefing.ingest([later])
    assert removed and (summary.added, summary.failed) == (2, []), summary
    with briefing.db.session() as s:
        urls = set(s.scalars(select(Article.url)))
    assert {"https://example.org/moved", None} <= urls
    assert "After" in _titles(briefing)


def test_chunk_size_and_overlap_come_from_the_settings(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BRIEFBOT_CHUNK_TOKENS and BRIEFBOT_CHUNK_OVERLAP_TOKENS shape the stored chunks."""
    monkeypatch.setenv("BRIEFBOT_CHUNK_TOKENS", "40")
    monkeypatch.setenv("BRIEFBOT_CHUNK_OVERLAP_TOKENS", "12")
    settings = Settings(database_url=database_url, data_dir=tmp_path / "data")
    assert (settings.chunk_tokens, settings.chunk_overlap_tokens) == (40, 12)
    body = " ".join(f"Sentence number {i} is about the border memorandum." for i in range(30))
    with Briefing.open(settings, bootstrap=False) as briefing:
        ingest_parsed(briefing.db, briefing.store, [_loader("Sized", body)])
        with briefing.db.session() as s:
            chunks = s.execute(
                select(Chunk.char_start, Chunk.char_end, Chunk.token_count).order_by(Chunk.id)
            ).all()
    assert len(chunks) > 5
    assert all(n <= 40 + 2 for _, _, n in chunks)  # joins between sentences may add a token
    assert all(b.char_start < a.char_end for a, b in itertools.pairwise(chunks))


def test_long_titles_sources_and_authors_are_shortened_to_fit(tmp_path: Path) -> None:
    """The columns hold 1,000 characters of title and 500 of source and author; longer
    ones are cut at parse time and end with "…" (PostgreSQL would refuse them)."""
    txt = tmp_path / "long.txt"
    txt.write_text("T" * 1500 + "\n\nThe body. Second sentence.", "utf-8")
    assert parse_file(txt, 100_000).title == "T" * 999 + "…"
    md = tmp_path / "long.md"
    md.write_text(
        f"---\ntitle: {'Word ' * 300}\nsource: {'s' * 600}\nauthor: {'漢' * 501}\n---\nBody.",
        "utf-8",
    )
    parsed = parse_file(md, 100_000)
    assert len(parsed.title) == 1000 and parsed.title.endswith("Word…")
    assert parsed.source == "s" * 499 + "…"
    assert parsed.author == "漢" * 499 + "…"


def test_values_the_database_would_refuse_fail_only_their_file(
    briefing: Briefing, tmp_path: Path
) -> None:
    """On PostgreSQL an over-long value or a NUL used to stop the whole run with an SQL
    error; now each is shortened or one failed item, on both databases alike."""
    files = {
        "01-ok.txt": b"One\n\nThe first good file.",
        "02-long-title.txt": b"T" * 1500 + b"\n\nA long title body.",
        "03-nul.txt": b"Nul\n\n" + b"A sentence. " * 1000 + b"\x00",
        "04-long-source.md": _front("source", "s" * 600, "A long source body."),
        "05-long-author.md": _front("author", "a" * 600, "A long author body."),
        "06-long-url.md": _front("url", "https://a.example/" + "x" * 2000),
        "07-cjk-url.md": _front("url", "https://a.example/" + "漢" * 1500),
        "08-ok.txt": b"Eight\n\nThe last good file.",
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    summary = briefing.ingest([tmp_path])
    reasons = {Path(p).name: reason for p, reason in summary.failed}
    assert sorted(reasons) == ["03-nul.txt", "06-long-url.md", "07-cjk-url.md"]
    assert all("\n" not in r and "SQL" not in r for r in reasons.values())
    assert "binary" in reasons["03-nul.txt"]
    assert "4,518 bytes" in reasons["07-cjk-url.md"]
    assert (summary.added, summary.updated, summary.unchanged) == (5, 0, 0)
    with briefing.db.session() as s:
        long_title = s.scalar(select(Article.title).where(Article.text.like("A long title%")))
        source = s.scalar(select(Article.source).where(Article.text.like("A long source%")))
        author = s.scalar(select(Article.author).where(Article.text.like("A long author%")))
    assert long_title == "T" * 999 + "…"
    assert source == "s" * 499 + "…" and author == "a" * 499 + "…"
    assert {"One", "Eight"} <= set(_titles(briefing))


def test_a_file_name_that_is_not_utf8_fails_alone(briefing: Briefing, tmp_path: Path) -> None:
    with open(os.fsencode(tmp_path) + b"/a\xff.txt", "wb") as handle:
        handle.write(b"Odd name\n\nA body under an undecodable name.")
    (tmp_path / "z.txt").write_text("Zed\n\nA body under a plain name.", "utf-8")
    summary = briefing.ingest([tmp_path])
    assert summary.added == 1
    [(_path, reason)] = summary.failed
    assert "not valid UTF-8" in reason
    assert "Zed" in _titles(briefing)


class _LimitExceeded(Exception):
    """What psycopg raises for SQLSTATE 54000 (an index row too big, say)."""

    sqlstate = "54000"


@several_writers
def test_data_the_database_refuses_fails_only_that_article(
    briefing: Briefing, monkeypatch: pytest.MonkeyPatch, writers: int
) -> None:
    """A DataError (or PostgreSQL's "program limit exceeded") is about one article's data:
    that article fails with one line and is not half-written; the run goes on."""
    briefing.db.writers = writers
    real = ingest_module.upsert_article

    def picky(**kwargs: Any) -> Any:
        outcome = real(**kwargs)  # written, then refused: the transaction must roll back
        title = kwargs["record"].title
        if title == "Too long":
            raise DataError("INSERT", {}, Exception("value too long for type\ncharacter"))
        if title == "Too big":
            raise OperationalError("INSERT", {}, _LimitExceeded("index row size 4536 exceeds"))
        return outcome

    monkeypatch.setattr(ingest_module, "upsert_article", picky)
    items = [
        _loader("Fine 1", "The first fine article."),
        _loader("Too long", "Refused for its data."),
        _loader("Too big", "Refused for a statement limit."),
        _loader("Fine 2", "The second fine article."),
    ]
    summary = ingest_parsed(briefing.db, briefing.store, items)
    assert summary.added == 2
    assert dict(summary.failed) == {
        "Too long": "the database refused it: value too long for type",
        "Too big": "the database refused it: index row size 4536 exceeds",
    }
    titles = _titles(briefing)
    assert "Fine 1" in titles and "Fine 2" in titles
    assert "Too long" not in titles and "Too big" not in titles
    assert not _ingest_threads()


def test_a_real_refusal_by_the_database_is_one_failed_item(briefing: Briefing) -> None:
    """Values that slip past parsing (here forced into a parsed article) are refused by
    PostgreSQL as one failed item each: too long for a column, or too big for an index.
    SQLite has no such limits and stores them."""
    long_title = ParsedArticle(origin="test://long", title="x", text="Long title.", format="txt")
    object.__setattr__(long_title, "title", "T" * 1500)
    big_origin = ParsedArticle(origin="test://big", title="Big", text="Big origin.", format="txt")
    # 1,990 CJK characters that do not compress: about 6,000 bytes in a btree index.
    cjk = "".join(chr(0x4E00 + i * 7919 % 20000) for i in range(1990))
    object.__setattr__(big_origin, "origin", "test://" + cjk)
    items = [
        ("long", lambda: long_title),
        ("big", lambda: big_origin),
        _loader("Fine", "A fine article after them."),
    ]
    summary = ingest_parsed(briefing.db, briefing.store, items)
    if briefing.db.dialect == "postgresql":
        reasons = dict(summary.failed)
        assert summary.added == 1 and sorted(reasons) == ["big", "long"]
        assert reasons["long"].startswith("the database refused it: value too long")
        assert reasons["big"].startswith("the database refused it: index row size")
    else:
        assert (summary.added, summary.failed) == (3, [])
    assert "Fine" in _titles(briefing)


def test_a_text_changed_to_one_stored_elsewhere_removes_the_old_version(
    briefing: Briefing, tmp_path: Path
) -> None:
    """The text is stored once, under its first origin; the changed file's old version is
    not left behind, searchable."""
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("A\n\nAlpha text about the okapi.", "utf-8")
    b.write_text("B\n\nBeta text about the tapir.", "utf-8")
    assert briefing.ingest([tmp_path]).added == 2
    b.write_text("B\n\nAlpha text about the okapi.", "utf-8")
    changed = briefing.ingest([b])
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 0)
    assert briefing.quote("tapir") == []
    with briefing.db.session() as s:
        origins = s.scalars(select(Article.origin).where(Article.text.like("%okapi%"))).all()
        assert origins == [str(a.resolve())]
        assert s.scalar(select(Article.id).where(Article.origin == str(b.resolve()))) is None
    again = briefing.ingest([tmp_path])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)


def test_a_page_whose_url_changed_with_the_same_text_is_updated(
    briefing: Briefing, tmp_path: Path
) -> None:
    page = tmp_path / "g.md"
    page.write_text("---\ntitle: G\nurl: https://ex.com/old\n---\nGamma body.", "utf-8")
    briefing.ingest([page])
    page.write_text(
        "---\ntitle: G2\nurl: https://ex.com/new\nauthor: Someone\n---\nGamma body.", "utf-8"
    )
    assert briefing.ingest([page]).updated == 1
    with briefing.db.session() as s:
        rows = s.execute(
            select(Article.origin, Article.url, Article.title, Article.author).where(
                Article.text == "Gamma body."
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        ("https://ex.com/new", "https://ex.com/new", "G2", "Someone")
    ]
    assert briefing.ingest([page]).unchanged == 1
    # A page that moves onto a url with another text stored: that old version goes.
    other = tmp_path / "h.md"
    other.write_text("---\ntitle: H\nurl: https://ex.com/h\n---\nEta body.", "utf-8")
    briefing.ingest([other])
    other.write_text("---\ntitle: H\nurl: https://ex.com/h\n---\nGamma body.", "utf-8")
    assert briefing.ingest([other]).updated == 1
    with briefing.db.session() as s:
        rows = s.execute(select(Article.origin, Article.text).where(Article.url.is_not(None)))
        assert sorted(tuple(r) for r in rows) == [("https://ex.com/h", "Gamma body.")]


@several_writers
def test_two_pages_with_one_text_are_stored_once_and_stay_put(
    briefing: Briefing, tmp_path: Path, writers: int
) -> None:
    """Two urls with the same text in one folder: the first keeps it and re-running
    changes nothing (the later one does not take it over, run after run)."""
    briefing.db.writers = writers
    (tmp_path / "a.md").write_text(_md("https://example.org/a", "One shared text."), "utf-8")
    (tmp_path / "b.md").write_text(_md("https://example.org/b", "One shared text."), "utf-8")
    first = briefing.ingest([tmp_path])
    assert (first.added, first.updated, first.unchanged) == (1, 0, 1)
    again = briefing.ingest([tmp_path])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    with briefing.db.session() as s:
        assert s.scalars(select(Article.url).where(Article.url.is_not(None))).all() == [
            "https://example.org/a"
        ]


def test_page_furniture_from_html_stays_out_and_the_paragraphs_stay_in(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Deal signed | News</title></head><body><article>"
        "<h1>Deal signed</h1>"
        "<p>The United States signed a memorandum with Honduras in March 2019.</p>"
        "<p>Advertisement</p>"
        "<p>Related concerns were raised by Amnesty International, which said the deal "
        "put asylum seekers at risk.</p>"
        "<p>Share this article on Facebook</p>"
        "<p>Read more about the memorandum in the leaked text, which runs to ten pages.</p>"
        "<p>Copyright lawyers said the text of the deal could be published.</p>"
        "<p>Latest E-Books</p>"
        "</article></body></html>",
        "utf-8",
    )
    text = parse_file(page, 100_000).text
    for furniture in ("Advertisement", "Share this", "E-Books"):
        assert furniture not in text
    for sentence in ("Related concerns", "Read more about", "Copyright lawyers"):
        assert sentence in text


def test_a_run_with_hostile_files_stores_the_rest_and_says_why_for_each(
    briefing: Briefing, tmp_path: Path
) -> None:
    """Files that made the YAML loader raise used to end the run before the files
    after them; now each fails alone, in a run that finishes with its summary."""
    (tmp_path / "a-date.md").write_bytes(_front("published", "2019-02-30"))
    (tmp_path / "b-hour.md").write_bytes(_front("published", "2019-03-29T25:00:00"))
    (tmp_path / "c-int.md").write_bytes(_front("title", "1" * 4400))
    (tmp_path / "d-deep.html").write_bytes(b"<div>" * 100_000 + b"<p>Deep.</p>")
    (tmp_path / "z-good.md").write_text("---\ntitle: Good\n---\n\nA good sentence.\n")
    summary = briefing.ingest([tmp_path])
    assert summary.added == 1 and "Good" in _titles(briefing)
    failed = dict(summary.failed)
    assert sorted(Path(p).name for p in failed) == [
        "a-date.md",
        "b-hour.md",
        "c-int.md",
        "d-deep.html",
    ]
    assert all("\n" not in reason for reason in failed.values())


@several_writers
def test_url_spellings_and_repeated_folders_never_race(
    briefing: Briefing, tmp_path: Path, writers: int
) -> None:
    """A folder named twice, and files whose urls differ only by a trailing slash, a
    fragment, a default port or the case of the host: each file is read once, each url
    is one article, and every run reports the same counts (with several writers too)."""
    briefing.db.writers = writers
    spellings = [
        "https://example.org/p{n}",
        "https://EXAMPLE.org/p{n}/",
        "https://example.org:443/p{n}#top",
    ]
    for n in range(8):
        for k, url in enumerate(spellings):
            path = tmp_path / f"p{n}-{k}.md"
            path.write_text(_md(url.format(n=n), f"Page {n} says one thing."), "utf-8")
    first = briefing.ingest([tmp_path, tmp_path])
    assert (first.added, first.updated, first.unchanged, first.failed) == (8, 0, 16, [])
    for n in range(8):
        for k, url in enumerate(spellings):
            path = tmp_path / f"p{n}-{k}.md"
            path.write_text(_md(url.format(n=n), f"Page {n} now says another."), "utf-8")
    for run in range(3):
        summary = briefing.ingest([tmp_path, tmp_path])
        expected = (0, 8, 16, []) if run == 0 else (0, 0, 24, [])
        assert (summary.added, summary.updated, summary.unchanged, summary.failed) == expected
    with briefing.db.session() as s:
        rows = s.execute(select(Article.origin, Article.text).where(Article.url.is_not(None)))
        assert sorted(rows.all()) == [
            (f"https://example.org/p{n}", f"Page {n} now says another.") for n in range(8)
        ]


@several_writers
def test_several_writers_store_what_one_writer_would(briefing: Briefing, writers: int) -> None:
    """Items that share origins and texts in every combination (copies, moves, changes,
    conflicts): with several writers the run stores and reports exactly what one writer
    taking them in order does, run after run."""
    import random

    rng = random.Random(10)
    origins = [f"https://example.org/o{i}" for i in range(6)]
    texts = [f"Text number {i} of the shuffle." for i in range(5)]
    rounds = [[(rng.choice(origins), rng.choice(texts)) for _ in range(30)] for _ in range(4)]

    def run(count: int) -> list[Any]:
        with briefing.db.session() as s:
            s.execute(Article.__table__.delete().where(Article.origin.like("https://%")))
        briefing.db.writers = count
        seen = []
        for items in rounds:
            loaders = [
                (
                    f"item {i}",
                    lambda o=o, t=t: ParsedArticle(o, f"Title of {t}", t, "md", url=o),
                )
                for i, (o, t) in enumerate(items)
            ]
            summary = ingest_parsed(briefing.db, briefing.store, loaders)
            with briefing.db.session() as s:
                stored = sorted(
                    s.execute(
                        select(Article.origin, Article.text).where(Article.origin.like("https://%"))
                    ).all()
                )
            seen.append(
                (summary.added, summary.updated, summary.unchanged, sorted(summary.failed), stored)
            )
        return seen

    expected = run(1)
    for _ in range(3):
        assert run(writers) == expected


def test_a_copy_stays_stored_when_its_original_changes_in_the_same_run(
    briefing: Briefing, tmp_path: Path
) -> None:
    """Copy b.txt to a.txt, change b.txt, ingest: both texts are stored after one run,
    and the next run finds everything unchanged."""
    b = tmp_path / "b.txt"
    b.write_text("Bee\n\nThe original text about bees.", "utf-8")
    assert briefing.ingest([tmp_path]).added == 1
    (tmp_path / "a.txt").write_text(b.read_text("utf-8").replace("Bee", "Copy of bee"), "utf-8")
    b.write_text("Bee\n\nThe changed text about wasps.", "utf-8")
    summary = briefing.ingest([tmp_path])
    assert (summary.added, summary.updated, summary.unchanged, summary.failed) == (0, 1, 1, [])
    with briefing.db.session() as s:
        rows = s.execute(
            select(Article.origin, Article.text).where(Article.origin.like(f"{tmp_path}%"))
        )
        stored = {origin: text for origin, text in rows}
        title = s.scalar(
            select(Article.title).where(Article.origin == str((tmp_path / "a.txt").resolve()))
        )
    assert stored == {
        str((tmp_path / "a.txt").resolve()): "The original text about bees.",
        str(b.resolve()): "The changed text about wasps.",
    }
    assert title == "Copy of bee"
    again = briefing.ingest([tmp_path])
    assert (again.added, again.updated, again.unchanged) == (0, 0, 2)
    assert briefing.quote("bees") and briefing.quote("wasps")


def test_a_unique_violation_in_copied_chunks_is_an_integrity_error(briefing: Briefing) -> None:
    """Chunk rows go in with COPY on PostgreSQL; a clash with another writer's rows must
    surface as SQLAlchemy's IntegrityError, which the writer answers by looking again,
    not as the driver's own exception that ends the run."""
    from sqlalchemy.exc import IntegrityError

    from storage.upsert import _insert_chunks

    with briefing.db.session() as s:
        article_id = s.scalar(select(Article.id).limit(1))
        row = {"article_id": article_id, "ordinal": 0, "text": "x", "char_start": 0}
        row.update(char_end=1, paragraph=1, token_count=1)
        with pytest.raises(IntegrityError):
            _insert_chunks(s.connection(), [row])
        s.rollback()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "zh.txt",
            "边境安全备忘录\n\n美国与危地马拉、洪都拉斯和萨尔瓦多签署了边境安全合作备忘录。\n\n"
            "批评者说这份协议没有约束力\n",
            "美国与危地马拉、洪都拉斯和萨尔瓦多签署了边境安全合作备忘录。\n\n批评者说这份协议没有约束力",
        ),
        (
            "ja.md",
            "# 国境警備の覚書\n\nアメリカは中米三か国と覚書に署名した。\n\n"
            "批判者は拘束力がないと言う\n",
            "アメリカは中米三か国と覚書に署名した。\n\n批判者は拘束力がないと言う",
        ),
        (
            "th.txt",
            "บันทึกความเข้าใจ\n\nสหรัฐอเมริกาลงนามในบันทึกความเข้าใจกับกัวเตมาลา ฮอนดูรัส และเอลซัลวาดอร์\n",
            "สหรัฐอเมริกาลงนามในบันทึกความเข้าใจกับกัวเตมาลา ฮอนดูรัส และเอลซัลวาดอร์",
        ),
        (
            "mixed.txt",
            "Memorandum\n\nThe memorandum was signed in Tegucigalpa.\n\n"
            "这份备忘录在特古西加尔巴签署，批评者表示担忧\n\nLatest E-Books\n\n相关阅读\n",
            "The memorandum was signed in Tegucigalpa.\n\n"
            "这份备忘录在特古西加尔巴签署，批评者表示担忧",
        ),
        (
            "zh.html",
            "<html><head><title>边境安全备忘录</title></head><body><article>"
            "<p>美国与危地马拉、洪都拉斯和萨尔瓦多签署了边境安全合作备忘录。</p>"
            "<p>批评者说这份协议没有约束力，人权组织表示担忧。</p></article></body></html>",
            "美国与危地马拉、洪都拉斯和萨尔瓦多签署了边境安全合作备忘录。\n\n批评者说这份协议没有约束力，人权组织表示担忧。",
        ),
    ],
)
def test_text_in_scripts_without_spaces_is_article_text(
    briefing: Briefing, tmp_path: Path, name: str, content: str, expected: str
) -> None:
    """Chinese, Japanese and Thai paragraphs are article text, not page furniture; the
    short unpunctuated lines pages end with ("Latest E-Books", "相关阅读") still go."""
    path = tmp_path / name
    path.write_text(content, "utf-8")
    assert parse_file(path, 100_000).text == expected
    summary = briefing.ingest([path])
    assert (summary.added, summary.failed) == (1, [])
