"""The JSON Schemas, shipped as package data; the `.json` files here are the source of truth."""
