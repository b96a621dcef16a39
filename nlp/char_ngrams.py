"""A fitted `TfidfVectorizer(analyzer="char_wb")`'s transform, with each word's n-grams looked up once.

scikit-learn builds every n-gram of every word of every text as a new string and looks each up in the
vocabulary, which is most of the intent model's time. "char_wb" n-grams never cross a space, so a text's
counts are the sum of its words' counts; a word's vocabulary indexes are computed the first time it is seen
and kept (the spaCy tokenizer caches words the same way). The counts, and so the TF-IDF rows, are exactly
scikit-learn's: `tests/test_intent_fast_path.py` compares them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import sparse

MAX_CACHED_WORDS = 200_000  # about 40 MB at most; emptied and refilled when full


def word_cached_transform(vectorizer: Any) -> Callable[[list[str]], sparse.csr_matrix] | None:
    """The vectorizer's transform, or None when it is not a plain char_wb vectorizer this code mirrors."""
    plain = (getattr(vectorizer, "analyzer", None) == "char_wb" and vectorizer.input == "content"
             and vectorizer.preprocessor is None
             and vectorizer.strip_accents is None and not vectorizer.binary and hasattr(vectorizer, "_tfidf"))
    if not plain:
        return None
    vocabulary: dict[str, int] = vectorizer.vocabulary_
    min_n, max_n = vectorizer.ngram_range
    lowercase: bool = vectorizer.lowercase
    by_word: dict[str, tuple[int, ...]] = {}

    def word_indexes(word: str) -> tuple[int, ...]:
        padded = f" {word} "
        found = []
        for n in range(min_n, max_n + 1):  # the n-grams `_char_wb_ngrams` makes, in its order
            for start in range(max(len(padded) - n + 1, 1)):
                index = vocabulary.get(padded[start:start + n])
                if index is not None:
                    found.append(index)
            if len(padded) <= n:
                break  # a word shorter than n is one n-gram, counted once
        return tuple(found)

    def transform(texts: list[str]) -> sparse.csr_matrix:
        columns: list[int] = []  # every n-gram occurrence of every text, text after text
        lengths = []
        for text in texts:
            before = len(columns)
            for word in (text.lower() if lowercase else text).split():
                known = by_word.get(word)
                if known is None:
                    if len(by_word) >= MAX_CACHED_WORDS:
                        by_word.clear()
                    known = by_word[word] = word_indexes(word)
                columns.extend(known)
            lengths.append(len(columns) - before)
        rows = np.repeat(np.arange(len(texts)), lengths)
        # scipy sums the repeated (row, column) pairs into counts and sorts each row's columns, as scikit-learn's
        # own count matrix is: the same rows, in the same order, so the same TF-IDF arithmetic follows
        counts_matrix = sparse.csr_matrix((np.ones(len(columns), dtype=vectorizer.dtype), (rows, columns)),
                                          shape=(len(texts), len(vocabulary)), dtype=vectorizer.dtype)
        counts_matrix.sum_duplicates()
        return vectorizer._tfidf.transform(counts_matrix, copy=False)

    return transform
