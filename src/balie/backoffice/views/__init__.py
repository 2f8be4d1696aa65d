"""Views of the back-office: validate with a form, fetch through a query, call one action, render."""
