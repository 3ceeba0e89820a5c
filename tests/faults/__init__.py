"""A loopback HTTP server whose paths script the faults real sites produce (see server.py)."""
