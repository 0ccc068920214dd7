"""The demo programme (``hope demo``): the partners of HOPE playing a programme through the gateway."""
