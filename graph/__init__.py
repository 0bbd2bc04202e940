"""Tansiq graph layer: Neo4j access and the local Neo4j launcher."""
