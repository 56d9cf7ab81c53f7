"""Every word Punchclock says in English. A second language is a copy of this module, translated.

A template is one string for every channel, or {"sms": ..., "slack": ...} where the channels
differ; what only one channel says has that channel's key alone. Most differences are only the
names of commands, kept in the `word.*` and `ex.*` parts: SMS names keywords (IN, EXP 12.50
fuel), Slack names slash commands (/clockin, /expense 12.50 fuel). The braces are explained in
core/catalogue/template.py. SMS texts must stay GSM-7 and fit one 160-character segment (help:
two); tests/unit/test_catalogue.py fills each with its longest values.
"""

from __future__ import annotations

from core.catalogue.language import Formats, Language, Template

# What a service did (core.ports.Outcome codes), for the person who asked.
REPLIES: dict[str, Template] = {
    "clocked_in": (
        "Clocked in {at:time}{job:?clocked_in.job}.{pending:?pending} {:do word.break word.out ex.expense word.help}"
    ),
    "clock_in_amended": "Clock-in{day:?on_day} changed to {at:time}.{pending:?pending}",
    "clocked_out": (
        "Clocked out {at:time}. Shift {shift_minutes:duration} since {shift_start:time}."
        "{ended_break:?clocked_out.break}{pending:?pending} {:do word.hours}"
    ),
    "clock_out_amended": (
        "Clock-out{day:?on_day} changed to {at:time}, shift {shift_minutes:duration}.{pending:?pending}"
    ),
    # A break or a whole shift told after the fact (`BREAK mon 12:00-12:30 forgot`, `SHIFT ...`).
    "break_added": "{kind:break_started.kind.*} {start:time}-{end:time}{day:?on_day} added.{pending:?pending}",
    "shift_added": ("Shift {start:time}-{end:time}{day:?on_day} ({shift_minutes:duration}) added.{pending:?pending}"),
    # Corrections refused: nothing written.
    "no_shift_that_day": "No shift on {day:day} to change. A forgotten shift: {:ex.shift}",
    "overlaps_shift": "That crosses your shift {start:day_time}-{end:time}. Nothing changed.",
    "overlaps_break": "That crosses your break {start:day_time}-{end:time}. Nothing changed.",
    "break_outside_shift": "{start:day_time}-{end:time} is not within one of your shifts. Nothing changed.",
    "clock_in_unchanged": "Your clock-in is already {at:time}. Nothing changed.",
    "day_not_found": "That date does not exist. Nothing changed.",
    "too_old_to_correct": "Corrections go back to {first:day} only. Nothing changed. Ask your manager.",
    "period_locked": "The pay period {start:day} - {end:day} is locked. Nothing changed. Ask your manager.",
    "break_started": (
        "{kind:break_started.kind.*} started {at:time}. On shift {shift_minutes:duration}. {:do word.back}"
    ),
    "break_ended": "Break {break_minutes:duration}. On shift {shift_minutes:duration}. {:do word.break word.out}",
    "status": "{status:status.status.*}",
    "still_ack": "OK, still on shift since {shift_start:time}. I will ask again at {ask_at:time}. {:do word.out}",
    # `OUT 17:30` with no reason: fine as the answer to a reminder, else a reason is asked for.
    "reason_missing_out": "Add a reason, e.g. {:ex.out_time}",
    # Unasked, from the reminder sweep (NoticeKind.REMINDER), to the worker's channel.
    "reminder.forgot_clock_out": {
        "sms": (
            "Still clocked in since {shift_start:time} ({shift_minutes:duration}). Reply OUT {suggested_out:time} "
            "to clock out at {suggested_out:time}, or STILL to keep going."
        ),
        "slack": (
            "Still clocked in since {shift_start:time} ({shift_minutes:duration}). Clock out at "
            "{suggested_out:time} (or /clockout 17:30 with your time), or keep going?"
        ),
    },
    "reminder.auto_clock_out": (
        "No answer, so your shift since {shift_start:time} was closed at {at:time}, for your manager to check. "
        "Stopped at another time? {:word.out} 17:30"
    ),
    "reminder.long_break": "{kind:break_started.kind.*} running {break_minutes:duration}. {:do word.back}",
    "reminder.meal_due": (
        "On shift {shift_minutes:duration}: take your meal break by {meal_by:time}. {:do word.lunch}"
    ),
    # What the sweep did (`punchclock reminders run` prints it).
    "reminded": "Reminder sent.",
    "reminders_skipped": "Reminder too late to help: not sent.",
    "auto_clocked_out": "Clocked out automatically at {at:time}, for a manager to check.",
    "expense_logged": (
        "Expense {amount:amount} {currency:currency} {category:category20} on {spent_on:date} logged."
        "{receipt:?expense_logged.receipt}{pending:?pending}"
    ),
    "expense_categories": "Categories: {categories:categories110}. E.g. {:ex.expense}",
    "expense_repeated": (
        "Already logged: {amount:amount} {currency:currency} {category:category20} on {spent_on:date}. "
        "Another one? Add a word, e.g. {:word.expense} {amount:amount} {category:category20} 2nd"
    ),
    "hours": (
        "{period:hours.period.*}: {hours_worked_minutes:duration} worked, {on_task_minutes:duration} on task, "
        "OT {overtime_minutes:duration}, {days_worked:count} day(s)."
        "{open_shift:?hours.open_shift}{pending:?hours.pending}"
    ),
    "team": (
        "On shift {on_shift:count}{names:?team.names}. On break {on_break:count}. Off {off:count}. "
        "Waiting for you {pending:count}.{stopped:?team.stopped}"
    ),
    "help": {
        "sms": (
            "Punchclock: IN <job>, OUT, BREAK, LUNCH, BACK, STATUS, HOURS, EXP 12.50 fuel{categories:?help.categories}."
            " Fix: OUT yesterday 17:30 forgot, SHIFT mon 8:00-16:30 forgot.{manager:?help.managers}"
            " Reply STOP to opt out. Msg&data rates may apply."
        ),
        "slack": (
            "/clockin [job], /clockout, /break [meal|rest], /back, /status, /expense 12.50 fuel"
            "{categories:?help.categories}, /timesheet [today|week|last week]. Fix a punch: /clockout yesterday "
            "17:30 forgot, /punch shift mon 8:00-16:30 forgot.{manager:?help.managers}"
        ),
    },
    # With a `problem`, the problem's own words (PROBLEMS below) answer instead.
    "unknown": "Sorry, I did not get that. {:do word.help}",
    "already_in": "You are already clocked in since {shift_start:time}. {:do word.break word.out}",
    "not_in": "You are not clocked in. {:do word.in}",
    "already_on_break": "You are on a break since {since:time}. {:do word.back}",
    "not_on_break": "You are not on a break. {:do word.break word.out}",
    "time_before_last_shift": "{at:time} is before your last clock-out at {last_end:time}. Nothing changed.",
    "time_in_future": "{at:time} is later than now. Nothing changed.",
    "time_after_now": "{at:time} is too late for that punch. Nothing changed.",
    "clock_out_unchanged": "Your clock-out is already {at:time}. Nothing changed.",
    "time_before_start": "{at:time} is before the start at {start:time}. Nothing changed.",
    "bad_amount": "Amount must be {problem:bad_amount.problem.*}, e.g. {:ex.expense}. Nothing logged.",
    "bad_expense_date": "Expenses can be dated from {first:date} to {last:date}. Nothing logged.",
    "amount_over_limit": "Amounts over {limit:amount} {currency:currency} need your manager. Nothing logged.",
    # Budgets (managers; core/services/budgets.py): set, removed, listed, and the alert they get.
    "budget_set": (
        "Budget for {category:category20} set to {budget:amount} {currency:currency} a month. "
        "{month:month} so far: {spent:amount} ({percent:count}%)."
    ),
    "budget_cleared": "Budget for {category:category20} removed: no more alerts for it.",
    "budget_not_set": "No budget is set for {category:category20}. Nothing changed.",
    "budgets": {
        "sms": "Budgets {month:month} ({currency:currency}): {lines:items120}",
        "slack": "Budgets {month:month} ({currency:currency}), spent of budget: {lines:items2000}",
    },
    "no_budgets": "No budgets are set. Set one with {:ex.budget}",
    "bad_budget": "A budget must be {problem:bad_amount.problem.*}, e.g. {:ex.budget}. Nothing changed.",
    "budget_currency": "Budgets are in {currency:currency}, e.g. {:ex.budget}. Nothing changed.",
    "budget_unknown_category": ("{category:text20} is not an expense category. Pick one of: {categories:categories90}"),
    "budget_alert": (
        "{level:budget_alert.level.*}: {category:category20} spend for {month:month} is {spent:amount} "
        "{currency:currency}, {percent:count}% of its {budget:amount} budget. {:do word.budgets}"
    ),
    "managers_only": "Only managers can do that.",
    # What waits for a manager (core/services/corrections.py): one item a text, by its number.
    "nothing_pending": "Nothing is waiting for you.",
    "pending_item": (
        "{position:count}/{total:count} #{number:count} {name:text16}: {what:pending.what.*}"
        "{reason:?pending.reason} ({age:age} ago). {:word.approve} {number:count} or {:word.reject} "
        "{number:count} why.{next:?pending.next}"
    ),
    "no_such_number": "Nothing numbered {number:count} waits for you. {:do word.pending}",
    "which_item": (
        "{total:count} wait. #{number:count} {name:text16}: {what:pending.what.*}"
        "{reason:?pending.reason} ({age:age} ago). {:word.approve} {number:count} or {:word.reject} "
        "{number:count} why.{next:?pending.next}"
    ),
    "own_item": "Another manager must decide your own item.",
    "item_decided": (
        "{decision:item_decided.decision.*}{number:?item_decided.number} {name:text24}: {what:pending.what.*}."
    ),
    "already_decided": "That was already decided. Nothing changed.",
    "number_decided": "{number:count} ({name:text24}) was already decided. Nothing changed. {:do word.pending}",
    "approve_all_offer": (
        "Approve all {count:count} waiting ({names:text60})? {:word.approve_all} {count:count} to confirm."
    ),
    "approve_all_first": "Send {:word.approve_all} first, to see how many wait. Nothing changed.",
    "approve_all_count": (
        "{offered:count} were offered, not {count:count}. Nothing changed. {:word.approve_all} {offered:count} "
        "confirms them."
    ),
    "approved_all": "Approved {approved:count}.{gone:?approved_all.gone}",
    # The worker hears of a decision (a notice), where they asked.
    "decision_told": (
        "Your {what:told.what.*} was {decision:told.decision.*} by {decided_by_name:text24}{note:?told.note}."
    ),
    # Pay periods (core/services/periods.py).
    "period_now_locked": "Pay period {start:day} - {end:day} locked: it takes no more corrections.",
    "period_already_locked": "Pay period {start:day} - {end:day} was locked by {by:text24} on {locked_at:day}.",
    "period_not_over": "Pay period {start:day} - {end:day} is not over yet. Nothing locked.",
    "period_has_pending": (
        "{count:count} correction(s) in {start:day} - {end:day} still wait: decide them first. Nothing locked. "
        "{:do word.pending}"
    ),
    # A manager's "Email this report" (Slack): queued for the notify function, then its DM. The
    # addresses are the manager's own or the org's (at most a few); texts name no addresses.
    "report_email_queued": {
        "sms": "Emailing the report for {day:date}. You will get a text when it is sent.",
        "slack": "Emailing the report for {day:date} to {to:text300}. You will get a message here when it is sent.",
    },
    "report_email_recent": {
        "sms": "Already emailing the report for {day:date}: one email per minute.",
        "slack": "Already emailing the report for {day:date} to {to:text300}: one email per minute.",
    },
    "report_emailed": {
        "sms": "Emailed the report for {day:date}.",
        "slack": "Emailed the report for {day:date} to {to:text300}.",
    },
    "invited": "Invited {name:text30} ({phone:phone}). Code {code:join_code} sent, valid 48h.",
    "phone_taken": "{phone:phone} already belongs to a worker.",
    "phone_opted_out": "{phone:phone} replied STOP to our texts. They must text START first.",
    "bad_code": "That code is not valid for this number. Ask your manager for a new invite.",
    "code_expired": "That code has expired. Ask your manager for a new invite.",
    "joined": "Welcome {name:text30}! You are set up. {:do word.in word.help}",
    "already_joined": {
        "sms": "This number is already set up. Text HELP for commands.",
        "slack": "You are already set up. See /punch help for commands.",
    },
    "opted_out": {
        "sms": "You will get no more texts from Punchclock. Reply START to opt back in.",
        "slack": "You will get no more texts from Punchclock. /punch start turns them back on.",
    },
    "opted_in": {
        "sms": "Texts are back on. Text HELP for commands.",
        "slack": "Texts are back on. See /punch help for commands.",
    },
    "not_registered": {
        "sms": "This number is not registered with Punchclock. Ask your manager for an invite, then text JOIN <code>.",
        "slack": "You are not registered with Punchclock. Ask your manager to add you.",
    },
    "deactivated": "Your Punchclock access is switched off. Ask your manager.",
    "busy": "Sorry, that clashed with another change. Please try again.",
    "range_too_long": "Pick a range of at most {days:count} days.",
    "date_out_of_range": "That date is out of range: pick dates from {first:date} to {last:date}.",
    "receipt_waiting": {
        "sms": "Got your receipt. Reply EXP <amount> <category>, e.g. EXP 12.50 fuel.",
        "slack": "Got your receipt. Log it with /expense <amount> <category>, e.g. /expense 12.50 fuel.",
    },
    # An error may strike after a write committed (its answer lost): never say nothing was saved.
    "error": {
        "sms": (
            "Sorry, something went wrong on our side and we cannot tell if that was saved. "
            "Text STATUS to check before you send it again."
        ),
        "slack": (
            "Sorry, something went wrong on our side and we cannot tell if that was saved. "
            "Check /status before retrying."
        ),
    },
    # The worker's language, chosen or switched (core/services/language.py): said in the new one.
    "language_set": {
        "sms": "OK: we will write to you in English. Para español, envia ESPANOL.",
        "slack": "OK: we will write to you in English. Para español: /punch idioma es",
    },
}

# What the grammar could not read (core.commands.Unknown.problem codes), with an example that works.
PROBLEMS: dict[str, Template] = {
    "no_command": (
        "Try {:word.in}, {:word.out}, {:word.break}, {:word.back}, {:word.status}, {:ex.expense}, "
        "{:word.hours} or {:word.help}."
    ),
    "reason_missing_in": "Add a reason, e.g. {:ex.in_time}",
    "time_invalid_in": "That time looks wrong, e.g. {:ex.in_time}",
    "time_invalid_out": "That time looks wrong, e.g. {:ex.out_time}",
    "job_too_long": "That job is too long, e.g. {:ex.in_job}",
    "category_too_long": "That category is too long, e.g. {:ex.expense}",
    "expense_keyword_missing": "Start with {:word.expense} to log an expense, e.g. {:ex.expense}",
    "amount_missing": "Which amount? e.g. {:ex.expense}",
    "amount_unreadable": "That amount does not look right, e.g. {:ex.expense}",
    "amount_not_first": "Put the amount first, e.g. {:ex.expense}",
    "amount_not_positive": "Amount must be more than 0, e.g. {:ex.expense}",
    "amount_too_precise": "Use at most 2 decimals, e.g. {:ex.expense}",
    "date_invalid": "That date does not exist, e.g. {:ex.hours_range}",
    "date_range_reversed": "The end date is before the start date, e.g. {:ex.hours_range}",
    "hours_unreadable": {
        "sms": "Try HOURS, HOURS TODAY, HOURS LAST WEEK or HOURS 2026-11-01..2026-11-07.",
        "slack": "Try /timesheet, /timesheet today, /timesheet last week or /timesheet 2026-11-01..2026-11-07.",
    },
    "join_code_missing": {
        "sms": "Send JOIN and your 6-digit code, e.g. JOIN 123456",
        "slack": "In Slack you need no code: you are set up. See /punch help for commands.",
    },
    "decision_unreadable": {
        "sms": "Reply APPROVE or REJECT with its number, e.g. REJECT 2 too late, or APPROVE ALL",
        "slack": "Use /punch approve or /punch reject with its number, e.g. /punch reject 2 too late",
    },
    "reject_all": "Reject each by its number, with why, e.g. {:word.reject} 2 too late",
    "pending_unreadable": "Try {:word.pending}, or {:word.pending} 4 to start at item 4.",
    "lock_unreadable": "Try {:word.lock} (the last pay period), or {:word.lock} 11/15 (the one with that day).",
    "day_invalid": "That date looks wrong, e.g. {:ex.out_day}",
    "time_invalid_span": "Those times look wrong, e.g. {:ex.shift}",
    "reason_missing_break": "Add a reason, e.g. {:ex.break_span}",
    "reason_missing_shift": "Add a reason, e.g. {:ex.shift}",
    "shift_unreadable": "Give the day and times, e.g. {:ex.shift}",
    "invite_phone_missing": {
        "sms": "Send INVITE, a phone number and a name, e.g. {:ex.invite}",
        "slack": "Use /punch invite with a phone number and a name, e.g. {:ex.invite}",
    },
    "invite_phone_invalid": "That phone number looks wrong, e.g. {:ex.invite}",
    "invite_name_missing": "Add a name, e.g. {:ex.invite}",
    "budget_unreadable": "Try {:ex.budget}, {:word.budget} fuel off or {:word.budgets}.",
    # Not the grammar's: a Slack command given words that mean another command (bot/slack/commands.py).
    "command_words": "Try {:word.help} for what that command takes.",
    "language_unreadable": {
        "sms": "Send ENGLISH or ESPANOL.",
        "slack": "Use /punch language en or /punch language es.",
    },
}

# What a door or a notice says besides a service's outcome, keyed by the channels it is said on:
# {"slack": ...} only in Slack, {"sms": ...} only by text. Each is said whole (`say`), or added
# to a reply as a sentence of its own when the whole still fits (receipt_kept, receipt_not_saved).
MESSAGES: dict[str, Template] = {
    # Who is asking in Slack (bot/slack/identity.py, the Home tab of someone switched off).
    "workspace_not_linked": {
        "slack": (
            "This Slack workspace is not linked to Punchclock yet. "
            "Ask your Punchclock admin to link it (Slack team id {team_id:id})."
        ),
    },
    "not_enrolled": {
        "slack": "You are not set up in Punchclock yet. Ask a manager to add you (your Slack id is {user_id:id}).",
    },
    "join_by_command": {"slack": "Welcome to Punchclock! Run {:word.in} or {:word.help} to get started."},
    "account_off": {"slack": "Your Punchclock account is switched off. Ask a manager if that is a mistake."},
    # The Slack door's own failures: its secrets missing (the body Slack gets), a listener's error.
    "slack_not_configured": {"slack": "Punchclock's Slack door is not configured."},
    "apology": {"slack": "Sorry, something went wrong on our side. Please try again in a minute."},
    # /report and its "Email this report" button.
    "report_day_unreadable": {"slack": "Try /report, /report yesterday or /report 2026-11-16."},
    # A worker enrolled from Slack whose Slack locale is one we write in (notifications/notices.py).
    "language_from_slack": {
        "slack": "Your Slack is in English, so we write to you in English. Para español: /punch idioma es"
    },
    "report_other_org": {"slack": "That report belongs to another organisation: run /report for your own."},
    "report_button_stale": {"slack": "That button is out of date: run /report again."},
    "report_no_address": {
        "slack": "No email address is known for you or your organisation. Ask a Punchclock admin to add yours.",
    },
    "email_not_set_up": {"slack": "Email is not set up for this Punchclock yet. Ask a Punchclock admin."},
    # A manager's approval DM once decided (theirs or another's): the buttons give way to who decided, when.
    "decision_settled": {"slack": "{decision:decision_settled.decision.*} by {name:text40}, {at:day_time}."},
    "decision_already_settled": {"slack": "Nothing changed: this was already decided."},
    # The expense modal's errors, next to their fields, and its receipt.
    "expense_form_amount": {"slack": "Enter an amount like 12.50"},
    "expense_form_currency": {"slack": "Use a 3-letter currency code like USD"},
    "expense_form_category": {"slack": "Pick a category"},
    "expense_form_future": {"slack": "That date is in the future"},
    "expense_form_too_early": {"slack": "Pick a date from {first:date} ({days:count} days ago) to today"},
    "receipt_not_saved": {"slack": "The receipt could not be saved: please send it to your manager."},
    # Photos by text (bot/sms/inbound.py): refused before anything is recorded, or kept for later.
    "media_too_big": {"sms": "That file is over 5 MB. Nothing was recorded. Send a smaller photo, or the text alone."},
    "media_wrong_type": {
        "sms": "Only photos and PDF receipts can be kept. Nothing was recorded. Send a photo or the text.",
    },
    "media_too_many": {"sms": "Send at most 5 photos at a time. Nothing was recorded."},
    "media_unavailable": {"sms": "Sorry, we could not get your photo. Nothing was recorded. Please send it again."},
    "receipt_kept": {"sms": "Receipt kept for your next {:word.expense}."},
    # Notices by text (notifications/notices.py): a manager without Slack asked to decide, an invite.
    "approval_request": {
        "sms": (
            "#{number:count} {name:text16}: {what:pending.what.*}{reason:?pending.reason}. "
            "Reply APPROVE {number:count} or REJECT {number:count} why."
        ),
    },
    "invite": {"sms": "{org:text40} invites you to Punchclock. Reply JOIN {code:join_code} to start."},
}

# Parts of the templates above; the words of reports, of the upload page and of the email (every
# channel's), and of Slack's blocks (keyed "slack").
WORDS: dict[str, Template] = {
    # Commands as each channel names them.
    "word.in": {"sms": "IN", "slack": "/clockin"},
    "word.out": {"sms": "OUT", "slack": "/clockout"},
    "word.break": {"sms": "BREAK", "slack": "/break"},
    "word.lunch": {"sms": "LUNCH", "slack": "/break meal"},
    # Buttons under a Slack reminder.
    "button.reminder_out": "Clock out at {at:time}",
    "button.still": "Still working",
    "word.back": {"sms": "BACK", "slack": "/back"},
    "word.status": {"sms": "STATUS", "slack": "/status"},
    "word.hours": {"sms": "HOURS", "slack": "/timesheet"},
    "word.help": {"sms": "HELP", "slack": "/punch help"},
    "word.expense": {"sms": "EXP", "slack": "/expense"},
    "word.invite": {"sms": "INVITE", "slack": "/punch invite"},
    "word.pending": {"sms": "PENDING", "slack": "/punch pending"},
    "word.approve": {"sms": "APPROVE", "slack": "/punch approve"},
    "word.reject": {"sms": "REJECT", "slack": "/punch reject"},
    "word.approve_all": {"sms": "APPROVE ALL", "slack": "/punch approve all"},
    "word.lock": {"sms": "LOCK", "slack": "/punch lock"},
    "ex.shift": {"sms": "SHIFT mon 8:00-16:30 forgot", "slack": "/punch shift mon 8:00-16:30 forgot"},
    "ex.break_span": "{:word.break} mon 12:00-12:30 forgot",
    "ex.out_day": "{:word.out} 11/29 17:30 forgot",
    "ex.expense": "{:word.expense} 12.50 fuel",
    "ex.in_time": "{:word.in} 8:00 bus late",
    "ex.out_time": "{:word.out} 17:30 forgot",
    "ex.in_job": "{:word.in} north-site",
    "ex.hours_range": "{:word.hours} 2026-11-01..2026-11-07",
    "ex.invite": "{:word.invite} +15551234567 Ana Lopez",
    "word.budget": {"sms": "BUDGET", "slack": "/punch budget"},
    "word.budgets": {"sms": "BUDGETS", "slack": "/punch budgets"},
    "ex.budget": "{:word.budget} fuel 500",
    "budget_alert.level.100": "Budget used up",
    "budget_alert.level.other": "Budget alert",
    # The next likely actions: "Text BREAK, OUT." by SMS, "/break /clockout" in Slack.
    "do": {"sms": "Text {actions:raw}.", "slack": "{actions:raw}"},
    "do.separator": {"sms": ", ", "slack": " "},
    # After a reply in the language just taken from a worker's words (core/services/language.py).
    "language.switch_back": {"sms": "Para español, envia ESPANOL.", "slack": "Para español: /punch idioma es"},
    # Parts of replies.
    "pending": " Sent to your manager for approval.",
    "on_day": " on {day:day}",
    # An item that waits for a manager, as every message about it says what changes.
    "pending.what.clock_in": "in {was:time}->{at:time} {day:day}",
    "pending.what.clock_out": "out {was:time}->{at:time} {day:day}",
    "pending.what.auto_clock_out": "auto out {at:time} {day:day}",
    "pending.what.break": "break {at:time}-{until:time} {day:day}",
    "pending.what.shift": "shift {at:time}-{until:time} {day:day}",
    "pending.what.expense": "{amount:amount} {currency:currency} {category:category16} {day:day}",
    "pending.what.other": "{day:day}",
    "pending.reason": ", {reason:text20}",
    "pending.next": " Next: {:word.pending} {next:count}",
    "item_decided.decision.approved": "Approved",
    "item_decided.decision.other": "Rejected",
    "item_decided.number": " #{number:count}",
    "approved_all.gone": " {gone:count} already decided.",
    "told.what.clock_in": "clock-in {at:time} on {day:day}",
    "told.what.clock_out": "clock-out {at:time} on {day:day}",
    "told.what.auto_clock_out": "automatic clock-out {at:time} on {day:day}",
    "told.what.break": "break {at:time}-{until:time} on {day:day}",
    "told.what.shift": "shift {at:time}-{until:time} on {day:day}",
    "told.what.expense": "expense {amount:amount} {currency:currency} {category:category16} on {day:day}",
    "told.what.other": "item on {day:day}",
    "told.decision.approved": "approved",
    "told.decision.other": "rejected",
    "told.note": ": {note:text40}",
    "status.pending": " {pending:count} waiting for your manager.",
    "clocked_in.job": " at {job:text30}",
    "clocked_out.break": " Break {break_minutes:duration} ended.",
    "break_started.kind.meal": "Meal break",
    "break_started.kind.other": "Rest break",
    "status.status.on_break": (
        "On break since {break_start:when}, shift since {shift_start:when}.{pending:?status.pending} "
        "{:do word.back word.out}"
    ),
    "status.status.on_shift": (
        "On shift since {shift_start:when}{job:?status.job}.{pending:?status.pending} {:do word.break word.out}"
    ),
    "status.status.other": "Clocked out.{last_end:?status.last_out}{pending:?status.pending} {:do word.in word.hours}",
    "status.job": " ({job:text30})",
    "status.last_out": " Last out {last_end:when}.",
    "expense_logged.receipt": " Receipt attached.",
    "hours.period.week": "This week",
    "hours.period.today": "Today",
    "hours.period.yesterday": "Yesterday",
    "hours.period.last week": "Last week",
    "hours.period.other": "{start:date}..{end:date}",
    "hours.open_shift": " Includes an open shift.",
    "hours.pending": " {pending:count} pending correction(s).",
    "team.names": ": {names:names}",
    "team.stopped": " Texts off (STOP): {stopped:count}.",
    "help.categories": {"sms": " ({categories:categories48})", "slack": " ({categories:categories300})"},
    "help.managers": {
        "sms": " Managers: PENDING, APPROVE 2, REJECT 2 why, LOCK.",
        "slack": " Managers: /team, /report, /punch pending, /punch approve 2, /punch reject 2 why, /punch lock.",
    },
    "bad_amount.problem.amount_not_positive": "more than 0",
    "bad_amount.problem.amount_too_precise": "at most 2 decimals",
    "bad_amount.problem.other": "valid",
    # A day's report (Slack's /report and the emailed summary); every report says its pay period.
    "report.period": "Pay period {start:day} - {end:day}: {state:report.period.*}.",
    "report.period.locked": "locked {locked_at:day}",
    "report.period.other": "open",
    "expense.status.submitted": "waiting",
    "expense.status.approved": "approved",
    "expense.status.rejected": "rejected",
    "report.reimburse": "To reimburse: {totals:raw}",
    "report.summary": (
        "{worked:count} worked, {hours_worked:duration} hours worked, OT {overtime:duration}, "
        "{still_in:count} still in, {waiting:count} correction(s) waiting"
    ),
    "report.total": "{total:cents} {currency:currency}",
    "report.rules": "Overtime: {policy:raw}. Meal rules: {meals:report.rules.meals.*}.",
    "report.rules.meals.owed": "{title:raw} ({source:raw})",
    "report.rules.meals.other": "none (the FLSA requires no meal break)",
    "flag.open_shift": "still in",
    "flag.pending_correction": "correction pending",
    "flag.self_approved": "self-approved",
    "flag.auto_clock_out": "automatic clock-out",
    "flag.long_shift": "over 12h",
    "flag.orphan_punch": "odd punches",
    "flag.short_meal": "short meal",
    "flag.meal_late": "meal late",
    "flag.meal_missed": "meal missed",
    "flag.meal_early": "meal early",
    "flag.second_meal_late": "2nd meal late",
    "flag.second_meal_missed": "2nd meal missed",
    "flag.second_meal_early": "2nd meal early",
    # Parts of messages.
    "decision_settled.decision.approved": "Approved",
    "decision_settled.decision.other": "Rejected",
    # Texts the SMS door builds around a value only it can measure (a link, an address): it sends
    # them only when the whole fits, else the reply alone (bot/sms/inbound.py).
    "sms.help_contact": {"sms": "Your manager: {contact:raw}"},
    "sms.upload_offer": {"sms": "{reply:raw} Add receipt: {link:raw}"},
    "sms.upload_offer_short": {"sms": "Expense logged. Add receipt: {link:raw}"},
    # Slack's blocks: the day report (/report). Names come escaped, as `raw`.
    "report.nobody_in": "Nobody clocked in.",
    "slack.report.header": {"slack": "Punchclock report {day:day_year}"},
    "slack.report.text": {"slack": "Report {day:day_year}: {summary:raw}."},
    "slack.report.line": {
        "slack": (
            "- *{name:raw}* {first:raw}-{last:raw}, {worked:duration} hours worked, OT {overtime:duration}, "
            "breaks {paid:duration} paid, {unpaid:duration} unpaid"
            "{flags:?slack.report.line.flags}{expenses:?slack.report.line.expenses}"
        ),
    },
    "slack.report.line.in": {"slack": "in"},  # the last punch of someone still clocked in
    "slack.report.line.flags": {"slack": " :warning: {flags:raw}"},
    "slack.report.line.expenses": {"slack": ", expenses {expenses:raw}"},
    "slack.report.expenses": {"slack": "Expenses: {count:count}, {totals:raw}"},
    "slack.report.email_button": {"slack": "Email this report"},
    # Slack's blocks: the team board (/team, a manager's Home tab).
    "slack.team.title.on_shift": {"slack": "*On shift ({count:count})*"},
    "slack.team.title.on_break": {"slack": "*On break ({count:count})*"},
    "slack.team.title.off": {"slack": "*Off ({count:count})*"},
    "slack.team.texts_off": {"slack": " _(texts off: replied STOP)_"},
    "slack.team.since": {"slack": " since {since:when}"},
    "slack.team.pending": {"slack": ":warning: {pending:count} waiting for a manager"},
    # Slack's blocks: what waits for this manager (/team), numbered as they decide it.
    "slack.team.waiting": {"slack": "*Waiting for you ({count:count})*"},
    "slack.team.waiting_hint": {
        "slack": "`/punch approve 2`, `/punch reject 2 why`, `/punch approve all`, or the buttons in your DMs",
    },
    # One waiting item, in /team and in a manager's approval DM. Names and reasons come escaped (raw).
    "slack.pending.line": {
        "slack": (
            "*#{number:count}* *{name:raw}*: {what:pending.what.*}{reason:?slack.pending.reason} _({age:age} ago)_"
        ),
    },
    "slack.pending.reason": {"slack": ", {reason:raw}"},
    # Slack's blocks: a manager's approval DM.
    "slack.approval.text": {
        "slack": (
            "#{number:count} {name:raw}: {what:pending.what.*}{reason:?slack.pending.reason}. "
            "Approve or reject in Slack."
        ),
    },
    "slack.approval.no_reason": {"slack": "no reason given"},
    "slack.approval.hint": {
        "slack": "Or type `/punch approve {number:count}` or `/punch reject {number:count} why`.",
    },
    "slack.approval.approve": {"slack": "Approve"},
    "slack.approval.reject": {"slack": "Reject"},
    # Slack's blocks: the Home tab.
    "slack.home.state.on_break": {
        "slack": "{kind:slack.home.break.*} since {since:when}{shift_start:?slack.home.shift_since}",
    },
    "slack.home.break.meal": {"slack": "*On meal break*"},
    "slack.home.break.other": {"slack": "*On rest break*"},
    "slack.home.shift_since": {"slack": ", shift since {shift_start:when}"},
    "slack.home.state.on_shift": {"slack": "*On shift* since {since:when}{job:?slack.home.job}"},
    "slack.home.job": {"slack": " ({job:raw})"},
    "slack.home.state.off": {"slack": "*Off*{last_out:?slack.home.last_out}"},
    "slack.home.last_out": {"slack": ", last out {last_out:when}"},
    "slack.home.today": {"slack": "*Today*\n{worked:duration} worked"},
    "slack.home.week": {"slack": "*This week*\n{worked:duration} worked, OT {overtime:duration}"},
    "slack.home.pending": {"slack": "{pending:count} correction(s) waiting for a manager."},
    "slack.home.expenses": {"slack": "*Expenses this week*"},
    "slack.home.team": {"slack": "*Team*"},
    "slack.home.updated": {"slack": "Updated {now:when}. Commands: `/punch help`"},
    "slack.home.button.clock_in": {"slack": "Clock in"},
    "slack.home.button.start_break": {"slack": "Start break"},
    "slack.home.button.end_break": {"slack": "End break"},
    "slack.home.button.clock_out": {"slack": "Clock out"},
    "slack.home.button.log_expense": {"slack": "Log expense"},
    "slack.home.language": {"slack": "*Language*"},
    # The language's own name, in the Home tab's language menu (each language names itself).
    "slack.language.name": {"slack": "English"},
    # The default expense categories, as each language names them (kind `category`); an org's own
    # categories have no entry and are shown as the org wrote them. Stored, matched and exported by
    # their English name.
    "category.fuel": "fuel",
    "category.mileage": "mileage",
    "category.parts": "parts",
    "category.tools": "tools",
    "category.meals": "meals",
    "category.lodging": "lodging",
    "category.parking": "parking",
    "category.tolls": "tolls",
    "category.travel": "travel",
    "category.transit": "transit",
    "category.supplies": "supplies",
    "category.phone": "phone",
    "category.other": "other",
    # Slack's blocks: the expense modal (its errors are MESSAGES).
    "slack.expense_modal.title": {"slack": "Log an expense"},
    "slack.expense_modal.submit": {"slack": "Log it"},
    "slack.expense_modal.close": {"slack": "Cancel"},
    "slack.expense_modal.amount": {"slack": "Amount"},
    "slack.expense_modal.currency": {"slack": "Currency"},
    "slack.expense_modal.category": {"slack": "Category"},
    "slack.expense_modal.date": {"slack": "Date"},
    "slack.expense_modal.note": {"slack": "Note"},
    "slack.expense_modal.receipt": {"slack": "Receipt"},
    # The receipt upload page a text links to (bot/sms/upload_page.py): read in a phone's browser.
    "page.upload.title": "Add your receipt",
    "page.upload.for": "For your expense {amount:amount} {currency:currency} {category:category} on {spent_on:date}.",
    "page.upload.photo": "Send photo",
    "page.upload.or_pdf": "Or a PDF:",
    "page.upload.pdf": "Send PDF",
    "page.upload.nothing_yet": "We did not get a file. Please try again.",
    "page.upload.refused": "That file was not kept: send a photo or a PDF of at most 5 MB.",
    "page.not_allowed.title": "Not allowed",
    "page.not_allowed.text": "Open the link from your text message.",
    "page.not_available.title": "Not available",
    "page.not_available.text": "Receipt uploads are not set up here.",
    "page.expired.title": "Link expired",
    "page.expired.text": "This link has expired or was already used.",
    "page.retry.title": "Please try again",
    "page.retry.text": "We got your file but could not add it to your expense just now.",
    "page.retry.link": "Try again",  # a link, followed by page.retry.when
    "page.retry.when": "in a minute (or reload this page).",
    "page.added.title": "Receipt added",
    "page.added.text": "Thank you. You can close this page.",
    "page.gone.title": "Expense not found",
    "page.gone.text": "That expense no longer exists.",
    # How a report counted clock times (core/domain/durations.py, Org.rounding_minutes).
    "report.rounding.none": "Clock times as punched.",
    "report.rounding.nearest": (
        "Clock-in and clock-out times counted to the nearest {minutes:count} minutes, as often up as down "
        "(29 CFR 785.48(b)); breaks as punched."
    ),
    # The daily summary email (notifications/daily_report.py), to managers on either channel.
    "email.report.title": "Punchclock daily summary",
    "email.report.subject": (
        "{:email.report.title} - {org:raw} - {day:date}: {worked:count} worked, {hours_worked:duration}, "
        "OT {overtime:duration}{waiting:?email.report.subject.waiting}"
    ),
    "email.report.subject.waiting": ", {waiting:count} correction(s) waiting",
    "email.report.heading": "{org:raw} - {day:day_year}",
    "email.report.footer": (
        "{rules:raw} {rounding:raw} Hours worked = on task + paid breaks = regular + overtime + double time; "
        "each total is the sum of its rows as shown. Times are each worker's local time. Attached: the day's "
        "timesheet rows, every punch of the day, and the expenses with their receipt links (links expire after "
        "at most 7 days)."
    ),
    "email.stat.worked": "worked",
    "email.stat.hours_worked": "hours worked",
    "email.stat.overtime": "overtime",
    "email.stat.overtime_only": "overtime (1.5x)",
    "email.stat.double_time": "double time (2x)",
    "email.stat.regular": "regular",
    "email.stat.still_in": "still in",
    "email.stat.waiting": "corrections waiting",
    "email.stat.expenses": "expenses",
    "email.report.insights": "Worth a look",
    "email.insight.hours_above": (
        "{name:raw} worked {minutes:duration}, against {average:duration} on an average day worked in the "
        "last 4 weeks ({days:count} days)."
    ),
    "email.insight.hours_below": (
        "{name:raw} worked only {minutes:duration}, against {average:duration} on an average day worked in the "
        "last 4 weeks ({days:count} days)."
    ),
    "email.insight.spend_above": (
        "{name:raw} spent {amount:cents} {currency:currency}, against {average:cents} {currency:currency} on an "
        "average day with expenses in the last 4 weeks ({days:count} days)."
    ),
    "email.insight.meals_repeated": (
        "{name:raw}: meal breaks missed, late or short on {days:count} of the last {of:count} days."
    ),
    "email.insight.budget_over": (
        "{category:category20} is over its monthly budget: {spent:cents} of {budget:cents} {currency:currency} "
        "spent this month ({percent:count}%)."
    ),
    "email.chart.title": "Hours worked per worker",
    "email.chart.legend": "Blue: regular time. Orange: overtime and double time.",
    "email.chart.text_legend": "#: regular time. +: overtime and double time.",
    "email.chart.more": "And {count:count} more, in the table below.",
    "email.report.rows_shown": "Showing {shown:count} of {total:count} rows: the attached files have every one.",
    "email.report.hours": "Hours",
    "email.report.total": "Total",
    "email.report.still_in": "still in",
    "email.report.expenses": "Expenses",
    "email.report.expenses_counted": "Expenses ({count:count}: {totals:raw})",
    "email.report.no_expenses": "No expenses.",
    "email.report.receipt.yes": "kept",
    "email.report.receipt.no": "none",
    "email.report.receipt.view": "view",
    "email.report.pending": "Corrections",
    "email.report.pending_waiting": "Corrections waiting for a manager (decide each in Slack or by text)",
    "email.report.none_waiting": "None waiting.",
    "email.report.decided": "Corrections decided on {day:day}",
    "email.report.none_decided": "None decided.",
    "email.report.decision": "{decision:email.report.decision.*}",
    "email.report.decision.approved": "approved",
    "email.report.decision.other": "rejected",
    "email.report.asks": "{kind:email.report.asks.*}",
    "email.report.asks.clock_in": "clock in",
    "email.report.asks.other": "clock out",
    "email.report.open_shifts": "Still clocked in",
    "email.report.nobody": "Nobody.",
    # The weekly timesheet email (notifications/weekly_report.py).
    "email.weekly.title": "Punchclock weekly timesheet",
    "email.weekly.subject": (
        "{:email.weekly.title} - {org:raw} - {start:date} to {end:date}: {worked:count} worked, "
        "{hours_worked:duration}, OT {overtime:duration}"
    ),
    "email.weekly.heading": "{org:raw} - {start:day} to {end:day_year}",
    "email.weekly.summary": (
        "{worked:count} worked, {hours_worked:duration} hours worked: {regular:duration} regular, "
        "{overtime:duration} overtime, {double_time:duration} double time. {waiting:count} correction(s) waiting."
    ),
    "email.weekly.chart": "Hours worked per worker this week",
    "email.weekly.days": "Hours per day",
    "email.weekly.cell": (
        "{worked:duration}{overtime:?email.weekly.cell.overtime}{double_time:?email.weekly.cell.double_time}"
        "{breaks:?email.weekly.cell.breaks}"
    ),
    "email.weekly.cell.overtime": ", OT {overtime:duration}",
    "email.weekly.cell.double_time": ", DT {double_time:duration}",
    "email.weekly.cell.breaks": ", breaks {breaks:duration}",
    "email.weekly.flag": "{flag:raw} ({days:raw})",
    "email.weekly.footer": (
        "{rules:raw} {rounding:raw} A day shows its hours worked, with overtime (OT, 1.5x), double time (DT, 2x) "
        "and breaks when there are any. Hours worked = regular + overtime + double time; each total is the sum "
        "of its rows as shown. Times are each worker's local time. Attached: hours per worker per day in "
        "decimal hours, a payroll file for Gusto's hours import (reimbursements in the org's currency; other "
        "currencies are in the expense report), and the expense report with receipt links (links expire after "
        "at most 7 days)."
    ),
    "email.column.worker": "Worker",
    "email.column.first_in": "First in",
    "email.column.last_out": "Last out",
    "email.column.on_task": "On task",
    "email.column.paid_breaks": "Paid breaks",
    "email.column.unpaid_breaks": "Unpaid breaks",
    "email.column.hours_worked": "Hours worked",
    "email.column.overtime": "Overtime",
    "email.column.flags": "Flags",
    "email.column.category": "Category",
    "email.column.amount": "Amount",
    "email.column.note": "Note",
    "email.column.receipt": "Receipt",
    "email.column.asks_to": "Asks to",
    "email.column.at": "At",
    "email.column.reason": "Reason",
    "email.column.waiting": "Waiting",
    "email.column.status": "Status",
    "email.column.approved": "Approved",
    "email.report.reimburse": "To reimburse (approved expenses)",
    "email.report.nothing_to_reimburse": "Nothing approved.",
    "email.column.since": "Since",
    "email.column.job": "Job",
    "email.column.jobs": "Jobs",
    "email.column.asked_to": "Asked to",
    "email.column.decision": "Decision",
    "email.column.by": "By",
    "email.column.regular": "Regular",
    "email.column.overtime_only": "OT",
    "email.column.double_time": "DT",
    "email.column.breaks": "Breaks",
    "email.column.count": "Count",
    "email.column.reimbursement": "Reimbursed in payroll",
}

FORMATS = Formats(
    time="{hour:02d}:{minute:02d}",
    day_time="{weekday} {day:02d} {month} {hour:02d}:{minute:02d}",
    day="{weekday} {day:02d} {month}",
    day_year="{weekday} {day:02d} {month} {year}",
    weekdays=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    months=("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    hours_minutes="{hours}h {minutes:02d}m",
    minutes_only="{minutes}m",
    no_time="?",
    month_year="{month} {year}",
)

LANGUAGE = Language(code="en", replies=REPLIES, problems=PROBLEMS, messages=MESSAGES, words=WORDS, formats=FORMATS)
