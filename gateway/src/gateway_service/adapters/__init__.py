"""Tables and repositories of the gateway's own database."""
