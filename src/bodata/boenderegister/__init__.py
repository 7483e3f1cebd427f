"""Boenderegister: a residents register whose integration engine mirrors Axema Vaka access-control systems."""
