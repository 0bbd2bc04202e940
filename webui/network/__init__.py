"""The network analysis pages: metrics, coordination gaps, key people, paths, snapshots."""
