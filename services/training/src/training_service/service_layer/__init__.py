"""Use cases of the training service: they change state through a unit of work and never commit."""
