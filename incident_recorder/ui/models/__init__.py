"""Qt table models over the domain's immutable summaries."""
