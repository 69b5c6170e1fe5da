"""RM briefs: what each RM reads and why (``compose_briefs``), rendered as the RM receives
it (``render_brief``: email, text, webhook card). The templates and the message catalogues
live beside the code (``templates/``, ``locale/``)."""
from mi.briefs.render import render_brief

__all__ = ["render_brief"]
