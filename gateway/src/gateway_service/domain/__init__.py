"""The gateway's model: partner organisations and their API clients. No I/O."""
