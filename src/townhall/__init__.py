"""townhall: self-hosted comments and community moderation for news publishers."""

from importlib.metadata import PackageNotFoundError, version

try:
    # Set at build time from the git tag (setuptools-scm), so the wheel and the code agree.
    __version__ = version("townhall")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
