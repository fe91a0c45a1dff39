"""ankify sync and ankify watch: a build written straight into the learner's Anki collection.

sources -> build (the packages, as `ankify build` writes them) -> package (the notes each
package holds) -> plan (adds, updates, moves, removals: pure data) -> apply (one transaction in
the collection, after Anki's own backup). `collection` finds and opens the collection the way
Anki does; `watch` rebuilds (and syncs) on every save.
"""
