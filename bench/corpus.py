"""Deterministic synthetic news: articles, the chunks briefbot makes of them, and queries.

Words come from a Zipf-distributed vocabulary: a head of common English words, then news
words, then made-up words from syllables, with the story's own words (border, memorandum,
Honduras, ...) mixed in. Each paragraph has 8-12 sentences, each article 5-9 paragraphs.

Articles are generated one at a time and chunked with briefbot's own chunker until the
target number of chunks is reached, so the corpus for a size holds (just over) that many
chunks and the exact count is known. The same seed always gives the same text.
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.core.ingest import ArticleStore
from bot.core.parse import ParsedArticle
from bot.core.words import STOPWORDS

COMMON = """
the of and to a in that is was he for it with as his on be at by this had not are but
from or have an they which one you were her all she there would their we him been has
when who will more no if out so said what up its about into than them can only other new
some could time these two may then do first any my now such like our over even most made
after also did many before must through back years where much your way well down should
because each just those people how too little state good very make world still own see
men work long get here between both life being under never day same another know while
last might us great old year off come since against go came right used take three
""".split()

NEWS = """
government minister security police officials report agreement program country economic
public national support group told week month president plan law court policy rights
city region health office members military aid funding spokesman statement vote council
company market trade money budget crisis talks leaders party election campaign workers
families children school water food prices farmers coffee crops weather storm roads bus
transport service services system data cyber network attack defence forces troops arms
investigation prosecutor judge ruling sentence prison officers local community groups
foreign ministry embassy visit signed deal pact treaty accord cooperation partners allies
donors loans debt growth jobs unemployment poverty violence gangs corruption crime
murder rate cases victims reports sources analysts experts critics activists protest
protesters march rally capital province state committee commission inquiry hearing
evidence documents emails letters interview press conference announcement decision
measures rules standards targets goals results figures percent million billion thousand
""".split()

DOMAIN = """
border memorandum migration migrants Honduras Guatemala Salvador Tegucigalpa asylum
caravan Nielsen Washington smuggling trafficking homeland deportation refugees frontier
customs intelligence Northern Triangle Central America Mexico coalition humanitarian
checkpoints biometric patrols extradition remittances displacement cartels
""".split()

SYLLABLES = """
ba be bi bo bu da de di do du fa fe fi fo ga ge go ka ke ki ko la le li lo lu ma me mi mo
mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za
an en in on ar er or al el il ol am em tor ran del mar ven sol tra pre con der
""".split()

TEMPLATES = (
    "What did the {a} say about {b} {c}?",
    "What happened with the {a} {b}?",
    "Why did {a} {b} the {c}?",
    "How many {a} {b} were there?",
    "Who {a} the {b} {c}?",
    "When was the {a} {b} {c}?",
    "What is known about {a} and {b}?",
)


def made_up_words(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct pronounceable non-words of 2-4 syllables."""
    out: list[str] = []
    seen = set(COMMON) | set(NEWS) | {w.lower() for w in DOMAIN}
    while len(out) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


@dataclass
class Vocabulary:
    """Zipf-weighted words (``words`` with cumulative weights) plus story words."""

    words: list[str]
    cum_weights: list[float]
    domain: list[str]

    @classmethod
    def build(cls, size: int, rng: random.Random, exponent: float = 1.07) -> Vocabulary:
        head = list(dict.fromkeys(COMMON + NEWS))
        words = head + made_up_words(max(0, size - len(head)), rng)
        weights = [1.0 / (rank + 1) ** exponent for rank in range(len(words))]
        return cls(words, list(itertools.accumulate(weights)), DOMAIN)


@dataclass
class ArticleGenerator:
    """Endless, reproducible news-like articles."""

    seed: int = 20190327
    vocab_size: int = 4000
    domain_rate: float = 0.05
    rng: random.Random = field(init=False)
    vocab: Vocabulary = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.vocab = Vocabulary.build(self.vocab_size, self.rng)

    def _words(self, n: int) -> list[str]:
        picked = self.rng.choices(self.vocab.words, cum_weights=self.vocab.cum_weights, k=n)
        for i in range(n):
            if self.rng.random() < self.domain_rate:
                picked[i] = self.rng.choice(self.vocab.domain)
        return picked

    def sentence(self) -> str:
        words = self._words(self.rng.randint(8, 24))
        if self.rng.random() < 0.25:
            words.insert(self.rng.randrange(1, len(words)), str(self.rng.randint(2, 2024)))
        if self.rng.random() < 0.4:
            comma = self.rng.randrange(2, len(words) - 1)
            words[comma] += ","
        first = words[0]
        words[0] = first[:1].upper() + first[1:]
        return " ".join(words) + self.rng.choice(".....?!")

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(8, 12)))

    def article(self, number: int) -> ParsedArticle:
        title_words = [self.rng.choice(self.vocab.domain), *self._words(5)]
        title = " ".join(w[:1].upper() + w[1:] for w in title_words) + f" ({number})"
        body = "\n\n".join(self.paragraph() for _ in range(self.rng.randint(5, 9)))
        return ParsedArticle(
            origin=f"bench://article/{number}",
            title=title,
            text=body,
            format="txt",
            source="bench",
            published=date(2019, 1, 1) + timedelta(days=number % 365),
        )

    def __iter__(self) -> Iterator[ParsedArticle]:
        for number in itertools.count(1):
            yield self.article(number)


@dataclass
class Corpus:
    """Articles, the text of every chunk briefbot makes of them, and the queries."""

    articles: list[ParsedArticle]
    chunk_texts: list[str]
    queries: list[str]
    #: Questions of the same kind, only for warming up: never among the timed ones.
    warmup: list[str] = field(default_factory=list)

    @property
    def chunks(self) -> int:
        return len(self.chunk_texts)


def grow(
    generator: Iterator[ParsedArticle],
    store: ArticleStore,
    corpus: Corpus,
    target_chunks: int,
) -> None:
    """Add articles (and their chunk texts) to ``corpus`` until it has ``target_chunks``."""
    while corpus.chunks < target_chunks:
        article = next(generator)
        corpus.articles.append(article)
        corpus.chunk_texts.extend(
            article.text[row["char_start"] : row["char_end"]]
            for row in store.chunk_rows(article.text)
        )


_SENTENCE = re.compile(r"[^.!?]+[.!?]")
_CONSONANTS = "bcdfghjklmnpqrstvwxz"


def query_words(sentence: str) -> list[str]:
    """Content words of a sentence a question can be made of (no numbers, no stop words)."""
    out = []
    for raw in sentence.split():
        word = raw.strip(",.!?")
        if word.isalpha() and len(word) > 2 and word.lower() not in STOPWORDS:
            out.append(word if word in DOMAIN else word.lower())
    return list(dict.fromkeys(out))


def answerable_query(articles: list[ParsedArticle], rng: random.Random) -> str:
    """A question made of words of one sentence of a random article (so it has an answer)."""
    while True:
        article = rng.choice(articles)
        sentences = _SENTENCE.findall(rng.choice(article.text.split("\n\n")))
        words = query_words(rng.choice(sentences))
        if len(words) >= 3:
            a, b, c = rng.sample(words, 3)
            return rng.choice(TEMPLATES).format(a=a, b=b, c=c)


def unknown_query(rng: random.Random) -> str:
    """A question whose words are in no article (out of vocabulary)."""
    a, b, c = ("".join(rng.choices(_CONSONANTS, k=rng.randint(6, 9))) for _ in range(3))
    return rng.choice(TEMPLATES).format(a=a, b=b, c=c)


def make_queries(
    articles: list[ParsedArticle], count: int, seed: int, unknown_share: float = 0.1
) -> list[str]:
    """``count`` questions, about ``unknown_share`` of them out of vocabulary."""
    rng = random.Random(seed)
    return [
        unknown_query(rng) if rng.random() < unknown_share else answerable_query(articles, rng)
        for _ in range(count)
    ]


WARMUP_QUERIES = 5


def build_corpora(
    sizes: list[int], store: ArticleStore, queries: int, seed: int
) -> Iterator[tuple[int, Corpus]]:
    """One corpus per target size; each smaller corpus is a prefix of the larger ones."""
    generator = iter(ArticleGenerator(seed))
    corpus = Corpus([], [], [])
    for size in sorted(sizes):
        grow(generator, store, corpus, size)
        snapshot = Corpus(
            list(corpus.articles),
            list(corpus.chunk_texts),
            make_queries(corpus.articles, queries, seed + size),
            make_queries(corpus.articles, WARMUP_QUERIES, seed + size + 1),
        )
        yield size, snapshot
