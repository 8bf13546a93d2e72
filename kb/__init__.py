"""The knowledge base: record model, Whoosh schema and store, search, vocabulary, settings, CLI."""
