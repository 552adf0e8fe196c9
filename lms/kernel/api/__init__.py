"""What every API module shares: the error body, its handler and its schema."""
