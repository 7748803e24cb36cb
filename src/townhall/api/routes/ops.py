"""Operations: health, readiness, metrics."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from sqlalchemy import text
from starlette.responses import Response

from townhall import metrics
from townhall.api.deps import get_ctx
from townhall.api.responses import json_response
from townhall.services.context import Context

router = APIRouter(tags=["operations"])


@router.get("/healthz")
async def healthz() -> Response:
    """The process is up."""
    return json_response({"status": "ok"})


@router.get("/readyz")
async def readyz(ctx: Context = Depends(get_ctx)) -> Response:
    """The database (and Redis when configured) answer, and the schema is migrated."""
    checks: dict[str, str] = {}
    ok = True
    try:
        async with ctx.db.read() as conn:
            await conn.execute(text("SELECT 1 FROM sites LIMIT 1"))
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {type(exc).__name__}"
        ok = False
    ping = getattr(ctx.live, "ping", None)
    if ping is not None:
        try:
            await ping()
            checks["redis"] = "ok"
        except Exception as exc:
            checks["redis"] = f"error: {type(exc).__name__}"
            ok = False
    return json_response(
        {"status": "ok" if ok else "unavailable", "checks": checks}, status=200 if ok else 503
    )


@router.get(
    "/metrics",
    response_class=Response,
    responses={200: {"content": {"text/plain": {}}, "description": "Prometheus text format"}},
)
async def prometheus(ctx: Context = Depends(get_ctx)) -> Response:
    """Prometheus exposition."""
    async with ctx.read() as tx:
        stats = await tx.notifications.queue_stats()
    for channel in ("email", "webhook"):
        for status in ("pending", "sent", "dead", "skipped"):
            metrics.OUTBOX.labels(channel, status).set(stats.get(f"{channel}.{status}", 0))
    return Response(metrics.render(), media_type="text/plain; version=0.0.4")
