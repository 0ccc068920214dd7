"""Who is calling: the principal carried by the gateway's JWT, its verification, and development keys."""
