"""claimcheck: check a ledger of an article's factual claims."""

__version__ = "0.1.0"
