"""`ankify lint`: card-writing rules checked at the card's line, before the cards cost review time.

cards (a note's cards as written, read without markdown) -> text (words, sentences, clozes) ->
checks (one function per rule) -> rules (the table: id, check, message, fix, threshold) ->
duplicates (near-duplicate questions across the sources) -> run (sources, cache, report).
"""
