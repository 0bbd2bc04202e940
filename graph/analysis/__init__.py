"""Network analysis: pure functions over networkx graphs (no database)."""
