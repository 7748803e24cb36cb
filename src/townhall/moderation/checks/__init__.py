"""One module per guideline; each check returns a Finding or None."""
