"""The work itself: validate files, format files, sync partners, the partner transaction, history
for ``diff``, scaffolding. Results are data; rendering them is ``report``'s job."""
