"""Sources: markdown note files and PDF page ranges, read into drafts of cards."""
