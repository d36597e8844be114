"""Input and output: the filesystem (atomic writes, bounded reads, the lock) and git (processes,
repositories, objects, fetch). Depends on ``core`` only."""
