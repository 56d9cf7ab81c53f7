"""The store in one SQLite file: the same rules (core/store/item_store.py) over a table of items.

For the local stack (`make run`) and a small team's own machine. It answers as DynamoDB does,
and passes the same contract suite (tests/contract):

- `items` holds each item as JSON (numbers exact, read back as Decimal), keyed on (pk, sk), with
  its index keys beside it: an index per GSI holds only the rows that carry both of that GSI's keys
  (sparse), and every query reads one partition of the table or of an index through its SQLite
  index, in the same text order (SQLite compares text as UTF-8 bytes, like DynamoDB). Nothing on
  a request path reads the whole table (tests/unit/test_sqlite_store.py asks SQLite's planner).
- A write, or a transaction of several, runs in `BEGIN IMMEDIATE`: the write lock is taken before
  the conditions are read, so a condition and its write are one atomic step, all or nothing. In
  this process writers queue on a lock (no busy-wait); another process (the CLI) waits up to
  `BUSY_TIMEOUT_S`. WAL mode lets reads run beside the one writer; `synchronous=FULL` makes a
  commit durable before the reply says it is recorded.
- `changes` is the table's stream (NEW_IMAGE): every write is logged in its own transaction, in
  commit order, so the notice outbox works as it does on DynamoDB (infra/local/streams.py reads it
  by sequence number, saves how far it got in `stream_positions`, and what it has read is pruned).
- TTL: like DynamoDB, the store filters expired items on read; `delete_expired` removes them later
  (the local stack runs it now and then, and `reclaim` after it). Time records carry no TTL and
  are never removed.

One connection per thread (opened on first use); `close()` checkpoints the WAL into the file,
so a copy of the file alone is a whole backup once the stack has stopped (or use SQLite's
`.backup` while it runs).
"""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from core.store import json_items, keys
from core.store.item_store import ItemStore
from core.store.table import Change, Check, Condition, Delete, Item, Key, Put, Refused, Write, holds

SCHEMA_VERSION = 1
BUSY_TIMEOUT_S = 10.0
RECLAIM_AFTER_ROWS = 10_000  # change-log rows dropped at once (an import) before their pages are given back

SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    gsi1pk TEXT,
    gsi1sk TEXT,
    gsi2pk TEXT,
    gsi2sk TEXT,
    expires_at INTEGER,
    item TEXT NOT NULL,
    PRIMARY KEY (pk, sk)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_gsi1 ON items (gsi1pk, gsi1sk) WHERE gsi1pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_gsi2 ON items (gsi2pk, gsi2sk) WHERE gsi2pk IS NOT NULL;
CREATE INDEX IF NOT EXISTS items_expiry ON items (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_name TEXT NOT NULL,
    pk TEXT NOT NULL,
    sk TEXT NOT NULL,
    new_image TEXT
);
CREATE TABLE IF NOT EXISTS stream_positions (
    reader TEXT PRIMARY KEY,
    seq INTEGER NOT NULL
);
"""

# (partition attribute, sort attribute, partition column, sort column) of the table and each GSI
_KEYS: dict[str | None, tuple[str, str, str, str]] = {
    None: ("PK", "SK", "pk", "sk"),
    "GSI1": ("GSI1PK", "GSI1SK", "gsi1pk", "gsi1sk"),
    "GSI2": ("GSI2PK", "GSI2SK", "gsi2pk", "gsi2sk"),
}


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced (to close every thread's at the end)."""


class SqliteTable:
    def __init__(self, path: str | Path, ttl_attribute: str | None = keys.TTL_ATTRIBUTE) -> None:
        self.path = Path(path)
        self._ttl = ttl_attribute
        self._local = threading.local()
        self._writer = threading.Lock()  # this process's writers queue here, not in SQLite's busy handler
        self._open: weakref.WeakSet[_Connection] = weakref.WeakSet()
        self._open_lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._create()

    # -- connections -------------------------------------------------------------------------

    def _connect(self) -> _Connection:
        conn = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False, factory=_Connection
        )
        conn.execute("PRAGMA synchronous=FULL")
        with self._open_lock:
            self._open.add(conn)
        return conn

    def _connection(self) -> _Connection:
        conn: _Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def _create(self) -> None:
        conn = self._connection()
        if conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0:
            conn.execute("PRAGMA auto_vacuum=INCREMENTAL")  # a new file: `reclaim` can give pages back
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if mode != "wal":
            raise RuntimeError(f"{self.path}: SQLite refused WAL mode ({mode})")
        with self._writing() as write:
            version = write.execute("PRAGMA user_version").fetchone()[0]
            if version not in (0, SCHEMA_VERSION):
                raise RuntimeError(f"{self.path} has schema {version}; this code knows {SCHEMA_VERSION}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    write.execute(statement)
            write.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    @contextmanager
    def _writing(self) -> Iterator[_Connection]:
        """One write transaction: the write lock first, then the reads its conditions need."""
        conn = self._connection()
        with self._writer:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        """Fold the WAL into the database file and close every thread's connection."""
        with self._writer:
            conn = self._connection()
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            with self._open_lock:
                for each in list(self._open):
                    each.close()
                self._open.clear()
        self._local = threading.local()

    # -- reads -------------------------------------------------------------------------------

    @staticmethod
    def _read(conn: sqlite3.Connection, key: Key) -> Item | None:
        row = conn.execute("SELECT item FROM items WHERE pk = ? AND sk = ?", (key["PK"], key["SK"])).fetchone()
        return json_items.loads(row[0]) if row else None

    def get(self, key: Key) -> Item | None:
        return self._read(self._connection(), key)

    def query(
        self,
        pk_name: str,
        pk: str,
        sk_name: str | None = None,
        low: str | None = None,
        high: str | None = None,
        index: str | None = None,
        fresh: bool = False,
    ) -> Iterator[Item]:
        if index not in _KEYS:
            raise ValueError(f"no index {index!r}")
        pk_attr, sk_attr, pk_column, sk_column = _KEYS[index]
        if (pk_name, sk_name or sk_attr) != (pk_attr, sk_attr):
            raise ValueError(f"{index or 'the table'} is keyed on {(pk_attr, sk_attr)}")
        sql = f"SELECT item FROM items WHERE {pk_column} = ?"  # noqa: S608 - column names from _KEYS only
        params = [pk]
        if low is not None:
            sql += f" AND {sk_column} >= ?"
            params.append(low)
        if high is not None:
            sql += f" AND {sk_column} <= ?"
            params.append(high)
        sql += f" ORDER BY {sk_column}, pk, sk" if index else " ORDER BY sk"
        rows = self._connection().execute(sql, params).fetchall()  # all at once: no read left open
        for (text,) in rows:
            yield json_items.loads(text)

    # -- writes ------------------------------------------------------------------------------

    def put(self, put: Put) -> Refused | None:
        refused = self.transact([put])
        return refused[0] if refused else None

    def transact(self, writes: Sequence[Write]) -> list[Refused | None] | None:
        with self._writing() as conn:
            found = [self._read(conn, _key_of(write)) for write in writes]
            refusals = [_refusal(write, item) for write, item in zip(writes, found, strict=True)]
            if any(refusal is not None for refusal in refusals):
                return refusals
            present = {_pair(_key_of(w)): item is not None for w, item in zip(writes, found, strict=True)}
            for write in writes:
                if isinstance(write, Put):
                    key = _pair(write.item)
                    self._store(conn, write.item, "MODIFY" if present[key] else "INSERT")
                    present[key] = True
                elif isinstance(write, Delete) and present[_pair(write.key)]:
                    self._remove(conn, write.key)
                    present[_pair(write.key)] = False
            return None

    def add(self, key: Key, name: str, amount: int, condition: Condition | None = None) -> int | None:
        with self._writing() as conn:
            current = self._read(conn, key)
            if not holds(condition, current):
                return None
            item: Item = current if current is not None else {"PK": key["PK"], "SK": key["SK"]}
            item[name] = Decimal(int(item.get(name, 0)) + amount)
            self._store(conn, item, "MODIFY" if current is not None else "INSERT")
            return int(item[name])

    def pop(self, key: Key) -> Item | None:
        with self._writing() as conn:
            current = self._read(conn, key)
            if current is not None:
                self._remove(conn, key)
            return current

    def _store(self, conn: sqlite3.Connection, item: Item, event_name: str) -> None:
        text = json_items.dumps(item)
        row = [item["PK"], item["SK"]]
        for pk_attr, sk_attr, _, _ in (_KEYS["GSI1"], _KEYS["GSI2"]):
            in_index = pk_attr in item and sk_attr in item  # sparse: both keys, or not in the index
            row += [str(item[pk_attr]), str(item[sk_attr])] if in_index else [None, None]
        expires = item.get(self._ttl) if self._ttl else None
        row += [int(expires) if isinstance(expires, int | Decimal) and not isinstance(expires, bool) else None, text]
        conn.execute(
            "INSERT OR REPLACE INTO items (pk, sk, gsi1pk, gsi1sk, gsi2pk, gsi2sk, expires_at, item) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            row,
        )
        conn.execute(
            "INSERT INTO changes (event_name, pk, sk, new_image) VALUES (?, ?, ?, ?)",
            (event_name, item["PK"], item["SK"], text),
        )

    @staticmethod
    def _remove(conn: sqlite3.Connection, key: Key) -> None:
        conn.execute("DELETE FROM items WHERE pk = ? AND sk = ?", (key["PK"], key["SK"]))
        conn.execute(
            "INSERT INTO changes (event_name, pk, sk, new_image) VALUES ('REMOVE', ?, ?, NULL)", (key["PK"], key["SK"])
        )

    # -- TTL ---------------------------------------------------------------------------------

    def delete_expired(self, now: float | None = None, limit: int = 1000) -> int:
        """Remove up to `limit` items whose TTL has passed (as DynamoDB's TTL does, later than
        their time: readers filter expired items themselves). How many were removed."""
        cutoff = int(time.time() if now is None else now)
        with self._writing() as conn:
            rows = conn.execute(
                "SELECT pk, sk FROM items WHERE expires_at < ? ORDER BY expires_at LIMIT ?", (cutoff, limit)
            ).fetchall()
            for pk, sk in rows:
                self._remove(conn, {"PK": pk, "SK": sk})
            return len(rows)

    def reclaim(self) -> int:
        """Give the file's free pages back to the file system (the change log's, once read, and
        expired items'): the megabytes given back. SQLite reuses free pages anyway; this keeps a
        bulk import's change log from staying in the file."""
        conn = self._connection()
        with self._writer:
            free, size = (conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("freelist_count", "page_size"))
            conn.executescript("PRAGMA incremental_vacuum;")  # run to the end: one step frees one page
        return int(free * size // 1_000_000)

    # -- the stream ----------------------------------------------------------------------------

    def changes(self, after: int = 0, limit: int | None = None) -> list[Change]:
        """The writes after sequence number `after`, oldest first (at most `limit`)."""
        rows = (
            self._connection()
            .execute(
                "SELECT seq, event_name, pk, sk, new_image FROM changes WHERE seq > ? ORDER BY seq LIMIT ?",
                (after, -1 if limit is None else limit),
            )
            .fetchall()
        )
        return [
            Change(seq, event, {"PK": pk, "SK": sk}, json_items.loads(image) if image is not None else None)
            for seq, event, pk, sk, image in rows
        ]

    def stream_position(self, reader: str) -> int:
        """How far `reader` has handled the stream (0: from the start)."""
        row = self._connection().execute("SELECT seq FROM stream_positions WHERE reader = ?", (reader,)).fetchone()
        return int(row[0]) if row else 0

    def save_stream_position(self, reader: str, seq: int) -> None:
        """`reader` has handled everything through `seq`: what every reader has handled is dropped
        (and after a bulk write's worth, its pages go back to the file system at once)."""
        with self._writing() as conn:
            conn.execute(
                "INSERT INTO stream_positions (reader, seq) VALUES (?, ?) "
                "ON CONFLICT (reader) DO UPDATE SET seq = MAX(seq, excluded.seq)",
                (reader, seq),
            )
            dropped = conn.execute("DELETE FROM changes WHERE seq <= (SELECT MIN(seq) FROM stream_positions)").rowcount
        if dropped >= RECLAIM_AFTER_ROWS:
            self.reclaim()

    def __len__(self) -> int:
        return int(self._connection().execute("SELECT COUNT(*) FROM items").fetchone()[0])


def _key_of(write: Write) -> Key:
    return write.item if isinstance(write, Put) else write.key


def _pair(key: Key) -> tuple[str, str]:
    return key["PK"], key["SK"]


def _refusal(write: Write, current: Item | None) -> Refused | None:
    if holds(write.condition, current):
        return None
    wants_old = isinstance(write, Put | Check) and write.return_old_on_failure
    return Refused(current if wants_old and current is not None else None)


class SqliteStore(ItemStore):
    """The Store port on one SQLite file (the local stack's default; core/bootstrap.py)."""

    def __init__(self, path: str | Path) -> None:
        self.sqlite = SqliteTable(path)
        super().__init__(self.sqlite)
