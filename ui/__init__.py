"""The Chainlit chat UI: the edge between people and the assistant."""
