"""Delivery of rendered briefs through the outbox: .eml files, SMTP, webhooks.

``deliver`` queues each rendered brief once per channel in the warehouse's outbox and
sends what is due; ``last_brief_window_end`` tells composition where an RM's next window
starts; ``channels_from_settings`` builds the channels ``MI_DELIVERY_CHANNELS`` names.
Plain functions: the brief flow wraps them in a Prefect task; nothing here imports Prefect.
"""
from mi.delivery.channels import Channel, ChannelDown, Outgoing, Refused
from mi.delivery.config import channels_from_settings
from mi.delivery.eml import EmlChannel
from mi.delivery.outbox import DeliveryResult, Outcome, deliver, last_brief_window_end, last_brief_window_ends, settled_briefs
from mi.delivery.smtp import SmtpChannel
from mi.delivery.webhook import WebhookChannel

__all__ = [
    "Channel", "ChannelDown", "DeliveryResult", "EmlChannel", "Outcome", "Outgoing", "Refused", "SmtpChannel",
    "WebhookChannel", "channels_from_settings", "deliver", "last_brief_window_end", "last_brief_window_ends", "settled_briefs",
]
