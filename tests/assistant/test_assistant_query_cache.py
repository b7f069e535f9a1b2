"""The question-vector cache between the knowledge base and the embedding model."""

from __future__ import annotations


def test_query_cache_embeds_each_question_once(e5) -> None:  # noqa: ANN001
    """Real e5 model: the second request for the same question is served from the cache, with the same vector."""
    import numpy as np

    from assistant.answer.query_cache import QueryCache

    cache = QueryCache(e5, size=2)
    first = cache.embed_queries(["Wat is een opgave?"])
    assert cache.name == e5.name and first.shape == (1, 384)
    again = cache.embed_queries(["Wat is een opgave?", "Wie is de opdrachtgever?"])
    assert np.array_equal(again[0], first[0]) and len(cache._vectors) == 2  # noqa: SLF001
    cache.embed_queries(["Derde vraag"])
    assert list(cache._vectors) == ["Wie is de opdrachtgever?", "Derde vraag"]  # noqa: SLF001 - oldest evicted
