"""The pipeline's Prefect flows. Importing any of them makes this process's flow runs end
without waiting for their heartbeat thread's next second (``mi.heartbeats``)."""
from mi.heartbeats import install as _install_prompt_heartbeats

_install_prompt_heartbeats()
