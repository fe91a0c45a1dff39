"""Pacing: daily page quotas that ramp up, and how a learner stands against them.

`books` (what is read), `plan` (quotas), `schedule` (days), `report` (where the learner
stands) and `text` are pure; `plan_file`, `notes`, `plot` and `project` touch the disk.
"""
