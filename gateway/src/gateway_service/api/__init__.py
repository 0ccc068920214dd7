"""The gateway's own endpoints: tokens, keys, the operator's admin API, docs and composition."""
