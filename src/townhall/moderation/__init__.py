"""Automatic pre-moderation: checks, word lists and the offline classifier."""
