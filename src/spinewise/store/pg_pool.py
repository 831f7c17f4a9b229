"""PostgreSQL connection pools without a round trip per checkout.

``pool_pre_ping`` sent ``;`` to the server on every checkout of a pooled connection:
a round trip, and a wake-up of the server's backend, per unit of work. Instead the
pool looks at the connection's socket (``drop_if_closed``): an idle connection has
nothing to read unless the server ended it (``pg_terminate_backend``, a restart sends
its notice and closes the socket), and such a connection is discarded before use;
``pool_recycle`` replaces connections older than ``RECYCLE_SECONDS`` (idle ones a
firewall may have forgotten). A connection that breaks between the checkout and its
first statement fails that unit; reading units and the token check try their
statement once more on a new connection (store/reading.py, store/token_reads.py).
"""

from __future__ import annotations

import select
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DisconnectionError

# PostgreSQL connections a worker keeps open, and never more: a unit beyond them waits
# for one (``pool_timeout``). With overflow connections (5 kept + 10) c32 opened and
# closed some 15 connections a second, each a new server process to start.
POOL_SIZE = 24
POOL_OVERFLOW = 0
RECYCLE_SECONDS = 1800.0  # a pooled connection older than this is replaced


def drop_if_closed(dbapi_connection: Any, *_: Any) -> None:
    """At a pool checkout, without a round trip: an idle PostgreSQL connection has
    nothing to read unless the server sent something (the notice of a terminated
    backend, a shutdown) or closed it; such a connection is discarded and the pool
    hands out another (SQLAlchemy retries a checkout on ``DisconnectionError``).
    Every connection leaves the pool in transaction mode (not autocommit)."""
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection is closed")
    # poll, not select: a worker serving many clients has descriptors past select's 1024
    poller = select.poll()
    try:
        poller.register(dbapi_connection.fileno(), select.POLLIN)
    except (OSError, ValueError) as exc:  # a socket the driver no longer has
        raise DisconnectionError(str(exc)) from exc
    if poller.poll(0):
        raise DisconnectionError("the server ended the connection")
    if dbapi_connection.autocommit:  # a reading unit's, given back unreset
        dbapi_connection.autocommit = False


def postgresql_engine(url: URL, **options: Any) -> Engine:
    """A PostgreSQL engine whose pool checks connections without a round trip
    (``drop_if_closed``) and replaces them after ``RECYCLE_SECONDS``."""
    engine = create_engine(url, pool_recycle=RECYCLE_SECONDS, **options)
    event.listen(engine, "checkout", drop_if_closed)
    return engine
