"""The answer engine: a question in, a checked answer with citations out."""
