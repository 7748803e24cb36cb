"""townhall: self-hosted comments and community moderation for news publishers."""

__version__ = "0.1.0"
