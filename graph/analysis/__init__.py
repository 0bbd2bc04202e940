"""Network analysis: pure functions over the networkx graphs the projections return."""
