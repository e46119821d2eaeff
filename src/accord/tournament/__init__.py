"""Tournaments: grids of simulated negotiations, their result sets, and where they run."""
