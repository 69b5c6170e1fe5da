"""The desk: the web app where RMs read and answer their briefs and the product department
decides on signals (``mi desk``, FastAPI and server-rendered Jinja2 templates).

Floors: the desk reads through briefs, signals, warehouse and records (and the ``mi`` modules
for settings, reports and inspect); nothing imports it but the CLI.
"""
