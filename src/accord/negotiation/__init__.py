"""Protocols, strategies and traces: how talks may run."""
