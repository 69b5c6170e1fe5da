"""The delivery channels the settings name, built with their secrets resolved.

Secrets (``MI_SMTP_PASSWORD``, ``MI_WEBHOOK_URL``) are resolved here, when a channel is
built, not when the settings are read, so a run that delivers nothing never asks Prefect
for a Secret block; a placeholder that names nothing is refused by its name.
"""
from __future__ import annotations

from mi.delivery.channels import Channel
from mi.delivery.eml import EmlChannel
from mi.delivery.smtp import SmtpChannel
from mi.delivery.webhook import WebhookChannel
from mi.settings import Settings


def channels_from_settings(settings: Settings) -> list[Channel]:
    """One channel per name in ``MI_DELIVERY_CHANNELS``, in that order; a missing setting is an error."""
    config = settings.delivery
    built: list[Channel] = []
    for name in config.channels:
        if name == "eml":
            built.append(EmlChannel(config.outbox_dir, sender=config.smtp_from))
        elif name == "smtp":
            if not config.smtp_host:
                raise ValueError("MI_DELIVERY_CHANNELS names smtp but MI_SMTP_HOST is not set")
            built.append(SmtpChannel(host=config.smtp_host, port=config.smtp_port, security=config.smtp_security,
                                     sender=config.smtp_from, user=config.smtp_user,
                                     password=settings.resolve(config.smtp_password), timeout=config.smtp_timeout,
                                     ca_file=config.smtp_ca_file))
        elif name == "webhook":
            url = settings.resolve(config.webhook_url)
            if not url:
                raise ValueError("MI_DELIVERY_CHANNELS names webhook but MI_WEBHOOK_URL is not set")
            built.append(WebhookChannel(url, timeout=config.webhook_timeout, user_agent=settings.user_agent))
        else:
            raise ValueError(f"unknown delivery channel {name!r}")
    return built
