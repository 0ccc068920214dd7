"""The events enrolment consumes: none yet. A consumer lists its subscriptions here, as training does."""
