"""RM briefs: a composed ``Brief`` rendered as the RM receives it (email, text, webhook card).

``render_brief`` is the way in; the templates and the message catalogues live beside the
code (``templates/``, ``locale/``).
"""
from mi.briefs.render import render_brief

__all__ = ["render_brief"]
