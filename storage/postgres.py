"""psycopg connections that stop waiting for a database that does not reply.

libpq waits for a reply as long as the socket stays open. A host whose database processes stopped
(paused, swapped out, hung) keeps the socket open and its kernel acknowledges every byte, so neither
TCP keepalives, nor tcp_user_timeout, nor the server's statement_timeout ever fire, and a request
would hang until the host came back. This connection gives up after ``reply_timeout`` seconds and
closes itself, so SQLAlchemy throws it away and the next request connects afresh.
"""
from __future__ import annotations

from typing import Any

import psycopg
from psycopg import errors


class GivingUpConnection(psycopg.Connection):
    reply_timeout: float | None = None  # set on each connection by storage.db

    def wait(self, gen: Any, *args: Any, timeout: float | None = None, **kwargs: Any) -> Any:
        limit = timeout if timeout is not None else self.reply_timeout
        try:
            return super().wait(gen, *args, timeout=limit, **kwargs)
        except errors._WaitTimeout:  # psycopg's own, internal: "convert it to a public one"
            if timeout is not None:  # the caller asked for that timeout and handles it
                raise
            self.close()  # half a conversation: the connection cannot be used again
            raise psycopg.OperationalError(f"the database sent no reply within {limit:g} s") from None
