"""Helper code for the RNN book."""
