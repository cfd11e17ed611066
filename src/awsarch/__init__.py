"""awsarch: build the classic secure AWS architecture from one blueprint, and prove it."""

__version__ = "0.1.0"
