"""Reference data kept as tables in the repository (industry-code mappings, ...)."""
