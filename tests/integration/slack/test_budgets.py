"""DynamoDB calls per Slack request (the `calls` fixture counts every API call on the table's client).

Ack path, warm container (worker, Slack id and org cached):
  /clockin, /back, a Home button ............ 1  TransactWriteItems
  /break, /expense 12.50 fuel, /clockout 17:30 forgot
                                    ......... 2  + 1 GetItem: the previous window's delivery id
  /status 1 GetItem (fresh) + 1 Query (what of theirs waits for a manager),
  /timesheet 1 GetItem (fresh: still active?) + 2 Query,
  manager /team 1 GetItem (fresh: still a manager?) + 2 Query (+ its view's GetItem, and a PutItem when
  something new waits, numbered), manager /report 2 GetItem (+ the pay period's lock) + 4 Query
  /punch pending: 1 GetItem + 2 Query + its view (GetItem, PutItem when something new is numbered)
  /punch approve 2: 1 GetItem + the view's GetItem + 1 Query + the worker (cached) + 1 TransactWriteItems
  a worker's /team or /report ............... 0  (refused before anything is read)
A cold container adds 3 GetItems once per user: Slack lookup, worker, org.
Lazy path (another invocation of the Slack function, after the answer):
  a command ................................. 0  (none runs: what others hear goes through the outbox)
  a Home button that changed something ...... 1  GetItem: its stored answer says so; the notice redraws Home
  app_home_opened ........................... 4  once-marker, fresh worker, 2 Query
The notify function, per notice that redraws a Home tab:
  .......................................... 6  fresh worker twice (the notice's, the view's), send lease and
                                                 sent record (2 PutItem), 2 Query for the week
"""

from __future__ import annotations

from collections import Counter


def _ack(slack, calls, *args, **kwargs) -> Counter:  # type: ignore[no-untyped-def]
    calls.reset()
    slack.command(*args, lazy=False, **kwargs)
    return Counter(calls.calls)


def _lazy(slack, calls) -> Counter:  # type: ignore[no-untyped-def]
    calls.reset()
    slack.lambda_client.drain()
    return Counter(calls.calls)


def _notified(notices, calls) -> Counter:  # type: ignore[no-untyped-def]
    calls.reset()
    notices.drain()
    return Counter(calls.calls)


HOME_REDRAWN = {"GetItem": 2, "PutItem": 2, "Query": 2}


def test_cold_then_warm_clockin(slack, ana, store, calls, clock, notices):
    store.forget_cache()  # a new container

    cold = _ack(slack, calls, "/clockin", timestamp=slack.later(0))
    follow_up = _lazy(slack, calls)
    notified = _notified(notices, calls)
    clock.advance(hours=1)
    slack.command("/clockout", timestamp=slack.later(1))
    warm = _ack(slack, calls, "/clockin", timestamp=slack.later(2))

    assert cold == {"GetItem": 3, "TransactWriteItems": 1}  # the notice rides in the same transaction
    assert follow_up == {} and slack.lambda_client.invoked == []  # no lazy invocation at all
    assert notified == HOME_REDRAWN
    assert warm == {"TransactWriteItems": 1}


def test_changes_whose_repeat_must_be_caught_are_one_write_too(slack, ana, calls, clock):
    # Their answer is kept under the next minute's id as well, in the same write: no read first.
    slack.command("/status")  # warm the container
    slack.command("/clockin", timestamp=slack.later(0))
    clock.advance(hours=2)

    assert _ack(slack, calls, "/break", timestamp=slack.later(1)) == {"TransactWriteItems": 1}
    assert _ack(slack, calls, "/back", timestamp=slack.later(1)) == {"TransactWriteItems": 1}
    assert _ack(slack, calls, "/expense", "12.50 fuel") == {"TransactWriteItems": 1}
    assert _ack(slack, calls, "/clockout", "09:30 forgot") == {"TransactWriteItems": 1}


def test_reads(slack, ana, manager, calls):
    slack.command("/status")
    slack.command("/status", user="U0MIA")

    assert _ack(slack, calls, "/status") == {"Query": 1}  # the worker and what of theirs waits, one query
    assert _ack(slack, calls, "/timesheet") == {"GetItem": 1, "Query": 2}
    assert _ack(slack, calls, "/team", user="U0MIA") == {"GetItem": 1, "Query": 2}  # nothing waits: no numbers
    assert _ack(slack, calls, "/report", user="U0MIA") == {"GetItem": 2, "Query": 4}  # + its pay period's lock


def test_workers_asking_for_manager_tools_cost_nothing(slack, ana, calls):
    slack.command("/status")

    assert _ack(slack, calls, "/team") == {}
    assert _ack(slack, calls, "/report") == {}


def test_home_button_and_home_opened(slack, ana, calls, notices):
    slack.command("/status")

    calls.reset()
    slack.click("home.clock_in", lazy=False)
    assert Counter(calls.calls) == {"TransactWriteItems": 1}
    assert _lazy(slack, calls) == {"GetItem": 1}  # it changed something: the notice redraws Home
    assert _notified(notices, calls) == HOME_REDRAWN
    calls.reset()
    slack.home_opened(lazy=False)
    assert calls.total == 0
    assert _lazy(slack, calls) == {"PutItem": 1, "GetItem": 1, "Query": 2}
