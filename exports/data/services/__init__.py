"""What changes the subject's data and the case record, one module per job; each writes
the case's event in the same transaction as the change."""
