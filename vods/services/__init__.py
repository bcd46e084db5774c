"""vods' write side, split by sub-domain: `archive` (archival of ended streams, the creator's edits)."""
