"""Accord: multi-party, multi-issue negotiation: model, exact analysis, simulation, record."""
