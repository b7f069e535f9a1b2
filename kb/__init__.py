"""The knowledge base: typed chunks, embeddings, the Chroma store and hybrid retrieval.

``kb`` imports neither ``ingest`` nor ``assistant``: both depend on it.
"""
