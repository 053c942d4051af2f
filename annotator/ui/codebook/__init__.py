"""Codebook dialog: labels, claim variables and their values."""
