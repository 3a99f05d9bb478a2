"""Writing River's data out: dossiers and rivers as Markdown, BibTeX, and files written safely."""
