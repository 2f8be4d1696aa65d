"""The API's endpoints, one module per resource. Each reads like a sentence: check the scope (auth),
validate input (schema), fetch through a query, call one action, log who saw which person, answer."""
