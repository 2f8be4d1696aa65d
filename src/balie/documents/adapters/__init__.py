"""Adapters of the documents app to external systems, each with a demo that speaks its protocol
on loopback."""
