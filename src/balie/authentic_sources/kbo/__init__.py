"""The KBO open data: its layout, the importer, the test-data generator and the lookups."""
