"""River: a private, local knowledge feed for research papers in the terminal."""

__version__ = "0.1.0"
