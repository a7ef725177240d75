"""workshop: run facilitated workshops on a projected terminal (the headless core)."""

__version__ = "0.1.0"
