"""Shared word runs: word hashes of the checked units -> runs of words two units share.

The numeric half of shared runs and echoes (phrases.py reads the text and makes the
findings). It runs with the comparison, and its result is cached with it. Every word
k-gram is hashed once from the word hashes prepare.py made; positions with equal
k-gram hashes are paired (seeds), and each seed is followed along its diagonal to a
maximal run, all in numpy, never a loop over words. Two kinds of run are kept:

- shared runs of ``min_run`` words or more, anywhere: a quote or clause reused inside
  a longer sentence. Seeds found in more than ``run_max_articles`` articles are stock
  phrases ("told BBC Radio Five Live's Sportsweek programme"), and a run needs
  MIN_RUN_CONTENT content words (stopwords alone are no run);
- echo candidates, shorter runs between two sentences of one article, seeded by
  two-word parts with a content word. A run whose parts are at a third place of the
  article is the article's topic ("the minimum wage"), not an echo. Each is marked
  with what it may be: a phrase (``echo_min_words`` words, two content words, its
  rarest three-word part in at most ``echo_max_articles`` articles of the collection),
  a number and its head noun (in at most that many articles); any may be a quote.

Content words are the words less the stopwords and the 300 most frequent words of
general English from wordfreq (said, told, people, year...; frozen in wordlist.py):
those never make a phrase distinctive, in one article or in a collection of one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from dedupe.model import RUN_NUMBER, RUN_PHRASE, Checked, RunCandidates, RunRow, Settings
from dedupe.shingles import distinct, hasher, lookup, ranges
from dedupe.verify import FUNCTION_WORDS
from dedupe.wordlist import COMMON_EN

# Numbers as words (normalisation splits "1,200" into "1" and "200"); years are left
# out: "the 2005 election" is a date, not a figure.
NUMBERS = [str(n) for n in range(10_000) if not 1900 <= n <= 2099] + [f"{n:03d}" for n in range(100)]
MAX_SEED_PLACES = 8  # a two-word part at more places than this in one article is no seed
MAX_TOPIC_UNITS = 2  # an echo's parts are at no third place of its article
MIN_RUN_CONTENT = 2  # content words a shared run has at least
_INDEX_BITS = 20  # a seed's sort key keeps its hash's top 44 bits (or fewer), its index below them
_MIX = np.uint64(0x9E3779B97F4A7C15)
_FOLD = np.uint64(0x100000001B3)  # as shingles.py: FNV prime, then MurmurHash3's finaliser
_M1 = np.uint64(0xFF51AFD7ED558CCD)
_M2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_EMPTY = np.zeros(0, dtype=np.int64)


@lru_cache(maxsize=1)
def word_classes() -> tuple[np.ndarray, np.ndarray]:
    """The sorted word hashes of the common words and the numbers, and for each whether
    it is a number (made once a process: a check of one draft after another in a server)."""
    h = hasher()
    numbers = distinct(h(NUMBERS))
    common = distinct(h(sorted(FUNCTION_WORDS.union(COMMON_EN))))
    common = common[~np.isin(common, numbers, assume_unique=True)]  # np.setdiff1d's, without importing numpy.ma
    table = np.concatenate((common, numbers))
    order = np.argsort(table)
    return table[order], (order >= len(common))


CHUNK = 1 << 18  # positions a step of the chunked loops takes: their temporaries stay ~2 MB
PASS_KEYS = 1 << 24  # seed keys sorted at once at most (~200 MB with their positions): past it, in passes


def index_type(n: int) -> type[np.signedinteger]:
    """The integer type of positions, ids and counts below ``n``: int32 (half the memory
    of an int64 per-word array) while they fit, else int64. Products of two of them
    (a pair's sort key) are formed in int64 all the same."""
    return np.int32 if n < 2**31 else np.int64


def _indices(mask: np.ndarray) -> np.ndarray:
    """np.flatnonzero(mask), as index_type, a chunk at a time (not all in int64 first)."""
    out = np.empty(np.count_nonzero(mask), dtype=index_type(len(mask)))
    at = 0
    for s in range(0, len(mask), CHUNK):
        found = np.flatnonzero(mask[s : s + CHUNK])
        found += s
        out[at : at + len(found)] = found
        at += len(found)
    return out


@dataclass(frozen=True, slots=True)
class Words:
    """Every checked unit's word hashes, in checked-id order: unit i owns
    ``hashes[indptr[i]:indptr[i+1]]``; ``unit`` and ``doc`` say whose each word is
    (as index_type: int32 below 2**31 words)."""

    hashes: np.ndarray  # uint64
    indptr: np.ndarray  # int64, units + 1
    unit: np.ndarray  # per word: its checked id
    doc: np.ndarray  # per word: its document

    @classmethod
    def of(cls, hashes: np.ndarray, counts: np.ndarray, unit_doc: np.ndarray) -> Words:
        indptr = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        index = index_type(max(len(hashes), len(counts) + 1, int(unit_doc.max()) + 1 if len(unit_doc) else 0))
        unit = np.repeat(np.arange(len(counts), dtype=index), counts)
        doc = unit_doc.astype(index)[unit]
        return cls(hashes, indptr, unit, doc)

    def whole(self, k: int) -> np.ndarray:
        """Per word position: the k words from there lie in its unit. The last k - 1
        words of each unit start no k-gram: marked from the units' ends, with no
        per-word count of the words left."""
        valid = np.ones(len(self.hashes), dtype=bool)
        starts, ends = self.indptr[:-1], self.indptr[1:]
        for j in range(1, k):
            last = ends - j
            valid[last[last >= starts]] = False
        return valid


def _finish(acc: np.ndarray) -> np.ndarray:
    """MurmurHash3's finaliser on folded k-gram hashes, in place (as shingles.py)."""
    shifted = np.empty_like(acc)  # one scratch array for the three shifts, not three new ones
    with np.errstate(over="ignore"):
        for m in (_M1, _M2, None):
            acc ^= np.right_shift(acc, _S33, out=shifted)
            if m is not None:
                acc *= m
    return acc


def kgrams(hashes: np.ndarray, k: int) -> np.ndarray:
    """The hash of the k words starting at each position of ``hashes`` (of fewer words
    near the end, where no k-gram starts: Words.whole)."""
    n = len(hashes)
    acc = hashes.copy()
    with np.errstate(over="ignore"):
        for j in range(1, min(k, n)):
            acc[: n - j] *= _FOLD
            acc[: n - j] += hashes[j:]
    return _finish(acc)


def kgrams_at(hashes: np.ndarray, at: np.ndarray, k: int) -> np.ndarray:
    """kgrams(hashes, k)[at], for positions whose k words all lie in ``hashes``, without
    a hash for every position: CHUNK positions at a time."""
    out = np.empty(len(at), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for s in range(0, len(at), CHUNK):
            part = at[s : s + CHUNK]
            acc = out[s : s + CHUNK]
            np.take(hashes, part, out=acc)
            for j in range(1, k):
                acc *= _FOLD
                acc += hashes[part + j]
            _finish(acc)
    return out


def spread(hashes: np.ndarray, owners: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each hash in ``wanted``: how many distinct owners (documents, units) hold it
    among ``hashes``. Owners must be non-decreasing along ``hashes``."""
    if not len(wanted):
        return _EMPTY
    table = distinct(wanted)
    hit, at = lookup(hashes, table)
    width = int(owners.max()) + 1 if len(owners) else 1
    return _counted(table, [at[hit] * width + owners[hit]], width, wanted)


def spread_kgrams(words: Words, k: int, wanted: np.ndarray) -> np.ndarray:
    """spread(kgrams(words.hashes, k)[valid], words.doc[valid], wanted), valid being
    Words.whole(k): the k-grams of every word, CHUNK words at a time."""
    if not len(wanted):
        return _EMPTY
    table = distinct(wanted)
    h, n = words.hashes, len(words.hashes)
    width = int(words.doc.max()) + 1
    valid = words.whole(k)
    found = []
    for s in range(0, n, CHUNK):
        e = min(s + CHUNK, n)
        hit, at = lookup(kgrams(h[s : min(e + k - 1, n)], k)[: e - s], table)
        hit &= valid[s:e]
        found.append(at[hit] * width + words.doc[s:e][hit])
    return _counted(table, found, width, wanted)


def _counted(table: np.ndarray, found: list[np.ndarray], width: int, wanted: np.ndarray) -> np.ndarray:
    """Per hash of ``wanted``: its distinct owners among ``found``, each an index into
    ``table`` times ``width`` plus an owner."""
    pairs = distinct(np.concatenate(found))
    counts = np.bincount(pairs // width, minlength=len(table))
    return counts[np.searchsorted(table, wanted)]


def seed_pairs(keys: np.ndarray, positions: np.ndarray, max_places: int, owners: np.ndarray | None = None,
               max_owners: int = 0, index_bits: int = 0
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair (p, q) of positions with equal keys, the keys at two places or more
    (their indices in ``keys``), and how many places hold each of those (how many
    distinct owners, when ``owners`` are given): every other key is at one place. Keys
    at more than ``max_places`` places are no seed (the article's topic, a stock
    phrase), nor, when ``owners`` (each position's owner, indexed by position and
    non-decreasing) are given, keys held by more than ``max_owners`` distinct owners (a
    phrase found in many articles).

    Keys are grouped on their top bits (44 of 64 below a million positions): one sort
    of (top bits, index) puts equal keys together in position order, so in owner
    order, and is three times quicker than an argsort. Two keys that differ only in
    their low bits would share a group; the callers check each pair's whole keys.
    Most keys are at one place: only the groups of two or more are looked at further.
    ``keys`` is overwritten (the sort is made in it): no second array of 8 bytes a key.
    ``index_bits``: low bits the sort gives the index at least (seeds: those of all the
    keys, when they are sorted in passes)."""
    n = len(keys)
    index = index_type(n)
    none = positions[:0]
    if not n:
        return none, none, np.zeros(0, dtype=index), _EMPTY
    low = np.uint64(max(_INDEX_BITS, (n - 1).bit_length(), index_bits))
    packed = keys
    packed >>= low
    packed <<= low
    for s in range(0, n, CHUNK):
        packed[s : s + CHUNK] |= np.arange(s, min(s + CHUNK, n), dtype=np.uint64)
    packed.sort()
    # the keys at two places or more: equal top bits side by side, a chunk at a time
    grouped = np.zeros(n, dtype=bool)
    for s in range(0, n - 1, CHUNK):
        e = min(s + CHUNK, n - 1)
        top = packed[s : e + 1] >> low
        same = top[1:] == top[:-1]
        grouped[s:e] |= same
        grouped[s + 1 : e + 1] |= same
    held = packed[np.flatnonzero(grouped)]
    del keys, packed, grouped  # the caller's keys, when handed over as a temporary
    k = held >> low
    order = (held & ((np.uint64(1) << low) - np.uint64(1))).astype(index)
    del held
    m = len(k)
    if not m:  # every key at one place
        return none, none, order, _EMPTY
    pos = positions[order]
    new = np.concatenate(([True], k[1:] != k[:-1]))
    starts = np.flatnonzero(new)
    sizes = np.diff(np.concatenate((starts, [m])))
    ok = (sizes >= 2) & (sizes <= max_places)
    if owners is not None:
        o = owners[pos]
        distinct = np.add.reduceat(new | np.concatenate(([True], o[1:] != o[:-1])), starts)
        ok &= distinct <= max_owners
        places = np.repeat(distinct, sizes)
    else:
        places = np.repeat(sizes, sizes)
    starts, sizes = starts[ok], sizes[ok]
    if not len(starts):
        return none, none, order, places
    # each member pairs with every later member of its group
    member = np.repeat(starts, sizes) + (np.arange(sizes.sum()) - np.repeat(np.cumsum(sizes) - sizes, sizes))
    later = np.repeat(starts + sizes, sizes) - member - 1
    left = np.repeat(member, later)
    right = left + 1 + (np.arange(later.sum()) - np.repeat(np.cumsum(later) - later, later))
    return pos[left], pos[right], order, places


def seeds(keys_of: Callable[[np.ndarray], np.ndarray], pos: np.ndarray, max_places: int,
          owners: np.ndarray | None = None, max_owners: int = 0
          ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """seed_pairs of the keys ``keys_of`` makes for the positions ``pos`` (increasing),
    with the positions of the keys held twice or more instead of their indices. Past
    PASS_KEYS keys, they are made and sorted in passes, each taking the keys of one
    value of their top bits: every key of a group is in one pass, and the sort keeps
    the index bits it would keep in one pass, so the pairs and places are those of one
    pass (the pairs in another order). Each pass makes every key again, a chunk at a
    time: a pass holds 12 bytes a key of its own, not of all."""
    n = len(pos)
    parts = 1 << (-(-n // PASS_KEYS) - 1).bit_length() if n else 1  # a power of two
    if parts == 1:
        p, q, held, places = seed_pairs(keys_of(pos), pos, max_places, owners, max_owners)
        return p, q, pos[held], places
    bits = (n - 1).bit_length()
    shift = np.uint64(64 - (parts.bit_length() - 1))
    found = []
    for part in range(parts):
        chosen, keys = [], []
        for s in range(0, n, CHUNK):
            made = keys_of(pos[s : s + CHUNK])
            mine = (made >> shift) == np.uint64(part)
            chosen.append(pos[s : s + CHUNK][mine])
            keys.append(made[mine])
        del made, mine
        at = np.concatenate(chosen)
        del chosen
        p, q, held, places = seed_pairs(_joined(keys), at, max_places, owners, max_owners, bits)
        found.append((p, q, at[held], places))
    p, q, held, places = (np.concatenate(a) for a in zip(*found))
    return p, q, held, places


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    """The arrays one after another, the list emptied: the parts are freed as the
    whole is handed on."""
    out = np.concatenate(arrays)
    arrays.clear()
    return out


@dataclass(frozen=True, slots=True)
class Runs:
    """Maximal runs of words shared by two different checked units (a < b), as
    parallel arrays (int64); ``pa``/``pb`` are the runs' first word positions in Words."""

    a: np.ndarray
    b: np.ndarray
    pa: np.ndarray
    pb: np.ndarray
    length: np.ndarray

    def __len__(self) -> int:
        return len(self.a)

    def take(self, keep: np.ndarray) -> Runs:
        return Runs(self.a[keep], self.b[keep], self.pa[keep], self.pb[keep], self.length[keep])

    @staticmethod
    def empty() -> Runs:
        return Runs(_EMPTY, _EMPTY, _EMPTY, _EMPTY, _EMPTY)


def maximal_runs(words: Words, p: np.ndarray, q: np.ndarray) -> Runs:
    """The maximal runs through seed position pairs (p, q): each pair is extended word
    by word to the left and right while both sides have the same word, in their units.
    The pairs are few: they are taken in int64, as are the runs."""
    p, q = p.astype(np.int64), q.astype(np.int64)
    ua, ub = words.unit[p].astype(np.int64), words.unit[q].astype(np.int64)
    keep = ua != ub
    p, q, ua, ub = p[keep], q[keep], ua[keep], ub[keep]
    swap = ua > ub
    p, q, ua, ub = np.where(swap, q, p), np.where(swap, p, q), np.where(swap, ub, ua), np.where(swap, ua, ub)
    # seeds that follow each other on a diagonal are one stretch: keep its first seed
    # (sorted by diagonal, then place: one key, as both are below the number of words)
    n = np.int64(len(words.hashes))
    order = np.argsort((p - q + n) * n + p)
    p, q, ua, ub = p[order], q[order], ua[order], ub[order]
    follows = np.zeros(len(p), dtype=bool)
    follows[1:] = ((ua[1:] == ua[:-1]) & (ub[1:] == ub[:-1]) & (p[1:] - q[1:] == p[:-1] - q[:-1])
                   & (p[1:] == p[:-1] + 1))
    p, q, ua, ub = p[~follows], q[~follows], ua[~follows], ub[~follows]
    h, ip = words.hashes, words.indptr
    lo_a, lo_b, hi_a, hi_b = ip[ua], ip[ub], ip[ua + 1], ip[ub + 1]
    s_a, s_b = p.copy(), q.copy()
    live = np.flatnonzero((s_a > lo_a) & (s_b > lo_b))
    while len(live):
        live = live[h[s_a[live] - 1] == h[s_b[live] - 1]]
        s_a[live] -= 1
        s_b[live] -= 1
        live = live[(s_a[live] > lo_a[live]) & (s_b[live] > lo_b[live])]
    e_a, e_b = p + 1, q + 1  # exclusive ends: the seed's first word at least
    live = np.flatnonzero((e_a < hi_a) & (e_b < hi_b))
    while len(live):
        live = live[h[e_a[live]] == h[e_b[live]]]
        e_a[live] += 1
        e_b[live] += 1
        live = live[(e_a[live] < hi_a[live]) & (e_b[live] < hi_b[live])]
    if not len(p):
        return Runs.empty()
    # stretches of one run split by words that are no seed now start at the same place
    _, first = np.unique(s_a * n + s_b, return_index=True)
    return Runs(ua[first], ub[first], s_a[first], s_b[first], (e_a - s_a)[first])


def candidates(word_hashes: np.ndarray, counts: np.ndarray, checked: Checked, settings: Settings) -> RunCandidates:
    """Shared runs and echo candidates among the checked units, whose words are
    ``word_hashes``, ``counts[i]`` of them for checked id i. Besides the words, only
    a few arrays of one byte or one index_type a word live throughout, and the peak
    is the seeds' sort (23 B a word in all at four times BBC, against 125 B with
    int64 arrays kept): the rest is made and dropped a step at a time."""
    words = Words.of(word_hashes, counts, np.asarray(checked.doc, dtype=np.int64))
    n = len(words.hashes)
    if not n:
        return RunCandidates([], [])
    table, is_number = word_classes()
    content, number = np.empty(n, dtype=bool), np.empty(n, dtype=bool)
    for s in range(0, n, CHUNK):
        known, at = lookup(words.hashes[s : s + CHUNK], table)
        number[s : s + CHUNK] = known & is_number[at]
        np.logical_not(known, out=content[s : s + CHUNK])
    del known, at
    shared = _shared(words, content, settings)
    echo, bits, heads = _echoes(words, content, number, settings)
    # two units sharing a run of min_run words are a shared run, not an echo
    if len(shared) and len(echo):
        width = np.int64(len(words.indptr))
        pairs, runs = echo.a * width + echo.b, distinct(shared.a * width + shared.b)
        at = np.minimum(np.searchsorted(runs, pairs), len(runs) - 1)
        keep = runs[at] != pairs  # ~np.isin, which imports numpy.ma (np.unique of the second array)
        echo, bits = echo.take(keep), bits[keep]
    none = np.zeros(len(shared), dtype=np.int64)
    return RunCandidates(_rows(shared, words, none, none, none),
                         _rows(echo, words, bits, _masks(echo, content), _masks(echo, heads)))


def _with_content(content: np.ndarray, pos: np.ndarray, k: int) -> np.ndarray:
    """Per position of ``pos`` (increasing, each with k words after it): whether one of
    its k words is a content word, counted a chunk of positions at a time."""
    out = np.empty(len(pos), dtype=bool)
    for s in range(0, len(pos), CHUNK):
        part = pos[s : s + CHUNK]
        lo, hi = int(part[0]), int(part[-1]) + k
        before = np.zeros(hi - lo + 1, dtype=index_type(hi - lo + 1))  # content words before each position
        np.cumsum(content[lo:hi], dtype=before.dtype, out=before[1:])
        out[s : s + CHUNK] = before[part - lo + k] > before[part - lo]
    return out


def _shared(words: Words, content: np.ndarray, settings: Settings) -> Runs:
    """Runs of ``min_run`` words or more shared by two units (in one article when the
    scope is one article), inside a longer sentence at one place at least, seeded by
    k-grams found in at most ``run_max_articles`` articles (more is a stock phrase),
    with MIN_RUN_CONTENT content words at least outside every stock k-gram."""
    k, h = settings.min_run, words.hashes
    pos = _indices(words.whole(k))
    pos = pos[_with_content(content, pos, k)]  # a seed of stopwords only is none
    p, q, held, spread_at = seeds(lambda at: kgrams_at(h, at, k), pos, 4 * settings.run_max_articles,
                                  owners=words.doc, max_owners=settings.run_max_articles)
    del pos
    # where stock k-grams start, in order (a k-gram at one place is none: run_max_articles >= 1)
    stock = np.sort(held[spread_at > settings.run_max_articles])
    del held, spread_at
    # grouped on the top bits of the hash: drop the rare chance pair
    same = kgrams_at(h, p, k) == kgrams_at(h, q, k)
    if settings.scope == "article":
        same &= words.doc[p] == words.doc[q]
    runs = maximal_runs(words, p[same], q[same])
    size = np.diff(words.indptr)
    inside = (runs.length < size[runs.a]) | (runs.length < size[runs.b])  # two whole sentences are group.py's
    # words of a stock k-gram are no part of what two sentences share: a stock phrase
    # and the word after it ("...programme on Sunday that the") are no run
    runs = runs.take(inside)
    if not len(runs):
        return runs
    word = ranges(runs.pa, runs.length)  # the runs' words only
    # stock k-grams starting before a position: searched for, no count per word
    own = ((np.searchsorted(stock, word + 1) - np.searchsorted(stock, np.maximum(word - k + 1, 0)) == 0)
           & content[word])
    enough = np.add.reduceat(own, np.cumsum(runs.length) - runs.length) >= MIN_RUN_CONTENT
    return runs.take(enough)


def _echo_keys(words: Words, pos: np.ndarray) -> np.ndarray:
    """The seed keys of echoes: each two-word part's hash mixed with its document, so
    that parts pair inside one article only."""
    keys = kgrams_at(words.hashes, pos, 2)
    with np.errstate(over="ignore"):
        for s in range(0, len(pos), CHUNK):
            keys[s : s + CHUNK] ^= words.doc[pos[s : s + CHUNK]].astype(np.uint64) * _MIX
    return keys


def _echoes(words: Words, content: np.ndarray, number: np.ndarray,
            settings: Settings) -> tuple[Runs, np.ndarray, np.ndarray]:
    """Runs two units of one article share, seeded by two-word parts with a content
    word and at no third place of the article (MAX_TOPIC_UNITS), the bits of what each
    may be, and the positions of numbers that head a rare two-word part. PHRASE:
    ``echo_min_words`` words, two content words, its rarest three-word part in at most
    ``echo_max_articles`` articles. NUMBER: a number and the content word after it, in
    at most that many articles."""
    h, n = words.hashes, len(words.hashes)
    v2 = words.whole(2)
    after = np.concatenate((content[1:], [False]))
    pos = _indices(v2 & (content | after))
    del after
    p, q, held, places_at = seeds(lambda at: _echo_keys(words, at), pos, MAX_SEED_PLACES)
    del pos
    # a part's places as one byte (0 for one place): only whether they are over
    # MAX_TOPIC_UNITS counts
    places = np.zeros(n, dtype=np.uint8)
    places[held] = np.minimum(places_at, 255)
    del held, places_at
    same = (kgrams_at(h, p, 2) == kgrams_at(h, q, 2)) & (words.doc[p] == words.doc[q])  # drop a chance pair
    runs = maximal_runs(words, p[same], q[same])
    heads = np.zeros(n, dtype=bool)
    if not len(runs):
        return runs, _EMPTY, heads
    # the article's topic: a two-word part of the run at a third place of the article
    parts = np.maximum(runs.length - 1, 1)
    at = ranges(runs.pa, parts)
    runs = runs.take(np.maximum.reduceat(places[at], np.cumsum(parts) - parts) <= MAX_TOPIC_UNITS)
    del places
    n_content = np.add.reduceat(content[ranges(runs.pa, runs.length)].astype(np.int64),
                                np.cumsum(runs.length) - runs.length) if len(runs) else _EMPTY
    bits = np.zeros(len(runs), dtype=np.int64)
    phrase = np.flatnonzero((runs.length >= settings.echo_min_words) & (n_content >= 2))
    if len(phrase):
        parts = runs.length[phrase] - 2
        df = spread_kgrams(words, 3, kgrams_at(h, ranges(runs.pa[phrase], parts), 3))
        bits[phrase[np.minimum.reduceat(df, np.cumsum(parts) - parts) <= settings.echo_max_articles]] |= RUN_PHRASE
    head = np.flatnonzero(number[:-1] & content[1:] & v2[:-1]) if n > 1 else _EMPTY
    if len(head):
        starts = np.flatnonzero(v2 & number)  # a head's two words are found only where a number starts
        heads[head[spread(kgrams_at(h, starts, 2), words.doc[starts], kgrams_at(h, head, 2))
                   <= settings.echo_max_articles]] = True
        marked = np.flatnonzero(heads)  # heads before a position: searched for, no count per word
        last = runs.pa + runs.length - 1
        bits[np.searchsorted(marked, last) > np.searchsorted(marked, runs.pa)] |= RUN_NUMBER
    return runs, bits, heads


def _rows(runs: Runs, words: Words, bits: np.ndarray, content: np.ndarray | list[int],
          heads: np.ndarray | list[int]) -> list[RunRow]:
    """Runs as plain rows (model.RunRow)."""
    ip = words.indptr
    return list(zip(runs.a.tolist(), runs.b.tolist(), (runs.pa - ip[runs.a]).tolist(), (runs.pb - ip[runs.b]).tolist(),
                    runs.length.tolist(), bits.tolist(), content, heads))


def _masks(runs: Runs, flags: np.ndarray) -> list[int]:
    """Per run, the flags of its words as the bits of an integer, the first word the
    lowest bit: in numpy for runs of up to 63 words, the rare longer one in Python."""
    short = runs.length < 64
    mask = np.zeros(len(runs), dtype=np.int64)
    last = len(flags) - 1
    for j in range(int(runs.length[short].max()) if short.any() else 0):
        on = flags[np.minimum(runs.pa + j, last)] & (j < runs.length) & short
        mask |= on.astype(np.int64) << j
    out = mask.tolist()
    for i in np.flatnonzero(~short).tolist():
        pa, n = int(runs.pa[i]), int(runs.length[i])
        out[i] = sum(1 << j for j in np.flatnonzero(flags[pa : pa + n]).tolist())
    return out
