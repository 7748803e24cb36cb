"""Prometheus metrics, summed over every worker process when there are several.

With `PROMETHEUS_MULTIPROC_DIR` set (`townhall serve --workers N` sets it to a fresh
directory of its own), each process writes its values to files there and `/metrics`,
whichever worker answers, adds them up; the open-streams gauge counts live processes only.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    process_collector,
)

MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))

REGISTRY = CollectorRegistry()
if not MULTIPROCESS:  # process figures (memory, CPU) describe one process only
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
SSE_CONNECTIONS = Gauge(
    "townhall_sse_connections",
    "Open live-update streams",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)


def render() -> bytes:
    """The exposition text (of all workers together in multiprocess mode)."""
    if MULTIPROCESS:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


def process_exited() -> None:
    """Drop this process's live gauges from the sums (at shutdown)."""
    if MULTIPROCESS:
        multiprocess.mark_process_dead(os.getpid())


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
    # Whichever worker answers /metrics reads the database: its latest reading is the value.
    multiprocess_mode="livemostrecent",
)
