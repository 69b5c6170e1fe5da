"""Refine: turn the clean layer into the analysis layer (plain functions, no Prefect).

Each step works on a batch (a range of document ids, all series, one day) and writes with
unique keys, so running the same day twice writes nothing new.
"""
