"""Addresses: Belgian postcodes shipped with Balie (`postcodes`), the Flemish address register
(`register`, a client of the Basisregisters Vlaanderen API) and its demo service on loopback
(`demo`)."""
