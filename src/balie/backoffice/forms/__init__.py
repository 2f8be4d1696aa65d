"""Forms of the back-office: they validate input and hand clean values to one action."""
