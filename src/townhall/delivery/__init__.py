"""Delivery of the outbox: e-mail over SMTP, signed webhooks, and the sender that runs them."""
