"""What briefbot knows about English words, offline: how common a word is (wordfreq),
what family and synonyms it has and whether it is mostly a noun or a name (WordNet), plus
the few synonyms that belong to the story itself (the corpus profile).

:meth:`Lexicon.expand` answers all of it for one word, cached per process.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from bot.core import frequency
from bot.core.shortforms import clipped
from bot.core.wordnet import Synset, WordNet, wordnet
from bot.core.words import STOPWORDS, stem, words

#: WordNet senses whose members count as synonyms, per part of speech (WordNet lists the
#: most common sense first; rarer senses are mostly noise for a news question).
SENSES = 2
#: A word rarer than this is specific (Zipf scale; "enforceable" 3.0, "wall" 5.0).
RARE_ZIPF = 3.5
#: A word more common than this is everyday English ("wrong" 5.4, "report" 5.3).
COMMON_ZIPF = 5.8
#: A word is found by what it is a kind of (Lexicon.kind_words) only by a kind rarer
#: than this.
EVERYDAY_KIND_ZIPF = 5.0
#: A group named by a word this common ("people") says nothing of who its members are.
EVERYDAY_GROUP_ZIPF = 6.0
#: The least a word weighs, however common.
FLOOR = 0.15

_SINGLE = re.compile(r"^[a-z][a-z'-]*$")
#: Negating prefixes: "insecurity" and "non-binding" are about security and binding.
_NEGATIONS = ("in", "un", "non", "dis", "im", "ir", "il")
_ARTICLES = frozenset(["the", "a", "an"])
_AUXILIARIES = frozenset("be is are was were been being have has had do does did".split())
#: Adverbs that make a verb of two words ("give *up*", "call *off*"). Not those that are
#: as often prepositions ("in", "on", "over", "about"): "What city was it *signed in*?"
#: asks where it was signed, not about logging in.
_PARTICLES = frozenset("out up down off away back aside apart together forward".split())
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
).split()
_NUMBERS = {
    **{str(i): w for i, w in enumerate(_NUMBER_WORDS)},
    **{w: str(i) for i, w in enumerate(_NUMBER_WORDS)},
    **{
        str(10 * i): w
        for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), start=3)
    },
    **{
        w: str(10 * i)
        for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), start=3)
    },
}
#: The numbers English writes as one word, up to ninety ("four", "thirty").
NUMBER_WORDS = frozenset(k for k in _NUMBERS if k.isalpha())


def digits_of(word: str) -> str | None:
    """The digits of a number written as one word ("four": "4"), else None."""
    return _NUMBERS.get(word) if word.isalpha() else None


# Candidate adjectives of a place or people's name, checked against WordNet's pertainym
# links: Guatemala -> Guatemalan, Honduras -> Honduran, Mexico -> Mexican.
_DEMONYM_ENDINGS = (("", "n"), ("", "an"), ("a", "an"), ("s", "n"), ("o", "an"), ("o", "ican"),
                    ("", "ian"), ("a", "ian"), ("e", "ian"), ("y", "ian"), ("", "ese"))  # fmt: skip


Measure = Literal["money", "duration", "length", "share"]
#: WordNet senses whose kinds are stated by an amount (see Lexicon.measure).
_MONEY = frozenset(
    ["money", "outgo", "payment", "monetary value", "sum of money", "medium of exchange"]
)
#: Money in general, not of a particular kind: any amount of money is an amount of it.
_ANY_MONEY = frozenset(
    ["money", "medium of exchange", "currency", "monetary value", "sum of money", "fund"]
)
_DURATION = frozenset(["duration", "temporal property"])
#: What a share is: "percentage" (and its "percent") is a proportion.
_SHARE = frozenset(["proportion"])


def specificity(zipf: float) -> float:
    """How much a word's absence from a passage counts: 1.0 for rare words (and words
    wordfreq does not list), falling linearly to ``FLOOR`` for everyday ones."""
    if zipf <= RARE_ZIPF:
        return 1.0
    if zipf >= COMMON_ZIPF:
        return FLOOR
    return round(1.0 - (1.0 - FLOOR) * (zipf - RARE_ZIPF) / (COMMON_ZIPF - RARE_ZIPF), 3)


@dataclass(frozen=True)
class Expansion:
    """One word as the lexicon sees it.

    ``family`` counts as the word itself (inflections, derivations, pertainyms);
    ``synonyms`` and ``phrases`` (tuples of words) are other names for it. ``noun`` says
    the word is mostly used as a noun; ``proper`` that WordNet knows it only as a name
    (a place, a person), and ``known`` that WordNet knows it at all.
    """

    word: str
    zipf: float
    family: frozenset[str] = frozenset()
    synonyms: frozenset[str] = frozenset()
    phrases: tuple[tuple[str, ...], ...] = ()
    noun: bool = True
    proper: bool = False
    known: bool = False
    lexname: str = ""  # WordNet's file for the word's first noun sense, e.g. "noun.person"
    #: For a word WordNet knows only written apart ("soundbite": sound bite), its two
    #: words: a passage may write it either way.
    apart: tuple[str, ...] = ()

    @property
    def specificity(self) -> float:
        return specificity(self.zipf)

    @property
    def name_like(self) -> bool:
        """A name rather than a word: WordNet knows it only capitalised, or does not know
        it and it is not common English ("nielsen", "kirstjen", "bitcoin")."""
        return self.proper or (not self.known and self.zipf < RARE_ZIPF)


class Lexicon:
    """General English plus the story's own synonyms (``domain``: groups of names)."""

    def __init__(
        self,
        domain: Iterable[Iterable[str]] = (),
        related: Iterable[Iterable[str]] = (),
        source: Callable[[], WordNet] = wordnet,
    ) -> None:
        self._domain: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        self._own_name: dict[tuple[str, ...], tuple[str, ...]] = {}
        for group in domain:
            members = [tuple(words(m)) for m in group if words(m)]
            for member in members:
                self._domain.setdefault(member, []).extend(m for m in members if m != member)
                self._own_name.setdefault(member, members[0])
        # Words that mark one side of the story (the profile's cues; "activist*" is any
        # word that starts so): a question about "criticism" is answered by what the
        # activists said, so each counts as a synonym of the others.
        self._related = [
            [(cue.rstrip("*").lower(), cue.endswith("*")) for cue in group if " " not in cue]
            for group in related
        ]
        self._wordnet = source
        self._cache: dict[str, Expansion] = {}
        self._named: dict[str, frozenset[str]] = {}
        self._measures: dict[str, Measure | None] = {}
        self._lock = threading.Lock()

    def related_words(self, forms: Iterable[str]) -> set[str]:
        """The other cue words of every side a word (in any of ``forms``) is a cue of."""
        found: set[str] = set()
        for group in self._related:
            if any(
                form.startswith(cue) if prefix else form == cue
                for form in forms
                for cue, prefix in group
            ):
                found |= {cue for cue, _ in group if len(cue) > 2}
        return found

    def kinds(self, word: str) -> set[str]:
        """Single words for kinds of the noun ``word`` ("spokeswoman" for "spokesperson").
        A capitalised one is a name, not a kind: WordNet files the architect Ithiel Town
        under "architect", and "town" is no architect."""
        return {k.lower() for k in self._wordnet().kinds(word) if _SINGLE.match(k)}

    def kind_words(self, word: str) -> tuple[str, ...]:
        """The one-word names of what the noun ``word`` is a kind of, one step up, for a
        word of one meaning that is a kind of one thing ("burglar": thief, stealer;
        "hiker": pedestrian, walker, footer), and not by an everyday word ("part", "line":
        a kind of everything). A word of several senses or kinds is left alone: WordNet's
        order of the senses of rare words is mostly untagged ("trawler" is first a
        fisherman, "cyclone" an atmosphere, "hacker" a golfer), and a "tsunami", both a
        disaster and a wave, is not any disaster of the sources."""
        net = self._wordnet()
        senses = net.senses(word, "n")
        if len(senses) != 1 or len(senses[0].hypernyms) != 1:
            return ()
        return tuple(
            dict.fromkeys(
                w.lower()
                for w in net.synset("n", senses[0].hypernyms[0]).words
                if _SINGLE.match(w) and self.zipf(w) < EVERYDAY_KIND_ZIPF
            )
        )

    def group_words(self, word: str) -> tuple[str, ...]:
        """The one-word names of the group a person the noun ``word`` names is a member
        of, by WordNet's commonest sense of it or what that is a kind of: "cops" are
        policemen, members of the "police"; "jurors" of the "jury"; "councillors" of the
        "council". Not a group as everyday as "people" (a "worker" is one of them).

        Only when neither word means anything else: every sense of ``word`` is a member
        of the group (an "inspector" is also an examiner, and a health inspector is no
        policeman; an "auditor", first a hearer of an "audience", is also an accountant),
        and every sense of the group's name is a group (the "centrist"'s "center" is
        first a place, the "juror"'s "panel" also a flat sheet, the "professor"'s "staff"
        also a stick): a story that uses the name otherwise never names the person."""
        net = self._wordnet()
        senses = net.senses(word, "n")
        if not senses or senses[0].lexname != "noun.person":
            return ()

        def groups_of(sense: Synset) -> list[int]:
            members = [sense, *(net.synset("n", o) for o in sense.hypernyms)]
            return [g for m in members for g in m.groups]

        every = set.intersection(*(set(groups_of(s)) for s in senses))
        # (by the group's first name only: the police are also "the law", which is not
        # what a question about the cops asks after; and a group of people, not a place
        # whose people are its members: WordNet's "taco" is first a Mexican, of "Mexico")
        groups = [net.synset("n", g) for g in groups_of(senses[0]) if g in every]
        names = (g.words[0].lower() for g in groups if g.lexname == "noun.group")
        return tuple(
            dict.fromkeys(
                w
                for w in names
                if _SINGLE.match(w)
                and self.zipf(w) < EVERYDAY_GROUP_ZIPF
                and all(s.lexname == "noun.group" for s in net.senses(w, "n"))
            )
        )

    def genus(self, word: str, pos: str) -> tuple[str, ...]:
        """What the definition of ``word``'s commonest sense as ``pos`` says it is, its
        genus, when that is a rarer word: the head of its first noun phrase ("rubbish":
        "worthless material that is to be disposed of"; "grumble": "a loud low dull
        continuous noise"), not the words that tell it from others of its kind, which say
        what it does or has and which news uses of anything ("smoke": "a cloud of fine
        particles suspended in a gas", and an article's aid is "suspended"). None for an
        everyday genus ("gang": "an association of criminals"; "lawyer": "a professional
        person authorized to practice law"). Only when that sense is the word's only one
        or the one WordNet's sense-tagged corpus tagged most: of a rare word's untagged
        senses WordNet's first is as likely as any ("taco" is first a slur)."""
        net = self._wordnet()
        glosses = net.glosses(word, pos)
        counts = net.sense_counts(word, pos)
        if not glosses or (len(counts) > 1 and counts[0] <= max(counts[1:])):
            return ()
        definition = re.sub(r"\([^)]*\)", " ", glosses[0].split(";")[0].split('"')[0])
        # (a hyphened word is one, and a modifier: "any disease-producing agent")
        words = re.findall(r"[a-z]+(?:-[a-z]+)*", definition.lower())
        if words and words[0] in ("a", "an", "the"):
            words = words[1:]
        # The first noun phrase ends at a function word ("material that ...": a leading
        # one that is a noun, "someone who ...", is the genus, and an everyday one) or at
        # a verb's inflected form that takes no "of" ("a person serving a sentence", but
        # "a hostile meeting of forces"); its head is its last noun.
        phrase: list[str] = []
        for i, w in enumerate(words):
            if w in STOPWORDS:
                if phrase or net.base_forms(w, "n"):
                    break
                continue
            verb = net.base_forms(w, "v")
            if phrase and verb and w not in verb and words[i + 1 : i + 2] != ["of"]:
                break
            phrase.append(w)
        head = next((w for w in reversed(phrase) if net.base_forms(w, "n")), "")
        if len(head) > 3 and self.zipf(head) < EVERYDAY_KIND_ZIPF:
            return (head,)
        return ()

    def same_sense(self, word: str) -> set[str]:
        """Single words WordNet gives the noun ``word``'s commonest sense: "chief" and
        "foreman" for "boss", "attorney" for "lawyer". In that sense they name what
        ``word`` names, as its kinds do."""
        senses = self._wordnet().senses(word, "n")[:1]
        return {w.lower() for s in senses for w in s.words if _SINGLE.match(w)} - {word}

    def people_counted(self, word: str) -> frozenset[str]:
        """What a count of the people ``word`` names may call them: the words of WordNet's
        "person" (person, individual, someone ...) and "people", when ``word`` is first a
        kind of person ("patients": "three people taking the drug" counts patients).
        Empty otherwise ("locals" is first a train). Not the kinds between the word and
        "person" ("adult" for "nurses"): "420 adults" does not count nurses."""
        net = self._wordnet()
        person = frozenset(w for w in net.senses("person", "n")[0].words if _SINGLE.match(w))
        words = person | {"people"}
        if word in words:  # "How many people ...?" counts people too
            return words
        above = net.ancestors(word, senses=1)
        if self.expand(word).lexname != "noun.person" or "person" not in above:
            return frozenset()
        return words

    def named_kinds(self, word: str) -> frozenset[str]:
        """Single-word names of things the noun ``word`` names, by WordNet's instances:
        "tegucigalpa" for "city" (a passage that says where it was signed in Tegucigalpa
        names the city). A name that is also an everyday word ("Reading", "Nice",
        "Mobile") is left out: its lower-case reading names no city."""
        found = self._named.get(word)
        if found is None:
            net = self._wordnet()
            names = {n.lower() for n in net.instances(word) if n.isalpha()}
            found = frozenset(n for n in names if net.one_name(n))
            with self._lock:
                self._named[word] = found
        return found

    def measure(self, word: str) -> Measure | None:
        """What kind of amount the noun ``word`` is, if it is one a passage may state without
        the word, by WordNet's hypernyms:

        * money: its commonest sense is money itself, or a kind of money, outgo, payment or
          medium of exchange ("budget", "fee", "salary", "cash"), or that sense is an
          attribute (a worth) and the next one is ("price"); "rate" (first a ratio) is not;
        * a duration: "duration" itself, or a kind of one or of a temporal property
          ("length", "span"); not a unit or a calendar period ("year", "second");
        * a share: its commonest sense is a proportion, or a kind of one ("percentage",
          "percent"): "rose by 12%" says by what percentage; not "rate" or "ratio".
        """
        if word not in self._measures:
            found = self._measure(word)
            with self._lock:
                self._measures[word] = found
        return self._measures[word]

    def kind_of_money(self, word: str) -> frozenset[str] | None:
        """For a noun whose commonest sense is money of a particular kind, a payment, a
        charge or an income ("salary", "fee", "pension", "fine", "compensation"), the other
        words that may state an amount of it: the single words of what its senses of money
        are kinds of, up to the money in general they are (the first of "payment", "outgo"
        ... above them: "payment" for "compensation", a recompense, and for "rent", an
        annuity, three levels up; "charge" and "cost" for "fee"), and their verbs ("pay",
        "paid": "tenants will pay 900 euros a month" states the rent); and its kinds
        ("cost", a kind of outlay). None for money in general ("money", "cash", "budget",
        "price": any amount of money is one) and for a noun that is first something else
        ("terms", first a footing)."""
        net = self._wordnet()
        senses = net.senses(word, "n")
        if not senses or self.measure(word) != "money":
            return None
        first = net.ancestors(word, senses=1) | set(senses[0].words)
        if not first & _MONEY or first & _ANY_MONEY:
            return None

        def money(synset: Synset) -> bool:
            return bool((set(synset.words) | net.above([synset])) & _MONEY)

        found: set[str] = set()
        level = [s for s in senses[:SENSES] if money(s)]
        for sense in level:  # (a kind that is mostly another word's form is left out:
            # "found", food and lodging as wages, is mostly the past of "find")
            kinds = (w for o in sense.hyponyms for w in net.synset("n", o).words)
            found.update(w for w in kinds if _SINGLE.match(w) and self.expand(w.lower()).noun)
        above: set[str] = set()
        while level:  # (not past the money in general: "payment" is no "cost")
            level = [
                net.synset("n", o)
                for synset in level
                if not set(synset.words) & _MONEY
                for o in synset.hypernyms
            ]
            level = [synset for synset in level if money(synset)]
            above.update(w.lower() for synset in level for w in synset.words if _SINGLE.match(w))
        verbs = {f for w in above for f in self.expand(w, "n").family}
        verbs |= {f for w in verbs for f in self.irregular(w)}
        return frozenset({w.lower() for w in found if _SINGLE.match(w)} | above | verbs) - {word}

    def _measure(self, word: str) -> Measure | None:
        net = self._wordnet()
        if self.expand(word).proper or not net.senses(word, "n"):
            return None
        # what its commonest sense is a kind of ("fee": a payment; "cash": a currency), or
        # that sense itself when the word heads it ("money"; not "amount", which WordNet
        # lists first as a sum of money, but in "amount of rain" is none)
        sense = net.senses(word, "n")[0]
        first = net.ancestors(word, senses=1)
        if sense.words[0] in net.base_forms(word, "n"):
            first = first | set(sense.words)
        if first & _MONEY or ("attribute" in first and net.ancestors(word) & _MONEY):
            return "money"
        if word == "duration" or net.ancestors(word) & _DURATION:
            return "duration"
        if first & _SHARE:
            return "share"
        return None

    def irregular(self, word: str) -> tuple[str, ...]:
        """The irregular forms of ``word``: as a verb, its past ("pay": paid; "begin":
        began, begun); as a noun, its plural ("child": children; "woman": women): a
        passage says "Valdoria paid" or "14 children" where a question asks what they pay
        or how many kids, and stems do not join the two."""
        if " " in word or not word.isalpha():
            return ()
        net = self._wordnet()
        verbs = [f for base in net.base_forms(word, "v") for f in net.irregular_forms(base)]
        return tuple(dict.fromkeys([*verbs, *self.plurals(word)]))

    def plurals(self, word: str) -> list[str]:
        """The irregular plurals of ``word`` as a noun that are no form of another noun:
        "children", "women", "teeth", "criteria"; not "bases" (of "basis", but also of
        "base", which stems do join) nor "leaves" (of "leaf", and of "leave")."""
        net = self._wordnet()
        found = []
        for base in net.base_forms(word, "n"):
            forms = list(net.irregular_forms(base, "n"))
            men = base[:-3] + "men"  # WordNet's rule, not its list: "women", "chairmen"
            if base.endswith("man") and frequency.zipf(men) > 0:  # (not "humen")
                forms.append(men)
            for form in forms:
                others = set(net.base_forms(form, "n")) - {base, form}
                if base in net.base_forms(form, "n") and not any(
                    stem(other) == stem(form) for other in others
                ):
                    found.append(form)
        return found

    def is_compound(self, phrase: tuple[str, ...]) -> bool:
        """Is ``phrase`` one name in WordNet ("united states", "el salvador"), or one noun
        one of whose words means little alone ("think tank")? Compounds of words that
        each mean something ("price tag", "football team") are better as their words,
        each with its own synonyms; and a name is not read into everyday words ("us
        cabinet": the pronoun, or the country?)."""
        if len(phrase) < 2 or not self._wordnet().base_forms(" ".join(phrase), "n"):
            return False
        everyday = any(w in STOPWORDS for w in phrase)
        return everyday != self.expand(" ".join(phrase)).proper

    def phrasal_verb(self, phrase: tuple[str, ...]) -> str | None:
        """The verb of several words that ``phrase`` is, its first word perhaps inflected
        ("forking out": "fork out"; "got rid of": "get rid of"), if WordNet knows one.
        Such a verb means what its words do not ("shell out" is to pay, "turn down" to
        refuse), so it is one term. An auxiliary does not start one ("did for", "have
        on"): in a question it is nearly always the auxiliary. Of two words, the second
        must be a particle ("set *up*", "call *off*"): a verb and a preposition ("pay
        for", "ask for") mostly mean what the verb does, and WordNet's synonyms of the pair
        are of a rarer sense ("pay for": "invite")."""
        if len(phrase) < 2 or (
            len(phrase) == 2 and (phrase[0] in _AUXILIARIES or phrase[1] not in _PARTICLES)
        ):
            return None
        net = self._wordnet()
        rest = " ".join(phrase[1:])
        for base in dict.fromkeys([*net.base_forms(phrase[0], "v"), phrase[0]]):
            lemma = f"{base} {rest}"
            if lemma in net.base_forms(lemma, "v"):
                return lemma
        return None

    def domain_synonyms(self, phrase: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The profile's other names for ``phrase`` (folded words), if it is one."""
        return self._domain.get(phrase, [])

    def own_name(self, phrase: tuple[str, ...]) -> tuple[str, ...] | None:
        """The first of the profile's names for ``phrase`` (folded words), if it is one: the
        thing's own name. The others may also name other things of its kind ("agreement"
        names the memorandum, and a cybersecurity treaty too)."""
        return self._own_name.get(phrase)

    def zipf(self, word: str) -> float:
        """General-English frequency of a word or of its base form ("jeeps" as "jeep")."""
        found = frequency.zipf(word)
        if found == 0.0 and word.isalpha():
            net = self._wordnet()
            for pos in ("n", "v", "a"):
                for base in net.base_forms(word, pos):
                    found = max(found, frequency.zipf(base))
        return found

    def expand(self, word: str, pos: str | None = None) -> Expansion:
        """``word`` as the lexicon sees it; ``pos`` ("n" or "v"), when the question's
        wording settles it, limits synonyms to that part of speech."""
        key = f"{word}/{pos}"
        with self._lock:
            cached = self._cache.get(key)
        if cached is None:
            cached = self._expand(word, pos)
            with self._lock:
                if len(self._cache) > 20_000:
                    self._cache.clear()
                self._cache[key] = cached
        return cached

    def _expand(self, word: str, pos_hint: str | None) -> Expansion:
        zipf = self.zipf(word)
        if word in _NUMBERS:  # "4" and "four" are one number
            return Expansion(word, zipf, frozenset({_NUMBERS[word]}), noun=True, known=True)
        if not word.replace(" ", "").isalpha():
            # a code's plural: "J8s" are J8s
            code_plural = word.endswith("s") and any(ch.isdigit() for ch in word)
            return Expansion(word, zipf, frozenset({word[:-1]}) if code_plural else frozenset())
        net = self._wordnet()
        variants = spellings(word) if " " not in word else set()
        if not any(net.base_forms(word, pos) for pos in ("n", "v", "a", "r")):
            # an unknown word may be the other spelling of a known one ("kerbside"), or
            # a known word with a suffix WordNet does not list ("foundational")
            bases = sorted(variants) + (derived_from(word) if " " not in word else [])
            known = next((v for v in bases if any(net.base_forms(v, p) for p in "nvar")), None)
            if known is not None:
                expansion = self._expand(known, pos_hint)
                return replace(expansion, word=word, family=expansion.family | variants | {known})
            apart = _written_apart(net, word) if " " not in word else None
            together = self._expand(" ".join(apart), pos_hint) if apart else None
            if apart and together is not None and together.lexname != "noun.location":
                # "soundbite", "heatwave", "rollout": English, closed up, not a name; as
                # rare as wordfreq says, or, unlisted, as its rarer word. Not a kind of
                # place: "newtown" typed in lower case is more likely a town's name than
                # a new town.
                rarest = min(self.zipf(w) for w in apart)
                return replace(together, word=word, zipf=zipf or rarest, apart=apart)
        family: set[str] = set(variants)
        synonyms: set[str] = set()
        phrases: list[tuple[str, ...]] = []
        senses_by_pos = {pos: net.senses(word, pos) for pos in ("n", "v", "a", "r")}
        all_senses = [s for senses in senses_by_pos.values() for s in senses]
        proper = bool(all_senses) and all(
            any(m[:1].isupper() for m in s.words if m.lower() == word or m.lower() in family)
            or s.words[0][:1].isupper()
            for s in all_senses
        )
        # The same word written with a hyphen ("coop": "co-op", a cooperative; "email":
        # "e-mail"): its senses are the word's too, its synonyms synonyms.
        for hyphened in _hyphenations(net, word):
            family.add(hyphened)
            for pos in ("n", "v", "a", "r"):
                for sense in net.senses(hyphened, pos)[:SENSES]:
                    synonyms.update(
                        m.lower() for m in sense.words if _SINGLE.match(m) and m != hyphened
                    )
        for pos, senses in senses_by_pos.items():
            lemmas = set(net.base_forms(word, pos)) if senses else set()
            family |= lemmas
            for sense in senses:
                family.update(t.lower() for s, t in sense.derived if s.lower() in lemmas)
                # An antonym is about the same thing ("binding", "nonbinding") and often
                # settles a yes/no question, but it is not the word: a synonym's credit.
                synonyms.update(t.lower() for s, t in sense.antonyms if s.lower() in lemmas)
            if pos_hint is not None and pos != pos_hint:
                continue
            for sense in senses[: 1 if proper else SENSES]:
                for member in (m.lower() for m in sense.words):
                    if member in lemmas:
                        continue
                    if _SINGLE.match(member) and _one_word_shortened(net, word, member, sense):
                        # one word, shortened: "memo" is a memorandum, "lab" a laboratory
                        family.add(member)
                    elif _SINGLE.match(member):
                        synonyms.add(member)
                    elif len(member.split()) <= 3:
                        phrases.append(tuple(words(member)))
        if proper:
            family |= _demonyms(net, word)
        elif not all_senses and word.isalpha():
            family |= _place_and_people(word)
        if not proper and senses_by_pos["n"]:
            synonyms |= _compound_head(net, word)
        family |= _negated(net, word)
        family |= _same_role(net, word)
        family |= _undergoer(net, word)
        family = {f for f in family if _SINGLE.match(f) or " " in f} - {word}
        # A synonym as common as "be" or "get" (WordNet's "cost" is to "be" priced)
        # would match every other sentence.
        synonyms = {w for w in synonyms if w not in STOPWORDS and frequency.zipf(w) < 6.0}
        return Expansion(
            word,
            zipf,
            frozenset(family),
            frozenset(synonyms - family - {word}),
            tuple(dict.fromkeys(p for p in phrases if _useful_phrase(p))),
            noun=pos_hint == "n" if pos_hint else _mostly_noun(net, word, senses_by_pos),
            proper=proper,
            known=bool(all_senses),
            lexname=senses_by_pos["n"][0].lexname if senses_by_pos["n"] else "",
        )


# British and American spellings of one word: "organise"/"organize", "centre"/"center",
# "defence"/"defense", "programme"/"program", "travelled"/"traveled", "colour"/"color".
_SPELLINGS = (
    ("isation", "ization"), ("ising", "izing"), ("ised", "ized"), ("ise", "ize"),
    ("ises", "izes"), ("yse", "yze"), ("ysed", "yzed"), ("our", "or"), ("ours", "ors"),
    ("tre", "ter"), ("tres", "ters"), ("ence", "ense"), ("ogue", "og"), ("mme", "m"),
    ("lled", "led"), ("lling", "ling"), ("ller", "ler"),
)  # fmt: skip


#: Derivational suffixes and what the word they were added to ended with ("foundational":
#: foundation; "systemic": system; "remediable": remedy).
_SUFFIXES = (("ational", "ation"), ("al", ""), ("ic", ""), ("ical", ""), ("ness", ""),
             ("ment", ""), ("ity", ""), ("ity", "e"), ("able", ""), ("able", "e"),
             ("iable", "y"), ("ism", ""), ("ist", ""), ("ize", ""), ("ise", ""),
             ("ization", "ize"), ("isation", "ise"), ("ful", ""), ("less", ""))  # fmt: skip


def derived_from(word: str) -> list[str]:
    """The words ``word`` may be derived from by a suffix, longest suffix first (most are
    not words; the caller keeps one WordNet knows). A base of at least four letters."""
    found = []
    for suffix, ending in sorted(_SUFFIXES, key=lambda s: -len(s[0])):
        if word.endswith(suffix) and len(word) - len(suffix) + len(ending) >= 4:
            found.append(word[: -len(suffix)] + ending)
    return [f for f in dict.fromkeys(found) if f != word]


def spellings(word: str) -> set[str]:
    """The other (British or American) spellings ``word`` may have; most are not words,
    which costs nothing, since only a word found in a text matches."""
    found = set()
    for british, american in _SPELLINGS:
        for a, b in ((british, american), (american, british)):
            if word.endswith(a) and len(word) > len(a) + 2:
                found.add(word[: -len(a)] + b)
    return found - {word}


def _written_apart(net: WordNet, word: str) -> tuple[str, str] | None:
    """``word`` as the two words WordNet knows it as, written apart ("soundbite": sound
    bite; "heatwave": heat wave; "rollout": roll out; "headteacher": head teacher), for
    a word it does not know as written. Chat and some outlets close such compounds up.
    None for anything else ("Kestavia", "bitcoin")."""
    if len(word) < 4 or not word.isalpha():
        return None
    for i in range(1, len(word) - 1):
        if any(net.base_forms(f"{word[:i]} {word[i:]}", pos) for pos in "nv"):
            return word[:i], word[i:]
    return None


def _hyphenations(net: WordNet, word: str) -> list[str]:
    """``word`` with a hyphen put in, as WordNet lists it ("coop": "co-op"), if at all;
    only for a word of one part, at least four letters."""
    if len(word) < 4 or not word.isalpha():
        return []
    hyphened = (f"{word[:i]}-{word[i:]}" for i in range(2, len(word) - 1))
    return [h for h in hyphened if any(net.base_forms(h, pos) for pos in "nvar")]


def _useful_phrase(phrase: tuple[str, ...]) -> bool:
    """A phrase that names something: not "the States" (which would match "the state"),
    not initials ("u s")."""
    return bool(phrase) and phrase[0] not in _ARTICLES and all(len(w) > 1 for w in phrase)


def _negated(net: WordNet, word: str) -> set[str]:
    """The word with a negating prefix added or removed, where WordNet says the one
    negates the other: "security" <-> "insecurity", "legal" <-> "illegal" (antonyms),
    "distrust" <-> "trust" (its definition says it: "doubt about someone's honesty"
    does not, but "the trait of not trusting others" does). Not a word that merely
    starts with a prefix's letters: "discover" is not to stop covering, and an "impact"
    is no "pact"."""
    found = set()
    for prefix in _NEGATIONS:
        pairs = [(prefix + word, word)]
        if word.startswith(prefix) and len(word) > len(prefix) + 3:
            pairs.append((word, word[len(prefix) :]))
        for negated, base in pairs:
            other = base if negated == word else negated
            if frequency.zipf(other) > 0 and _negates(net, negated, base):
                found.add(other)
    return found


#: The words by which a definition negates what follows them: "*not* trusting", "*deprive*
#: of courage", "*without* intermediate stops", "the *removal* of covering".
_NEGATING = frozenset(
    "not no without lack lacking absence deprive deprived remove removal release free "
    "opposite reverse undo".split()
)


def _negates(net: WordNet, negated: str, base: str) -> bool:
    """Does WordNet make ``negated`` the opposite of ``base``: an antonym either way, or a
    definition of ``negated`` that negates ``base`` or a form of it ("not covered", "deprive
    of courage")? A definition that merely uses it does not: "inside" is "being on the
    side closer to the center", "intake" "the process of taking food into the body",
    to "displace" to "take the place of"."""
    for one, other in ((negated, base), (base, negated)):
        for pos in "nvar":
            if any(t.lower() == other for s in net.senses(one, pos) for _, t in s.antonyms):
                return True
    for pos in "nvar":
        for gloss in net.glosses(negated, pos):
            definition = words(gloss.split('"', 1)[0].lower())
            for i, w in enumerate(definition):
                if (
                    w == base or any(base in net.base_forms(w, p) for p in "nvar")
                ) and not _NEGATING.isdisjoint(definition[:i]):
                    return True
    return False


def _undergoer(net: WordNet, word: str) -> set[str]:
    """The person a verb is done to, by "-ee", and back, where WordNet knows both but
    does not link them: "evacuated" <-> "evacuees", "nominate" <-> "nominee", "employ"
    <-> "employee". ("Where did the evacuated families sleep?" is answered by "Evacuees
    spent up to five nights in emergency shelters".) A person, by WordNet's first sense
    of the noun; a verb, by WordNet's verbs: not "coffee" nor "committee"."""
    found: set[str] = set()
    for verb in net.base_forms(word, "v"):
        stems_ = {verb, verb[:-1] if verb.endswith("e") else verb}
        if verb.endswith("ate"):
            stems_.add(verb[:-3])
        for noun in {s + "ee" for s in stems_} - {word}:
            if net.commonest_file(noun) == "noun.person":
                found.add(noun)
    for noun in net.base_forms(word, "n"):
        if not noun.endswith("ee") or len(noun) < 6:
            continue
        if net.commonest_file(noun) != "noun.person":
            continue
        base = noun[:-2]
        found.update(v for v in (base, base + "e", base + "ate") if net.base_forms(v, "v"))
    return found - {word}


#: The endings that make a role's gendered and neutral names: spokeswoman, spokesman and
#: spokesperson are one role (singular, then plural).
_ROLE_ENDINGS = (("woman", "women"), ("man", "men"), ("person", "people"))


def _compound_head(net: WordNet, word: str) -> set[str]:
    """The word a closed compound ends in, when it names a kind of it: "slide" for
    "landslide", "fire" for "wildfire", "bridge" for "footbridge", as WordNet files them.
    News names the thing in full once and then by its head ("The slide began at about
    4:15 a.m."), so the head speaks of it, as a synonym does. Not "man" for "gunman",
    which WordNet does not file under "man", nor "fall" for "windfall"."""
    if not word.isalpha():
        return set()
    above = net.ancestors(word, senses=SENSES)
    return {word[i:] for i in range(2, len(word) - 2) if word[i:] in above}


def _same_role(net: WordNet, word: str) -> set[str]:
    """The other names of the role ``word`` names with a gendered or neutral ending, that
    WordNet knows as nouns: "spokeswoman": spokesman, spokesperson; "chairmen":
    chairwomen, chairpeople, chair. An article calls its spokeswoman "the coalition's
    spokesperson", and a question may call her either."""
    for number in (0, 1):
        for endings in _ROLE_ENDINGS:
            end = endings[number]
            base = word[: -len(end)]
            if not word.endswith(end) or len(base) < 3:
                continue
            others = {base + e[number] for e in _ROLE_ENDINGS} - {word}
            if _a_role(net, base):  # "chairman" is the "chair"
                others.add(base)
            return {o for o in others if any(net.base_forms(o, "n"))}
    # ... and a role's name is the role where WordNet gives one sense to both ("chair",
    # "chairs": chairman, chairwoman, chairperson; not "coach": coachman): "Who chairs
    # the committee?" is said by "chairman of the committee"
    found: set[str] = set()
    for base in {*net.base_forms(word, "n"), *net.base_forms(word, "v")}:
        for sense in net.senses(base, "n") if len(base) >= 3 else ():
            if sense.lexname == "noun.person":
                found |= {w for w in sense.words if w in {base + e[0] for e in _ROLE_ENDINGS}}
    return found


def _a_role(net: WordNet, word: str) -> bool:
    """Is ``word`` a noun for a person in the sense that its "-man" form is too ("chair":
    chairman)? Not "coach", whose "coachman" drives a carriage."""
    return any(
        s.lexname == "noun.person" and any(w.startswith(word) and w != word for w in s.words)
        for s in net.senses(word, "n")
    )


def _one_word_shortened(net: WordNet, word: str, member: str, sense: Synset) -> bool:
    """Is ``member`` (of ``word``'s ``sense``) the word shortened, or the word the
    shortened form of ``member``, and is that sense what the short form first means?
    "memo" first means a memorandum and "lab" a laboratory, but "bar" a barroom, not a
    barricade, and "van" a truck, not a vanguard."""
    if not clipped(word, member):
        return False
    short = min(word, member, key=len)
    first = net.senses(short, sense.pos)[:1]
    return bool(first) and first[0].words == sense.words


def _demonyms(net: WordNet, name: str) -> set[str]:
    """Adjectives WordNet links to the place ``name`` ("guatemala" -> "guatemalan")."""
    found = set()
    for drop, add in _DEMONYM_ENDINGS:
        if drop and not name.endswith(drop):
            continue
        candidate = (name[: -len(drop)] if drop else name) + add
        for sense in net.senses(candidate, "a"):
            if any(target.lower() == name for _, target in sense.derived):
                found.add(candidate)
    return found


def _place_and_people(name: str) -> set[str]:
    """For a name WordNet does not know, the place or the adjective of its people it is the
    other of, by the endings English commonly gives them: "-a" and "-an" ("Lindoran": of
    Lindora; "Estavia": Estavian), "-o" and "-an" ("Tescaran": of Tescaro), a consonant
    and "-ian" ("Orlundian": of Orlund). News calls a country's parliament "Lindora's" and
    its bill "the Lindoran bill". WordNet links the places it knows (:func:`_demonyms`);
    for the rest, the ending is all there is: every form it allows is taken (a form no
    text uses costs nothing), unless one is, or stems as, an English word ("Megan": mega).
    """
    found: set[str] = set()
    if name.endswith("ian") and len(name) > 6:
        found = {name[:-1]}  # "estavian": estavia
        if _two_consonants(name[:-3]):
            found.add(name[:-3])  # "orlundian": orlund
    elif name.endswith("an") and len(name) > 5:
        found = {name[:-1], name[:-2] + "o"}  # "lindoran": lindora; "tescaran": tescaro
    elif name.endswith("a") and len(name) > 4:
        found = {name + "n"}  # "estavia": estavian
    elif name.endswith("o") and len(name) > 4:
        found = {name[:-1] + "an"}  # "tescaro": tescaran
    elif len(name) > 4 and _two_consonants(name):
        found = {name + "ian"}  # "orlund": orlundian (not "Hallsten": a surname's "-en")
    if any(frequency.zipf(f) or frequency.zipf(stem(f)) for f in found):
        return set()
    return found


def _two_consonants(word: str) -> bool:
    """Does ``word`` end in two consonants ("Orlund", not "Hallsten")?"""
    return len(word) > 1 and not set(word[-2:]) & set("aeiouy")


def _mostly_noun(net: WordNet, word: str, senses: dict[str, list[Synset]]) -> bool:
    """Is ``word`` mostly used as a noun? By WordNet's sense-tagged counts where it has
    them, else by its number of senses; a word WordNet lacks (a name) counts as a noun."""
    nouns, others = len(senses["n"]), sum(len(senses[p]) for p in ("v", "a", "r"))
    if not nouns:
        return not others
    counts: dict[str, int] = {}
    for pos in ("n", "v", "a", "r"):
        for base in net.base_forms(word, pos) if senses[pos] else ():
            for tagged_pos, count in net.tagged_counts(base).items():
                if tagged_pos == pos:
                    counts[pos] = counts.get(pos, 0) + count
    tagged_nouns = counts.get("n", 0)
    tagged_others = sum(c for p, c in counts.items() if p != "n")
    if tagged_nouns + tagged_others == 0:
        return nouns >= others
    return tagged_nouns >= tagged_others


#: The persons a word may name by sex or age alone (WordNet's first words of them), and
#: "person" itself (not what sits right under it: "expert", "leader", "signatory").
_PLAIN_PERSONS = frozenset("man woman male female adult boy girl".split())
#: The attributes of a person that such a word may give, as WordNet files the adjectives
#: of them ("young", "elderly": age; "male": sex).
_PLAIN_ATTRIBUTES = frozenset(["age", "sex"])
#: How WordNet defines a word as another word for what follows: "an informal term for",
#: "a polite name for", "slang term for", "an informal form of address for".
_ANOTHER_WORD_FOR = re.compile(
    r"^(?:[a-z]+\s+){0,2}?(?:terms?|names?|forms?)(?:\s+of\s+address)?\s+for\s+"
)
#: The words that join such a definition's words: "a boy or man", "any woman".
_JOINING = frozenset("a an any or and".split())


@lru_cache(maxsize=4096)
def plain_person(word: str) -> bool:
    """Does ``word`` name a person by sex or age alone, as chat does someone it has no
    word for ("the council *guy*", "the *bloke* behind the wheel", "the old *lady*")? Its
    commonest sense is such a person, or a kind of one right under it that WordNet
    defines by sex or age alone ("guy": a youth or man; "bloke": a boy or man; "lady":
    any woman); not a role ("mayor", "spokesman"), nor a kind of man or woman by a tie,
    a stance or a deed ("wife": a married woman; "widow"; "conservative"; "host")."""
    senses = wordnet().senses(word, "n")
    if not senses:
        return False
    first = senses[0]
    itself = first.words[0].lower()
    if itself == "person" or itself in _PLAIN_PERSONS:
        return True
    above = [wordnet().synset("n", o).words[0].lower() for o in first.hypernyms]
    return any(w in _PLAIN_PERSONS for w in above) and _by_sex_or_age(word)


#: WordNet's words for a person of either sex, which what is of that sex sits under.
_SEXES = {"male person": "male", "female person": "female"}
#: The pronouns English gives a person's sex by.
SEX_PRONOUNS = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}


@lru_cache(maxsize=4096)
def sex_of(word: str) -> str | None:
    """The sex ``word`` gives a person, "male" or "female": a pronoun's ("he", "she"), or
    that of what WordNet files its commonest sense of a person under, all the way up
    ("guy": a man, a male person; "lady", "girl", "widow"); None for a word of either
    ("person", "owner", "mayor"), or one WordNet files under neither ("spokeswoman")."""
    if word in SEX_PRONOUNS:
        return SEX_PRONOUNS[word]
    senses = wordnet().senses(word, "n")
    if not senses or senses[0].lexname != "noun.person":
        return None
    found = {w.lower() for w in (*senses[0].words, *wordnet().above(senses[:1]))}
    sexes = {sex for name, sex in _SEXES.items() if name in found}
    return next(iter(sexes)) if len(sexes) == 1 else None


def _by_sex_or_age(word: str, depth: int = 1) -> bool:
    """Does WordNet define ``word``'s commonest noun sense by sex or age alone: by words
    for a plain person ("a boy or man") and adjectives of age or sex ("a young woman",
    "an elderly person"), perhaps as another word for one ("an informal term for a youth
    or man", where "youth" is, in turn, "a young person")? Not "a married woman", "a
    woman whose husband is dead", "a person who invites guests"."""
    glosses = wordnet().glosses(word, "n")
    if not glosses:
        return False
    definition = re.sub(r"\([^)]*\)", " ", glosses[0].split(";")[0]).lower().strip()
    found = re.findall(r"[a-z'-]+", _ANOTHER_WORD_FOR.sub("", definition))
    return bool(found) and all(
        w in _JOINING
        or _PLAIN_PERSONS.union(["person"]).intersection(_first_words(w))
        or _PLAIN_ATTRIBUTES & wordnet().attributes(w)
        or (depth > 0 and _by_sex_or_age(w, depth - 1))
        for w in found
    )


def _first_words(word: str) -> list[str]:
    """The first word of ``word``'s commonest noun sense ("grownup": adult), if any."""
    senses = wordnet().senses(word, "n")
    return [senses[0].words[0].lower()] if senses else []


# -------------------------------------------------------------------------- typos

#: Shorter words are not corrected: one edit away from a short word is too many words.
MIN_CORRECTABLE = 5
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


#: Names shorter than this are not read as another spelling of a name: one letter joins
#: too many short names.
MIN_RESPELT_NAME = 6


@lru_cache(maxsize=1024)
def respellings(name: str) -> frozenset[str]:
    """The other spellings news may give the name ``name`` (folded): one edit away
    (:func:`edits1`), with its first and last letters ("nielson" for "nielsen"): an
    article does not name two people one letter apart, as it does a country and its
    people ("Guatemala", "Guatemalan"). Empty for a name of fewer than
    ``MIN_RESPELT_NAME`` letters, or not all letters."""
    if len(name) < MIN_RESPELT_NAME or not name.isalpha():
        return frozenset()
    return frozenset(w for w in edits1(name) if w[0] == name[0] and w[-1] == name[-1])


def edits1(word: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from
    ``word`` (Peter Norvig's spelling corrector); the caller keeps those it knows."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in _LETTERS]
    inserts = [a + c + b for a, b in splits for c in _LETTERS]
    return set(deletes + transposes + replaces + inserts) - {word}
