"""Pacing: daily page quotas that ramp up, the Anki time they cost, and how a learner stands.

`books` (what is read), `plan` (quotas), `schedule` (days), `reading_list` (papers after or
between the book's pages), `report` (where the learner stands), `rates` (cards per page),
`memory` (FSRS-6), `forecast` (the daily review load, simulated), `load` (its result), `budget`
(a plan shaped to a daily budget) and `text` are pure; `plan_file`, `reading_file`, `notes`,
`collection`, `plot`, `project` and `standing` touch the disk.
"""
