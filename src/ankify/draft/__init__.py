"""`ankify draft`: a page range of a PDF drafted as a markdown note to edit and then build."""
