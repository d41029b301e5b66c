"""Power: the holiday power schedule."""
