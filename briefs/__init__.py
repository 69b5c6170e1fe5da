"""RM briefs: composition (what each RM reads and why), rendering and the outbox."""
