"""Pure core: findings, limits, YAML loading and positions, the ``Tree`` protocol, the policy for
ids, URLs and refs, resolution of collection entries, schemas and checks. No filesystem writes, no
processes: everything here takes bytes or a ``Tree`` and returns data."""
