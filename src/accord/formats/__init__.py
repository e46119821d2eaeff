"""Foreign formats in and out: GENIUS XML, GeniusWeb JSON, LLM-negotiation games."""
