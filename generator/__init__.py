"""pmkb: a static-site generator for a postmortem knowledge base."""

__version__ = "0.1.0"
