"""The programme's dashboard at /dashboard: pages rendered by the gateway from the services' own answers to the
signed-in person."""
