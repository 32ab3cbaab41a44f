"""The print edition: HTML laid out by WeasyPrint into a tagged, finished PDF/UA-1 file."""
