"""The Slack door: slash commands, App Home and modals on slack-bolt, in AWS Lambda.

`handler.py` is the Lambda entry (infra/template.yaml names it). This package's __init__ stays
empty so that `notifications.slack` (imported by other doors) can use the pure view builders in
`home.py` and `blocks.py` without importing slack_bolt.
"""
