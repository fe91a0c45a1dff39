"""Reading PDFs: opening them, their page labels, highlights, page text, outline, and drafts."""
