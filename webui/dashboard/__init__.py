"""The manager's dashboard and the geographic view of the network analysis."""
