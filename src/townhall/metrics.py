"""Prometheus metrics."""

from __future__ import annotations

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    process_collector,
)

REGISTRY = CollectorRegistry()
process_collector.ProcessCollector(registry=REGISTRY)

COMMENTS = Counter(
    "townhall_comments_total", "Comments submitted, by outcome", ["status"], registry=REGISTRY
)
REQUESTS = Counter(
    "townhall_http_requests_total",
    "HTTP requests by method and status class",
    ["method", "status"],
    registry=REGISTRY,
)
LATENCY = Histogram(
    "townhall_http_request_seconds",
    "HTTP request latency",
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
    registry=REGISTRY,
)
SSE_CONNECTIONS = Gauge("townhall_sse_connections", "Open live-update streams", registry=REGISTRY)


def render() -> bytes:
    """The exposition text."""
    return generate_latest(REGISTRY)


OUTBOX_SENT = Counter(
    "townhall_outbox_sent_total",
    "Outbox messages delivered by this process, by channel",
    ["channel"],
    registry=REGISTRY,
)
OUTBOX_FAILURES = Counter(
    "townhall_outbox_failures_total",
    "Failed delivery attempts by this process, by channel (each is retried until given up)",
    ["channel"],
    registry=REGISTRY,
)
OUTBOX = Gauge(
    "townhall_outbox_messages",
    "Outbox messages in the database, by channel and status (pending is the queue length)",
    ["channel", "status"],
    registry=REGISTRY,
)
