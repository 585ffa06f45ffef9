"""The README's "Hostile input" table, as tests: each class of hostile input, how many of
each, and what must happen, on SQLite and on PostgreSQL. The last test checks that the
table's counts are these catalogues' sizes."""

from __future__ import annotations

import re
from pathlib import Path

from test_serve import MALFORMED, STALLED

from bot.config import Settings
from bot.core.briefing import Briefing
from bot.core.parse import parse_file
from bot.errors import InputError
from conftest import REPO, Result, run_briefbot, settings_env

DEEP = b"[" * 5000 + b"]" * 5000


def _md(front: str, body: str = "Body text about the border. Second sentence.") -> bytes:
    return f"---\n{front}\n---\n\n{body}\n".encode()


#: Files a hostile or careless source could hand ``briefbot ingest``; each fails alone.
HOSTILE_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "blank.md": b" \n\n \n",
    "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00",
    "late-nul.txt": b"Title\n\n" + b"A sentence. " * 500 + b"\x00",
    "latin1.txt": "Título\n\nCafé.".encode("latin-1"),
    "utf16.txt": "Title\n\nText.".encode("utf-16"),
    "bom-only.txt": b"\xef\xbb\xbf",
    "title-only.txt": b"Just a title\n",
    "unclosed.md": b"---\ntitle: x\nBody without the closing dashes",
    "bad-yaml.md": _md("title: [unclosed"),
    "alias-bomb.md": _md("a: &a [x, x]\nb: [*a, *a]"),
    "deep-yaml.md": _md("x: " + "[" * 5000 + "]" * 5000),
    "no-such-day.md": _md("published: 2019-02-30"),
    "hour-25.md": _md("published: 2019-03-29 25:00:00"),
    "month-13.md": _md("published: !!timestamp 2019-13-01"),
    "long-int.md": _md("title: " + "9" * 5000),
    "bad-float.md": _md("title: !!float abc"),
    "python-tag.md": _md("title: !!python/object:os.system x"),
    "list-title.md": _md("title: [a, b]"),
    "map-author.md": _md("author: {a: b}"),
    "bool-source.md": _md("source: yes"),
    "list-date.md": _md("published: [2019]"),
    "word-date.md": _md("published: someday"),
    "int-url.md": _md("url: 12"),
    "ftp-url.md": _md("url: ftp://a.example/x"),
    "bad-port.md": _md("url: http://a.example:99999/x"),
    "open-ipv6.md": _md("url: http://[::1/x"),
    "long-url.md": _md("url: https://a.example/" + "x" * 2000),
    "nul-title.md": _md('title: "a\\0b"'),
    "surrogate.md": _md('author: "\\ud800"'),
    "empty.html": b"<!-- nothing -->",
    "not-html.html": b"x",
    "deep.html": b"<div>" * 100_000 + b"<p>Deep.</p>",
    "entities.html": b"<!DOCTYPE x [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;'>]><p>&b;</p>",
    "utf7.html": b"<meta charset='utf-7'><p>caf\xe9 text.</p>",
    # markup that kept the extractors busy for seconds to minutes (see check_markup)
    "many-attributes.html": b"<article><p a='>' "
    + b" ".join(b"a%d" % i for i in range(20_000))
    + b">A page about the border security memorandum, long enough to be kept.</p></article>",
    "many-elements.html": b"<article>"
    + b"<p>The border security memorandum was signed in March.</p>" * 60_000
    + b"</article>",
}

#: Files that must land beside them, in the same run.
GOOD_FILES: dict[str, bytes] = {
    "good.txt": b"Good plain text\n\nA perfectly good sentence about the memorandum.\n",
    "good.md": _md("title: Good markdown\npublished: 2019-03-29", "Markdown text. Fine."),
    "good.html": b"<html><head><title>Good page</title></head><body><article>"
    b"<p>A page about the border security memorandum, long enough to be kept.</p>"
    b"</article></body></html>",
    "zh.txt": "备忘录\n\n美国与危地马拉签署了边境安全合作备忘录。\n".encode(),
    "crlf.md": b"---\r\ntitle: Windows\r\n---\r\nLine endings from Windows. Fine.\r\n",
    "bom.md": b"\xef\xbb\xbf---\ntitle: With a BOM\n---\nText after a byte order mark.\n",
}

#: Questions and /quote topics a hostile or careless user could type.
HOSTILE_QUESTIONS: list[str] = [
    "What does the memorandum\x00 commit to?",
    "\x00",
    "memorandum \x1b[31mred\x1b[0m \x07 bell",
    "What does the \u202ememorandum\u202c commit to?",
    "\u200b\u200b\u200b",
    "x" * 2001,
    "?!.,;:",
    "'; DROP TABLE article; --",
    "memorandum OR 1=1",
    '"unbalanced quote memorandum',
    "memorandum AND NOT OR NEAR(",
    "memorandum* & | ! ( ) : <-> ''",
    "{{question}} {sources} $(rm -rf /)",
    "🇺🇸🇬🇹🇭🇳🇸🇻 memorandum 🤝",
    "备忘录承诺了什么？",
    "m" * 500,
    "e\u0301" * 300,
    "What does the memorandum commit to?" + " and" * 300,
    "<script>alert(1)</script> memorandum",
    "<@U123> <!channel> memorandum &amp; &lt;",
    "\udcff memorandum",
    "   \t\n  ",
]


def test_hostile_files_fail_alone_and_the_rest_lands(cli, tmp_path: Path) -> None:
    for name, content in {**HOSTILE_FILES, **GOOD_FILES}.items():
        (tmp_path / name).write_bytes(content)
    first: Result = cli("ingest", str(tmp_path))
    assert first.code == 1
    assert first.out.startswith(f"added {len(GOOD_FILES)}, updated 0, unchanged 0, ")
    assert f"failed {len(HOSTILE_FILES)} " in first.out
    failed = [line for line in first.err.splitlines() if line.startswith("failed: ")]
    assert sorted(Path(line.split(": ")[1]).name for line in failed) == sorted(HOSTILE_FILES)
    assert "Traceback" not in first.err and "unexpected" not in first.err
    again = cli("ingest", str(tmp_path))
    assert again.out.startswith(f"added 0, updated 0, unchanged {len(GOOD_FILES)}, ")


def test_markup_that_would_keep_the_extractors_busy_is_refused_at_once() -> None:
    """A tag of thousands of attributes (each checked against the ones before it while
    parsing: 50 seconds for 50,000) or a page of tens of thousands of elements is refused
    by one linear scan, with a one-line reason, before any extractor sees it; a ">"
    inside a quoted value does not end the tag, an unclosed quote does not hang the scan,
    and long attribute values (inline styles) are no attributes."""
    from bot.core.parse import MAX_ATTRIBUTES, MAX_ELEMENTS, check_markup
    from bot.errors import IngestError

    many = " ".join(f"a{i}" for i in range(MAX_ATTRIBUTES + 1))
    for page in (f"<p {many}>x</p>", f"<p title='>' {many}>x</p>"):
        try:
            check_markup(page)
        except IngestError as e:
            assert str(e) == (
                f"the page has a tag with more than {MAX_ATTRIBUTES} attributes; "
                "not an article page"
            )
        else:
            raise AssertionError("a tag of too many attributes passed")
    try:
        check_markup("<p>x</p>" * (MAX_ELEMENTS + 1))
    except IngestError as e:
        assert "more than 50,000 HTML elements" in str(e)
    else:
        raise AssertionError("too many elements passed")
    fine = " ".join(f"a{i}" for i in range(MAX_ATTRIBUTES))
    check_markup(f"<p {fine}>x</p>" + "<p>x</p>" * (MAX_ELEMENTS - 1))
    check_markup("<p style='" + "color: red; " * 50_000 + "'>x</p>")
    check_markup('<p a="' + "x " * 500_000)


def test_tags_inside_a_script_or_a_comment_are_no_elements_of_the_page() -> None:
    """A page whose inline script builds its widgets from HTML templates spells tens of
    thousands of tags that the parser reads as the script's text, and so do a comment and
    a style: they count towards no limit, and the page is read (in well under a second).
    A script or a comment left open runs to the page's end, as the parser reads it. The
    tags outside them still count. (Before, the page was refused as having more than
    50,000 elements.)"""
    from bot.core.parse import MAX_ELEMENTS, check_markup, parse_html
    from bot.errors import IngestError

    templates = '<div class="card">item</div>' * (MAX_ELEMENTS + 1)
    page = (
        "<html><head><title>Storm closes the harbour</title>"
        f'<script type="text/javascript">var cards = "{templates}";</SCRIPT>'
        f"<style>/* <p> */</style><!-- {templates} --></head><body><article>"
        "<h1>Storm closes the harbour</h1><p>The harbour authority closed the port at noon "
        "after the storm warning, and ferries stayed in Varn.</p></article></body></html>"
    )
    assert parse_html(page, "page.html", "page").title == "Storm closes the harbour"
    check_markup("<script>" + templates)
    check_markup("<!--" + templates)
    try:
        check_markup("<script></script><!-- -->" + "<p>x</p>" * (MAX_ELEMENTS + 1))
    except IngestError as e:
        assert "more than 50,000 HTML elements" in str(e)
    else:
        raise AssertionError("the tags after a script and a comment were not counted")


def _page_around(markup: str) -> bytes:
    """An article page: a headline and two real paragraphs, ``markup`` between them."""
    sentence = "The harbour authority closed the port at noon after the storm warning. "
    return (
        "<html><head><title>Storm closes the harbour</title></head><body><article>"
        f"<h1>Storm closes the harbour</h1><p>{sentence * 4}</p>{markup}"
        f"<p>{sentence * 3}</p></article></body></html>"
    ).encode()


def test_many_short_blocks_are_extracted_without_the_fallback_extractors(
    settings: Settings, tmp_path: Path
) -> None:
    """Table cells of one letter each, between a paragraph of text and a row of links:
    jusText (which trafilatura tries when its own extraction looks short) looked from
    each short cell for the nearest long or link-heavy paragraph on either side, so
    10,000 took 8 seconds and these 40,000 (a quarter of a megabyte, well under
    MAX_ELEMENTS) over two minutes. Past MAX_FALLBACK_BLOCKS the page is extracted
    without the fallbacks; the subprocess is killed after 60 s."""
    cells = 40_000
    good = "<p>" + "The council said that it would not be able to do this in time. " * 4 + "</p>"
    links = "<p>" + "<a href='/n'>a link in the menu</a> " * 20 + "</p>"
    (tmp_path / "cells.html").write_bytes(
        _page_around("<table>" + good + "<td>x" * cells + links + "</table>")
    )
    result = run_briefbot("ingest", str(tmp_path), env=settings_env(settings), timeout=60)
    assert result.code == 0 and result.out.startswith("added 1, "), result
    parsed = parse_file(tmp_path / "cells.html", 10_000_000)
    assert parsed.text.count("harbour authority closed the port") == 7
    from bot.core.parse import MAX_ELEMENTS, MAX_FALLBACK_BLOCKS

    assert MAX_FALLBACK_BLOCKS < cells < MAX_ELEMENTS - 10


def test_a_page_of_too_many_headings_is_refused_at_once(settings: Settings, tmp_path: Path) -> None:
    """trafilatura drops headings left at the end of the text one by one, counting the
    text's elements each time: 40,000 empty-ish headings (under MAX_ELEMENTS) took
    10 seconds, and were stored. Past MAX_HEADINGS the page is refused by check_markup's
    scan, with a one-line reason; a page of that many is read."""
    (tmp_path / "headings.html").write_bytes(_page_around("<h2>x</h2>" * 40_000))
    result = run_briefbot("ingest", str(tmp_path), env=settings_env(settings), timeout=60)
    assert result.code == 1 and result.out.startswith("added 0, "), result
    from bot.core.parse import MAX_HEADINGS, check_markup

    assert result.err.splitlines() == [
        f"failed: {tmp_path / 'headings.html'}: the page has more than "
        f"{MAX_HEADINGS:,} headings; not an article page"
    ]
    check_markup("<h2>x</h2>" * MAX_HEADINGS)


def test_a_text_of_too_many_paragraphs_is_refused_at_once(cli, tmp_path: Path) -> None:
    """A text file of 3.3 million one-letter paragraphs (10 MB) took 17 seconds to be
    refused as having no text, and a page whose ``<pre>`` holds a million one-word lines
    (5 MB) took 12 to be stored: page furniture is looked for in every paragraph, short
    ones at the end character by character. Past MAX_PARAGRAPHS paragraphs the text is
    refused by one scan, with a one-line reason; a text of that many is read."""
    from bot.core.fetch import Fetched
    from bot.core.parse import MAX_PARAGRAPHS, parse_file
    from bot.core.webpage import page_article
    from bot.errors import IngestError

    (tmp_path / "lines.txt").write_text("A title\n\n" + "a\n\n" * (MAX_PARAGRAPHS + 1))
    (tmp_path / "fine.txt").write_text("A title\n" + "A sentence.\n\n" * MAX_PARAGRAPHS)
    ingested = cli("ingest", str(tmp_path))
    assert ingested.code == 1 and ingested.out.startswith("added 1, "), ingested
    assert ingested.err.splitlines() == [
        f"failed: {tmp_path / 'lines.txt'}: the file has more than "
        f"{MAX_PARAGRAPHS:,} paragraphs; not an article"
    ]
    fine = parse_file(tmp_path / "fine.txt", 10_000_000)
    assert len(fine.text.split("\n\n")) == MAX_PARAGRAPHS
    page = (
        "<html><head><title>Log</title></head><body><article><h1>Log</h1>"
        "<p>The harbour closed at noon after the storm warning was raised.</p>"
        "<pre>" + "line\n" * (MAX_PARAGRAPHS + 1) + "</pre></article></body></html>"
    )
    url = "https://n.example/log"
    fetched = Fetched(url, url, 200, "text/html", "utf-8", page.encode())
    try:
        page_article(fetched)
    except IngestError as exc:
        assert str(exc) == f"the page has more than {MAX_PARAGRAPHS:,} paragraphs; not an article"
    else:
        raise AssertionError("a page of too many paragraphs was read")


def test_a_word_too_long_for_the_search_index_fails_alone(cli, tmp_path: Path) -> None:
    """About a megabyte with no space (base64 pasted as an article): PostgreSQL's search
    index refuses it ("string is too long for tsvector", a program limit), SQLite's
    takes it. Either way the files after it in the same run land."""
    import base64
    import random

    blob = base64.b64encode(random.Random(7).randbytes(750_000)).decode()  # 1 MB, one word
    names = ["a.txt", "b.txt", "c-blob.txt", "d.txt", "e.txt"]
    for name in names:
        body = f"A sentence about the {name[0]} border file."
        if "blob" in name:
            body = f"The key follows. {blob} That was the key."
        (tmp_path / name).write_text(f"Title {name}\n{body}\n", encoding="utf-8")
    result: Result = cli("ingest", str(tmp_path))
    assert "Traceback" not in result.err and "unexpected" not in result.err, result.err
    failed = [line for line in result.err.splitlines() if line.startswith("failed: ")]
    assert all("c-blob.txt" in line and "refused" in line for line in failed), failed
    assert result.out.startswith(f"added {len(names) - len(failed)}, ")


def test_hostile_questions_are_answered_refused_or_declined_and_logged(
    briefing: Briefing,
) -> None:
    declined = 0
    for question in HOSTILE_QUESTIONS:
        try:
            answer = briefing.ask(question)
        except InputError as exc:  # empty, over-long or not text: one sentence
            assert "\n" not in exc.message
            declined += 1
        else:
            assert answer.exchange_id is not None, question
        try:
            _, exchange_id = briefing.quote_logged(question)
        except InputError:
            declined += 1
        else:
            assert exchange_id is not None, question
    # every question is logged, even one declined (with the reply it got)
    rows = briefing.log.export()
    assert len(rows) == 2 * len(HOSTILE_QUESTIONS)
    assert sum(1 for r in rows if r["mode"] == "declined") == declined > 0


def test_the_readme_table_counts_what_the_tests_try() -> None:
    table = (REPO / "README.md").read_text(encoding="utf-8").split("### Hostile input")[1]
    counts = {
        m.group(1): int(m.group(2).replace(",", ""))
        for m in re.finditer(r"^\| ([^|]+?) \| ([\d,]+) \|", table, re.MULTILINE)
    }
    assert counts["Hostile files in one ingest run"] == len(HOSTILE_FILES)
    assert counts["Hostile questions, asked and as /quote topics"] == 2 * len(HOSTILE_QUESTIONS)
    assert counts["Malformed or unsigned HTTP requests"] == 3 * len(MALFORMED) + 5 + 2 + 1
    assert counts["Stalled connections held open"] == STALLED
