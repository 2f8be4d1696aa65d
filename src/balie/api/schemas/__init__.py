"""Input and output schemas, one pair per endpoint. The OpenAPI document is a contract committed as a
file, so its descriptions are fixed Dutch text rather than translated per request."""
