"""Tests of the dispatch pages and the post room's print batches."""
