"""The programme's indicators: their registry (definitions in words and in code) and how a figure is computed
from people's facts, grouped and protected by small-number suppression."""
