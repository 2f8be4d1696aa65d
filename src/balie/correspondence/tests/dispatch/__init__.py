"""Tests of dispatching outgoing post (e-mail, eBox, printed post)."""
