"""The SMS door: Twilio webhook and AWS two-way SMS onto one conversation (bot/sms/inbound.py)."""
