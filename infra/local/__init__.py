"""The local stack behind `make run`: Punchclock on one machine, with no AWS, Slack or Twilio account.

`python -m infra.local` starts it (see stack.py for what runs where, and __main__.py for options).
"""
