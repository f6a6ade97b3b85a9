"""Benchmarks (`make bench`): each module measures one target beside its named anchor."""
