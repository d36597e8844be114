"""Turning engine results into what people and programs read: findings as text, JSON or GitHub
annotations, the sync text, the Markdown change summary."""
